/*
 * address_lua.h - address arguments of Lua calls: the text (address.h
 * reads it) and the failure a method returns when it is no address.
 */
#ifndef ENETCONNECTION_ADDRESS_LUA_H
#define ENETCONNECTION_ADDRESS_LUA_H

#include <enet/enet.h>

#include "compat.h"
#include "socket.h"

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

/* The bind of "*" on `port`: a dual-stack socket, or IPv4 as ENet's when
 * the layer is bypassed or the machine has no IPv6. */
void address_lua_bind_any(lua_Integer port, ENetAddress *enet, socket_bind *bind);

/* Reads the bind address text at `arg` (checked by
 * address_lua_check_text) and `port`: an IPv4 address fills *enet (and
 * bind->ipv6 = 0); "*" makes a dual-stack socket (IPv4 as ENet's when the
 * layer is bypassed or the machine has no IPv6); an IPv6 address an
 * IPv6-only one. Returns 0, or pushes nil, message, code
 * (ERR_INVALID_PARAMETER, ERR_UNAVAILABLE for IPv6 without the layer or
 * without IPv6) and returns 3. */
int address_lua_read_bind(lua_State *L, int arg, lua_Integer port, ENetAddress *enet,
                          socket_bind *bind);

/* Reads the remote address text at `arg` (checked) and `port` into *out,
 * the ENetAddress that stands for it on socket `s` (an IPv6 remote's
 * token: socket.h). A name resolves to the first address the system
 * orders first among the families the socket reaches. Returns 0, or
 * pushes nil, message, code (ERR_CANT_RESOLVE; ERR_UNAVAILABLE for an
 * address of a family the socket does not reach, saying why) and returns
 * 3. A "host:port" text is refused with advice naming `method`, before
 * any name lookup. */
int address_lua_read_remote(lua_State *L, int arg, lua_Integer port, ENetSocket s,
                            ENetAddress *out, const char *method);

/* Writes the text of the remote an ENetAddress of socket `s` stands for
 * ("127.0.0.1", "::1"); "" for a token the socket has forgotten. */
void address_lua_format_remote(ENetSocket s, const ENetAddress *a, char *text, size_t size);

#endif
