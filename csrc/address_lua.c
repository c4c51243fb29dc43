/*
 * address_lua.c - address arguments of Lua calls (see address_lua.h).
 */
#include "address_lua.h"

#include <string.h>

#include "address.h"
#include "errors.h"

#include "visibility.h" /* last: hides what this file defines */

const char *address_lua_check_text(lua_State *L, int arg)
{
    luaL_checktype(L, arg, LUA_TSTRING);
    return lua_tostring(L, arg);
}

int address_lua_read(lua_State *L, int arg, int bind, lua_Integer port, ENetAddress *out)
{
    size_t length;
    const char *text = lua_tolstring(L, arg, &length);
    out->port = (enet_uint16)port;
    if (address_parse(text, length, bind, out) == 0)
        return 0;
    const char *advice =
        strlen(text) != length ? "text with a NUL byte is no address"
        : bind ? "use a dotted IPv4 address such as \"127.0.0.1\", or \"*\""
               : "check the name, or give a dotted IPv4 address such as \"127.0.0.1\" "
                 "(ENet 1.3 has no IPv6)";
    if (bind)
        return errors_push_fail(L, GD_ERR_INVALID_PARAMETER,
                                "invalid bind address '%s': %s", text, advice);
    return errors_push_fail(L, GD_ERR_CANT_RESOLVE,
                            "cannot resolve '%s' to an IPv4 address: %s", text, advice);
}
