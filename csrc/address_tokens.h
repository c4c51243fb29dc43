/*
 * address_tokens.h - IPv6 remotes as the 32-bit hosts libenet knows.
 *
 * libenet 1.3.17's ENetAddress holds an IPv4 host. A dual-stack socket
 * (socket_create.c) also talks to IPv6 remotes: each one (address, scope
 * and port) gets a token, an ENetAddress.host in 0.0.0.0/8, which no
 * datagram ever comes from. The socket layer turns a source into its
 * token on the way in and the token back into the sockaddr on the way out
 * (socket_udp.c, receive_ring.c). Tokens are handed out in sequence and a
 * number is used again only after the 24-bit space wrapped, so a stale
 * token (a datagram held in the simulated link, a DTLS session) finds
 * nothing rather than another remote.
 *
 * The table is bounded: at most `unpinned_max` entries that no live peer
 * of the host refers to, plus those the peers refer to (pinned, never
 * evicted). When full, a new remote evicts the least recently used
 * unpinned entry. Pins are refreshed by a scan of the host's peers, made
 * at an eviction once the list has moved by unpinned_max/2 places since
 * the last scan: a remote whose peer appeared since its last use is seen
 * by a scan before it can drift to the end of the list.
 * No Lua here; one table per socket, used by one thread.
 */
#ifndef ENETCONNECTION_ADDRESS_TOKENS_H
#define ENETCONNECTION_ADDRESS_TOKENS_H

#include <netinet/in.h>
#include <stddef.h>

#include <enet/enet.h>

/* The socket layer's bound on unpinned entries (about 60 bytes each with
 * the indexes, all made with the table). */
#define ADDRESS_TOKENS_UNPINNED_MAX 4096u

typedef struct address_tokens address_tokens;

/* A table for the socket of `host` (its peers pin entries; NULL: none
 * does), holding at most `unpinned_max` (>= 2) unpinned entries. NULL
 * when out of memory. */
address_tokens *address_tokens_new(const ENetHost *host, unsigned unpinned_max);
void address_tokens_free(address_tokens *t);

/* Whether an ENetAddress.host (network order) is a token: 0.0.0.0/8
 * without 0.0.0.0 itself (ENET_HOST_ANY). */
static inline int address_tokens_is_token(enet_uint32 host)
{
    return host != 0 && (ntohl(host) >> 24) == 0;
}

/* The token of `address` (IPv6, not v4-mapped), made if new, and marks it
 * used now. 0 when out of memory or every entry is pinned. */
enet_uint32 address_tokens_intern(address_tokens *t, const struct sockaddr_in6 *address);

/* The address a token stands for, marked used now; NULL when the token is
 * unknown (evicted, or never made). Valid until the next call on `t`. */
const struct sockaddr_in6 *address_tokens_find(address_tokens *t, enet_uint32 token);

/* How many entries the table holds, and how many of them are pinned. */
size_t address_tokens_size(const address_tokens *t);
size_t address_tokens_pinned(const address_tokens *t);

#endif
