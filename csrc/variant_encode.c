/*
 * variant_encode.c - Lua value -> Godot Variant bytes.
 *
 * The bytes grow in a Lua userdata kept at a fixed stack slot (replaced by a
 * larger one when full), so a Lua error raised anywhere in the walk leaves
 * nothing to free. Tables are read with raw accesses only: no metamethod
 * runs, and the walk cannot change what it walks.
 */
#include "variant.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "variant_types.h"

/* One step of the path from the encoded value to the item being encoded,
 * kept in the C frames of the walk and only read to word an error. */
typedef struct path_step {
    const struct path_step *parent;
    const char *field; /* ".field", or NULL */
    int key_slot;      /* stack slot of a dictionary key, or 0 */
    lua_Integer index; /* array index when field and key_slot are unset */
} path_step;

typedef struct encoder {
    lua_State *L;
    const variant_options *opt;
    int buffer_slot, array_mt, dict_mt, visiting; /* stack slots */
    unsigned char *data;
    size_t len, cap;
} encoder;

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

static void encode_fail(encoder *e, const path_step *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));

static void encode_fail(encoder *e, const path_step *at, const char *fmt, ...)
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
            encode_fail(e, at, "the encoding would exceed 2 GiB");
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

static void put_u32(encoder *e, uint32_t v, const path_step *at)
{
    store_u32(reserve(e, 4, at), v);
}

static void put_u64(encoder *e, uint64_t v, const path_step *at)
{
    unsigned char *p = reserve(e, 8, at);
    store_u32(p, (uint32_t)v);
    store_u32(p + 4, (uint32_t)(v >> 32));
}

static void put_f32(encoder *e, double d, const path_step *at)
{
    float f = (float)d; /* IEEE: out of range becomes infinity */
    uint32_t bits;
    memcpy(&bits, &f, 4);
    put_u32(e, bits, at);
}

static void put_f64(encoder *e, double d, const path_step *at)
{
    uint64_t bits;
    memcpy(&bits, &d, 8);
    put_u64(e, bits, at);
}

/* u32 length, the bytes, then `extra` zero bytes plus padding to 4. */
static void put_bytes(encoder *e, const char *s, size_t len, size_t extra,
                      const path_step *at)
{
    if (len > VARIANT_MAX_COUNT - extra)
        encode_fail(e, at, "a string or byte array of %zu bytes exceeds Godot's limit", len);
    size_t total = len + extra;
    size_t padded = (total + 3) & ~(size_t)3;
    put_u32(e, (uint32_t)total, at);
    unsigned char *p = reserve(e, padded, at);
    memcpy(p, s, len);
    memset(p + len, 0, padded - len);
}

static void put_header(encoder *e, int type, uint32_t flags, const path_step *at)
{
    int id = type;
    if (e->opt->godot3) {
        id = variant_types[type].godot3_id;
        if (id < 0)
            encode_fail(e, at, "%s does not exist in Godot 3", variant_types[type].name);
    }
    put_u32(e, (uint32_t)id | flags, at);
}

/* ---- reading Lua fields ------------------------------------------------- */

/* Pushes t[name] (raw). */
static int push_field(lua_State *L, int t, const char *name)
{
    lua_pushstring(L, name);
    lua_rawget(L, t);
    return lua_type(L, -1);
}

static int64_t field_int64(encoder *e, int t, const char *name, const path_step *at)
{
    path_step step = { at, name, 0, 0 };
    int64_t v;
    push_field(e->L, t, name);
    if (!compat_tointeger64(e->L, -1, &v))
        encode_fail(e, &step, "expected an integer, got %s", luaL_typename(e->L, -1));
    lua_pop(e->L, 1);
    return v;
}

/* Pushes the string t[name] and returns it. */
static const char *field_string(encoder *e, int t, const char *name, size_t *len,
                                const path_step *at)
{
    path_step step = { at, name, 0, 0 };
    if (push_field(e->L, t, name) != LUA_TSTRING)
        encode_fail(e, &step, "expected a string, got %s", luaL_typename(e->L, -1));
    return lua_tolstring(e->L, -1, len);
}

/* ---- math types --------------------------------------------------------- */

/* Number at idx as a component of kind `kind`. */
static double component(encoder *e, int idx, int kind, const path_step *at)
{
    lua_State *L = e->L;
    if (lua_type(L, idx) != LUA_TNUMBER)
        encode_fail(e, at, "expected a number, got %s", luaL_typename(L, idx));
    if (kind == SHAPE_INT32) {
        int64_t v;
        if (!compat_tointeger64(L, idx, &v) || v < INT32_MIN || v > INT32_MAX)
            encode_fail(e, at, "expected an integer within int32, got %.17g",
                        (double)lua_tonumber(L, idx));
        return (double)v;
    }
    return (double)lua_tonumber(L, idx);
}

/* Collects the components of the shape table at idx in natural order. */
static void gather(encoder *e, int idx, const variant_shape *s, int kind,
                   double *comps, int *n, const path_step *at)
{
    lua_State *L = e->L;
    luaL_checkstack(L, 4, "Variant encoding");
    int tag_type = push_field(L, idx, VARIANT_TAG_KEY);
    if (tag_type == LUA_TSTRING) {
        size_t len;
        const char *tag = lua_tolstring(L, -1, &len);
        if (strlen(s->tag) != len || memcmp(tag, s->tag, len) != 0)
            encode_fail(e, at, "expected a %s, got a table tagged %s", s->tag, tag);
    } else if (tag_type != LUA_TNIL) {
        encode_fail(e, at, "expected a %s, got a %s tag", s->tag, luaL_typename(L, -1));
    }
    lua_pop(L, 1);
    for (int f = 0; f < s->nfields; f++) {
        path_step step = { at, s->fields[f].name, 0, 0 };
        int type = push_field(L, idx, s->fields[f].name);
        if (s->fields[f].sub != NULL) {
            if (type != LUA_TTABLE)
                encode_fail(e, &step, "expected a %s table, got %s", s->fields[f].sub->tag,
                            luaL_typename(L, -1));
            gather(e, lua_gettop(L), s->fields[f].sub, kind, comps, n, &step);
        } else {
            comps[(*n)++] = component(e, -1, kind, &step);
        }
        lua_pop(L, 1);
    }
}

static int shape_is_wide(const encoder *e, const variant_shape *s)
{
    return s->kind == SHAPE_REAL && e->opt->double_precision && !e->opt->godot3;
}

/* Writes the components of the shape table at idx (no header). */
static void put_shape(encoder *e, int idx, const variant_shape *s, const path_step *at)
{
    double comps[SHAPE_MAX_COMPONENTS];
    int n = 0;
    gather(e, idx, s, s->kind, comps, &n, at);
    for (int i = 0; i < s->components; i++) {
        double c = comps[s->wire_order != NULL ? s->wire_order[i] : i];
        if (s->kind == SHAPE_INT32)
            put_u32(e, (uint32_t)(int32_t)c, at);
        else if (shape_is_wide(e, s))
            put_f64(e, c, at);
        else
            put_f32(e, c, at);
    }
}

/* ---- tagged types ------------------------------------------------------- */

/* NodePath from its text: "/" first = absolute, names split by "/", then
 * subnames each after a ":"; empty segments are skipped. */
static void put_node_path(encoder *e, const char *s, size_t len, const path_step *at)
{
    size_t colon = 0;
    while (colon < len && s[colon] != ':')
        colon++;
    uint32_t counts[2] = { 0, 0 };
    for (int part = 0; part < 2; part++) {
        size_t from = part == 0 ? 0 : colon, to = part == 0 ? colon : len;
        char sep = part == 0 ? '/' : ':';
        for (size_t i = from; i < to;) {
            size_t j = i;
            while (j < to && s[j] != sep)
                j++;
            if (j > i)
                counts[part]++;
            i = j + 1;
        }
    }
    put_header(e, VT_NODE_PATH, 0, at);
    put_u32(e, counts[0] | 0x80000000u, at);
    put_u32(e, counts[1], at);
    put_u32(e, len > 0 && s[0] == '/' ? 1 : 0, at);
    for (int part = 0; part < 2; part++) {
        size_t from = part == 0 ? 0 : colon, to = part == 0 ? colon : len;
        char sep = part == 0 ? '/' : ':';
        for (size_t i = from; i < to;) {
            size_t j = i;
            while (j < to && s[j] != sep)
                j++;
            if (j > i)
                put_bytes(e, s + i, j - i, 0, at);
            i = j + 1;
        }
    }
}

static void put_packed_element(encoder *e, int idx, const variant_type_info *info,
                               const path_step *at)
{
    lua_State *L = e->L;
    int64_t v;
    switch (info->packed) {
    case PE_INT32:
    case PE_INT64:
        if (!compat_tointeger64(L, idx, &v))
            encode_fail(e, at, "expected an integer, got %s", luaL_typename(L, idx));
        if (info->packed == PE_INT64) {
            put_u64(e, (uint64_t)v, at);
        } else {
            if (v < INT32_MIN || v > INT32_MAX)
                encode_fail(e, at, "%lld is outside int32", (long long)v);
            put_u32(e, (uint32_t)(int32_t)v, at);
        }
        break;
    case PE_FLOAT32:
    case PE_FLOAT64:
        if (lua_type(L, idx) != LUA_TNUMBER)
            encode_fail(e, at, "expected a number, got %s", luaL_typename(L, idx));
        if (info->packed == PE_FLOAT32)
            put_f32(e, (double)lua_tonumber(L, idx), at);
        else
            put_f64(e, (double)lua_tonumber(L, idx), at);
        break;
    case PE_STRING: {
        size_t len;
        if (lua_type(L, idx) != LUA_TSTRING)
            encode_fail(e, at, "expected a string, got %s", luaL_typename(L, idx));
        const char *s = lua_tolstring(L, idx, &len);
        put_bytes(e, s, len, 1, at); /* Godot counts and sends a final NUL */
        break;
    }
    default: /* PE_SHAPE */
        if (lua_type(L, idx) != LUA_TTABLE)
            encode_fail(e, at, "expected a %s table, got %s", info->shape->tag,
                        luaL_typename(L, idx));
        put_shape(e, idx, info->shape, at);
        break;
    }
}

static void put_packed(encoder *e, int t, int type, const path_step *at)
{
    lua_State *L = e->L;
    const variant_type_info *info = &variant_types[type];
    if (info->packed == PE_BYTE) {
        size_t len;
        const char *s = field_string(e, t, "data", &len, at);
        put_header(e, type, 0, at);
        put_bytes(e, s, len, 0, at);
        lua_pop(L, 1);
        return;
    }
    size_t count = compat_rawlen(L, t);
    if (count > VARIANT_MAX_COUNT)
        encode_fail(e, at, "%zu elements exceed Godot's limit", count);
    int wide = info->packed == PE_SHAPE && shape_is_wide(e, info->shape);
    put_header(e, type, wide ? VH_FLAG_64 : 0, at);
    put_u32(e, (uint32_t)count, at);
    for (size_t i = 1; i <= count; i++) {
        path_step step = { at, NULL, 0, (lua_Integer)i };
        lua_rawgeti(L, t, (int)i);
        put_packed_element(e, lua_gettop(L), info, &step);
        lua_pop(L, 1);
    }
}

static void put_tagged(encoder *e, int t, int type, const path_step *at)
{
    lua_State *L = e->L;
    const variant_type_info *info = &variant_types[type];
    size_t len;
    const char *s;
    if (info->packed != PE_NONE) {
        put_packed(e, t, type, at);
        return;
    }
    if (info->shape != NULL) {
        put_header(e, type, shape_is_wide(e, info->shape) ? VH_FLAG_64 : 0, at);
        put_shape(e, t, info->shape, at);
        return;
    }
    switch (type) {
    case VT_STRING_NAME:
        s = field_string(e, t, "name", &len, at);
        put_header(e, type, 0, at);
        put_bytes(e, s, len, 0, at);
        lua_pop(L, 1);
        break;
    case VT_NODE_PATH:
        s = field_string(e, t, "path", &len, at);
        put_node_path(e, s, len, at);
        lua_pop(L, 1);
        break;
    case VT_RID: {
        int64_t id = field_int64(e, t, "id", at);
        put_header(e, type, 0, at);
        if (!e->opt->godot3) /* Godot 3 sends no RID payload */
            put_u64(e, (uint64_t)id, at);
        break;
    }
    case VT_OBJECT: {
        int64_t id = field_int64(e, t, "object_id", at);
        put_header(e, type, VH_FLAG_OBJECT_AS_ID, at);
        put_u64(e, (uint64_t)id, at);
        break;
    }
    case VT_CALLABLE: /* Godot sends a Callable as its bare header */
        put_header(e, type, 0, at);
        break;
    default: { /* VT_SIGNAL */
        int64_t id = field_int64(e, t, "object_id", at);
        s = field_string(e, t, "name", &len, at);
        put_header(e, type, 0, at);
        put_bytes(e, s, len, 0, at);
        put_u64(e, (uint64_t)id, at);
        lua_pop(L, 1);
        break;
    }
    }
}

/* ---- values and containers ---------------------------------------------- */

static void encode_value(encoder *e, int idx, int depth, const path_step *at);

static void put_number(encoder *e, int idx, const path_step *at)
{
    int64_t i;
    if (compat_integer_kind(e->L, idx, &i)) {
        if (i >= INT32_MIN && i <= INT32_MAX) {
            put_header(e, VT_INT, 0, at);
            put_u32(e, (uint32_t)(int32_t)i, at);
        } else {
            put_header(e, VT_INT, VH_FLAG_64, at);
            put_u64(e, (uint64_t)i, at);
        }
        return;
    }
    double d = (double)lua_tonumber(e->L, idx);
    float f = (float)d;
    if ((double)f == d) { /* false for NaN: Godot sends NaN as 64-bit too */
        put_header(e, VT_FLOAT, 0, at);
        put_f32(e, d, at);
    } else {
        put_header(e, VT_FLOAT, VH_FLAG_64, at);
        put_f64(e, d, at);
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
        encode_fail(e, at, "%zu elements exceed Godot's limit", count);
    put_header(e, VT_ARRAY, 0, at);
    put_u32(e, (uint32_t)count, at);
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
    put_header(e, VT_DICTIONARY, 0, at);
    size_t count_at = e->len, count = 0;
    put_u32(e, 0, at); /* patched below: the data may move meanwhile */
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
        if (push_field(L, t, VARIANT_TAG_KEY) == LUA_TSTRING) {
            size_t len;
            const char *tag = lua_tolstring(L, -1, &len);
            int type = variant_type_from_tag(tag, len);
            if (type < 0)
                encode_fail(e, at, "unknown Godot type tag \"%s\"", tag);
            lua_pop(L, 1);
            put_tagged(e, t, type, at);
            return;
        }
        lua_pop(L, 1);
    }

    lua_pushvalue(L, t);
    lua_rawget(L, e->visiting);
    if (lua_toboolean(L, -1))
        encode_fail(e, at, "the table contains itself (a cycle)");
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
        encode_fail(e, at, "nesting deeper than %d levels", VARIANT_MAX_DEPTH);
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        put_header(e, VT_NIL, 0, at);
        break;
    case LUA_TBOOLEAN:
        put_header(e, VT_BOOL, 0, at);
        put_u32(e, lua_toboolean(L, idx) ? 1 : 0, at);
        break;
    case LUA_TNUMBER:
        put_number(e, idx, at);
        break;
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        put_header(e, VT_STRING, 0, at);
        put_bytes(e, s, len, 0, at);
        break;
    }
    case LUA_TTABLE:
        encode_table(e, idx, depth, at);
        break;
    case LUA_TLIGHTUSERDATA:
        if (variant_is_null(L, idx)) {
            put_header(e, VT_NIL, 0, at);
            break;
        }
        /* fall through */
    default:
        encode_fail(e, at, "a %s has no Godot equivalent", luaL_typename(L, idx));
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
