/*
 * peer.c - the ENetPacketPeer userdata: its methods (identity and
 * lifetime rules: peer_registry.h).
 *
 * On a dead peer (disconnected, reset, its connection destroyed) no method
 * raises for that reason, as in Godot, which logs and returns a default:
 * the received-packet queue, get_state, is_active, get_remote_address/port
 * and get_channels (the last count seen) keep answering; get_statistic
 * returns 0; the calls that act on the connection (disconnects, reset,
 * ping, ping_interval, set_timeout, throttle_configure) check their
 * arguments and do nothing; send, put_packet and put_var return nil,
 * message, ERR_UNCONFIGURED.
 */
#include "peer.h"

#include <stdio.h>
#include <string.h>

#include "address.h"
#include "class.h"
#include "errors.h"
#include "peer_registry.h"
#include "send_args.h"
#include "variant.h"

#include "visibility.h" /* last: hides what this file defines */

const char peer_metatable_name[] = "enetconnection.ENetPacketPeer";

#define U32_MAX_ 4294967295LL

/***
 * A remote host as seen from a connection: Godot's ENetPacketPeer. Peer
 * objects come from `connect_to_host`, `service`, `events` and `get_peers`;
 * the same remote always yields the same object, so peers work as table
 * keys. `tostring(peer)` shows address, port and state.
 *
 * A peer dies when it disconnects, is reset, or its connection is
 * destroyed: then `is_active()` is false, `get_state()` is
 * `STATE_DISCONNECTED`, its address, channel count and unread packets stay
 * readable, `get_statistic` returns 0, `send` and `put_packet` return
 * `nil, message, ERR_UNCONFIGURED`, and `reset`, `ping`, `ping_interval`,
 * `set_timeout`, `throttle_configure` and the disconnect calls do nothing,
 * as in Godot (which also logs an error): a program that reads a departed
 * peer, even in its own `EVENT_DISCONNECT` handler, gets values, not
 * errors. Wrong arguments still raise. A new remote in the same slot gets
 * a new object.
 * @classmod ENetPacketPeer
 */

/***
 * (Lua) Fields of a peer object.
 * @table fields
 * @field user a table for the game's own data, made with the peer; may be
 *   replaced by another table. No other field can be set.
 */

/***
 * Packet flags for `send` and `ENetConnection:broadcast`, and other constants.
 * @table Flags
 * @field FLAG_RELIABLE 1: resent until acknowledged, in order.
 * @field FLAG_UNSEQUENCED 2: unreliable and unordered (no sequencing).
 * @field FLAG_UNRELIABLE_FRAGMENT 8: a packet larger than the MTU is sent
 *   in unreliable fragments instead of reliably.
 * @field PACKET_LOSS_SCALE 65536: `PEER_PACKET_LOSS` is a fraction of this.
 * @field PACKET_THROTTLE_SCALE 32: the throttle's full scale.
 */

/***
 * Connection states returned by `get_state` (ENet's order); also the enum
 * table `ENetPacketPeer.PeerState`.
 * @table PeerState
 * @field STATE_DISCONNECTED 0
 * @field STATE_CONNECTING 1
 * @field STATE_ACKNOWLEDGING_CONNECT 2
 * @field STATE_CONNECTION_PENDING 3
 * @field STATE_CONNECTION_SUCCEEDED 4
 * @field STATE_CONNECTED 5
 * @field STATE_DISCONNECT_LATER 6
 * @field STATE_DISCONNECTING 7
 * @field STATE_ACKNOWLEDGING_DISCONNECT 8
 * @field STATE_ZOMBIE 9
 */

/***
 * Statistics for `get_statistic`; also the enum table
 * `ENetPacketPeer.PeerStatistic`.
 * @table PeerStatistic
 * @field PEER_PACKET_LOSS 0: mean packet loss of reliable packets, scaled
 *   by `PACKET_LOSS_SCALE`.
 * @field PEER_PACKET_LOSS_VARIANCE 1
 * @field PEER_PACKET_LOSS_EPOCH 2: when the loss was last computed (ms).
 * @field PEER_ROUND_TRIP_TIME 3: mean round-trip time of reliable packets (ms).
 * @field PEER_ROUND_TRIP_TIME_VARIANCE 4
 * @field PEER_LAST_ROUND_TRIP_TIME 5: the last round trip (ms).
 * @field PEER_LAST_ROUND_TRIP_TIME_VARIANCE 6
 * @field PEER_PACKET_THROTTLE 7: the current throttle.
 * @field PEER_PACKET_THROTTLE_LIMIT 8
 * @field PEER_PACKET_THROTTLE_COUNTER 9
 * @field PEER_PACKET_THROTTLE_EPOCH 10
 * @field PEER_PACKET_THROTTLE_ACCELERATION 11
 * @field PEER_PACKET_THROTTLE_DECELERATION 12
 * @field PEER_PACKET_THROTTLE_INTERVAL 13
 */

/* ---- checkers ----------------------------------------------------------- */

static peer_wrapper *check_wrapper(lua_State *L, int idx)
{
    peer_wrapper *w = class_check(L, idx, PEER_MT);
    /* ENet may have recycled the slot without telling us (a reset inside
     * ENet, a disconnect before the connection completed): then the
     * wrapper is dead, whatever we thought. */
    if (w->peer != NULL && !peer_registry_matches(w, w->peer))
        peer_registry_mark_dead(w);
    return w;
}

/* Marks the wrapper at 1 dead when ENet dropped the peer during a call. */
static void retire_if_disconnected(lua_State *L, peer_wrapper *w)
{
    if (w->peer != NULL && w->peer->state == ENET_PEER_STATE_DISCONNECTED)
        peer_registry_retire(L, 1, w);
}

/* ---- sending ------------------------------------------------------------ */

static int send_packet(lua_State *L, peer_wrapper *w, lua_Integer channel,
                       int packet_arg, enet_uint32 flags, const char *method)
{
    size_t length;
    const char *data = lua_tolstring(L, packet_arg, &length);
    if (w->peer == NULL)
        return errors_push_fail(L, GD_ERR_UNCONFIGURED,
                                "peer is no longer connected (it left, timed out or was reset): "
                                "connect_to_host again for a new peer");
    if (length > SEND_MAX_PACKET_SIZE)
        return send_args_fail_size(L, length, method);
    ENetPacket *packet = enet_packet_create(data, length, flags);
    if (packet == NULL)
        return errors_push_fail(L, GD_ERR_OUT_OF_MEMORY,
                                "out of memory creating a %lu-byte packet",
                                (unsigned long)length);
    if (enet_peer_send(w->peer, (enet_uint8)channel, packet) != 0) {
        enet_packet_destroy(packet); /* ENet does not, on failure */
        if (w->peer->state != ENET_PEER_STATE_CONNECTED)
            return errors_push_fail(L, GD_FAILED,
                                    "peer is not connected yet (state %d): send after service() "
                                    "returns EVENT_CONNECT for it",
                                    (int)w->peer->state);
        return errors_push_fail(L, GD_FAILED, "ENet refused the %lu-byte packet (out of memory)",
                                (unsigned long)length);
    }
    lua_pushboolean(L, 1);
    return 1;
}

/***
 * Queues a packet for the peer; it leaves at the next `service` or
 * `flush`. Godot's order, channel first: lua-enet's
 * `send(data, channel, flag)` raises with a message that says so.
 * (Godot: `send`.)
 * @function send
 * @int channel 0..channels-1
 * @string packet the bytes
 * @tparam[opt=FLAG_RELIABLE] integer flags `FLAG_*` values added together
 *   (0: unreliable, sequenced); reliable when left out, as in lua-enet
 *   (Godot has no default)
 * @treturn[1] boolean true
 * @return[2] nil, message, code: `FAILED` before the connection completes
 *   (wait for `EVENT_CONNECT`) or when ENet refuses the packet (out of
 *   memory), `ERR_UNCONFIGURED` once the peer is gone,
 *   `ERR_INVALID_PARAMETER` for a packet over `get_max_packet_size()`
 *   (nothing is sent; Godot would send up to ENet's 32 MiB)
 * @raise for a channel out of range or unknown flags
 */
static int peer_send(lua_State *L)
{
    peer_wrapper *w = check_wrapper(L, 1);
    lua_Integer max_channel = w->peer ? (lua_Integer)w->peer->channelCount - 1
                                      : ENET_PROTOCOL_MAXIMUM_CHANNEL_COUNT - 1;
    /* The common case tested inline, everything else (default flags,
     * errors) in send_args_check: this is the hottest call. */
    int channel_ok, flags_ok;
    lua_Integer channel = lua_tointegerx(L, 2, &channel_ok);
    lua_Integer flags = lua_tointegerx(L, 4, &flags_ok);
    if (!channel_ok || channel < 0 || channel > max_channel || lua_type(L, 3) != LUA_TSTRING ||
        !flags_ok || (flags & ~(lua_Integer)PACKET_USER_FLAGS)) {
        send_args a = send_args_check(L, 2, max_channel, "send");
        channel = a.channel;
        flags = a.flags;
    }
    return send_packet(L, w, channel, 3, (enet_uint32)flags, "send");
}

/***
 * Sends a packet on channel 0, reliable: `send(0, packet, FLAG_RELIABLE)`.
 * An empty packet is not sent and the call returns true, as Godot's
 * (`send(0, "", FLAG_RELIABLE)` does send one).
 * (Godot: `PacketPeer.put_packet`.)
 * @function put_packet
 * @string packet the bytes
 * @treturn[1] boolean true
 * @return[2] nil, message, code as `send`
 */
static int peer_put_packet(lua_State *L)
{
    peer_wrapper *w = check_wrapper(L, 1);
    luaL_checktype(L, 2, LUA_TSTRING);
    if (compat_rawlen(L, 2) == 0) { /* Godot returns OK before any check */
        lua_pushboolean(L, 1);
        return 1;
    }
    return send_packet(L, w, 0, 2, ENET_PACKET_FLAG_RELIABLE, "put_packet");
}

/* Godot's PacketPeer.encode_buffer_max_size: default and allowed range. */
#define ENCODE_BUFFER_DEFAULT ((size_t)8 << 20)
#define ENCODE_BUFFER_MIN 1024
#define ENCODE_BUFFER_MAX ((lua_Integer)256 << 20)

static size_t encode_buffer_max_size(const peer_wrapper *w)
{
    return w->encode_buffer_max_size != 0 ? w->encode_buffer_max_size : ENCODE_BUFFER_DEFAULT;
}

/* put_var(value, options): Godot's Variant bytes, sent as by put_packet. */
/***
 * Sends a value as Godot Variant bytes (see `enet.var_to_bytes` and
 * docs/variant.md), like `put_packet`. (Godot: `PacketPeer.put_var`.)
 * @function put_var
 * @param value nil, boolean, number, string, or a table Godot can hold
 * @tparam[opt] table|boolean options `godot3 = true` for Godot 3's encoding,
 *   `double_precision = true` for 64-bit vectors; or `false`, Godot's
 *   `full_objects` argument (`true` raises: no full objects from Lua)
 * @treturn[1] boolean true
 * @return[2] nil, message, code: `ERR_OUT_OF_MEMORY` when the encoding is
 *   larger than `get_encode_buffer_max_size()` (nothing is sent), as Godot;
 *   otherwise as `send`
 * @raise for values Godot cannot represent (functions, cycles, a string
 *   that is not UTF-8 where Godot expects text: send bytes as
 *   `enet.PackedByteArray(s)`, ...)
 */
static int peer_put_var(lua_State *L)
{
    peer_wrapper *w = check_wrapper(L, 1);
    luaL_checkany(L, 2);
    variant_options opt;
    variant_check_options(L, 3, &opt);
    variant_push_bytes(L, 2, &opt); /* raises before any ENet call */
    check_wrapper(L, 1); /* a finalizer run by the encoding may have ended the peer */
    size_t length = compat_rawlen(L, -1), limit = encode_buffer_max_size(w);
    if (length > limit)
        return errors_push_fail(L, GD_ERR_OUT_OF_MEMORY,
                                "the value's encoding takes %zu bytes, more than the peer's "
                                "encode_buffer_max_size (%zu): raise it with "
                                "set_encode_buffer_max_size",
                                length, limit);
    return send_packet(L, w, 0, lua_gettop(L), ENET_PACKET_FLAG_RELIABLE, "put_var");
}

/***
 * The largest Variant encoding `put_var` sends, in bytes (Godot:
 * `PacketPeer.encode_buffer_max_size`, default 8 MiB).
 * @function get_encode_buffer_max_size
 * @treturn integer
 */
static int peer_get_encode_buffer_max_size(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)encode_buffer_max_size(check_wrapper(L, 1)));
    return 1;
}

/***
 * Sets the largest Variant encoding `put_var` sends, rounded up to a power
 * of two as Godot does (2000 becomes 2048). (Godot:
 * `PacketPeer.set_encode_buffer_max_size`.)
 * @function set_encode_buffer_max_size
 * @int max_size 1024 .. 268435456 (256 MiB)
 * @raise outside that range (Godot prints an error and keeps the old value)
 */
static int peer_set_encode_buffer_max_size(lua_State *L)
{
    peer_wrapper *w = check_wrapper(L, 1);
    lua_Integer wanted = class_check_range(L, 2, ENCODE_BUFFER_MIN, ENCODE_BUFFER_MAX);
    size_t size = ENCODE_BUFFER_MIN;
    while ((lua_Integer)size < wanted)
        size <<= 1;
    w->encode_buffer_max_size = size;
    return 0;
}

/* ---- the received-packet queue ------------------------------------------ */

/* Pops the next packet into a Lua string on the stack; returns 1, or pushes
 * nil, message, ERR_UNAVAILABLE and returns 3 when the queue is empty. */
static int pop_packet_string(lua_State *L, peer_wrapper *w)
{
    ENetPacket *packet = packet_queue_pop(&w->queue, NULL);
    if (packet == NULL) {
        w->last_error = GD_ERR_UNAVAILABLE;
        return errors_push_fail(L, GD_ERR_UNAVAILABLE, "no packet available");
    }
    /* Making the string may run a finalizer that reads this queue too: the
     * packet is off it, on the hold list (freed at __gc if Lua runs out of
     * memory here). */
    packet_hold_add(&w->held, packet);
    lua_pushlstring(L, (const char *)packet->data, packet->dataLength);
    packet_hold_remove(&w->held, packet);
    enet_packet_destroy(packet);
    w->last_error = GD_OK;
    return 1;
}

/***
 * Takes the next received packet from the peer's queue. (Godot:
 * `PacketPeer.get_packet`.)
 * @function get_packet
 * @treturn[1] string the bytes
 * @return[2] nil, message, `ERR_UNAVAILABLE` when the queue is empty
 */
static int peer_get_packet(lua_State *L)
{
    return pop_packet_string(L, check_wrapper(L, 1));
}

/* get_var(options): decodes the next packet as a Variant. The packet is
 * consumed even when it does not decode (as Godot does). */
/***
 * Takes the next received packet and decodes it as a Godot Variant. The
 * packet is consumed even when it does not decode, as in Godot.
 * (Godot: `PacketPeer.get_var`.)
 * @function get_var
 * @tparam[opt] table|boolean options `godot3 = true` for Godot 3's
 *   encoding; or `false`, Godot's `allow_objects` argument (`true` raises:
 *   full objects are never decoded)
 * @return[1] the value (nil for Godot's null: test the second result)
 * @return[2] nil, message, code: `ERR_UNAVAILABLE` when the queue is
 *   empty, `ERR_INVALID_DATA` or `ERR_FILE_EOF` for malformed bytes;
 *   `ERR_INVALID_DATA` too for a string that is not UTF-8, as Godot, and
 *   for a value that would take more Lua memory than 8 times the packet's
 *   size + 1 MiB (docs/variant.md, "Memory budget")
 */
static int peer_get_var(lua_State *L)
{
    peer_wrapper *w = check_wrapper(L, 1);
    variant_options opt;
    variant_check_options(L, 2, &opt);
    if (pop_packet_string(L, w) != 1)
        return 3;
    size_t length;
    const char *data = lua_tolstring(L, -1, &length);
    variant_status status;
    if (variant_push_value(L, data, length, &opt, &status) != GD_OK) {
        w->last_error = status.code;
        return variant_push_failure(L, &status);
    }
    return 1;
}

/***
 * The `FLAG_*` bits of the next queued packet (Godot 4.4's
 * `get_packet_flags`); only the flags that travel survive. 0 when no
 * packet is queued, as Godot, so `flags & FLAG_RELIABLE` never meets a
 * nil: ask `get_available_packet_count` whether there is one.
 * @function get_packet_flags
 * @treturn integer flags
 */
static int peer_get_packet_flags(lua_State *L)
{
    const queued_packet *head = packet_queue_peek(&check_wrapper(L, 1)->queue);
    lua_pushinteger(L, head ? (lua_Integer)(head->packet->flags & PACKET_USER_FLAGS) : 0);
    return 1;
}

/***
 * (Lua) The channel of the next queued packet; 0 when none is queued, as
 * `get_packet_flags`.
 * @function get_packet_channel
 * @treturn integer channel
 */
static int peer_get_packet_channel(lua_State *L)
{
    const queued_packet *head = packet_queue_peek(&check_wrapper(L, 1)->queue);
    lua_pushinteger(L, head ? head->channel : 0);
    return 1;
}

/***
 * How many received packets wait in the queue. (Godot:
 * `PacketPeer.get_available_packet_count`.)
 * @function get_available_packet_count
 * @treturn integer
 */
static int peer_get_available_packet_count(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)check_wrapper(L, 1)->queue.count);
    return 1;
}

/***
 * (Lua) Packets dropped because this peer already held 65,536 unread
 * ones, or the bytes `ENetConnection:set_max_unread_bytes` allows: read
 * them faster (or use `ENetConnection:events`).
 * @function get_dropped_packet_count
 * @treturn integer
 */
static int peer_get_dropped_packet_count(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)check_wrapper(L, 1)->queue.dropped);
    return 1;
}

/***
 * The Error code of the last `get_packet` / `get_var` (0 = OK). (Godot:
 * `PacketPeer.get_packet_error`.)
 * @function get_packet_error
 * @treturn integer
 */
static int peer_get_packet_error(lua_State *L)
{
    lua_pushinteger(L, check_wrapper(L, 1)->last_error);
    return 1;
}

/***
 * The largest packet `send`, `put_packet`, `put_var` and
 * `ENetConnection:broadcast` take: 16 MiB, Godot's figure. Larger ones are
 * refused (`ERR_INVALID_PARAMETER`), where Godot hands them to ENet, whose
 * own limit is 32 MiB. Packets up to 32 MiB from a remote (Godot) still
 * arrive. (Godot: `PacketPeer.get_max_packet_size`.)
 * @function get_max_packet_size
 * @treturn integer 16777216
 */
static int peer_get_max_packet_size(lua_State *L)
{
    check_wrapper(L, 1);
    lua_pushinteger(L, (lua_Integer)SEND_MAX_PACKET_SIZE);
    return 1;
}

/* ---- connection control ------------------------------------------------- */

typedef void (*disconnect_fn)(ENetPeer *, enet_uint32);

static int disconnect_with(lua_State *L, disconnect_fn fn, int now)
{
    peer_wrapper *w = check_wrapper(L, 1);
    lua_Integer data = class_opt_range(L, 2, 0, 0, U32_MAX_);
    if (w->peer == NULL)
        return 0; /* already gone: nothing to do */
    fn(w->peer, (enet_uint32)data);
    if (now) { /* ENet sends no DISCONNECT event for this one */
        peer_registry_retire(L, 1, w);
    } else {
        retire_if_disconnected(L, w);
    }
    return 0;
}

/***
 * Asks the peer to disconnect; `EVENT_DISCONNECT` follows when it
 * agrees. Does nothing on a dead peer. (Godot: `peer_disconnect`.)
 * @function peer_disconnect
 * @tparam[opt=0] integer data 32-bit value the remote sees in its `EVENT_DISCONNECT`
 */
static int peer_disconnect(lua_State *L)
{
    return disconnect_with(L, enet_peer_disconnect, 0);
}

/***
 * Disconnects once every queued packet is sent. (Godot:
 * `peer_disconnect_later`.)
 * @function peer_disconnect_later
 * @tparam[opt=0] integer data 32-bit disconnect data
 */
static int peer_disconnect_later(lua_State *L)
{
    return disconnect_with(L, enet_peer_disconnect_later, 0);
}

/***
 * Disconnects at once, without waiting for the remote; no
 * `EVENT_DISCONNECT` follows here, and the peer is dead on return.
 * (Godot: `peer_disconnect_now`.)
 * @function peer_disconnect_now
 * @tparam[opt=0] integer data 32-bit disconnect data
 */
static int peer_disconnect_now(lua_State *L)
{
    return disconnect_with(L, enet_peer_disconnect_now, 1);
}

/***
 * Drops the connection without telling the remote; the peer is dead on
 * return. Does nothing on a dead peer. (Godot: `reset`.)
 * @function reset
 */
static int peer_reset(lua_State *L)
{
    peer_wrapper *w = check_wrapper(L, 1);
    if (w->peer == NULL)
        return 0;
    enet_peer_reset(w->peer);
    peer_registry_retire(L, 1, w);
    return 0;
}

/***
 * Sends a ping now (ENet pings on its own every `ping_interval`). Does
 * nothing on a dead peer. (Godot: `ping`.)
 * @function ping
 */
static int peer_ping(lua_State *L)
{
    peer_wrapper *w = check_wrapper(L, 1);
    if (w->peer != NULL)
        enet_peer_ping(w->peer);
    return 0;
}

/***
 * Sets how often ENet pings the peer when nothing else is sent. Does
 * nothing on a dead peer. (Godot: `ping_interval`.)
 * @function ping_interval
 * @int interval milliseconds; 0 restores ENet's 500
 */
static int peer_ping_interval(lua_State *L)
{
    peer_wrapper *w = check_wrapper(L, 1);
    lua_Integer ms = class_check_range(L, 2, 0, U32_MAX_);
    if (w->peer != NULL)
        enet_peer_ping_interval(w->peer, (enet_uint32)ms);
    return 0;
}

/***
 * Sets when an unresponsive peer is dropped (ENet's `enet_peer_timeout`):
 * a reliable packet unacknowledged for `timeout_max` ms always drops it;
 * after `timeout_min` ms it is dropped once its resend delay, doubling at
 * each retry, has reached `timeout` times the round-trip time. Requires
 * `timeout` ≤ `timeout_min` ≤ `timeout_max`, as Godot. Does nothing on a
 * dead peer. (Godot: `set_timeout`.)
 * @function set_timeout
 * @int timeout the timeout limit (ENet default 32), scaled by round-trip time
 * @int timeout_min milliseconds (ENet default 5000)
 * @int timeout_max milliseconds (ENet default 30000)
 * @raise when the order above does not hold
 */
static int peer_set_timeout(lua_State *L)
{
    peer_wrapper *w = check_wrapper(L, 1);
    lua_Integer limit = class_check_range(L, 2, 0, U32_MAX_);
    lua_Integer min = class_check_range(L, 3, 0, U32_MAX_);
    lua_Integer max = class_check_range(L, 4, 0, U32_MAX_);
    if (limit > min)
        return luaL_argerror(L, 2, "timeout must not exceed timeout_min");
    if (min > max)
        return luaL_argerror(L, 3, "timeout_min must not exceed timeout_max");
    if (w->peer != NULL)
        enet_peer_timeout(w->peer, (enet_uint32)limit, (enet_uint32)min, (enet_uint32)max);
    return 0;
}

/***
 * Configures ENet's packet throttle for unreliable packets. Does nothing
 * on a dead peer. (Godot: `throttle_configure`.)
 * @function throttle_configure
 * @int interval milliseconds over which loss is measured
 * @int acceleration throttle increase when conditions are good
 * @int deceleration throttle decrease when packets are lost
 */
static int peer_throttle_configure(lua_State *L)
{
    peer_wrapper *w = check_wrapper(L, 1);
    lua_Integer interval = class_check_range(L, 2, 0, U32_MAX_);
    lua_Integer acceleration = class_check_range(L, 3, 0, U32_MAX_);
    lua_Integer deceleration = class_check_range(L, 4, 0, U32_MAX_);
    if (w->peer != NULL)
        enet_peer_throttle_configure(w->peer, (enet_uint32)interval,
                                 (enet_uint32)acceleration, (enet_uint32)deceleration);
    return 0;
}

/* ---- queries ------------------------------------------------------------ */

/***
 * The remote's address as text: `"127.0.0.1"` for an IPv4 remote (also
 * on a dual-stack host), `"::1"` or `"2001:db8::5"` for an IPv6 one; kept
 * after the peer dies. (Godot: `get_remote_address`.)
 * @function get_remote_address
 * @treturn string the IPv4 or IPv6 address
 */
static int peer_get_remote_address(lua_State *L)
{
    lua_pushstring(L, check_wrapper(L, 1)->remote);
    return 1;
}

/***
 * The remote's UDP port; kept after the peer dies. (Godot:
 * `get_remote_port`.)
 * @function get_remote_port
 * @treturn integer
 */
static int peer_get_remote_port(lua_State *L)
{
    lua_pushinteger(L, check_wrapper(L, 1)->address.port);
    return 1;
}

/***
 * The connection state; `STATE_DISCONNECTED` once the peer is dead.
 * (Godot: `get_state`.)
 * @function get_state
 * @treturn integer one of the `PeerState` values
 */
static int peer_get_state(lua_State *L)
{
    peer_wrapper *w = check_wrapper(L, 1);
    lua_pushinteger(L, w->peer ? (lua_Integer)w->peer->state : ENET_PEER_STATE_DISCONNECTED);
    return 1;
}

/***
 * True while the peer's connection is valid (connecting or connected).
 * (Godot: `is_active`.)
 * @function is_active
 * @treturn boolean
 */
static int peer_is_active(lua_State *L)
{
    lua_pushboolean(L, check_wrapper(L, 1)->peer != NULL);
    return 1;
}

/***
 * The number of channels of the connection; on a dead peer the last
 * count it had (Godot: 0). (Godot: `get_channels`.)
 * @function get_channels
 * @treturn integer
 */
static int peer_get_channels(lua_State *L)
{
    peer_wrapper *w = check_wrapper(L, 1);
    lua_pushinteger(L, (lua_Integer)(w->peer ? w->peer->channelCount : w->channels));
    return 1;
}

/***
 * Reads one of ENet's figures about this peer; 0 on a dead peer, as
 * Godot. (Godot: `get_statistic`.)
 * @function get_statistic
 * @int statistic one of the `PeerStatistic` values
 * @treturn integer
 */
static int peer_get_statistic(lua_State *L)
{
    ENetPeer *p = check_wrapper(L, 1)->peer;
    int stat = (int)class_check_range(L, 2, 0, 13);
    if (p == NULL) {
        lua_pushinteger(L, 0);
        return 1;
    }
    const enet_uint32 values[] = {
        p->packetLoss, p->packetLossVariance, p->packetLossEpoch,
        p->roundTripTime, p->roundTripTimeVariance, p->lastRoundTripTime,
        p->lastRoundTripTimeVariance, p->packetThrottle, p->packetThrottleLimit,
        p->packetThrottleCounter, p->packetThrottleEpoch,
        p->packetThrottleAcceleration, p->packetThrottleDeceleration,
        p->packetThrottleInterval,
    };
    lua_pushinteger(L, (lua_Integer)values[stat]);
    return 1;
}

static const char *const state_names[] = {
    "disconnected", "connecting", "acknowledging connect", "connection pending",
    "connection succeeded", "connected", "disconnect later", "disconnecting",
    "acknowledging disconnect", "zombie",
};

static int peer_tostring(lua_State *L)
{
    peer_wrapper *w = check_wrapper(L, 1);
    int state = w->peer ? (int)w->peer->state : 0;
    lua_pushfstring(L, strchr(w->remote, ':') ? "ENetPacketPeer [%s]:%d (%s)"
                                              : "ENetPacketPeer %s:%d (%s)",
                    w->remote, (int)w->address.port, state_names[state]);
    return 1;
}

/* Frees the packets still queued; never touches the host. */
static int peer_gc(lua_State *L)
{
    peer_wrapper *w = class_check(L, 1, PEER_MT);
    packet_queue_clear(&w->queue);
    packet_hold_free_all(&w->held);
    return 0;
}

static const luaL_Reg peer_methods[] = {
    { "send", peer_send },
    { "put_packet", peer_put_packet },
    { "put_var", peer_put_var },
    { "get_var", peer_get_var },
    { "get_encode_buffer_max_size", peer_get_encode_buffer_max_size },
    { "set_encode_buffer_max_size", peer_set_encode_buffer_max_size },
    { "get_packet", peer_get_packet },
    { "get_packet_flags", peer_get_packet_flags },
    { "get_packet_channel", peer_get_packet_channel },
    { "get_available_packet_count", peer_get_available_packet_count },
    { "get_dropped_packet_count", peer_get_dropped_packet_count },
    { "get_packet_error", peer_get_packet_error },
    { "get_max_packet_size", peer_get_max_packet_size },
    { "peer_disconnect", peer_disconnect },
    { "peer_disconnect_later", peer_disconnect_later },
    { "peer_disconnect_now", peer_disconnect_now },
    { "ping", peer_ping },
    { "ping_interval", peer_ping_interval },
    { "reset", peer_reset },
    { "set_timeout", peer_set_timeout },
    { "throttle_configure", peer_throttle_configure },
    { "get_remote_address", peer_get_remote_address },
    { "get_remote_port", peer_get_remote_port },
    { "get_state", peer_get_state },
    { "get_statistic", peer_get_statistic },
    { "get_channels", peer_get_channels },
    { "is_active", peer_is_active },
    { NULL, NULL },
};

const int peer_method_count = (int)(sizeof peer_methods / sizeof peer_methods[0]) - 1;

static const luaL_Reg peer_metamethods[] = {
    { "__gc", peer_gc },
    { "__tostring", peer_tostring },
    { "__newindex", peer_registry_newindex },
    { NULL, NULL },
};

void peer_open(lua_State *L)
{
    static const class_def def = {
        PEER_MT, peer_methods, peer_metamethods,
    };
    class_register(L, &def);
    peer_registry_open(L);
    class_set_int(L, "PACKET_LOSS_SCALE", ENET_PEER_PACKET_LOSS_SCALE);
    class_set_int(L, "PACKET_THROTTLE_SCALE", ENET_PEER_PACKET_THROTTLE_SCALE);
    class_set_int(L, "FLAG_RELIABLE", ENET_PACKET_FLAG_RELIABLE);
    class_set_int(L, "FLAG_UNSEQUENCED", ENET_PACKET_FLAG_UNSEQUENCED);
    class_set_int(L, "FLAG_UNRELIABLE_FRAGMENT", ENET_PACKET_FLAG_UNRELIABLE_FRAGMENT);
    for (int i = 0; i < (int)(sizeof state_names / sizeof state_names[0]); i++) {
        static const char *const constants[] = {
            "STATE_DISCONNECTED", "STATE_CONNECTING", "STATE_ACKNOWLEDGING_CONNECT",
            "STATE_CONNECTION_PENDING", "STATE_CONNECTION_SUCCEEDED", "STATE_CONNECTED",
            "STATE_DISCONNECT_LATER", "STATE_DISCONNECTING",
            "STATE_ACKNOWLEDGING_DISCONNECT", "STATE_ZOMBIE",
        };
        class_set_int(L, constants[i], i);
    }
    static const char *const statistics[] = {
        "PEER_PACKET_LOSS", "PEER_PACKET_LOSS_VARIANCE", "PEER_PACKET_LOSS_EPOCH",
        "PEER_ROUND_TRIP_TIME", "PEER_ROUND_TRIP_TIME_VARIANCE",
        "PEER_LAST_ROUND_TRIP_TIME", "PEER_LAST_ROUND_TRIP_TIME_VARIANCE",
        "PEER_PACKET_THROTTLE", "PEER_PACKET_THROTTLE_LIMIT",
        "PEER_PACKET_THROTTLE_COUNTER", "PEER_PACKET_THROTTLE_EPOCH",
        "PEER_PACKET_THROTTLE_ACCELERATION", "PEER_PACKET_THROTTLE_DECELERATION",
        "PEER_PACKET_THROTTLE_INTERVAL",
    };
    for (int i = 0; i < (int)(sizeof statistics / sizeof statistics[0]); i++)
        class_set_int(L, statistics[i], i);
    lua_setfield(L, -2, "ENetPacketPeer");
}
