/*
 * packet.c - the received-packet ring buffer of a peer, and the hold list.
 */
#include "packet.h"

#include <stdlib.h>

#include "visibility.h" /* last: hides what this file defines */

static int queue_grow(packet_queue *q)
{
    size_t capacity = q->capacity ? q->capacity * 2 : 16;
    queued_packet *items = malloc(capacity * sizeof *items);
    if (items == NULL)
        return -1;
    for (size_t i = 0; i < q->count; i++)
        items[i] = q->items[(q->head + i) & (q->capacity - 1)];
    free(q->items);
    q->items = items;
    q->capacity = capacity;
    q->head = 0;
    return 0;
}

int packet_queue_push(packet_queue *q, ENetPacket *packet, uint8_t channel,
                      size_t max_bytes)
{
    if (q->count >= PACKET_QUEUE_LIMIT || q->bytes > max_bytes ||
        packet->dataLength > max_bytes - q->bytes ||
        (q->count == q->capacity && queue_grow(q) != 0)) {
        enet_packet_destroy(packet);
        q->dropped++;
        return -1;
    }
    queued_packet *slot = &q->items[(q->head + q->count) & (q->capacity - 1)];
    slot->packet = packet;
    slot->channel = channel;
    q->count++;
    q->bytes += packet->dataLength;
    return 0;
}

const queued_packet *packet_queue_peek(const packet_queue *q)
{
    return q->count ? &q->items[q->head] : NULL;
}

ENetPacket *packet_queue_pop(packet_queue *q, uint8_t *channel)
{
    if (q->count == 0)
        return NULL;
    queued_packet item = q->items[q->head];
    q->head = (q->head + 1) & (q->capacity - 1);
    q->count--;
    q->bytes -= item.packet->dataLength;
    if (channel != NULL)
        *channel = item.channel;
    return item.packet;
}

void packet_queue_clear(packet_queue *q)
{
    ENetPacket *packet;
    while ((packet = packet_queue_pop(q, NULL)) != NULL)
        enet_packet_destroy(packet);
    free(q->items);
    q->items = NULL;
    q->capacity = 0;
    q->head = 0;
}

void packet_hold_add(packet_hold *h, ENetPacket *packet)
{
    packet->userData = h->head;
    h->head = packet;
}

void packet_hold_remove(packet_hold *h, ENetPacket *packet)
{
    /* Usually the head: holders nest, the innermost finishes first. */
    for (ENetPacket **link = &h->head; *link != NULL;
         link = (ENetPacket **)&(*link)->userData) {
        if (*link == packet) {
            *link = packet->userData;
            packet->userData = NULL;
            return;
        }
    }
}

void packet_hold_free_all(packet_hold *h)
{
    while (h->head != NULL) {
        ENetPacket *packet = h->head;
        h->head = packet->userData;
        enet_packet_destroy(packet);
    }
}
