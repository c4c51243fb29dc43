/*
 * test_packet_queue.c - csrc/packet.c: the received-packet ring keeps
 * packets in order through growth and wrap-around, enforces its count and
 * byte bounds (destroying and counting what it refuses), clears; the hold
 * list adds, removes from any position and frees what is left. Every
 * packet's destruction is counted through ENet's freeCallback.
 */
#include <string.h>

#include "packet.h"
#include "tap.h"

static size_t destroyed;

static void count_destroy(ENetPacket *packet)
{
    (void)packet;
    destroyed++;
}

/* A packet of `length` bytes whose first byte (if any) is `tag`. */
static ENetPacket *make(size_t length, uint8_t tag)
{
    ENetPacket *packet = enet_packet_create(NULL, length, 0);
    if (length > 0)
        packet->data[0] = tag;
    packet->freeCallback = count_destroy;
    return packet;
}

static void test_empty(void)
{
    packet_queue q = { 0 };
    uint8_t channel = 7;
    tap_ok(packet_queue_peek(&q) == NULL, "an all-zero queue is empty: peek gives NULL");
    tap_ok(packet_queue_pop(&q, &channel) == NULL && channel == 7,
           "pop gives NULL and leaves the channel alone");
    packet_queue_clear(&q);
    tap_ok(q.count == 0 && q.items == NULL, "clearing an empty queue is harmless");
}

/* Pops `count` packets; returns 1 when their tags are first, first+1, ...
 * and their channels tag % 4. Destroys them. */
static int pop_in_order(packet_queue *q, uint8_t first, size_t count)
{
    int ordered = 1;
    for (size_t i = 0; i < count; i++) {
        uint8_t channel = 255;
        ENetPacket *packet = packet_queue_pop(q, &channel);
        if (packet == NULL)
            return 0;
        uint8_t tag = (uint8_t)(first + i);
        if (packet->data[0] != tag || channel != tag % 4) {
            tap_note("expected packet %u on channel %u, got %u on %u", tag, tag % 4u,
                     packet->data[0], channel);
            ordered = 0;
        }
        enet_packet_destroy(packet);
    }
    return ordered;
}

static void test_order_through_growth(void)
{
    packet_queue q = { 0 };
    int accepted = 1;
    for (uint8_t i = 0; i < 40; i++)
        accepted &= packet_queue_push(&q, make(3, i), i % 4, SIZE_MAX) == 0;
    tap_ok(accepted && q.count == 40 && q.bytes == 120,
           "40 pushes are accepted: count 40, 120 bytes (count %zu, bytes %zu)", q.count, q.bytes);
    tap_ok(q.capacity == 64, "the ring grew by doubling from 16 to 64 (capacity %zu)", q.capacity);
    tap_ok(packet_queue_peek(&q)->packet->data[0] == 0 && packet_queue_peek(&q)->channel == 0,
           "peek shows the oldest");
    tap_ok(pop_in_order(&q, 0, 40) && q.count == 0, "they come out in order with their channels");
    tap_ok(q.bytes == 0, "bytes fall back to 0");
    packet_queue_clear(&q);
}

/* The ring wraps (head in the middle), then grows: the order survives. */
static void test_order_through_wrap(void)
{
    packet_queue q = { 0 };
    for (uint8_t i = 0; i < 10; i++)
        packet_queue_push(&q, make(1, i), i % 4, SIZE_MAX);
    tap_ok(pop_in_order(&q, 0, 6) && q.count == 4, "six of ten popped in order");
    for (uint8_t i = 10; i < 22; i++) /* 16 queued, wrapped around the end */
        packet_queue_push(&q, make(1, i), i % 4, SIZE_MAX);
    tap_ok(q.capacity == 16 && q.count == 16 && q.head == 6,
           "the ring is full and wrapped (capacity %zu, count %zu, head %zu)",
           q.capacity, q.count, q.head);
    packet_queue_push(&q, make(1, 22), 22 % 4, SIZE_MAX);
    tap_ok(q.capacity == 32 && q.head == 0, "one more grows it and unwraps it");
    tap_ok(pop_in_order(&q, 6, 17) && q.count == 0, "packets 6..22 come out in order");
    packet_queue_clear(&q);
}

static void test_byte_bound(void)
{
    packet_queue q = { 0 };
    size_t before = destroyed;
    tap_ok(packet_queue_push(&q, make(60, 1), 0, 100) == 0, "60 bytes under a 100-byte bound");
    tap_ok(packet_queue_push(&q, make(41, 2), 0, 100) == -1 && q.dropped == 1 &&
               destroyed == before + 1 && q.bytes == 60,
           "41 more would exceed it: refused, destroyed, counted as dropped");
    tap_ok(packet_queue_push(&q, make(40, 3), 0, 100) == 0 && q.bytes == 100,
           "40 more reach it exactly: accepted");
    tap_ok(packet_queue_push(&q, make(0, 0), 0, 100) == 0 && q.count == 3,
           "an empty packet at the bound is accepted");
    tap_ok(packet_queue_push(&q, make(0, 0), 0, 50) == -1 && q.dropped == 2,
           "under a bound lowered below what is queued, even an empty one is refused");
    tap_ok(packet_queue_push(&q, make(1, 0), 0, SIZE_MAX) == 0,
           "a bound of SIZE_MAX does not overflow");
    packet_queue_clear(&q);
    tap_ok(destroyed == before + 6 && q.count == 0 && q.items == NULL,
           "clear destroys the queued packets and the ring (%zu destroyed)", destroyed - before);
    tap_ok(q.dropped == 2, "the dropped count survives clear (a peer's figure)");
    tap_ok(packet_queue_push(&q, make(5, 9), 1, 100) == 0 && q.bytes == 5,
           "a cleared queue takes packets again");
    packet_queue_clear(&q);
}

static void test_count_bound(void)
{
    packet_queue q = { 0 };
    size_t refused = 0;
    for (size_t i = 0; i < PACKET_QUEUE_LIMIT; i++)
        refused += packet_queue_push(&q, make(0, 0), 0, SIZE_MAX) != 0;
    tap_ok(refused == 0 && q.count == PACKET_QUEUE_LIMIT, "65,536 packets are held");
    size_t before = destroyed;
    tap_ok(packet_queue_push(&q, make(0, 0), 0, SIZE_MAX) == -1 && q.dropped == 1 &&
               destroyed == before + 1,
           "the next one is refused, destroyed and counted");
    ENetPacket *oldest = packet_queue_pop(&q, NULL);
    enet_packet_destroy(oldest);
    tap_ok(packet_queue_push(&q, make(0, 0), 0, SIZE_MAX) == 0,
           "after one is read, one more fits");
    before = destroyed;
    packet_queue_clear(&q);
    tap_ok(destroyed == before + PACKET_QUEUE_LIMIT, "clear destroys all 65,536");
}

static void test_hold_list(void)
{
    packet_hold h = { 0 };
    ENetPacket *a = make(1, 'a'), *b = make(1, 'b'), *c = make(1, 'c');
    packet_hold_add(&h, a);
    packet_hold_add(&h, b);
    packet_hold_add(&h, c);
    tap_ok(h.head == c, "the last held is the head");
    packet_hold_remove(&h, b);
    tap_ok(b->userData == NULL && h.head == c && c->userData == a,
           "removing one in the middle unlinks it and keeps the others");
    packet_hold_remove(&h, b);
    tap_ok(h.head == c && c->userData == a, "removing one no longer held changes nothing");
    packet_hold_remove(&h, c);
    tap_ok(h.head == a && c->userData == NULL, "removing the head");
    packet_hold_add(&h, c);
    size_t before = destroyed;
    packet_hold_free_all(&h);
    tap_ok(h.head == NULL && destroyed == before + 2, "free_all destroys the two still held");
    packet_hold_free_all(&h);
    tap_ok(destroyed == before + 2, "free_all on an empty list does nothing");
    enet_packet_destroy(b);
}

int main(void)
{
    test_empty();
    test_order_through_growth();
    test_order_through_wrap();
    test_byte_bound();
    test_count_bound();
    test_hold_list();
    return tap_done();
}
