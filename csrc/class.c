/*
 * class.c - class registration and argument checkers shared by all classes.
 */
#include "class.h"

#include <stdio.h>

#include "visibility.h" /* last: hides what this file defines */

void class_register(lua_State *L, const class_def *def)
{
    luaL_newmetatable(L, def->metatable_name);
    luaL_setfuncs(L, def->metamethods, 0);
    lua_pushstring(L, def->metatable_name);
    lua_setfield(L, -2, "__name");
    lua_pushliteral(L, "not your business");
    lua_setfield(L, -2, "__metatable");

    lua_newtable(L); /* methods */
    luaL_setfuncs(L, def->methods, 0);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "__index");
    lua_remove(L, -2); /* the metatable stays in the registry */
}

void class_add_methods(lua_State *L, const char *class_name, const luaL_Reg *methods)
{
    lua_getfield(L, -1, class_name);
    luaL_checktype(L, -1, LUA_TTABLE);
    luaL_setfuncs(L, methods, 0);
    lua_pop(L, 1);
}

void class_set_int(lua_State *L, const char *name, lua_Integer value)
{
    lua_pushinteger(L, value);
    lua_setfield(L, -2, name);
}

lua_Integer class_check_range(lua_State *L, int arg, lua_Integer min,
                              lua_Integer max)
{
    lua_Integer v = luaL_checkinteger(L, arg);
    if (v < min || v > max) {
        char message[96];
        snprintf(message, sizeof message, "out of range %lld..%lld, got %lld",
                 (long long)min, (long long)max, (long long)v);
        luaL_argerror(L, arg, message);
    }
    return v;
}

lua_Integer class_opt_range(lua_State *L, int arg, lua_Integer def,
                            lua_Integer min, lua_Integer max)
{
    if (lua_isnoneornil(L, arg))
        return def;
    return class_check_range(L, arg, min, max);
}

int class_opt_boolean(lua_State *L, int arg, int def)
{
    if (lua_isnoneornil(L, arg))
        return def;
    luaL_checktype(L, arg, LUA_TBOOLEAN);
    return lua_toboolean(L, arg);
}

void class_read_options(lua_State *L, int arg, class_option_reader read, void *ctx)
{
    if (lua_isnoneornil(L, arg))
        return;
    luaL_checktype(L, arg, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, arg) != 0) {
        read(L, arg, lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "", ctx);
        lua_pop(L, 1);
    }
}
