/*
 * peer_registry.h - peer identity: one ENetPacketPeer userdata per remote
 * in a connection's peer slot, for as long as that remote occupies it.
 *
 * The registry owns, for each connection: the wrapper array (slot -> C
 * pointer), the slot table (the connection's user value: slot + 1 -> peer
 * userdata, strong, so live peers are not collected) and the making,
 * retiring and marking dead of wrappers. ENetPeer->data points back to the
 * wrapper, which remembers the peer's connectID. Disconnect, reset,
 * destroy or a recycled slot make a wrapper dead (peer == NULL): it never
 * touches ENet memory again.
 *
 * For each peer it owns the user value ([1] = its connection, so a
 * reachable peer keeps its host alive) and the per-peer metatable: a copy
 * of the class metatable whose __index is the peer's own table (`user`, the
 * methods, and the class's constants by inheritance).
 */
#ifndef ENETCONNECTION_PEER_REGISTRY_H
#define ENETCONNECTION_PEER_REGISTRY_H

#include <stddef.h>

#include <enet/enet.h>

#include "compat.h"
#include "peer.h"

struct connection;

/* A connection's wrapper array; all zero before a host and after close. */
typedef struct peer_registry {
    peer_wrapper **wrappers; /* by peer slot, `count` long */
    size_t count;                   /* the host's peerCount */
} peer_registry;

/* Gives the new connection userdata on top of the stack its (empty) slot
 * table. */
void peer_registry_attach(lua_State *L);

/* Pushes the slot table of the connection at conn_idx. */
#define peer_registry_push_slots(L, conn_idx) compat_getuservalue((L), (conn_idx))

/* Makes an empty wrapper array for `peer_count` slots. Returns 0, or -1
 * when out of memory (the registry stays empty). */
int peer_registry_init(peer_registry *r, size_t peer_count);

/* Marks every wrapper dead without Lua and frees the array: at close,
 * before the host is destroyed. */
void peer_registry_close(peer_registry *r);

/* Pushes the live wrapper of `p` for the connection `c` at conn_idx,
 * creating it (and retiring a stale one in the same slot) when needed. May
 * allocate, so may run finalizers that destroy or service the host: then
 * the wrapper pushed is dead, or the one such a finalizer made for the
 * same remote. */
peer_wrapper *peer_registry_push(lua_State *L, int conn_idx, struct connection *c,
                                 ENetPeer *p);

/* The same, for a caller that has the slot table at slots_idx already:
 * one table read on the hot path. */
peer_wrapper *peer_registry_push_from(lua_State *L, int conn_idx, int slots_idx,
                                      struct connection *c, ENetPeer *p);

/* For a DISCONNECT event: pushes the wrapper that owned `p`'s slot and
 * marks it dead (or a new dead wrapper if there was none). */
peer_wrapper *peer_registry_push_departed(lua_State *L, int conn_idx,
                                          struct connection *c, ENetPeer *p);

/* Pushes a new array of the wrappers of the connection's peers that have
 * one and are not disconnected (get_peers). Reads the host again at every
 * step: a finalizer may destroy it (or replace it), which ends the array. */
void peer_registry_push_list(lua_State *L, int conn_idx, struct connection *c);

/* True while `w` stands for `p`: same remote (connectID), not disconnected.
 * Inline: every peer method asks. */
static inline int peer_registry_matches(const peer_wrapper *w, const ENetPeer *p)
{
    return w->peer == p && w->connect_id == p->connectID &&
           p->state != ENET_PEER_STATE_DISCONNECTED;
}

/* Marks a wrapper dead without Lua (it stays in the tables). */
void peer_registry_mark_dead(peer_wrapper *w);

/* Marks the wrapper of the peer userdata at peer_idx dead and forgets it in
 * its connection's tables; tells the socket layer the remote is gone. */
void peer_registry_retire(lua_State *L, int peer_idx, peer_wrapper *w);

/* Creates the metatable of every peer's own table, which inherits the
 * constants of the ENetPacketPeer class table on top of the stack. */
void peer_registry_open(lua_State *L);

/* __newindex of a peer: only `user` may be replaced, by a table. */
int peer_registry_newindex(lua_State *L);

#endif
