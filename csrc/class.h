/*
 * class.h - one helper that registers every userdata class, and the small
 * argument checkers every class uses.
 *
 * A class has a metatable named "enetconnection.<Name>" holding __name,
 * __metatable, __index (the methods table), __tostring, __gc and __close.
 * A class whose methods are hot (ENetConnection, ENetPacketPeer) starts its
 * userdata with a pointer to its metatable name, a unique object of this
 * module, so that class_check can recognise it without any table lookup.
 */
#ifndef ENETCONNECTION_CLASS_H
#define ENETCONNECTION_CLASS_H

#include "compat.h"

typedef struct class_def {
    const char *metatable_name;   /* "enetconnection.ENetConnection" */
    const luaL_Reg *methods;      /* instance methods */
    const luaL_Reg *metamethods;  /* __gc, __close, __tostring, ... */
} class_def;

/* Creates the metatable and leaves the methods table on the stack; the
 * caller adds constants and static functions to it and stores it in the
 * module table. */
void class_register(lua_State *L, const class_def *def);

/* luaL_checkudata(L, idx, tname) for a class whose userdata starts with
 * `const char *class_name`, set to tname (the address of the class's
 * metatable name object, not a copy of the string): two API calls and a
 * pointer compare. Only this module's objects of that class hold that
 * address there; anything else, and the error, goes to luaL_checkudata.
 * (lua_rawlen is 0 for a light userdata, so its memory is never read.) */
static inline void *class_check(lua_State *L, int idx, const char *tname)
{
    void *p = lua_touserdata(L, idx);
    if (p != NULL && compat_rawlen(L, idx) >= sizeof(const char *) &&
        *(const char *const *)p == tname)
        return p;
    return luaL_checkudata(L, idx, tname);
}

/* Adds `methods` to the class table module[class_name] (the module table
 * on top of the stack; the class's part must have run): how a module part
 * adds methods to a class another part made. */
void class_add_methods(lua_State *L, const char *class_name, const luaL_Reg *methods);

/* Sets t[name] = value for the table on top of the stack (constants). */
void class_set_int(lua_State *L, const char *name, lua_Integer value);

/* Integer argument within [min, max], or a Lua error naming the argument. */
lua_Integer class_check_range(lua_State *L, int arg, lua_Integer min,
                              lua_Integer max);
lua_Integer class_opt_range(lua_State *L, int arg, lua_Integer def,
                            lua_Integer min, lua_Integer max);

/* Optional boolean: absent or nil -> def; otherwise must be a boolean. */
int class_opt_boolean(lua_State *L, int arg, int def);

/* An options table at `arg`: absent or nil is none, anything else but a
 * table raises. Calls read(L, arg, name, ctx) for each field with its
 * value on top ("" as the name of a key that is not a string); `read`
 * checks and stores it, or raises naming `arg`, and leaves the stack as
 * it found it. */
typedef void (*class_option_reader)(lua_State *L, int arg, const char *name, void *ctx);
void class_read_options(lua_State *L, int arg, class_option_reader read, void *ctx);

#endif
