/*
 * compat.h - the only place that knows Lua version differences.
 *
 * Supported: Lua 5.1, 5.2, 5.3, 5.4 and LuaJIT 2.1 (which reports 501 but
 * has luaL_setfuncs, luaL_testudata, luaL_setmetatable and lua_tointegerx).
 */
#ifndef ENETCONNECTION_COMPAT_H
#define ENETCONNECTION_COMPAT_H

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include <stdint.h>

/* LuaJIT reports LUA_VERSION_NUM 501; only its lualib.h names the jit library. */
#if LUA_VERSION_NUM == 501 && defined(LUA_JITLIBNAME)
#define COMPAT_LUAJIT 1
#else
#define COMPAT_LUAJIT 0
#endif

#if LUA_VERSION_NUM == 501 && !COMPAT_LUAJIT
/* Plain Lua 5.1 lacks these three auxiliary functions. */
static inline void compat_setfuncs(lua_State *L, const luaL_Reg *l, int nup)
{
    luaL_checkstack(L, nup, "too many upvalues");
    for (; l->name != NULL; l++) {
        for (int i = 0; i < nup; i++)
            lua_pushvalue(L, -nup);
        lua_pushcclosure(L, l->func, nup);
        lua_setfield(L, -(nup + 2), l->name);
    }
    lua_pop(L, nup);
}
#define luaL_setfuncs compat_setfuncs

static inline void *compat_testudata(lua_State *L, int idx, const char *tname)
{
    void *p = lua_touserdata(L, idx);
    if (p == NULL || !lua_getmetatable(L, idx))
        return NULL;
    luaL_getmetatable(L, tname);
    int same = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    return same ? p : NULL;
}
#define luaL_testudata compat_testudata

static inline void compat_setmetatable(lua_State *L, const char *tname)
{
    luaL_getmetatable(L, tname);
    lua_setmetatable(L, -2);
}
#define luaL_setmetatable compat_setmetatable

/* lua_tointegerx is 5.2+ (LuaJIT 2.1 has it); as there, ok is whether the
 * value is a number or a string convertible to one. */
static inline lua_Integer compat_tointegerx(lua_State *L, int idx, int *ok)
{
    *ok = lua_isnumber(L, idx);
    return lua_tointeger(L, idx);
}
#define lua_tointegerx compat_tointegerx
#endif

/*
 * User values. Every userdata of ours carries one table as its user value
 * (Lua 5.1 requires a table there: it is the environment).
 *   compat_newuserdata(L, size): pushes a new userdata with room for one
 *                                user value.
 *   compat_setuservalue(L, idx): pops a table and makes it idx's user value.
 *   compat_getuservalue(L, idx): pushes idx's user value.
 */
#if LUA_VERSION_NUM >= 504
#define compat_newuserdata(L, size) lua_newuserdatauv((L), (size), 1)
#define compat_setuservalue(L, idx) ((void)lua_setiuservalue((L), (idx), 1))
#define compat_getuservalue(L, idx) ((void)lua_getiuservalue((L), (idx), 1))
#elif LUA_VERSION_NUM >= 502
#define compat_newuserdata(L, size) lua_newuserdata((L), (size))
#define compat_setuservalue(L, idx) lua_setuservalue((L), (idx))
#define compat_getuservalue(L, idx) lua_getuservalue((L), (idx))
#else
#define compat_newuserdata(L, size) lua_newuserdata((L), (size))
#define compat_setuservalue(L, idx) ((void)lua_setfenv((L), (idx)))
#define compat_getuservalue(L, idx) lua_getfenv((L), (idx))
#endif

/* lua_absindex is 5.2+ (and absent from LuaJIT 2.1). */
#if LUA_VERSION_NUM == 501
#define lua_absindex(L, i) \
    ((i) > 0 || (i) <= LUA_REGISTRYINDEX ? (i) : lua_gettop(L) + (i) + 1)
#endif

/* Length of a table or string without metamethods. */
#if LUA_VERSION_NUM >= 502
#define compat_rawlen(L, idx) lua_rawlen((L), (idx))
#else
#define compat_rawlen(L, idx) lua_objlen((L), (idx))
#endif

/* True when the number at idx has an integer representation (5.3+ subtype;
 * on 5.1/5.2/LuaJIT every number is a double). */
#if LUA_VERSION_NUM >= 503
#define compat_isinteger(L, idx) lua_isinteger((L), (idx))
#else
static inline int compat_isinteger(lua_State *L, int idx)
{
    (void)L;
    (void)idx;
    return 0;
}
#endif

/*
 * Integers of up to 64 bits. 5.3+ has an integer subtype; 5.1, 5.2 and
 * LuaJIT only have doubles, where an integral value stands for an integer.
 *   compat_integer_kind(L, idx, &v): true when the number at idx is of
 *       integer kind (5.3+: the integer subtype; before: an integral double
 *       within int64); stores its value.
 *   compat_tointeger64(L, idx, &v): true when the number at idx has an exact
 *       int64 value, whatever its subtype (2.0 qualifies, 2.5 does not).
 *   compat_pushint64(L, v): pushes v (as the nearest double before 5.3).
 * Neither predicate converts strings: the value must be a number.
 */
#define COMPAT_TWO_POW_63 9223372036854775808.0

static inline int compat_double_is_int64(double d, int64_t *out)
{
    if (!(d >= -COMPAT_TWO_POW_63 && d < COMPAT_TWO_POW_63) || d != (double)(int64_t)d)
        return 0;
    *out = (int64_t)d;
    return 1;
}

#if LUA_VERSION_NUM >= 503
static inline int compat_integer_kind(lua_State *L, int idx, int64_t *out)
{
    if (!lua_isinteger(L, idx))
        return 0;
    *out = (int64_t)lua_tointeger(L, idx);
    return 1;
}

static inline int compat_tointeger64(lua_State *L, int idx, int64_t *out)
{
    if (lua_type(L, idx) != LUA_TNUMBER)
        return 0;
    if (lua_isinteger(L, idx)) {
        *out = (int64_t)lua_tointeger(L, idx);
        return 1;
    }
    return compat_double_is_int64((double)lua_tonumber(L, idx), out);
}

#define compat_pushint64(L, v) lua_pushinteger((L), (lua_Integer)(v))
#else
static inline int compat_integer_kind(lua_State *L, int idx, int64_t *out)
{
    if (lua_type(L, idx) != LUA_TNUMBER)
        return 0;
    return compat_double_is_int64((double)lua_tonumber(L, idx), out);
}

#define compat_tointeger64 compat_integer_kind
#define compat_pushint64(L, v) lua_pushnumber((L), (lua_Number)(v))
#endif

/*
 * Heap bytes of Lua objects on 64-bit builds (less on 32-bit), for the
 * Variant decoder's memory budget (variant_budget.c): a table's fixed part,
 * one hash node, one array slot. From each version's Table, Node and TValue.
 */
#if COMPAT_LUAJIT
#define COMPAT_TABLE_BYTES 64
#define COMPAT_NODE_BYTES 24
#define COMPAT_SLOT_BYTES 8
#elif LUA_VERSION_NUM == 501
#define COMPAT_TABLE_BYTES 64
#define COMPAT_NODE_BYTES 40
#define COMPAT_SLOT_BYTES 16
#elif LUA_VERSION_NUM == 502
#define COMPAT_TABLE_BYTES 56
#define COMPAT_NODE_BYTES 40
#define COMPAT_SLOT_BYTES 16
#elif LUA_VERSION_NUM == 503
#define COMPAT_TABLE_BYTES 56
#define COMPAT_NODE_BYTES 32
#define COMPAT_SLOT_BYTES 16
#else
#define COMPAT_TABLE_BYTES 56
#define COMPAT_NODE_BYTES 24
#define COMPAT_SLOT_BYTES 16
#endif

#endif
