/*
 * linksim.c - the simulated link: a min-heap of datagrams ordered by the
 * time they are due, fed through seeded random decisions.
 */
#include "linksim.h"

#include <stdlib.h>
#include <string.h>

#include "buffers.h"
#include "check.h"

#include "visibility.h" /* last: hides what this file defines */

/* Extra hold for a reordered datagram: enough for a few later ones to pass. */
#define REORDER_HOLD_MIN_MS 2
#define REORDER_HOLD_SPAN_MS 20

struct linksim {
    linksim_config config;
    uint64_t rng;
    uint64_t next_order;
    linksim_datagram **heap;
    size_t count;
    linksim_counters counters;
};

/* splitmix64: small, fast, and the same sequence for the same seed. */
static uint64_t next_random(linksim *sim)
{
    uint64_t z = (sim->rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double chance(linksim *sim)
{
    return (double)(next_random(sim) >> 11) * (1.0 / 9007199254740992.0);
}

linksim *linksim_new(const linksim_config *config)
{
    linksim *sim = calloc(1, sizeof *sim);
    if (sim == NULL)
        return NULL;
    sim->heap = malloc(LINKSIM_MAX_QUEUED * sizeof *sim->heap);
    if (sim->heap == NULL) {
        free(sim);
        return NULL;
    }
    sim->config = *config;
    sim->rng = config->seed;
    return sim;
}

void linksim_free(linksim *sim)
{
    if (sim == NULL)
        return;
    for (size_t i = 0; i < sim->count; i++)
        free(sim->heap[i]);
    free(sim->heap);
    free(sim);
}

static int earlier(const linksim_datagram *a, const linksim_datagram *b)
{
    return a->due_ms != b->due_ms ? a->due_ms < b->due_ms : a->order < b->order;
}

static void heap_push(linksim *sim, linksim_datagram *d)
{
    ENET_ASSERT(sim->count < LINKSIM_MAX_QUEUED);
    size_t i = sim->count++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!earlier(d, sim->heap[parent]))
            break;
        sim->heap[i] = sim->heap[parent];
        i = parent;
    }
    sim->heap[i] = d;
}

static linksim_datagram *heap_pop(linksim *sim)
{
    ENET_ASSERT(sim->count > 0);
    linksim_datagram *top = sim->heap[0];
    linksim_datagram *last = sim->heap[--sim->count];
    size_t i = 0;
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= sim->count)
            break;
        if (child + 1 < sim->count && earlier(sim->heap[child + 1], sim->heap[child]))
            child++;
        if (!earlier(sim->heap[child], last))
            break;
        sim->heap[i] = sim->heap[child];
        i = child;
    }
    if (sim->count > 0)
        sim->heap[i] = last;
    return top;
}

/* Queues one copy due at due_ms; counts an overflow when the link is full. */
static void enqueue(linksim *sim, const ENetAddress *to, const ENetBuffer *buffers,
                    size_t count, size_t length, uint64_t due_ms)
{
    linksim_datagram *d;
    if (sim->count >= LINKSIM_MAX_QUEUED ||
        (d = malloc(sizeof *d + length)) == NULL) {
        sim->counters.overflowed++;
        return;
    }
    d->due_ms = due_ms;
    d->order = sim->next_order++;
    d->to = *to;
    d->length = length;
    buffers_gather(d->data, length, buffers, count);
    heap_push(sim, d);
}

static uint64_t delay(linksim *sim)
{
    uint64_t ms = sim->config.latency_ms;
    if (sim->config.jitter_ms > 0)
        ms += next_random(sim) % ((uint64_t)sim->config.jitter_ms + 1);
    return ms;
}

void linksim_push(linksim *sim, const ENetAddress *to, const ENetBuffer *buffers,
                  size_t count, uint64_t now_ms)
{
    size_t length = buffers_length(buffers, count);

    if (chance(sim) < sim->config.loss) {
        sim->counters.lost++;
        return;
    }
    uint64_t due = now_ms + delay(sim);
    if (chance(sim) < sim->config.reorder) {
        due += REORDER_HOLD_MIN_MS + next_random(sim) % REORDER_HOLD_SPAN_MS;
        sim->counters.reordered++;
    }
    enqueue(sim, to, buffers, count, length, due);
    if (chance(sim) < sim->config.duplicate) {
        sim->counters.duplicated++;
        enqueue(sim, to, buffers, count, length, now_ms + delay(sim));
    }
}

linksim_datagram *linksim_pop_due(linksim *sim, uint64_t now_ms)
{
    if (sim->count == 0 || sim->heap[0]->due_ms > now_ms)
        return NULL;
    return heap_pop(sim);
}

const linksim_counters *linksim_get_counters(const linksim *sim)
{
    return &sim->counters;
}
