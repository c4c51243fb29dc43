/*
 * dtls_lua.h - ENetConnection's DTLS methods, dtls_server_setup and
 * dtls_client_setup (module part "dtls"; the filter is in dtls_filter.h).
 */
#ifndef ENETCONNECTION_DTLS_LUA_H
#define ENETCONNECTION_DTLS_LUA_H

#include "compat.h"

/* Adds the two methods to module.ENetConnection (module table on top; the
 * "connection" part must have run). */
void dtls_open(lua_State *L);

#endif
