/*
 * socket_lua.c - the socket layer's Lua face (module part "socket", on
 * ENetConnection): raw sends (socket_send), the simulated link
 * (simulate), the layer's counters (get_socket_counters), the socket's
 * options (get_socket_options, and the options table create_host reads
 * here); refuse_new_connections, which drops connection requests as they
 * arrive (ENet's intercept hook, run on each received datagram); and what
 * a remote set up differently sends (get_receive_error): the hook also
 * notes what ENet is about to drop for that reason, the compressors note
 * what does not decompress, the DTLS filter what it cannot read.
 */
#include "socket_lua.h"

/*** ENetConnection's socket-level methods: raw sends, the simulated link,
 * wire counters, socket options, refusing connections.
 * @classmod ENetConnection
 */

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "address_lua.h"
#include "class.h"
#include "compress.h"
#include "connection.h"
#include "dtls_filter.h"
#include "errors.h"
#include "socket.h"

#include "visibility.h" /* last: hides what this file defines */

/* A DTLS 1.x handshake record in epoch 0 (a ClientHello, a HelloVerify...). */
static int looks_like_dtls_handshake(const enet_uint8 *d, size_t n)
{
    return n >= 13 && d[0] == 22 && d[1] == 0xfe && d[3] == 0 && d[4] == 0;
}

/* Notes what ENet is about to drop because the remote is set up otherwise:
 * a compressed datagram on a host without compression, a DTLS handshake on
 * a host without DTLS (for ENet a header naming a peer it does not have).
 * Returns the datagram's peer id. */
static unsigned note_mismatch(ENetHost *host)
{
    const enet_uint8 *d = host->receivedData;
    size_t n = host->receivedDataLength;
    if (n < sizeof(enet_uint16))
        return 0;
    unsigned header = (unsigned)d[0] << 8 | d[1];
    unsigned peer_id = header & ~(unsigned)(ENET_PROTOCOL_HEADER_FLAG_MASK |
                                            ENET_PROTOCOL_HEADER_SESSION_MASK);
    if ((header & ENET_PROTOCOL_HEADER_FLAG_COMPRESSED) && host->compressor.context == NULL)
        socket_layer_fault(host->socket, &host->receivedAddress, SOCKET_FAULT_DECOMPRESS);
    else if (peer_id >= host->peerCount && looks_like_dtls_handshake(d, n) &&
             socket_layer_filter(host->socket) == NULL)
        socket_layer_fault(host->socket, &host->receivedAddress, SOCKET_FAULT_DTLS_ON_PLAIN);
    return peer_id;
}

static int watch_intercept(ENetHost *host, ENetEvent *event)
{
    (void)event;
    note_mismatch(host);
    return 0;
}

/* The same, and drops datagrams that would start a connection (sent to
 * peer id 4095, the "no peer yet" id) while refuse_new_connections(true)
 * is in force. */
static int refuse_intercept(ENetHost *host, ENetEvent *event)
{
    (void)event;
    if (host->receivedDataLength < sizeof(enet_uint16))
        return 0;
    return note_mismatch(host) == ENET_PROTOCOL_MAXIMUM_PEER_ID ? 1 : 0;
}

void socket_lua_watch(ENetHost *host, int refusing)
{
    host->intercept = refusing ? refuse_intercept : watch_intercept;
}

/* compress.c's hook: a datagram did not decompress. */
static void count_refusal(ENetHost *host)
{
    socket_layer_fault(host->socket, &host->receivedAddress, SOCKET_FAULT_DECOMPRESS);
}

/***
 * While true, the host ignores new connection requests; connected peers
 * stay. A newcomer gets no answer: no `EVENT_CONNECT` here, and its own
 * attempt ends by ENet's timeout (a DTLS client's by its handshake bound,
 * 10 s). Plain hosts drop ENet's connection requests; a DTLS host also
 * starts no handshake with a new address, as Godot 4's DTLS server. In
 * Godot 4 the call acts on DTLS servers only (on a plain host newcomers
 * still connect; `ENetMultiplayerPeer` resets them): see docs/dtls.md.
 * (Godot: `refuse_new_connections`.)
 * @function refuse_new_connections
 * @bool refuse
 */
static int socket_lua_refuse_new_connections(lua_State *L)
{
    connection *c = connection_check_host(L, 1);
    luaL_checktype(L, 2, LUA_TBOOLEAN);
    c->refusing = lua_toboolean(L, 2);
    socket_lua_watch(c->host, c->refusing);
    dtls_filter_refuse_new(c->host->socket, c->refusing);
    return 0;
}

/* The largest datagram socket_send takes: what one UDP datagram holds
 * over IPv4 (65,535 less the IP and UDP headers); on a DTLS host, one
 * record's plaintext (DTLS_PLAINTEXT_MAX in dtls_endpoint.h, ENet's
 * largest MTU). */
#define SOCKET_SEND_MAX_UDP 65507
#define SOCKET_SEND_MAX_DTLS ENET_PROTOCOL_MAXIMUM_MTU

/***
 * Sends one raw UDP datagram from the host's socket, outside ENet: for
 * NAT hole punching. At most 65,507 bytes (one UDP datagram), 4,096 on a
 * DTLS host (one record). (Godot: `socket_send`.)
 * @function socket_send
 * @string address an IPv4 or IPv6 address, or a host name (README,
 *   "Addresses")
 * @int port 1..65535
 * @string packet the bytes
 * @treturn[1] boolean true
 * @return[2] nil, message, code: `ERR_CANT_RESOLVE`, `ERR_INVALID_PARAMETER`
 *   for a port out of range or a packet over the size above,
 *   `ERR_UNAVAILABLE` for an address of a family the host's socket
 *   does not reach (an IPv6 address when libenet bypasses the socket
 *   layer), `FAILED` when the
 *   system refuses, `ERR_BUSY` when the socket buffer is full
 */
static int socket_lua_send(lua_State *L)
{
    connection *c = connection_check_host(L, 1);
    const char *text = address_lua_check_text(L, 2);
    lua_Integer port = address_lua_check_port(L, 3, "socket_send");
    luaL_checktype(L, 4, LUA_TSTRING);
    size_t length;
    const char *data = lua_tolstring(L, 4, &length);
    size_t max = socket_layer_filter(c->host->socket) != NULL ? SOCKET_SEND_MAX_DTLS
                                                              : SOCKET_SEND_MAX_UDP;
    if (length > max)
        return errors_push_fail(L, GD_ERR_INVALID_PARAMETER,
                                "socket_send: %lu bytes do not fit one %s (at most %lu bytes): "
                                "nothing sent",
                                (unsigned long)length,
                                max == SOCKET_SEND_MAX_UDP ? "UDP datagram" : "DTLS record",
                                (unsigned long)max);
    ENetAddress address;
    if (address_lua_fail_port_range(L, port, 1) ||
        address_lua_read_remote(L, 2, port, c->host->socket, &address, "socket_send") != 0)
        return 3;
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

/***
 * (Lua) Puts a simulated bad link under this host's outgoing datagrams
 * (after compression and DTLS); `simulate()` restores the real link. Put
 * it on both ends to make both directions bad. Delayed datagrams leave when
 * the host is next serviced, so keep service timeouts short. See
 * docs/reliability.md.
 *
 *     host:simulate{loss = 0.2, latency = 40, jitter = 20, seed = 1}
 *
 * @function simulate
 * @tparam[opt] table link nil to remove the simulated link, or fields
 *   (all optional, default 0): `loss`, `duplicate`, `reorder`
 *   (probabilities 0..1), `latency`, `jitter` (ms, 0..60000), `seed` (the
 *   same seed gives the same decisions)
 * @raise for unknown fields and out-of-range values
 */
static int socket_lua_simulate(lua_State *L)
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

/***
 * (Lua) What the socket layer saw of this host since it was created:
 * wire-level figures, after compression and encryption.
 * @function get_socket_counters
 * @treturn table `datagrams_sent`, `bytes_sent`, `datagrams_received`,
 *   `bytes_received`, `datagrams_dropped` (oversized or empty datagrams,
 *   never handed to ENet, and IPv6 ones when the host's table of IPv6
 *   remotes cannot be made: out of memory),
 *   `receive_calls` (receive system calls: fewer than datagrams when
 *   bursts are read in batches), `send_errors` (datagrams the system
 *   refused to send to their destination: unroutable, firewalled; lost,
 *   so ENet times that peer out, and `service()` goes on),
 *   `datagrams_undecompressed` (compressed datagrams this host's mode, or
 *   no compression, cannot decompress: a remote with another `compress`
 *   mode), `datagrams_undecrypted` (on a DTLS host: datagrams that are not
 *   DTLS, e.g. from a plain ENet client, and records of an open session
 *   that do not authenticate; on a plain host: DTLS handshakes, from a
 *   DTLS client); the first of these from each remote is described by
 *   `get_receive_error`; `ipv6_remotes` (not a counter: how many IPv6
 *   remotes, address and port, the host's table holds now; at most 4,096
 *   plus one per peer slot, README "IPv6"); with a simulated link
 *   (`simulate`) also `simulated_lost`,
 *   `simulated_duplicated`, `simulated_reordered`, `simulated_overflowed`
 */
static int socket_lua_get_counters(lua_State *L)
{
    connection *c = connection_check_host(L, 1);
    const socket_counters *k = socket_layer_counters(c->host->socket);
    lua_createtable(L, 0, 6);
    if (k == NULL)
        return 1;
    class_set_int(L, "datagrams_sent", (lua_Integer)k->datagrams_sent);
    class_set_int(L, "bytes_sent", (lua_Integer)k->bytes_sent);
    class_set_int(L, "datagrams_received", (lua_Integer)k->datagrams_received);
    class_set_int(L, "bytes_received", (lua_Integer)k->bytes_received);
    class_set_int(L, "datagrams_dropped", (lua_Integer)k->datagrams_dropped);
    class_set_int(L, "receive_calls", (lua_Integer)k->receive_calls);
    class_set_int(L, "send_errors", (lua_Integer)k->send_errors);
    class_set_int(L, "datagrams_undecompressed", (lua_Integer)k->datagrams_undecompressed);
    class_set_int(L, "datagrams_undecrypted", (lua_Integer)k->datagrams_undecrypted);
    class_set_int(L, "ipv6_remotes", (lua_Integer)socket_layer_ipv6_remotes(c->host->socket));
    const linksim_counters *link = socket_layer_link_counters(c->host->socket);
    if (link != NULL) {
        class_set_int(L, "simulated_lost", (lua_Integer)link->lost);
        class_set_int(L, "simulated_duplicated", (lua_Integer)link->duplicated);
        class_set_int(L, "simulated_reordered", (lua_Integer)link->reordered);
        class_set_int(L, "simulated_overflowed", (lua_Integer)link->overflowed);
    }
    return 1;
}

/***
 * (Lua) The socket options of `create_host` and `create_host_bound`: a
 * table, their last argument or in place of `max_peers`. Every field is
 * optional.
 *
 *     server:create_host_bound("*", 7777, 64, 2, 0, 0, {reuse_port = true})
 *     server:create_host_bound("*", 7777, {receive_buffer = 4 * 1024 * 1024})
 *
 * @table SocketOptions
 * @field reuse_port boolean: several hosts, in this process or others of the
 *   same user, may bind the same address and port (Linux `SO_REUSEPORT`;
 *   every one of them must ask). The system picks the host for each remote
 *   by a hash of its address and port: a remote stays on one host while no
 *   host joins or leaves the port. Needs the socket layer: `ERR_UNAVAILABLE`
 *   when `enet.socket_layer_active()` is false.
 * @field receive_buffer integer: the socket's receive buffer in bytes,
 *   1..2147483647, instead of ENet's 256 KiB; bursts beyond it are lost.
 *   Linux doubles the value for its bookkeeping and caps it at
 *   `net.core.rmem_max`: `get_socket_options` tells what it gave.
 * @field send_buffer integer: the send buffer likewise (`net.core.wmem_max`).
 */
static void read_socket_option(lua_State *L, int arg, const char *name, void *ctx)
{
    socket_options *options = ctx;
    if (strcmp(name, "reuse_port") == 0) {
        if (lua_type(L, -1) != LUA_TBOOLEAN)
            luaL_argerror(L, arg, "option reuse_port must be a boolean");
        options->reuse_port = lua_toboolean(L, -1);
    } else if (strcmp(name, "receive_buffer") == 0 || strcmp(name, "send_buffer") == 0) {
        int64_t bytes = 0;
        if (!compat_tointeger64(L, -1, &bytes) || bytes < 1 || bytes > INT_MAX)
            luaL_argerror(L, arg, lua_pushfstring(L, "option %s must be an integer from 1 to %d bytes",
                                                  name, INT_MAX));
        *(name[0] == 'r' ? &options->receive_buffer : &options->send_buffer) = (int)bytes;
    } else {
        luaL_argerror(L, arg, lua_pushfstring(L, "unknown option '%s' (use reuse_port, "
                                                 "receive_buffer, send_buffer)", name));
    }
}

void socket_lua_check_options(lua_State *L, int arg, socket_options *options)
{
    memset(options, 0, sizeof *options);
    class_read_options(L, arg, read_socket_option, options);
}

/***
 * (Lua) The host socket's options as the system applied them (see
 * `SocketOptions`).
 * @function get_socket_options
 * @treturn[1] table `reuse_port` (boolean), `receive_buffer`, `send_buffer`
 *   (bytes, as the system reports them: on Linux twice what was asked,
 *   capped by `net.core.rmem_max` / `wmem_max`)
 * @return[2] nil, message, code: `FAILED` when the system does not say
 */
static int socket_lua_get_options(lua_State *L)
{
    connection *c = connection_check_host(L, 1);
    socket_options options;
    if (socket_layer_read_options(c->host->socket, &options) != 0)
        return errors_push_fail(L, GD_FAILED, "get_socket_options: %s", strerror(errno));
    lua_createtable(L, 0, 3);
    lua_pushboolean(L, options.reuse_port);
    lua_setfield(L, -2, "reuse_port");
    class_set_int(L, "receive_buffer", options.receive_buffer);
    class_set_int(L, "send_buffer", options.send_buffer);
    return 1;
}

static const char *const mode_names[] = {
    "COMPRESS_NONE", "COMPRESS_RANGE_CODER", "COMPRESS_FASTLZ", "COMPRESS_ZLIB", "COMPRESS_ZSTD",
};

/***
 * (Lua) Why the host dropped datagrams from a remote that is set up
 * differently, which would otherwise only show as ENet's timeout on both
 * sides: the first such datagram from each remote (the last 16 remotes are
 * remembered) replaces the message. Counted in `get_socket_counters`
 * (`datagrams_undecompressed`, `datagrams_undecrypted`).
 *
 *     compression mismatch with 127.0.0.1:5000? A datagram from it does not
 *       decompress with this host's COMPRESS_ZLIB: both ends must call
 *       compress() with the same mode
 *
 * Also: a plain ENet client against a DTLS server, a DTLS client against a
 * plain server, DTLS records that do not authenticate.
 * @function get_receive_error
 * @treturn[1] string message, naming the remote as `address:port`
 * @treturn[1] integer code: `ERR_INVALID_DATA`
 * @return[2] nil when nothing was dropped for these reasons
 * @raise "host not created" before `create_host`
 */
static int socket_lua_get_receive_error(lua_State *L)
{
    connection *c = connection_check_host(L, 1);
    ENetAddress from;
    socket_fault kind = socket_layer_last_fault(c->host->socket, &from);
    if (kind == SOCKET_FAULT_NONE) {
        lua_pushnil(L);
        return 1;
    }
    char remote[SOCKET_REMOTE_TEXT_SIZE];
    socket_layer_remote_text(c->host->socket, &from, remote, sizeof remote);
    const char *mode = c->compress_mode >= 0 && c->compress_mode <= COMPRESS_ZSTD
                           ? mode_names[c->compress_mode] : "compression";
    switch (kind) {
    case SOCKET_FAULT_DECOMPRESS:
        if (c->compress_mode == COMPRESS_NONE)
            lua_pushfstring(L, "compression mismatch with %s? It sends compressed datagrams and "
                               "this host has no compression (COMPRESS_NONE): both ends must "
                               "call compress() with the same mode", remote);
        else
            lua_pushfstring(L, "compression mismatch with %s? A datagram from it does not "
                               "decompress with this host's %s: both ends must call compress() "
                               "with the same mode", remote, mode);
        break;
    case SOCKET_FAULT_NOT_DTLS:
        lua_pushfstring(L, "plain ENet from %s, and this host is a DTLS server: the client must "
                           "call dtls_client_setup before connect_to_host (or the server must "
                           "not use DTLS)", remote);
        break;
    case SOCKET_FAULT_DTLS_ON_PLAIN:
        lua_pushfstring(L, "a DTLS handshake from %s, and this host has no DTLS: call "
                           "dtls_server_setup on this host, or connect without DTLS", remote);
        break;
    default:
        lua_pushfstring(L, "a DTLS record from %s did not authenticate (altered, forged or "
                           "replayed) and was dropped", remote);
        break;
    }
    lua_pushinteger(L, GD_ERR_INVALID_DATA);
    return 2;
}

/***
 * (Lua) The host's UDP socket as a file descriptor, to put a host in an
 * event loop (luv, copas, cqueues, `poll`): watch it for readability
 * only, and on each wakeup call `service(0)` (or `events(0)`) until it
 * returns `EVENT_NONE`. Readiness is not the only source of events: ENet
 * may already have read datagrams (a burst is read in one batch, one
 * datagram may carry several packets, DTLS may hold a record), so drain
 * until `EVENT_NONE`, never one event per wakeup. Also call `service(0)`
 * from a timer every 10 to 50 ms: ENet resends, pings, times peers out and
 * sends delayed (`simulate`) datagrams only while it is serviced, whether
 * or not a datagram arrives. Never read, write or close the descriptor
 * yourself. On a DTLS host it is the same socket, carrying encrypted
 * records: readiness may mean a handshake step that gives no event.
 * `destroy()` closes it (then this raises, as every method), and a new
 * `create_host*` makes a new one: ask again. See docs/design.md ("Event
 * loops") and examples/luv_server.lua.
 * @function get_socket_fd
 * @treturn[1] integer the descriptor
 * @return[2] nil, message, `ERR_UNCONFIGURED` before `create_host*`
 */
static int socket_lua_get_fd(lua_State *L)
{
    connection *c = connection_check(L, 1); /* raises after destroy(), as every method */
    if (c->host == NULL)
        return errors_push_fail(L, GD_ERR_UNCONFIGURED,
                                "get_socket_fd: no host (call create_host or create_host_bound "
                                "first)");
    lua_pushinteger(L, (lua_Integer)c->host->socket);
    return 1;
}

static const luaL_Reg socket_methods[] = {
    { "get_receive_error", socket_lua_get_receive_error },
    { "get_socket_fd", socket_lua_get_fd },
    { "refuse_new_connections", socket_lua_refuse_new_connections },
    { "socket_send", socket_lua_send },
    { "simulate", socket_lua_simulate },
    { "get_socket_counters", socket_lua_get_counters },
    { "get_socket_options", socket_lua_get_options },
    { NULL, NULL },
};

void socket_lua_open(lua_State *L)
{
    class_add_methods(L, "ENetConnection", socket_methods);
    compress_set_refusal_hook(count_refusal);
}
