/*
 * receive_ring.h - datagrams read from a UDP socket in batches (one
 * recvmmsg for up to RECEIVE_RING_SLOTS) and handed to ENet one at a time.
 */
#ifndef ENETCONNECTION_RECEIVE_RING_H
#define ENETCONNECTION_RECEIVE_RING_H

#include <netinet/in.h>
#include <stdint.h>

#include <enet/enet.h>

#define RECEIVE_RING_SLOTS 16

typedef struct receive_ring receive_ring;

/* A new, empty ring (about 65 KiB), or NULL when out of memory. */
receive_ring *receive_ring_new(void);
void receive_ring_free(receive_ring *r);

/* Whether the ring holds a datagram not yet taken. */
int receive_ring_held(const receive_ring *r);

/* Reads up to `max` (at most RECEIVE_RING_SLOTS) datagrams with one system
 * call into an empty ring. Returns how many it read, 0 when none was
 * waiting, -1 on a socket error; those larger than ENet's MTU and empty
 * ones are counted in *dropped and not kept. */
int receive_ring_fill(receive_ring *r, ENetSocket s, unsigned max,
                      uint64_t *dropped);

/* Copies the next held datagram into `buffers` and its sender, a
 * sockaddr_in or sockaddr_in6 as the socket's family is (sin6_family
 * tells), into *from. Returns its length (never 0); -2 when it does not fit
 * in the buffers (it is dropped). Only call while receive_ring_held. */
int receive_ring_take(receive_ring *r, struct sockaddr_in6 *from,
                      ENetBuffer *buffers, size_t count);

#endif
