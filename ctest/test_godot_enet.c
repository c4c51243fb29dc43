/*
 * test_godot_enet.c - our compressors against Godot's on the wire. A
 * libenet host with compress_install(mode) talks to a godot3-server
 * NetworkedMultiplayerENet echo peer (ctest/godot_enet_echo.gd) set to the
 * same CompressionMode, with Godot as server and as client, using Godot
 * 3's framing (u32 sender id, i32 target id, payload; channel 1 reliable).
 * Every echoed byte is compared, and an intercept counts the datagrams
 * that arrive compressed: both ends must be speaking the same codec.
 */
#include <string.h>

#include "compress.h"
#include "godot.h"
#include "payloads.h"
#include "tap.h"

enum {
    SERVICE_ROUNDS = 20000, /* 1 ms each: a bound, not a timing */
    OUR_ID = 1234567,       /* our unique id when we are the client */
    SERVER_ID = 1,          /* Godot's server is always id 1 */
    CHANNELS = 3,           /* Godot's system, reliable, unreliable */
    RELIABLE_CHANNEL = 1,
    FRAME = 8,
};

static const char *const mode_names[] = { "none", "range coder", "FastLZ",
                                          "zlib", "zstd" };
static const size_t sizes[] = { 1, 15, 16, 17, 1000, 1400, 4096, 65536 };
#define SIZE_COUNT (sizeof sizes / sizeof sizes[0])

static char dir[64];
static unsigned compressed_seen;
static uint8_t payload[65536];

static int ENET_CALLBACK count_compressed(ENetHost *host, ENetEvent *event)
{
    (void)event;
    if (host->receivedDataLength >= 2
        && ((host->receivedData[0] << 8 | host->receivedData[1])
            & ENET_PROTOCOL_HEADER_FLAG_COMPRESSED))
        compressed_seen++;
    return 0;
}

/* One side of a session: our host, its peer (Godot), the ids we frame
 * packets with. */
typedef struct session {
    ENetHost *host;
    ENetPeer *peer;
    uint32_t our_id, godot_id;
    pid_t godot_pid;
} session;

/* Services the host until `want` happens; returns that event (type NONE
 * when the bound runs out). Other events are dropped. */
static ENetEvent wait_for(ENetHost *host, ENetEventType want)
{
    ENetEvent e;
    for (int i = 0; i < SERVICE_ROUNDS; i++) {
        if (enet_host_service(host, &e, 1) <= 0)
            continue;
        if (e.type == want)
            return e;
        if (e.type == ENET_EVENT_TYPE_RECEIVE)
            enet_packet_destroy(e.packet);
    }
    e.type = ENET_EVENT_TYPE_NONE;
    return e;
}

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16
           | (uint32_t)p[3] << 24;
}

static int send_framed(session *s, const uint8_t *data, size_t n)
{
    ENetPacket *p = enet_packet_create(NULL, n + FRAME,
                                       ENET_PACKET_FLAG_RELIABLE);
    if (p == NULL)
        return 0;
    put_u32(p->data, s->our_id);
    put_u32(p->data + 4, s->godot_id);
    memcpy(p->data + FRAME, data, n);
    if (enet_peer_send(s->peer, RELIABLE_CHANNEL, p) != 0) {
        enet_packet_destroy(p);
        return 0;
    }
    return 1;
}

/* Sends payload[0..n) and checks that Godot's echo carries the same bytes
 * from Godot's id to ours. */
static int echo(session *s, size_t n)
{
    ENetEvent e;
    int same;
    if (!send_framed(s, payload, n))
        return 0;
    for (;;) { /* skip Godot's system messages on channel 0 */
        e = wait_for(s->host, ENET_EVENT_TYPE_RECEIVE);
        if (e.type != ENET_EVENT_TYPE_RECEIVE)
            return 0;
        if (e.channelID == RELIABLE_CHANNEL)
            break;
        enet_packet_destroy(e.packet);
    }
    same = e.packet->dataLength == n + FRAME
           && get_u32(e.packet->data) == s->godot_id
           && get_u32(e.packet->data + 4) == s->our_id
           && memcmp(e.packet->data + FRAME, payload, n) == 0;
    enet_packet_destroy(e.packet);
    return same;
}

/* Starts Godot in `role` and connects to it; false when that fails. */
static int open_session(session *s, int mode, int godot_is_server)
{
    ENetAddress address = { .port = 0 };
    char env[16];
    ENetEvent e;
    enet_address_set_host_ip(&address, "127.0.0.1");
    s->host = godot_is_server ? enet_host_create(NULL, 1, CHANNELS, 0, 0)
                              : enet_host_create(&address, 4, CHANNELS, 0, 0);
    if (s->host == NULL || compress_install(s->host, mode) != 0
        || enet_socket_get_address(s->host->socket, &address) != 0)
        return 0;
    s->host->intercept = count_compressed;
    if (godot_is_server) {
        /* A port that was free a moment ago, for Godot to bind. */
        ENetSocket probe = enet_socket_create(ENET_SOCKET_TYPE_DATAGRAM);
        ENetAddress any = { .host = ENET_HOST_ANY, .port = 0 };
        if (probe == ENET_SOCKET_NULL || enet_socket_bind(probe, &any) != 0
            || enet_socket_get_address(probe, &any) != 0)
            return 0;
        enet_socket_destroy(probe);
        address.port = any.port;
    }
    snprintf(env, sizeof env, "%d", mode);
    setenv("MODE", env, 1);
    snprintf(env, sizeof env, "%u", address.port);
    setenv("PORT", env, 1);
    setenv("ROLE", godot_is_server ? "server" : "client", 1);
    s->godot_pid = godot_start(dir, "godot_enet_echo.gd");
    if (godot_is_server) {
        enet_address_set_host_ip(&address, "127.0.0.1");
        s->our_id = OUR_ID;
        s->godot_id = SERVER_ID;
        s->peer = enet_host_connect(s->host, &address, CHANNELS, OUR_ID);
        e = wait_for(s->host, ENET_EVENT_TYPE_CONNECT);
    } else {
        e = wait_for(s->host, ENET_EVENT_TYPE_CONNECT);
        s->our_id = SERVER_ID;
        s->godot_id = e.data; /* a Godot client connects with its id */
        s->peer = e.peer;
    }
    return e.type == ENET_EVENT_TYPE_CONNECT;
}

/* Says "bye" (Godot then closes and quits) and waits for Godot. */
static int close_session(session *s)
{
    int ok = 1;
    if (s->peer != NULL && send_framed(s, (const uint8_t *)"bye", 3))
        wait_for(s->host, ENET_EVENT_TYPE_DISCONNECT);
    if (s->godot_pid > 0)
        ok = godot_wait(s->godot_pid);
    if (s->host != NULL)
        enet_host_destroy(s->host);
    return ok;
}

static void test_mode(int mode, int godot_is_server)
{
    session s = { 0 };
    const char *role = godot_is_server ? "server" : "client";
    int bad = 0, sent = 0, connected, finished;
    compressed_seen = 0;
    connected = open_session(&s, mode, godot_is_server);
    for (int kind = PAYLOAD_RANDOM; connected && kind <= PAYLOAD_TEXT;
         kind++) {
        for (size_t i = 0; i < SIZE_COUNT; i++, sent++) {
            payload_fill((payload_kind)kind, payload, sizes[i], i);
            if (!echo(&s, sizes[i]) && bad++ == 0)
                tap_note("%s, %zu bytes: no intact echo",
                         payload_names[kind], sizes[i]);
        }
    }
    finished = close_session(&s);
    tap_ok(connected && bad == 0 && finished,
           "%s, Godot as %s: %d packets of 1 to 65,536 bytes echoed intact",
           mode_names[mode], role, sent);
    if (mode == COMPRESS_NONE)
        tap_ok(compressed_seen == 0, "none, Godot as %s: nothing arrives "
                                     "compressed", role);
    else
        tap_ok(compressed_seen > 0, "%s, Godot as %s: %u datagrams arrived "
                                    "compressed", mode_names[mode], role,
               compressed_seen);
}

int main(void)
{
    if (!tap_ok(godot_installed(),
                "godot3-server is installed (scripts/setup peers)"))
        return tap_done();
    if (!godot_workdir_create(dir) || enet_initialize() != 0)
        return 1;
    if (tap_ok(godot_script_install(dir, "godot_enet_echo.gd"),
               "echo script installed in %s", dir)) {
        for (int mode = COMPRESS_NONE; mode <= COMPRESS_ZSTD; mode++) {
            test_mode(mode, 1);
            test_mode(mode, 0);
        }
    }
    enet_deinitialize();
    godot_workdir_remove(dir);
    return tap_done();
}
