/*
 * x509.h - a certificate chain: one certificate or several, in file order,
 * parsed from PEM (or one DER certificate). No Lua here: the
 * X509Certificate class that holds one is in x509_lua.c.
 *
 * Like key values (crypto_key.h), a chain is a shared value
 * (shared_value.h); load() swaps in a new one.
 */
#ifndef ENETCONNECTION_X509_H
#define ENETCONNECTION_X509_H

#include <stddef.h>

#include <mbedtls/x509_crt.h>

#include "shared_value.h"

typedef struct x509_chain {
    shared_value shared;
    mbedtls_x509_crt crt;    /* first certificate; crt.next the rest */
} x509_chain;

/* A new chain (one reference) with no certificate, or NULL (no memory). */
x509_chain *x509_chain_new(void);

/*
 * Parses every certificate of `data` into a new chain. data[length] must be
 * '\0': text is parsed as PEM, bytes with an embedded NUL as one DER
 * certificate. Returns GD_OK with *out; on failure bad_code (or
 * ERR_OUT_OF_MEMORY) with a message naming `source`.
 */
int x509_chain_parse(const unsigned char *data, size_t length, int bad_code,
                     const char *source, x509_chain **out, char *message,
                     size_t message_size);

/* Reads and parses a certificate file: GD_OK with *out, or pem_file_read's
 * codes, or ERR_FILE_CORRUPT when a certificate in it does not parse. */
int x509_chain_read_file(const char *path, x509_chain **out, char *message,
                         size_t message_size);

#endif
