/*
 * crypto_key.h - a key value: an RSA or EC key, private or public only,
 * parsed from PEM or DER. No Lua here: the CryptoKey class that holds one
 * is in crypto_key_lua.c.
 *
 * A key value is a shared value (shared_value.h): a CryptoKey object, a
 * TLSOptions and a DTLS session may all hold the same one. load() and
 * load_from_string() build a new value and swap it in.
 */
#ifndef ENETCONNECTION_CRYPTO_KEY_H
#define ENETCONNECTION_CRYPTO_KEY_H

#include <stddef.h>

#include <mbedtls/pk.h>

#include "shared_value.h"

typedef struct crypto_key_value {
    shared_value shared;
    int public_only;         /* 1: pk holds a public key only */
    mbedtls_pk_context pk;
} crypto_key_value;

/* A new value (one reference) with an empty pk context, or NULL (no
 * memory). The last release zeroes the key. */
crypto_key_value *crypto_key_value_new(int public_only);

/*
 * Parses a key into a new value. data[length] must be '\0' (Lua strings and
 * pem_file_read buffers are): text is handed to mbedTLS as PEM (length
 * counting the NUL), bytes with an embedded NUL as DER. Returns GD_OK with
 * *out; on failure bad_code with a message naming `source`.
 */
int crypto_key_value_parse(const unsigned char *data, size_t length, int public_only,
                           int bad_code, const char *source, crypto_key_value **out,
                           char *message, size_t message_size);

/* Reads and parses a key file: GD_OK with *out, or pem_file_read's codes,
 * or ERR_FILE_CORRUPT when the file holds no such key. */
int crypto_key_value_read_file(const char *path, int public_only, crypto_key_value **out,
                               char *message, size_t message_size);

#endif
