/*
 * peer_registry.c - peer identity (see peer_registry.h): the wrapper array,
 * the slot table, the per-peer metatable, retiring and marking dead.
 */
#include "peer_registry.h"

#include <stdlib.h>
#include <string.h>

#include "address_lua.h"
#include "class.h"
#include "connection.h"
#include "peer.h"
#include "socket.h"

#include "visibility.h" /* last: hides what this file defines */

/* Registry name of the metatable of every peer's own table: {__index =
 * the class table}, for the constants (FLAG_RELIABLE, ...). */
#define PEER_FIELDS_MT "enetconnection.ENetPacketPeer.fields"

/* ---- the connection's tables -------------------------------------------- */

void peer_registry_attach(lua_State *L)
{
    lua_newtable(L); /* slot + 1 -> peer userdata */
    compat_setuservalue(L, -2);
}

int peer_registry_init(peer_registry *r, size_t peer_count)
{
    r->wrappers = calloc(peer_count, sizeof *r->wrappers);
    r->count = r->wrappers != NULL ? peer_count : 0;
    return r->wrappers != NULL ? 0 : -1;
}

void peer_registry_close(peer_registry *r)
{
    for (size_t i = 0; i < r->count; i++)
        if (r->wrappers[i] != NULL)
            peer_registry_mark_dead(r->wrappers[i]);
    free(r->wrappers);
    r->wrappers = NULL;
    r->count = 0;
}

/* ---- validity and death ------------------------------------------------- */

void peer_registry_mark_dead(peer_wrapper *w)
{
    if (w->peer != NULL && w->peer->data == w)
        w->peer->data = NULL;
    w->peer = NULL;
}

/* Marks `w` dead and forgets it in the tables of `c`, at conn_idx. */
static void retire(lua_State *L, int conn_idx, connection *c, peer_wrapper *w)
{
    if (c->host != NULL && w->slot < c->peers.count && c->peers.wrappers[w->slot] == w) {
        c->peers.wrappers[w->slot] = NULL;
        peer_registry_push_slots(L, conn_idx);
        lua_pushnil(L);
        lua_rawseti(L, -2, (lua_Integer)w->slot + 1);
        lua_pop(L, 1);
        socket_layer_peer_gone(c->host->socket, &w->address);
    }
    peer_registry_mark_dead(w);
}

void peer_registry_retire(lua_State *L, int peer_idx, peer_wrapper *w)
{
    compat_getuservalue(L, peer_idx); /* [1] = the connection */
    lua_rawgeti(L, -1, 1);
    lua_remove(L, -2);
    retire(L, lua_gettop(L), lua_touserdata(L, -1), w);
    lua_pop(L, 1);
}

/* ---- the per-peer metatable --------------------------------------------- */

/* Copies the fields of the table on top into the table below it (only the
 * functions with `functions_only`); pops the source. */
static void copy_fields(lua_State *L, int functions_only)
{
    lua_pushnil(L);
    while (lua_next(L, -2)) { /* target, source, key, value */
        if (functions_only && lua_type(L, -1) != LUA_TFUNCTION) {
            lua_pop(L, 1);
            continue;
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -5);
    }
    lua_pop(L, 1);
}

/*
 * Pushes a new peer's own metatable: a copy of the class metatable (the
 * template in the registry) whose __index is the peer's own table, holding
 * `user` and the methods, and inheriting the constants. So `peer.user` and
 * `peer:send` are one plain table read, with no C call and no second
 * __index hop (for about 0.7 KiB more per peer); class_check recognises a
 * peer by its tag, not its metatable.
 */
static void push_peer_metatable(lua_State *L)
{
    lua_createtable(L, 0, 8);
    luaL_getmetatable(L, PEER_MT);
    copy_fields(L, 0);
    lua_createtable(L, 0, peer_method_count + 1); /* the peer's own fields */
    lua_getfield(L, -2, "__index"); /* the class table */
    copy_fields(L, 1);
    lua_newtable(L);
    lua_setfield(L, -2, "user");
    luaL_setmetatable(L, PEER_FIELDS_MT);
    lua_setfield(L, -2, "__index");
}

void peer_registry_open(lua_State *L)
{
    luaL_newmetatable(L, PEER_FIELDS_MT);
    lua_pushvalue(L, -2);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
}

int peer_registry_newindex(lua_State *L)
{
    class_check(L, 1, PEER_MT);
    if (lua_type(L, 2) != LUA_TSTRING)
        return luaL_error(L, "cannot set a %s key on ENetPacketPeer (use peer.user)",
                          luaL_typename(L, 2));
    if (strcmp(lua_tostring(L, 2), "user") != 0)
        return luaL_error(L, "cannot set field '%s' on ENetPacketPeer (use peer.user)",
                          lua_tostring(L, 2));
    luaL_checktype(L, 3, LUA_TTABLE);
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__index"); /* the peer's own fields */
    lua_pushvalue(L, 3);
    lua_setfield(L, -2, "user");
    return 0;
}

/* ---- making wrappers ---------------------------------------------------- */

/*
 * Pushes a new wrapper for p and records it in slot `slot`. The wrapper's
 * allocations may run finalizers, and a finalizer may destroy the host or
 * service it; so what the wrapper needs of p is read first, and p is used
 * again only if the host and the remote in the slot are still the ones of
 * the call. Otherwise the wrapper stays dead and unlisted, or, when a
 * finalizer already made a wrapper for the same remote, that one is pushed.
 */
static peer_wrapper *wrapper_new(lua_State *L, int conn_idx, connection *c,
                                 ENetPeer *p, size_t slot)
{
    conn_idx = lua_absindex(L, conn_idx);
    const unsigned epoch = c->epoch;
    const enet_uint32 connect_id = p->connectID;
    const int departed = p->state == ENET_PEER_STATE_DISCONNECTED;
    const ENetAddress address = p->address;
    const size_t channels = p->channelCount;
    char remote[INET_TEXT_SIZE]; /* an IPv6 remote's text needs the socket */
    address_lua_format_remote(c->host != NULL ? c->host->socket : ENET_SOCKET_NULL, &address,
                              remote, sizeof remote);

    peer_wrapper *w = compat_newuserdata(L, sizeof *w);
    memset(w, 0, sizeof *w);
    w->class_name = PEER_MT;
    w->connect_id = connect_id;
    w->slot = slot;
    w->address = address;
    memcpy(w->remote, remote, sizeof remote);
    w->channels = channels;
    push_peer_metatable(L); /* before anything else: it holds __gc */
    lua_setmetatable(L, -2);
    lua_createtable(L, 1, 0); /* user value: [1] = connection */
    lua_pushvalue(L, conn_idx);
    lua_rawseti(L, -2, 1);
    compat_setuservalue(L, -2);

    if (c->epoch != epoch || p->connectID != connect_id ||
        (!departed && p->state == ENET_PEER_STATE_DISCONNECTED))
        return w; /* the host or the remote went while we allocated */
    peer_wrapper *other = c->peers.wrappers[slot];
    if (other != NULL && other->peer == p && other->connect_id == connect_id) {
        /* made meanwhile: one remote, one identity */
        lua_pop(L, 1);
        peer_registry_push_slots(L, conn_idx);
        lua_rawgeti(L, -1, (lua_Integer)slot + 1);
        lua_remove(L, -2);
        return other;
    }
    if (other != NULL)
        retire(L, conn_idx, c, other);

    /* Table writes to existing tables run no finalizer: link C to C. */
    peer_registry_push_slots(L, conn_idx);
    lua_pushvalue(L, -2);
    lua_rawseti(L, -2, (lua_Integer)slot + 1);
    lua_pop(L, 1);
    w->peer = p;
    p->data = w;
    c->peers.wrappers[slot] = w;
    return w;
}

peer_wrapper *peer_registry_push_from(lua_State *L, int conn_idx, int slots_idx,
                                      connection *c, ENetPeer *p)
{
    size_t slot = (size_t)(p - c->host->peers);
    peer_wrapper *w = c->peers.wrappers[slot];
    if (w != NULL && peer_registry_matches(w, p)) {
        lua_rawgeti(L, slots_idx, (lua_Integer)slot + 1);
        return w;
    }
    if (w != NULL) /* a previous remote in this slot, gone without an event */
        retire(L, conn_idx, c, w);
    return wrapper_new(L, conn_idx, c, p, slot);
}

peer_wrapper *peer_registry_push(lua_State *L, int conn_idx, connection *c, ENetPeer *p)
{
    conn_idx = lua_absindex(L, conn_idx);
    peer_registry_push_slots(L, conn_idx);
    peer_wrapper *w = peer_registry_push_from(L, conn_idx, lua_gettop(L), c, p);
    lua_remove(L, -2); /* the slot table */
    return w;
}

peer_wrapper *peer_registry_push_departed(lua_State *L, int conn_idx, connection *c,
                                          ENetPeer *p)
{
    size_t slot = (size_t)(p - c->host->peers);
    peer_wrapper *w = c->peers.wrappers[slot];
    if (w != NULL && w->peer == p) {
        peer_registry_push_slots(L, conn_idx);
        lua_rawgeti(L, -1, (lua_Integer)slot + 1);
        lua_remove(L, -2);
    } else {
        if (w != NULL)
            retire(L, conn_idx, c, w);
        w = wrapper_new(L, conn_idx, c, p, slot);
    }
    retire(L, conn_idx, c, w);
    return w;
}

void peer_registry_push_list(lua_State *L, int conn_idx, connection *c)
{
    conn_idx = lua_absindex(L, conn_idx);
    lua_newtable(L);
    int n = 0;
    /* Pushing a wrapper allocates, which may run a finalizer that destroys
     * the host (and perhaps creates another): the epoch is compared and
     * c->host read again at every step. */
    const unsigned epoch = c->epoch;
    for (size_t i = 0; c->host != NULL && c->epoch == epoch && i < c->host->peerCount; i++) {
        ENetPeer *p = &c->host->peers[i];
        if (c->peers.wrappers[i] == NULL || p->state == ENET_PEER_STATE_DISCONNECTED)
            continue;
        peer_registry_push(L, conn_idx, c, p);
        lua_rawseti(L, -2, ++n);
    }
}
