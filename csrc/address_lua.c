/*
 * address_lua.c - address arguments of Lua calls (see address_lua.h).
 */
#include "address_lua.h"

#include <string.h>

#include "address.h"
#include "errors.h"
#include "socket.h"

#include "visibility.h" /* last: hides what this file defines */

const char *address_lua_check_text(lua_State *L, int arg)
{
    luaL_checktype(L, arg, LUA_TSTRING);
    return lua_tostring(L, arg);
}

/* Pushes the advice for lua-enet's "host:port" address form given to
 * `method` ("127.0.0.1:6789", "[::1]:6789"), or nothing and returns 0
 * when `text` is not of that form: no colon (an IPv4 address or a host
 * name), or more than one outside brackets (an IPv6 address). */
static int push_host_port_advice(lua_State *L, const char *text, const char *method)
{
    const char *colon = strrchr(text, ':');
    const char *host = text, *host_end = colon;
    if (colon == NULL)
        return 0;
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (close == NULL || close + 1 != colon)
            return 0;
        host = text + 1;
        host_end = close;
    } else if (strchr(text, ':') != colon) {
        return 0;
    }
    lua_pushlstring(L, host, (size_t)(host_end - host));
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

/* Why a socket cannot reach IPv6 (or, `ipv4`, IPv4) addresses. */
static const char *family_reason(int ipv4)
{
    if (ipv4)
        return "the host is bound to an IPv6 address (IPv6 only): bind \"*\" for both";
    if (!socket_layer_active())
        return "libenet was loaded before this module, so it makes its sockets itself, "
               "IPv4 only (require enetconnection before other ENet bindings, and do not "
               "LD_PRELOAD libenet)";
    if (!socket_layer_ipv6_available())
        return "this machine has no IPv6";
    return "the host is bound to an IPv4 address: bind \"*\" or an IPv6 address";
}

/* Parses the text at `arg`; pushes the "host:port" advice or nothing. */
static int parse(lua_State *L, int arg, int bind, int families, struct sockaddr_in6 *out,
                 int *any, int *host_port, const char *method)
{
    size_t length;
    const char *text = lua_tolstring(L, arg, &length);
    *host_port = strlen(text) == length && push_host_port_advice(L, text, method);
    if (*host_port)
        return ADDRESS_INVALID;
    return address_parse(text, length, bind, families, out, any);
}

void address_lua_bind_any(lua_Integer port, ENetAddress *enet, socket_bind *bind)
{
    memset(bind, 0, sizeof *bind);
    enet->host = ENET_HOST_ANY;
    enet->port = (enet_uint16)port;
    if (socket_layer_active() && socket_layer_ipv6_available()) {
        bind->ipv6 = 1;
        bind->address.sin6_family = AF_INET6;
        bind->address.sin6_port = htons((uint16_t)port);
    }
}

int address_lua_read_bind(lua_State *L, int arg, lua_Integer port, ENetAddress *enet,
                          socket_bind *bind)
{
    const char *text = lua_tostring(L, arg);
    int ipv6_ok = socket_layer_active() && socket_layer_ipv6_available();
    struct sockaddr_in6 address;
    int any, host_port;
    int r = parse(L, arg, 1, ipv6_ok ? ADDRESS_IPV4 | ADDRESS_IPV6 : ADDRESS_IPV4, &address,
                  &any, &host_port, "create_host_bound");
    if (r != 0) {
        const char *advice =
            host_port ? lua_tostring(L, -1)
            : strlen(text) != compat_rawlen(L, arg) ? "text with a NUL byte is no address"
            : "use an IPv4 or IPv6 address such as \"127.0.0.1\" or \"::1\", or \"*\"";
        return errors_push_fail(L, GD_ERR_INVALID_PARAMETER,
                                "invalid bind address '%s': %s", text, advice);
    }
    address_lua_bind_any(port, enet, bind);
    if (any)
        return 0;
    if (address_is_ipv4(&address)) {
        memset(bind, 0, sizeof *bind);
        enet->host = address_ipv4_host(&address);
        return 0;
    }
    if (!ipv6_ok)
        return errors_push_fail(L, GD_ERR_UNAVAILABLE,
                                "cannot bind IPv6 address '%s': %s", text, family_reason(0));
    bind->ipv6 = 1;
    bind->v6only = 1;
    bind->address = address;
    bind->address.sin6_port = htons((uint16_t)port);
    return 0;
}

int address_lua_read_remote(lua_State *L, int arg, lua_Integer port, ENetSocket s,
                            ENetAddress *out, const char *method)
{
    const char *text = lua_tostring(L, arg);
    int families = socket_layer_families(s);
    struct sockaddr_in6 address;
    int any, host_port;
    int r = parse(L, arg, 0, families, &address, &any, &host_port, method);
    if (r == ADDRESS_NO_FAMILY)
        return errors_push_fail(L, GD_ERR_CANT_RESOLVE,
                                "cannot resolve '%s' to an %s address: %s", text,
                                families & ADDRESS_IPV4 ? "IPv4" : "IPv6",
                                family_reason(families & ADDRESS_IPV6));
    if (r != 0) {
        const char *advice =
            host_port ? lua_tostring(L, -1)
            : strlen(text) != compat_rawlen(L, arg) ? "text with a NUL byte is no address"
            : "check the name, or give an IPv4 or IPv6 address such as \"127.0.0.1\" "
              "or \"::1\"";
        return errors_push_fail(L, GD_ERR_CANT_RESOLVE, "cannot resolve '%s': %s", text,
                                advice);
    }
    if (!(address_family(&address) & families))
        return errors_push_fail(L, GD_ERR_UNAVAILABLE, "cannot reach %s address '%s': %s",
                                address_is_ipv4(&address) ? "IPv4" : "IPv6", text,
                                family_reason(address_is_ipv4(&address)));
    address.sin6_port = htons((uint16_t)port);
    if (socket_layer_enet_address(s, &address, out) != 0)
        return errors_push_fail(L, GD_ERR_OUT_OF_MEMORY,
                                "cannot use '%s': the host's table of IPv6 remotes is full "
                                "or out of memory", text);
    return 0;
}

void address_lua_format_remote(ENetSocket s, const ENetAddress *a, char *text, size_t size)
{
    struct sockaddr_in6 remote;
    if (socket_layer_remote(s, a, &remote) == 0)
        address_format(&remote, text, size);
    else if (size > 0)
        text[0] = '\0';
}
