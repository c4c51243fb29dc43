/*
 * wire_capture_lua.h - conn:_capture(n) and conn:_captured(), the test
 * build's Lua face of the wire capture (wire_capture.h).
 */
#ifndef ENETCONNECTION_WIRE_CAPTURE_LUA_H
#define ENETCONNECTION_WIRE_CAPTURE_LUA_H

#include "compat.h"

/* Adds the two methods to module.ENetConnection (module part "capture" of
 * the test build; module table on top; the "connection" part must have
 * run). */
void wire_capture_lua_open(lua_State *L);

#endif
