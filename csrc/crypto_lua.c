/*
 * crypto_lua.c - the Crypto table (Godot's Crypto, the part TLS needs):
 * RSA key generation and self-signed certificates, made by crypto.c.
 */
#include "crypto_lua.h"

#include <string.h>

#include "class.h"
#include "crypto.h"
#include "crypto_key_lua.h"
#include "errors.h"
#include "x509_lua.h"

#include "visibility.h" /* last: hides what this file defines */

/***
 * Key and certificate generation: the part of Godot's Crypto that DTLS
 * needs. A table of functions, `enet.Crypto`.
 * @classmod Crypto
 */

#define DEFAULT_ISSUER "CN=myserver,O=myorganisation,C=IT"
#define DEFAULT_NOT_BEFORE "20140101000000"
#define DEFAULT_NOT_AFTER "20340101000000"

/***
 * Generates an RSA key pair. Takes a while: about a second for 2048 bits,
 * far longer for 4096 and above. For DTLS use 2048 bits or more: a client
 * that verifies the server refuses a certificate with a shorter RSA key
 * (mbedTLS's default profile). (Godot: `Crypto.generate_rsa`.)
 * @function generate_rsa
 * @static
 * @tparam[opt=2048] integer bits 1024..8192, even
 * @treturn[1] CryptoKey a private key
 * @return[2] nil, message, code when mbedTLS fails
 * @raise for bits out of range or odd
 */
static int crypto_generate_rsa(lua_State *L)
{
    lua_Integer bits = class_opt_range(L, 1, 2048, CRYPTO_RSA_BITS_MIN, CRYPTO_RSA_BITS_MAX);
    luaL_argcheck(L, bits % 2 == 0, 1, "must be even");
    shared_box *key = crypto_key_push_new(L);
    crypto_key_value *value;
    char message[256];
    int code = crypto_generate_rsa_key((unsigned)bits, &value, message, sizeof message);
    if (code != GD_OK)
        return errors_push_fail(L, code, "%s", message);
    shared_box_set(key, value);
    return 1;
}

/***
 * Makes a self-signed certificate for `key`: version 3, SHA-256, random
 * 20-byte serial, basic constraints CA:TRUE with path length 0, issuer =
 * subject = `issuer_name`. A client trusts it by passing it as
 * `trusted_chain` to `TLSOptions.client`, with the name in its `CN=` as
 * hostname. (Godot: `Crypto.generate_self_signed_certificate`.)
 * @function generate_self_signed_certificate
 * @static
 * @tparam CryptoKey key a private key
 * @tparam[opt="CN=myserver,O=myorganisation,C=IT"] string issuer_name
 * @tparam[opt="20140101000000"] string not_before UTC, YYYYMMDDhhmmss
 * @tparam[opt="20340101000000"] string not_after UTC, YYYYMMDDhhmmss
 * @treturn[1] X509Certificate
 * @return[2] nil, message, `ERR_INVALID_PARAMETER` for an empty or
 *   public-only key, a name without a common name (`CN=`) or with an empty
 *   one, a malformed name or date, or `not_after` before `not_before`
 */
static int crypto_generate_self_signed_certificate(lua_State *L)
{
    crypto_key_value *key = crypto_key_check(L, 1)->value;
    const char *issuer = luaL_optstring(L, 2, DEFAULT_ISSUER);
    const char *not_before = luaL_optstring(L, 3, DEFAULT_NOT_BEFORE);
    const char *not_after = luaL_optstring(L, 4, DEFAULT_NOT_AFTER);
    if (key == NULL || key->public_only)
        return errors_push_fail(L, GD_ERR_INVALID_PARAMETER,
                                "key must hold a private key (it is %s): use "
                                "Crypto.generate_rsa() or CryptoKey.from_file()",
                                key == NULL ? "empty" : "public only");
    if (!crypto_date_is_valid(not_before) || !crypto_date_is_valid(not_after))
        return errors_push_fail(L, GD_ERR_INVALID_PARAMETER,
                                "dates must be YYYYMMDDhhmmss (got '%s' and '%s')",
                                not_before, not_after);
    if (strcmp(not_before, not_after) > 0)
        return errors_push_fail(L, GD_ERR_INVALID_PARAMETER,
                                "not_after (%s) is before not_before (%s)",
                                not_after, not_before);
    char message[512];
    int code = crypto_subject_check(issuer, message, sizeof message);
    if (code != GD_OK)
        return errors_push_fail(L, code, "%s", message);
    shared_box *cert = x509_push_new(L);
    x509_chain *chain;
    code = crypto_self_signed_certificate(key, issuer, not_before, not_after, &chain, message,
                                 sizeof message);
    if (code != GD_OK)
        return errors_push_fail(L, code, "%s", message);
    shared_box_set(cert, chain);
    return 1;
}

static const luaL_Reg crypto_functions[] = {
    { "generate_rsa", crypto_generate_rsa },
    { "generate_self_signed_certificate", crypto_generate_self_signed_certificate },
    { NULL, NULL },
};

void crypto_open(lua_State *L)
{
    lua_newtable(L);
    luaL_setfuncs(L, crypto_functions, 0);
    lua_setfield(L, -2, "Crypto");
}
