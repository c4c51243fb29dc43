/*
 * connection.c - the ENetConnection userdata: host lifecycle, configuration,
 * broadcast, raw socket sends and statistics. service() and events() live
 * in events.c.
 *
 * Failure conventions: methods that return Godot's Error or an object
 * return nil, message, code (ERR_UNCONFIGURED when the host was never
 * created); other methods raise on misuse, including use before
 * create_host. Every method raises "connection destroyed" after destroy().
 */
#include "connection.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "class.h"
#include "compress.h"
#include "errors.h"
#include "events.h"
#include "packet.h"
#include "peer.h"
#include "socket.h"

#define MAX_PEERS_LIMIT 4095 /* ENET_PROTOCOL_MAXIMUM_PEER_ID */
#define CHANNEL_LIMIT ENET_PROTOCOL_MAXIMUM_CHANNEL_COUNT
#define U32_MAX_ 4294967295LL

connection *connection_check(lua_State *L, int idx)
{
    connection *c = class_check(L, idx, CONNECTION_MT);
    if (c->destroyed)
        luaL_error(L, "connection destroyed");
    return c;
}

connection *connection_check_host(lua_State *L, int idx)
{
    connection *c = connection_check(L, idx);
    if (c->host == NULL)
        luaL_error(L, "host not created: call create_host or create_host_bound first");
    return c;
}

void connection_close(connection *c)
{
    if (c->host != NULL) {
        ENetHost *host = c->host;
        for (size_t i = 0; i < host->peerCount; i++) {
            ENetPeer *p = &host->peers[i];
            /* Tell remotes now rather than let them time out. */
            if (p->state == ENET_PEER_STATE_CONNECTED)
                enet_peer_disconnect_now(p, 0);
            if (c->wrappers[i] != NULL)
                peer_mark_dead(c->wrappers[i]);
        }
        socket_layer_unregister(host->socket);
        enet_host_destroy(host);
        c->host = NULL;
    }
    free(c->wrappers);
    c->wrappers = NULL;
    if (c->pending != NULL) {
        enet_packet_destroy(c->pending);
        c->pending = NULL;
    }
}

/* ---- creation ----------------------------------------------------------- */

static int connection_new(lua_State *L)
{
    connection *c = compat_newuserdata(L, sizeof *c);
    memset(c, 0, sizeof *c); /* closed state first: no host yet */
    luaL_setmetatable(L, CONNECTION_MT);
    lua_newtable(L); /* slot + 1 -> peer wrapper */
    compat_setuservalue(L, -2);
    return 1;
}

/* Drops datagrams that would start a connection (sent to peer id 4095, the
 * "no peer yet" id) while refuse_new_connections(true) is in force. */
static int refuse_intercept(ENetHost *host, ENetEvent *event)
{
    (void)event;
    if (host->receivedDataLength < sizeof(enet_uint16))
        return 0;
    enet_uint16 peer_id;
    memcpy(&peer_id, host->receivedData, sizeof peer_id);
    peer_id = ENET_NET_TO_HOST_16(peer_id);
    peer_id &= ~(ENET_PROTOCOL_HEADER_FLAG_MASK | ENET_PROTOCOL_HEADER_SESSION_MASK);
    return peer_id == ENET_PROTOCOL_MAXIMUM_PEER_ID ? 1 : 0;
}

/* Shared by create_host and create_host_bound; `address` NULL = any:0.
 * Arguments max_peers.. start at `arg`. */
static int create(lua_State *L, connection *c, ENetAddress *address,
                  const char *where, int arg)
{
    lua_Integer max_peers = class_opt_range(L, arg, 32, 1, MAX_PEERS_LIMIT);
    lua_Integer channels = class_opt_range(L, arg + 1, 0, 0, CHANNEL_LIMIT);
    lua_Integer in_bw = class_opt_range(L, arg + 2, 0, 0, U32_MAX_);
    lua_Integer out_bw = class_opt_range(L, arg + 3, 0, 0, U32_MAX_);
    if (c->host != NULL)
        return errors_push_fail(L, GD_ERR_ALREADY_IN_USE,
                                "host already created; destroy() it first");

    ENetAddress any = { ENET_HOST_ANY, 0 };
    ENetHost *host = enet_host_create(address ? address : &any, (size_t)max_peers,
                                      channels ? (size_t)channels : CHANNEL_LIMIT,
                                      (enet_uint32)in_bw, (enet_uint32)out_bw);
    if (host == NULL) {
        int err = errno;
        return errors_push_fail(L, GD_ERR_CANT_CREATE,
                                "cannot create host on %s: %s", where,
                                err ? strerror(err) : "ENet refused");
    }
    c->wrappers = calloc(host->peerCount, sizeof *c->wrappers);
    if (c->wrappers == NULL || socket_layer_register(host->socket) != 0) {
        free(c->wrappers);
        c->wrappers = NULL;
        enet_host_destroy(host);
        return errors_push_fail(L, GD_ERR_OUT_OF_MEMORY,
                                "out of memory creating host on %s", where);
    }
    c->host = host;
    c->compress_mode = COMPRESS_NONE;
    c->refusing = 0;
    lua_pushboolean(L, 1);
    return 1;
}

static int connection_create_host(lua_State *L)
{
    connection *c = connection_check(L, 1);
    return create(L, c, NULL, "*:0", 2);
}

static int connection_create_host_bound(lua_State *L)
{
    connection *c = connection_check(L, 1);
    const char *text = luaL_checkstring(L, 2);
    lua_Integer port = class_check_range(L, 3, 0, 65535);
    ENetAddress address;
    address.port = (enet_uint16)port;
    char where[300];
    snprintf(where, sizeof where, "%s:%d", text, (int)port);
    if (address_parse(text, 1, &address) != 0)
        return errors_push_fail(L, GD_ERR_INVALID_PARAMETER,
                                "invalid bind address '%s' (use an IPv4 address or \"*\")",
                                text);
    return create(L, c, &address, where, 4);
}

static int connection_destroy(lua_State *L)
{
    connection *c = luaL_checkudata(L, 1, CONNECTION_MT);
    connection_close(c);
    c->destroyed = 1;
    return 0;
}

/* ---- peers -------------------------------------------------------------- */

static int connection_connect_to_host(lua_State *L)
{
    connection *c = connection_check(L, 1);
    const char *text = luaL_checkstring(L, 2);
    lua_Integer port = class_check_range(L, 3, 1, 65535);
    lua_Integer channels = class_opt_range(L, 4, 0, 0, CHANNEL_LIMIT);
    lua_Integer data = class_opt_range(L, 5, 0, 0, U32_MAX_);
    if (c->host == NULL)
        return errors_push_fail(L, GD_ERR_UNCONFIGURED,
                                "host not created: call create_host first");
    ENetAddress address;
    address.port = (enet_uint16)port;
    if (address_parse(text, 0, &address) != 0)
        return errors_push_fail(L, GD_ERR_CANT_RESOLVE,
                                "cannot resolve '%s' to an IPv4 address", text);
    ENetPeer *p = enet_host_connect(c->host, &address,
                                    channels ? (size_t)channels : CHANNEL_LIMIT,
                                    (enet_uint32)data);
    if (p == NULL)
        return errors_push_fail(L, GD_ERR_CANT_CREATE,
                                "no free peer slot: all %d are in use (raise max_peers)",
                                (int)c->host->peerCount);
    peer_push(L, 1, c, p);
    return 1;
}

static int connection_get_peers(lua_State *L)
{
    connection *c = connection_check_host(L, 1);
    lua_newtable(L);
    int n = 0;
    for (size_t i = 0; i < c->host->peerCount; i++) {
        ENetPeer *p = &c->host->peers[i];
        if (c->wrappers[i] == NULL || p->state == ENET_PEER_STATE_DISCONNECTED)
            continue;
        peer_push(L, 1, c, p);
        lua_rawseti(L, -2, ++n);
    }
    return 1;
}

/* ---- configuration ------------------------------------------------------ */

static int connection_flush(lua_State *L)
{
    enet_host_flush(connection_check_host(L, 1)->host);
    return 0;
}

static int connection_bandwidth_limit(lua_State *L)
{
    connection *c = connection_check_host(L, 1);
    lua_Integer in_bw = class_opt_range(L, 2, 0, 0, U32_MAX_);
    lua_Integer out_bw = class_opt_range(L, 3, 0, 0, U32_MAX_);
    enet_host_bandwidth_limit(c->host, (enet_uint32)in_bw, (enet_uint32)out_bw);
    return 0;
}

static int connection_channel_limit(lua_State *L)
{
    connection *c = connection_check_host(L, 1);
    lua_Integer limit = class_check_range(L, 2, 0, CHANNEL_LIMIT);
    enet_host_channel_limit(c->host, (size_t)limit);
    return 0;
}

static int connection_refuse_new_connections(lua_State *L)
{
    connection *c = connection_check_host(L, 1);
    luaL_checktype(L, 2, LUA_TBOOLEAN);
    c->refusing = lua_toboolean(L, 2);
    c->host->intercept = c->refusing ? refuse_intercept : NULL;
    return 0;
}

static int connection_compress(lua_State *L)
{
    connection *c = connection_check_host(L, 1);
    int mode = (int)class_check_range(L, 2, COMPRESS_NONE, COMPRESS_ZSTD);
    if (compress_install(c->host, mode) != 0)
        return luaL_error(L, "compression mode %d could not be installed", mode);
    c->compress_mode = mode;
    return 0;
}

/* ---- sending ------------------------------------------------------------ */

static int connection_broadcast(lua_State *L)
{
    connection *c = connection_check_host(L, 1);
    lua_Integer channel = class_check_range(L, 2, 0, (lua_Integer)c->host->channelLimit - 1);
    luaL_checktype(L, 3, LUA_TSTRING);
    lua_Integer flags = luaL_checkinteger(L, 4);
    if (flags & ~(lua_Integer)PACKET_USER_FLAGS)
        return luaL_argerror(L, 4, "unknown flags (use FLAG_RELIABLE, FLAG_UNSEQUENCED, FLAG_UNRELIABLE_FRAGMENT)");
    size_t length;
    const char *data = lua_tolstring(L, 3, &length);
    ENetPacket *packet = enet_packet_create(data, length, (enet_uint32)flags);
    if (packet == NULL)
        return luaL_error(L, "out of memory creating a %d-byte packet", (int)length);
    /* ENet destroys the packet itself when no peer took it. */
    enet_host_broadcast(c->host, (enet_uint8)channel, packet);
    return 0;
}

static int connection_socket_send(lua_State *L)
{
    connection *c = connection_check_host(L, 1);
    const char *text = luaL_checkstring(L, 2);
    lua_Integer port = class_check_range(L, 3, 1, 65535);
    luaL_checktype(L, 4, LUA_TSTRING);
    size_t length;
    const char *data = lua_tolstring(L, 4, &length);
    ENetAddress address;
    address.port = (enet_uint16)port;
    if (address_parse(text, 0, &address) != 0)
        return errors_push_fail(L, GD_ERR_CANT_RESOLVE,
                                "cannot resolve '%s' to an IPv4 address", text);
    int sent = socket_layer_send_raw(c->host->socket, &address, data, length);
    if (sent < 0)
        return errors_push_fail(L, GD_FAILED, "socket_send to %s:%d failed: %s",
                                text, (int)port, strerror(errno));
    if (sent == 0 && length > 0)
        return errors_push_fail(L, GD_ERR_BUSY,
                                "socket_send: nothing sent (the socket buffer is full, or this DTLS host "
                                "has no session with %s:%d yet); try again later", text, (int)port);
    lua_pushboolean(L, 1);
    return 1;
}

/* (Lua) simulate{loss=, duplicate=, reorder=, latency=, jitter=, seed=}:
 * a bad link under this host's outgoing datagrams; simulate() or
 * simulate(nil) restores the real link. Probabilities 0..1, times in ms. */
static double sim_probability(lua_State *L, const char *name)
{
    lua_getfield(L, 2, name);
    double p = lua_isnil(L, -1) ? 0 : luaL_checknumber(L, -1);
    lua_pop(L, 1);
    if (!(p >= 0 && p <= 1))
        luaL_argerror(L, 2, lua_pushfstring(L, "%s must be a probability from 0 to 1", name));
    return p;
}

static lua_Integer sim_integer(lua_State *L, const char *name, lua_Integer max)
{
    lua_getfield(L, 2, name);
    lua_Integer v = lua_isnil(L, -1) ? 0 : luaL_checkinteger(L, -1);
    lua_pop(L, 1);
    if (v < 0 || v > max) {
        char message[80];
        snprintf(message, sizeof message, "%s must be from 0 to %lld", name, (long long)max);
        luaL_argerror(L, 2, message);
    }
    return v;
}

static int connection_simulate(lua_State *L)
{
    connection *c = connection_check_host(L, 1);
    if (lua_isnoneornil(L, 2)) {
        socket_layer_simulate(c->host->socket, NULL);
        return 0;
    }
    luaL_checktype(L, 2, LUA_TTABLE);
    static const char *const known[] = {
        "loss", "duplicate", "reorder", "latency", "jitter", "seed", NULL,
    };
    lua_pushnil(L);
    while (lua_next(L, 2) != 0) {
        lua_pop(L, 1);
        int found = 0;
        for (int i = 0; known[i] != NULL && lua_type(L, -1) == LUA_TSTRING; i++)
            found |= strcmp(lua_tostring(L, -1), known[i]) == 0;
        if (!found)
            return luaL_argerror(L, 2, "unknown field (use loss, duplicate, reorder, latency, jitter, seed)");
    }
    linksim_config config = {
        .loss = sim_probability(L, "loss"),
        .duplicate = sim_probability(L, "duplicate"),
        .reorder = sim_probability(L, "reorder"),
        .latency_ms = (uint32_t)sim_integer(L, "latency", 60000),
        .jitter_ms = (uint32_t)sim_integer(L, "jitter", 60000),
        .seed = (uint64_t)sim_integer(L, "seed", (lua_Integer)1 << 53),
    };
    if (socket_layer_simulate(c->host->socket, &config) != 0)
        return luaL_error(L, "out of memory setting up the simulated link");
    return 0;
}

/* ---- queries ------------------------------------------------------------ */

static int connection_get_local_port(lua_State *L)
{
    connection *c = connection_check_host(L, 1);
    ENetAddress address;
    if (enet_socket_get_address(c->host->socket, &address) != 0)
        return luaL_error(L, "get_local_port: %s", strerror(errno));
    lua_pushinteger(L, address.port);
    return 1;
}

static int connection_get_max_channels(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)connection_check_host(L, 1)->host->channelLimit);
    return 1;
}

static int connection_pop_statistic(lua_State *L)
{
    connection *c = connection_check_host(L, 1);
    int stat = (int)class_check_range(L, 2, 0, 3);
    enet_uint32 *fields[] = {
        &c->host->totalSentData, &c->host->totalSentPackets,
        &c->host->totalReceivedData, &c->host->totalReceivedPackets,
    };
    lua_pushinteger(L, (lua_Integer)*fields[stat]);
    *fields[stat] = 0;
    return 1;
}

/* (Lua) What the socket layer saw of this host: proves every datagram goes
 * through it, and gives wire-level figures. */
static int connection_get_socket_counters(lua_State *L)
{
    connection *c = connection_check_host(L, 1);
    const socket_counters *k = socket_layer_counters(c->host->socket);
    lua_createtable(L, 0, 5);
    if (k == NULL)
        return 1;
    lua_pushinteger(L, (lua_Integer)k->datagrams_sent);
    lua_setfield(L, -2, "datagrams_sent");
    lua_pushinteger(L, (lua_Integer)k->bytes_sent);
    lua_setfield(L, -2, "bytes_sent");
    lua_pushinteger(L, (lua_Integer)k->datagrams_received);
    lua_setfield(L, -2, "datagrams_received");
    lua_pushinteger(L, (lua_Integer)k->bytes_received);
    lua_setfield(L, -2, "bytes_received");
    lua_pushinteger(L, (lua_Integer)k->datagrams_dropped);
    lua_setfield(L, -2, "datagrams_dropped");
    const linksim_counters *link = socket_layer_link_counters(c->host->socket);
    if (link != NULL) {
        lua_pushinteger(L, (lua_Integer)link->lost);
        lua_setfield(L, -2, "simulated_lost");
        lua_pushinteger(L, (lua_Integer)link->duplicated);
        lua_setfield(L, -2, "simulated_duplicated");
        lua_pushinteger(L, (lua_Integer)link->reordered);
        lua_setfield(L, -2, "simulated_reordered");
        lua_pushinteger(L, (lua_Integer)link->overflowed);
        lua_setfield(L, -2, "simulated_overflowed");
    }
    return 1;
}

static int connection_tostring(lua_State *L)
{
    connection *c = luaL_checkudata(L, 1, CONNECTION_MT);
    if (c->destroyed) {
        lua_pushliteral(L, "ENetConnection (destroyed)");
    } else if (c->host == NULL) {
        lua_pushliteral(L, "ENetConnection (no host)");
    } else {
        ENetAddress address;
        if (enet_socket_get_address(c->host->socket, &address) != 0)
            address.port = 0;
        lua_pushfstring(L, "ENetConnection (port %d, %d connected of %d)",
                        (int)address.port, (int)c->host->connectedPeers,
                        (int)c->host->peerCount);
    }
    return 1;
}

static int connection_gc(lua_State *L)
{
    connection *c = luaL_checkudata(L, 1, CONNECTION_MT);
    connection_close(c);
    c->destroyed = 1;
    return 0;
}

static const luaL_Reg connection_methods[] = {
    { "create_host", connection_create_host },
    { "create_host_bound", connection_create_host_bound },
    { "connect_to_host", connection_connect_to_host },
    { "service", events_service },
    { "events", events_iterate },
    { "flush", connection_flush },
    { "destroy", connection_destroy },
    { "bandwidth_limit", connection_bandwidth_limit },
    { "channel_limit", connection_channel_limit },
    { "refuse_new_connections", connection_refuse_new_connections },
    { "compress", connection_compress },
    { "broadcast", connection_broadcast },
    { "socket_send", connection_socket_send },
    { "get_local_port", connection_get_local_port },
    { "get_max_channels", connection_get_max_channels },
    { "get_peers", connection_get_peers },
    { "pop_statistic", connection_pop_statistic },
    { "get_socket_counters", connection_get_socket_counters },
    { "simulate", connection_simulate },
    { NULL, NULL },
};

static const luaL_Reg connection_metamethods[] = {
    { "__gc", connection_gc },
    { "__close", connection_gc },
    { "__tostring", connection_tostring },
    { NULL, NULL },
};

void connection_open(lua_State *L)
{
    static const class_def def = {
        CONNECTION_MT, connection_methods, connection_metamethods, NULL,
    };
    class_register(L, &def); /* pushes the methods table = the class */
    events_open(L);
    lua_pushcfunction(L, connection_new);
    lua_setfield(L, -2, "new");

    class_set_int(L, "COMPRESS_NONE", COMPRESS_NONE);
    class_set_int(L, "COMPRESS_RANGE_CODER", COMPRESS_RANGE_CODER);
    class_set_int(L, "COMPRESS_FASTLZ", COMPRESS_FASTLZ);
    class_set_int(L, "COMPRESS_ZLIB", COMPRESS_ZLIB);
    class_set_int(L, "COMPRESS_ZSTD", COMPRESS_ZSTD);
    class_set_int(L, "EVENT_ERROR", -1);
    class_set_int(L, "EVENT_NONE", ENET_EVENT_TYPE_NONE);
    class_set_int(L, "EVENT_CONNECT", ENET_EVENT_TYPE_CONNECT);
    class_set_int(L, "EVENT_DISCONNECT", ENET_EVENT_TYPE_DISCONNECT);
    class_set_int(L, "EVENT_RECEIVE", ENET_EVENT_TYPE_RECEIVE);
    class_set_int(L, "HOST_TOTAL_SENT_DATA", 0);
    class_set_int(L, "HOST_TOTAL_SENT_PACKETS", 1);
    class_set_int(L, "HOST_TOTAL_RECEIVED_DATA", 2);
    class_set_int(L, "HOST_TOTAL_RECEIVED_PACKETS", 3);

    lua_setfield(L, -2, "ENetConnection");
    lua_pushcfunction(L, connection_new);
    lua_setfield(L, -2, "new");
}
