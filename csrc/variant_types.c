/*
 * variant_types.c - the table of Godot Variant types: names, Godot 3 ids,
 * math type layouts, packed array elements, and the Lua marker metatables.
 */
#include "variant_types.h"

#include <string.h>

#include "visibility.h" /* last: hides what this file defines */

/* Math types. Field names follow Godot's properties; Basis, Transform2D and
 * Projection fields are the matrix columns, as in Godot. */
#define SHAPE_FLAT(var, name, k, n, ...) \
    static const variant_shape var = { name, k, n, n, { __VA_ARGS__ }, NULL }
#define NUM(n) { n, NULL }

SHAPE_FLAT(shape_vector2, "Vector2", SHAPE_REAL, 2, NUM("x"), NUM("y"));
SHAPE_FLAT(shape_vector2i, "Vector2i", SHAPE_INT32, 2, NUM("x"), NUM("y"));
SHAPE_FLAT(shape_vector3, "Vector3", SHAPE_REAL, 3, NUM("x"), NUM("y"), NUM("z"));
SHAPE_FLAT(shape_vector3i, "Vector3i", SHAPE_INT32, 3, NUM("x"), NUM("y"), NUM("z"));
SHAPE_FLAT(shape_vector4, "Vector4", SHAPE_REAL, 4, NUM("x"), NUM("y"), NUM("z"), NUM("w"));
SHAPE_FLAT(shape_vector4i, "Vector4i", SHAPE_INT32, 4, NUM("x"), NUM("y"), NUM("z"), NUM("w"));
SHAPE_FLAT(shape_quaternion, "Quaternion", SHAPE_REAL, 4, NUM("x"), NUM("y"), NUM("z"), NUM("w"));
SHAPE_FLAT(shape_color, "Color", SHAPE_FLOAT32, 4, NUM("r"), NUM("g"), NUM("b"), NUM("a"));

static const variant_shape shape_rect2 = {
    "Rect2", SHAPE_REAL, 4, 2,
    { { "position", &shape_vector2 }, { "size", &shape_vector2 } }, NULL
};
static const variant_shape shape_rect2i = {
    "Rect2i", SHAPE_INT32, 4, 2,
    { { "position", &shape_vector2i }, { "size", &shape_vector2i } }, NULL
};
static const variant_shape shape_aabb = {
    "AABB", SHAPE_REAL, 6, 2,
    { { "position", &shape_vector3 }, { "size", &shape_vector3 } }, NULL
};
static const variant_shape shape_plane = {
    "Plane", SHAPE_REAL, 4, 2, { { "normal", &shape_vector3 }, NUM("d") }, NULL
};
static const variant_shape shape_transform2d = {
    "Transform2D", SHAPE_REAL, 6, 3,
    { { "x", &shape_vector2 }, { "y", &shape_vector2 }, { "origin", &shape_vector2 } },
    NULL
};
static const variant_shape shape_projection = {
    "Projection", SHAPE_REAL, 16, 4,
    { { "x", &shape_vector4 }, { "y", &shape_vector4 }, { "z", &shape_vector4 },
      { "w", &shape_vector4 } },
    NULL
};

/* Basis travels row by row while its Lua fields are the columns x, y, z:
 * wire position 3*r+c holds column c's component r. */
static const unsigned char basis_wire_order[12] = { 0, 3, 6, 1, 4, 7, 2, 5, 8, 9, 10, 11 };

static const variant_shape shape_basis = {
    "Basis", SHAPE_REAL, 9, 3,
    { { "x", &shape_vector3 }, { "y", &shape_vector3 }, { "z", &shape_vector3 } },
    basis_wire_order
};
static const variant_shape shape_transform3d = {
    "Transform3D", SHAPE_REAL, 12, 2,
    { { "basis", &shape_basis }, { "origin", &shape_vector3 } }, basis_wire_order
};

#define PLAIN(name, id3) { name, id3, 0, PE_NONE, NULL }
#define TAGGED(name, id3) { name, id3, 1, PE_NONE, NULL }
#define MATH(name, id3, shape) { name, id3, 1, PE_NONE, &shape }
#define PACKED(name, id3, element, shape) { name, id3, 1, element, shape }

const variant_type_info variant_types[VT_COUNT] = {
    [VT_NIL] = PLAIN("Nil", 0),
    [VT_BOOL] = PLAIN("bool", 1),
    [VT_INT] = PLAIN("int", 2),
    [VT_FLOAT] = PLAIN("float", 3),
    [VT_STRING] = PLAIN("String", 4),
    [VT_VECTOR2] = MATH("Vector2", 5, shape_vector2),
    [VT_VECTOR2I] = MATH("Vector2i", -1, shape_vector2i),
    [VT_RECT2] = MATH("Rect2", 6, shape_rect2),
    [VT_RECT2I] = MATH("Rect2i", -1, shape_rect2i),
    [VT_VECTOR3] = MATH("Vector3", 7, shape_vector3),
    [VT_VECTOR3I] = MATH("Vector3i", -1, shape_vector3i),
    [VT_TRANSFORM2D] = MATH("Transform2D", 8, shape_transform2d),
    [VT_VECTOR4] = MATH("Vector4", -1, shape_vector4),
    [VT_VECTOR4I] = MATH("Vector4i", -1, shape_vector4i),
    [VT_PLANE] = MATH("Plane", 9, shape_plane),
    [VT_QUATERNION] = MATH("Quaternion", 10, shape_quaternion),
    [VT_AABB] = MATH("AABB", 11, shape_aabb),
    [VT_BASIS] = MATH("Basis", 12, shape_basis),
    [VT_TRANSFORM3D] = MATH("Transform3D", 13, shape_transform3d),
    [VT_PROJECTION] = MATH("Projection", -1, shape_projection),
    [VT_COLOR] = MATH("Color", 14, shape_color),
    [VT_STRING_NAME] = TAGGED("StringName", -1),
    [VT_NODE_PATH] = TAGGED("NodePath", 15),
    [VT_RID] = TAGGED("RID", 16),
    [VT_OBJECT] = TAGGED("Object", 17),
    [VT_CALLABLE] = TAGGED("Callable", -1),
    [VT_SIGNAL] = TAGGED("Signal", -1),
    [VT_DICTIONARY] = PLAIN("Dictionary", 18),
    [VT_ARRAY] = PLAIN("Array", 19),
    [VT_PACKED_BYTE_ARRAY] = PACKED("PackedByteArray", 20, PE_BYTE, NULL),
    [VT_PACKED_INT32_ARRAY] = PACKED("PackedInt32Array", 21, PE_INT32, NULL),
    [VT_PACKED_INT64_ARRAY] = PACKED("PackedInt64Array", -1, PE_INT64, NULL),
    [VT_PACKED_FLOAT32_ARRAY] = PACKED("PackedFloat32Array", 22, PE_FLOAT32, NULL),
    [VT_PACKED_FLOAT64_ARRAY] = PACKED("PackedFloat64Array", -1, PE_FLOAT64, NULL),
    [VT_PACKED_STRING_ARRAY] = PACKED("PackedStringArray", 23, PE_STRING, NULL),
    [VT_PACKED_VECTOR2_ARRAY] = PACKED("PackedVector2Array", 24, PE_SHAPE, &shape_vector2),
    [VT_PACKED_VECTOR3_ARRAY] = PACKED("PackedVector3Array", 25, PE_SHAPE, &shape_vector3),
    [VT_PACKED_COLOR_ARRAY] = PACKED("PackedColorArray", 26, PE_SHAPE, &shape_color),
    [VT_PACKED_VECTOR4_ARRAY] = PACKED("PackedVector4Array", -1, PE_SHAPE, &shape_vector4),
};

int variant_type_from_tag(const char *tag, size_t len)
{
    for (int t = 0; t < VT_COUNT; t++) {
        const variant_type_info *info = &variant_types[t];
        if (info->tagged && strlen(info->name) == len && memcmp(info->name, tag, len) == 0)
            return t;
    }
    return -1;
}

int variant_type_from_godot3(uint32_t id3)
{
    for (int t = 0; t < VT_COUNT; t++) {
        if (variant_types[t].godot3_id >= 0 && (uint32_t)variant_types[t].godot3_id == id3)
            return t;
    }
    return -1;
}

static void push_marker(lua_State *L, const char *name)
{
    if (luaL_newmetatable(L, name)) {
        lua_pushstring(L, name);
        lua_setfield(L, -2, "__name");
    }
}

void variant_push_markers(lua_State *L)
{
    push_marker(L, VARIANT_ARRAY_MT);
    push_marker(L, VARIANT_DICTIONARY_MT);
}
