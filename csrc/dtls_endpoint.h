/*
 * dtls_endpoint.h - the state of one host's DTLS filter, shared by the two
 * files that make it: dtls_setup.c configures an endpoint and installs it
 * on the socket layer; dtls_filter.c runs it inside ENet's socket calls.
 * Private to those two files; others use dtls_filter.h.
 */
#ifndef ENETCONNECTION_DTLS_ENDPOINT_H
#define ENETCONNECTION_DTLS_ENDPOINT_H

#include <stdint.h>

#include <mbedtls/ssl.h>
#include <mbedtls/ssl_cookie.h>
#include <mbedtls/x509_crt.h>

#include "drbg.h"
#include "dtls_session.h"
#include "socket.h"
#include "tls_options.h"

/* Room for the largest record mbedTLS accepts (16 KiB plus overhead). */
#define DTLS_DATAGRAM_MAX (MBEDTLS_SSL_IN_CONTENT_LEN + 1024)
#define DTLS_PLAINTEXT_MAX ENET_PROTOCOL_MAXIMUM_MTU
#define DTLS_ERROR_SIZE 256
/* Remotes whose session failed, waiting for the binding to end their ENet
 * peers (dtls_filter_take_failed); more are left to ENet's timeout. */
#define DTLS_FAILED_QUEUE 8

typedef struct dtls_endpoint {
    int is_server;
    ENetSocket socket;            /* the host's: names remotes in messages */
    tls_options *options;         /* one reference */
    char *check_name;             /* client: the name the certificate must bear;
                                     NULL for client_unsafe (none checked) */
    drbg rng;
    mbedtls_ssl_config conf;
    mbedtls_ssl_cookie_ctx cookies;   /* server */
    mbedtls_x509_crt system_cas;      /* client with no trusted chain */
    dtls_table sessions;          /* server */
    size_t max_sessions;          /* server */
    dtls_session *listener;       /* server: answers unknown senders */
    dtls_session *client;         /* client: the one session */
    dtls_session *handshakes;     /* sessions in handshake, linked */
    size_t handshake_count;
    dtls_session *unread;         /* its last datagram may hold more records */
    uint64_t now_ms, next_sweep_ms;
    int refusing;                 /* server: start no session with a new address */
    ENetAddress failed[DTLS_FAILED_QUEUE]; /* see dtls_filter_take_failed */
    size_t failed_count;
    int error_code;               /* last failure (GD_OK: none), see */
    char error[DTLS_ERROR_SIZE];  /* dtls_filter_last_error */
    unsigned char datagram[DTLS_DATAGRAM_MAX];
    unsigned char plaintext[DTLS_PLAINTEXT_MAX];
} dtls_endpoint;

/* The socket-layer filter that runs `d` (dtls_filter.c). */
socket_filter dtls_endpoint_filter(dtls_endpoint *d);

/* Frees the endpoint, its sessions and its mbedTLS state (every structure
 * must have been initialised). */
void dtls_endpoint_free(dtls_endpoint *d);

#endif
