/*
 * socket_lua.h - the socket layer's methods on ENetConnection: socket_send,
 * simulate, get_socket_counters, get_socket_options,
 * refuse_new_connections (module part "socket"); the socket options of
 * create_host and create_host_bound.
 */
#ifndef ENETCONNECTION_SOCKET_LUA_H
#define ENETCONNECTION_SOCKET_LUA_H

#include "compat.h"
#include "socket.h"

/* Adds the five methods to module.ENetConnection (module table on top; the
 * "connection" part must have run). */
void socket_lua_open(lua_State *L);

/* The socket options table of create_host / create_host_bound at `arg`
 * (absent or nil: none) into *options; raises for misuse. */
void socket_lua_check_options(lua_State *L, int arg, socket_options *options);

#endif
