/*
 * linksim.h - a simulated bad network link for one socket's outgoing
 * datagrams: loss, duplication, reordering, latency and jitter, driven by a
 * seeded generator so a run can be repeated. Pure logic, no I/O: the socket
 * layer pushes datagrams in and sends what comes out when it is due.
 */
#ifndef ENETCONNECTION_LINKSIM_H
#define ENETCONNECTION_LINKSIM_H

#include <stddef.h>
#include <stdint.h>

#include <enet/enet.h>

/* Datagrams the link may hold; beyond this it drops, as a full router does. */
#define LINKSIM_MAX_QUEUED 8192

typedef struct linksim_config {
    double loss;         /* probability a datagram is lost, 0..1 */
    double duplicate;    /* probability it is sent twice */
    double reorder;      /* probability it is held back so later ones overtake it */
    uint32_t latency_ms; /* added to every datagram */
    uint32_t jitter_ms;  /* plus a uniform random 0..jitter */
    uint64_t seed;
} linksim_config;

typedef struct linksim_counters {
    uint64_t lost, duplicated, reordered, overflowed;
} linksim_counters;

/* One datagram on its way out. */
typedef struct linksim_datagram {
    uint64_t due_ms;
    uint64_t order; /* ties on due_ms keep arrival order */
    ENetAddress to;
    size_t length;
    unsigned char data[];
} linksim_datagram;

typedef struct linksim linksim;

/* NULL when out of memory. */
linksim *linksim_new(const linksim_config *config);
void linksim_free(linksim *sim);

/* Takes a copy of one datagram made of `count` buffers, sent at now_ms;
 * drops, duplicates or delays it as the config says. */
void linksim_push(linksim *sim, const ENetAddress *to, const ENetBuffer *buffers,
                  size_t count, uint64_t now_ms);

/* The next datagram due at now_ms (the caller sends it, then frees it with
 * free()), or NULL when none is due. */
linksim_datagram *linksim_pop_due(linksim *sim, uint64_t now_ms);

const linksim_counters *linksim_get_counters(const linksim *sim);

#endif
