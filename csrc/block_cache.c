/*
 * block_cache.c - libenet's allocator: malloc/free with a per-thread cache
 * of freed blocks in front.
 *
 * Per message libenet allocates and frees about seven small blocks (the
 * packet and its data on each side, an outgoing and an incoming command,
 * an acknowledgement), in bursts larger than glibc's own per-thread cache
 * holds: malloc and free were half of libenet's instructions per message
 * (docs/performance.md). Here a freed block goes onto a free list by size
 * and the next request of that size takes it back.
 *
 * The cached blocks are ordinary malloc blocks, sized by
 * malloc_usable_size: a block malloc'd before the cache was installed, or
 * by another user of the same libenet, is cached or freed like any other,
 * and free() can always take any block back. State is thread-local, so
 * hosts in different threads (LOVE threads) never share a list; a thread
 * caches only while it has a host (block_cache_hold), and its last host's
 * destruction frees every cached block, so nothing is held at exit. (A host
 * destroyed by another thread than its creator only skews the counts the
 * safe way: one thread keeps its at most 256 KiB, the other caches less.)
 *
 * The allocator is process-wide in libenet and stays installed for the
 * life of the process, after every Lua state has closed (module.c pins the
 * module so that these functions stay mapped). Another user of the same
 * libenet installing its own would have to be malloc-compatible, as it
 * already had to be for the blocks libenet allocated before it.
 *
 * Not built with AddressSanitizer: reusing blocks would hide
 * use-after-free from it.
 */
#include "block_cache.h"

#include <enet/enet.h>
#include <stdlib.h>

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
#define BLOCK_CACHE_ENABLED 1
#include <malloc.h>
#else
#define BLOCK_CACHE_ENABLED 0
#endif

#include "visibility.h" /* last: hides what this file defines */

#if BLOCK_CACHE_ENABLED

/* Size classes in 16-byte steps of malloc's chunk size (usable size + 8):
 * up to 1,280 bytes, a 1 KiB message's data with ENet's slack. */
#define GRAIN 16
#define CLASSES 80
#define CACHE_BYTES (256u * 1024) /* blocks of all classes, per thread */

typedef struct free_block {
    struct free_block *next;
} free_block;

typedef struct thread_cache {
    free_block *head[CLASSES];
    size_t room;  /* bytes that may still be cached */
    int hosts;    /* hosts alive in this thread */
} thread_cache;

/* Only a pointer is thread-local, in the initial-exec model: one load per
 * call instead of a __tls_get_addr call, and 8 bytes of the static TLS
 * that glibc keeps for dlopen'ed libraries. NULL while the thread has no
 * host. */
static _Thread_local thread_cache *cache __attribute__((tls_model("initial-exec")));

/* A request of n bytes fits any block of its class or above: class k holds
 * blocks with usable size >= k * GRAIN - 8, and a request of class k needs
 * at most that many bytes. */
static size_t class_of_request(size_t n)
{
    return (n + 8 + GRAIN - 1) / GRAIN;
}

static void *cached_malloc(size_t n)
{
    thread_cache *tc = cache;
    size_t k = class_of_request(n);
    if (tc != NULL && k < CLASSES && tc->head[k] != NULL) {
        free_block *b = tc->head[k];
        tc->head[k] = b->next;
        tc->room += k * GRAIN;
        return b;
    }
    return malloc(n);
}

static void cached_free(void *p)
{
    thread_cache *tc = cache;
    if (tc != NULL && p != NULL) {
        size_t k = (malloc_usable_size(p) + 8) / GRAIN;
        /* Class 0 (under 8 usable bytes, only from allocators that report
         * the size asked for) cannot hold the list link. */
        if (k > 0 && k < CLASSES && tc->room >= k * GRAIN) {
            free_block *b = p;
            b->next = tc->head[k];
            tc->head[k] = b;
            tc->room -= k * GRAIN;
            return;
        }
    }
    free(p);
}

int block_cache_enet_initialize(void)
{
    ENetCallbacks callbacks = { cached_malloc, cached_free, NULL };
    return enet_initialize_with_callbacks(ENET_VERSION, &callbacks);
}

void block_cache_hold(void)
{
    if (cache == NULL) {
        cache = calloc(1, sizeof *cache);
        if (cache == NULL)
            return; /* no cache: plain malloc/free */
        cache->room = CACHE_BYTES;
    }
    cache->hosts++;
}

void block_cache_release(void)
{
    thread_cache *tc = cache;
    if (tc == NULL || --tc->hosts > 0)
        return;
    cache = NULL;
    for (size_t k = 0; k < CLASSES; k++) {
        while (tc->head[k] != NULL) {
            free_block *b = tc->head[k];
            tc->head[k] = b->next;
            free(b);
        }
    }
    free(tc);
}

#else

int block_cache_enet_initialize(void)
{
    return enet_initialize();
}

void block_cache_hold(void)
{
}

void block_cache_release(void)
{
}

#endif
