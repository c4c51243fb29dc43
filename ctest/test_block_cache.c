/*
 * test_block_cache.c - csrc/block_cache.c as libenet's allocator: blocks
 * come back for requests they fit and never for larger ones, nothing is
 * cached without a host, the last release frees them, blocks cross threads,
 * and two hosts talk through it. Built without AddressSanitizer (the cache
 * is compiled out under it).
 */
#include <enet/enet.h>
#include <malloc.h>
#include <pthread.h>
#include <string.h>

#include "block_cache.h"
#include "tap.h"

/* A block freed with a host held comes back for a request of the same
 * size and for smaller ones of its class. */
static void test_reuse(void)
{
    block_cache_hold();
    void *p = enet_malloc(64);
    enet_free(p);
    void *q = enet_malloc(64);
    tap_ok(q == p, "a freed 64-byte block is reused for 64 bytes");
    enet_free(q);
    q = enet_malloc(57);
    tap_ok(q == p && malloc_usable_size(q) >= 57, "and for 57 bytes (same class)");
    enet_free(q);
    block_cache_release();
}

/* Every size up to 1,400 bytes: whatever block comes back holds the
 * request (malloc_usable_size), even after blocks of all sizes were freed. */
static void test_sizes_fit(void)
{
    enum { MAX = 1400 };
    static void *blocks[MAX + 1];
    block_cache_hold();
    for (size_t n = 1; n <= MAX; n++)
        blocks[n] = enet_malloc(n);
    for (size_t n = 1; n <= MAX; n++)
        enet_free(blocks[n]);
    size_t too_small = 0;
    for (size_t n = MAX; n >= 1; n--) {
        blocks[n] = enet_malloc(n);
        if (malloc_usable_size(blocks[n]) < n)
            too_small++;
        memset(blocks[n], 0xA5, n);
    }
    tap_ok(too_small == 0, "1,400 sizes: every reused block holds its request (%zu short)",
           too_small);
    for (size_t n = 1; n <= MAX; n++)
        enet_free(blocks[n]);
    block_cache_release();
}

/* A block is never handed out for a request larger than it. */
static void test_no_growth(void)
{
    block_cache_hold();
    void *p = enet_malloc(64);
    enet_free(p);
    void *q = enet_malloc(200);
    tap_ok(q != p && malloc_usable_size(q) >= 200, "a 64-byte block is not used for 200 bytes");
    enet_free(q);
    block_cache_release();
}

/* Bytes malloc counts as in use. */
static size_t in_use(void)
{
    return mallinfo2().uordblks;
}

/* Cached blocks count as in use until the last host's release frees them;
 * without a host, free really frees. */
static void test_release_frees(void)
{
    enum { N = 100, SIZE = 300 };
    void *p[N];
    size_t before = in_use();
    for (int i = 0; i < N; i++)
        p[i] = enet_malloc(SIZE);
    for (int i = 0; i < N; i++)
        enet_free(p[i]);
    tap_ok(in_use() < before + SIZE, "without a host, freed blocks go back to malloc");

    block_cache_hold();
    block_cache_hold();
    for (int i = 0; i < N; i++)
        p[i] = enet_malloc(SIZE);
    for (int i = 0; i < N; i++)
        enet_free(p[i]);
    size_t cached = in_use() - before;
    block_cache_release();
    tap_ok(in_use() - before == cached, "one of two hosts released: %zu bytes stay cached", cached);
    block_cache_release();
    tap_ok(cached >= N * SIZE && in_use() < before + SIZE,
           "the last release gives them back to malloc");
    block_cache_release(); /* one too many: harmless */
    p[0] = enet_malloc(SIZE);
    enet_free(p[0]);
    tap_ok(in_use() < before + SIZE, "after an extra release nothing is cached");
}

/* Blocks allocated in one thread and freed in another. */
#define HANDOFF 20000
static void *handoff[HANDOFF];

static void *free_all(void *unused)
{
    (void)unused;
    block_cache_hold();
    for (int i = 0; i < HANDOFF; i++)
        enet_free(handoff[i]);
    for (int i = 0; i < HANDOFF; i++) { /* and churn its own cache */
        void *p = enet_malloc((size_t)(i % 1300) + 1);
        memset(p, 1, (size_t)(i % 1300) + 1);
        enet_free(p);
    }
    block_cache_release();
    return NULL;
}

static void test_threads(void)
{
    block_cache_hold();
    for (int i = 0; i < HANDOFF; i++) {
        handoff[i] = enet_malloc((size_t)(i % 1300) + 1);
        memset(handoff[i], 2, (size_t)(i % 1300) + 1);
    }
    pthread_t t;
    int ok = pthread_create(&t, NULL, free_all, NULL) == 0 && pthread_join(t, NULL) == 0;
    tap_ok(ok, "20,000 blocks allocated here, freed in another thread that has its own host");
    block_cache_release();
}

/* Two hosts exchange 2,000 reliable messages through the cache. */
static void test_hosts(void)
{
    ENetAddress any = { ENET_HOST_ANY, 0 };
    enet_address_set_host_ip(&any, "127.0.0.1");
    ENetHost *server = enet_host_create(&any, 1, 1, 0, 0);
    ENetHost *client = enet_host_create(NULL, 1, 1, 0, 0);
    if (!tap_ok(server && client, "two hosts on 127.0.0.1"))
        return;
    block_cache_hold();
    block_cache_hold();
    ENetAddress to = { 0, server->address.port };
    enet_address_set_host_ip(&to, "127.0.0.1");
    ENetPeer *peer = enet_host_connect(client, &to, 1, 0);
    int connected = 0, received = 0, sent = 0, corrupt = 0;
    for (int round = 0; round < 20000 && received < 2000; round++) {
        ENetEvent e;
        while (enet_host_service(client, &e, 0) > 0)
            if (e.type == ENET_EVENT_TYPE_CONNECT)
                connected = 1;
        for (int k = 0; connected && k < 50 && sent < 2000; k++, sent++) {
            char text[600];
            memset(text, 'a' + sent % 26, sizeof text);
            enet_peer_send(peer, 0, enet_packet_create(text, (size_t)(sent % 600) + 1,
                                                       ENET_PACKET_FLAG_RELIABLE));
        }
        enet_host_flush(client);
        while (enet_host_service(server, &e, 1) > 0) {
            if (e.type != ENET_EVENT_TYPE_RECEIVE)
                continue;
            size_t want = (size_t)(received % 600) + 1;
            if (e.packet->dataLength != want || e.packet->data[0] != 'a' + received % 26)
                corrupt++;
            received++;
            enet_packet_destroy(e.packet);
        }
    }
    if (!tap_ok(received == 2000 && corrupt == 0, "2,000 messages of 1..600 B arrive intact"))
        tap_note("%d sent, %d received, %d corrupt", sent, received, corrupt);
    enet_host_destroy(client);
    block_cache_release();
    enet_host_destroy(server);
    block_cache_release();
}

int main(void)
{
    if (!tap_ok(block_cache_enet_initialize() == 0, "ENet initialised with the cache"))
        return tap_done();
    test_reuse();
    test_sizes_fit();
    test_no_growth();
    test_release_frees();
    test_threads();
    test_hosts();
    enet_deinitialize();
    return tap_done();
}
