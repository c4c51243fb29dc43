/*
 * test_address_tokens.c - csrc/address_tokens.c: tokens are in 0.0.0.0/8
 * and map back to their remote; under a flood of 1,000,000 distinct IPv6
 * sources the table stays at its bound, the entries that live peers of the
 * host refer to survive it (and still map to the right remote), and an
 * evicted token finds nothing. The host is an ENetHost made here, with
 * peers whose state and address the test sets (no socket).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "address_tokens.h"
#include "tap.h"

#define BOUND 64u
#define PEERS 8u
#define FLOOD 1000000u

/* A remote made from a number: 2001:db8::<n>, port 1000 + n % 50000. */
static struct sockaddr_in6 remote(uint32_t n)
{
    struct sockaddr_in6 a;
    memset(&a, 0, sizeof a);
    a.sin6_family = AF_INET6;
    a.sin6_addr.s6_addr[0] = 0x20;
    a.sin6_addr.s6_addr[1] = 0x01;
    a.sin6_addr.s6_addr[2] = 0x0d;
    a.sin6_addr.s6_addr[3] = 0xb8;
    uint32_t be = htonl(n);
    memcpy(&a.sin6_addr.s6_addr[12], &be, 4);
    a.sin6_port = htons((uint16_t)(1000 + n % 50000));
    return a;
}

static int same(const struct sockaddr_in6 *a, const struct sockaddr_in6 *b)
{
    return a != NULL && a->sin6_port == b->sin6_port &&
           memcmp(&a->sin6_addr, &b->sin6_addr, 16) == 0;
}

static void test_basics(void)
{
    address_tokens *t = address_tokens_new(NULL, BOUND);
    struct sockaddr_in6 a = remote(1), b = remote(2), a_other_port = remote(1);
    a_other_port.sin6_port = htons(9);
    enet_uint32 ta = address_tokens_intern(t, &a);
    enet_uint32 tb = address_tokens_intern(t, &b);
    enet_uint32 tp = address_tokens_intern(t, &a_other_port);
    tap_ok(address_tokens_is_token(ta) && address_tokens_is_token(tb) &&
               address_tokens_is_token(tp),
           "tokens are in 0.0.0.0/8, not 0.0.0.0");
    tap_ok(ta != tb && ta != tp && tb != tp,
           "distinct remotes (another port too) get distinct tokens");
    tap_ok(address_tokens_intern(t, &a) == ta, "the same remote gets its token again");
    tap_ok(same(address_tokens_find(t, ta), &a) && same(address_tokens_find(t, tp), &a_other_port),
           "a token maps back to its remote");
    tap_ok(address_tokens_find(t, htonl(0x00ffffff)) == NULL, "an unknown token finds nothing");
    tap_ok(!address_tokens_is_token(htonl(0x7f000001)) && !address_tokens_is_token(0) &&
               !address_tokens_is_token(0xffffffffu),
           "127.0.0.1, 0.0.0.0 and 255.255.255.255 are no tokens");
    tap_ok(address_tokens_size(t) == 3, "three entries (got %zu)", address_tokens_size(t));
    address_tokens_free(t);
}

/* Peers of a fake host, each connected to one remote of the table. */
static void test_flood(void)
{
    ENetHost *host = calloc(1, sizeof *host);
    host->peers = calloc(PEERS, sizeof *host->peers);
    host->peerCount = PEERS;
    address_tokens *t = address_tokens_new(host, BOUND);
    struct sockaddr_in6 connected[PEERS];
    for (uint32_t p = 0; p < PEERS; p++) {
        connected[p] = remote(FLOOD + 100 + p);
        host->peers[p].state = ENET_PEER_STATE_CONNECTED;
        host->peers[p].address.host = address_tokens_intern(t, &connected[p]);
        host->peers[p].address.port = ntohs(connected[p].sin6_port);
    }
    enet_uint32 first = 0;
    size_t largest = 0;
    int wrong = 0;
    for (uint32_t n = 0; n < FLOOD; n++) {
        struct sockaddr_in6 a = remote(n);
        enet_uint32 token = address_tokens_intern(t, &a);
        if (n == 0)
            first = token;
        if (!address_tokens_is_token(token) || !same(address_tokens_find(t, token), &a))
            wrong++;
        if (address_tokens_size(t) > largest)
            largest = address_tokens_size(t);
        if (n % 1000 == 0) /* the connected peers keep talking */
            address_tokens_find(t, host->peers[n / 1000 % PEERS].address.host);
    }
    tap_ok(wrong == 0, "each flooding source maps to its token and back (%d wrong)", wrong);
    tap_note("%u sources, largest table %zu entries", FLOOD, largest);
    tap_ok(largest <= BOUND + PEERS, "the table never held more than %u entries (largest %zu)",
           BOUND + PEERS, largest);
    tap_ok(address_tokens_pinned(t) == PEERS, "the %u connected peers' entries are pinned (%zu)",
           PEERS, address_tokens_pinned(t));
    int lost = 0;
    for (uint32_t p = 0; p < PEERS; p++)
        lost += !same(address_tokens_find(t, host->peers[p].address.host), &connected[p]);
    tap_ok(lost == 0, "every connected peer's token still maps to its remote (%d lost)", lost);
    tap_ok(address_tokens_find(t, first) == NULL, "the flood's first token was evicted");
    struct sockaddr_in6 again = remote(0);
    enet_uint32 renewed = address_tokens_intern(t, &again);
    tap_ok(renewed != first && address_tokens_is_token(renewed),
           "an evicted remote coming back gets a new token, not its stale one");

    /* A peer goes: its entry is unpinned and may go; the others stay. */
    host->peers[0].state = ENET_PEER_STATE_DISCONNECTED;
    for (uint32_t n = 0; n < 4 * BOUND; n++) {
        struct sockaddr_in6 a = remote(2 * FLOOD + n);
        address_tokens_intern(t, &a);
    }
    tap_ok(address_tokens_pinned(t) == PEERS - 1 &&
               address_tokens_find(t, host->peers[0].address.host) == NULL,
           "a disconnected peer's entry is unpinned and evicted (pinned %zu)",
           address_tokens_pinned(t));
    tap_ok(address_tokens_size(t) <= BOUND + PEERS, "still bounded (%zu)",
           address_tokens_size(t));
    address_tokens_free(t);
    free(host->peers);
    free(host);
}

int main(void)
{
    test_basics();
    test_flood();
    return tap_done();
}
