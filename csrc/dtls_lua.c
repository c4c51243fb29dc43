/*
 * dtls_lua.c - ENetConnection:dtls_server_setup(options),
 * ENetConnection:dtls_client_setup(hostname, options=nil) and (Lua)
 * ENetConnection:dtls_get_error().
 *
 * Both setups return true, or nil, message, code: ERR_UNCONFIGURED when the
 * host was never created; ERR_INVALID_PARAMETER when options are nil
 * (server) or of the wrong kind; ERR_UNAVAILABLE when libenet bypasses the
 * socket layer; FAILED when the host already has DTLS (as Godot);
 * ERR_FILE_CANT_OPEN when a client needs the system CAs and cannot load
 * them. An options argument that is not a TLSOptions raises, as does a
 * destroyed connection.
 */
#include "dtls_lua.h"

/*** ENetConnection's DTLS setup (see docs/dtls.md).
 * @classmod ENetConnection
 */

#include "class.h"
#include "connection.h"
#include "dtls_filter.h"
#include "errors.h"
#include "shared_value.h"
#include "tls_lua.h"

#include "visibility.h" /* last: hides what this file defines */

/* The TLSOptions at `arg`, NULL for nil; raises for any other value. */
static tls_options *opt_tls_options(lua_State *L, int arg)
{
    if (lua_isnoneornil(L, arg))
        return NULL;
    tls_options *options = tls_options_test(L, arg);
    if (options == NULL) {
        lua_pushfstring(L, "TLSOptions expected, got %s", luaL_typename(L, arg));
        luaL_argerror(L, arg, lua_tostring(L, -1));
    }
    return options;
}

/***
 * Encrypts the host's traffic as a DTLS server: from now on every remote
 * address gets its own DTLS session and ENet's datagrams travel inside it.
 * (Godot: `dtls_server_setup`.)
 * @function dtls_server_setup
 * @tparam TLSOptions tls_options from `TLSOptions.server(key, certificate)`
 * @treturn[1] boolean true
 * @return[2] nil, message, code: `ERR_UNCONFIGURED` before `create_host`,
 *   `ERR_INVALID_PARAMETER` for options that are not a server's,
 *   `FAILED` when the host already has DTLS (as Godot),
 *   `ERR_UNAVAILABLE` when libenet bypasses the socket layer
 * @raise when `tls_options` is not a TLSOptions
 */
static int dtls_server_setup(lua_State *L)
{
    connection *c = connection_check(L, 1);
    tls_options *options = opt_tls_options(L, 2);
    if (c->host == NULL)
        return errors_push_fail(L, GD_ERR_UNCONFIGURED,
                                "host not created: call create_host_bound first");
    if (options == NULL || tls_options_kind(options) != TLS_OPTIONS_SERVER)
        return errors_push_fail(L, GD_ERR_INVALID_PARAMETER,
                                "tls_options must be TLSOptions.server(key, certificate) "
                                "(a client's options go to dtls_client_setup)");
    char message[256];
    int code = dtls_filter_install_server(c->host, options, message, sizeof message);
    if (code == GD_OK)
        c->dtls = 1; /* a refused second setup leaves the first filter on */
    return errors_push_result(L, code, message);
}

/***
 * Encrypts the host's connection to a server with DTLS. The server's
 * certificate must chain to the options' trusted CAs (nil options:
 * `TLSOptions.client()`, the system CAs) and bear `hostname` (or the
 * options' common name override). With `TLSOptions.client_unsafe(chain)`
 * only the name is not checked; with `client_unsafe()` nothing is.
 * Call before `connect_to_host`.
 * (Godot: `dtls_client_setup`.)
 * @function dtls_client_setup
 * @string hostname the name the server's certificate must bear
 * @tparam[opt] TLSOptions tls_options a client's options
 * @treturn[1] boolean true
 * @return[2] nil, message, code: `ERR_UNCONFIGURED` before `create_host`,
 *   `ERR_INVALID_PARAMETER` for a server's options, `FAILED`
 *   when the host already has DTLS (as Godot), `ERR_UNAVAILABLE` when libenet
 *   bypasses the socket layer, `ERR_FILE_CANT_OPEN` when the system CAs
 *   cannot be read. Handshake failures come later: see `dtls_get_error`
 * @raise when `tls_options` is neither nil nor a TLSOptions
 */
static int dtls_client_setup(lua_State *L)
{
    connection *c = connection_check(L, 1);
    const char *hostname = luaL_checkstring(L, 2);
    tls_options *given = opt_tls_options(L, 3);
    if (c->host == NULL)
        return errors_push_fail(L, GD_ERR_UNCONFIGURED,
                                "host not created: call create_host first");
    if (given != NULL && tls_options_kind(given) == TLS_OPTIONS_SERVER)
        return errors_push_fail(L, GD_ERR_INVALID_PARAMETER,
                                "tls_options must be a client TLSOptions (TLSOptions.client(trusted_chain)), "
                                "not a server's: those go to dtls_server_setup");
    tls_options *options =
        given != NULL ? given : tls_options_new_client(TLS_OPTIONS_CLIENT, NULL, NULL);
    if (options == NULL)
        return errors_push_fail(L, GD_ERR_OUT_OF_MEMORY, "out of memory");
    char message[256];
    int code = dtls_filter_install_client(c->host, hostname, options, message,
                                          sizeof message);
    if (code == GD_OK)
        c->dtls = 1; /* a refused second setup leaves the first filter on */
    if (given == NULL)
        shared_value_release(options); /* the filter holds its own reference */
    return errors_push_result(L, code, message);
}

/***
 * (Lua) Why DTLS last failed on this host, e.g. after a peer that never
 * connected: a certificate refused (`ERR_UNAUTHORIZED`; the message says
 * what to pass instead), a handshake without answer (`ERR_TIMEOUT`; no
 * datagram at all within 10 s), a handshake or session the remote broke
 * off (`ERR_CONNECTION_ERROR`). A failed handshake ends the client's peer
 * at once: `service` returns its `EVENT_DISCONNECT` with this already
 * set. A client forgets the failure when its next connection attempt
 * starts.
 * @function dtls_get_error
 * @treturn[1] string message
 * @treturn[1] integer code
 * @return[2] nil when nothing failed, or the host has no DTLS
 */
static int dtls_get_error(lua_State *L)
{
    connection *c = connection_check_host(L, 1);
    int code;
    const char *message = dtls_filter_last_error(c->host->socket, &code);
    if (message == NULL) {
        lua_pushnil(L);
        return 1;
    }
    lua_pushstring(L, message);
    lua_pushinteger(L, code);
    return 2;
}

static const luaL_Reg dtls_methods[] = {
    { "dtls_server_setup", dtls_server_setup },
    { "dtls_client_setup", dtls_client_setup },
    { "dtls_get_error", dtls_get_error },
    { NULL, NULL },
};

void dtls_open(lua_State *L)
{
    class_add_methods(L, "ENetConnection", dtls_methods);
}
