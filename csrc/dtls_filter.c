/*
 * dtls_filter.c - the running DTLS filter of an ENet host (see
 * dtls_filter.h; dtls_setup.c builds it). Runs inside ENet's calls to
 * enet_socket_send/receive: no Lua here, and nothing here calls back into
 * ENet.
 */
#include "dtls_filter.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>

#include "buffers.h"
#include "dtls_endpoint.h"
#include "godot_error.h"
#include "mbedtls_compat.h"
#include "shared_value.h"
#include "tls_alert.h"

#include "visibility.h" /* last: hides what this file defines */

#define SWEEP_INTERVAL_MS 1000
#define DATAGRAMS_PER_RECEIVE 64

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- failures ----------------------------------------------------------- */

/* Records a formatted message as the endpoint's last failure. */
__attribute__((format(printf, 3, 4))) static void
record_failure(dtls_endpoint *d, int code, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(d->error, sizeof d->error, format, args);
    va_end(args);
    d->error_code = code;
}

/* "a.b.c.d:port" or "[v6]:port" of a session's remote, into `text`. */
static const char *remote_text(const dtls_endpoint *d, const dtls_session *s, char *text,
                               size_t size)
{
    socket_layer_remote_text(d->socket, &s->address, text, size);
    return text;
}

/* What a client can do about a certificate it refused, from mbedTLS's
 * verification flags. */
static const char *verify_advice(uint32_t flags)
{
    if (flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED)
        return "pass the server's certificate or its CA as trusted_chain to TLSOptions.client";
    if (flags & MBEDTLS_X509_BADCERT_CN_MISMATCH)
        return "give dtls_client_setup the name in the certificate (its CN), "
               "or TLSOptions.client(chain, common_name_override)";
    if (flags & (MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE))
        return "renew the certificate, or check this machine's clock";
    if (flags & MBEDTLS_X509_BADCERT_BAD_KEY)
        return "the server needs an RSA key of 2048 bits or more";
    return "check the server's certificate";
}

/* Records why mbedTLS gave up on a session (`ret` is its error). */
static void record_mbedtls_failure(dtls_endpoint *d, const dtls_session *s, int ret)
{
    char remote[SOCKET_REMOTE_TEXT_SIZE], detail[160];
    remote_text(d, s, remote, sizeof remote);
    switch (ret) {
    case MBEDTLS_ERR_X509_CERT_VERIFY_FAILED:
        mbedtls_x509_crt_verify_info(detail, sizeof detail, "",
                                     mbedtls_ssl_get_verify_result(&s->ssl));
        for (char *p = detail; *p != '\0'; p++) /* one line per reason */
            if (*p == '\n')
                *p = p[1] != '\0' ? ';' : '\0';
        /* The advice first: a long list of reasons may be cut. */
        record_failure(d, GD_ERR_UNAUTHORIZED, "the certificate of %s was refused (%s): %s",
                       remote, verify_advice(mbedtls_ssl_get_verify_result(&s->ssl)), detail);
        break;
    case MBEDTLS_ERR_SSL_TIMEOUT:
        record_failure(d, GD_ERR_TIMEOUT,
                       "the DTLS handshake with %s timed out: %s answered, then stopped for "
                       "over a minute", remote, remote);
        break;
    case MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE: {
        int alert = mbed_ssl_received_alert(&s->ssl);
        const char *name = tls_alert_name(alert);
        record_failure(d, GD_ERR_CONNECTION_ERROR,
                       "%s ended the DTLS handshake with fatal alert %d%s%s%s", remote, alert,
                       name ? " (" : "", name ? name : "", name ? ")" : "");
        break;
    }
    default:
        mbedtls_strerror(ret, detail, sizeof detail);
        record_failure(d, GD_ERR_CONNECTION_ERROR, "DTLS with %s failed: %s", remote, detail);
        break;
    }
}

/* ---- bookkeeping -------------------------------------------------------- */

static void handshake_list_add(dtls_endpoint *d, dtls_session *s)
{
    s->handshake_prev = NULL;
    s->handshake_next = d->handshakes;
    if (d->handshakes != NULL)
        d->handshakes->handshake_prev = s;
    d->handshakes = s;
    d->handshake_count++;
}

static void handshake_list_remove(dtls_endpoint *d, dtls_session *s)
{
    if (s->handshake_prev == NULL && d->handshakes != s)
        return; /* not in the list */
    if (s->handshake_prev != NULL)
        s->handshake_prev->handshake_next = s->handshake_next;
    else
        d->handshakes = s->handshake_next;
    if (s->handshake_next != NULL)
        s->handshake_next->handshake_prev = s->handshake_prev;
    s->handshake_prev = s->handshake_next = NULL;
    d->handshake_count--;
}

/* Unlinks a session from everything and frees it. */
static void endpoint_forget(dtls_endpoint *d, dtls_session *s, int notify)
{
    handshake_list_remove(d, s);
    if (d->unread == s)
        d->unread = NULL;
    if (d->is_server)
        dtls_table_remove(&d->sessions, s);
    else if (d->client == s)
        d->client = NULL;
    dtls_session_free(s, notify);
}

/* Queues the remote of a failed session whose ENet peer must end now
 * (dtls_filter_take_failed); a full queue leaves it to ENet's timeout. */
static void queue_failed(dtls_endpoint *d, const dtls_session *s)
{
    for (size_t i = 0; i < d->failed_count; i++)
        if (dtls_address_equal(&d->failed[i], &s->address))
            return;
    if (d->failed_count < DTLS_FAILED_QUEUE)
        d->failed[d->failed_count++] = s->address;
}

/* A session that failed, its reason recorded. A server forgets it (the
 * remote may start over), and an open one's ENet peer must end. A client
 * keeps it, failed, so that ENet's retransmitted CONNECTs do not start
 * handshake after handshake, until its ENet peer ends (the binding ends it
 * at once: dtls_filter_take_failed; peer_gone then clears the session). */
static void session_end_failed(dtls_endpoint *d, dtls_session *s)
{
    if (!d->is_server || s->state == DTLS_SESSION_OPEN)
        queue_failed(d, s);
    if (d->is_server) {
        endpoint_forget(d, s, 0);
        return;
    }
    handshake_list_remove(d, s);
    dtls_session_forget_input(s);
    s->state = DTLS_SESSION_FAILED;
}

/* A session whose handshake or record layer failed with mbedTLS error `ret`. */
static void session_fail(dtls_endpoint *d, dtls_session *s, int ret)
{
    record_mbedtls_failure(d, s, ret);
    session_end_failed(d, s);
}

/* ---- the record layer --------------------------------------------------- */

/* Runs a session's handshake as far as it goes: takes the offered datagram,
 * or resends the last flight when the timer ran out. Returns 0, or -1 when
 * the session failed (a server's is then freed). */
static int session_handshake(dtls_endpoint *d, dtls_session *s)
{
    /* A retransmission returns before reading: then read on the next round. */
    for (int round = 0; round < 3; round++) {
        int r = mbedtls_ssl_handshake(&s->ssl);
        if (r == 0) {
            handshake_list_remove(d, s);
            s->state = DTLS_SESSION_OPEN;
            mbedtls_ssl_set_mtu(&s->ssl, 0); /* ENet sizes its own datagrams */
            r = dtls_session_flush_queue(s);
            if (r == 0)
                return 0;
            session_fail(d, s, r);
            return -1;
        }
        if (r != MBEDTLS_ERR_SSL_WANT_READ && r != MBEDTLS_ERR_SSL_WANT_WRITE) {
            session_fail(d, s, r);
            return -1;
        }
        if (!dtls_session_has_input(s))
            return 0;
    }
    dtls_session_forget_input(s);
    return 0;
}

/* Reads one ENet datagram from an open session into out. Returns its
 * length, or 0 when the input held none (handshake records, replays,
 * forgeries, alerts, a record too large for ENet). */
static int session_read(dtls_endpoint *d, dtls_session *s, unsigned char *out,
                        size_t room)
{
    d->unread = NULL;
    int r = mbedtls_ssl_read(&s->ssl, out, room);
    if (r > 0 && mbedtls_ssl_get_bytes_avail(&s->ssl) > 0) {
        /* A record larger than ENet's buffer is no ENet datagram: drop it. */
        while (mbedtls_ssl_get_bytes_avail(&s->ssl) > 0 &&
               mbedtls_ssl_read(&s->ssl, d->datagram, sizeof d->datagram) > 0) {
        }
        r = MBEDTLS_ERR_SSL_WANT_READ;
    }
    if (r > 0) {
        if (mbedtls_ssl_check_pending(&s->ssl))
            d->unread = s;
        return r;
    }
    if (r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE)
        return 0;
    if (r == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)
        endpoint_forget(d, s, 0);
    else
        session_fail(d, s, r);
    return 0;
}

/* Encrypts one ENet datagram to an open session. */
static int session_write(dtls_endpoint *d, dtls_session *s,
                         const unsigned char *data, size_t length)
{
    int r = mbedtls_ssl_write(&s->ssl, data, length);
    if (r >= 0)
        return (int)length;
    if (r == MBEDTLS_ERR_SSL_WANT_WRITE || r == MBEDTLS_ERR_SSL_WANT_READ)
        return 0;
    if (r == MBEDTLS_ERR_NET_SEND_FAILED)
        return -1;
    session_fail(d, s, r);
    return 0;
}

/* ---- server: accepting new remotes -------------------------------------- */

/* A DTLS record carrying a ClientHello in epoch 0. */
static int looks_like_client_hello(const unsigned char *p, size_t length)
{
    return length >= 25 && p[0] == 22 /* handshake */ && p[1] == 0xfe &&
           p[3] == 0 && p[4] == 0 /* epoch 0 */ && p[13] == 1 /* client_hello */;
}

/* A datagram from an address with no session: only a ClientHello with a
 * valid cookie (proof the sender owns its address) earns a session; the
 * listener answers the rest with a HelloVerifyRequest or drops them. */
static void server_accept(dtls_endpoint *d, socket_entry *wire, const ENetAddress *address,
                          const unsigned char *datagram, size_t length)
{
    if (length < DTLS_RECORD_HEADER_SIZE || datagram[1] != 0xfe || datagram[0] < 20 ||
        datagram[0] > 23) {
        socket_wire_fault(wire, address, SOCKET_FAULT_NOT_DTLS); /* plain ENet? */
        return;
    }
    if (d->refusing || !looks_like_client_hello(datagram, length) ||
        d->handshake_count >= DTLS_HANDSHAKE_MAX || d->sessions.count >= d->max_sessions)
        return;
    if (d->listener == NULL) {
        d->listener = dtls_session_new(&d->conf, wire, address);
        if (d->listener == NULL)
            return;
    }
    dtls_session *l = d->listener;
    l->address = *address;
    unsigned char id[6];
    memcpy(id, &address->host, 4);
    id[4] = (unsigned char)(address->port >> 8);
    id[5] = (unsigned char)(address->port & 0xff);
    if (mbedtls_ssl_set_client_transport_id(&l->ssl, id, sizeof id) != 0)
        return;
    dtls_session_offer(l, datagram, length);
    int r = mbedtls_ssl_handshake(&l->ssl);
    dtls_session_forget_input(l);
    if ((r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE) &&
        mbed_ssl_past_client_hello(&l->ssl)) {
        d->listener = NULL; /* the cookie was good: it becomes the session */
        l->last_seen_ms = d->now_ms;
        dtls_table_insert(&d->sessions, l);
        handshake_list_add(d, l);
        return;
    }
    mbedtls_ssl_session_reset(&l->ssl); /* HelloVerifyRequest sent, or junk */
}

/* ---- housekeeping ------------------------------------------------------- */

static void expire_if_idle(dtls_session *s, void *context)
{
    dtls_endpoint *d = context;
    if (s->state == DTLS_SESSION_OPEN && d->now_ms - s->last_seen_ms > DTLS_SESSION_IDLE_MS)
        endpoint_forget(d, s, 1);
}

/* A client's handshake that got no datagram at all from the server within
 * DTLS_NO_ANSWER_MS: nothing DTLS listens there (docs/dtls.md). */
static void client_check_answer(dtls_endpoint *d)
{
    dtls_session *s = d->client;
    if (s == NULL || s->state != DTLS_SESSION_HANDSHAKE || s->answered ||
        d->now_ms - s->started_ms < DTLS_NO_ANSWER_MS)
        return;
    char remote[SOCKET_REMOTE_TEXT_SIZE];
    record_failure(d, GD_ERR_TIMEOUT,
                   "no DTLS answer from %s in %d s: is a DTLS server running there "
                   "(dtls_server_setup), and not refusing new connections?",
                   remote_text(d, s, remote, sizeof remote), DTLS_NO_ANSWER_MS / 1000);
    session_end_failed(d, s);
}

/* Drives handshake retransmissions and timeouts; once a second, ends idle
 * server sessions (ENet pings every peer, so a live one is never idle). */
static void endpoint_tick(dtls_endpoint *d)
{
    d->now_ms = now_ms();
    if (!d->is_server)
        client_check_answer(d);
    dtls_session *s = d->handshakes;
    while (s != NULL) {
        dtls_session *next = s->handshake_next;
        session_handshake(d, s);
        s = next;
    }
    if (d->is_server && d->now_ms >= d->next_sweep_ms) {
        d->next_sweep_ms = d->now_ms + SWEEP_INTERVAL_MS;
        dtls_table_each(&d->sessions, expire_if_idle, d);
    }
}

/* ---- the filter --------------------------------------------------------- */

/* The client's session for `to`, started on ENet's first datagram. */
static dtls_session *client_session(dtls_endpoint *d, socket_entry *wire,
                                    const ENetAddress *to)
{
    if (d->client == NULL) {
        dtls_session *s = dtls_session_new(&d->conf, wire, to);
        if (s == NULL)
            return NULL;
        /* No name (client_unsafe): mbedTLS checks none and sends no SNI. */
        if (mbed_ssl_set_check_name(&s->ssl, d->check_name) != 0) {
            dtls_session_free(s, 0);
            return NULL;
        }
        d->error_code = GD_OK; /* a new attempt: forget the last failure */
        s->last_seen_ms = s->started_ms = now_ms();
        d->client = s;
        handshake_list_add(d, s);
        session_handshake(d, s); /* sends the ClientHello */
    }
    return dtls_address_equal(&d->client->address, to) ? d->client : NULL;
}

static int filter_send(void *context, socket_entry *wire, const ENetAddress *to,
                       const ENetBuffer *buffers, size_t count)
{
    dtls_endpoint *d = context;
    size_t length = buffers_length(buffers, count);
    if (length > DTLS_PLAINTEXT_MAX || to == NULL) {
        errno = to == NULL ? EDESTADDRREQ : EMSGSIZE;
        return -1;
    }
    const unsigned char *data = d->plaintext;
    if (count == 1)
        data = buffers[0].data;
    else
        buffers_gather(d->plaintext, length, buffers, count);
    dtls_session *s = d->is_server ? dtls_table_find(&d->sessions, to)
                                   : client_session(d, wire, to);
    if (s == NULL)
        return 0; /* no session with that address (any more): dropped */
    switch (s->state) {
    case DTLS_SESSION_OPEN:
        return session_write(d, s, data, length);
    case DTLS_SESSION_HANDSHAKE:
        if (d->is_server)
            return 0;
        dtls_session_queue(s, data, length); /* when full, ENet resends */
        return (int)length;
    default:
        return 0;
    }
}

static int filter_receive(void *context, socket_entry *wire, ENetAddress *from,
                          ENetBuffer *buffers, size_t count)
{
    dtls_endpoint *d = context;
    if (count < 1)
        return -1;
    unsigned char *out = buffers[0].data;
    size_t room = buffers[0].dataLength;
    endpoint_tick(d);
    if (d->unread != NULL) { /* more records in the last datagram */
        dtls_session *s = d->unread;
        int got = session_read(d, s, out, room);
        if (got > 0) {
            *from = s->address;
            return got;
        }
    }
    for (int i = 0; i < DATAGRAMS_PER_RECEIVE; i++) {
        ENetBuffer in = { .data = d->datagram, .dataLength = sizeof d->datagram };
        ENetAddress address;
        int length = socket_wire_receive(wire, &address, &in, 1);
        if (length <= 0)
            return length;
        dtls_session *s = d->is_server ? dtls_table_find(&d->sessions, &address)
                          : (d->client != NULL &&
                             dtls_address_equal(&d->client->address, &address))
                              ? d->client
                              : NULL;
        if (s == NULL) {
            if (d->is_server)
                server_accept(d, wire, &address, d->datagram, (size_t)length);
            continue;
        }
        if (d->is_server && s->state == DTLS_SESSION_OPEN) {
            /* A ClientHello from the address of an open session is not
             * offered: a client restarting on the same port gets a new
             * session once ENet has forgotten its old peer. */
            length = (int)dtls_strip_epoch0_handshakes(d->datagram, (size_t)length);
        }
        s->last_seen_ms = d->now_ms;
        s->answered = 1;
        /* An open session's application data that yields nothing did not
         * authenticate (or was replayed). */
        int application_data = s->state == DTLS_SESSION_OPEN && length > 0 &&
                               d->datagram[0] == 23;
        dtls_session_offer(s, d->datagram, (size_t)length);
        if (s->state == DTLS_SESSION_HANDSHAKE) {
            /* The datagram ending the handshake may carry records after it. */
            if (session_handshake(d, s) != 0 || s->state != DTLS_SESSION_OPEN ||
                !mbedtls_ssl_check_pending(&s->ssl))
                continue;
        }
        if (s->state == DTLS_SESSION_FAILED) {
            dtls_session_forget_input(s);
            continue;
        }
        int got = session_read(d, s, out, room);
        if (got > 0) {
            *from = address;
            return got;
        }
        if (application_data)
            socket_wire_fault(wire, &address, SOCKET_FAULT_UNDECRYPTED);
    }
    return 0;
}

static void filter_peer_gone(void *context, const ENetAddress *address)
{
    dtls_endpoint *d = context;
    dtls_session *s = d->is_server ? dtls_table_find(&d->sessions, address) : d->client;
    if (s == NULL || !dtls_address_equal(&s->address, address))
        return;
    if (s->state == DTLS_SESSION_HANDSHAKE) {
        char remote[SOCKET_REMOTE_TEXT_SIZE];
        if (s->answered)
            record_failure(d, GD_ERR_TIMEOUT,
                           "the DTLS handshake with %s had not finished when ENet gave up "
                           "on the peer (its timeout: peer:set_timeout)",
                           remote_text(d, s, remote, sizeof remote));
        else
            record_failure(d, GD_ERR_TIMEOUT,
                           "no DTLS answer from %s: ENet gave up on the peer before the "
                           "handshake finished (is a DTLS server running there?)",
                           remote_text(d, s, remote, sizeof remote));
    }
    endpoint_forget(d, s, 1);
}

void dtls_endpoint_free(dtls_endpoint *d)
{
    if (d->is_server)
        dtls_table_free(&d->sessions, 1);
    dtls_session_free(d->listener, 0);
    dtls_session_free(d->client, 1);
    mbedtls_ssl_config_free(&d->conf);
    mbedtls_ssl_cookie_free(&d->cookies);
    mbedtls_x509_crt_free(&d->system_cas);
    drbg_free(&d->rng);
    shared_value_release(d->options);
    free(d->check_name);
    free(d);
}

static void filter_destroy(void *context)
{
    dtls_endpoint_free(context);
}

socket_filter dtls_endpoint_filter(dtls_endpoint *d)
{
    socket_filter filter = {
        filter_send, filter_receive, filter_peer_gone, filter_destroy, d,
    };
    return filter;
}

/* The DTLS endpoint on a socket, or NULL (no filter, or not DTLS). */
static dtls_endpoint *endpoint_of(ENetSocket socket)
{
    const socket_filter *f = socket_layer_filter(socket);
    return f != NULL && f->send == filter_send ? f->ctx : NULL;
}

int dtls_filter_handshaking(ENetSocket socket)
{
    const dtls_endpoint *d = endpoint_of(socket);
    if (d == NULL)
        return 0;
    if (d->handshake_count > 0 || d->failed_count > 0)
        return 1;
    /* A client's first service after connect_to_host starts its handshake. */
    return !d->is_server && (d->client == NULL || d->client->state != DTLS_SESSION_OPEN);
}

int dtls_filter_take_failed(ENetSocket socket, ENetAddress *address)
{
    dtls_endpoint *d = endpoint_of(socket);
    if (d == NULL || d->failed_count == 0)
        return 0;
    *address = d->failed[0];
    d->failed_count--;
    memmove(d->failed, d->failed + 1, d->failed_count * sizeof d->failed[0]);
    return 1;
}

void dtls_filter_refuse_new(ENetSocket socket, int refuse)
{
    dtls_endpoint *d = endpoint_of(socket);
    if (d != NULL)
        d->refusing = refuse;
}

const char *dtls_filter_last_error(ENetSocket socket, int *code)
{
    const dtls_endpoint *d = endpoint_of(socket);
    if (d == NULL)
        return NULL;
    if (d->error_code == GD_OK)
        return NULL;
    *code = d->error_code;
    return d->error;
}
