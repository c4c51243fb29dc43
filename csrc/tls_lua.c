/*
 * tls_lua.c - the TLSOptions class (Godot's TLSOptions) and the "tls" module
 * part, which also registers CryptoKey, X509Certificate and Crypto.
 *
 * TLSOptions.client(trusted_chain=nil, common_name_override=nil),
 * TLSOptions.client_unsafe(trusted_chain=nil) and TLSOptions.server(key,
 * certificate) return a TLSOptions, or nil, message, ERR_INVALID_PARAMETER
 * when a given key or certificate cannot serve (empty, public only, or a
 * key that does not match the certificate). Wrong types raise.
 */
#include "tls_lua.h"

#include "class.h"
#include "crypto_key_lua.h"
#include "crypto_lua.h"
#include "errors.h"
#include "mbedtls_compat.h"
#include "shared_box_lua.h"
#include "x509_lua.h"

#include "visibility.h" /* last: hides what this file defines */

#define TLS_OPTIONS_METATABLE "enetconnection.TLSOptions"

/***
 * How a DTLS endpoint proves and checks identities: Godot's TLSOptions.
 * Made by `TLSOptions.client`, `client_unsafe` or `server`; given to
 * `ENetConnection:dtls_server_setup` / `dtls_client_setup`. Immutable.
 * `tostring(options)` shows the kind.
 * @classmod TLSOptions
 */

tls_options *tls_options_test(lua_State *L, int idx)
{
    shared_box *box = luaL_testudata(L, idx, TLS_OPTIONS_METATABLE);
    return box != NULL ? box->value : NULL;
}

/* The TLSOptions userdata is a shared_box, empty only between creation
 * and filling. */
static tls_options *options_self(lua_State *L)
{
    shared_box *box = luaL_checkudata(L, 1, TLS_OPTIONS_METATABLE);
    if (box->value == NULL)
        luaL_error(L, "TLSOptions is not initialised");
    return box->value;
}

/* The trusted chain argument: nil, or a non-empty X509Certificate. */
static int check_trusted_chain(lua_State *L, int arg, x509_chain **chain)
{
    *chain = NULL;
    if (lua_isnoneornil(L, arg))
        return 1;
    *chain = x509_check(L, arg)->value;
    return *chain != NULL;
}

static int push_client(lua_State *L, enum tls_options_kind kind, x509_chain *trusted,
                       const char *common_name_override)
{
    shared_box *box = shared_box_push(L, TLS_OPTIONS_METATABLE);
    tls_options *options = tls_options_new_client(kind, trusted, common_name_override);
    if (options == NULL)
        return errors_push_fail(L, GD_ERR_OUT_OF_MEMORY, "out of memory");
    shared_box_set(box, options);
    return 1;
}

/***
 * Options of a client that verifies the server: its certificate must chain
 * to `trusted_chain` and bear the hostname given to `dtls_client_setup`
 * (or `common_name_override`). (Godot: `TLSOptions.client`.)
 * @function client
 * @static
 * @tparam[opt] X509Certificate trusted_chain the CAs, or the server's own
 *   self-signed certificate; nil: the system CAs
 * @tparam[opt] string common_name_override the name to expect instead of
 *   the hostname (nil or "": none)
 * @treturn[1] TLSOptions
 * @return[2] nil, message, `ERR_INVALID_PARAMETER` for an empty certificate
 */
static int options_client(lua_State *L)
{
    x509_chain *trusted;
    if (!check_trusted_chain(L, 1, &trusted))
        return errors_push_fail(L, GD_ERR_INVALID_PARAMETER,
                                "trusted_chain is an empty X509Certificate: load the server's "
                                "certificate or its CA into it (X509Certificate.from_file)");
    const char *name = luaL_optstring(L, 2, NULL);
    if (name != NULL && name[0] == '\0')
        name = NULL;
    return push_client(L, TLS_OPTIONS_CLIENT, trusted, name);
}

/***
 * Options of a client that does not check the server's name. Given a
 * chain, it still refuses a server whose certificate does not chain to it;
 * given none, it checks nothing: anyone in the middle can pretend to be
 * the server. For tests and development. (Godot: `TLSOptions.client_unsafe`,
 * same checks.)
 * @function client_unsafe
 * @static
 * @tparam[opt] X509Certificate trusted_chain the CAs, or the server's own
 *   self-signed certificate, that must sign the server's certificate;
 *   nil: no verification at all (not the system CAs)
 * @treturn[1] TLSOptions
 * @return[2] nil, message, `ERR_INVALID_PARAMETER` for an empty certificate
 */
static int options_client_unsafe(lua_State *L)
{
    x509_chain *trusted;
    if (!check_trusted_chain(L, 1, &trusted))
        return errors_push_fail(L, GD_ERR_INVALID_PARAMETER,
                                "trusted_chain is an empty X509Certificate: load a certificate "
                                "into it, or pass nil");
    return push_client(L, TLS_OPTIONS_CLIENT_UNSAFE, trusted, NULL);
}

/***
 * Options of a server. (Godot: `TLSOptions.server`.)
 * @function server
 * @static
 * @tparam CryptoKey key the private key of the certificate's first entry
 * @tparam X509Certificate certificate the server's certificate, or a chain
 *   starting with it
 * @treturn[1] TLSOptions
 * @return[2] nil, message, `ERR_INVALID_PARAMETER` when the key is empty,
 *   public only or not the certificate's, or the certificate is empty
 * @raise when the arguments are not a CryptoKey and an X509Certificate
 */
static int options_server(lua_State *L)
{
    crypto_key_value *key = crypto_key_check(L, 1)->value;
    x509_chain *cert = x509_check(L, 2)->value;
    if (key == NULL || key->public_only)
        return errors_push_fail(L, GD_ERR_INVALID_PARAMETER,
                                "key must hold a private key (it is %s): pass the private key "
                                "the certificate was made with",
                                key == NULL ? "empty" : "public only");
    if (cert == NULL)
        return errors_push_fail(L, GD_ERR_INVALID_PARAMETER,
                                "certificate is an empty X509Certificate: load one "
                                "(X509Certificate.from_file) or make one "
                                "(Crypto.generate_self_signed_certificate)");
    if (mbed_pk_check_pair(&cert->crt.pk, &key->pk) != 0)
        return errors_push_fail(L, GD_ERR_INVALID_PARAMETER,
                                "key does not match the certificate's public key: pass the "
                                "private key the certificate was made with");
    shared_box *box = shared_box_push(L, TLS_OPTIONS_METATABLE);
    tls_options *options = tls_options_new_server(key, cert);
    if (options == NULL)
        return errors_push_fail(L, GD_ERR_OUT_OF_MEMORY, "out of memory");
    shared_box_set(box, options);
    return 1;
}

/***
 * True for `TLSOptions.server` options. (Godot: `is_server`.)
 * @function is_server
 * @treturn boolean
 */
static int options_is_server(lua_State *L)
{
    lua_pushboolean(L, tls_options_kind(options_self(L)) == TLS_OPTIONS_SERVER);
    return 1;
}

/***
 * True for `TLSOptions.client_unsafe` options. (Godot: `is_unsafe_client`.)
 * @function is_unsafe_client
 * @treturn boolean
 */
static int options_is_unsafe_client(lua_State *L)
{
    lua_pushboolean(L, tls_options_kind(options_self(L)) == TLS_OPTIONS_CLIENT_UNSAFE);
    return 1;
}

/***
 * The name a client expects instead of the hostname. (Godot:
 * `get_common_name_override`.)
 * @function get_common_name_override
 * @treturn string "" when none, as Godot
 */
static int options_get_common_name_override(lua_State *L)
{
    const char *name = tls_options_common_name_override(options_self(L));
    lua_pushstring(L, name != NULL ? name : "");
    return 1;
}

/***
 * A client's trusted chain. (Godot: `get_trusted_ca_chain`.)
 * @function get_trusted_ca_chain
 * @treturn ?X509Certificate a new object sharing the chain; nil when none
 *   was given (the system CAs)
 */
static int options_get_trusted_ca_chain(lua_State *L)
{
    shared_box_push_shared(L, X509_METATABLE, tls_options_trusted(options_self(L)));
    return 1;
}

/***
 * A server's certificate. (Godot: `get_own_certificate`.)
 * @function get_own_certificate
 * @treturn ?X509Certificate nil for clients
 */
static int options_get_own_certificate(lua_State *L)
{
    shared_box_push_shared(L, X509_METATABLE, tls_options_certificate(options_self(L)));
    return 1;
}

/***
 * A server's private key. (Godot: `get_private_key`.)
 * @function get_private_key
 * @treturn ?CryptoKey nil for clients
 */
static int options_get_private_key(lua_State *L)
{
    shared_box_push_shared(L, CRYPTO_KEY_METATABLE, tls_options_key(options_self(L)));
    return 1;
}

static int options_gc(lua_State *L)
{
    shared_box_set(luaL_checkudata(L, 1, TLS_OPTIONS_METATABLE), NULL);
    return 0;
}

static int options_tostring(lua_State *L)
{
    static const char *const kinds[] = { "client", "client_unsafe", "server" };
    tls_options *options = options_self(L);
    lua_pushfstring(L, "TLSOptions (%s)", kinds[tls_options_kind(options)]);
    return 1;
}

static const luaL_Reg options_methods[] = {
    { "is_server", options_is_server },
    { "is_unsafe_client", options_is_unsafe_client },
    { "get_common_name_override", options_get_common_name_override },
    { "get_trusted_ca_chain", options_get_trusted_ca_chain },
    { "get_private_key", options_get_private_key },
    { "get_own_certificate", options_get_own_certificate },
    { NULL, NULL },
};

static const luaL_Reg options_metamethods[] = {
    { "__gc", options_gc },
    { "__tostring", options_tostring },
    { NULL, NULL },
};

static const luaL_Reg options_statics[] = {
    { "client", options_client },
    { "client_unsafe", options_client_unsafe },
    { "server", options_server },
    { NULL, NULL },
};

void tls_open(lua_State *L)
{
    if (mbed_init() != 0)
        luaL_error(L, "cannot initialise mbedTLS's PSA crypto");
    crypto_key_open(L);
    x509_open(L);
    crypto_open(L);
    static const class_def def = {
        TLS_OPTIONS_METATABLE, options_methods, options_metamethods,
    };
    class_register(L, &def);
    luaL_setfuncs(L, options_statics, 0);
    lua_setfield(L, -2, "TLSOptions");
}
