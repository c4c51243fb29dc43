/*
 * variant.c - the Variant module part: enet.var_to_bytes, enet.bytes_to_var,
 * enet.null, enet.Array and enet.Dictionary.
 */
#include "variant.h"

#include <string.h>

#include "class.h"
#include "errors.h"
#include "variant_types.h"

#include "visibility.h" /* last: hides what this file defines */

/*** Godot Variant encoding (see docs/variant.md).
 * @module enetconnection
 */

static void read_option(lua_State *L, int arg, const char *name, void *ctx)
{
    variant_options *opt = ctx;
    int *field = strcmp(name, "godot3") == 0             ? &opt->godot3
                 : strcmp(name, "double_precision") == 0 ? &opt->double_precision
                                                         : NULL;
    if (field == NULL)
        luaL_argerror(L, arg, lua_pushfstring(L, "unknown option '%s' (expected godot3 or double_precision)", name));
    if (lua_type(L, -1) != LUA_TBOOLEAN)
        luaL_argerror(L, arg, lua_pushfstring(L, "option %s must be a boolean", name));
    *field = lua_toboolean(L, -1);
}

void variant_check_options(lua_State *L, int arg, variant_options *opt)
{
    memset(opt, 0, sizeof *opt);
    if (lua_type(L, arg) == LUA_TBOOLEAN) { /* Godot's full_objects / allow_objects */
        if (lua_toboolean(L, arg))
            luaL_argerror(L, arg, "true (Godot's full_objects / allow_objects) is not supported: "
                                  "Lua never sends or builds full Godot objects (pass false, "
                                  "nil or an options table)");
        return;
    }
    if (!lua_isnoneornil(L, arg) && lua_type(L, arg) != LUA_TTABLE)
        luaL_argerror(L, arg, lua_pushfstring(L, "options table or false expected, got %s",
                                              luaL_typename(L, arg)));
    class_read_options(L, arg, read_option, opt);
}

/***
 * Encodes a value in Godot's Variant binary format (Godot's `var_to_bytes`).
 * @function var_to_bytes
 * @param value nil, boolean, number, string, table (Array, Dictionary or a
 *   tagged Godot type) or enet.null
 * @tparam[opt] table|boolean options `godot3` (Godot 3.x ids),
 *   `double_precision` (64-bit vectors and transforms); or `false`, Godot 3's
 *   `full_objects` argument (`true` raises: no full objects from Lua)
 * @treturn string the bytes
 * @raise for values Godot cannot represent (functions, cycles, a string
 *   that is not UTF-8 where Godot expects text, ...)
 */
static int l_var_to_bytes(lua_State *L)
{
    variant_options opt;
    luaL_checkany(L, 1);
    variant_check_options(L, 2, &opt);
    variant_push_bytes(L, 1, &opt);
    return 1;
}

/***
 * Decodes Godot Variant bytes (Godot's `bytes_to_var`, objects not allowed).
 * A value that would take more Lua memory than 8 times `#bytes` + 1 MiB is
 * refused with `ERR_INVALID_DATA` (docs/variant.md, "Memory budget").
 * @function bytes_to_var
 * @tparam string bytes
 * @tparam[opt] table|boolean options `godot3` (Godot 3.x ids); or `false`,
 *   Godot 3's `allow_objects` argument (`true` raises)
 * @return the value (nil for Godot's null), or nil, message, code
 *   (`ERR_INVALID_DATA`, also for a string that is not UTF-8, `ERR_FILE_EOF`,
 *   `ERR_UNAUTHORIZED`, `ERR_OUT_OF_MEMORY`)
 */
static int l_bytes_to_var(lua_State *L)
{
    variant_options opt;
    variant_status st;
    size_t len;
    luaL_checktype(L, 1, LUA_TSTRING);
    const char *data = lua_tolstring(L, 1, &len);
    variant_check_options(L, 2, &opt);
    if (variant_push_value(L, data, len, &opt, &st) != GD_OK)
        return variant_push_failure(L, &st);
    return 1;
}

/* Sets the marker metatable at stack index `marker` on arg (or a new table). */
static int mark_table(lua_State *L, int marker)
{
    if (lua_isnoneornil(L, 1)) {
        lua_settop(L, 0);
        lua_newtable(L);
    } else {
        luaL_checktype(L, 1, LUA_TTABLE);
        lua_settop(L, 1);
    }
    variant_push_markers(L);
    lua_pushvalue(L, marker);
    lua_setmetatable(L, 1);
    lua_settop(L, 1);
    return 1;
}

/***
 * Marks a table (or a new one) as a Godot Array: encoded as an Array even
 * when empty, elements 1..#t, enet.null for null elements.
 * @function Array
 * @tparam[opt] table t
 * @treturn table t
 */
static int l_array(lua_State *L)
{
    return mark_table(L, 2);
}

/***
 * Marks a table (or a new one) as a Godot Dictionary: encoded as a
 * Dictionary even when its keys are 1..n.
 * @function Dictionary
 * @tparam[opt] table t
 * @treturn table t
 */
static int l_dictionary(lua_State *L)
{
    return mark_table(L, 3);
}

void variant_open(lua_State *L)
{
    static const luaL_Reg functions[] = {
        { "var_to_bytes", l_var_to_bytes },
        { "bytes_to_var", l_bytes_to_var },
        { "Array", l_array },
        { "Dictionary", l_dictionary },
        { NULL, NULL },
    };
    luaL_setfuncs(L, functions, 0);
    lua_pushlightuserdata(L, NULL);
    lua_setfield(L, -2, "null");
}
