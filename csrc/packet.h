/*
 * packet.h - the queue of received packets a peer holds until Lua reads them
 * (Godot's ENetPacketPeer semantics), bounded in count and bytes; and the
 * hold list of packets on their way into Lua.
 */
#ifndef ENETCONNECTION_PACKET_H
#define ENETCONNECTION_PACKET_H

#include <stddef.h>
#include <stdint.h>

#include <enet/enet.h>

/* Packets a peer may hold unread; beyond this, new ones are dropped and
 * counted (a peer that never reads cannot exhaust memory). */
#define PACKET_QUEUE_LIMIT 65536

/* Bytes a peer may hold unread by default: ENet's own per-peer limit on
 * data waiting for the application (ENET_HOST_DEFAULT_MAXIMUM_WAITING_DATA),
 * which no longer counts a packet once it is moved into the queue. */
#define PACKET_QUEUE_DEFAULT_MAX_BYTES (32u * 1024 * 1024)

typedef struct queued_packet {
    ENetPacket *packet;
    uint8_t channel;
} queued_packet;

/* A ring buffer; all zero is a valid empty queue. */
typedef struct packet_queue {
    queued_packet *items;
    size_t capacity; /* a power of two, or 0 */
    size_t head;     /* index of the oldest */
    size_t count;
    size_t bytes;     /* sum of the queued packets' lengths */
    uint64_t dropped; /* packets refused because the queue was full */
} packet_queue;

/* Takes ownership of `packet`. Returns 0, or -1 when the queue holds
 * PACKET_QUEUE_LIMIT packets, when the packet would take it over
 * `max_bytes`, or when out of memory (the packet is then destroyed and
 * counted as dropped). */
int packet_queue_push(packet_queue *q, ENetPacket *packet, uint8_t channel,
                      size_t max_bytes);

/* The oldest entry, or NULL when empty. */
const queued_packet *packet_queue_peek(const packet_queue *q);

/* Removes the oldest entry and returns its packet (now the caller's). */
ENetPacket *packet_queue_pop(packet_queue *q, uint8_t *channel);

/* Destroys every queued packet and the ring itself. */
void packet_queue_clear(packet_queue *q);

/*
 * Packets held by C code while it makes Lua values from them. Making a Lua
 * value can run any finalizer, and a finalizer may destroy or service the
 * connection, or read the same peer: so a packet on its way into Lua is in
 * no queue and in no ENet structure, only on this list (chained through
 * ENet's application field `userData`), which no other path frees. If a
 * Lua error unwinds the holder, the packet stays listed until the list's
 * owner is collected: packet_hold_free_all.
 */
typedef struct packet_hold {
    ENetPacket *head;
} packet_hold;

void packet_hold_add(packet_hold *h, ENetPacket *packet);

/* Takes `packet` off the list (the caller owns it again). */
void packet_hold_remove(packet_hold *h, ENetPacket *packet);

/* Destroys every packet on the list. */
void packet_hold_free_all(packet_hold *h);

/* ENet flags a caller may pass to send/broadcast. */
#define PACKET_USER_FLAGS \
    (ENET_PACKET_FLAG_RELIABLE | ENET_PACKET_FLAG_UNSEQUENCED | \
     ENET_PACKET_FLAG_UNRELIABLE_FRAGMENT)

#endif
