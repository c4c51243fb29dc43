/*
 * socket_lua.h - the socket layer's methods on ENetConnection: socket_send,
 * simulate, get_socket_counters, get_socket_options, get_receive_error,
 * refuse_new_connections (module part "socket"); the socket options of
 * create_host and create_host_bound; the watch on what a host receives.
 */
#ifndef ENETCONNECTION_SOCKET_LUA_H
#define ENETCONNECTION_SOCKET_LUA_H

#include "compat.h"
#include "socket.h"

/* Adds the six methods to module.ENetConnection (module table on top; the
 * "connection" part must have run). */
void socket_lua_open(lua_State *L);

/* The socket options table of create_host / create_host_bound at `arg`
 * (absent or nil: none) into *options; raises for misuse. */
void socket_lua_check_options(lua_State *L, int arg, socket_options *options);

/* Installs the ENet intercept of a host that notes the datagrams a remote
 * set up differently sends (get_receive_error) and, when `refusing`, drops
 * connection requests. */
void socket_lua_watch(ENetHost *host, int refusing);

#endif
