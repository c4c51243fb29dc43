/*
 * dtls_session.h - one DTLS session with one remote address: the mbedTLS
 * context, its datagram I/O on the socket layer's wire (socket.h), its
 * retransmission timer, the datagrams waiting for the handshake to finish;
 * and the table of sessions a server keeps, keyed by address.
 *
 * mbedTLS reads through dtls_session_offer: the filter reads a datagram from
 * the socket, finds the session of its sender and offers it; mbedTLS takes
 * it on its next read. Writes go straight to the socket.
 */
#ifndef ENETCONNECTION_DTLS_SESSION_H
#define ENETCONNECTION_DTLS_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include <enet/enet.h>
#include <mbedtls/ssl.h>
#include <mbedtls/timing.h>

#include "socket.h"

/* Datagrams a client keeps while its handshake runs (ENet's CONNECT and
 * its retransmissions); more are dropped, ENet sends them again. */
#define DTLS_OUTBOX_SIZE 8

/* A DTLS 1.2 record header: type, version, epoch, sequence number, length. */
#define DTLS_RECORD_HEADER_SIZE 13

/* Largest datagram of a handshake flight (mbedTLS cuts larger messages,
 * such as a certificate chain, into fragments): ENet's own default
 * datagram size, which fits any path ENet works on. Open sessions have no
 * limit: ENet sizes its datagrams itself. */
#define DTLS_HANDSHAKE_MTU ENET_HOST_DEFAULT_MTU

typedef enum dtls_session_state {
    DTLS_SESSION_HANDSHAKE,
    DTLS_SESSION_OPEN,
    DTLS_SESSION_FAILED,   /* client only: kept until ENet forgets the peer */
} dtls_session_state;

typedef struct dtls_outgoing {
    unsigned char *data;
    size_t length;
} dtls_outgoing;

typedef struct dtls_session {
    ENetAddress address;
    socket_entry *wire;              /* where its datagrams go */
    dtls_session_state state;
    mbedtls_ssl_context ssl;
    mbedtls_timing_delay_context timer;
    const unsigned char *input;      /* offered datagram, not yet read */
    size_t input_length;
    uint64_t last_seen_ms;           /* last datagram from the remote */
    uint64_t started_ms;             /* client: when the handshake began */
    int answered;                    /* client: the server sent something */
    dtls_outgoing outbox[DTLS_OUTBOX_SIZE];
    size_t outbox_count;
    struct dtls_session *table_next; /* chain in a dtls_table bucket */
    struct dtls_session *handshake_prev, *handshake_next; /* owner's list */
} dtls_session;

/* A new session on `wire` (socket.h) for `address`, set up with `conf` (which must
 * outlive it) and DTLS_HANDSHAKE_MTU, or NULL when out of memory. */
dtls_session *dtls_session_new(const mbedtls_ssl_config *conf, socket_entry *wire,
                               const ENetAddress *address);

/* Frees a session; when `notify` and the session is open, first sends the
 * remote a close_notify alert. NULL is allowed. */
void dtls_session_free(dtls_session *session, int notify);

/* Hands one datagram to mbedTLS's next read (the caller keeps the bytes
 * alive until then), cut to its whole records (a partial record at the end
 * is dropped; a datagram with none offers nothing);
 * dtls_session_has_input tells whether it is unread. */
void dtls_session_offer(dtls_session *session, const unsigned char *datagram,
                        size_t length);
int dtls_session_has_input(const dtls_session *session);
void dtls_session_forget_input(dtls_session *session);

/* Removes the epoch-0 handshake records (and a partial record at the end)
 * from a datagram for an open server session; returns the length left.
 * Such a record is either a stale retransmission, which mbedTLS would drop,
 * or a ClientHello, which mbedTLS 2.28 takes as a possible reconnect: a
 * malformed one from the client's address (anyone can send it) makes it
 * fail the session for good. */
size_t dtls_strip_epoch0_handshakes(unsigned char *datagram, size_t length);

/* Queues a copy of a plaintext datagram for after the handshake. Returns
 * 0, or -1 when the outbox is full or memory is short (dropped). */
int dtls_session_queue(dtls_session *session, const void *data, size_t length);

/* Sends the queued datagrams (the handshake is done) and empties the outbox.
 * Returns 0, or the first mbedTLS error. */
int dtls_session_flush_queue(dtls_session *session);

/* Equality of ENet addresses. */
int dtls_address_equal(const ENetAddress *a, const ENetAddress *b);

/* A server's sessions by remote address: chained hashing, fixed bucket
 * count chosen from the expected number of sessions. */
typedef struct dtls_table {
    dtls_session **buckets;
    size_t mask;      /* bucket count - 1 (a power of two) */
    size_t count;
} dtls_table;

/* Returns 0, or -1 when out of memory. */
int dtls_table_init(dtls_table *table, size_t expected);
/* Frees every session (see dtls_session_free) and the buckets. */
void dtls_table_free(dtls_table *table, int notify);
dtls_session *dtls_table_find(const dtls_table *table, const ENetAddress *address);
void dtls_table_insert(dtls_table *table, dtls_session *session);
/* Unlinks a session (does not free it). */
void dtls_table_remove(dtls_table *table, dtls_session *session);
/* Calls visit(session, context) for each session; visit may remove (and
 * free) the session it is given, and no other. */
void dtls_table_each(dtls_table *table, void (*visit)(dtls_session *, void *),
                     void *context);

#endif
