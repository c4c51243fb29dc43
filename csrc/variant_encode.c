/*
 * variant_encode.c - Lua value -> Godot Variant bytes: the walk over values,
 * tables and containers, and the byte writer. Tagged Godot types are in
 * variant_encode_tagged.c.
 *
 * The bytes grow in a Lua userdata kept at a fixed stack slot (replaced by a
 * larger one when full), so a Lua error raised anywhere in the walk leaves
 * nothing to free. Tables are read with raw accesses only: no metamethod
 * runs, and the walk cannot change what it walks.
 */
#include "variant_encoder.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"
#include "variant_types.h"

#include "visibility.h" /* last: hides what this file defines */

/* ---- errors ------------------------------------------------------------- */

static void path_append(char *out, size_t size, lua_State *L, const path_step *s)
{
    if (s == NULL) {
        snprintf(out, size, "value");
        return;
    }
    path_append(out, size, L, s->parent);
    size_t used = strlen(out);
    if (used + 1 >= size)
        return;
    out += used;
    size -= used;
    if (s->field != NULL) {
        snprintf(out, size, ".%s", s->field);
    } else if (s->key_slot == 0) {
        snprintf(out, size, "[%lld]", (long long)s->index);
    } else if (lua_type(L, s->key_slot) == LUA_TSTRING) {
        snprintf(out, size, "[\"%s\"]", lua_tostring(L, s->key_slot));
    } else if (lua_type(L, s->key_slot) == LUA_TNUMBER) {
        snprintf(out, size, "[%.17g]", (double)lua_tonumber(L, s->key_slot));
    } else {
        snprintf(out, size, "[<%s key>]", luaL_typename(L, s->key_slot));
    }
}

void encoder_fail(encoder *e, const path_step *at, const char *fmt, ...)
{
    char what[160], where[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    where[0] = '\0';
    path_append(where, sizeof where, e->L, at);
    lua_pushfstring(e->L, "cannot encode as a Godot Variant: %s (at %s)", what, where);
    lua_error(e->L);
    __builtin_unreachable(); /* lua_error longjmps; its prototype does not say so */
}

/* ---- output ------------------------------------------------------------- */

static unsigned char *reserve(encoder *e, size_t n, const path_step *at)
{
    if (e->cap - e->len < n) {
        if (n > VARIANT_MAX_COUNT - e->len)
            encoder_fail(e, at, "the encoding would exceed 2 GiB");
        size_t cap = e->cap * 2;
        if (cap < e->len + n)
            cap = e->len + n;
        unsigned char *bigger = lua_newuserdata(e->L, cap);
        memcpy(bigger, e->data, e->len);
        lua_replace(e->L, e->buffer_slot); /* the old block becomes garbage */
        e->data = bigger;
        e->cap = cap;
    }
    unsigned char *p = e->data + e->len;
    e->len += n;
    return p;
}

static void store_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

void encoder_put_u32(encoder *e, uint32_t v, const path_step *at)
{
    store_u32(reserve(e, 4, at), v);
}

void encoder_put_u64(encoder *e, uint64_t v, const path_step *at)
{
    unsigned char *p = reserve(e, 8, at);
    store_u32(p, (uint32_t)v);
    store_u32(p + 4, (uint32_t)(v >> 32));
}

void encoder_put_f32(encoder *e, double d, const path_step *at)
{
    float f = (float)d; /* IEEE: out of range becomes infinity */
    uint32_t bits;
    memcpy(&bits, &f, 4);
    encoder_put_u32(e, bits, at);
}

void encoder_put_f64(encoder *e, double d, const path_step *at)
{
    uint64_t bits;
    memcpy(&bits, &d, 8);
    encoder_put_u64(e, bits, at);
}

void encoder_put_bytes(encoder *e, const char *s, size_t len, size_t extra,
                       const path_step *at)
{
    if (len > VARIANT_MAX_COUNT - extra)
        encoder_fail(e, at, "a string or byte array of %zu bytes exceeds Godot's limit", len);
    size_t total = len + extra;
    size_t padded = (total + 3) & ~(size_t)3;
    encoder_put_u32(e, (uint32_t)total, at);
    unsigned char *p = reserve(e, padded, at);
    memcpy(p, s, len);
    memset(p + len, 0, padded - len);
}

void encoder_check_utf8(encoder *e, const char *s, size_t len, const path_step *at)
{
    size_t valid = utf8_valid_prefix(s, len, e->opt->godot3 ? UTF8_GODOT3 : UTF8_STRICT);
    if (valid != len)
        encoder_fail(e, at,
                     "a string not valid UTF-8 at byte %zu cannot be a Godot String "
                     "(send bytes as enet.PackedByteArray(s))",
                     valid + 1);
}

void encoder_put_string(encoder *e, const char *s, size_t len, size_t extra,
                        const path_step *at)
{
    encoder_check_utf8(e, s, len, at);
    encoder_put_bytes(e, s, len, extra, at);
}

void encoder_put_header(encoder *e, int type, uint32_t flags, const path_step *at)
{
    int id = type;
    if (e->opt->godot3) {
        id = variant_types[type].godot3_id;
        if (id < 0)
            encoder_fail(e, at, "%s does not exist in Godot 3", variant_types[type].name);
    }
    encoder_put_u32(e, (uint32_t)id | flags, at);
}

int encoder_push_field(lua_State *L, int t, const char *name)
{
    lua_pushstring(L, name);
    lua_rawget(L, t);
    return lua_type(L, -1);
}

/* ---- values and containers ---------------------------------------------- */

static void encode_value(encoder *e, int idx, int depth, const path_step *at);

static void put_number(encoder *e, int idx, const path_step *at)
{
    int64_t i;
    if (compat_integer_kind(e->L, idx, &i)) {
        if (i >= INT32_MIN && i <= INT32_MAX) {
            encoder_put_header(e, VT_INT, 0, at);
            encoder_put_u32(e, (uint32_t)(int32_t)i, at);
        } else {
            encoder_put_header(e, VT_INT, VH_FLAG_64, at);
            encoder_put_u64(e, (uint64_t)i, at);
        }
        return;
    }
    double d = (double)lua_tonumber(e->L, idx);
    float f = (float)d;
    if ((double)f == d) { /* false for NaN: Godot sends NaN as 64-bit too */
        encoder_put_header(e, VT_FLOAT, 0, at);
        encoder_put_f32(e, d, at);
    } else {
        encoder_put_header(e, VT_FLOAT, VH_FLAG_64, at);
        encoder_put_f64(e, d, at);
    }
}

/* Number of pairs in t, and whether its keys are exactly 1..n, n > 0. */
static size_t count_pairs(lua_State *L, int t, int *is_sequence)
{
    size_t n = 0;
    int64_t max = 0, k;
    *is_sequence = 1;
    lua_pushnil(L);
    while (lua_next(L, t) != 0) {
        n++;
        if (*is_sequence && compat_integer_kind(L, -2, &k) && k >= 1) {
            if (k > max)
                max = k;
        } else {
            *is_sequence = 0;
        }
        lua_pop(L, 1);
    }
    if (n == 0 || (int64_t)n != max)
        *is_sequence = 0;
    return n;
}

static void put_array(encoder *e, int t, size_t count, int depth, const path_step *at)
{
    if (count > VARIANT_MAX_COUNT)
        encoder_fail(e, at, "%zu elements exceed Godot's limit", count);
    encoder_put_header(e, VT_ARRAY, 0, at);
    encoder_put_u32(e, (uint32_t)count, at);
    for (size_t i = 1; i <= count; i++) {
        path_step step = { at, NULL, 0, (lua_Integer)i };
        lua_rawgeti(e->L, t, (int)i);
        encode_value(e, lua_gettop(e->L), depth + 1, &step);
        lua_pop(e->L, 1);
    }
}

static void put_dictionary(encoder *e, int t, int depth, const path_step *at)
{
    lua_State *L = e->L;
    encoder_put_header(e, VT_DICTIONARY, 0, at);
    size_t count_at = e->len, count = 0;
    encoder_put_u32(e, 0, at); /* patched below: the data may move meanwhile */
    lua_pushnil(L);
    while (lua_next(L, t) != 0) {
        int key = lua_gettop(L) - 1;
        path_step key_step = { at, "<key>", 0, 0 };
        path_step value_step = { at, NULL, key, 0 };
        encode_value(e, key, depth + 1, &key_step);
        encode_value(e, key + 1, depth + 1, &value_step);
        lua_pop(L, 1);
        count++;
    }
    store_u32(e->data + count_at, (uint32_t)count);
}

static void encode_table(encoder *e, int t, int depth, const path_step *at)
{
    lua_State *L = e->L;
    int marked_array = 0, marked_dict = 0;
    luaL_checkstack(L, 6, "Variant encoding");
    if (lua_getmetatable(L, t)) {
        marked_array = lua_rawequal(L, -1, e->array_mt);
        marked_dict = lua_rawequal(L, -1, e->dict_mt);
        lua_pop(L, 1);
    }
    if (!marked_array && !marked_dict) {
        if (encoder_push_field(L, t, VARIANT_TAG_KEY) == LUA_TSTRING) {
            size_t len;
            const char *tag = lua_tolstring(L, -1, &len);
            int type = variant_type_from_tag(tag, len);
            if (type < 0)
                encoder_fail(e, at, "unknown Godot type tag \"%s\"", tag);
            lua_pop(L, 1);
            encoder_put_tagged(e, t, type, at);
            return;
        }
        lua_pop(L, 1);
    }

    lua_pushvalue(L, t);
    lua_rawget(L, e->visiting);
    if (lua_toboolean(L, -1))
        encoder_fail(e, at, "the table contains itself (a cycle)");
    lua_pop(L, 1);
    lua_pushvalue(L, t);
    lua_pushboolean(L, 1);
    lua_rawset(L, e->visiting);

    if (marked_array) {
        put_array(e, t, compat_rawlen(L, t), depth, at);
    } else if (marked_dict) {
        put_dictionary(e, t, depth, at);
    } else {
        int is_sequence;
        size_t n = count_pairs(L, t, &is_sequence);
        if (is_sequence)
            put_array(e, t, n, depth, at);
        else
            put_dictionary(e, t, depth, at); /* also the empty table */
    }

    lua_pushvalue(L, t);
    lua_pushnil(L);
    lua_rawset(L, e->visiting);
}

static void encode_value(encoder *e, int idx, int depth, const path_step *at)
{
    lua_State *L = e->L;
    if (depth > VARIANT_MAX_DEPTH)
        encoder_fail(e, at, "nesting deeper than %d levels", VARIANT_MAX_DEPTH);
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        encoder_put_header(e, VT_NIL, 0, at);
        break;
    case LUA_TBOOLEAN:
        encoder_put_header(e, VT_BOOL, 0, at);
        encoder_put_u32(e, lua_toboolean(L, idx) ? 1 : 0, at);
        break;
    case LUA_TNUMBER:
        put_number(e, idx, at);
        break;
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        encoder_put_header(e, VT_STRING, 0, at);
        encoder_put_string(e, s, len, 0, at);
        break;
    }
    case LUA_TTABLE:
        encode_table(e, idx, depth, at);
        break;
    case LUA_TLIGHTUSERDATA:
        if (variant_is_null(L, idx)) {
            encoder_put_header(e, VT_NIL, 0, at);
            break;
        }
        /* fall through */
    default:
        encoder_fail(e, at, "a %s has no Godot equivalent", luaL_typename(L, idx));
    }
}

void variant_push_bytes(lua_State *L, int idx, const variant_options *opt)
{
    static const variant_options defaults;
    encoder e;
    idx = lua_absindex(L, idx);
    luaL_checkstack(L, 8, "Variant encoding");
    e.L = L;
    e.opt = opt != NULL ? opt : &defaults;
    e.cap = 64;
    e.len = 0;
    e.data = lua_newuserdata(L, e.cap);
    e.buffer_slot = lua_gettop(L);
    variant_push_markers(L);
    e.array_mt = e.buffer_slot + 1;
    e.dict_mt = e.buffer_slot + 2;
    lua_newtable(L);
    e.visiting = e.buffer_slot + 3;

    encode_value(&e, idx, 0, NULL);

    lua_pushlstring(L, (const char *)e.data, e.len);
    lua_replace(L, e.buffer_slot);
    lua_settop(L, e.buffer_slot);
}
