/*
 * socket_lua.h - the socket layer's methods on ENetConnection: socket_send,
 * simulate, get_socket_counters, refuse_new_connections (module part
 * "socket").
 */
#ifndef ENETCONNECTION_SOCKET_LUA_H
#define ENETCONNECTION_SOCKET_LUA_H

#include "compat.h"

/* Adds the four methods to module.ENetConnection (module table on top; the
 * "connection" part must have run). */
void socket_lua_open(lua_State *L);

#endif
