/*
 * test_dtls_handshake_bound.c - a DTLS server filter (dtls_setup.c,
 * dtls_filter.c) under a flood of ClientHellos from many addresses: at
 * most DTLS_HANDSHAKE_MAX handshakes at once and peerCount +
 * DTLS_HANDSHAKE_MAX sessions in all; a handshake that ends, a peer ENet
 * forgets or a remote's close_notify makes room again. The clients are
 * mbedTLS contexts; the socket layer is a stub that carries their
 * datagrams to the filter and the filter's back, by address.
 */
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ssl.h>
#include <mbedtls/timing.h>

#include "buffers.h"
#include "crypto.h"
#include "drbg.h"
#include "dtls_endpoint.h"
#include "dtls_filter.h"
#include "godot_error.h"
#include "shared_value.h"
#include "tap.h"

#define CLIENTS (DTLS_HANDSHAKE_MAX + 8)
#define DATAGRAM_MAX 2048
#define INBOX_MAX 16            /* a flight, and its retransmissions */
#define TO_SERVER_MAX (2 * CLIENTS) /* every client's flight at once */

typedef struct datagram {
    ENetAddress address; /* the sender's, on the way to the server */
    size_t length;
    unsigned char data[DATAGRAM_MAX];
} datagram;

typedef struct queue {
    datagram *items;
    size_t size, head, count;
} queue;

typedef struct client {
    ENetAddress address;
    mbedtls_ssl_context ssl;
    mbedtls_timing_delay_context timer;
    queue inbox;
    int received;   /* datagrams the server sent it */
    int handshake;  /* mbedTLS's last handshake result */
} client;

static client clients[CLIENTS];
static queue to_server;
static int lost; /* a full queue, or the server writing to an unknown address */

static int push(queue *q, const ENetAddress *address, const ENetBuffer *buffers,
                size_t count)
{
    if (q->count == q->size) {
        lost++;
        return 0;
    }
    datagram *d = &q->items[(q->head + q->count) % q->size];
    d->address = *address;
    d->length = 0;
    for (size_t i = 0; i < count; i++) {
        if (d->length + buffers[i].dataLength > DATAGRAM_MAX) {
            lost++;
            return 0;
        }
        memcpy(d->data + d->length, buffers[i].data, buffers[i].dataLength);
        d->length += buffers[i].dataLength;
    }
    q->count++;
    return (int)d->length;
}

/* Takes the oldest datagram into `out` (at most `room` bytes); 0 = none. */
static int pop(queue *q, ENetAddress *from, unsigned char *out, size_t room)
{
    if (q->count == 0)
        return 0;
    datagram *d = &q->items[q->head];
    q->head = (q->head + 1) % q->size;
    q->count--;
    if (from != NULL)
        *from = d->address;
    size_t length = d->length < room ? d->length : room;
    memcpy(out, d->data, length);
    return (int)length;
}

/* ---- the socket layer, stubbed ------------------------------------------ */

static socket_filter installed;
static int has_filter;

int socket_layer_active(void)
{
    return 1;
}

const socket_filter *socket_layer_filter(ENetSocket s)
{
    (void)s;
    return has_filter ? &installed : NULL;
}

int socket_layer_set_filter(ENetSocket s, const socket_filter *filter)
{
    (void)s;
    installed = *filter;
    has_filter = 1;
    return 0;
}

int socket_wire_send(socket_entry *wire, const ENetAddress *to,
                     const ENetBuffer *buffers, size_t count)
{
    (void)wire;
    for (int i = 0; i < CLIENTS; i++)
        if (clients[i].address.host == to->host && clients[i].address.port == to->port) {
            clients[i].received++;
            return push(&clients[i].inbox, to, buffers, count);
        }
    lost++;
    return (int)buffers_length(buffers, count);
}

int socket_wire_receive(socket_entry *wire, ENetAddress *from,
                        ENetBuffer *buffers, size_t count)
{
    (void)wire, (void)count;
    return pop(&to_server, from, buffers[0].data, buffers[0].dataLength);
}

void socket_wire_fault(socket_entry *wire, const ENetAddress *from, socket_fault kind)
{
    (void)wire, (void)from, (void)kind; /* counted by the socket layer: not here */
}

void socket_layer_remote_text(ENetSocket s, const ENetAddress *a, char *text, size_t size)
{
    (void)s;
    snprintf(text, size, "client %u:%d", (unsigned)a->host, (int)a->port);
}

/* ---- the clients -------------------------------------------------------- */

static int client_send(void *context, const unsigned char *data, size_t length)
{
    client *c = context;
    ENetBuffer b = { .data = (void *)data, .dataLength = length };
    return push(&to_server, &c->address, &b, 1);
}

static int client_receive(void *context, unsigned char *data, size_t room)
{
    client *c = context;
    int length = pop(&c->inbox, NULL, data, room);
    return length > 0 ? length : MBEDTLS_ERR_SSL_WANT_READ;
}

static mbedtls_ssl_config client_conf;
static drbg client_rng;

/* Client i on 127.0.0.1:(20000 + i) (an address only: no socket). */
static void client_init(int i)
{
    client *c = &clients[i];
    c->address.host = 0x0100007fu;
    c->address.port = (uint16_t)(20000 + i);
    c->handshake = MBEDTLS_ERR_SSL_WANT_READ;
    c->inbox.size = INBOX_MAX;
    c->inbox.items = calloc(INBOX_MAX, sizeof(datagram));
    mbedtls_ssl_init(&c->ssl);
    mbedtls_ssl_setup(&c->ssl, &client_conf);
    mbedtls_ssl_set_bio(&c->ssl, c, client_send, client_receive, NULL);
    mbedtls_ssl_set_timer_cb(&c->ssl, &c->timer, mbedtls_timing_set_delay,
                             mbedtls_timing_get_delay);
}

/* Client i starts over (a new handshake from the same address). */
static void client_restart(int i)
{
    client *c = &clients[i];
    mbedtls_ssl_session_reset(&c->ssl);
    c->handshake = MBEDTLS_ERR_SSL_WANT_READ;
    c->inbox.count = 0;
    c->received = 0;
}

/* One handshake step of clients [from, to): each reads what it was sent
 * and answers. */
static void clients_step(int from, int to)
{
    for (int i = from; i < to; i++)
        if (clients[i].handshake == MBEDTLS_ERR_SSL_WANT_READ)
            clients[i].handshake = mbedtls_ssl_handshake(&clients[i].ssl);
}

/* The server takes every datagram waiting for it. */
static void server_step(void)
{
    unsigned char out[ENET_PROTOCOL_MAXIMUM_MTU];
    ENetBuffer b = { .data = out, .dataLength = sizeof out };
    ENetAddress from;
    for (int calls = 0; calls < 100 && to_server.count > 0; calls++)
        installed.receive(installed.ctx, NULL, &from, &b, 1);
}

/* Runs clients [from, to) and the server until no client waits any more
 * (bounded in rounds: the handshakes take three round trips). */
static void run(int from, int to)
{
    for (int round = 0; round < 20; round++) {
        clients_step(from, to);
        server_step();
        int waiting = 0;
        for (int i = from; i < to; i++)
            waiting += clients[i].handshake == MBEDTLS_ERR_SSL_WANT_READ &&
                       clients[i].inbox.count > 0;
        if (waiting == 0)
            return;
    }
}

/* How many of clients [from, to) the server has sent something. */
static int answered(int from, int to)
{
    int n = 0;
    for (int i = from; i < to; i++)
        n += clients[i].received > 0;
    return n;
}

static int opened(int from, int to)
{
    int n = 0;
    for (int i = from; i < to; i++)
        n += clients[i].handshake == 0;
    return n;
}

/* ---- the server --------------------------------------------------------- */

/* A server filter for a host of `peers` peers, with a fresh RSA key. */
static dtls_endpoint *server_new(size_t peers)
{
    char message[256];
    crypto_key_value *key = NULL;
    x509_chain *chain = NULL;
    tls_options *options = NULL;
    ENetHost host = { .peerCount = peers };
    int code = crypto_generate_rsa_key(2048, &key, message, sizeof message);
    if (code == GD_OK)
        code = crypto_self_signed_certificate(key, "CN=flood", "20200101000000",
                                              "20500101000000", &chain, message,
                                              sizeof message);
    if (code == GD_OK) {
        options = tls_options_new_server(key, chain);
        code = options != NULL ? dtls_filter_install_server(&host, options, message,
                                                            sizeof message)
                               : GD_ERR_OUT_OF_MEMORY;
    }
    shared_value_release(options);
    shared_value_release(chain);
    shared_value_release(key);
    if (!tap_ok(code == GD_OK, "a DTLS server filter is installed"))
        tap_note("%s", message);
    return code == GD_OK ? installed.ctx : NULL;
}

/* ---- the tests ---------------------------------------------------------- */

/* Clients by role: 0 .. FIRST_REFUSED - 1 get in during the flood, the
 * rest are refused; FIRST_REFUSED, LATE and LAST come back later. */
#define FIRST_REFUSED DTLS_HANDSHAKE_MAX
#define LATE (FIRST_REFUSED + 1)
#define LAST (FIRST_REFUSED + 2)

/* The flood: every client's ClientHello, the server's HelloVerifyRequest,
 * the ClientHello with the cookie; then the server's first flight. */
static void test_flood(const dtls_endpoint *d)
{
    clients_step(0, CLIENTS);
    server_step();
    tap_ok(answered(0, CLIENTS) == CLIENTS && d->sessions.count == 0,
           "every ClientHello without a cookie is answered (HelloVerifyRequest), "
           "and makes no session");
    for (int i = 0; i < CLIENTS; i++)
        clients[i].received = 0;
    clients_step(0, CLIENTS);
    server_step();
    tap_ok(d->handshake_count == DTLS_HANDSHAKE_MAX &&
               d->sessions.count == DTLS_HANDSHAKE_MAX,
           "%d ClientHellos with a cookie start %zu handshakes (at most %d)", CLIENTS,
           d->handshake_count, DTLS_HANDSHAKE_MAX);
    tap_ok(answered(0, FIRST_REFUSED) == FIRST_REFUSED &&
               answered(FIRST_REFUSED, CLIENTS) == 0,
           "the first %d get the server's flight, the others nothing (%d)",
           FIRST_REFUSED, answered(FIRST_REFUSED, CLIENTS));
}

/* ENet forgets one of them: its handshake ends, a refused client gets in. */
static void test_peer_gone_in_handshake(const dtls_endpoint *d)
{
    ENetAddress stranger = { .host = 0x0100007fu, .port = 19999 };
    installed.peer_gone(installed.ctx, &stranger);
    installed.peer_gone(installed.ctx, &clients[0].address);
    tap_ok(d->handshake_count == DTLS_HANDSHAKE_MAX - 1 &&
               d->sessions.count == DTLS_HANDSHAKE_MAX - 1,
           "peer_gone ends that peer's handshake, and only that one");
    client_restart(FIRST_REFUSED);
    clients_step(FIRST_REFUSED, FIRST_REFUSED + 1); /* ClientHello */
    server_step();
    int verify_requests = clients[FIRST_REFUSED].received;
    clients_step(FIRST_REFUSED, FIRST_REFUSED + 1); /* with the cookie */
    server_step();
    tap_ok(verify_requests == 1 && d->handshake_count == DTLS_HANDSHAKE_MAX &&
               clients[FIRST_REFUSED].received > verify_requests,
           "then a client refused before starts over and gets in");
}

/* The handshakes run to the end: open sessions count towards
 * peerCount + DTLS_HANDSHAKE_MAX (the server has one peer). */
static void test_session_bound(const dtls_endpoint *d)
{
    run(1, FIRST_REFUSED + 1);
    int open = opened(1, FIRST_REFUSED + 1);
    tap_ok(open == DTLS_HANDSHAKE_MAX && d->handshake_count == 0 &&
               d->sessions.count == DTLS_HANDSHAKE_MAX,
           "the %d handshakes finish (%d), leaving %d sessions and none in handshake",
           DTLS_HANDSHAKE_MAX, open, DTLS_HANDSHAKE_MAX);
    client_restart(LATE);
    run(LATE, LATE + 1);
    tap_ok(opened(LATE, LATE + 1) == 1 && d->sessions.count == DTLS_HANDSHAKE_MAX + 1,
           "one more session fits (peerCount + %d)", DTLS_HANDSHAKE_MAX);
    client_restart(LAST);
    run(LAST, LAST + 1);
    tap_ok(d->sessions.count == DTLS_HANDSHAKE_MAX + 1 && d->handshake_count == 0 &&
               clients[LAST].received == 0,
           "the next is refused though no handshake runs: the server, full, does not "
           "even answer its ClientHello");
}

/* Open sessions end on the remote's close_notify and on peer_gone. */
static void test_open_sessions_end(const dtls_endpoint *d)
{
    mbedtls_ssl_close_notify(&clients[1].ssl);
    server_step();
    tap_ok(d->sessions.count == DTLS_HANDSHAKE_MAX, "a remote's close_notify ends its session");
    client_restart(LAST);
    run(LAST, LAST + 1);
    tap_ok(opened(LAST, LAST + 1) == 1 && d->sessions.count == DTLS_HANDSHAKE_MAX + 1,
           "and the refused client now gets its session");

    clients[2].received = 0;
    installed.peer_gone(installed.ctx, &clients[2].address);
    unsigned char plain[64];
    int r = mbedtls_ssl_read(&clients[2].ssl, plain, sizeof plain);
    tap_ok(d->sessions.count == DTLS_HANDSHAKE_MAX && clients[2].received == 1 &&
               r == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY,
           "peer_gone ends an open session and tells the remote (close_notify)");
}

int main(void)
{
    mbedtls_ssl_config_init(&client_conf);
    drbg_seed(&client_rng, "test_dtls_handshake_bound");
    mbedtls_ssl_config_defaults(&client_conf, MBEDTLS_SSL_IS_CLIENT,
                                MBEDTLS_SSL_TRANSPORT_DATAGRAM, MBEDTLS_SSL_PRESET_DEFAULT);
    mbedtls_ssl_conf_rng(&client_conf, drbg_random, drbg_context(&client_rng));
    mbedtls_ssl_conf_authmode(&client_conf, MBEDTLS_SSL_VERIFY_NONE);
    to_server.size = TO_SERVER_MAX;
    to_server.items = calloc(TO_SERVER_MAX, sizeof(datagram));
    for (int i = 0; i < CLIENTS; i++)
        client_init(i);
    dtls_endpoint *d = server_new(1);
    if (d == NULL)
        return tap_done();

    test_flood(d);
    test_peer_gone_in_handshake(d);
    test_session_bound(d);
    test_open_sessions_end(d);
    tap_ok(lost == 0, "no datagram was lost or sent to an unknown address (%d)", lost);

    installed.destroy(installed.ctx);
    for (int i = 0; i < CLIENTS; i++) {
        mbedtls_ssl_free(&clients[i].ssl);
        free(clients[i].inbox.items);
    }
    free(to_server.items);
    mbedtls_ssl_config_free(&client_conf);
    drbg_free(&client_rng);
    return tap_done();
}
