/*
 * connection.c - the ENetConnection userdata: host lifecycle, configuration,
 * broadcast and statistics. service() and events() live in events.c, the
 * socket layer's methods (socket_send, simulate, ...) in socket_lua.c.
 *
 * Failure conventions: methods that return Godot's Error or an object
 * return nil, message, code (ERR_UNCONFIGURED when the host was never
 * created); other methods raise on misuse, including use before
 * create_host. After destroy() every method raises "connection destroyed"
 * except create_host and create_host_bound, which start the object again
 * (Godot lets a script restart its server so); after __gc nothing does.
 */
#include "connection.h"

/***
 * A host that connects to peers and accepts them: Godot's ENetConnection.
 *
 * Runtime failures return `nil, message, code` (`code` from `enet.Error`);
 * misuse raises. After `destroy()` every method raises "connection
 * destroyed", except `create_host` and `create_host_bound`, which give the
 * object a new host, as in Godot; the ones that need a host raise "host
 * not created" before
 * `create_host` (the ones returning Godot's Error return
 * `nil, message, ERR_UNCONFIGURED` instead). `tostring(conn)` shows the port
 * and the number of connected peers.
 * @classmod ENetConnection
 */

/***
 * Compression modes for `compress`; also the enum table
 * `ENetConnection.CompressionMode` (name to value and value to name).
 * Godot's names and values.
 * @table CompressionMode
 * @field COMPRESS_NONE 0: no compression (the default).
 * @field COMPRESS_RANGE_CODER 1: ENet's adaptive range coder: the best ratio on
 *   small game packets, the slowest per byte.
 * @field COMPRESS_FASTLZ 2: FastLZ, as Godot.
 * @field COMPRESS_ZLIB 3: zlib (deflate), as Godot.
 * @field COMPRESS_ZSTD 4: Zstandard, as Godot.
 */

/***
 * Event types returned by `service` and `events`; also the enum table
 * `ENetConnection.EventType`.
 * @table EventType
 * @field EVENT_ERROR -1: ENet's service failed; destroy and recreate the host.
 * @field EVENT_NONE 0: nothing happened within the timeout.
 * @field EVENT_CONNECT 1: a peer connected; `data` is its connect data.
 * @field EVENT_DISCONNECT 2: a peer left or timed out; `data` is its disconnect data.
 * @field EVENT_RECEIVE 3: a packet arrived on `channel`.
 */

/***
 * Host statistics for `pop_statistic`; also the enum table
 * `ENetConnection.HostStatistic`.
 * @table HostStatistic
 * @field HOST_TOTAL_SENT_DATA 0: bytes sent.
 * @field HOST_TOTAL_SENT_PACKETS 1: UDP datagrams sent.
 * @field HOST_TOTAL_RECEIVED_DATA 2: bytes received.
 * @field HOST_TOTAL_RECEIVED_PACKETS 3: UDP datagrams received.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "address_lua.h"
#include "block_cache.h"
#include "class.h"
#include "compress.h"
#include "errors.h"
#include "events.h"
#include "packet.h"
#include "send_args.h"
#include "socket.h"
#include "socket_lua.h"

#include "visibility.h" /* last: hides what this file defines */

const char connection_metatable_name[] = "enetconnection.ENetConnection";

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
        }
        peer_registry_close(&c->peers);
        socket_layer_unregister(host->socket);
        enet_host_destroy(host);
        c->host = NULL;
        c->epoch++;
        block_cache_release();
    }
    /* c->held stays: a caller below a finalizer may still be copying one. */
}

/* ---- creation ----------------------------------------------------------- */

/***
 * A new connection without a host (also `enet.new()`). Call `create_host`
 * or `create_host_bound` next.
 * @function new
 * @static
 * @treturn ENetConnection
 */
static int connection_new(lua_State *L)
{
    connection *c = compat_newuserdata(L, sizeof *c);
    memset(c, 0, sizeof *c); /* closed state first: no host yet */
    c->class_name = CONNECTION_MT;
    c->max_unread_bytes = PACKET_QUEUE_DEFAULT_MAX_BYTES;
    luaL_setmetatable(L, CONNECTION_MT);
    peer_registry_attach(L);
    return 1;
}

/* What to do about a failed bind, after strerror's words. */
static const char *bind_advice(int err)
{
    switch (err) {
    case EADDRINUSE:
        return " (another socket has this port: stop the program that holds it, "
               "or pick another port; 0 picks a free one)";
    case EADDRNOTAVAIL:
        return " (not an address of this machine: bind \"*\" or one of its own addresses)";
    case EACCES:
        return " (ports below 1024 need privileges: use 1024 or above)";
    default:
        return "";
    }
}

/* The connection at idx for create_host*: a destroyed one may take a new
 * host, one whose __gc ran (a finalizer brought it back) may not. */
static connection *check_creatable(lua_State *L, int idx)
{
    connection *c = class_check(L, idx, CONNECTION_MT);
    if (c->collected)
        luaL_error(L, "connection destroyed");
    return c;
}

/* Shared by create_host and create_host_bound (connection at 1): the
 * host bound to `address`, or as `bind` says (socket.h). Arguments
 * max_peers.. start at `arg`; the options table is the last argument, or
 * stands in place of max_peers. */
static int create(lua_State *L, connection *c, ENetAddress *address,
                  const socket_bind *bind, const char *where, int arg)
{
    lua_Integer sizes[4] = { 32, 0, 0, 0 }; /* max_peers, channels, in_bw, out_bw */
    int options_arg = arg + 4;
    if (lua_istable(L, arg)) {
        options_arg = arg;
        if (!lua_isnone(L, arg + 1))
            return luaL_argerror(L, arg + 1, "nothing may follow the options table");
    } else {
        sizes[0] = class_opt_range(L, arg, 32, 1, MAX_PEERS_LIMIT);
        sizes[1] = class_opt_range(L, arg + 1, 0, 0, CHANNEL_LIMIT);
        sizes[2] = class_opt_range(L, arg + 2, 0, 0, U32_MAX_);
        sizes[3] = class_opt_range(L, arg + 3, 0, 0, U32_MAX_);
    }
    socket_options options;
    socket_lua_check_options(L, options_arg, &options);
    if (c->epoch != 0 && c->host == NULL) {
        /* A host was here: start from an empty slot table (the old one
         * holds dead wrappers). The allocation may run a finalizer that
         * creates a host meanwhile; then keep that one's table. */
        lua_newtable(L);
        if (c->host == NULL)
            compat_setuservalue(L, 1);
        else
            lua_pop(L, 1);
    }
    if (c->host != NULL)
        return errors_push_fail(L, GD_ERR_ALREADY_IN_USE,
                                "host already created; destroy() it first");
    if (options.reuse_port && !socket_layer_active())
        return errors_push_fail(L, GD_ERR_UNAVAILABLE,
                                "cannot create host on %s: reuse_port is unavailable: libenet "
                                "was loaded before this module, so it makes its sockets "
                                "itself (require enetconnection before other ENet bindings, "
                                "and do not LD_PRELOAD libenet)", where);

    const char *failed_step;
    ENetHost *host = socket_layer_host_create(address, bind, (size_t)sizes[0],
                                              sizes[1] ? (size_t)sizes[1] : CHANNEL_LIMIT,
                                              (enet_uint32)sizes[2], (enet_uint32)sizes[3],
                                              &options, &failed_step);
    if (host == NULL) {
        int err = errno;
        return errors_push_fail(L, GD_ERR_CANT_CREATE,
                                "cannot create host on %s: %s%s%s%s", where,
                                failed_step ? failed_step : "", failed_step ? ": " : "",
                                err ? strerror(err) : "ENet refused", bind_advice(err));
    }
    int registered = -1;
    if (peer_registry_init(&c->peers, host->peerCount) != 0 ||
        (registered = socket_layer_register(host)) != 0) {
        ENetSocket fd = host->socket;
        peer_registry_close(&c->peers);
        enet_host_destroy(host);
        if (registered == SOCKET_LAYER_FD_TOO_HIGH)
            return errors_push_fail(L, GD_ERR_CANT_CREATE,
                                    "cannot create host on %s: too many files are open (its "
                                    "socket's file descriptor %d is above %d, the highest the "
                                    "socket layer tracks); close the files or sockets, or destroy "
                                    "the hosts, that this process no longer needs",
                                    where, (int)fd, SOCKET_LAYER_MAX_FD);
        return errors_push_fail(L, GD_ERR_OUT_OF_MEMORY,
                                "out of memory creating host on %s", where);
    }
    c->host = host;
    c->destroyed = 0;
    block_cache_hold();
    c->compress_mode = COMPRESS_NONE;
    c->dtls = 0;
    c->refusing = 0;
    socket_lua_watch(host, 0);
    lua_pushboolean(L, 1);
    return 1;
}

/***
 * Creates a host bound to every address on a port the system picks: a
 * client. Its socket is dual stack, as `create_host_bound("*", 0)`.
 * (Godot: `create_host`.)
 * @function create_host
 * @tparam[opt=32] integer max_peers 1..4095
 * @tparam[opt=0] integer max_channels 1..255; 0 means 255
 * @tparam[opt=0] integer in_bandwidth bytes per second, 0 unlimited
 * @tparam[opt=0] integer out_bandwidth bytes per second, 0 unlimited
 * @tparam[opt] table options (Lua) socket options (`SocketOptions`); may
 *   also stand in place of `max_peers`
 * @treturn[1] boolean true
 * @return[2] nil, message, code: `ERR_ALREADY_IN_USE` when the host
 *   exists, `ERR_CANT_CREATE` when the system refuses the socket or the
 *   process has 65,536 files open, `ERR_UNAVAILABLE` for `reuse_port`
 *   when the socket layer is bypassed
 * @raise for out-of-range arguments and bad options
 */
static int connection_create_host(lua_State *L)
{
    connection *c = check_creatable(L, 1);
    ENetAddress any;
    socket_bind bind;
    address_lua_bind_any(0, &any, &bind);
    return create(L, c, &any, &bind, "*:0", 2);
}

/***
 * Creates a host bound to `address` and `port`: a server. (Godot:
 * `create_host_bound`.)
 * @function create_host_bound
 * @string address an IPv4 address (`"127.0.0.1"`: an IPv4 socket), an
 *   IPv6 one (`"::1"`, `"::"`: IPv6 only), `"*"` for every address of
 *   both families (a dual-stack socket), or a host name (README,
 *   "Addresses": the forms refused; not lua-enet's `"*:6789"`: the port
 *   is the next argument; "IPv6")
 * @int port 0..65535; 0 lets the system pick (see `get_local_port`)
 * @tparam[opt=32] integer max_peers 1..4095
 * @tparam[opt=0] integer max_channels 1..255; 0 means 255
 * @tparam[opt=0] integer in_bandwidth bytes per second, 0 unlimited
 * @tparam[opt=0] integer out_bandwidth bytes per second, 0 unlimited
 * @tparam[opt] table options (Lua) socket options (`SocketOptions`), such
 *   as `{reuse_port = true}` for several servers on one port; may also
 *   stand in place of `max_peers`: `create_host_bound("*", 7777, {...})`
 * @treturn[1] boolean true
 * @return[2] nil, message, code: `ERR_CANT_CREATE` when the port is in
 *   use (unless this host and every host on it ask for `reuse_port`), the
 *   address is not this machine's or the process has 65,536 files open,
 *   `ERR_INVALID_PARAMETER` for text that is no address or a port out
 *   of range (as Godot), `ERR_ALREADY_IN_USE` when the host exists,
 *   `ERR_UNAVAILABLE` for `reuse_port` or an IPv6 address when the
 *   socket layer is bypassed, and for IPv6 on a machine without it
 * @raise for arguments of the wrong type, out-of-range counts and bad options
 */
static int connection_create_host_bound(lua_State *L)
{
    connection *c = check_creatable(L, 1);
    const char *text = address_lua_check_text(L, 2);
    lua_Integer port = address_lua_check_port(L, 3, "create_host_bound");
    ENetAddress address;
    socket_bind bind;
    char where[300];
    snprintf(where, sizeof where, strchr(text, ':') ? "[%s]:%d" : "%s:%d", text, (int)port);
    if (address_lua_fail_port_range(L, port, 0) ||
        address_lua_read_bind(L, 2, port, &address, &bind) != 0)
        return 3;
    return create(L, c, &address, &bind, where, 4);
}

/***
 * Destroys the host: connected peers are told at once (`peer_disconnect_now`) and
 * every peer object goes dead. Idempotent; also run by `__gc` and
 * `__close`. Afterwards the other methods raise "connection destroyed",
 * except `create_host` and `create_host_bound`, which give the object a
 * new host (a "restart server" script, as in Godot). (Godot: `destroy`.)
 * @function destroy
 */
static int connection_destroy(lua_State *L)
{
    connection *c = luaL_checkudata(L, 1, CONNECTION_MT);
    connection_close(c);
    c->destroyed = 1;
    return 0;
}

/* ---- peers -------------------------------------------------------------- */

/***
 * Starts connecting to a remote host. The peer is usable once this host's
 * `service` returns `EVENT_CONNECT` for it. When nothing answers (no server
 * at that address and port, a firewall, a full or refusing server, or
 * different `compress` modes or DTLS settings on the two ends), UDP cannot
 * tell: `EVENT_DISCONNECT` comes for the peer after ENet's timeout, 5 to
 * 30 s (`peer:set_timeout` shortens it).
 * A host may connect to several remotes, and accept others meanwhile, as
 * in ENet and lua-enet; Godot refuses a second one ("already connected to
 * a peer"): a deliberate difference (README, "Porting from GDScript").
 * (Godot: `connect_to_host`.)
 * @function connect_to_host
 * @string address an IPv4 or IPv6 address, or a host name (README,
 *   "Addresses", "IPv6")
 * @int port 1..65535
 * @tparam[opt=0] integer channels 1..255; 0 means 255
 * @tparam[opt=0] integer data 32-bit value the remote sees in its `EVENT_CONNECT`
 * @treturn[1] ENetPacketPeer the new peer
 * @return[2] nil, message, code: `ERR_CANT_RESOLVE` when the name does
 *   not resolve, `ERR_INVALID_PARAMETER` for a port out of range,
 *   `ERR_UNAVAILABLE` for an address of a family the host's socket does
 *   not reach (IPv6 from a host bound to an IPv4 address or with the
 *   socket layer bypassed; IPv4 from one bound to an IPv6 address),
 *   `ERR_CANT_CREATE` when every peer slot is in use,
 *   `ERR_UNCONFIGURED` before `create_host`
 * @raise for arguments of the wrong type, and out-of-range channels or data
 */
static int connection_connect_to_host(lua_State *L)
{
    connection *c = connection_check(L, 1);
    address_lua_check_text(L, 2);
    lua_Integer port = address_lua_check_port(L, 3, "connect_to_host");
    lua_Integer channels = class_opt_range(L, 4, 0, 0, CHANNEL_LIMIT);
    lua_Integer data = class_opt_range(L, 5, 0, 0, U32_MAX_);
    if (c->host == NULL)
        return errors_push_fail(L, GD_ERR_UNCONFIGURED,
                                "host not created: call create_host first");
    ENetAddress address;
    if (address_lua_fail_port_range(L, port, 1) ||
        address_lua_read_remote(L, 2, port, c->host->socket, &address, "connect_to_host") != 0)
        return 3;
    ENetPeer *p = enet_host_connect(c->host, &address,
                                    channels ? (size_t)channels : CHANNEL_LIMIT,
                                    (enet_uint32)data);
    if (p == NULL)
        return errors_push_fail(L, GD_ERR_CANT_CREATE,
                                "no free peer slot: all %d are in use (disconnect one, or "
                                "create the host with a larger max_peers)",
                                (int)c->host->peerCount);
    peer_registry_push(L, 1, c, p);
    return 1;
}

/***
 * The peers of this host that are not disconnected. (Godot: `get_peers`.)
 * @function get_peers
 * @treturn {ENetPacketPeer,...} a new array
 */
static int connection_get_peers(lua_State *L)
{
    peer_registry_push_list(L, 1, connection_check_host(L, 1));
    return 1;
}

/* ---- configuration ------------------------------------------------------ */

/***
 * Sends every queued packet now instead of at the next `service`.
 * (Godot: `flush`.)
 * @function flush
 */
static int connection_flush(lua_State *L)
{
    enet_host_flush(connection_check_host(L, 1)->host);
    return 0;
}

/***
 * Sets the host's bandwidth limits; ENet throttles to them. (Godot:
 * `bandwidth_limit`.)
 * @function bandwidth_limit
 * @tparam[opt=0] integer in_bandwidth bytes per second, 0 unlimited
 * @tparam[opt=0] integer out_bandwidth bytes per second, 0 unlimited
 */
static int connection_bandwidth_limit(lua_State *L)
{
    connection *c = connection_check_host(L, 1);
    lua_Integer in_bw = class_opt_range(L, 2, 0, 0, U32_MAX_);
    lua_Integer out_bw = class_opt_range(L, 3, 0, 0, U32_MAX_);
    enet_host_bandwidth_limit(c->host, (enet_uint32)in_bw, (enet_uint32)out_bw);
    return 0;
}

/***
 * Limits the channels of future connections. (Godot: `channel_limit`.)
 * @function channel_limit
 * @int limit 0..255; 0 means 255
 */
static int connection_channel_limit(lua_State *L)
{
    connection *c = connection_check_host(L, 1);
    lua_Integer limit = class_check_range(L, 2, 0, CHANNEL_LIMIT);
    enet_host_channel_limit(c->host, (size_t)limit);
    return 0;
}

/***
 * Compresses every datagram of this host with `mode`, wire-compatible with
 * Godot. Nothing is negotiated: both ends must use the same mode.
 * (Godot: `compress`.)
 * @function compress
 * @int mode one of the `CompressionMode` values
 * @raise for an unknown mode, or one this build cannot install
 */
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

/***
 * Sends a packet to every connected peer. Godot's order, channel first
 * (lua-enet's `broadcast(data, channel, flag)` raises saying so).
 * (Godot: `broadcast`.)
 * @function broadcast
 * @int channel 0..channels-1
 * @string packet the bytes
 * @tparam[opt=FLAG_RELIABLE] integer flags `ENetPacketPeer.FLAG_*` values
 *   added together (0: unreliable, sequenced); reliable when left out, as
 *   in lua-enet
 * @treturn[1] boolean true (Godot returns nothing)
 * @return[2] nil, message, `ERR_INVALID_PARAMETER` for a packet over
 *   `ENetPacketPeer:get_max_packet_size()`: sent to nobody
 * @raise for a channel out of range or unknown flags
 */
static int connection_broadcast(lua_State *L)
{
    connection *c = connection_check_host(L, 1);
    send_args a = send_args_check(L, 2, (lua_Integer)c->host->channelLimit - 1, "broadcast");
    size_t length;
    const char *data = lua_tolstring(L, 3, &length);
    if (length > SEND_MAX_PACKET_SIZE)
        return send_args_fail_size(L, length, "broadcast");
    ENetPacket *packet = enet_packet_create(data, length, a.flags);
    if (packet == NULL)
        return luaL_error(L, "out of memory creating a %d-byte packet", (int)length);
    /* ENet destroys the packet itself when no peer took it. */
    enet_host_broadcast(c->host, (enet_uint8)a.channel, packet);
    lua_pushboolean(L, 1);
    return 1;
}

/***
 * (Lua) Bounds the bytes of received packets each peer of this host may
 * hold unread (queued by `service` until `get_packet`/`get_var`). A packet
 * that would take a peer over the bound is dropped and counted by
 * `ENetPacketPeer:get_dropped_packet_count`, so a remote that floods a
 * peer nobody reads cannot exhaust memory. The default, 32 MiB, is ENet's
 * own limit on data waiting for the application, which stops counting a
 * packet once it is queued here. `events()` queues nothing.
 * @function set_max_unread_bytes
 * @int bytes 1..2^48; keep it at least the largest packet you expect
 */
static int connection_set_max_unread_bytes(lua_State *L)
{
    connection *c = connection_check(L, 1);
    c->max_unread_bytes = (size_t)class_check_range(L, 2, 1, (lua_Integer)1 << 48);
    return 0;
}

/***
 * (Lua) The per-peer bound on unread bytes (see `set_max_unread_bytes`).
 * @function get_max_unread_bytes
 * @treturn integer bytes; 33554432 unless set
 */
static int connection_get_max_unread_bytes(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)connection_check(L, 1)->max_unread_bytes);
    return 1;
}

/* ---- queries ------------------------------------------------------------ */

/***
 * The UDP port the host is bound to (useful after binding port 0).
 * (Godot: `get_local_port`.)
 * @function get_local_port
 * @treturn integer
 */
static int connection_get_local_port(lua_State *L)
{
    connection *c = connection_check_host(L, 1);
    ENetAddress address;
    if (enet_socket_get_address(c->host->socket, &address) != 0)
        return luaL_error(L, "get_local_port: %s", strerror(errno));
    lua_pushinteger(L, address.port);
    return 1;
}

/***
 * The channel limit of the host. (Godot: `get_max_channels`.)
 * @function get_max_channels
 * @treturn integer
 */
static int connection_get_max_channels(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)connection_check_host(L, 1)->host->channelLimit);
    return 1;
}

/***
 * Reads a host counter and resets it to 0. (Godot: `pop_statistic`.)
 * @function pop_statistic
 * @int statistic one of the `HostStatistic` values
 * @treturn integer
 */
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
    c->collected = 1;
    packet_hold_free_all(&c->held); /* unreachable: nobody copies them now */
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
    { "compress", connection_compress },
    { "broadcast", connection_broadcast },
    { "get_local_port", connection_get_local_port },
    { "get_max_channels", connection_get_max_channels },
    { "get_peers", connection_get_peers },
    { "pop_statistic", connection_pop_statistic },
    { "set_max_unread_bytes", connection_set_max_unread_bytes },
    { "get_max_unread_bytes", connection_get_max_unread_bytes },
    { NULL, NULL },
};

static const luaL_Reg connection_metamethods[] = {
    { "__gc", connection_gc },
    { "__close", connection_destroy }, /* the object lives on: not __gc */
    { "__tostring", connection_tostring },
    { NULL, NULL },
};

void connection_open(lua_State *L)
{
    static const class_def def = {
        CONNECTION_MT, connection_methods, connection_metamethods,
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
