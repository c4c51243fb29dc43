/*
 * socket_registry.c - the socket layer's registry: one entry per registered
 * socket (socket_entry.h), and the calls that configure it (socket.h).
 *
 * Entries live in a two-level table indexed by file descriptor so that
 * lookups on the hot path take no lock. Only the Lua state that owns a host
 * touches its entry; the lock only guards page allocation.
 */
#include "socket_entry.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "address.h"

#include "check.h"

#include "visibility.h" /* last: hides what this file defines */

#define PAGE_BITS 8
#define PAGE_SIZE (1u << PAGE_BITS)
#define PAGE_COUNT 256u /* file descriptors below 65,536 */
_Static_assert(PAGE_SIZE * PAGE_COUNT == SOCKET_LAYER_MAX_FD + 1u, "socket.h's limit");

typedef struct entry_page {
    _Atomic(socket_entry *) slots[PAGE_SIZE];
} entry_page;

static _Atomic(entry_page *) pages[PAGE_COUNT];
static pthread_mutex_t pages_lock = PTHREAD_MUTEX_INITIALIZER;

static _Atomic(socket_entry *) *entry_slot(ENetSocket s, int create)
{
    if (s < 0 || (unsigned)s >= PAGE_SIZE * PAGE_COUNT)
        return NULL;
    unsigned page = (unsigned)s >> PAGE_BITS;
    entry_page *p = atomic_load_explicit(&pages[page], memory_order_acquire);
    if (p == NULL && create) {
        pthread_mutex_lock(&pages_lock);
        p = atomic_load_explicit(&pages[page], memory_order_acquire);
        if (p == NULL) {
            p = calloc(1, sizeof *p); /* kept for the life of the process */
            if (p != NULL)
                atomic_store_explicit(&pages[page], p, memory_order_release);
        }
        pthread_mutex_unlock(&pages_lock);
    }
    if (p == NULL)
        return NULL;
    return &p->slots[(unsigned)s & (PAGE_SIZE - 1)];
}

socket_entry *socket_registry_find(ENetSocket s)
{
    _Atomic(socket_entry *) *slot = entry_slot(s, 0);
    socket_entry *e = slot ? atomic_load_explicit(slot, memory_order_acquire) : NULL;
    ENET_ASSERT(e == NULL || e->fd == s);
    return e;
}

static void filter_destroy(socket_filter *f)
{
    if (f->destroy != NULL)
        f->destroy(f->ctx);
    memset(f, 0, sizeof *f);
}

static void entry_free(socket_entry *e)
{
    /* The link first: what the filter sends as it goes (close_notify)
     * leaves at once rather than die in the link. */
    linksim_free(e->sim);
    e->sim = NULL;
    filter_destroy(&e->filter);
#ifdef ENETCONNECTION_TESTS
    wire_capture_free(e->capture);
#endif
    receive_ring_free(e->ring);
    address_tokens_free(e->tokens);
    free(e);
}

/* The families a socket reaches: an IPv6 socket without IPV6_V6ONLY
 * (socket_create.c's dual stack) reaches both. */
static int socket_families(ENetSocket s)
{
    socket_sockaddr name;
    socklen_t length = sizeof name;
    if (getsockname(s, &name.sa, &length) != 0 || name.sa.sa_family != AF_INET6)
        return ADDRESS_IPV4;
    int v6only = 1;
    length = sizeof v6only;
    if (getsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &length) != 0)
        v6only = 1;
    return v6only ? ADDRESS_IPV6 : ADDRESS_IPV4 | ADDRESS_IPV6;
}

int socket_layer_register(const ENetHost *host)
{
    ENetSocket s = host->socket;
    if (s > SOCKET_LAYER_MAX_FD)
        return SOCKET_LAYER_FD_TOO_HIGH;
    _Atomic(socket_entry *) *slot = entry_slot(s, 1);
    if (slot == NULL)
        return -1;
    socket_entry *e = calloc(1, sizeof *e);
    if (e == NULL)
        return -1;
    e->fd = s;
    e->host = host;
    e->families = socket_families(s);
    socket_entry *old = atomic_exchange(slot, e);
    if (old != NULL) /* a previous owner of this fd forgot to unregister */
        entry_free(old);
    return 0;
}

void socket_layer_unregister(ENetSocket s)
{
    _Atomic(socket_entry *) *slot = entry_slot(s, 0);
    if (slot == NULL)
        return;
    socket_entry *e = atomic_exchange(slot, NULL);
    if (e != NULL)
        entry_free(e);
}

int socket_layer_set_filter(ENetSocket s, const socket_filter *filter)
{
    socket_entry *e = socket_registry_find(s);
    if (e == NULL)
        return -1;
    filter_destroy(&e->filter);
    e->filter = *filter;
    /* The filter reads the socket itself; plain datagrams still held from
     * before it are not for it. */
    if (e->ring != NULL) {
        while (receive_ring_held(e->ring)) {
            ENetBuffer none = { NULL, 0 };
            receive_ring_take(e->ring, NULL, &none, 1);
            e->counters.datagrams_dropped++;
        }
    }
    return 0;
}

const socket_filter *socket_layer_filter(ENetSocket s)
{
    socket_entry *e = socket_registry_find(s);
    return e != NULL && e->filter.send != NULL ? &e->filter : NULL;
}

void socket_layer_peer_gone(ENetSocket s, const ENetAddress *address)
{
    socket_entry *e = socket_registry_find(s);
    if (e != NULL && e->filter.peer_gone != NULL)
        e->filter.peer_gone(e->filter.ctx, address);
}

const socket_counters *socket_layer_counters(ENetSocket s)
{
    socket_entry *e = socket_registry_find(s);
    return e ? &e->counters : NULL;
}

size_t socket_layer_ipv6_remotes(ENetSocket s)
{
    socket_entry *e = socket_registry_find(s);
    return e != NULL && e->tokens != NULL ? address_tokens_size(e->tokens) : 0;
}

int socket_layer_simulate(ENetSocket s, const linksim_config *config)
{
    socket_entry *e = socket_registry_find(s);
    if (e == NULL)
        return -1;
    linksim *sim = NULL;
    if (config != NULL && (sim = linksim_new(config)) == NULL)
        return -1;
    if (e->sim != NULL) /* what is due goes out; the rest is lost with the old link */
        socket_pipeline_flush_link(e);
    linksim_free(e->sim);
    e->sim = sim;
    return 0;
}

const linksim_counters *socket_layer_link_counters(ENetSocket s)
{
    socket_entry *e = socket_registry_find(s);
    return e != NULL && e->sim != NULL ? linksim_get_counters(e->sim) : NULL;
}
