/*
 * variant_decode.c - Godot Variant bytes -> Lua value.
 *
 * Built for hostile input: every read is checked against the bytes left
 * before anything is allocated, table sizes are bounded by those bytes,
 * every table and string is charged against a memory budget proportional to
 * the input before it is created (variant_budget.h), nesting stops at
 * Godot's 1024 levels, the Lua stack is grown with lua_checkstack (never
 * raising), and no C memory is held. A failure leaves the stack as it was
 * and reports Godot's Error code, as decode_variant does.
 */
#include "variant.h"

#include <string.h>

#include "errors.h"
#include "utf8.h"
#include "variant_budget.h"
#include "variant_types.h"

#include "visibility.h" /* last: hides what this file defines */

typedef struct decoder {
    lua_State *L;
    const unsigned char *start, *p;
    size_t left;
    int godot3;
    int array_mt, dict_mt; /* stack slots of the marker metatables */
    variant_budget budget;
    variant_status *st;
} decoder;

/* Records a failure found at `at` and returns its code. */
static int fail_at(decoder *d, const unsigned char *at, int code, const char *reason)
{
    d->st->code = code;
    d->st->reason = reason;
    d->st->offset = (size_t)(at - d->start);
    return code;
}

static int fail(decoder *d, int code, const char *reason)
{
    return fail_at(d, d->p, code, reason);
}

/* Charges `cost` bytes about to be created; fails once over the budget. */
static int charge(decoder *d, uint64_t cost)
{
    if (variant_budget_charge(&d->budget, cost) != 0)
        return fail(d, GD_ERR_INVALID_DATA,
                    "the value would take more Lua memory than " VARIANT_BUDGET_TEXT);
    return GD_OK;
}

/* Charges the Lua string of s[0..len) about to be pushed. */
static int charge_string(decoder *d, const char *s, size_t len)
{
    return charge(d, variant_budget_string_cost(&d->budget, s, len));
}

static uint32_t load_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t load_u64(const unsigned char *p)
{
    return (uint64_t)load_u32(p) | (uint64_t)load_u32(p + 4) << 32;
}

static double load_f32(const unsigned char *p)
{
    uint32_t bits = load_u32(p);
    float f;
    memcpy(&f, &bits, 4);
    return (double)f;
}

static double load_f64(const unsigned char *p)
{
    uint64_t bits = load_u64(p);
    double v;
    memcpy(&v, &bits, 8);
    return v;
}

static void skip(decoder *d, size_t n)
{
    d->p += n;
    d->left -= n;
}

/* Reads a u32 if 4 bytes are left; on shortage fails with ERR_INVALID_DATA. */
static int read_u32(decoder *d, uint32_t *v, const char *what)
{
    if (d->left < 4)
        return fail(d, GD_ERR_INVALID_DATA, what);
    *v = load_u32(d->p);
    skip(d, 4);
    return GD_OK;
}

static int read_u64(decoder *d, uint64_t *v, const char *what)
{
    if (d->left < 8)
        return fail(d, GD_ERR_INVALID_DATA, what);
    *v = load_u64(d->p);
    skip(d, 8);
    return GD_OK;
}

/* A STRING payload: u32 length, bytes, padding to 4. A length running past
 * the end is ERR_FILE_EOF, bytes that are not UTF-8 (Godot 4's rule, or
 * Godot 3's) ERR_INVALID_DATA, as in Godot. */
static int read_string(decoder *d, const char **s, size_t *len)
{
    uint32_t n;
    if (read_u32(d, &n, "string length missing") != GD_OK)
        return d->st->code;
    size_t padded = ((size_t)n + 3) & ~(size_t)3;
    if (n > VARIANT_MAX_COUNT || padded > d->left)
        return fail_at(d, d->p - 4, GD_ERR_FILE_EOF, "string runs past the end of the data");
    size_t valid = utf8_valid_prefix((const char *)d->p, n, d->godot3 ? UTF8_GODOT3 : UTF8_STRICT);
    if (valid != n)
        return fail_at(d, d->p + valid, GD_ERR_INVALID_DATA,
                       "a string is not valid UTF-8 (a Godot String is text)");
    *s = (const char *)d->p;
    *len = n;
    skip(d, padded);
    return GD_OK;
}

static void push_tagged_table(lua_State *L, const char *tag, int narr, int nrec)
{
    lua_createtable(L, narr, nrec + 1);
    lua_pushstring(L, tag);
    lua_setfield(L, -2, VARIANT_TAG_KEY);
}

/* ---- math types --------------------------------------------------------- */

/* Builds the table of shape s from comps (natural order), consuming *i. */
static void build_shape(lua_State *L, const variant_shape *s, int kind, const double *comps,
                        int *i)
{
    push_tagged_table(L, s->tag, 0, s->nfields);
    for (int f = 0; f < s->nfields; f++) {
        if (s->fields[f].sub != NULL)
            build_shape(L, s->fields[f].sub, kind, comps, i);
        else if (kind == SHAPE_INT32)
            lua_pushinteger(L, (lua_Integer)comps[(*i)++]);
        else
            lua_pushnumber(L, (lua_Number)comps[(*i)++]);
        lua_setfield(L, -2, s->fields[f].name);
    }
}

/* Reads the components of s (64-bit if `wide`) and pushes its table. The
 * caller has checked that the bytes are there. */
static void push_shape(decoder *d, const variant_shape *s, int wide)
{
    double comps[SHAPE_MAX_COMPONENTS];
    for (int w = 0; w < s->components; w++) {
        int natural = s->wire_order != NULL ? s->wire_order[w] : w;
        if (s->kind == SHAPE_INT32)
            comps[natural] = (double)(int32_t)load_u32(d->p);
        else
            comps[natural] = wide ? load_f64(d->p) : load_f32(d->p);
        skip(d, wide ? 8 : 4);
    }
    int i = 0;
    build_shape(d->L, s, s->kind, comps, &i);
}

static int shape_wide(const decoder *d, const variant_shape *s, uint32_t header)
{
    return s->kind == SHAPE_REAL && (header & VH_FLAG_64) && !d->godot3;
}

static int decode_math(decoder *d, int type, uint32_t header)
{
    const variant_shape *s = variant_types[type].shape;
    int wide = shape_wide(d, s, header);
    if (d->left < (size_t)s->components * (wide ? 8 : 4))
        return fail(d, GD_ERR_INVALID_DATA, "math type truncated");
    if (charge(d, variant_shape_cost(s)) != GD_OK)
        return d->st->code;
    push_shape(d, s, wide);
    return GD_OK;
}

/* ---- packed arrays ------------------------------------------------------ */

/* Reads a packed array count and checks count * size bytes are left. */
static int read_count(decoder *d, size_t size, uint32_t *count)
{
    if (read_u32(d, count, "array count missing") != GD_OK)
        return d->st->code;
    if (*count > VARIANT_MAX_COUNT || (uint64_t)*count * size > d->left)
        return fail_at(d, d->p - 4, GD_ERR_INVALID_DATA, "array count exceeds the data");
    return GD_OK;
}

static int decode_packed_bytes(decoder *d, int type)
{
    uint32_t count;
    if (read_count(d, 1, &count) != GD_OK ||
        charge(d, variant_table_cost(0, 2) + variant_string_cost(count)) != GD_OK)
        return d->st->code;
    push_tagged_table(d->L, variant_types[type].name, 0, 1);
    lua_pushlstring(d->L, (const char *)d->p, count);
    lua_setfield(d->L, -2, "data");
    skip(d, count);
    size_t pad = (4 - count % 4) % 4; /* Godot does not insist on the padding */
    skip(d, pad < d->left ? pad : d->left);
    return GD_OK;
}

static int decode_packed_strings(decoder *d, int type)
{
    uint32_t count;
    if (read_u32(d, &count, "array count missing") != GD_OK)
        return d->st->code;
    if (count > VARIANT_MAX_COUNT)
        return fail_at(d, d->p - 4, GD_ERR_INVALID_DATA, "array count exceeds the data");
    uint32_t slots = count < d->left / 4 ? count : (uint32_t)(d->left / 4);
    if (charge(d, variant_table_cost(slots, 1)) != GD_OK)
        return d->st->code;
    push_tagged_table(d->L, variant_types[type].name, (int)slots, 0);
    for (uint32_t i = 0; i < count; i++) {
        const char *s;
        size_t len;
        if (read_string(d, &s, &len) != GD_OK)
            return d->st->code;
        if (len > 0 && s[len - 1] == '\0')
            len--; /* Godot sends each element with a final NUL */
        if (charge_string(d, s, len) != GD_OK)
            return d->st->code;
        lua_pushlstring(d->L, s, len);
        lua_rawseti(d->L, -2, (int)i + 1);
    }
    return GD_OK;
}

static int decode_packed(decoder *d, int type, uint32_t header)
{
    lua_State *L = d->L;
    const variant_type_info *info = &variant_types[type];
    static const unsigned char element_size[] = {
        [PE_INT32] = 4, [PE_INT64] = 8, [PE_FLOAT32] = 4, [PE_FLOAT64] = 8,
    };
    if (info->packed == PE_BYTE)
        return decode_packed_bytes(d, type);
    if (info->packed == PE_STRING)
        return decode_packed_strings(d, type);

    int wide = info->packed == PE_SHAPE && shape_wide(d, info->shape, header);
    size_t size = info->packed == PE_SHAPE
                      ? (size_t)info->shape->components * (wide ? 8 : 4)
                      : element_size[info->packed];
    uint32_t count;
    if (read_count(d, size, &count) != GD_OK)
        return d->st->code;
    uint64_t elements = info->packed == PE_SHAPE ? count * variant_shape_cost(info->shape) : 0;
    if (charge(d, variant_table_cost(count, 1) + elements) != GD_OK)
        return d->st->code;
    push_tagged_table(L, info->name, (int)count, 0);
    for (uint32_t i = 0; i < count; i++) {
        switch (info->packed) {
        case PE_INT32:
            lua_pushinteger(L, (lua_Integer)(int32_t)load_u32(d->p));
            break;
        case PE_INT64:
            compat_pushint64(L, (int64_t)load_u64(d->p));
            break;
        case PE_FLOAT32:
            lua_pushnumber(L, (lua_Number)load_f32(d->p));
            break;
        case PE_FLOAT64:
            lua_pushnumber(L, (lua_Number)load_f64(d->p));
            break;
        default: /* PE_SHAPE */
            push_shape(d, info->shape, wide);
            lua_rawseti(L, -2, (int)i + 1);
            continue;
        }
        skip(d, size);
        lua_rawseti(L, -2, (int)i + 1);
    }
    return GD_OK;
}

/* ---- other single values ------------------------------------------------ */

/* NodePath -> {__godot="NodePath", path="/names/joined:sub:names"}. */
static int decode_node_path(decoder *d)
{
    uint32_t names, subnames, flags;
    if (d->left < 12)
        return fail(d, GD_ERR_INVALID_DATA, "NodePath header truncated");
    names = load_u32(d->p);
    if (!(names & 0x80000000u))
        return fail(d, GD_ERR_INVALID_DATA, "NodePath in the obsolete format");
    names &= 0x7FFFFFFFu;
    subnames = load_u32(d->p + 4);
    flags = load_u32(d->p + 8);
    skip(d, 12);
    uint64_t total = (uint64_t)names + subnames + ((flags & 2) ? 1 : 0); /* 2: old property */

    /* First pass: check that every string is there; room for the joined
     * text (each string and its separator, the leading '/' or ':'). */
    const unsigned char *first = d->p;
    size_t first_left = d->left;
    size_t room = 1;
    for (uint64_t i = 0; i < total; i++) {
        const char *s;
        size_t len;
        if (read_string(d, &s, &len) != GD_OK)
            return d->st->code;
        room += len + 1;
    }
    /* A buffer and the string made from it. */
    if (charge(d, variant_table_cost(0, 2) + 2 * variant_string_cost(room)) != GD_OK)
        return d->st->code;
    /* Second pass: join into a Lua-owned buffer. */
    const unsigned char *end = d->p;
    size_t end_left = d->left;
    d->p = first;
    d->left = first_left;
    push_tagged_table(d->L, "NodePath", 0, 1);
    char *path = lua_newuserdata(d->L, room);
    size_t n = 0;
    if (flags & 1)
        path[n++] = '/';
    for (uint64_t i = 0; i < total; i++) {
        const char *s;
        size_t len;
        read_string(d, &s, &len); /* checked above */
        if (i > 0)
            path[n++] = i < names ? '/' : ':';
        else if (names == 0)
            path[n++] = ':';
        memcpy(path + n, s, len);
        n += len;
    }
    lua_pushlstring(d->L, path, n);
    lua_remove(d->L, -2); /* the buffer */
    lua_setfield(d->L, -2, "path");
    d->p = end;
    d->left = end_left;
    return GD_OK;
}

/* The id fields of RID, Object and Signal, as integers. */
static void set_id_field(lua_State *L, const char *name, uint64_t id)
{
    compat_pushint64(L, (int64_t)id);
    lua_setfield(L, -2, name);
}

static int decode_object(decoder *d, uint32_t header)
{
    uint64_t id;
    if (!(header & VH_FLAG_OBJECT_AS_ID))
        return fail(d, GD_ERR_UNAUTHORIZED, "a full object, and objects are not allowed");
    if (read_u64(d, &id, "object id truncated") != GD_OK)
        return d->st->code;
    if (id == 0) {
        lua_pushnil(d->L); /* a null object */
    } else {
        if (charge(d, variant_table_cost(0, 2)) != GD_OK)
            return d->st->code;
        push_tagged_table(d->L, "Object", 0, 1);
        set_id_field(d->L, "object_id", id);
    }
    return GD_OK;
}

/* ---- containers --------------------------------------------------------- */

static int decode_value(decoder *d, int depth);

/* Skips the element type of a typed container (kept in Lua as untyped). */
static int skip_container_type(decoder *d, uint32_t kind)
{
    uint32_t builtin;
    const char *s;
    size_t len;
    switch (kind) {
    case CK_NONE:
        return GD_OK;
    case CK_BUILTIN:
        if (read_u32(d, &builtin, "container element type missing") != GD_OK)
            return d->st->code;
        if (builtin >= VT_COUNT)
            return fail_at(d, d->p - 4, GD_ERR_INVALID_DATA, "container element type unknown");
        return GD_OK;
    default: /* CK_CLASS_NAME, CK_SCRIPT: a class name or script path */
        return read_string(d, &s, &len);
    }
}

/* Pushes the value decoded at depth; nil becomes enet.null in containers. */
static int decode_element(decoder *d, int depth)
{
    if (decode_value(d, depth) != GD_OK)
        return d->st->code;
    if (lua_isnil(d->L, -1)) {
        lua_pop(d->L, 1);
        lua_pushlightuserdata(d->L, NULL);
    }
    return GD_OK;
}

static int decode_array(decoder *d, uint32_t header, int depth)
{
    uint32_t count;
    if (!d->godot3 && skip_container_type(d, (header >> VH_ARRAY_TYPE_SHIFT) & 3) != GD_OK)
        return d->st->code;
    if (read_u32(d, &count, "array count missing") != GD_OK)
        return d->st->code;
    count &= 0x7FFFFFFFu; /* bit 31 was Godot 3's "shared" */
    uint32_t slots = count < d->left / 4 ? count : (uint32_t)(d->left / 4);
    if (charge(d, variant_table_cost(slots, 0)) != GD_OK)
        return d->st->code;
    lua_createtable(d->L, (int)slots, 0);
    lua_pushvalue(d->L, d->array_mt);
    lua_setmetatable(d->L, -2);
    for (uint32_t i = 0; i < count; i++) {
        if (decode_element(d, depth + 1) != GD_OK)
            return d->st->code;
        lua_rawseti(d->L, -2, (int)i + 1);
    }
    return GD_OK;
}

static int decode_dictionary(decoder *d, uint32_t header, int depth)
{
    lua_State *L = d->L;
    uint32_t count;
    if (!d->godot3) {
        if (skip_container_type(d, (header >> VH_DICT_KEY_TYPE_SHIFT) & 3) != GD_OK ||
            skip_container_type(d, (header >> VH_DICT_VALUE_TYPE_SHIFT) & 3) != GD_OK)
            return d->st->code;
    }
    if (read_u32(d, &count, "dictionary count missing") != GD_OK)
        return d->st->code;
    count &= 0x7FFFFFFFu;
    uint32_t entries = count < d->left / 8 ? count : (uint32_t)(d->left / 8);
    if (charge(d, variant_table_cost(0, entries)) != GD_OK)
        return d->st->code;
    lua_createtable(L, 0, (int)entries);
    lua_pushvalue(L, d->dict_mt);
    lua_setmetatable(L, -2);
    for (uint32_t i = 0; i < count; i++) {
        const unsigned char *key_at = d->p;
        if (decode_element(d, depth + 1) != GD_OK)
            return d->st->code;
        if (lua_type(L, -1) == LUA_TNUMBER && lua_tonumber(L, -1) != lua_tonumber(L, -1))
            return fail_at(d, key_at, GD_ERR_INVALID_DATA,
                           "dictionary key is NaN, which Lua cannot hold");
        if (decode_element(d, depth + 1) != GD_OK)
            return d->st->code;
        lua_rawset(L, -3);
    }
    return GD_OK;
}

/* ---- dispatch ----------------------------------------------------------- */

static int decode_value(decoder *d, int depth)
{
    lua_State *L = d->L;
    uint32_t header, u32;
    uint64_t u64;
    const char *s;
    size_t len;

    if (depth > VARIANT_MAX_DEPTH)
        return fail(d, GD_ERR_OUT_OF_MEMORY, "nesting deeper than 1024 levels");
    if (!lua_checkstack(L, 8))
        return fail(d, GD_ERR_OUT_OF_MEMORY, "the Lua stack cannot grow");
    if (d->left < 4)
        return fail(d, GD_ERR_INVALID_DATA, "type header truncated");
    header = load_u32(d->p);
    int type = (int)(header & VH_TYPE_MASK);
    type = d->godot3 ? variant_type_from_godot3((uint32_t)type) : (type < VT_COUNT ? type : -1);
    if (type < 0)
        return fail(d, GD_ERR_INVALID_DATA, "unknown type id");
    skip(d, 4);

    switch (type) {
    case VT_NIL:
        lua_pushnil(L);
        return GD_OK;
    case VT_BOOL:
        if (read_u32(d, &u32, "bool truncated") != GD_OK)
            return d->st->code;
        lua_pushboolean(L, u32 != 0);
        return GD_OK;
    case VT_INT:
        if (header & VH_FLAG_64) {
            if (read_u64(d, &u64, "int truncated") != GD_OK)
                return d->st->code;
            compat_pushint64(L, (int64_t)u64);
        } else {
            if (read_u32(d, &u32, "int truncated") != GD_OK)
                return d->st->code;
            lua_pushinteger(L, (lua_Integer)(int32_t)u32);
        }
        return GD_OK;
    case VT_FLOAT:
        if (header & VH_FLAG_64) {
            if (read_u64(d, &u64, "float truncated") != GD_OK)
                return d->st->code;
            lua_pushnumber(L, (lua_Number)load_f64(d->p - 8));
        } else {
            if (read_u32(d, &u32, "float truncated") != GD_OK)
                return d->st->code;
            lua_pushnumber(L, (lua_Number)load_f32(d->p - 4));
        }
        return GD_OK;
    case VT_STRING:
    case VT_STRING_NAME: /* a StringName arrives as a plain string */
        if (read_string(d, &s, &len) != GD_OK || charge_string(d, s, len) != GD_OK)
            return d->st->code;
        lua_pushlstring(L, s, len);
        return GD_OK;
    case VT_NODE_PATH:
        return decode_node_path(d);
    case VT_RID:
        u64 = 0;
        if (!d->godot3 && read_u64(d, &u64, "RID truncated") != GD_OK)
            return d->st->code; /* Godot 3 sends no RID payload */
        if (charge(d, variant_table_cost(0, 2)) != GD_OK)
            return d->st->code;
        push_tagged_table(L, "RID", 0, 1);
        set_id_field(L, "id", u64);
        return GD_OK;
    case VT_OBJECT:
        return decode_object(d, header);
    case VT_CALLABLE: /* Godot sends only the header */
        if (charge(d, variant_table_cost(0, 1)) != GD_OK)
            return d->st->code;
        push_tagged_table(L, "Callable", 0, 0);
        return GD_OK;
    case VT_SIGNAL:
        if (read_string(d, &s, &len) != GD_OK || read_u64(d, &u64, "signal object id truncated") != GD_OK ||
            charge(d, variant_table_cost(0, 3)) != GD_OK || charge_string(d, s, len) != GD_OK)
            return d->st->code;
        push_tagged_table(L, "Signal", 0, 2);
        lua_pushlstring(L, s, len);
        lua_setfield(L, -2, "name");
        set_id_field(L, "object_id", u64);
        return GD_OK;
    case VT_DICTIONARY:
        return decode_dictionary(d, header, depth);
    case VT_ARRAY:
        return decode_array(d, header, depth);
    default:
        if (variant_types[type].packed != PE_NONE)
            return decode_packed(d, type, header);
        return decode_math(d, type, header);
    }
}

int variant_push_value(lua_State *L, const char *data, size_t len,
                       const variant_options *opt, variant_status *st)
{
    int base = lua_gettop(L);
    decoder d;
    st->code = GD_OK;
    st->reason = NULL;
    st->offset = 0;
    if (!lua_checkstack(L, 8)) {
        st->code = GD_ERR_OUT_OF_MEMORY;
        st->reason = "the Lua stack cannot grow";
        return st->code;
    }
    variant_push_markers(L);
    d.L = L;
    d.start = d.p = (const unsigned char *)data;
    d.left = len;
    d.godot3 = opt != NULL && opt->godot3;
    d.array_mt = base + 1;
    d.dict_mt = base + 2;
    variant_budget_init(&d.budget, len);
    d.st = st;
    if (decode_value(&d, 0) != GD_OK) {
        lua_settop(L, base);
        return st->code;
    }
    lua_replace(L, base + 1);
    lua_settop(L, base + 1);
    return GD_OK;
}

int variant_push_failure(lua_State *L, const variant_status *st)
{
    return errors_push_fail(L, st->code, "invalid Variant data: %s (at byte %zu)",
                            st->reason, st->offset);
}
