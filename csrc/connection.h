/*
 * connection.h - the ENetConnection userdata: owns one ENetHost.
 */
#ifndef ENETCONNECTION_CONNECTION_H
#define ENETCONNECTION_CONNECTION_H

#include <enet/enet.h>

#include "compat.h"
#include "packet.h"
#include "peer_registry.h"

/* The metatable name; its address tags the userdata (class_check). */
extern const char connection_metatable_name[];
#define CONNECTION_MT connection_metatable_name

typedef struct connection {
    const char *class_name; /* CONNECTION_MT, for class_check */
    ENetHost *host;  /* NULL before create_host and after destroy */
    int destroyed;   /* destroy() ran and no host since: methods raise until
                      * create_host* gives it a new one (Godot's restart) */
    int collected;   /* __gc ran: no new host, as nothing would free it */
    int refusing;    /* refuse_new_connections(true) */
    int compress_mode;
    int dtls;        /* a DTLS filter is on this host (dtls_*_setup) */
    peer_registry peers; /* by peer slot; empty while host is NULL */
    /* Rises at every close. C code that makes Lua values while it holds a
     * pointer into the host (an ENetPeer) compares it before using the
     * pointer again: a finalizer run by the allocation may have destroyed
     * the host. */
    unsigned epoch;
    size_t max_unread_bytes; /* per peer: see packet_queue_push */
    /* Received packets between ENet and their new owner (a peer queue or a
     * Lua string); freed by the owner, or at __gc after a Lua error. */
    packet_hold held;
} connection;

/* The connection at idx; raises a type error, or "connection destroyed"
 * after destroy() until a new create_host*. */
connection *connection_check(lua_State *L, int idx);

/* Like connection_check, and raises when the host was never created. */
connection *connection_check_host(lua_State *L, int idx);

/* Frees the host and marks every peer wrapper dead; idempotent. */
void connection_close(connection *c);

void connection_open(lua_State *L);

#endif
