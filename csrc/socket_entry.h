/*
 * socket_entry.h - the socket layer's inside (socket.h is its outside): the
 * entry of a registered socket, and what the layer's files share. The hooks
 * (socket_hooks.c) find a socket's entry in the registry
 * (socket_registry.c) and run the pipeline's stages on it
 * (socket_pipeline.c), which end in plain UDP (socket_udp.c).
 * Private to the socket layer.
 */
#ifndef ENETCONNECTION_SOCKET_ENTRY_H
#define ENETCONNECTION_SOCKET_ENTRY_H

#include <errno.h>
#include <netinet/in.h>

#include "address_tokens.h"
#include "linksim.h"
#include "receive_ring.h"
#include "socket.h"
#ifdef ENETCONNECTION_TESTS
#include "test/wire_capture.h"
#endif

/* Truncated or empty datagrams dropped in one receive call (or ring fills
 * that kept none) before giving up. */
#define SOCKET_MAX_DROPS_PER_RECEIVE 64

/* Remotes whose fault was reported, remembered per socket (socket_faults.c). */
#define SOCKET_FAULT_REMOTES 16

/* A sockaddr of either family, as the socket reads or writes it. */
typedef union socket_sockaddr {
    struct sockaddr sa;
    struct sockaddr_in v4;
    struct sockaddr_in6 v6;
} socket_sockaddr;

struct socket_entry {
    ENetSocket fd;
    const ENetHost *host;    /* its peers pin IPv6 remotes' tokens */
    int families;            /* ADDRESS_IPV4 | ADDRESS_IPV6 it reaches */
    address_tokens *tokens;  /* IPv6 remotes; made at the first one */
    socket_counters counters;
    socket_filter filter; /* filter.send == NULL: none */
    linksim *sim;         /* NULL: the real link only */
    receive_ring *ring;   /* batched receive; made at the first burst */
    unsigned burst;       /* datagrams ENet got since it last found none */
    int is_probe;
    socket_fault last_fault;         /* see socket_layer_fault */
    ENetAddress last_fault_from;
    struct {
        ENetAddress from;
        socket_fault kind;
    } faulted[SOCKET_FAULT_REMOTES]; /* remotes already reported, a ring */
    unsigned faulted_next;
#ifdef ENETCONNECTION_TESTS
    wire_capture *capture; /* the test build's capture stage; NULL: off */
#endif
};

/* ---- the registry: file descriptor -> entry ----------------------------- */

/* The entry of a registered socket, or NULL. Lock-free. */
socket_entry *socket_registry_find(ENetSocket s);

/* ---- the pipeline (ENet's two calls on a registered socket) ------------- */

/* ENet's send and receive through the stages, counted in e->counters.
 * Same returns as enet_socket_send / enet_socket_receive. */
int socket_pipeline_send(socket_entry *e, const ENetAddress *to,
                         const ENetBuffer *buffers, size_t count);
int socket_pipeline_receive(socket_entry *e, ENetAddress *from,
                            ENetBuffer *buffers, size_t count);
/* Sends what the simulated link (e->sim, not NULL) holds that is due now. */
void socket_pipeline_flush_link(socket_entry *e);

/* ---- plain UDP ---------------------------------------------------------- */

/* One datagram by sendmsg: the bytes sent, or -1 with errno set
 * (EHOSTUNREACH for a token the socket's table no longer knows). `e` is
 * the socket's entry, NULL for an unregistered socket (IPv4 as ENet). */
int socket_udp_send(ENetSocket s, socket_entry *e, const ENetAddress *to,
                    const ENetBuffer *buffers, size_t count);
/* ENet's reading of a failed send: 0 (try later) when it would block. */
static inline int socket_udp_would_block(void)
{
    return errno == EWOULDBLOCK || errno == EAGAIN;
}
/* The next datagram by recvmsg: its length, 0 = none ready, -1 = error.
 * Oversized and empty ones are dropped, the next one read instead, and so
 * are IPv6 sources the token table cannot take; with `e` (NULL for
 * unregistered sockets) they are counted in its counters, and so are the
 * system calls. */
int socket_udp_receive(ENetSocket s, socket_entry *e, ENetAddress *from,
                       ENetBuffer *buffers, size_t count);
/* A sender as ENet's address: IPv4 (also v4-mapped) as is, another IPv6
 * one as its token in e's table (made at the first). Returns 0, or -1
 * when there is no table (e NULL, out of memory) or it is full of pinned
 * entries. */
int socket_udp_enet_address(socket_entry *e, const socket_sockaddr *from, ENetAddress *out);

#endif
