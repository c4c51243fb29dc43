/*
 * crypto.h - RSA key generation and self-signed certificates (what
 * Godot's Crypto does for TLS). No Lua here: the Crypto table is in
 * crypto_lua.c. Failures return a Godot Error code with a message.
 */
#ifndef ENETCONNECTION_CRYPTO_H
#define ENETCONNECTION_CRYPTO_H

#include <stddef.h>

#include "crypto_key.h"
#include "x509.h"

#define CRYPTO_RSA_BITS_MIN 1024
#define CRYPTO_RSA_BITS_MAX 8192 /* mbedTLS's MBEDTLS_MPI_MAX_BITS */

/* A new RSA private key of `bits` bits (even, in the range above):
 * GD_OK with *out (one reference), or a code and message. */
int crypto_generate_rsa_key(unsigned bits, crypto_key_value **out, char *message,
                            size_t message_size);

/* True when `date` is YYYYMMDDhhmmss with plausible field values. */
int crypto_date_is_valid(const char *date);

/* Whether the distinguished name `subject` ("CN=name,O=...", mbedTLS's
 * syntax: comma-separated, "\\," for a comma in a value) has a non-empty
 * common name ("CN=" or "commonName="): GD_OK, or ERR_INVALID_PARAMETER
 * with a message that says what to write. */
int crypto_subject_check(const char *subject, char *message, size_t message_size);

/* Builds, signs and parses back a self-signed certificate for the private
 * `key`: version 3, SHA-256, random 20-byte serial, CA:TRUE with path
 * length 0, issuer = subject = `issuer`; dates as crypto_date_is_valid.
 * GD_OK with *out (one reference); ERR_INVALID_PARAMETER for a malformed
 * name or date, another code otherwise, with a message. */
int crypto_self_signed_certificate(crypto_key_value *key, const char *issuer,
                                   const char *not_before, const char *not_after,
                                   x509_chain **out, char *message, size_t message_size);

#endif
