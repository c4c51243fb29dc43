/*
 * tls_options.h - the C view of a TLSOptions (Godot's TLSOptions): what a
 * DTLS endpoint proves and checks. No Lua here: the class is in tls_lua.c.
 *
 * Options are immutable once made and a shared value (shared_value.h): the
 * Lua object holds one reference, a DTLS filter takes its own, so the
 * options outlive the Lua object when needed. The key and certificates
 * inside are shared values too (crypto_key.h, x509.h): loading new content
 * into the CryptoKey or X509Certificate objects used to make the options
 * does not change them.
 */
#ifndef ENETCONNECTION_TLS_OPTIONS_H
#define ENETCONNECTION_TLS_OPTIONS_H

#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#include "crypto_key.h"
#include "x509.h"

/* Where a client with no trusted chain finds the system's CAs (Debian). */
#define TLS_SYSTEM_CA_FILE "/etc/ssl/certs/ca-certificates.crt"

enum tls_options_kind {
    TLS_OPTIONS_CLIENT,         /* verify the chain and the name */
    TLS_OPTIONS_CLIENT_UNSAFE,  /* name never checked; the chain only when given */
    TLS_OPTIONS_SERVER,         /* own key and certificate */
};

typedef struct tls_options tls_options;

/* Client options (one reference): `trusted` (NULL: the system CAs, or
 * none for client_unsafe) gets a reference of its own, the name (NULL:
 * none) is copied. NULL when out of memory. */
tls_options *tls_options_new_client(enum tls_options_kind kind, x509_chain *trusted,
                                    const char *common_name_override);

/* Server options (one reference) holding references to `key` and
 * `certificate`, which the caller checked. NULL when out of memory. */
tls_options *tls_options_new_server(crypto_key_value *key, x509_chain *certificate);

enum tls_options_kind tls_options_kind(const tls_options *options);
/* Clients: the name checked instead of the hostname, or NULL for none. */
const char *tls_options_common_name_override(const tls_options *options);

/* The shared values inside, NULL where absent: a client's trusted chain,
 * a server's key and certificate chain. */
x509_chain *tls_options_trusted(const tls_options *options);
crypto_key_value *tls_options_key(const tls_options *options);
x509_chain *tls_options_certificate(const tls_options *options);

/* The same as mbedTLS structures, for configuring DTLS. */
mbedtls_x509_crt *tls_options_trusted_chain(const tls_options *options);
mbedtls_pk_context *tls_options_private_key(const tls_options *options);
mbedtls_x509_crt *tls_options_own_certificate(const tls_options *options);

#endif
