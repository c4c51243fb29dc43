/*
 * events.c - ENetConnection:service() and the (Lua) events() iterator.
 *
 * Both run enet_host_service, then turn the ENetEvent into Lua values. ENet
 * returns before any Lua value is made, so no Lua error can unwind through
 * ENet. Making a Lua value may run finalizers, which may destroy or service
 * this connection: a received packet stays on the connection's hold list
 * until its new owner (a peer queue, or a Lua string) has it, and the
 * event's ENetPeer is used after an allocation only through
 * peer_registry_push*, which check that the host and the remote are still
 * there.
 *
 * A DTLS session that fails (a certificate refused, an alert, no answer)
 * ends its ENet peer here, at once, rather than by ENet's timeout: the
 * filter queues the remote (dtls_filter_take_failed), and the next
 * service returns EVENT_DISCONNECT for its peer, reset as ENet resets a
 * peer it times out. While a handshake runs, a long wait is cut into
 * slices so that this comes within DTLS_SLICE_MS.
 */
#include "events.h"

/*** ENetConnection's event loop.
 * @classmod ENetConnection
 */

#include <time.h>

#include "class.h"
#include "connection.h"
#include "dtls_filter.h"
#include "packet.h"
#include "peer.h"
#include "peer_registry.h"

#include "visibility.h" /* last: hides what this file defines */

#define EVENT_ERROR (-1)
#define MAX_TIMEOUT_MS 86400000 /* a day */

#define DTLS_SLICE_MS 50

/* A DISCONNECT event for the peer of a remote whose DTLS session failed,
 * if ENet still has one (it is reset, as ENet resets a peer it times out).
 * Returns 1 with *event filled, else 0. */
static int take_failed_peer(connection *c, ENetEvent *event)
{
    ENetAddress address;
    while (dtls_filter_take_failed(c->host->socket, &address)) {
        for (size_t i = 0; i < c->host->peerCount; i++) {
            ENetPeer *p = &c->host->peers[i];
            if (p->address.host != address.host || p->address.port != address.port ||
                p->state == ENET_PEER_STATE_DISCONNECTED || p->state == ENET_PEER_STATE_ZOMBIE)
                continue;
            enet_peer_reset(p);
            event->type = ENET_EVENT_TYPE_DISCONNECT;
            event->peer = p;
            event->data = 0;
            event->channelID = 0;
            event->packet = NULL;
            return 1;
        }
    }
    return 0;
}

static uint64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* One enet_host_service. Returns its result (-1, 0 or 1). */
static int service_once(connection *c, enet_uint32 timeout, ENetEvent *event)
{
    int r = enet_host_service(c->host, event, timeout);
    if (r > 0 && event->type == ENET_EVENT_TYPE_RECEIVE)
        packet_hold_add(&c->held, event->packet);
    return r;
}

/* Waits up to `timeout` in slices of DTLS_SLICE_MS, ending a failed peer
 * as soon as its failure is known. */
static int service_sliced(connection *c, enet_uint32 timeout, ENetEvent *event)
{
    const uint64_t end = monotonic_ms() + timeout;
    for (;;) {
        if (take_failed_peer(c, event))
            return 1;
        enet_uint32 slice = timeout < DTLS_SLICE_MS ? timeout : DTLS_SLICE_MS;
        int r = service_once(c, slice, event);
        if (r != 0)
            return r;
        if (take_failed_peer(c, event))
            return 1;
        uint64_t now = monotonic_ms();
        if (slice == timeout || now >= end)
            return 0;
        timeout = (enet_uint32)(end - now);
    }
}

/* Runs enet_host_service, in slices while a DTLS handshake may fail.
 * Returns its result (-1, 0 or 1). */
static int run_service(connection *c, enet_uint32 timeout, ENetEvent *event)
{
    if (!c->dtls) /* no filter: nothing to look up */
        return service_once(c, timeout, event);
    if (dtls_filter_handshaking(c->host->socket))
        return service_sliced(c, timeout, event);
    int r = service_once(c, timeout, event);
    if (r == 0 && dtls_filter_handshaking(c->host->socket)) /* began in this call */
        return take_failed_peer(c, event);
    return r;
}

/* Pushes type, peer, data, channel for an event of the connection at index
 * 1. With `as_string`, a RECEIVE's data is the packet's bytes; otherwise the
 * packet is queued on the peer (Godot's semantics) and data is 0. The
 * connection's slot table stays below the four: the caller returns the top
 * four values, and the peer is one table read away. */
static int push_event(lua_State *L, connection *c, int r, const ENetEvent *e,
                      int as_string)
{
    if (r <= 0) { /* EVENT_ERROR or EVENT_NONE: no peer */
        lua_pushinteger(L, r < 0 ? EVENT_ERROR : ENET_EVENT_TYPE_NONE);
        lua_pushnil(L);
        lua_pushinteger(L, 0);
        lua_pushinteger(L, 0);
        return 4;
    }
    peer_registry_push_slots(L, 1);
    int slots = lua_gettop(L);
    lua_pushinteger(L, e->type);
    switch (e->type) {
    case ENET_EVENT_TYPE_CONNECT: {
        /* The count is settled now (a client asked for more than the
         * server allows): kept for get_channels after the peer dies. */
        peer_wrapper *w = peer_registry_push_from(L, 1, slots, c, e->peer);
        if (w->peer == e->peer)
            w->channels = e->peer->channelCount;
        lua_pushinteger(L, (lua_Integer)e->data);
        lua_pushinteger(L, 0);
        break;
    }
    case ENET_EVENT_TYPE_DISCONNECT:
        peer_registry_push_departed(L, 1, c, e->peer);
        lua_pushinteger(L, (lua_Integer)e->data);
        lua_pushinteger(L, 0);
        break;
    case ENET_EVENT_TYPE_RECEIVE: {
        /* The wrapper may be dead when this returns (see above): its
         * queue still takes the packet, readable as on any dead peer. */
        peer_wrapper *w = peer_registry_push_from(L, 1, slots, c, e->peer);
        if (as_string)
            lua_pushlstring(L, (const char *)e->packet->data, e->packet->dataLength);
        packet_hold_remove(&c->held, e->packet);
        if (as_string) {
            enet_packet_destroy(e->packet);
        } else {
            packet_queue_push(&w->queue, e->packet, e->channelID, c->max_unread_bytes);
            lua_pushinteger(L, 0);
        }
        lua_pushinteger(L, e->channelID);
        break;
    }
    default:
        lua_pushnil(L);
        lua_pushinteger(L, 0);
        lua_pushinteger(L, 0);
        break;
    }
    return 4;
}

static enet_uint32 check_timeout(lua_State *L, int arg)
{
    return (enet_uint32)class_opt_range(L, arg, 0, 0, MAX_TIMEOUT_MS);
}

/***
 * Waits up to `timeout` ms for one event, sending and receiving meanwhile.
 * Returns Godot's four values, without the Array. On `EVENT_RECEIVE` the
 * packet is queued on the peer: read it with `peer:get_packet()`. Call it
 * often (every frame, or in a loop) or peers time out. (Godot: `service`.)
 *
 * When nothing happened it returns `EVENT_NONE`, which is 0, and 0 is true
 * in Lua: lua-enet's `while event do ... event = host:service() end` never
 * ends here. Compare the type:
 *
 *     local t, peer = host:service(0)
 *     while t ~= C.EVENT_NONE do ... t, peer = host:service(0) end
 *
 * or use `events`, which ends by itself.
 * @function service
 * @tparam[opt=0] integer timeout milliseconds, 0..86400000
 * @treturn integer type, one of the `EventType` values
 * @treturn ?ENetPacketPeer peer, nil for `EVENT_NONE` and `EVENT_ERROR`
 * @treturn integer data: the connect or disconnect data, else 0
 * @treturn integer channel of a received packet, else 0
 * @raise "host not created" before `create_host`
 */
int events_service(lua_State *L)
{
    connection *c = connection_check_host(L, 1);
    enet_uint32 timeout = check_timeout(L, 2);
    ENetEvent event;
    int r = run_service(c, timeout, &event);
    return push_event(L, c, r, &event, 0);
}

/*
 * The iterator is stateless, so a loop allocates nothing: events() returns
 * events_next, the connection and a start value; the generic for passes
 * back the type of the previous event. Types are -1..3, so the start value
 * carries the first call's timeout as -(timeout + 2). After a -1 (EVENT_ERROR)
 * the iteration ends; after any other event the next call only drains.
 */
#define START_CONTROL(timeout) (-(lua_Integer)(timeout) - 2)

static int events_next(lua_State *L)
{
    connection *c = class_check(L, 1, CONNECTION_MT);
    int is_integer;
    lua_Integer control = lua_tointegerx(L, 2, &is_integer);
    if (!is_integer || control < START_CONTROL(MAX_TIMEOUT_MS) ||
        control > ENET_EVENT_TYPE_RECEIVE)
        return luaL_argerror(L, 2, "not the value events() or the previous event gave "
                                   "(call the iterator from a generic for)");
    if (c->host == NULL || control == EVENT_ERROR)
        return 0; /* destroyed inside the loop, or after an error */
    enet_uint32 timeout = control <= START_CONTROL(0) ? (enet_uint32)(-control - 2) : 0;
    ENetEvent event; /* the 4 results go above the 2 arguments */
    int r = run_service(c, timeout, &event);
    if (r == 0)
        return 0;
    return push_event(L, c, r, &event, 1);
}

/* Where the one events_next function lives: a field of the (hidden)
 * connection metatable, so that the iterator is one shared value. */
#define EVENTS_NEXT_FIELD "events_next"

void events_open(lua_State *L)
{
    luaL_getmetatable(L, CONNECTION_MT);
    lua_pushcfunction(L, events_next);
    lua_setfield(L, -2, EVENTS_NEXT_FIELD);
    lua_pop(L, 1);
}

/***
 * (Lua) An iterator over events: waits up to `timeout` ms for the first,
 * then drains those already there, and ends. On `EVENT_RECEIVE` `data` is
 * the packet as a string (not queued on the peer).
 *
 *     for event, peer, data, channel in conn:events(10) do ... end
 *
 * @function events
 * @tparam[opt=0] integer timeout milliseconds for the first event
 * @treturn function iterator of `type, peer, data, channel`
 * @raise "host not created" before `create_host`
 */
int events_iterate(lua_State *L)
{
    connection_check_host(L, 1);
    enet_uint32 timeout = check_timeout(L, 2);
    luaL_getmetatable(L, CONNECTION_MT);
    lua_getfield(L, -1, EVENTS_NEXT_FIELD);
    lua_replace(L, -2);
    lua_pushvalue(L, 1);
    lua_pushinteger(L, START_CONTROL(timeout));
    return 3;
}
