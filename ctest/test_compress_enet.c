/*
 * test_compress_enet.c - two ENet hosts on loopback with the same
 * compressor exchange reliable packets of many sizes and contents in both
 * directions, in every mode; an intercept on each host counts datagrams
 * that arrive with ENet's "compressed" header flag. Then both live hosts
 * switch modes while packets are in flight.
 */
#include <string.h>

#include "compress.h"
#include "payloads.h"
#include "tap.h"

enum { SERVICE_ROUNDS = 10000 }; /* 1 ms each: a bound, not a timing */

static const char *const mode_names[] = { "none", "range coder", "FastLZ",
                                          "zlib", "zstd" };
static const size_t sizes[] = { 0, 1, 15, 16, 17, 40, 100, 1000, 1400,
                                4096, 65536 };
#define SIZE_COUNT (sizeof sizes / sizeof sizes[0])

static ENetHost *server, *client;
static ENetPeer *server_side, *client_side; /* each host's peer */
static unsigned compressed_seen;
static uint8_t payload[65536];

static int ENET_CALLBACK count_compressed(ENetHost *host, ENetEvent *event)
{
    (void)event;
    if (host->receivedDataLength >= 2
        && ((host->receivedData[0] << 8 | host->receivedData[1])
            & ENET_PROTOCOL_HEADER_FLAG_COMPRESSED))
        compressed_seen++;
    return 0; /* ENet processes the datagram as usual */
}

/* Events seen on each host and not yet taken by wait_for. */
typedef struct event_queue {
    ENetEvent events[16];
    int count;
} event_queue;
static event_queue server_events, client_events;

static void service(ENetHost *host, event_queue *q, enet_uint32 timeout)
{
    ENetEvent e;
    while (enet_host_service(host, &e, timeout) > 0) {
        if (q->count < 16)
            q->events[q->count++] = e;
        else if (e.type == ENET_EVENT_TYPE_RECEIVE)
            enet_packet_destroy(e.packet);
        timeout = 0;
    }
}

/* Services both hosts until `want` happens on `host`; returns that event
 * (type NONE when the bound runs out). Other events on the way are
 * dropped. A received packet is the caller's to destroy. */
static ENetEvent wait_for(ENetHost *host, ENetEventType want)
{
    event_queue *q = host == server ? &server_events : &client_events;
    ENetEvent e = { .type = ENET_EVENT_TYPE_NONE };
    for (int i = 0; i < SERVICE_ROUNDS; i++) {
        while (q->count > 0) {
            ENetEvent next = q->events[0];
            memmove(q->events, q->events + 1, --q->count * sizeof next);
            if (next.type == want)
                return next;
            if (next.type == ENET_EVENT_TYPE_RECEIVE)
                enet_packet_destroy(next.packet);
        }
        service(client, &client_events, 0);
        service(server, &server_events, 1);
    }
    return e;
}

static int connect_hosts(void)
{
    ENetAddress loopback = { .host = ENET_HOST_ANY, .port = 0 }, bound;
    ENetEvent e;
    enet_address_set_host_ip(&loopback, "127.0.0.1");
    server = enet_host_create(&loopback, 4, 2, 0, 0);
    client = enet_host_create(NULL, 1, 2, 0, 0);
    if (server == NULL || client == NULL
        || enet_socket_get_address(server->socket, &bound) != 0)
        return 0;
    bound.host = loopback.host;
    server->intercept = count_compressed;
    client->intercept = count_compressed;
    client_side = enet_host_connect(client, &bound, 2, 0);
    if (client_side == NULL)
        return 0;
    e = wait_for(server, ENET_EVENT_TYPE_CONNECT);
    server_side = e.peer;
    return e.type == ENET_EVENT_TYPE_CONNECT
           && wait_for(client, ENET_EVENT_TYPE_CONNECT).type
                  == ENET_EVENT_TYPE_CONNECT;
}

/* Sends payload[0..n) from one side and checks it arrives intact. */
static int deliver(ENetPeer *from, ENetHost *to, size_t n)
{
    ENetPacket *p = enet_packet_create(payload, n, ENET_PACKET_FLAG_RELIABLE);
    ENetEvent e;
    int same;
    if (enet_peer_send(from, 0, p) != 0) {
        enet_packet_destroy(p);
        return 0;
    }
    e = wait_for(to, ENET_EVENT_TYPE_RECEIVE);
    if (e.type != ENET_EVENT_TYPE_RECEIVE)
        return 0;
    same = e.packet->dataLength == n
           && (n == 0 || memcmp(e.packet->data, payload, n) == 0);
    enet_packet_destroy(e.packet);
    return same;
}

static void test_every_mode(void)
{
    for (int mode = COMPRESS_NONE; mode <= COMPRESS_ZSTD; mode++) {
        int bad = 0, sent = 0;
        compress_install(server, mode);
        compress_install(client, mode);
        compressed_seen = 0;
        for (int kind = 0; kind < PAYLOAD_KINDS; kind++) {
            for (size_t i = 0; i < SIZE_COUNT; i++) {
                payload_fill((payload_kind)kind, payload, sizes[i], i);
                for (int way = 0; way < 2; way++, sent++) {
                    if (!deliver(way ? server_side : client_side,
                                 way ? client : server, sizes[i])
                        && bad++ == 0)
                        tap_note("%s, %zu bytes, %s: not delivered intact",
                                 payload_names[kind], sizes[i],
                                 way ? "to client" : "to server");
                }
            }
        }
        tap_ok(bad == 0, "%s: %d packets of 0 to 65,536 bytes arrive intact "
                         "both ways", mode_names[mode], sent);
        if (mode == COMPRESS_NONE)
            tap_ok(compressed_seen == 0, "none: no datagram is compressed");
        else
            tap_ok(compressed_seen > 0, "%s: %u datagrams arrived compressed",
                   mode_names[mode], compressed_seen);
    }
}

/* Both hosts change mode with packets in flight: datagrams compressed the
 * old way are dropped by the new decoder and resent; all still arrive. */
static void test_switch_in_flight(void)
{
    int bad = 0, sent = 0;
    for (int round = 0; round < 3; round++) {
        for (int mode = COMPRESS_NONE; mode <= COMPRESS_ZSTD; mode++) {
            ENetEvent e;
            payload_text(payload, 3000, (uint64_t)mode);
            for (int k = 0; k < 4; k++, sent++) {
                ENetPacket *p = enet_packet_create(payload, 3000,
                                                   ENET_PACKET_FLAG_RELIABLE);
                if (enet_peer_send(client_side, 0, p) != 0)
                    enet_packet_destroy(p);
            }
            enet_host_flush(client);
            compress_install(server, (mode + 1) % 5);
            compress_install(client, (mode + 1) % 5);
            for (int k = 0; k < 4; k++) {
                e = wait_for(server, ENET_EVENT_TYPE_RECEIVE);
                if (e.type != ENET_EVENT_TYPE_RECEIVE) {
                    bad++;
                    continue;
                }
                if (e.packet->dataLength != 3000
                    || memcmp(e.packet->data, payload, 3000) != 0)
                    bad++;
                enet_packet_destroy(e.packet);
            }
        }
    }
    tap_ok(bad == 0, "%d packets arrive intact while both hosts switch "
                     "modes with packets in flight", sent);
}

int main(void)
{
    if (enet_initialize() != 0)
        return 1;
    if (tap_ok(connect_hosts(), "two hosts connect over loopback")) {
        test_every_mode();
        test_switch_in_flight();
    }
    if (client != NULL)
        enet_host_destroy(client);
    if (server != NULL)
        enet_host_destroy(server);
    enet_deinitialize();
    return tap_done();
}
