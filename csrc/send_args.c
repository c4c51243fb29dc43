/*
 * send_args.c - send and broadcast arguments: the slow path (see
 * send_args.h), with messages for programs ported from lua-enet, whose
 * order is send(data, channel, flag) with flag names as strings.
 */
#include "send_args.h"

#include <string.h>

#include "class.h"
#include "errors.h"
#include "packet.h"

#include "visibility.h" /* last: hides what this file defines */

/* lua-enet's flag names and what to write here instead. */
static const char *const lua_enet_flags[][2] = {
    { "reliable", "ENetPacketPeer.FLAG_RELIABLE" },
    { "unsequenced", "ENetPacketPeer.FLAG_UNSEQUENCED" },
    { "unreliable", "0 (unreliable, sequenced)" },
};

/* True when the value at idx is text that no number reads. */
static int is_word(lua_State *L, int idx)
{
    return lua_type(L, idx) == LUA_TSTRING && !lua_isnumber(L, idx);
}

static enet_uint32 check_flags(lua_State *L, int arg)
{
    if (lua_isnoneornil(L, arg))
        return ENET_PACKET_FLAG_RELIABLE;
    if (is_word(L, arg)) {
        const char *given = lua_tostring(L, arg);
        for (size_t i = 0; i < sizeof lua_enet_flags / sizeof lua_enet_flags[0]; i++)
            if (strcmp(given, lua_enet_flags[i][0]) == 0)
                luaL_argerror(L, arg, lua_pushfstring(L, "flags are numbers here: lua-enet's "
                                                         "\"%s\" is %s",
                                                      given, lua_enet_flags[i][1]));
    }
    lua_Integer flags = luaL_checkinteger(L, arg);
    if (flags & ~(lua_Integer)PACKET_USER_FLAGS)
        luaL_argerror(L, arg, "unknown flags (use FLAG_RELIABLE, FLAG_UNSEQUENCED, FLAG_UNRELIABLE_FRAGMENT)");
    return (enet_uint32)flags;
}

send_args send_args_check(lua_State *L, int arg, lua_Integer max_channel,
                          const char *method)
{
    /* lua-enet's peer:send("hello", 0, "reliable"): the data comes first */
    if (is_word(L, arg) && lua_type(L, arg + 1) != LUA_TSTRING)
        luaL_argerror(L, arg, lua_pushfstring(L, "channel expected, got text: lua-enet's order "
                                                 "%s(data, channel, flag) is %s(channel, data, "
                                                 "flags) here, Godot's, e.g. %s(0, data, "
                                                 "FLAG_RELIABLE)",
                                              method, method, method));
    send_args a;
    a.channel = class_check_range(L, arg, 0, max_channel);
    luaL_checktype(L, arg + 1, LUA_TSTRING);
    a.flags = check_flags(L, arg + 2);
    return a;
}

int send_args_fail_size(lua_State *L, size_t length, const char *method)
{
    return errors_push_fail(L, GD_ERR_INVALID_PARAMETER,
                            "%s: a %lu-byte packet is over get_max_packet_size() (%lu bytes): "
                            "nothing sent; split it into smaller packets",
                            method, (unsigned long)length, (unsigned long)SEND_MAX_PACKET_SIZE);
}
