/*
 * tls.h - the TLS part of the module (CryptoKey, X509Certificate, Crypto,
 * TLSOptions) and the C view of a TLSOptions that DTLS reads.
 *
 * A TLSOptions is immutable once made and a shared value (shared_value.h):
 * the Lua object holds one reference, a DTLS filter takes its own, so the
 * options outlive the Lua object when needed.
 * The key and certificates inside are shared, immutable values (see
 * crypto_key.h, x509.h): loading new content into the CryptoKey or
 * X509Certificate objects used to make the options does not change them.
 */
#ifndef ENETCONNECTION_TLS_H
#define ENETCONNECTION_TLS_H

#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#include "compat.h"

/* Where a client with no trusted chain finds the system's CAs (Debian). */
#define TLS_SYSTEM_CA_FILE "/etc/ssl/certs/ca-certificates.crt"

enum tls_options_kind {
    TLS_OPTIONS_CLIENT,         /* verify the chain and the name */
    TLS_OPTIONS_CLIENT_UNSAFE,  /* name never checked; the chain only when given */
    TLS_OPTIONS_SERVER,         /* own key and certificate */
};

typedef struct tls_options tls_options;

/* Registers CryptoKey, X509Certificate, Crypto and TLSOptions into the
 * module table on top of the stack (module part "tls"). */
void tls_open(lua_State *L);

/* The options of the TLSOptions at `idx`, or NULL when it is not one. */
tls_options *tls_options_test(lua_State *L, int idx);

/* TLSOptions.client() built from C (system CAs, no override): a new
 * reference, or NULL when out of memory. */
tls_options *tls_options_new_default_client(void);

enum tls_options_kind tls_options_kind(const tls_options *options);
/* Clients: the trusted CA chain, or NULL for TLS_SYSTEM_CA_FILE. */
mbedtls_x509_crt *tls_options_trusted_chain(const tls_options *options);
/* Clients: the name checked instead of the hostname, or NULL for none. */
const char *tls_options_common_name_override(const tls_options *options);
/* Servers: the private key and the certificate chain (never NULL for a
 * server, NULL for clients). */
mbedtls_pk_context *tls_options_private_key(const tls_options *options);
mbedtls_x509_crt *tls_options_own_certificate(const tls_options *options);

#endif
