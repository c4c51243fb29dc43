/*
 * dtls_setup.c - builds a host's DTLS filter (see dtls_filter.h): the
 * mbedTLS configuration of a server (certificate, cookies, session table)
 * or a client (trusted CAs, the name to check), then hands it to the
 * socket layer. The running filter is in dtls_filter.c.
 */
#include "dtls_filter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/error.h>

#include "dtls_endpoint.h"
#include "godot_error.h"
#include "mbedtls_compat.h"
#include "shared_value.h"

#include "visibility.h" /* last: hides what this file defines */

static int mbedtls_failure(int ret, const char *what, char *message, size_t size)
{
    char reason[128];
    mbedtls_strerror(ret, reason, sizeof reason);
    snprintf(message, size, "%s: %s", what, reason);
    return ret == MBEDTLS_ERR_SSL_ALLOC_FAILED ? GD_ERR_OUT_OF_MEMORY : GD_FAILED;
}

/* A new endpoint with every mbedTLS structure initialised (so
 * dtls_endpoint_free works at any point) and the common DTLS configuration
 * done. *out is set whenever memory was allocated, even on failure. */
static int endpoint_new(ENetHost *host, tls_options *options, int is_server,
                        dtls_endpoint **out, char *message, size_t size)
{
    if (!socket_layer_active()) {
        snprintf(message, size, "DTLS is unavailable: libenet was loaded before this "
                                "module, so its datagrams bypass the socket layer "
                                "(require enetconnection before other ENet bindings, "
                                "and do not LD_PRELOAD libenet)");
        return GD_ERR_UNAVAILABLE;
    }
    if (socket_layer_filter(host->socket) != NULL) {
        snprintf(message, size, "DTLS is already set up on this host (once per host: "
                                "destroy it and create a new one to change it)");
        return GD_FAILED; /* Godot's code for any setup its ENet refuses */
    }
    dtls_endpoint *d = calloc(1, sizeof *d);
    if (d == NULL) {
        snprintf(message, size, "out of memory setting up DTLS");
        return GD_ERR_OUT_OF_MEMORY;
    }
    d->is_server = is_server;
    d->socket = host->socket;
    d->options = shared_value_retain(options);
    mbedtls_ssl_config_init(&d->conf);
    mbedtls_ssl_cookie_init(&d->cookies);
    mbedtls_x509_crt_init(&d->system_cas);
    *out = d;
    int ret = drbg_seed(&d->rng, is_server ? "enetconnection dtls server"
                                           : "enetconnection dtls client");
    if (ret != 0)
        return mbedtls_failure(ret, "cannot seed the random generator", message, size);
    ret = mbedtls_ssl_config_defaults(&d->conf,
                                      is_server ? MBEDTLS_SSL_IS_SERVER : MBEDTLS_SSL_IS_CLIENT,
                                      MBEDTLS_SSL_TRANSPORT_DATAGRAM,
                                      MBEDTLS_SSL_PRESET_DEFAULT);
    if (ret != 0)
        return mbedtls_failure(ret, "cannot configure DTLS", message, size);
    mbedtls_ssl_conf_rng(&d->conf, drbg_random, drbg_context(&d->rng));
    mbed_ssl_conf_min_dtls_1_2(&d->conf);
    mbedtls_ssl_conf_handshake_timeout(&d->conf, DTLS_RETRANSMIT_MIN_MS,
                                       DTLS_RETRANSMIT_MAX_MS);
    return GD_OK;
}

/* Hands the endpoint to the socket layer, or frees it on failure. */
static int endpoint_install(ENetHost *host, dtls_endpoint *d, int code,
                            char *message, size_t size)
{
    if (code == GD_OK) {
        socket_filter filter = dtls_endpoint_filter(d);
        if (socket_layer_set_filter(host->socket, &filter) == 0)
            return GD_OK;
        snprintf(message, size, "the host's socket is not registered with the socket layer");
        code = GD_ERR_UNCONFIGURED;
    }
    if (d != NULL)
        dtls_endpoint_free(d);
    return code;
}

static int configure_server(dtls_endpoint *d, ENetHost *host, char *message, size_t size)
{
    d->max_sessions = host->peerCount + DTLS_HANDSHAKE_MAX;
    if (dtls_table_init(&d->sessions, d->max_sessions) != 0) {
        snprintf(message, size, "out of memory setting up DTLS");
        return GD_ERR_OUT_OF_MEMORY;
    }
    int ret = mbedtls_ssl_conf_own_cert(&d->conf, tls_options_own_certificate(d->options),
                                        tls_options_private_key(d->options));
    if (ret == 0)
        ret = mbedtls_ssl_cookie_setup(&d->cookies, drbg_random, drbg_context(&d->rng));
    if (ret != 0)
        return mbedtls_failure(ret, "cannot set up the DTLS server", message, size);
    mbedtls_ssl_conf_dtls_cookies(&d->conf, mbedtls_ssl_cookie_write,
                                  mbedtls_ssl_cookie_check, &d->cookies);
    return GD_OK;
}

int dtls_filter_install_server(ENetHost *host, tls_options *options,
                               char *message, size_t message_size)
{
    dtls_endpoint *d = NULL;
    int code = endpoint_new(host, options, 1, &d, message, message_size);
    if (code == GD_OK)
        code = configure_server(d, host, message, message_size);
    return endpoint_install(host, d, code, message, message_size);
}

/* As Godot: TLSOptions.client verifies the chain (the given one, else the
 * system CAs) and the name; client_unsafe never checks the name, and
 * verifies the chain only when it was given one (with none it checks
 * nothing). The name is skipped by not giving mbedTLS one, so a chain it
 * is given is still required to verify. */
static int configure_client(dtls_endpoint *d, const char *hostname, char *message,
                            size_t size)
{
    int unsafe = tls_options_kind(d->options) == TLS_OPTIONS_CLIENT_UNSAFE;
    mbedtls_x509_crt *trusted = tls_options_trusted_chain(d->options);
    if (!unsafe) {
        const char *override = tls_options_common_name_override(d->options);
        d->check_name = strdup(override != NULL ? override : hostname);
        if (d->check_name == NULL) {
            snprintf(message, size, "out of memory setting up DTLS");
            return GD_ERR_OUT_OF_MEMORY;
        }
    }
    if (trusted == NULL && !unsafe) {
        int ret = mbedtls_x509_crt_parse_file(&d->system_cas, TLS_SYSTEM_CA_FILE);
        if (ret < 0) { /* > 0: some certificates were skipped, the rest serve */
            char reason[128];
            mbedtls_strerror(ret, reason, sizeof reason);
            snprintf(message, size, "cannot load the system CAs from %s (%s): install "
                                    "ca-certificates or pass a trusted chain",
                     TLS_SYSTEM_CA_FILE, reason);
            return GD_ERR_FILE_CANT_OPEN;
        }
        trusted = &d->system_cas;
    }
    mbedtls_ssl_conf_authmode(&d->conf, trusted != NULL ? MBEDTLS_SSL_VERIFY_REQUIRED
                                                        : MBEDTLS_SSL_VERIFY_NONE);
    if (trusted != NULL)
        mbedtls_ssl_conf_ca_chain(&d->conf, trusted, NULL);
    return GD_OK;
}

int dtls_filter_install_client(ENetHost *host, const char *hostname,
                               tls_options *options, char *message,
                               size_t message_size)
{
    dtls_endpoint *d = NULL;
    int code = endpoint_new(host, options, 0, &d, message, message_size);
    if (code == GD_OK)
        code = configure_client(d, hostname, message, message_size);
    return endpoint_install(host, d, code, message, message_size);
}
