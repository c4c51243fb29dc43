/*
 * packet.h - the queue of received packets a peer holds until Lua reads them
 * (Godot's ENetPacketPeer semantics), and packet creation from Lua strings.
 */
#ifndef ENETCONNECTION_PACKET_H
#define ENETCONNECTION_PACKET_H

#include <stddef.h>
#include <stdint.h>

#include <enet/enet.h>

/* Packets a peer may hold unread; beyond this, new ones are dropped and
 * counted (a peer that never reads cannot exhaust memory). */
#define PACKET_QUEUE_LIMIT 65536

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
    uint64_t dropped; /* packets refused because the queue was full */
} packet_queue;

/* Takes ownership of `packet`. Returns 0, or -1 when full or out of memory
 * (the packet is then destroyed and counted as dropped). */
int packet_queue_push(packet_queue *q, ENetPacket *packet, uint8_t channel);

/* The oldest entry, or NULL when empty. */
const queued_packet *packet_queue_peek(const packet_queue *q);

/* Removes the oldest entry and returns its packet (now the caller's). */
ENetPacket *packet_queue_pop(packet_queue *q, uint8_t *channel);

/* Destroys every queued packet and the ring itself. */
void packet_queue_clear(packet_queue *q);

/* ENet flags a caller may pass to send/broadcast. */
#define PACKET_USER_FLAGS \
    (ENET_PACKET_FLAG_RELIABLE | ENET_PACKET_FLAG_UNSEQUENCED | \
     ENET_PACKET_FLAG_UNRELIABLE_FRAGMENT)

#endif
