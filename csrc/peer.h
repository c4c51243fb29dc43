/*
 * peer.h - the ENetPacketPeer userdata: a stable Lua identity for an
 * ENetPeer slot while one remote occupies it.
 *
 * Lifetime: the connection keeps slot -> wrapper (in its user value table
 * and in connection.wrappers); ENetPeer->data points back to the wrapper;
 * the wrapper remembers the peer's connectID. Disconnect, reset, destroy or
 * a recycled slot make the wrapper dead (peer == NULL): it never touches
 * ENet memory again. A wrapper's user value holds its connection (so a
 * reachable peer keeps the host alive) and its `user` table.
 */
#ifndef ENETCONNECTION_PEER_H
#define ENETCONNECTION_PEER_H

#include <enet/enet.h>

#include "compat.h"
#include "connection.h"
#include "packet.h"

/* The metatable name; its address tags the userdata (class_check). */
extern const char peer_metatable_name[];
#define PEER_MT peer_metatable_name

typedef struct peer_wrapper {
    const char *class_name;   /* PEER_MT, for class_check */
    ENetPeer *peer;           /* NULL once dead */
    enet_uint32 connect_id;   /* detects a recycled slot */
    size_t slot;
    ENetAddress address;      /* kept for tostring and after death */
    packet_queue queue;       /* received, not yet read; survives death */
    packet_hold held;         /* taken from the queue, being copied to Lua */
    int last_error;           /* for get_packet_error */
    size_t encode_buffer_max_size; /* put_var's limit (Godot's PacketPeer
                                      property); 0: Godot's default, 8 MiB */
} peer_wrapper;

/* Pushes the live wrapper of `p` for the connection at conn_idx, creating
 * it (and retiring a stale one in the same slot) when needed. */
peer_wrapper *peer_push(lua_State *L, int conn_idx, connection *c, ENetPeer *p);

/* The same, for a caller that has the connection's slot table (its user
 * value) at slots_idx already: one table read on the hot path. */
peer_wrapper *peer_push_from(lua_State *L, int conn_idx, int slots_idx,
                             connection *c, ENetPeer *p);

/* For a DISCONNECT event: pushes the wrapper that owned `p`'s slot and
 * marks it dead (or a new dead wrapper if there was none). */
peer_wrapper *peer_push_departed(lua_State *L, int conn_idx, connection *c,
                                 ENetPeer *p);

/* Marks a wrapper dead and forgets it in its connection's tables. The
 * connection must be at conn_idx. Tells the socket layer the peer is gone. */
void peer_retire(lua_State *L, int conn_idx, connection *c, peer_wrapper *w);

/* Marks a wrapper dead without Lua (used by connection_close). */
void peer_mark_dead(peer_wrapper *w);

void peer_open(lua_State *L);

#endif
