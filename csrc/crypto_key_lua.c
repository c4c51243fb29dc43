/*
 * crypto_key_lua.c - the CryptoKey class: an RSA or EC key, private or public
 * only, loaded from and saved to PEM strings and files.
 *
 * Errors (Godot codes): a file that does not exist ERR_FILE_NOT_FOUND, one
 * that cannot be opened ERR_FILE_CANT_OPEN, read ERR_FILE_CANT_READ or
 * written ERR_FILE_CANT_WRITE; file content that is not a key
 * ERR_FILE_CORRUPT; a string that is not a key ERR_INVALID_DATA; saving an
 * empty key ERR_UNCONFIGURED; saving the private part of a public-only key
 * ERR_UNAVAILABLE. Wrong argument types raise.
 */
#include "crypto_key_lua.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/error.h>
#include <mbedtls/platform_util.h>

#include "class.h"
#include "errors.h"
#include "mbedtls_compat.h"
#include "pem_file.h"

#include "visibility.h" /* last: hides what this file defines */

/***
 * An RSA or EC key, private or public only: Godot's CryptoKey. Loaded from
 * and saved to PEM (DER is read too). Closing it (`__close`, `__gc`)
 * empties it. `tostring(key)` shows its kind and size.
 * @classmod CryptoKey
 */

/* Room for the PEM of the largest key mbedTLS handles (RSA 8192: ~6.5 KB). */
#define KEY_PEM_MAX 16384

shared_box *crypto_key_push_new(lua_State *L)
{
    return shared_box_push(L, CRYPTO_KEY_METATABLE);
}

shared_box *crypto_key_check(lua_State *L, int arg)
{
    return shared_box_check(L, arg, CRYPTO_KEY_METATABLE, "CryptoKey");
}

static int key_value_from_string(lua_State *L, int arg, int public_only,
                                 crypto_key_value **out, char *message,
                                 size_t message_size)
{
    size_t length;
    const char *pem = luaL_checklstring(L, arg, &length);
    return crypto_key_value_parse((const unsigned char *)pem, length, public_only,
                           GD_ERR_INVALID_DATA, "the string", out, message,
                           message_size);
}

/*
 * Writes the key's PEM into a scratch userdata pushed on the stack (Lua
 * owns it, so a later Lua error leaks nothing). Returns GD_OK with the
 * text's length, or a code and message (nothing pushed). The value is read
 * after the allocation: a finalizer run by it may have emptied the key.
 */
static int key_pem_to_scratch(lua_State *L, const shared_box *key, int public_only,
                              size_t *length, char *message, size_t message_size)
{
    unsigned char *scratch = lua_newuserdata(L, KEY_PEM_MAX);
    crypto_key_value *value = key->value;
    if (value == NULL || (!public_only && value->public_only)) {
        lua_pop(L, 1);
        if (value == NULL) {
            snprintf(message, message_size, "the key is empty: load or generate one first");
            return GD_ERR_UNCONFIGURED;
        }
        snprintf(message, message_size,
                 "the key is public only: it has no private part "
                 "(pass public_only = true)");
        return GD_ERR_UNAVAILABLE;
    }
    int ret = public_only
                  ? mbedtls_pk_write_pubkey_pem(&value->pk, scratch, KEY_PEM_MAX)
                  : mbedtls_pk_write_key_pem(&value->pk, scratch, KEY_PEM_MAX);
    if (ret != 0) {
        lua_pop(L, 1);
        char reason[128];
        mbedtls_strerror(ret, reason, sizeof reason);
        snprintf(message, message_size, "cannot write the key as PEM: %s", reason);
        return GD_FAILED;
    }
    *length = strlen((const char *)scratch);
    return GD_OK;
}

/* Zeroes and pops the scratch userdata left by key_pem_to_scratch. */
static void key_scratch_drop(lua_State *L)
{
    mbedtls_platform_zeroize(lua_touserdata(L, -1), KEY_PEM_MAX);
    lua_pop(L, 1);
}

static shared_box *key_self(lua_State *L)
{
    return luaL_checkudata(L, 1, CRYPTO_KEY_METATABLE);
}

/* The public_only argument of save and save_to_string: when absent, what
 * the key holds (Godot defaults to false, which fails on a public key). */
static int key_opt_public_only(lua_State *L, int arg, const crypto_key_value *value)
{
    int holds_public_only = value != NULL && value->public_only;
    return class_opt_boolean(L, arg, holds_public_only);
}

/***
 * An empty key; fill it with `load`, `load_from_string` or
 * `Crypto.generate_rsa`. (Godot: `CryptoKey.new`.)
 * @function new
 * @static
 * @treturn CryptoKey
 */
static int key_new(lua_State *L)
{
    crypto_key_push_new(L);
    return 1;
}

/***
 * Replaces the key with the one in a PEM or DER file. (Godot: `load`.)
 * @function load
 * @string path
 * @tparam[opt=false] boolean public_only read a public key
 * @treturn[1] boolean true
 * @return[2] nil, message, code: `ERR_FILE_NOT_FOUND`, `ERR_FILE_CANT_OPEN`,
 *   `ERR_FILE_CANT_READ`, `ERR_FILE_CORRUPT` when
 *   the file holds no such key
 */
static int key_load(lua_State *L)
{
    shared_box *key = key_self(L);
    const char *path = luaL_checkstring(L, 2);
    int public_only = class_opt_boolean(L, 3, 0);
    crypto_key_value *value;
    char message[256];
    int code = crypto_key_value_read_file(path, public_only, &value, message, sizeof message);
    if (code == GD_OK)
        shared_box_set(key, value);
    return errors_push_result(L, code, message);
}

/***
 * Replaces the key with the one in a PEM string. (Godot: `load_from_string`.)
 * @function load_from_string
 * @string pem
 * @tparam[opt=false] boolean public_only read a public key
 * @treturn[1] boolean true
 * @return[2] nil, message, `ERR_INVALID_DATA` when the string holds no such key
 */
static int key_load_from_string(lua_State *L)
{
    shared_box *key = key_self(L);
    int public_only = class_opt_boolean(L, 3, 0);
    crypto_key_value *value;
    char message[256];
    int code = key_value_from_string(L, 2, public_only, &value, message, sizeof message);
    if (code == GD_OK)
        shared_box_set(key, value);
    return errors_push_result(L, code, message);
}

/***
 * Writes the key as PEM; a new file holding a private key gets mode 0600.
 * (Godot: `save`.)
 * @function save
 * @string path
 * @tparam[opt=key:is_public_only()] boolean public_only write only the public part
 * @treturn[1] boolean true
 * @return[2] nil, message, code: `ERR_UNCONFIGURED` for an empty key,
 *   `ERR_UNAVAILABLE` for the private part of a public-only key,
 *   `ERR_FILE_CANT_OPEN`, `ERR_FILE_CANT_WRITE`
 */
static int key_save(lua_State *L)
{
    shared_box *key = key_self(L);
    const char *path = luaL_checkstring(L, 2);
    int public_only = key_opt_public_only(L, 3, key->value);
    char message[256];
    size_t length;
    int code = key_pem_to_scratch(L, key, public_only, &length, message, sizeof message);
    if (code == GD_OK) {
        code = pem_file_write(path, lua_touserdata(L, -1), length,
                              public_only ? 0644 : 0600, message, sizeof message);
        key_scratch_drop(L);
    }
    return errors_push_result(L, code, message);
}

/***
 * The key as PEM. (Godot: `save_to_string`.)
 * @function save_to_string
 * @tparam[opt=key:is_public_only()] boolean public_only only the public part
 * @treturn[1] string PEM
 * @return[2] nil, message, code: `ERR_UNCONFIGURED` for an empty key,
 *   `ERR_UNAVAILABLE` for the private part of a public-only key
 */

/***
 * (Lua) Same as `save_to_string`.
 * @function to_pem
 * @tparam[opt=key:is_public_only()] boolean public_only
 * @treturn[1] string PEM
 * @return[2] nil, message, code
 */
static int key_save_to_string(lua_State *L)
{
    shared_box *key = key_self(L);
    int public_only = key_opt_public_only(L, 2, key->value);
    char message[256];
    size_t length;
    int code = key_pem_to_scratch(L, key, public_only, &length, message, sizeof message);
    if (code != GD_OK)
        return errors_push_fail(L, code, "%s", message);
    lua_pushlstring(L, lua_touserdata(L, -1), length);
    lua_insert(L, -2);
    key_scratch_drop(L);
    return 1;
}

/***
 * True when the key has no private part. (Godot: `is_public_only`.)
 * @function is_public_only
 * @treturn boolean false for an empty key
 */
static int key_is_public_only(lua_State *L)
{
    const crypto_key_value *value = key_self(L)->value;
    lua_pushboolean(L, value != NULL && value->public_only);
    return 1;
}

/***
 * (Lua) A new key read from a PEM or DER file.
 * @function from_file
 * @static
 * @string path
 * @tparam[opt=false] boolean public_only
 * @treturn[1] CryptoKey
 * @return[2] nil, message, code as `load`
 */
static int key_from_file(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    int public_only = class_opt_boolean(L, 2, 0);
    shared_box *key = crypto_key_push_new(L);
    crypto_key_value *value;
    char message[256];
    int code = crypto_key_value_read_file(path, public_only, &value, message, sizeof message);
    if (code != GD_OK)
        return errors_push_fail(L, code, "%s", message);
    shared_box_set(key, value);
    return 1;
}

/***
 * (Lua) A new key read from a PEM string.
 * @function from_pem
 * @static
 * @string pem
 * @tparam[opt=false] boolean public_only
 * @treturn[1] CryptoKey
 * @return[2] nil, message, `ERR_INVALID_DATA`
 */
static int key_from_pem(lua_State *L)
{
    int public_only = class_opt_boolean(L, 2, 0);
    luaL_checkstring(L, 1);
    shared_box *key = crypto_key_push_new(L);
    crypto_key_value *value;
    char message[256];
    int code = key_value_from_string(L, 1, public_only, &value, message, sizeof message);
    if (code != GD_OK)
        return errors_push_fail(L, code, "%s", message);
    shared_box_set(key, value);
    return 1;
}

/* __gc and __close: drop the value; the object is then an empty key. */
static int key_close(lua_State *L)
{
    shared_box_set(key_self(L), NULL);
    return 0;
}

static int key_tostring(lua_State *L)
{
    const crypto_key_value *value = key_self(L)->value;
    if (value == NULL)
        lua_pushliteral(L, "CryptoKey (empty)");
    else
        lua_pushfstring(L, "CryptoKey (%s %d-bit, %s)", mbedtls_pk_get_name(&value->pk),
                        (int)mbedtls_pk_get_bitlen(&value->pk),
                        value->public_only ? "public only" : "private");
    return 1;
}

static const luaL_Reg key_methods[] = {
    { "load", key_load },
    { "save", key_save },
    { "load_from_string", key_load_from_string },
    { "save_to_string", key_save_to_string },
    { "to_pem", key_save_to_string },
    { "is_public_only", key_is_public_only },
    { NULL, NULL },
};

static const luaL_Reg key_metamethods[] = {
    { "__gc", key_close },
    { "__close", key_close },
    { "__tostring", key_tostring },
    { NULL, NULL },
};

static const luaL_Reg key_statics[] = {
    { "new", key_new },
    { "from_file", key_from_file },
    { "from_pem", key_from_pem },
    { NULL, NULL },
};

void crypto_key_open(lua_State *L)
{
    static const class_def def = {
        CRYPTO_KEY_METATABLE, key_methods, key_metamethods,
    };
    class_register(L, &def);
    luaL_setfuncs(L, key_statics, 0);
    lua_setfield(L, -2, "CryptoKey");
}
