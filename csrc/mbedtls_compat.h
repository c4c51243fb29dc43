/*
 * mbedtls_compat.h - the only place that knows mbedTLS version differences
 * (as compat.h is for Lua's). Everything else calls mbedTLS's public API
 * that 2.28 and 3.x share, and reads no field of an mbedTLS structure but
 * the public ones of mbedtls_x509_crt (raw, subject, pk, next).
 *
 * Built and tested with 2.28 (Debian 12); the 3.x branches are for 3.6
 * (see docs/dtls.md, "mbedTLS versions", for how they were checked).
 */
#ifndef ENETCONNECTION_MBEDTLS_COMPAT_H
#define ENETCONNECTION_MBEDTLS_COMPAT_H

#include <stddef.h>

#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>

#if MBEDTLS_VERSION_MAJOR < 2 || (MBEDTLS_VERSION_MAJOR == 2 && MBEDTLS_VERSION_MINOR < 28)
#error "enetconnection needs mbedTLS 2.28 or 3.x"
#endif

/* Once before any other mbedTLS call (3.x: PSA crypto). Returns 0 or an
 * mbedTLS error code. Safe to call again. */
int mbed_init(void);

/* Parses a private key (PEM with its NUL counted in `size`, or DER). */
int mbed_pk_parse_private_key(mbedtls_pk_context *pk, const unsigned char *key,
                              size_t size);

/* 0 when `prv` is the private key of `pub`. */
int mbed_pk_check_pair(const mbedtls_pk_context *pub, const mbedtls_pk_context *prv);

/* Refuses anything older than DTLS 1.2. */
void mbed_ssl_conf_min_dtls_1_2(mbedtls_ssl_config *conf);

/* The name the server's certificate must bear; NULL: check no name (and
 * send no SNI). Returns 0 or an mbedTLS error code. */
int mbed_ssl_set_check_name(mbedtls_ssl_context *ssl, const char *name);

/* A server context has taken a ClientHello (with a valid cookie when
 * cookies are on) and moved on to answer it. */
int mbed_ssl_past_client_hello(const mbedtls_ssl_context *ssl);

/* The description byte of the fatal alert the remote sent (after
 * MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE). */
int mbed_ssl_received_alert(const mbedtls_ssl_context *ssl);

/* Sets a certificate's serial number from big-endian bytes. */
int mbed_x509write_crt_set_serial(mbedtls_x509write_cert *writer,
                                  const unsigned char *serial, size_t length);

#endif
