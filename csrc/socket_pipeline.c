/*
 * socket_pipeline.c - the stages a registered socket's datagrams go
 * through, in order (docs/design.md draws them):
 *
 *   send     ENet -> filter -> link simulator -> capture -> UDP
 *   receive  ENet <- filter <-------------------- capture <- [ring] <- UDP
 *
 * The filter (DTLS) is optional; it writes and reads "the wire", the stages
 * below it, through socket_wire_send / socket_wire_receive. The simulated
 * link delays outgoing datagrams; its clock is ENet's receive, which runs
 * on every service. The capture exists only in the test build
 * (csrc/test/wire_capture.h). The receive ring (batched recvmmsg) serves
 * sockets without a filter. Each stage gets the socket's entry.
 */
#include "socket_entry.h"

#include <stdlib.h>
#include <time.h>

#include "buffers.h"
#include "check.h"

#include "visibility.h" /* last: hides what this file defines */

/* libenet 1.3.17 reads at most this many datagrams per service, then may
 * wait in poll(), which cannot see datagrams held in a receive ring. */
#define ENET_RECEIVES_PER_SERVICE 256u

static uint64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

/* The capture stage: a copy of each datagram as it goes onto or comes off
 * the wire (after the simulated link let it through). Nothing outside the
 * test build. */
static inline void capture(socket_entry *e, int sent, const ENetAddress *address,
                           const ENetBuffer *buffers, size_t count, size_t length)
{
#ifdef ENETCONNECTION_TESTS
    if (e->capture != NULL)
        wire_capture_add(e->capture, sent, address, buffers, count, length);
#else
    (void)e, (void)sent, (void)address, (void)buffers, (void)count, (void)length;
#endif
}

/* ---- send --------------------------------------------------------------- */

/*
 * capture -> UDP: one datagram onto the wire. A send the kernel refuses
 * for this destination (unroutable: ENETUNREACH, or EINVAL from a socket
 * bound to 127.0.0.1; EPERM from a firewall; ENOBUFS for a moment) is a
 * datagram lost on the way, counted: ENet resends and in the end times
 * that peer out while the others go on, where -1 would make every
 * service() of the host fail until then. Only errors that say the socket
 * itself is unusable are returned.
 */
static int wire_out(socket_entry *e, const ENetAddress *to,
                    const ENetBuffer *buffers, size_t count)
{
    int sent = socket_udp_send(e->fd, e, to, buffers, count);
    if (sent >= 0) {
        ENET_ASSERT((size_t)sent <= buffers_length(buffers, count));
        capture(e, 1, to, buffers, count, (size_t)sent);
        return sent;
    }
    if (socket_udp_would_block())
        return 0;
    if (errno == EBADF || errno == ENOTSOCK || errno == EFAULT || errno == EDESTADDRREQ)
        return -1;
    e->counters.send_errors++;
    return (int)buffers_length(buffers, count);
}

void socket_pipeline_flush_link(socket_entry *e)
{
    uint64_t now = now_ms();
    linksim_datagram *d;
    while ((d = linksim_pop_due(e->sim, now)) != NULL) {
        ENetBuffer buffer = { .data = d->data, .dataLength = d->length };
        wire_out(e, &d->to, &buffer, 1); /* a real link loses too */
        free(d);
    }
}

/* link simulator -> capture -> UDP */
int socket_wire_send(socket_entry *e, const ENetAddress *to,
                     const ENetBuffer *buffers, size_t count)
{
    if (e->sim == NULL || to == NULL)
        return wire_out(e, to, buffers, count);
    size_t length = buffers_length(buffers, count);
    linksim_push(e->sim, to, buffers, count, now_ms());
    socket_pipeline_flush_link(e);
    return (int)length;
}

/* filter -> wire */
static int send_down(socket_entry *e, const ENetAddress *to,
                     const ENetBuffer *buffers, size_t count)
{
    int sent = e->filter.send != NULL
                   ? e->filter.send(e->filter.ctx, e, to, buffers, count)
                   : socket_wire_send(e, to, buffers, count);
    ENET_ASSERT(sent <= (int)buffers_length(buffers, count));
    return sent;
}

int socket_pipeline_send(socket_entry *e, const ENetAddress *to,
                         const ENetBuffer *buffers, size_t count)
{
    int sent = send_down(e, to, buffers, count);
    if (sent > 0) {
        e->counters.datagrams_sent++;
        e->counters.bytes_sent += (uint64_t)sent;
    }
    return sent;
}

int socket_layer_send_raw(ENetSocket s, const ENetAddress *to,
                          const void *data, size_t length)
{
    ENetBuffer buffer = { .data = (void *)data, .dataLength = length };
    socket_entry *e = socket_registry_find(s);
    if (e != NULL)
        return send_down(e, to, &buffer, 1);
    int sent = socket_udp_send(s, NULL, to, &buffer, 1);
    return sent >= 0 ? sent : socket_udp_would_block() ? 0 : -1;
}

/* ---- receive ------------------------------------------------------------ */

/* capture <- UDP: one datagram straight into ENet's buffers (recvmsg). */
int socket_wire_receive(socket_entry *e, ENetAddress *from,
                        ENetBuffer *buffers, size_t count)
{
    ENetAddress sender;
    int got = socket_udp_receive(e->fd, e, &sender, buffers, count);
    if (got > 0) {
        if (from != NULL)
            *from = sender;
        capture(e, 0, &sender, buffers, count, (size_t)got);
    }
    return got;
}

/*
 * capture <- ring <- UDP, for a socket without a filter. Once a burst
 * shows (ENet took two datagrams and asks for a third in the same
 * service), one recvmmsg reads up to 16 and the next calls copy them from
 * the ring. The ring never holds more than ENet will still ask for in this
 * service (its 256-datagram limit), so ENet never waits in poll() while
 * datagrams sit here.
 */
static int ring_receive(socket_entry *e, ENetAddress *from,
                        ENetBuffer *buffers, size_t count)
{
    ENET_ASSERT(e->burst <= ENET_RECEIVES_PER_SERVICE);
    for (int fills = 0; fills < SOCKET_MAX_DROPS_PER_RECEIVE; fills++) {
        /* Whatever the ring holds goes to ENet first: never "nothing"
         * (0) while datagrams wait here, unseen by poll(). */
        while (e->ring != NULL && receive_ring_held(e->ring)) {
            socket_sockaddr name;
            ENetAddress sender;
            int got = receive_ring_take(e->ring, &name.v6, buffers, count);
            if (got < 0 || socket_udp_enet_address(e, &name, &sender) != 0) {
                /* larger than ENet's buffers, or an IPv6 source the token
                 * table cannot take */
                e->counters.datagrams_dropped++;
                continue;
            }
            if (from != NULL)
                *from = sender;
            capture(e, 0, &sender, buffers, count, (size_t)got);
            return got;
        }
        unsigned left = ENET_RECEIVES_PER_SERVICE - e->burst;
        if (e->burst < 2 || left < 2)
            break;
        if (e->ring == NULL && (e->ring = receive_ring_new()) == NULL)
            break; /* out of memory: read directly */
        e->counters.receive_calls++;
        int read = receive_ring_fill(e->ring, e->fd, left, &e->counters.datagrams_dropped);
        if (read <= 0)
            return read;
    }
    return socket_wire_receive(e, from, buffers, count);
}

int socket_pipeline_receive(socket_entry *e, ENetAddress *from,
                            ENetBuffer *buffers, size_t count)
{
    if (e->sim != NULL) /* ENet receives on every service: the link's clock */
        socket_pipeline_flush_link(e);
    int got = e->filter.receive != NULL
                  ? e->filter.receive(e->filter.ctx, e, from, buffers, count)
                  : ring_receive(e, from, buffers, count);
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
