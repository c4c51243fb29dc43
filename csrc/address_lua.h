/*
 * address_lua.h - address arguments of Lua calls: the text (address.h
 * reads it) and the failure a method returns when it is no address.
 */
#ifndef ENETCONNECTION_ADDRESS_LUA_H
#define ENETCONNECTION_ADDRESS_LUA_H

#include <enet/enet.h>

#include "compat.h"

/* The address text at `arg`; raises unless it is a string: Lua would turn
 * a number into text read as an IPv4 address (1.5 as 1.0.0.5) or a name to
 * look up ("-1"). */
const char *address_lua_check_text(lua_State *L, int arg);

/* The port at `arg` for `method`: raises unless it is an integer, with
 * lua-enet's "host:port" named when the address at `arg - 1` has that form
 * (create_host_bound("*:6789") has no port argument). */
lua_Integer address_lua_check_port(lua_State *L, int arg, const char *method);

/* Pushes nil, message, ERR_INVALID_PARAMETER and returns 3 when `port` is
 * outside min..65535, as Godot; returns 0 otherwise. A port is data (a
 * command line, a config file), like the address beside it. */
int address_lua_fail_port_range(lua_State *L, lua_Integer port, lua_Integer min);

/* Reads the address text at `arg` (checked by address_lua_check_text) and
 * `port` into *out. Returns 0, or pushes nil, message, code
 * (ERR_INVALID_PARAMETER for a bind address, ERR_CANT_RESOLVE for a
 * remote) and returns 3. A "host:port" text is refused with advice naming
 * `method`, before any name lookup. */
int address_lua_read(lua_State *L, int arg, int bind, lua_Integer port, ENetAddress *out,
                     const char *method);

#endif
