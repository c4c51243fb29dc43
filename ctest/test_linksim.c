/*
 * test_linksim.c - csrc/linksim.c, the simulated link: what a perfect link
 * lets through and when, loss, duplication, reordering, latency and jitter
 * bounds, the bound on what it holds, and that a seed repeats a run.
 */
#include <stdlib.h>
#include <string.h>

#include "linksim.h"
#include "tap.h"

static const ENetAddress TO = { .host = 0x0100007f, .port = 4242 };

/* Pushes `n` one-byte datagrams (bytes 0..n-1) at time `now`. */
static void push_bytes(linksim *sim, int n, uint64_t now)
{
    for (int i = 0; i < n; i++) {
        unsigned char byte = (unsigned char)i;
        ENetBuffer b = { &byte, 1 };
        linksim_push(sim, &TO, &b, 1, now);
    }
}

/* Pops everything due at `now` into out[] (first bytes); returns how many. */
static int pop_all(linksim *sim, uint64_t now, int *out, int room)
{
    int n = 0;
    linksim_datagram *d;
    while ((d = linksim_pop_due(sim, now)) != NULL) {
        if (n < room)
            out[n] = d->data[0];
        n++;
        free(d);
    }
    return n;
}

static void test_perfect_link(void)
{
    linksim_config config = { 0 };
    linksim *sim = linksim_new(&config);
    char a[] = "hello ", b[] = "world";
    ENetBuffer pieces[3] = { { a, 6 }, { NULL, 0 }, { b, 5 } };
    linksim_push(sim, &TO, pieces, 3, 100);
    linksim_datagram *d = linksim_pop_due(sim, 100);
    tap_ok(d != NULL && d->length == 11 && memcmp(d->data, "hello world", 11) == 0 &&
               d->to.host == TO.host && d->to.port == TO.port,
           "a perfect link hands back the datagram, gathered, with its address, at once");
    free(d);
    tap_ok(linksim_pop_due(sim, 1000) == NULL, "and holds nothing more");
    push_bytes(sim, 50, 200);
    int order[50], n = pop_all(sim, 200, order, 50), in_order = n == 50;
    for (int i = 0; in_order && i < 50; i++)
        in_order = order[i] == i;
    tap_ok(in_order, "datagrams due at the same time leave in the order they came");
    const linksim_counters *k = linksim_get_counters(sim);
    tap_ok(k->lost == 0 && k->duplicated == 0 && k->reordered == 0 && k->overflowed == 0,
           "and nothing is counted");
    linksim_free(sim);
}

static void test_loss_and_duplication(void)
{
    linksim_config lose_all = { .loss = 1 };
    linksim *sim = linksim_new(&lose_all);
    push_bytes(sim, 100, 0);
    int got[1];
    tap_ok(pop_all(sim, 1000000, got, 0) == 0 && linksim_get_counters(sim)->lost == 100,
           "loss = 1 loses every datagram, and counts each");
    linksim_free(sim);

    linksim_config twice = { .duplicate = 1 };
    sim = linksim_new(&twice);
    push_bytes(sim, 10, 0);
    tap_ok(pop_all(sim, 0, got, 0) == 20 && linksim_get_counters(sim)->duplicated == 10,
           "duplicate = 1 sends every datagram twice, and counts each");
    linksim_free(sim);

    linksim_config half = { .loss = 0.5, .seed = 7 };
    sim = linksim_new(&half);
    push_bytes(sim, 1000, 0);
    int passed = pop_all(sim, 0, got, 0);
    uint64_t lost = linksim_get_counters(sim)->lost;
    if (!tap_ok(passed + (int)lost == 1000 && lost > 400 && lost < 600,
                "loss = 0.5 loses about half of 1000 datagrams, the others pass"))
        tap_note("lost %llu, passed %d", (unsigned long long)lost, passed);
    linksim_free(sim);
}

static void test_latency_and_jitter(void)
{
    linksim_config slow = { .latency_ms = 40 };
    linksim *sim = linksim_new(&slow);
    push_bytes(sim, 3, 1000);
    int got[3];
    tap_ok(pop_all(sim, 1039, got, 3) == 0, "with latency 40 ms nothing is due at 39 ms");
    tap_ok(pop_all(sim, 1040, got, 3) == 3, "and everything at 40 ms");
    linksim_free(sim);

    linksim_config jittery = { .latency_ms = 10, .jitter_ms = 20, .seed = 3 };
    sim = linksim_new(&jittery);
    push_bytes(sim, 200, 0);
    int early = pop_all(sim, 9, got, 0), by_30 = pop_all(sim, 30, got, 0);
    tap_ok(early == 0 && by_30 == 200,
           "latency 10 + jitter 20: every datagram is due between 10 and 30 ms");
    linksim_free(sim);
}

static void test_reorder(void)
{
    linksim_config config = { .reorder = 0.3, .seed = 11 };
    linksim *sim = linksim_new(&config);
    push_bytes(sim, 100, 0);
    int order[100], n = pop_all(sim, 0, order, 100);
    n += pop_all(sim, 100, order + n, 100 - n);
    int overtaken = 0;
    for (int i = 1; i < n; i++)
        overtaken += order[i] < order[i - 1];
    uint64_t reordered = linksim_get_counters(sim)->reordered;
    if (!tap_ok(n == 100 && reordered > 0 && overtaken > 0,
                "reorder holds some datagrams back (counted) so later ones overtake them"))
        tap_note("%d out, %llu reordered, %d out of order", n,
                 (unsigned long long)reordered, overtaken);
    linksim_free(sim);
}

static void test_overflow(void)
{
    linksim_config config = { .latency_ms = 1000 };
    linksim *sim = linksim_new(&config);
    push_bytes(sim, LINKSIM_MAX_QUEUED + 5, 0);
    int got[1];
    tap_ok(linksim_get_counters(sim)->overflowed == 5,
           "a full link drops what comes beyond LINKSIM_MAX_QUEUED, and counts it");
    tap_ok(pop_all(sim, 1000, got, 0) == LINKSIM_MAX_QUEUED, "and delivers what it held");
    linksim_free(sim);
}

/* The decisions of a link with `seed` over 300 datagrams, as a string of
 * first bytes in the order they leave. */
static void run_seeded(uint64_t seed, int *out, int *n)
{
    linksim_config config = {
        .loss = 0.2, .duplicate = 0.1, .reorder = 0.2, .latency_ms = 5, .jitter_ms = 5, .seed = seed,
    };
    linksim *sim = linksim_new(&config);
    push_bytes(sim, 300, 0);
    *n = pop_all(sim, 1000, out, 600);
    linksim_free(sim);
}

static void test_seed(void)
{
    static int a[600], b[600], c[600];
    int na, nb, nc;
    run_seeded(42, a, &na);
    run_seeded(42, b, &nb);
    run_seeded(43, c, &nc);
    tap_ok(na == nb && memcmp(a, b, (size_t)na * sizeof *a) == 0,
           "the same seed gives the same run");
    tap_ok(na != nc || memcmp(a, c, (size_t)na * sizeof *a) != 0,
           "another seed gives another");
}

int main(void)
{
    test_perfect_link();
    test_loss_and_duplication();
    test_latency_and_jitter();
    test_reorder();
    test_overflow();
    test_seed();
    return tap_done();
}
