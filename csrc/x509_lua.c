/*
 * x509_lua.c - the X509Certificate class: one certificate or a chain, loaded
 * from and saved to PEM strings and files.
 *
 * Errors (Godot codes): as for CryptoKey (crypto_key_lua.c): ERR_FILE_NOT_FOUND,
 * ERR_FILE_CANT_OPEN, ERR_FILE_CANT_READ, ERR_FILE_CANT_WRITE; a file that
 * does not hold only valid certificates ERR_FILE_CORRUPT, such a string
 * ERR_INVALID_DATA; saving an empty certificate ERR_UNCONFIGURED. Unlike
 * Godot, a PEM where some certificates parse and others do not is refused
 * rather than silently shortened.
 */
#include "x509_lua.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/error.h>
#include <mbedtls/pem.h>

#include "class.h"
#include "errors.h"
#include "pem_file.h"

#include "visibility.h" /* last: hides what this file defines */

/***
 * A certificate or a chain of them: Godot's X509Certificate. Loaded from
 * and saved to PEM (one DER certificate is read too). Closing it
 * (`__close`, `__gc`) empties it. `tostring(cert)` shows the first
 * subject and the chain length.
 * @classmod X509Certificate
 */

#define PEM_CERT_BEGIN "-----BEGIN CERTIFICATE-----\n"
#define PEM_CERT_END "-----END CERTIFICATE-----\n"

shared_box *x509_push_new(lua_State *L)
{
    return shared_box_push(L, X509_METATABLE);
}

shared_box *x509_check(lua_State *L, int arg)
{
    return shared_box_check(L, arg, X509_METATABLE, "X509Certificate");
}

static int chain_from_string(lua_State *L, int arg, x509_chain **out,
                             char *message, size_t message_size)
{
    size_t length;
    const char *pem = luaL_checklstring(L, arg, &length);
    return x509_chain_parse((const unsigned char *)pem, length, GD_ERR_INVALID_DATA,
                       "the string", out, message, message_size);
}

/*
 * Writes the chain as concatenated PEM blocks into a scratch userdata pushed
 * on the stack. Returns GD_OK with the text's length, or a code and message
 * (nothing pushed).
 */
static int chain_pem_to_scratch(lua_State *L, const shared_box *cert, size_t *length,
                                char *message, size_t message_size)
{
    const x509_chain *chain = cert->value;
    if (chain == NULL) {
        snprintf(message, message_size,
                 "the certificate is empty: load or generate one first");
        return GD_ERR_UNCONFIGURED;
    }
    size_t total = 0; /* sizes first: a NULL buffer makes mbedTLS report them */
    for (const mbedtls_x509_crt *c = &chain->crt; c != NULL; c = c->next) {
        size_t need = 0;
        mbedtls_pem_write_buffer(PEM_CERT_BEGIN, PEM_CERT_END, c->raw.p, c->raw.len,
                                 NULL, 0, &need);
        total += need;
    }
    unsigned char *scratch = lua_newuserdata(L, total);
    /* A finalizer run by the allocation may have emptied or reloaded the
     * certificate: read it again (a larger chain fails the size check). */
    chain = cert->value;
    if (chain == NULL) {
        lua_pop(L, 1);
        return chain_pem_to_scratch(L, cert, length, message, message_size); /* "empty" */
    }
    size_t used = 0;
    for (const mbedtls_x509_crt *c = &chain->crt; c != NULL; c = c->next) {
        size_t written = 0;
        int ret = mbedtls_pem_write_buffer(PEM_CERT_BEGIN, PEM_CERT_END, c->raw.p,
                                           c->raw.len, scratch + used,
                                           total - used, &written);
        if (ret != 0) {
            lua_pop(L, 1);
            char reason[128];
            mbedtls_strerror(ret, reason, sizeof reason);
            snprintf(message, message_size, "cannot write the certificate as PEM: %s",
                     reason);
            return GD_FAILED;
        }
        used += written - 1; /* the next block overwrites this one's NUL */
    }
    *length = used;
    return GD_OK;
}

static shared_box *cert_self(lua_State *L)
{
    return luaL_checkudata(L, 1, X509_METATABLE);
}

/***
 * An empty certificate; fill it with `load`, `load_from_string` or
 * `Crypto.generate_self_signed_certificate`. (Godot: `X509Certificate.new`.)
 * @function new
 * @static
 * @treturn X509Certificate
 */
static int cert_new(lua_State *L)
{
    x509_push_new(L);
    return 1;
}

/***
 * Replaces the certificate with the chain in a PEM file (or one DER
 * certificate). (Godot: `load`.)
 * @function load
 * @string path
 * @treturn[1] boolean true
 * @return[2] nil, message, code: `ERR_FILE_NOT_FOUND`, `ERR_FILE_CANT_OPEN`,
 *   `ERR_FILE_CANT_READ`, `ERR_FILE_CORRUPT` when
 *   any certificate in it does not parse
 */
static int cert_load(lua_State *L)
{
    shared_box *cert = cert_self(L);
    const char *path = luaL_checkstring(L, 2);
    x509_chain *chain;
    char message[256];
    int code = x509_chain_read_file(path, &chain, message, sizeof message);
    if (code == GD_OK)
        shared_box_set(cert, chain);
    return errors_push_result(L, code, message);
}

/***
 * Replaces the certificate with the chain in a PEM string. (Godot:
 * `load_from_string`.)
 * @function load_from_string
 * @string pem
 * @treturn[1] boolean true
 * @return[2] nil, message, `ERR_INVALID_DATA` when any certificate does not parse
 */
static int cert_load_from_string(lua_State *L)
{
    shared_box *cert = cert_self(L);
    x509_chain *chain;
    char message[256];
    int code = chain_from_string(L, 2, &chain, message, sizeof message);
    if (code == GD_OK)
        shared_box_set(cert, chain);
    return errors_push_result(L, code, message);
}

/***
 * Writes the chain as PEM. (Godot: `save`.)
 * @function save
 * @string path
 * @treturn[1] boolean true
 * @return[2] nil, message, code: `ERR_UNCONFIGURED` for an empty
 *   certificate, `ERR_FILE_CANT_OPEN`, `ERR_FILE_CANT_WRITE`
 */
static int cert_save(lua_State *L)
{
    shared_box *cert = cert_self(L);
    const char *path = luaL_checkstring(L, 2);
    char message[256];
    size_t length;
    int code = chain_pem_to_scratch(L, cert, &length, message, sizeof message);
    if (code == GD_OK) {
        code = pem_file_write(path, lua_touserdata(L, -1), length, 0644, message,
                              sizeof message);
        lua_pop(L, 1);
    }
    return errors_push_result(L, code, message);
}

/***
 * The chain as PEM. (Godot: `save_to_string`.)
 * @function save_to_string
 * @treturn[1] string PEM
 * @return[2] nil, message, `ERR_UNCONFIGURED` for an empty certificate
 */

/***
 * (Lua) Same as `save_to_string`.
 * @function to_pem
 * @treturn[1] string PEM
 * @return[2] nil, message, code
 */
static int cert_save_to_string(lua_State *L)
{
    shared_box *cert = cert_self(L);
    char message[256];
    size_t length;
    int code = chain_pem_to_scratch(L, cert, &length, message, sizeof message);
    if (code != GD_OK)
        return errors_push_fail(L, code, "%s", message);
    lua_pushlstring(L, lua_touserdata(L, -1), length);
    return 1;
}

/***
 * (Lua) A new certificate read from a PEM or DER file.
 * @function from_file
 * @static
 * @string path
 * @treturn[1] X509Certificate
 * @return[2] nil, message, code as `load`
 */
static int cert_from_file(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    shared_box *cert = x509_push_new(L);
    x509_chain *chain;
    char message[256];
    int code = x509_chain_read_file(path, &chain, message, sizeof message);
    if (code != GD_OK)
        return errors_push_fail(L, code, "%s", message);
    shared_box_set(cert, chain);
    return 1;
}

/***
 * (Lua) A new certificate read from a PEM string.
 * @function from_pem
 * @static
 * @string pem
 * @treturn[1] X509Certificate
 * @return[2] nil, message, `ERR_INVALID_DATA`
 */
static int cert_from_pem(lua_State *L)
{
    luaL_checkstring(L, 1);
    shared_box *cert = x509_push_new(L);
    x509_chain *chain;
    char message[256];
    int code = chain_from_string(L, 1, &chain, message, sizeof message);
    if (code != GD_OK)
        return errors_push_fail(L, code, "%s", message);
    shared_box_set(cert, chain);
    return 1;
}

/* __gc and __close: drop the chain; the object is then empty. */
static int cert_close(lua_State *L)
{
    shared_box_set(cert_self(L), NULL);
    return 0;
}

static int cert_tostring(lua_State *L)
{
    const x509_chain *chain = cert_self(L)->value;
    if (chain == NULL) {
        lua_pushliteral(L, "X509Certificate (empty)");
        return 1;
    }
    char subject[256];
    if (mbedtls_x509_dn_gets(subject, sizeof subject, &chain->crt.subject) < 0)
        strcpy(subject, "?");
    int count = 0;
    for (const mbedtls_x509_crt *c = &chain->crt; c != NULL; c = c->next)
        count++;
    lua_pushfstring(L, "X509Certificate (%s, %d in chain)", subject, count);
    return 1;
}

static const luaL_Reg cert_methods[] = {
    { "load", cert_load },
    { "save", cert_save },
    { "load_from_string", cert_load_from_string },
    { "save_to_string", cert_save_to_string },
    { "to_pem", cert_save_to_string },
    { NULL, NULL },
};

static const luaL_Reg cert_metamethods[] = {
    { "__gc", cert_close },
    { "__close", cert_close },
    { "__tostring", cert_tostring },
    { NULL, NULL },
};

static const luaL_Reg cert_statics[] = {
    { "new", cert_new },
    { "from_file", cert_from_file },
    { "from_pem", cert_from_pem },
    { NULL, NULL },
};

void x509_open(lua_State *L)
{
    static const class_def def = {
        X509_METATABLE, cert_methods, cert_metamethods,
    };
    class_register(L, &def);
    luaL_setfuncs(L, cert_statics, 0);
    lua_setfield(L, -2, "X509Certificate");
}
