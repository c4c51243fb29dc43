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

/* Pushes the advice for lua-enet's "host:port" address form given to
 * `method`, or nothing and returns 0 when `text` has no colon (which no
 * IPv4 address or host name has). */
static int push_host_port_advice(lua_State *L, const char *text, const char *method)
{
    const char *colon = strrchr(text, ':');
    if (colon == NULL)
        return 0;
    lua_pushlstring(L, text, (size_t)(colon - text));
    lua_pushfstring(L, "\"host:port\" is lua-enet's form: pass the port as its own "
                       "argument, %s(\"%s\", %s, ...)",
                    method, lua_tostring(L, -1), colon[1] != '\0' ? colon + 1 : "port");
    lua_remove(L, -2);
    return 1;
}

lua_Integer address_lua_check_port(lua_State *L, int arg, const char *method)
{
    int ok;
    lua_Integer port = lua_tointegerx(L, arg, &ok);
    if (!ok && lua_type(L, arg) != LUA_TNUMBER &&
        push_host_port_advice(L, lua_tostring(L, arg - 1), method))
        luaL_argerror(L, arg, lua_pushfstring(L, "number expected: %s", lua_tostring(L, -1)));
    return ok ? port : luaL_checkinteger(L, arg);
}

int address_lua_fail_port_range(lua_State *L, lua_Integer port, lua_Integer min)
{
    if (port >= min && port <= 65535)
        return 0;
    return errors_push_fail(L, GD_ERR_INVALID_PARAMETER,
                            "port %lld is out of range %d..65535", (long long)port, (int)min);
}

int address_lua_read(lua_State *L, int arg, int bind, lua_Integer port, ENetAddress *out,
                     const char *method)
{
    size_t length;
    const char *text = lua_tolstring(L, arg, &length);
    out->port = (enet_uint16)port;
    int host_port = strlen(text) == length && push_host_port_advice(L, text, method);
    if (!host_port && address_parse(text, length, bind, out) == 0)
        return 0;
    const char *advice =
        host_port ? lua_tostring(L, -1)
        : strlen(text) != length ? "text with a NUL byte is no address"
        : bind ? "use a dotted IPv4 address such as \"127.0.0.1\", or \"*\""
               : "check the name, or give a dotted IPv4 address such as \"127.0.0.1\" "
                 "(ENet 1.3 has no IPv6)";
    if (bind)
        return errors_push_fail(L, GD_ERR_INVALID_PARAMETER,
                                "invalid bind address '%s': %s", text, advice);
    return errors_push_fail(L, GD_ERR_CANT_RESOLVE,
                            "cannot resolve '%s' to an IPv4 address: %s", text, advice);
}
