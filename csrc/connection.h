/*
 * connection.h - the ENetConnection userdata: owns one ENetHost.
 */
#ifndef ENETCONNECTION_CONNECTION_H
#define ENETCONNECTION_CONNECTION_H

#include <enet/enet.h>

#include "compat.h"

/* The metatable name; its address tags the userdata (class_check). */
extern const char connection_metatable_name[];
#define CONNECTION_MT connection_metatable_name

struct peer_wrapper;

typedef struct connection {
    const char *class_name; /* CONNECTION_MT, for class_check */
    ENetHost *host;  /* NULL before create_host and after destroy */
    int destroyed;   /* destroy() ran: the object is closed for good */
    int refusing;    /* refuse_new_connections(true) */
    int compress_mode;
    struct peer_wrapper **wrappers; /* by peer slot; host->peerCount long */
    /* A received packet between ENet and its new owner (a peer queue or a
     * Lua string): if a Lua allocation fails on the way, the next service
     * or destroy frees it. */
    ENetPacket *pending;
} connection;

/* The connection at idx; raises a type error, or "connection destroyed". */
connection *connection_check(lua_State *L, int idx);

/* Like connection_check, and raises when the host was never created. */
connection *connection_check_host(lua_State *L, int idx);

/* Frees the host and marks every peer wrapper dead; idempotent. */
void connection_close(connection *c);

void connection_open(lua_State *L);

#endif
