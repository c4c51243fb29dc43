/*
 * class.h - one helper that registers every userdata class, and the small
 * argument checkers every class uses.
 *
 * A class has a metatable named "enetconnection.<Name>" holding __name,
 * __index (the methods table, or a custom function that receives the
 * methods table as upvalue 1), __tostring, __gc, __close and the methods.
 */
#ifndef ENETCONNECTION_CLASS_H
#define ENETCONNECTION_CLASS_H

#include "compat.h"

typedef struct class_def {
    const char *metatable_name;   /* "enetconnection.ENetConnection" */
    const luaL_Reg *methods;      /* instance methods */
    const luaL_Reg *metamethods;  /* __gc, __close, __tostring, ... */
    lua_CFunction index;          /* NULL: __index is the methods table */
} class_def;

/* Creates the metatable and leaves the methods table on the stack; the
 * caller adds constants and static functions to it and stores it in the
 * module table. */
void class_register(lua_State *L, const class_def *def);

/* Sets t[name] = value for the table on top of the stack (constants). */
void class_set_int(lua_State *L, const char *name, lua_Integer value);

/* Integer argument within [min, max], or a Lua error naming the argument. */
lua_Integer class_check_range(lua_State *L, int arg, lua_Integer min,
                              lua_Integer max);
lua_Integer class_opt_range(lua_State *L, int arg, lua_Integer def,
                            lua_Integer min, lua_Integer max);

/* Optional boolean: absent or nil -> def; otherwise must be a boolean. */
int class_opt_boolean(lua_State *L, int arg, int def);

#endif
