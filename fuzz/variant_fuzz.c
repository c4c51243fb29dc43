/*
 * variant_fuzz.c - libFuzzer target of the Variant decoder (Lua 5.4).
 *
 * Each input is decoded in Godot 4 mode and in Godot 3 mode. Whatever the
 * bytes, decoding must return a value or a Godot error code without
 * crashing, and the Lua heap must grow by less than the memory budget
 * (variant_budget.h). When it returns a value V1, the round trip must be consistent:
 * encoding V1 must not raise, its bytes must decode to V2, and V2 must
 * encode to bytes of the same length that decode to a V3 structurally equal
 * to V2 (V1 itself may differ from V2: 64-bit vectors are re-encoded as
 * 32-bit, a StringName becomes a String, NodePath names are re-parsed).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "errors.h"
#include "variant.h"
#include "variant_budget.h"

static lua_State *L;

/* same(a, b): deep equality with number kinds, NaN == NaN, metatables, and
 * table keys matched structurally. */
static const char same_source[] =
    "local same\n"
    "local function find_key(t, k, v)\n"
    "  for k2, v2 in pairs(t) do\n"
    "    if type(k2) == 'table' and same(k, k2) and same(v, v2) then return true end\n"
    "  end\n"
    "  return false\n"
    "end\n"
    "same = function(a, b)\n"
    "  if type(a) ~= type(b) then return false end\n"
    "  if type(a) == 'number' then\n"
    "    if math.type(a) ~= math.type(b) then return false end\n"
    "    return a == b or (a ~= a and b ~= b)\n"
    "  end\n"
    "  if type(a) ~= 'table' then return a == b end\n"
    "  if getmetatable(a) ~= getmetatable(b) then return false end\n"
    "  local n = 0\n"
    "  for k, v in pairs(a) do\n"
    "    n = n + 1\n"
    "    if type(k) == 'table' then\n"
    "      if not find_key(b, k, v) then return false end\n"
    "    elseif not same(v, rawget(b, k)) then return false end\n"
    "  end\n"
    "  for _ in pairs(b) do n = n - 1 end\n"
    "  return n == 0\n"
    "end\n"
    "return same\n";

static int same_ref;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    L = luaL_newstate();
    luaL_openlibs(L);
    if (luaL_loadstring(L, same_source) != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK) {
        fprintf(stderr, "variant_fuzz: %s\n", lua_tostring(L, -1));
        abort();
    }
    same_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

static void finding(const char *what)
{
    fprintf(stderr, "variant_fuzz: %s\n", what);
    abort();
}

/* encode(value, godot3) -> bytes, run under pcall: it must not raise. */
static int encode(lua_State *S)
{
    variant_options opt = { lua_toboolean(S, 2), 0 };
    variant_push_bytes(S, 1, &opt);
    return 1;
}

/* Pops a value; pushes its encoding, or aborts when encoding raises. */
static void encode_top(int godot3)
{
    lua_pushcfunction(L, encode);
    lua_insert(L, -2);
    lua_pushboolean(L, godot3);
    if (lua_pcall(L, 2, 1, 0) != LUA_OK)
        finding(lua_tostring(L, -1));
}

/* Pushes the decoded string at idx, or aborts when it does not decode. */
static void decode_again(int idx, const variant_options *opt)
{
    variant_status st;
    size_t len;
    const char *bytes = lua_tolstring(L, idx, &len);
    if (variant_push_value(L, bytes, len, opt, &st) != GD_OK) {
        fprintf(stderr, "variant_fuzz: re-decoding failed: %s at %zu\n", st.reason, st.offset);
        abort();
    }
}

static size_t heap_bytes(void)
{
    return (size_t)lua_gc(L, LUA_GCCOUNT, 0) * 1024 + (size_t)lua_gc(L, LUA_GCCOUNTB, 0);
}

static void round_trip(const uint8_t *data, size_t size, int godot3)
{
    variant_options opt = { godot3, 0 };
    variant_status st;
    int base = lua_gettop(L);
    lua_gc(L, LUA_GCSTOP, 0);
    size_t before = heap_bytes();
    int code = variant_push_value(L, (const char *)data, size, &opt, &st);
    size_t after = heap_bytes();
    lua_gc(L, LUA_GCRESTART, 0);
    if (after > before && after - before >= variant_decode_budget(size))
        finding("decoding grew the Lua heap beyond the budget");
    if (code != GD_OK) {
        if (code != st.code || st.reason == NULL || st.offset > size || lua_gettop(L) != base)
            finding("inconsistent failure report");
        return;
    }
    if (lua_gettop(L) != base + 1)
        finding("decoding pushed more than one value");

    encode_top(godot3);          /* base+1: bytes1 */
    decode_again(base + 1, &opt); /* base+2: V2 */
    lua_pushvalue(L, base + 2);
    encode_top(godot3);          /* base+3: bytes2 */
    decode_again(base + 3, &opt); /* base+4: V3 */
    if (lua_rawlen(L, base + 1) != lua_rawlen(L, base + 3))
        finding("re-encoding changed the length");
    lua_rawgeti(L, LUA_REGISTRYINDEX, same_ref);
    lua_pushvalue(L, base + 2);
    lua_pushvalue(L, base + 4);
    if (lua_pcall(L, 2, 1, 0) != LUA_OK)
        finding(lua_tostring(L, -1));
    if (!lua_toboolean(L, -1))
        finding("decode(encode(V2)) differs from V2");
    lua_settop(L, base);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    round_trip(data, size, 0);
    round_trip(data, size, 1);
    return 0;
}
