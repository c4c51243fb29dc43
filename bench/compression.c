/*
 * bench/compression.c - ratio and speed of every compression mode on game
 * packets, through the ENetCompressor each mode installs (called as ENet
 * calls it: the body, an output limit equal to its length, 0 = sent
 * uncompressed). Then the FastLZ codec beside the zlib level-1 baseline,
 * both called directly, with FastLZ's speed as a multiple of zlib's.
 *
 * ratio = bytes on the wire / bytes in (an uncompressed packet counts its
 * own length); MB/s = megabytes of uncompressed packet data per second;
 * e2e msg/s = reliable messages per second between two ENet hosts on
 * 127.0.0.1 with the mode installed on both (codec, ENet and the kernel's
 * loopback together; "none" is the baseline).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <zlib.h>

#include "compress.h"
#include "fastlz.h"
#include "payloads.h"

enum { PACKETS = 64, MAX_PACKET = 16384 };
static const double MIN_SECONDS = 0.3;

typedef struct packet_set {
    const char *name;
    size_t count, size[PACKETS];
    uint8_t *data[PACKETS];
} packet_set;

/* A codec under test: compress returns 0 when it sends the input as is. */
typedef struct codec {
    const char *name;
    size_t (*compress)(void *ctx, const uint8_t *in, size_t n, uint8_t *out,
                       size_t limit);
    size_t (*decompress)(void *ctx, const uint8_t *in, size_t n,
                         uint8_t *out, size_t limit);
    void *ctx;
} codec;

typedef struct result {
    double ratio, compress_mbs, decompress_mbs; /* decompress < 0: none */
} result;

static uint8_t packed[PACKETS][2 * MAX_PACKET];
static size_t packed_size[PACKETS];
static uint8_t scratch[2 * MAX_PACKET];

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* The adapter, through a host's ENetCompressor. */
static size_t adapter_compress(void *ctx, const uint8_t *in, size_t n,
                               uint8_t *out, size_t limit)
{
    ENetHost *host = ctx;
    ENetBuffer body = { .data = (void *)in, .dataLength = n };
    return host->compressor.compress(host->compressor.context, &body, 1, n,
                                     out, limit);
}

static size_t adapter_decompress(void *ctx, const uint8_t *in, size_t n,
                                 uint8_t *out, size_t limit)
{
    ENetHost *host = ctx;
    return host->compressor.decompress(host->compressor.context, in, n, out,
                                       limit);
}

/* The FastLZ codec alone, level 1. */
static size_t fastlz_only_compress(void *ctx, const uint8_t *in, size_t n,
                                   uint8_t *out, size_t limit)
{
    size_t r = fastlz_compress(in, n, out, limit, 1, ctx);
    return r < n ? r : 0;
}

static size_t fastlz_only_decompress(void *ctx, const uint8_t *in, size_t n,
                                     uint8_t *out, size_t limit)
{
    (void)ctx;
    return fastlz_decompress(in, n, out, limit);
}

/* zlib level 1, streams made once and reset per packet. */
typedef struct zlib_pair {
    z_stream deflater, inflater;
} zlib_pair;

static size_t zlib1_compress(void *ctx, const uint8_t *in, size_t n,
                             uint8_t *out, size_t limit)
{
    z_stream *z = &((zlib_pair *)ctx)->deflater;
    deflateReset(z);
    z->next_in = (Bytef *)in;
    z->avail_in = (uInt)n;
    z->next_out = out;
    z->avail_out = (uInt)(limit < n ? limit : n - 1);
    if (deflate(z, Z_FINISH) != Z_STREAM_END)
        return 0;
    return z->total_out;
}

static size_t zlib1_decompress(void *ctx, const uint8_t *in, size_t n,
                               uint8_t *out, size_t limit)
{
    z_stream *z = &((zlib_pair *)ctx)->inflater;
    inflateReset(z);
    z->next_in = (Bytef *)in;
    z->avail_in = (uInt)n;
    z->next_out = out;
    z->avail_out = (uInt)limit;
    return inflate(z, Z_FINISH) == Z_STREAM_END ? z->total_out : 0;
}

static result measure(const codec *k, const packet_set *set)
{
    result res = { 0, 0, -1 };
    double sent = 0, total = 0, start, elapsed;
    size_t rounds = 0, packed_bytes = 0;
    for (size_t i = 0; i < set->count; i++) {
        size_t n = set->size[i];
        packed_size[i] = k->compress(k->ctx, set->data[i], n, packed[i], n);
        if (packed_size[i] != 0
            && (k->decompress(k->ctx, packed[i], packed_size[i], scratch,
                              sizeof scratch) != n
                || memcmp(scratch, set->data[i], n) != 0)) {
            fprintf(stderr, "%s: %s packet %zu does not round-trip\n",
                    k->name, set->name, i);
            exit(1);
        }
        sent += (double)(packed_size[i] ? packed_size[i] : n);
        total += (double)n;
        if (packed_size[i] != 0)
            packed_bytes += n;
    }
    res.ratio = sent / total;
    start = now();
    do {
        for (size_t i = 0; i < set->count; i++)
            k->compress(k->ctx, set->data[i], set->size[i], scratch,
                        set->size[i]);
        rounds++;
    } while ((elapsed = now() - start) < MIN_SECONDS);
    res.compress_mbs = total * (double)rounds / elapsed / 1e6;
    if (packed_bytes == 0)
        return res;
    rounds = 0;
    start = now();
    do {
        for (size_t i = 0; i < set->count; i++) {
            if (packed_size[i] != 0)
                k->decompress(k->ctx, packed[i], packed_size[i], scratch,
                              sizeof scratch);
        }
        rounds++;
    } while ((elapsed = now() - start) < MIN_SECONDS);
    res.decompress_mbs = (double)packed_bytes * (double)rounds / elapsed / 1e6;
    return res;
}

/* Services a host without waiting; returns the RECEIVE events seen. */
static size_t drain(ENetHost *host)
{
    ENetEvent event;
    size_t received = 0;
    while (enet_host_service(host, &event, 0) > 0) {
        if (event.type == ENET_EVENT_TYPE_RECEIVE) {
            enet_packet_destroy(event.packet);
            received++;
        }
    }
    return received;
}

/* Reliable messages per second from a client to a server on 127.0.0.1, both
 * compressing with `mode`, 256 messages in flight at most; < 0 on failure. */
static double end_to_end(int mode, const packet_set *set)
{
    ENetAddress address = { .host = htonl(INADDR_LOOPBACK), .port = 0 };
    ENetHost *server = enet_host_create(&address, 1, 1, 0, 0);
    ENetHost *client = enet_host_create(&address, 1, 1, 0, 0);
    double rate = -1;
    if (server == NULL || client == NULL
        || enet_socket_get_address(server->socket, &address) != 0
        || compress_install(server, mode) != 0 || compress_install(client, mode) != 0)
        goto done;
    address.host = htonl(INADDR_LOOPBACK);
    ENetPeer *peer = enet_host_connect(client, &address, 1, 0);
    double give_up = now() + 5;
    while (peer != NULL && peer->state != ENET_PEER_STATE_CONNECTED && now() < give_up) {
        drain(client);
        drain(server);
    }
    if (peer == NULL || peer->state != ENET_PEER_STATE_CONNECTED)
        goto done;
    size_t sent = 0, received = 0;
    double start = now(), elapsed;
    do {
        while (sent - received < 256) {
            size_t i = sent % set->count;
            enet_peer_send(peer, 0, enet_packet_create(set->data[i], set->size[i],
                                                       ENET_PACKET_FLAG_RELIABLE));
            sent++;
        }
        drain(client);
        received += drain(server);
        elapsed = now() - start;
    } while (elapsed < MIN_SECONDS || received < 1000);
    rate = (double)received / elapsed;
done:
    if (client != NULL)
        enet_host_destroy(client);
    if (server != NULL)
        enet_host_destroy(server);
    return rate;
}

static void print_row(const char *set, const char *codec, result r,
                      const char *note)
{
    char dec[16] = "-";
    if (r.decompress_mbs >= 0)
        snprintf(dec, sizeof dec, "%.0f", r.decompress_mbs);
    printf("%-18s %-12s %6.3f %10.0f %11s%s%s\n", set, codec, r.ratio,
           r.compress_mbs, dec, note[0] ? "  " : "", note);
}

/* Game packets: state updates of 40 to 100 bytes, 1 KiB snapshots, 1 KiB
 * of chat-like text, 16 KiB snapshots; each set has 64 different ones. */
static void make_sets(packet_set sets[4])
{
    static const char *const names[4] = { "state 40-100 B", "1 KiB snapshot",
                                          "1 KiB text", "16 KiB snapshot" };
    for (int s = 0; s < 4; s++) {
        sets[s].name = names[s];
        sets[s].count = PACKETS;
        for (size_t i = 0; i < PACKETS; i++) {
            size_t n = s == 0 ? 40 + (i * 37) % 61 : s == 3 ? 16384 : 1024;
            sets[s].size[i] = n;
            sets[s].data[i] = malloc(n);
            if (sets[s].data[i] == NULL)
                exit(1);
            payload_fill(s == 2 ? PAYLOAD_TEXT : PAYLOAD_GAME,
                         sets[s].data[i], n, i * 4 + (uint64_t)s);
        }
    }
}

int main(void)
{
    static const char *const mode_names[] = { "none", "range coder",
                                              "FastLZ", "zlib", "zstd" };
    static fastlz_table table;
    packet_set sets[4];
    ENetHost *hosts[COMPRESS_ZSTD + 1];
    zlib_pair zp = { { 0 }, { 0 } };
    codec fastlz_codec = { "FastLZ L1", fastlz_only_compress,
                           fastlz_only_decompress, &table };
    codec zlib1_codec = { "zlib -1", zlib1_compress, zlib1_decompress, &zp };

    if (enet_initialize() != 0
        || deflateInit2(&zp.deflater, 1, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY)
               != Z_OK
        || inflateInit2(&zp.inflater, 15) != Z_OK)
        return 1;
    for (int m = COMPRESS_RANGE_CODER; m <= COMPRESS_ZSTD; m++) {
        hosts[m] = enet_host_create(NULL, 1, 1, 0, 0);
        if (hosts[m] == NULL || compress_install(hosts[m], m) != 0)
            return 1;
    }
    make_sets(sets);

    printf("Compression modes through their ENetCompressor (ratio = bytes "
           "sent / bytes in;\nMB/s of packet data; an uncompressed packet "
           "is sent as is)\n\n");
    printf("%-18s %-12s %6s %10s %11s  %s\n", "packets", "mode", "ratio",
           "comp MB/s", "decomp MB/s", "e2e msg/s");
    for (int s = 0; s < 4; s++) {
        for (int m = COMPRESS_NONE; m <= COMPRESS_ZSTD; m++) {
            char e2e[32];
            snprintf(e2e, sizeof e2e, "%.0f", end_to_end(m, &sets[s]));
            if (m == COMPRESS_NONE) { /* the baseline: nothing to measure but e2e */
                printf("%-18s %-12s %6.3f %10s %11s  %s\n", sets[s].name, mode_names[m],
                       1.0, "-", "-", e2e);
                continue;
            }
            codec k = { mode_names[m], adapter_compress, adapter_decompress,
                        hosts[m] };
            print_row(sets[s].name, k.name, measure(&k, &sets[s]), e2e);
        }
    }

    printf("\nFastLZ codec beside the zlib level-1 baseline (both called "
           "directly)\n\n");
    printf("%-18s %-12s %6s %10s %11s  %s\n", "packets", "codec", "ratio",
           "comp MB/s", "decomp MB/s", "FastLZ / zlib -1 (comp, decomp)");
    for (int s = 0; s < 4; s++) {
        result f = measure(&fastlz_codec, &sets[s]);
        result z = measure(&zlib1_codec, &sets[s]);
        char note[64] = "";
        if (f.decompress_mbs > 0 && z.decompress_mbs > 0)
            snprintf(note, sizeof note, "x%.1f, x%.1f",
                     f.compress_mbs / z.compress_mbs,
                     f.decompress_mbs / z.decompress_mbs);
        else
            snprintf(note, sizeof note, "x%.1f, -",
                     f.compress_mbs / z.compress_mbs);
        print_row(sets[s].name, fastlz_codec.name, f, note);
        print_row(sets[s].name, zlib1_codec.name, z, "(baseline)");
    }

    for (int m = COMPRESS_RANGE_CODER; m <= COMPRESS_ZSTD; m++)
        enet_host_destroy(hosts[m]);
    for (int s = 0; s < 4; s++) {
        for (size_t i = 0; i < PACKETS; i++)
            free(sets[s].data[i]);
    }
    deflateEnd(&zp.deflater);
    inflateEnd(&zp.inflater);
    enet_deinitialize();
    return 0;
}
