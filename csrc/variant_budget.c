/*
 * variant_budget.c - estimated Lua heap cost of decoded Variants, and the
 * account of one decode against its budget (see variant_budget.h).
 */
#include "variant_budget.h"

#include <string.h>

#include "compat.h"

#include "visibility.h" /* last: hides what this file defines */

/* A string's header (24 bytes in every supported Lua), its terminator and
 * its share of the string table, which doubles as it fills. */
#define STRING_OVERHEAD 48
/* Longest string every supported Lua interns. */
#define INTERNED_MAX_LEN 40
/* The part of the slack not handed out, kept for what is not charged: the
 * Lua stack of deep nesting (about 100 KiB at 1024 levels) and the type and
 * field names, interned on first use. */
#define UNCHARGED ((uint64_t)256 << 10)

uint64_t variant_decode_budget(size_t input_len)
{
    return (uint64_t)input_len * VARIANT_BUDGET_FACTOR + VARIANT_BUDGET_SLACK;
}

void variant_budget_init(variant_budget *b, size_t input_len)
{
    memset(b, 0, sizeof *b);
    b->limit = variant_decode_budget(input_len) - UNCHARGED;
}

int variant_budget_charge(variant_budget *b, uint64_t cost)
{
    if (cost > b->limit - b->spent)
        return -1;
    b->spent += cost;
    return 0;
}

/* Hash nodes for nrec entries: the next power of two (LuaJIT gives a single
 * entry two nodes; counted so everywhere). */
static uint64_t hash_nodes(uint64_t nrec)
{
    if (nrec == 0)
        return 0;
    uint64_t n = 2;
    while (n < nrec)
        n *= 2;
    return n;
}

uint64_t variant_table_cost(uint64_t narr, uint64_t nrec)
{
    /* LuaJIT's array part has a slot 0: one more slot, counted everywhere. */
    uint64_t slots = narr > 0 ? narr + 1 : 0;
    return COMPAT_TABLE_BYTES + slots * COMPAT_SLOT_BYTES + hash_nodes(nrec) * COMPAT_NODE_BYTES;
}

uint64_t variant_string_cost(uint64_t len)
{
    return STRING_OVERHEAD + len;
}

uint64_t variant_budget_string_cost(variant_budget *b, const char *s, size_t len)
{
    if (len <= INTERNED_MAX_LEN) {
        uint32_t h = 2166136261u; /* FNV-1a */
        for (size_t i = 0; i < len; i++)
            h = (h ^ (unsigned char)s[i]) * 16777619u;
        size_t slot = h % VARIANT_SEEN_SLOTS;
        if (b->seen[slot].s != NULL && b->seen[slot].len == len && memcmp(b->seen[slot].s, s, len) == 0)
            return 0;
        b->seen[slot].s = s;
        b->seen[slot].len = len;
    }
    return variant_string_cost(len);
}

uint64_t variant_shape_cost(const variant_shape *s)
{
    uint64_t cost = variant_table_cost(0, (uint64_t)s->nfields + 1); /* + the tag */
    for (int f = 0; f < s->nfields; f++)
        if (s->fields[f].sub != NULL)
            cost += variant_shape_cost(s->fields[f].sub);
    return cost;
}
