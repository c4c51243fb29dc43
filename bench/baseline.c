/*
 * baseline.c - the raw C limit for bench/: each benchmark program of
 * bench/<name>.lua done with libenet directly, same calls in the same order.
 *
 *   baseline pingpong server | client PORT COUNT SIZE
 *   baseline flood server    | client PORT SIZE COUNT FLAGS
 *   baseline fanin server NPEERS TOTAL BROADCASTS PROCS
 *                            | client PORT NPEERS COUNT SIZE
 *   baseline loop COUNT [NPEERS]   (one process, for callgrind: see loop.lua)
 *
 * What the Lua side does that this must do too: `for t, peer, data, ch in
 * host:events(ms)` waits up to ms for the first event and then drains with
 * timeout 0 until none is left; a RECEIVE's data is a copy of the packet's
 * bytes (a Lua string) and the packet is destroyed; a send builds the
 * ENetPacket from the message bytes (one copy). next_event() below is that
 * iterator; received bytes are copied into `copy` and folded into `sink`.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <enet/enet.h>

#define CHANNELS 2
#define WAIT_MS 100
#define MAX_IDLE_WAITS 200
#define CONNECT_BATCH 50

static unsigned char copy[ENET_PROTOCOL_MAXIMUM_MTU * 2];
static volatile unsigned long sink; /* keeps the copies observable */

/* ---- what bench/lib.lua provides -------------------------------------- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu(void)
{
    return (double)clock() / CLOCKS_PER_SEC;
}

static void idle_check(int count)
{
    if (count > MAX_IDLE_WAITS) {
        fprintf(stderr, "benchmark stalled: no event for %d ms\n",
                MAX_IDLE_WAITS * WAIT_MS);
        exit(1);
    }
}

static void fail(const char *what)
{
    fprintf(stderr, "baseline: %s\n", what);
    exit(1);
}

static void report(const char *key, double value)
{
    printf("%s %.6g\n", key, value);
    fflush(stdout);
}

/* The 256 messages of `size` bytes: message j starts with byte j, then
 * letters (j + i) % 26 (as B.pool). */
typedef struct pool {
    unsigned char *bytes;
    size_t size;
} pool;

static pool pool_make(size_t size)
{
    pool p = { malloc(256 * size), size };
    if (p.bytes == NULL)
        fail("out of memory");
    for (size_t j = 0; j < 256; j++) {
        unsigned char *m = p.bytes + j * size;
        m[0] = (unsigned char)j;
        for (size_t i = 1; i < size; i++)
            m[i] = (unsigned char)('a' + (j + i) % 26);
    }
    return p;
}

static const unsigned char *pool_get(const pool *p, size_t i)
{
    return p->bytes + (i % 256) * p->size;
}

/* peer:send(channel, bytes, flags) */
static void send_bytes(ENetPeer *peer, int channel, const void *data,
                       size_t length, enet_uint32 flags)
{
    ENetPacket *packet = enet_packet_create(data, length, flags);
    if (packet == NULL || enet_peer_send(peer, (enet_uint8)channel, packet) != 0)
        fail("send failed");
}

static void send_text(ENetPeer *peer, int channel, const char *text)
{
    send_bytes(peer, channel, text, strlen(text), ENET_PACKET_FLAG_RELIABLE);
}

/* One event as the Lua iterator yields it. */
typedef struct event {
    ENetEventType type;
    ENetPeer *peer;
    size_t length; /* RECEIVE: bytes now in `copy` */
    int channel;
} event;

/* One step of `host:events(ms)`: *timeout is the wait for this step and
 * becomes 0 for the next. Returns 0 when the iteration ends. */
static int next_event(ENetHost *host, enet_uint32 *timeout, event *out)
{
    ENetEvent e;
    int r = enet_host_service(host, &e, *timeout);
    *timeout = 0;
    if (r < 0)
        fail("service failed");
    if (r == 0)
        return 0;
    out->type = e.type;
    out->peer = e.peer;
    out->channel = e.channelID;
    out->length = 0;
    if (e.type == ENET_EVENT_TYPE_RECEIVE) {
        out->length = e.packet->dataLength;
        memcpy(copy, e.packet->data, out->length);
        sink += copy[0] + copy[out->length - 1];
        enet_packet_destroy(e.packet);
    }
    return 1;
}

static int is_text(const event *ev, const char *text)
{
    size_t n = strlen(text);
    return ev->length >= n && memcmp(copy, text, n) == 0;
}

static ENetHost *server_host(size_t max_peers)
{
    ENetAddress address = { 0, 0 };
    enet_address_set_host_ip(&address, "127.0.0.1");
    ENetHost *host = enet_host_create(&address, max_peers, CHANNELS, 0, 0);
    if (host == NULL || enet_socket_get_address(host->socket, &address) != 0)
        fail("cannot create the server host");
    printf("port %d\n", (int)address.port);
    fflush(stdout);
    return host;
}

/* B.client: n peers, connected CONNECT_BATCH at a time. Returns how many
 * control messages arrived meanwhile. */
static ENetHost *client_host(int port, size_t n, ENetPeer **peers, int *early)
{
    ENetAddress local = { 0, 0 }, server = { 0, (enet_uint16)port };
    enet_address_set_host_ip(&local, "127.0.0.1");
    enet_address_set_host_ip(&server, "127.0.0.1");
    ENetHost *host = enet_host_create(&local, n, CHANNELS, 0, 0);
    if (host == NULL)
        fail("cannot create the client host");
    size_t made = 0, connected = 0;
    int idle = 0;
    *early = 0;
    while (connected < n) {
        size_t limit = connected + CONNECT_BATCH < n ? connected + CONNECT_BATCH : n;
        for (; made < limit; made++)
            if ((peers[made] = enet_host_connect(host, &server, CHANNELS, 0)) == NULL)
                fail("connect failed");
        int any = 0;
        enet_uint32 wait = WAIT_MS;
        event ev;
        while (next_event(host, &wait, &ev)) {
            any = 1;
            if (ev.type == ENET_EVENT_TYPE_CONNECT)
                connected++;
            else if (ev.type == ENET_EVENT_TYPE_RECEIVE && ev.channel == 1)
                ++*early;
            else if (ev.type == ENET_EVENT_TYPE_DISCONNECT)
                fail("connection refused");
        }
        idle = any ? 0 : idle + 1;
        idle_check(idle);
    }
    return host;
}

/* Services `host` until n peers have disconnected, or `idle_limit` waits in
 * a row brought no event; then destroys it. */
static void await_disconnects(ENetHost *host, size_t n, int idle_limit)
{
    size_t gone = 0;
    int idle = 0;
    while (gone < n && idle < idle_limit) {
        int any = 0;
        enet_uint32 wait = WAIT_MS;
        event ev;
        while (next_event(host, &wait, &ev)) {
            any = 1;
            if (ev.type == ENET_EVENT_TYPE_DISCONNECT)
                gone++;
        }
        idle = any ? 0 : idle + 1;
    }
    enet_host_destroy(host);
}

/* B.close */
static void close_host(ENetHost *host, ENetPeer **peers, size_t n)
{
    for (size_t i = 0; i < n; i++)
        enet_peer_disconnect(peers[i], 0);
    await_disconnects(host, n, 10);
}

/* ---- pingpong.lua ------------------------------------------------------ */

static void pingpong_server(void)
{
    ENetHost *s = server_host(1);
    int done = 0, idle = 0;
    while (!done) {
        int any = 0;
        enet_uint32 wait = WAIT_MS;
        event ev;
        while (next_event(s, &wait, &ev)) {
            any = 1;
            if (ev.type == ENET_EVENT_TYPE_RECEIVE)
                send_bytes(ev.peer, 0, copy, ev.length, ENET_PACKET_FLAG_RELIABLE);
            else if (ev.type == ENET_EVENT_TYPE_DISCONNECT)
                done = 1;
        }
        idle = any ? 0 : idle + 1;
        idle_check(idle);
    }
    enet_host_destroy(s);
}

static void pingpong_client(int port, long count, size_t size)
{
    ENetPeer *peer;
    int early;
    ENetHost *c = client_host(port, 1, &peer, &early);
    pool msgs = pool_make(size);
    double t0 = now();
    for (long i = 1; i <= count; i++) {
        send_bytes(peer, 0, pool_get(&msgs, (size_t)i), size, ENET_PACKET_FLAG_RELIABLE);
        int got = 0, idle = 0;
        do {
            enet_uint32 wait = WAIT_MS;
            event ev;
            while (next_event(c, &wait, &ev))
                if (ev.type == ENET_EVENT_TYPE_RECEIVE)
                    got = 1;
            idle_check(++idle);
        } while (!got);
    }
    report("rtt_us", (now() - t0) / (double)count * 1e6);
    close_host(c, &peer, 1);
    free(msgs.bytes);
}

/* ---- flood.lua --------------------------------------------------------- */

#define MAX_MARKS 8
#define DRAIN_MS 5

static void flood_server(void)
{
    ENetHost *s = server_host(1);
    long n = 0, expected = -1;
    double t0 = 0, last = 0;
    ENetPeer *ender = NULL;
    int idle = 0;
    for (;;) {
        long before = n;
        int any = 0;
        enet_uint32 wait = expected >= 0 ? DRAIN_MS : WAIT_MS;
        event ev;
        while (next_event(s, &wait, &ev)) {
            any = 1;
            if (ev.type != ENET_EVENT_TYPE_RECEIVE)
                continue;
            if (ev.channel == 0) {
                if (++n == 1)
                    t0 = now();
            } else if (is_text(&ev, "m")) {
                send_text(ev.peer, 1, "c");
            } else {
                copy[ev.length] = 0;
                expected = strtol((const char *)copy + 4, NULL, 10);
                ender = ev.peer;
            }
        }
        if (n != before)
            last = now();
        if (expected >= 0 && (n >= expected || !any))
            break;
        idle = any ? 0 : idle + 1;
        idle_check(idle);
    }
    send_text(ender, 1, "done");
    report("msgs_per_s", (double)n / (last - t0));
    report("received", (double)n);
    int idle2 = 0;
    while (ender->state != ENET_PEER_STATE_DISCONNECTED && idle2 < 50) {
        int any = 0;
        enet_uint32 wait = WAIT_MS;
        event ev;
        while (next_event(s, &wait, &ev))
            any = 1;
        idle2 = any ? 0 : idle2 + 1;
    }
    enet_host_destroy(s);
}

static void flood_client(int port, size_t size, long count, enet_uint32 flags)
{
    ENetPeer *peer;
    int early;
    ENetHost *c = client_host(port, 1, &peer, &early);
    pool msgs = pool_make(size);
    long per_mark = 16384 / (long)size > 16 ? 16384 / (long)size : 16;
    long sent = 0, marks = 0, credits = 0;
    int idle = 0;
    while (sent < count) {
        enet_uint32 wait = 0;
        if (marks - credits < MAX_MARKS) {
            long k = per_mark < count - sent ? per_mark : count - sent;
            for (long i = sent + 1; i <= sent + k; i++)
                send_bytes(peer, 0, pool_get(&msgs, (size_t)i), size, flags);
            sent += k;
            send_text(peer, 1, "m");
            marks++;
        } else {
            wait = WAIT_MS;
        }
        int waited = wait > 0, any = 0;
        event ev;
        while (next_event(c, &wait, &ev)) {
            any = 1;
            if (ev.type == ENET_EVENT_TYPE_RECEIVE && ev.channel == 1)
                credits++;
        }
        if (waited) {
            idle = any ? 0 : idle + 1;
            idle_check(idle);
        }
    }
    char end[32];
    snprintf(end, sizeof end, "end %ld", sent);
    send_text(peer, 1, end);
    int done = 0, idle2 = 0;
    while (!done) {
        int any = 0;
        enet_uint32 wait = WAIT_MS;
        event ev;
        while (next_event(c, &wait, &ev)) {
            any = 1;
            if (ev.type == ENET_EVENT_TYPE_RECEIVE && is_text(&ev, "done"))
                done = 1;
        }
        idle2 = any ? 0 : idle2 + 1;
        idle_check(idle2);
    }
    close_host(c, &peer, 1);
    free(msgs.bytes);
}

/* ---- fanin.lua --------------------------------------------------------- */

#define BATCH 10
#define MAX_GROUP 25
#define IN_FLIGHT 1000
#define WINDOW 2
#define BROADCAST_SIZE 1024

static void fanin_server(size_t npeers, long total, long broadcasts, long procs)
{
    ENetHost *s = server_host(npeers);
    size_t connected = 0;
    int idle = 0;
    while (connected < npeers) {
        int any = 0;
        enet_uint32 wait = WAIT_MS;
        event ev;
        while (next_event(s, &wait, &ev)) {
            any = 1;
            if (ev.type == ENET_EVENT_TYPE_CONNECT)
                connected++;
        }
        idle = any ? 0 : idle + 1;
        idle_check(idle);
    }
    enet_host_broadcast(s, 1, enet_packet_create("go", 2, ENET_PACKET_FLAG_RELIABLE));

    long n = 0;
    double t0 = 0, c0 = 0, last = 0, clast = 0;
    idle = 0;
    while (n < total) {
        long before = n;
        int any = 0;
        enet_uint32 wait = WAIT_MS;
        event ev;
        while (next_event(s, &wait, &ev)) {
            any = 1;
            if (ev.type != ENET_EVENT_TYPE_RECEIVE)
                continue;
            if (ev.channel == 0) {
                if (++n == 1) {
                    t0 = now();
                    c0 = cpu();
                }
            } else {
                send_text(ev.peer, 1, "c");
            }
        }
        if (n != before) {
            last = now();
            clast = cpu();
        }
        idle = any ? 0 : idle + 1;
        idle_check(idle);
    }
    report("msgs_per_s", (double)n / (last - t0));
    report("cpu_us_per_msg", (clast - c0) / (double)n * 1e6);

    if (broadcasts > 0) {
        pool payload = pool_make(BROADCAST_SIZE);
        long sent = 0, acks = 0;
        double b0 = now();
        idle = 0;
        while (acks < broadcasts * procs) {
            enet_uint32 wait = WAIT_MS;
            if (sent < broadcasts && acks >= (sent + 1 - WINDOW) * procs) {
                ENetPacket *p = enet_packet_create(payload.bytes, BROADCAST_SIZE,
                                                   ENET_PACKET_FLAG_RELIABLE);
                if (p == NULL)
                    fail("out of memory");
                enet_host_broadcast(s, 0, p);
                sent++;
                wait = 0;
            }
            int waited = wait > 0, any = 0;
            event ev;
            while (next_event(s, &wait, &ev)) {
                any = 1;
                if (ev.type == ENET_EVENT_TYPE_RECEIVE && ev.channel == 1)
                    acks++;
            }
            if (waited) {
                idle = any ? 0 : idle + 1;
                idle_check(idle);
            }
        }
        report("deliveries_per_s", (double)(broadcasts * (long)npeers) / (now() - b0));
        free(payload.bytes);
    }

    enet_host_broadcast(s, 1, enet_packet_create("bye", 3, ENET_PACKET_FLAG_RELIABLE));
    await_disconnects(s, npeers, 20);
}

static void fanin_client(int port, size_t npeers, long count, size_t size)
{
    ENetPeer **peers = malloc(npeers * sizeof *peers);
    if (peers == NULL)
        fail("out of memory");
    int gos;
    ENetHost *c = client_host(port, npeers, peers, &gos);
    pool msgs = pool_make(size);
    size_t group = npeers < MAX_GROUP ? npeers : MAX_GROUP;
    while (npeers % group != 0)
        group--;
    long max_rounds = (IN_FLIGHT + (long)(group * BATCH) - 1) / (long)(group * BATCH);
    if (max_rounds < 1)
        max_rounds = 1;
    long rounds = (long)npeers * ((count + BATCH - 1) / BATCH) / (long)group;
    long sent_rounds = 0, credits = 0, deliveries = 0;
    size_t next_peer = 1; /* 1-based, as in Lua */
    int idle = 0, bye = 0;
    while (!bye) {
        enet_uint32 wait = WAIT_MS;
        if (gos > 0 && sent_rounds < rounds && sent_rounds - credits < max_rounds) {
            ENetPeer *first = peers[next_peer - 1];
            for (size_t g = 0; g < group; g++) {
                ENetPeer *peer = peers[next_peer - 1];
                for (size_t i = 1; i <= BATCH; i++)
                    send_bytes(peer, 0, pool_get(&msgs, next_peer + i), size,
                               ENET_PACKET_FLAG_RELIABLE);
                next_peer = next_peer % npeers + 1;
            }
            send_text(first, 1, "m");
            sent_rounds++;
            wait = 0;
        }
        int waited = wait > 0, any = 0;
        event ev;
        while (next_event(c, &wait, &ev)) {
            any = 1;
            if (ev.type != ENET_EVENT_TYPE_RECEIVE)
                continue;
            if (ev.channel == 0) {
                if (++deliveries % (long)npeers == 0)
                    send_text(peers[0], 1, "a");
            } else if (is_text(&ev, "c")) {
                credits++;
            } else if (is_text(&ev, "go")) {
                gos++;
            } else if (is_text(&ev, "bye")) {
                bye = 1;
            }
        }
        if (waited) {
            idle = any ? 0 : idle + 1;
            idle_check(idle);
        }
    }
    close_host(c, peers, npeers);
    free(msgs.bytes);
    free(peers);
}

/* ---- loop.lua: one process, for callgrind ------------------------------ */

#define LOOP_BATCH 32

/* Services both hosts once (the client without waiting, the server up to
 * 1 ms); adds the server's CONNECT and RECEIVE events to the counters. */
static void pump(ENetHost *c, ENetHost *s, size_t *connects, long *receives)
{
    event ev;
    enet_uint32 wait = 0;
    while (next_event(c, &wait, &ev))
        ;
    wait = 1;
    while (next_event(s, &wait, &ev)) {
        if (ev.type == ENET_EVENT_TYPE_RECEIVE)
            ++*receives;
        else if (ev.type == ENET_EVENT_TYPE_CONNECT)
            ++*connects;
    }
}

static void loop(long count, size_t npeers)
{
    ENetHost *s = server_host(npeers);
    ENetAddress address, local = { 0, 0 };
    if (enet_socket_get_address(s->socket, &address) != 0)
        fail("no address");
    enet_address_set_host_ip(&local, "127.0.0.1");
    enet_address_set_host_ip(&address, "127.0.0.1");
    ENetHost *c = enet_host_create(&local, npeers, CHANNELS, 0, 0);
    ENetPeer **peers = malloc(npeers * sizeof *peers);
    if (c == NULL || peers == NULL)
        fail("cannot create the client host");
    size_t made = 0, connected = 0;
    long received = 0;
    int idle = 0;
    while (connected < npeers) {
        size_t limit = connected + CONNECT_BATCH < npeers ? connected + CONNECT_BATCH : npeers;
        for (; made < limit; made++)
            if ((peers[made] = enet_host_connect(c, &address, CHANNELS, 0)) == NULL)
                fail("connect failed");
        size_t before = connected;
        pump(c, s, &connected, &received);
        idle = connected > before ? 0 : idle + 1;
        idle_check(idle / 100); /* 100 waits of 1 ms count as one idle wait */
    }
    pool msgs = pool_make(64);
    size_t next_peer = 0;
    for (long i = 0; i < count;) {
        ENetPeer *peer = peers[next_peer];
        next_peer = (next_peer + 1) % npeers;
        for (int k = 0; k < LOOP_BATCH && i < count; k++, i++)
            send_bytes(peer, 0, pool_get(&msgs, (size_t)i), 64, ENET_PACKET_FLAG_RELIABLE);
        idle = 0;
        while (received < i) {
            pump(c, s, &connected, &received);
            idle_check(++idle / 100);
        }
    }
    report("received", (double)received);
    enet_host_destroy(c);
    enet_host_destroy(s);
    free(msgs.bytes);
    free(peers);
}

/* ---- main -------------------------------------------------------------- */

int main(int argc, char **argv)
{
    if (enet_initialize() != 0)
        fail("enet_initialize failed");
    const char *scenario = argc > 1 ? argv[1] : "";
    int server = argc > 2 && strcmp(argv[2], "server") == 0;
    long a[5] = { 0 };
    for (int i = 0; i < 5 && i + 3 < argc; i++)
        a[i] = strtol(argv[i + 3], NULL, 10);
    if (strcmp(scenario, "pingpong") == 0 && server)
        pingpong_server();
    else if (strcmp(scenario, "pingpong") == 0 && argc == 6)
        pingpong_client((int)a[0], a[1], (size_t)a[2]);
    else if (strcmp(scenario, "flood") == 0 && server)
        flood_server();
    else if (strcmp(scenario, "flood") == 0 && argc == 7)
        flood_client((int)a[0], (size_t)a[1], a[2], (enet_uint32)a[3]);
    else if (strcmp(scenario, "fanin") == 0 && server && argc == 7)
        fanin_server((size_t)a[0], a[1], a[2], a[3]);
    else if (strcmp(scenario, "fanin") == 0 && argc == 7)
        fanin_client((int)a[0], (size_t)a[1], a[2], (size_t)a[3]);
    else if (strcmp(scenario, "loop") == 0 && (argc == 3 || argc == 4))
        loop(strtol(argv[2], NULL, 10), argc == 4 ? (size_t)strtol(argv[3], NULL, 10) : 1);
    else {
        fprintf(stderr, "usage: see the comment at the top of bench/baseline.c\n");
        return 2;
    }
    enet_deinitialize();
    return 0;
}
