/*
 * events.h - ENetConnection:service(timeout) and (Lua) :events(timeout).
 */
#ifndef ENETCONNECTION_EVENTS_H
#define ENETCONNECTION_EVENTS_H

#include "compat.h"

/* conn:service(timeout_ms=0) -> type, peer, data, channel */
int events_service(lua_State *L);

/* conn:events(timeout_ms=0) -> iterator of type, peer, data, channel; the
 * first step waits up to the timeout, the next ones drain without waiting;
 * a RECEIVE's data is the packet string. */
int events_iterate(lua_State *L);

/* Creates the iterator function events() returns; once, after the
 * connection class is registered. */
void events_open(lua_State *L);

#endif
