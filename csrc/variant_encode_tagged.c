/*
 * variant_encode_tagged.c - encodes the tables tagged with a Godot type
 * (__godot = "Vector2", "PackedInt32Array", ...): math types through their
 * shapes, NodePath from its text, packed arrays element by element, and
 * StringName, RID, Object, Callable, Signal.
 */
#include "variant_encoder.h"

#include <string.h>

#include "variant_types.h"

#include "visibility.h" /* last: hides what this file defines */

/* ---- reading Lua fields ------------------------------------------------- */

static int64_t field_int64(encoder *e, int t, const char *name, const path_step *at)
{
    path_step step = { at, name, 0, 0 };
    int64_t v;
    encoder_push_field(e->L, t, name);
    if (!compat_tointeger64(e->L, -1, &v))
        encoder_fail(e, &step, "expected an integer, got %s", luaL_typename(e->L, -1));
    lua_pop(e->L, 1);
    return v;
}

/* Pushes the string t[name] and returns it. */
static const char *field_string(encoder *e, int t, const char *name, size_t *len,
                                const path_step *at)
{
    path_step step = { at, name, 0, 0 };
    if (encoder_push_field(e->L, t, name) != LUA_TSTRING)
        encoder_fail(e, &step, "expected a string, got %s", luaL_typename(e->L, -1));
    return lua_tolstring(e->L, -1, len);
}

/* The same for a field that becomes a Godot String: checked as UTF-8. */
static const char *field_text(encoder *e, int t, const char *name, size_t *len,
                              const path_step *at)
{
    path_step step = { at, name, 0, 0 };
    const char *s = field_string(e, t, name, len, at);
    encoder_check_utf8(e, s, *len, &step);
    return s;
}

/* ---- math types --------------------------------------------------------- */

/* Number at idx as a component of kind `kind`. */
static double component(encoder *e, int idx, int kind, const path_step *at)
{
    lua_State *L = e->L;
    if (lua_type(L, idx) != LUA_TNUMBER)
        encoder_fail(e, at, "expected a number, got %s", luaL_typename(L, idx));
    if (kind == SHAPE_INT32) {
        int64_t v;
        if (!compat_tointeger64(L, idx, &v) || v < INT32_MIN || v > INT32_MAX)
            encoder_fail(e, at, "expected an integer within int32, got %.17g",
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
    int tag_type = encoder_push_field(L, idx, VARIANT_TAG_KEY);
    if (tag_type == LUA_TSTRING) {
        size_t len;
        const char *tag = lua_tolstring(L, -1, &len);
        if (strlen(s->tag) != len || memcmp(tag, s->tag, len) != 0)
            encoder_fail(e, at, "expected a %s, got a table tagged %s", s->tag, tag);
    } else if (tag_type != LUA_TNIL) {
        encoder_fail(e, at, "expected a %s, got a %s tag", s->tag, luaL_typename(L, -1));
    }
    lua_pop(L, 1);
    for (int f = 0; f < s->nfields; f++) {
        path_step step = { at, s->fields[f].name, 0, 0 };
        int type = encoder_push_field(L, idx, s->fields[f].name);
        if (s->fields[f].sub != NULL) {
            if (type != LUA_TTABLE)
                encoder_fail(e, &step, "expected a %s table, got %s", s->fields[f].sub->tag,
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
            encoder_put_u32(e, (uint32_t)(int32_t)c, at);
        else if (shape_is_wide(e, s))
            encoder_put_f64(e, c, at);
        else
            encoder_put_f32(e, c, at);
    }
}

/* ---- tagged types ------------------------------------------------------- */

/* The non-empty names of s[from, to) split at `sep`: counted, and written
 * as strings when `e` is not NULL. */
static uint32_t node_path_names(encoder *e, const char *s, size_t from, size_t to, char sep,
                                const path_step *at)
{
    uint32_t count = 0;
    for (size_t i = from; i < to;) {
        size_t j = i;
        while (j < to && s[j] != sep)
            j++;
        if (j > i) {
            count++;
            if (e != NULL)
                encoder_put_bytes(e, s + i, j - i, 0, at);
        }
        i = j + 1;
    }
    return count;
}

/* NodePath from its text: "/" first = absolute, names split by "/", then
 * subnames each after a ":"; empty segments are skipped. */
static void put_node_path(encoder *e, const char *s, size_t len, const path_step *at)
{
    size_t colon = 0;
    while (colon < len && s[colon] != ':')
        colon++;
    encoder_put_header(e, VT_NODE_PATH, 0, at);
    encoder_put_u32(e, node_path_names(NULL, s, 0, colon, '/', at) | 0x80000000u, at);
    encoder_put_u32(e, node_path_names(NULL, s, colon, len, ':', at), at);
    encoder_put_u32(e, len > 0 && s[0] == '/' ? 1 : 0, at);
    node_path_names(e, s, 0, colon, '/', at);
    node_path_names(e, s, colon, len, ':', at);
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
            encoder_fail(e, at, "expected an integer, got %s", luaL_typename(L, idx));
        if (info->packed == PE_INT64) {
            encoder_put_u64(e, (uint64_t)v, at);
        } else {
            if (v < INT32_MIN || v > INT32_MAX)
                encoder_fail(e, at, "%lld is outside int32", (long long)v);
            encoder_put_u32(e, (uint32_t)(int32_t)v, at);
        }
        break;
    case PE_FLOAT32:
    case PE_FLOAT64:
        if (lua_type(L, idx) != LUA_TNUMBER)
            encoder_fail(e, at, "expected a number, got %s", luaL_typename(L, idx));
        if (info->packed == PE_FLOAT32)
            encoder_put_f32(e, (double)lua_tonumber(L, idx), at);
        else
            encoder_put_f64(e, (double)lua_tonumber(L, idx), at);
        break;
    case PE_STRING: {
        size_t len;
        if (lua_type(L, idx) != LUA_TSTRING)
            encoder_fail(e, at, "expected a string, got %s", luaL_typename(L, idx));
        const char *s = lua_tolstring(L, idx, &len);
        encoder_put_string(e, s, len, 1, at); /* Godot counts and sends a final NUL */
        break;
    }
    default: /* PE_SHAPE */
        if (lua_type(L, idx) != LUA_TTABLE)
            encoder_fail(e, at, "expected a %s table, got %s", info->shape->tag,
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
        encoder_put_header(e, type, 0, at);
        encoder_put_bytes(e, s, len, 0, at);
        lua_pop(L, 1);
        return;
    }
    size_t count = compat_rawlen(L, t);
    if (count > VARIANT_MAX_COUNT)
        encoder_fail(e, at, "%zu elements exceed Godot's limit", count);
    int wide = info->packed == PE_SHAPE && shape_is_wide(e, info->shape);
    encoder_put_header(e, type, wide ? VH_FLAG_64 : 0, at);
    encoder_put_u32(e, (uint32_t)count, at);
    for (size_t i = 1; i <= count; i++) {
        path_step step = { at, NULL, 0, (lua_Integer)i };
        lua_rawgeti(L, t, (int)i);
        put_packed_element(e, lua_gettop(L), info, &step);
        lua_pop(L, 1);
    }
}

void encoder_put_tagged(encoder *e, int t, int type, const path_step *at)
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
        encoder_put_header(e, type, shape_is_wide(e, info->shape) ? VH_FLAG_64 : 0, at);
        put_shape(e, t, info->shape, at);
        return;
    }
    switch (type) {
    case VT_STRING_NAME:
        s = field_text(e, t, "name", &len, at);
        encoder_put_header(e, type, 0, at);
        encoder_put_bytes(e, s, len, 0, at);
        lua_pop(L, 1);
        break;
    case VT_NODE_PATH: /* its names are pieces of the checked text */
        s = field_text(e, t, "path", &len, at);
        put_node_path(e, s, len, at);
        lua_pop(L, 1);
        break;
    case VT_RID: {
        int64_t id = field_int64(e, t, "id", at);
        encoder_put_header(e, type, 0, at);
        if (!e->opt->godot3) /* Godot 3 sends no RID payload */
            encoder_put_u64(e, (uint64_t)id, at);
        break;
    }
    case VT_OBJECT: {
        int64_t id = field_int64(e, t, "object_id", at);
        encoder_put_header(e, type, VH_FLAG_OBJECT_AS_ID, at);
        encoder_put_u64(e, (uint64_t)id, at);
        break;
    }
    case VT_CALLABLE: /* Godot sends a Callable as its bare header */
        encoder_put_header(e, type, 0, at);
        break;
    default: { /* VT_SIGNAL */
        int64_t id = field_int64(e, t, "object_id", at);
        s = field_text(e, t, "name", &len, at);
        encoder_put_header(e, type, 0, at);
        encoder_put_bytes(e, s, len, 0, at);
        encoder_put_u64(e, (uint64_t)id, at);
        lua_pop(L, 1);
        break;
    }
    }
}
