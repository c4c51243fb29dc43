/*
 * wire_capture.c - the socket layer's capture of wire datagrams, a test
 * hook (see wire_capture.h): the ring, and its Lua face
 *   conn:_capture(n)  keep the last n datagrams from now on (0: stop)
 *   conn:_captured()  { { sent = bool, data = string, address = "a.b.c.d",
 *                         port = n }, ... }, oldest first
 */
#include "wire_capture.h"

#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "buffers.h"
#include "class.h"
#include "connection.h"
#include "socket.h"

#include "visibility.h" /* last: hides what this file defines */

/* Largest ring a test may ask for. */
#define CAPTURE_MAX 1000000

wire_capture *wire_capture_new(size_t capacity)
{
    wire_capture *capture = calloc(1, sizeof *capture + capacity * sizeof(wire_datagram));
    if (capture != NULL)
        capture->capacity = capacity;
    return capture;
}

void wire_capture_free(wire_capture *capture)
{
    if (capture == NULL)
        return;
    for (size_t i = 0; i < capture->capacity; i++)
        free(capture->datagrams[i].data);
    free(capture);
}

void wire_capture_add(wire_capture *capture, int sent, const ENetAddress *address,
                      const ENetBuffer *buffers, size_t count, size_t length)
{
    unsigned char *copy = malloc(length > 0 ? length : 1);
    if (copy == NULL)
        return;
    buffers_gather(copy, length, buffers, count);
    wire_datagram *slot = &capture->datagrams[capture->next];
    free(slot->data);
    slot->sent = sent;
    if (address != NULL)
        slot->address = *address;
    else
        memset(&slot->address, 0, sizeof slot->address);
    slot->length = length;
    slot->data = copy;
    capture->next = (capture->next + 1) % capture->capacity;
    if (capture->count < capture->capacity)
        capture->count++;
}

/* ---- Lua ---------------------------------------------------------------- */

/*
 * (Lua, test hook) conn:_capture(n) -> true
 * From now on keep copies of the last n datagrams this host's socket sends
 * or receives on the wire (after DTLS); n = 0 stops and frees them. Raises
 * when the ring cannot be allocated.
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
 * address = dotted IPv4, port = integer }. Empty when not capturing.
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
        address_format_host(&d->address, host, sizeof host);
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

void wire_capture_open(lua_State *L)
{
    lua_getfield(L, -1, "ENetConnection");
    luaL_checktype(L, -1, LUA_TTABLE);
    luaL_setfuncs(L, capture_methods, 0);
    lua_pop(L, 1);
}
