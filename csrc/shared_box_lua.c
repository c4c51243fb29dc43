/*
 * shared_box_lua.c - userdata holding a shared value (see shared_box_lua.h).
 */
#include "shared_box_lua.h"

#include "shared_value.h"

#include "visibility.h" /* last: hides what this file defines */

shared_box *shared_box_push(lua_State *L, const char *metatable)
{
    shared_box *box = lua_newuserdata(L, sizeof *box);
    box->value = NULL;
    luaL_setmetatable(L, metatable);
    return box;
}

void shared_box_push_shared(lua_State *L, const char *metatable, void *value)
{
    if (value == NULL) {
        lua_pushnil(L);
        return;
    }
    shared_box_push(L, metatable)->value = shared_value_retain(value);
}

shared_box *shared_box_check(lua_State *L, int arg, const char *metatable,
                             const char *type_name)
{
    shared_box *box = luaL_testudata(L, arg, metatable);
    if (box == NULL) {
        lua_pushfstring(L, "%s expected, got %s", type_name, luaL_typename(L, arg));
        luaL_argerror(L, arg, lua_tostring(L, -1));
    }
    return box;
}

void shared_box_set(shared_box *box, void *value)
{
    shared_value_release(box->value);
    box->value = value;
}
