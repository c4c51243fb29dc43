/*
 * socket.c - the socket layer under libenet (see socket.h).
 *
 * libenet calls enet_socket_send / enet_socket_receive through its PLT; when
 * Lua loads this module, those calls bind to the definitions below. Each
 * registered socket has an entry (counters, optional filter); entries live
 * in a two-level table indexed by file descriptor so that lookups on the
 * hot path take no lock. Only the Lua state that owns a host touches its
 * entry; the lock only guards page allocation and the probe.
 */
#include "socket.h"

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "buffers.h"
#include "linksim.h"
#include "receive_ring.h"

#include "visibility.h" /* last: hides what this file defines */

#define PAGE_BITS 8
#define PAGE_SIZE (1u << PAGE_BITS)
#define PAGE_COUNT 256u /* file descriptors below 65,536 */
_Static_assert(PAGE_SIZE * PAGE_COUNT == SOCKET_LAYER_MAX_FD + 1u, "socket.h's limit");

/* Truncated or empty datagrams dropped in one receive call (or ring fills
 * that kept none) before giving up. */
#define MAX_DROPS_PER_RECEIVE 64

/* libenet 1.3.17 reads at most this many datagrams per service, then may
 * wait in poll(), which cannot see datagrams held in a receive ring. */
#define ENET_RECEIVES_PER_SERVICE 256u

typedef struct socket_entry {
    socket_counters counters;
    socket_filter filter; /* filter.send == NULL: plain UDP */
    wire_capture *capture; /* test hook; NULL: off */
    linksim *sim;         /* NULL: the real link only */
    receive_ring *ring;   /* batched receive; made at the first burst */
    unsigned burst;       /* datagrams ENet got since it last found none */
    int is_probe;
} socket_entry;

typedef struct entry_page {
    _Atomic(socket_entry *) slots[PAGE_SIZE];
} entry_page;

static _Atomic(entry_page *) pages[PAGE_COUNT];
static pthread_mutex_t pages_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int probe_seen;

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

static socket_entry *entry_find(ENetSocket s)
{
    _Atomic(socket_entry *) *slot = entry_slot(s, 0);
    return slot ? atomic_load_explicit(slot, memory_order_acquire) : NULL;
}

static void filter_destroy(socket_filter *f)
{
    if (f->destroy != NULL)
        f->destroy(f->ctx);
    memset(f, 0, sizeof *f);
}

static void entry_free(socket_entry *e)
{
    filter_destroy(&e->filter);
    wire_capture_free(e->capture);
    linksim_free(e->sim);
    receive_ring_free(e->ring);
    free(e);
}

int socket_layer_register(ENetSocket s)
{
    if (s > SOCKET_LAYER_MAX_FD)
        return SOCKET_LAYER_FD_TOO_HIGH;
    _Atomic(socket_entry *) *slot = entry_slot(s, 1);
    if (slot == NULL)
        return -1;
    socket_entry *e = calloc(1, sizeof *e);
    if (e == NULL)
        return -1;
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
    socket_entry *e = entry_find(s);
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
    socket_entry *e = entry_find(s);
    return e != NULL && e->filter.send != NULL ? &e->filter : NULL;
}

void socket_layer_peer_gone(ENetSocket s, const ENetAddress *address)
{
    socket_entry *e = entry_find(s);
    if (e != NULL && e->filter.peer_gone != NULL)
        e->filter.peer_gone(e->filter.ctx, address);
}

const socket_counters *socket_layer_counters(ENetSocket s)
{
    socket_entry *e = entry_find(s);
    return e ? &e->counters : NULL;
}

int socket_layer_capture(ENetSocket s, size_t capacity)
{
    socket_entry *e = entry_find(s);
    if (e == NULL)
        return -1;
    wire_capture *capture = NULL;
    if (capacity > 0 && (capture = wire_capture_new(capacity)) == NULL)
        return -1;
    wire_capture_free(e->capture);
    e->capture = capture;
    return 0;
}

const wire_capture *socket_layer_captured(ENetSocket s)
{
    socket_entry *e = entry_find(s);
    return e != NULL ? e->capture : NULL;
}

/* ---- plain UDP, ENet's semantics ---------------------------------------- */

/* The test capture sees each datagram as it goes onto or comes off the
 * wire (after the simulated link, if any, let it through). */
static void capture_datagram(ENetSocket s, int sent, const ENetAddress *address,
                             const ENetBuffer *buffers, size_t count, size_t length)
{
    socket_entry *e = entry_find(s);
    if (e != NULL && e->capture != NULL)
        wire_capture_add(e->capture, sent, address, buffers, count, length);
}

static void to_sockaddr(const ENetAddress *a, struct sockaddr_in *sin)
{
    memset(sin, 0, sizeof *sin);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(a->port);
    sin->sin_addr.s_addr = a->host;
}

/* One datagram onto the wire now. */
static int udp_send_now(ENetSocket s, const ENetAddress *to,
                        const ENetBuffer *buffers, size_t count)
{
    struct sockaddr_in sin;
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    if (to != NULL) {
        to_sockaddr(to, &sin);
        msg.msg_name = &sin;
        msg.msg_namelen = sizeof sin;
    }
    /* ENetBuffer on Unix is laid out as struct iovec (ENet relies on it). */
    msg.msg_iov = (struct iovec *)buffers;
    msg.msg_iovlen = count;
    ssize_t sent = sendmsg(s, &msg, MSG_NOSIGNAL);
    if (sent < 0)
        return (errno == EWOULDBLOCK || errno == EAGAIN) ? 0 : -1;
    capture_datagram(s, 1, to, buffers, count, (size_t)sent);
    return (int)sent;
}

/*
 * One datagram onto the wire of a registered socket. A send the kernel
 * refuses for this destination (unroutable: ENETUNREACH, or EINVAL from a
 * socket bound to 127.0.0.1; EPERM from a firewall; ENOBUFS for a moment)
 * is a datagram lost on the way, counted: ENet resends and in the end
 * times that peer out while the others go on, where -1 would make every
 * service() of the host fail until then. Only errors that say the socket
 * itself is unusable are returned.
 */
static int udp_send_registered(socket_entry *e, ENetSocket s, const ENetAddress *to,
                               const ENetBuffer *buffers, size_t count)
{
    int sent = udp_send_now(s, to, buffers, count);
    if (sent >= 0 || errno == EBADF || errno == ENOTSOCK || errno == EFAULT ||
        errno == EDESTADDRREQ)
        return sent;
    e->counters.send_errors++;
    return (int)buffers_length(buffers, count);
}

static uint64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

/* Sends whatever the simulated link holds that is due by now. */
static void link_flush(socket_entry *e, ENetSocket s)
{
    uint64_t now = now_ms();
    linksim_datagram *d;
    while ((d = linksim_pop_due(e->sim, now)) != NULL) {
        ENetBuffer buffer = { .data = d->data, .dataLength = d->length };
        udp_send_registered(e, s, &d->to, &buffer, 1); /* a real link loses too */
        free(d);
    }
}

/* The wire as seen from entry `e` (NULL for unregistered sockets): the
 * simulated link when one is set, else the real one. */
static int udp_send_entry(socket_entry *e, ENetSocket s, const ENetAddress *to,
                          const ENetBuffer *buffers, size_t count)
{
    if (e == NULL)
        return udp_send_now(s, to, buffers, count);
    if (e->sim == NULL || to == NULL)
        return udp_send_registered(e, s, to, buffers, count);
    size_t length = buffers_length(buffers, count);
    linksim_push(e->sim, to, buffers, count, now_ms());
    link_flush(e, s);
    return (int)length;
}

int socket_udp_send(ENetSocket s, const ENetAddress *to,
                    const ENetBuffer *buffers, size_t count)
{
    return udp_send_entry(entry_find(s), s, to, buffers, count);
}

int socket_layer_simulate(ENetSocket s, const linksim_config *config)
{
    socket_entry *e = entry_find(s);
    if (e == NULL)
        return -1;
    linksim *sim = NULL;
    if (config != NULL && (sim = linksim_new(config)) == NULL)
        return -1;
    if (e->sim != NULL)
        link_flush(e, s); /* what is due goes out; the rest is lost with the old link */
    linksim_free(e->sim);
    e->sim = sim;
    return 0;
}

const linksim_counters *socket_layer_link_counters(ENetSocket s)
{
    socket_entry *e = entry_find(s);
    return e != NULL && e->sim != NULL ? linksim_get_counters(e->sim) : NULL;
}

/* One datagram straight into ENet's buffers with recvmsg. */
static int receive_direct(socket_entry *e, ENetSocket s, ENetAddress *from,
                          ENetBuffer *buffers, size_t count)
{
    for (int drops = 0; drops < MAX_DROPS_PER_RECEIVE; drops++) {
        struct sockaddr_in sin;
        struct msghdr msg;
        memset(&msg, 0, sizeof msg);
        msg.msg_name = &sin;
        msg.msg_namelen = sizeof sin;
        msg.msg_iov = (struct iovec *)buffers;
        msg.msg_iovlen = count;
        if (e != NULL)
            e->counters.receive_calls++;
        ssize_t got = recvmsg(s, &msg, MSG_NOSIGNAL);
        if (got < 0)
            return (errno == EWOULDBLOCK || errno == EAGAIN) ? 0 : -1;
        if ((msg.msg_flags & MSG_TRUNC) || got == 0) {
            /* Larger than ENet's MTU: not ENet. Drop it and read the next
             * rather than fail the whole service call as ENet would. Empty:
             * not ENet either, and 0 would tell ENet "nothing more". */
            if (e != NULL)
                e->counters.datagrams_dropped++;
            continue;
        }
        ENetAddress sender = { .host = sin.sin_addr.s_addr, .port = ntohs(sin.sin_port) };
        if (from != NULL)
            *from = sender;
        capture_datagram(s, 0, &sender, buffers, count, (size_t)got);
        return (int)got;
    }
    return 0;
}

int socket_udp_receive(ENetSocket s, ENetAddress *from,
                       ENetBuffer *buffers, size_t count)
{
    return receive_direct(entry_find(s), s, from, buffers, count);
}

/*
 * ENet's receive on a socket without a filter. Once a burst shows (ENet
 * took two datagrams and asks for a third in the same service), one
 * recvmmsg reads up to 16 and the next calls copy them from the ring.
 * The ring never holds more than ENet will still ask for in this service
 * (its 256-datagram limit), so ENet never waits in poll() while datagrams
 * sit here. A filter (DTLS) reads the socket itself, directly.
 */
static int receive_batched(socket_entry *e, ENetSocket s, ENetAddress *from,
                           ENetBuffer *buffers, size_t count)
{
    for (int fills = 0; fills < MAX_DROPS_PER_RECEIVE; fills++) {
        /* Whatever the ring holds goes to ENet first: never "nothing"
         * (0) while datagrams wait here, unseen by poll(). */
        while (e->ring != NULL && receive_ring_held(e->ring)) {
            ENetAddress sender;
            int got = receive_ring_take(e->ring, &sender, buffers, count);
            if (got < 0) { /* larger than ENet's buffers */
                e->counters.datagrams_dropped++;
                continue;
            }
            if (from != NULL)
                *from = sender;
            capture_datagram(s, 0, &sender, buffers, count, (size_t)got);
            return got;
        }
        unsigned left = ENET_RECEIVES_PER_SERVICE - e->burst;
        if (e->burst < 2 || left < 2)
            break;
        if (e->ring == NULL && (e->ring = receive_ring_new()) == NULL)
            break; /* out of memory: read directly */
        e->counters.receive_calls++;
        int read = receive_ring_fill(e->ring, s, left, &e->counters.datagrams_dropped);
        if (read <= 0)
            return read;
    }
    return receive_direct(e, s, from, buffers, count);
}

int socket_layer_send_raw(ENetSocket s, const ENetAddress *to,
                          const void *data, size_t length)
{
    ENetBuffer buffer;
    buffer.data = (void *)data;
    buffer.dataLength = length;
    socket_entry *e = entry_find(s);
    if (e != NULL && e->filter.send != NULL)
        return e->filter.send(e->filter.ctx, s, to, &buffer, 1);
    return udp_send_entry(e, s, to, &buffer, 1);
}

/* ---- the two hooks libenet calls ---------------------------------------- */

EXPORT int
enet_socket_send(ENetSocket s, const ENetAddress *to,
                 const ENetBuffer *buffers, size_t count)
{
    socket_entry *e = entry_find(s);
    if (e == NULL)
        return udp_send_now(s, to, buffers, count);
    if (e->is_probe)
        atomic_store(&probe_seen, 1);
    int sent = e->filter.send != NULL
                   ? e->filter.send(e->filter.ctx, s, to, buffers, count)
                   : udp_send_entry(e, s, to, buffers, count);
    if (sent > 0) {
        e->counters.datagrams_sent++;
        e->counters.bytes_sent += (uint64_t)sent;
    }
    return sent;
}

EXPORT int
enet_socket_receive(ENetSocket s, ENetAddress *from, ENetBuffer *buffers,
                    size_t count)
{
    socket_entry *e = entry_find(s);
    if (e == NULL)
        return socket_udp_receive(s, from, buffers, count);
    if (e->sim != NULL) /* ENet receives on every service: the link's clock */
        link_flush(e, s);
    int got = e->filter.receive != NULL
                  ? e->filter.receive(e->filter.ctx, s, from, buffers, count)
                  : receive_batched(e, s, from, buffers, count);
    if (got > 0) {
        e->counters.datagrams_received++;
        e->counters.bytes_received += (uint64_t)got;
        if (e->burst < ENET_RECEIVES_PER_SERVICE)
            e->burst++;
    } else {
        e->burst = 0; /* ENet's receive loop ends here */
    }
    return got;
}

/* ---- the probe ---------------------------------------------------------- */

/* A throw-away host on 127.0.0.1 connects to itself and flushes: if libenet's
 * send reaches our hook, the layer is live. When libenet was loaded globally
 * before this module (LD_PRELOAD, another binding), it is not. */
static int probe_state; /* 1 active, -1 inactive, once probed */

static void probe_run(void)
{
    ENetAddress address = { .host = htonl(INADDR_LOOPBACK), .port = 0 };
    ENetHost *host = enet_host_create(&address, 1, 1, 0, 0);
    if (host == NULL) {
        probe_state = -1;
        return;
    }
    ENetAddress self;
    if (socket_layer_register(host->socket) == 0 &&
        enet_socket_get_address(host->socket, &self) == 0) {
        entry_find(host->socket)->is_probe = 1;
        self.host = htonl(INADDR_LOOPBACK);
        if (enet_host_connect(host, &self, 1, 0) != NULL)
            enet_host_flush(host);
    }
    socket_layer_unregister(host->socket);
    enet_host_destroy(host);
    probe_state = atomic_load(&probe_seen) ? 1 : -1;
}

int socket_layer_active(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, probe_run); /* also publishes probe_state */
    return probe_state > 0;
}
