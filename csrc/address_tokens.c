/*
 * address_tokens.c - the bounded table of IPv6 remotes and their tokens
 * (address_tokens.h says what and why).
 *
 * Entries sit in one array made at creation: unpinned_max plus one per
 * peer of the host (pinned entries never outnumber the peers). Two chained
 * hash indexes find them, by remote (seeded hash, so a flood cannot aim at
 * one chain) and by token (sequential: its low bits). Unpinned entries are
 * on a doubly linked list, most recently used first.
 */
#include "address_tokens.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "visibility.h" /* last: hides what this file defines */

#define NONE UINT32_MAX
#define TOKEN_SPACE (1u << 24) /* 0.0.0.0/8 */

typedef struct token_entry {
    struct sockaddr_in6 address; /* family 0: free */
    enet_uint32 token;           /* network order */
    uint32_t next_by_address, next_by_token;
    uint32_t newer, older; /* the unpinned list; NONE at its ends */
    unsigned char pinned, referenced;
} token_entry;

struct address_tokens {
    const ENetHost *host;
    unsigned unpinned_max;
    uint32_t capacity, mask; /* entries; hash buckets - 1 */
    uint32_t unpinned, pinned;
    uint32_t newest, oldest; /* the unpinned list */
    uint32_t free_list;      /* through next_by_address */
    uint32_t next_token;     /* host order, 1..TOKEN_SPACE-1 */
    uint32_t moves;          /* places the list moved since the last pin scan */
    uint64_t seed;
    uint32_t *by_address, *by_token;
    token_entry *entries;
};

address_tokens *address_tokens_new(const ENetHost *host, unsigned unpinned_max)
{
    if (unpinned_max < 2)
        unpinned_max = 2;
    address_tokens *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->host = host;
    t->unpinned_max = unpinned_max;
    t->capacity = unpinned_max + (host != NULL ? (uint32_t)host->peerCount : 0);
    uint32_t buckets = 1;
    while (buckets < t->capacity)
        buckets <<= 1;
    t->mask = buckets - 1;
    t->entries = calloc(t->capacity, sizeof *t->entries);
    t->by_address = malloc(buckets * sizeof *t->by_address);
    t->by_token = malloc(buckets * sizeof *t->by_token);
    if (t->entries == NULL || t->by_address == NULL || t->by_token == NULL) {
        address_tokens_free(t);
        return NULL;
    }
    memset(t->by_address, 0xff, buckets * sizeof *t->by_address);
    memset(t->by_token, 0xff, buckets * sizeof *t->by_token);
    for (uint32_t i = 0; i < t->capacity; i++)
        t->entries[i].next_by_address = i + 1 < t->capacity ? i + 1 : NONE;
    t->free_list = 0;
    t->newest = t->oldest = NONE;
    t->next_token = 1;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    t->seed = ((uint64_t)now.tv_nsec << 32) ^ (uint64_t)now.tv_sec ^ (uint64_t)(uintptr_t)t;
    return t;
}

void address_tokens_free(address_tokens *t)
{
    if (t == NULL)
        return;
    free(t->entries);
    free(t->by_address);
    free(t->by_token);
    free(t);
}

size_t address_tokens_size(const address_tokens *t)
{
    return t->unpinned + t->pinned;
}

size_t address_tokens_pinned(const address_tokens *t)
{
    return t->pinned;
}

/* ---- the two indexes ---------------------------------------------------- */

static uint64_t mix(uint64_t h, uint64_t word)
{
    h = (h ^ word) * 0x9e3779b97f4a7c15u;
    return h ^ (h >> 29);
}

static uint32_t address_bucket(const address_tokens *t, const struct sockaddr_in6 *a)
{
    uint64_t words[2];
    memcpy(words, &a->sin6_addr, sizeof words);
    uint64_t h = mix(mix(mix(t->seed, words[0]), words[1]),
                     ((uint64_t)a->sin6_scope_id << 16) | a->sin6_port);
    return (uint32_t)(h ^ (h >> 32)) & t->mask;
}

static uint32_t token_bucket(const address_tokens *t, enet_uint32 token)
{
    return ntohl(token) & t->mask;
}

static int same_remote(const struct sockaddr_in6 *a, const struct sockaddr_in6 *b)
{
    return a->sin6_port == b->sin6_port && a->sin6_scope_id == b->sin6_scope_id &&
           memcmp(&a->sin6_addr, &b->sin6_addr, sizeof a->sin6_addr) == 0;
}

static uint32_t find_by_token(const address_tokens *t, enet_uint32 token)
{
    uint32_t i = t->by_token[token_bucket(t, token)];
    while (i != NONE && t->entries[i].token != token)
        i = t->entries[i].next_by_token;
    return i;
}

/* Unlinks entry i from the chain starting at *head through `field`. */
#define UNCHAIN(t, head, i, field)                                   \
    do {                                                             \
        uint32_t *link_ = (head);                                    \
        while (*link_ != (i))                                        \
            link_ = &(t)->entries[*link_].field;                     \
        *link_ = (t)->entries[i].field;                              \
    } while (0)

/* ---- the unpinned list -------------------------------------------------- */

static void list_remove(address_tokens *t, uint32_t i)
{
    token_entry *e = &t->entries[i];
    if (e->newer != NONE)
        t->entries[e->newer].older = e->older;
    else
        t->newest = e->older;
    if (e->older != NONE)
        t->entries[e->older].newer = e->newer;
    else
        t->oldest = e->newer;
    t->unpinned--;
}

static void list_push_newest(address_tokens *t, uint32_t i)
{
    token_entry *e = &t->entries[i];
    e->newer = NONE;
    e->older = t->newest;
    if (t->newest != NONE)
        t->entries[t->newest].newer = i;
    else
        t->oldest = i;
    t->newest = i;
    t->unpinned++;
}

static void list_push_oldest(address_tokens *t, uint32_t i)
{
    token_entry *e = &t->entries[i];
    e->older = NONE;
    e->newer = t->oldest;
    if (t->oldest != NONE)
        t->entries[t->oldest].older = i;
    else
        t->newest = i;
    t->oldest = i;
    t->unpinned++;
}

/* Marks entry i used now: first on the list (pinned ones are not on it). */
static void touch(address_tokens *t, uint32_t i)
{
    if (t->entries[i].pinned || t->newest == i)
        return;
    list_remove(t, i);
    list_push_newest(t, i);
    t->moves++;
}

/* ---- pins --------------------------------------------------------------- */

/* Pins exactly the entries that a peer of the host, not disconnected,
 * refers to: O(peers + entries). Entries unpinned here are the oldest. */
static void refresh_pins(address_tokens *t)
{
    t->moves = 0;
    for (uint32_t i = 0; i < t->capacity; i++)
        t->entries[i].referenced = 0;
    if (t->host != NULL) {
        for (size_t p = 0; p < t->host->peerCount; p++) {
            const ENetPeer *peer = &t->host->peers[p];
            if (peer->state == ENET_PEER_STATE_DISCONNECTED ||
                !address_tokens_is_token(peer->address.host))
                continue;
            uint32_t i = find_by_token(t, peer->address.host);
            if (i != NONE)
                t->entries[i].referenced = 1;
        }
    }
    for (uint32_t i = 0; i < t->capacity; i++) {
        token_entry *e = &t->entries[i];
        if (e->address.sin6_family == 0 || e->pinned == e->referenced)
            continue;
        if (e->referenced) {
            list_remove(t, i);
            t->pinned++;
        } else {
            t->pinned--;
            list_push_oldest(t, i);
        }
        e->pinned = e->referenced;
    }
}

/* Frees the least recently used unpinned entry. Returns 0, or -1 when
 * every entry is pinned. */
static int evict_one(address_tokens *t)
{
    if (t->moves >= t->unpinned_max / 2)
        refresh_pins(t);
    uint32_t i = t->oldest;
    if (i == NONE)
        return -1;
    token_entry *e = &t->entries[i];
    list_remove(t, i);
    UNCHAIN(t, &t->by_address[address_bucket(t, &e->address)], i, next_by_address);
    UNCHAIN(t, &t->by_token[token_bucket(t, e->token)], i, next_by_token);
    memset(e, 0, sizeof *e);
    e->next_by_address = t->free_list;
    t->free_list = i;
    return 0;
}

/* The next token that no entry holds; the table holds fewer entries than
 * the space has tokens, so this ends. */
static enet_uint32 new_token(address_tokens *t)
{
    for (;;) {
        enet_uint32 token = htonl(t->next_token);
        t->next_token = t->next_token + 1 < TOKEN_SPACE ? t->next_token + 1 : 1;
        if (find_by_token(t, token) == NONE)
            return token;
    }
}

enet_uint32 address_tokens_intern(address_tokens *t, const struct sockaddr_in6 *address)
{
    uint32_t bucket = address_bucket(t, address);
    for (uint32_t i = t->by_address[bucket]; i != NONE; i = t->entries[i].next_by_address) {
        if (same_remote(&t->entries[i].address, address)) {
            touch(t, i);
            return t->entries[i].token;
        }
    }
    if ((t->unpinned >= t->unpinned_max || t->free_list == NONE) && evict_one(t) != 0)
        return 0;
    if (t->free_list == NONE)
        return 0;
    uint32_t i = t->free_list;
    token_entry *e = &t->entries[i];
    t->free_list = e->next_by_address;
    memset(e, 0, sizeof *e);
    e->address.sin6_family = AF_INET6;
    e->address.sin6_addr = address->sin6_addr;
    e->address.sin6_port = address->sin6_port;
    e->address.sin6_scope_id = address->sin6_scope_id;
    e->token = new_token(t);
    bucket = address_bucket(t, &e->address); /* the same: the key did not change */
    e->next_by_address = t->by_address[bucket];
    t->by_address[bucket] = i;
    uint32_t tb = token_bucket(t, e->token);
    e->next_by_token = t->by_token[tb];
    t->by_token[tb] = i;
    list_push_newest(t, i);
    t->moves++;
    return e->token;
}

const struct sockaddr_in6 *address_tokens_find(address_tokens *t, enet_uint32 token)
{
    uint32_t i = find_by_token(t, token);
    if (i == NONE)
        return NULL;
    touch(t, i);
    return &t->entries[i].address;
}
