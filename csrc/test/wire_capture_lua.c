/*
 * wire_capture_lua.c - the Lua face of the test build's wire capture
 * (wire_capture.h), module part "capture" of the test build only:
 *   conn:_capture(n)  keep the last n datagrams from now on (0: stop)
 *   conn:_captured()  { { sent = bool, data = string, address = "127.0.0.1"
 *                         or "::1", port = n }, ... }, oldest first
 */
#include "wire_capture_lua.h"

#include "address.h"
#include "address_lua.h"
#include "class.h"
#include "connection.h"
#include "wire_capture.h"

#include "visibility.h" /* last: hides what this file defines */

/* Largest ring a test may ask for. */
#define CAPTURE_MAX 1000000

/*
 * (Lua, test hook) conn:_capture(n) -> true
 * From now on keep copies of the last n datagrams this host's socket sends
 * or receives on the wire (after DTLS); n = 0 stops and frees them. Raises
 * for an n out of 0..1000000 and when out of memory.
 */
static int capture_start(lua_State *L)
{
    connection *c = connection_check_host(L, 1);
    size_t capacity = (size_t)class_check_range(L, 2, 0, CAPTURE_MAX);
    if (socket_layer_capture(c->host->socket, capacity) != 0)
        return luaL_error(L, "out of memory starting a capture of %d datagrams",
                          (int)capacity);
    lua_pushboolean(L, 1);
    return 1;
}

/*
 * (Lua, test hook) conn:_captured() -> array
 * The captured datagrams, oldest first: { sent = boolean, data = string,
 * address = the remote's text (IPv4 or IPv6), port = integer }. Empty when not capturing.
 */
static int capture_read(lua_State *L)
{
    connection *c = connection_check_host(L, 1);
    const wire_capture *capture = socket_layer_captured(c->host->socket);
    size_t count = capture != NULL ? capture->count : 0;
    lua_createtable(L, (int)count, 0);
    for (size_t i = 0; i < count; i++) {
        size_t at = (capture->next + capture->capacity - count + i) % capture->capacity;
        const wire_datagram *d = &capture->datagrams[at];
        char host[INET_TEXT_SIZE];
        address_lua_format_remote(c->host->socket, &d->address, host, sizeof host);
        lua_createtable(L, 0, 4);
        lua_pushboolean(L, d->sent);
        lua_setfield(L, -2, "sent");
        lua_pushlstring(L, (const char *)d->data, d->length);
        lua_setfield(L, -2, "data");
        lua_pushstring(L, host);
        lua_setfield(L, -2, "address");
        lua_pushinteger(L, d->address.port);
        lua_setfield(L, -2, "port");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static const luaL_Reg capture_methods[] = {
    { "_capture", capture_start },
    { "_captured", capture_read },
    { NULL, NULL },
};

void wire_capture_lua_open(lua_State *L)
{
    class_add_methods(L, "ENetConnection", capture_methods);
}
