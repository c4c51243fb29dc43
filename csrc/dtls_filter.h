/*
 * dtls_filter.h - DTLS 1.2 (mbedTLS) as the socket-layer filter of an ENet
 * host (see socket.h). Every ENet datagram travels as one DTLS record.
 *
 * Server: HelloVerify cookies before any per-address state; then one
 * session per remote address; at most DTLS_HANDSHAKE_MAX handshakes at once
 * and peerCount + DTLS_HANDSHAKE_MAX sessions in all; handshakes give up
 * after mbedTLS's retransmission timer runs out (1 s doubling to 8 s, about
 * 15 s); open sessions end on peer_gone, on the remote's close_notify,
 * after DTLS_SESSION_IDLE_MS without a datagram, and on destroy.
 * Client: one session, created by ENet's first datagram (the CONNECT) to
 * the server; ENet's datagrams wait in the session's outbox until the
 * handshake is done.
 * Both: handshake flights are cut into datagrams of at most
 * DTLS_HANDSHAKE_MTU bytes (dtls_session.h); each failure is recorded for
 * dtls_filter_last_error.
 *
 * Setup is in dtls_setup.c, the running filter in dtls_filter.c.
 */
#ifndef ENETCONNECTION_DTLS_FILTER_H
#define ENETCONNECTION_DTLS_FILTER_H

#include <stddef.h>

#include <enet/enet.h>

#include "tls_options.h"

#define DTLS_HANDSHAKE_MAX 64
#define DTLS_SESSION_IDLE_MS 60000
#define DTLS_NO_ANSWER_MS 10000
/* mbedTLS's retransmission timer (Godot 4 keeps mbedTLS's defaults). */
#define DTLS_RETRANSMIT_MIN_MS 1000
#define DTLS_RETRANSMIT_MAX_MS 60000

/* Puts a DTLS server filter on the host's socket, which must have none.
 * `options` must be a server TLSOptions (the filter takes a reference).
 * Returns GD_OK, or an Error code with a message. */
int dtls_filter_install_server(ENetHost *host, tls_options *options,
                               char *message, size_t message_size);

/* Puts a DTLS client filter on the host's socket, which must have none.
 * `options` must be a client TLSOptions; the certificate's name is checked
 * against its common_name_override or else `hostname` (never for
 * client_unsafe), its chain against the trusted chain (the system CAs for
 * TLSOptions.client without one; nothing for client_unsafe without one). */
int dtls_filter_install_client(ENetHost *host, const char *hostname,
                               tls_options *options, char *message,
                               size_t message_size);

/* The last DTLS failure on the host's socket (a handshake refused or timed
 * out, a session broken), with its Error code in *code; NULL when there is
 * none, or no DTLS filter. A client forgets it when it starts a new
 * session. The text stays valid until the next call into the filter. */
const char *dtls_filter_last_error(ENetSocket socket, int *code);

/* True while a failure may be due any moment on the host's DTLS filter:
 * it runs a handshake, holds a failed remote for dtls_filter_take_failed,
 * or is a client without an open session (its next send may start one). */
int dtls_filter_handshaking(ENetSocket socket);

/* Takes the address of a remote whose DTLS session failed (a client's
 * handshake or session; a server's open session) and whose ENet peer must
 * end now; returns 1, or 0 when there is none (or no DTLS filter). The
 * reason is in dtls_filter_last_error already. */
int dtls_filter_take_failed(ENetSocket socket, ENetAddress *address);

/* A server stops (refuse) or resumes starting sessions with new addresses
 * (refuse_new_connections); open sessions and running handshakes go on.
 * No-op without a DTLS filter. */
void dtls_filter_refuse_new(ENetSocket socket, int refuse);

#endif
