/*
 * send_args.h - the arguments of ENetPacketPeer:send and
 * ENetConnection:broadcast, (channel, packet, flags), checked off the hot
 * path: the callers test the common case inline and call here only when
 * something is off, for the default flags or the error.
 */
#ifndef ENETCONNECTION_SEND_ARGS_H
#define ENETCONNECTION_SEND_ARGS_H

#include <enet/enet.h>

#include "compat.h"

/* The largest packet send, put_packet, put_var and broadcast take:
 * get_max_packet_size(), Godot's figure, 16 MiB. ENet alone would take up
 * to 32 MiB (its host's maximumPacketSize, also what it accepts from a
 * remote: packets from Godot up to that size still arrive). */
#define SEND_MAX_PACKET_SIZE ((size_t)1 << 24)

typedef struct send_args {
    lua_Integer channel;
    enet_uint32 flags;
} send_args;

/* Checks the channel (0..max_channel), the packet (a string) and the flags
 * at arg, arg + 1 and arg + 2 of `method` ("send" or "broadcast"). Flags
 * none or nil mean FLAG_RELIABLE, lua-enet's default. Raises for anything
 * else, naming lua-enet's order send(data, channel, flag) and its flag
 * names when the arguments look like them. */
send_args send_args_check(lua_State *L, int arg, lua_Integer max_channel,
                          const char *method);

/* Pushes nil, message, ERR_INVALID_PARAMETER for a `length`-byte packet
 * over SEND_MAX_PACKET_SIZE given to `method`, and returns 3. */
int send_args_fail_size(lua_State *L, size_t length, const char *method);

#endif
