/*
 * variant_types.h - what the Variant encoder and decoder share: Godot's type
 * ids and header bits, the component layout of each math type, the element
 * kind of each packed array, and the Lua markers (null, Array, Dictionary).
 * Internal to variant_*.c.
 */
#ifndef ENETCONNECTION_VARIANT_TYPES_H
#define ENETCONNECTION_VARIANT_TYPES_H

#include <stdint.h>

#include "compat.h"

/* Godot 4's Variant::Type. Both modes work in these ids internally; the
 * Godot 3 mode translates at the header. */
enum variant_type {
    VT_NIL, VT_BOOL, VT_INT, VT_FLOAT, VT_STRING,
    VT_VECTOR2, VT_VECTOR2I, VT_RECT2, VT_RECT2I, VT_VECTOR3, VT_VECTOR3I,
    VT_TRANSFORM2D, VT_VECTOR4, VT_VECTOR4I, VT_PLANE, VT_QUATERNION, VT_AABB,
    VT_BASIS, VT_TRANSFORM3D, VT_PROJECTION, VT_COLOR, VT_STRING_NAME,
    VT_NODE_PATH, VT_RID, VT_OBJECT, VT_CALLABLE, VT_SIGNAL, VT_DICTIONARY,
    VT_ARRAY, VT_PACKED_BYTE_ARRAY, VT_PACKED_INT32_ARRAY,
    VT_PACKED_INT64_ARRAY, VT_PACKED_FLOAT32_ARRAY, VT_PACKED_FLOAT64_ARRAY,
    VT_PACKED_STRING_ARRAY, VT_PACKED_VECTOR2_ARRAY, VT_PACKED_VECTOR3_ARRAY,
    VT_PACKED_COLOR_ARRAY, VT_PACKED_VECTOR4_ARRAY,
    VT_COUNT
};

/* Header: bits 0-7 type id, 8-15 unused, 16-19 per-type data. */
#define VH_TYPE_MASK 0xFFu
#define VH_FLAG_64 (1u << 16)           /* INT, FLOAT, real_t math types */
#define VH_FLAG_OBJECT_AS_ID (1u << 16) /* OBJECT */
#define VH_ARRAY_TYPE_SHIFT 16          /* 2 bits: container type kind */
#define VH_DICT_KEY_TYPE_SHIFT 16
#define VH_DICT_VALUE_TYPE_SHIFT 18

/* Kinds of a typed container's element type (Godot 4.4+). */
enum container_kind { CK_NONE, CK_BUILTIN, CK_CLASS_NAME, CK_SCRIPT };

/* Deepest nesting Godot encodes or decodes (Variant::MAX_RECURSION_DEPTH). */
#define VARIANT_MAX_DEPTH 1024
/* Godot's lengths and counts are non-negative int32. */
#define VARIANT_MAX_COUNT 0x7FFFFFFFu

/*
 * A math type is a tree of Lua tables: each field is a number or a nested
 * shape (Rect2.position is a Vector2). A depth-first walk of the fields
 * yields the components in "natural" order; `wire_order[i]` names the
 * natural component at wire position i (NULL: the same order).
 */
enum shape_kind {
    SHAPE_REAL,    /* real_t: f32, or f64 with VH_FLAG_64 */
    SHAPE_INT32,   /* i32 */
    SHAPE_FLOAT32, /* always f32 (Color) */
};

#define SHAPE_MAX_COMPONENTS 16

typedef struct variant_shape variant_shape;
typedef struct shape_field {
    const char *name;
    const variant_shape *sub; /* NULL: a number */
} shape_field;
struct variant_shape {
    const char *tag;
    unsigned char kind;
    unsigned char components;
    unsigned char nfields;
    shape_field fields[4];
    const unsigned char *wire_order;
};

/* Element of a packed array. */
enum packed_element {
    PE_NONE, PE_BYTE, PE_INT32, PE_INT64, PE_FLOAT32, PE_FLOAT64, PE_STRING,
    PE_SHAPE, /* a math shape per element: vectors, colors */
};

typedef struct variant_type_info {
    const char *name;           /* Godot 4 name; the Lua tag of tagged types */
    signed char godot3_id;      /* -1: absent from Godot 3 */
    unsigned char tagged;       /* represented by a table with __godot = name */
    unsigned char packed;       /* enum packed_element */
    const variant_shape *shape; /* math type, or packed array element */
} variant_type_info;

extern const variant_type_info variant_types[VT_COUNT];

/* Type id of a tagged type named `tag`, or -1. */
int variant_type_from_tag(const char *tag, size_t len);
/* Godot 4 id of Godot 3 type id `id3`, or -1. */
int variant_type_from_godot3(uint32_t id3);

/* Lua side. */
#define VARIANT_TAG_KEY "__godot"
#define VARIANT_ARRAY_MT "enetconnection.Array"
#define VARIANT_DICTIONARY_MT "enetconnection.Dictionary"

/* Pushes the Array marker metatable, then the Dictionary one (created on
 * first use). Decoded containers carry them; the encoder honours them. */
void variant_push_markers(lua_State *L);

/* enet.null stands for Godot's null inside containers: a NULL light userdata
 * (like cjson.null). */
static inline int variant_is_null(lua_State *L, int idx)
{
    return lua_type(L, idx) == LUA_TLIGHTUSERDATA && lua_touserdata(L, idx) == NULL;
}

#endif
