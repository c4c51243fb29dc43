--- Constructors for the Godot types that travel in Variant bytes.
-- Each returns the plain table that `var_to_bytes` encodes and
-- `bytes_to_var` produces, tagged with its Godot type name in `__godot`
-- (see docs/variant.md). Arguments follow Godot's constructors; missing
-- numbers default as in Godot (zero vectors, identity transforms, opaque
-- black). Numbers are checked: a wrong type raises, naming the field.
-- @submodule enetconnection
local M = {}

local INT32_MIN, INT32_MAX = -2147483648, 2147483647

local function number(type_name, field, v, default)
  if v == nil then
    return default or 0
  end
  if type(v) ~= "number" then
    error(type_name .. ": " .. field .. " must be a number, got " .. type(v), 3)
  end
  return v
end

local function int32(type_name, field, v)
  v = number(type_name, field, v)
  if v ~= math.floor(v) or v < INT32_MIN or v > INT32_MAX then
    error(type_name .. ": " .. field .. " must be an integer within int32, got " .. v, 3)
  end
  return v
end

local function vector(type_name, fields, check)
  return function(...)
    local t = { __godot = type_name }
    for i, field in ipairs(fields) do
      t[field] = check(type_name, field, (select(i, ...)))
    end
    return t
  end
end

--- A Godot Vector2: `{__godot="Vector2", x=, y=}`.
-- @function Vector2
-- @tparam[opt=0] number x
-- @tparam[opt=0] number y
-- @treturn table
M.Vector2 = vector("Vector2", { "x", "y" }, number)
--- A Godot Vector2i: int32 components.
-- @function Vector2i
-- @tparam[opt=0] integer x
-- @tparam[opt=0] integer y
-- @treturn table
M.Vector2i = vector("Vector2i", { "x", "y" }, int32)
--- A Godot Vector3.
-- @function Vector3
-- @tparam[opt=0] number x
-- @tparam[opt=0] number y
-- @tparam[opt=0] number z
-- @treturn table
M.Vector3 = vector("Vector3", { "x", "y", "z" }, number)
--- A Godot Vector3i: int32 components.
-- @function Vector3i
-- @tparam[opt=0] integer x
-- @tparam[opt=0] integer y
-- @tparam[opt=0] integer z
-- @treturn table
M.Vector3i = vector("Vector3i", { "x", "y", "z" }, int32)
--- A Godot Vector4.
-- @function Vector4
-- @tparam[opt=0] number x
-- @tparam[opt=0] number y
-- @tparam[opt=0] number z
-- @tparam[opt=0] number w
-- @treturn table
M.Vector4 = vector("Vector4", { "x", "y", "z", "w" }, number)
--- A Godot Vector4i: int32 components.
-- @function Vector4i
-- @tparam[opt=0] integer x
-- @tparam[opt=0] integer y
-- @tparam[opt=0] integer z
-- @tparam[opt=0] integer w
-- @treturn table
M.Vector4i = vector("Vector4i", { "x", "y", "z", "w" }, int32)

--- A Godot Quaternion; no arguments give the identity (0, 0, 0, 1).
-- @tparam[opt=0] number x
-- @tparam[opt=0] number y
-- @tparam[opt=0] number z
-- @tparam[opt=1] number w
-- @treturn table
function M.Quaternion(x, y, z, w)
  return {
    __godot = "Quaternion",
    x = number("Quaternion", "x", x),
    y = number("Quaternion", "y", y),
    z = number("Quaternion", "z", z),
    w = number("Quaternion", "w", w, 1),
  }
end

--- A Godot Color, components 0..1; no arguments give opaque black.
-- @tparam[opt=0] number r
-- @tparam[opt=0] number g
-- @tparam[opt=0] number b
-- @tparam[opt=1] number a
-- @treturn table
function M.Color(r, g, b, a)
  return {
    __godot = "Color",
    r = number("Color", "r", r),
    g = number("Color", "g", g),
    b = number("Color", "b", b),
    a = number("Color", "a", a, 1),
  }
end

--- A Godot Rect2: `Rect2(position, size)` with two Vector2 tables, or
-- `Rect2(x, y, width, height)`.
-- @param a position (a Vector2) or x
-- @param b size (a Vector2) or y
-- @tparam[opt] number c width
-- @tparam[opt] number d height
-- @treturn table
function M.Rect2(a, b, c, d)
  if type(a) == "table" then
    b = b or {}
    return { __godot = "Rect2", position = M.Vector2(a.x, a.y), size = M.Vector2(b.x, b.y) }
  end
  return { __godot = "Rect2", position = M.Vector2(a, b), size = M.Vector2(c, d) }
end

--- A Godot Rect2i (int32 components): `Rect2i(position, size)` or
-- `Rect2i(x, y, width, height)`.
-- @param a position (a Vector2i) or x
-- @param b size (a Vector2i) or y
-- @tparam[opt] integer c width
-- @tparam[opt] integer d height
-- @treturn table
function M.Rect2i(a, b, c, d)
  if type(a) == "table" then
    b = b or {}
    return { __godot = "Rect2i", position = M.Vector2i(a.x, a.y), size = M.Vector2i(b.x, b.y) }
  end
  return { __godot = "Rect2i", position = M.Vector2i(a, b), size = M.Vector2i(c, d) }
end

--- A Godot AABB.
-- @tparam[opt] table position a Vector3
-- @tparam[opt] table size a Vector3
-- @treturn table
function M.AABB(position, size)
  position, size = position or {}, size or {}
  return {
    __godot = "AABB",
    position = M.Vector3(position.x, position.y, position.z),
    size = M.Vector3(size.x, size.y, size.z),
  }
end

--- A Godot Plane: `Plane(normal, d)` with a Vector3 normal, or
-- `Plane(a, b, c, d)`.
-- @param a normal (a Vector3) or a
-- @param b d or b
-- @tparam[opt] number c
-- @tparam[opt] number d
-- @treturn table
function M.Plane(a, b, c, d)
  if type(a) == "table" then
    return { __godot = "Plane", normal = M.Vector3(a.x, a.y, a.z), d = number("Plane", "d", b) }
  end
  return { __godot = "Plane", normal = M.Vector3(a, b, c), d = number("Plane", "d", d) }
end

local function copy_vector(ctor, v, default)
  v = v or default
  return ctor(v.x, v.y, v.z, v.w)
end

--- A Godot Transform2D: the two axis columns and the origin, each a
-- Vector2; no arguments give the identity.
-- @tparam[opt] table x
-- @tparam[opt] table y
-- @tparam[opt] table origin
-- @treturn table
function M.Transform2D(x, y, origin)
  return {
    __godot = "Transform2D",
    x = copy_vector(M.Vector2, x, { x = 1, y = 0 }),
    y = copy_vector(M.Vector2, y, { x = 0, y = 1 }),
    origin = copy_vector(M.Vector2, origin, {}),
  }
end

--- A Godot Basis: the three column vectors (Godot's Basis.x/.y/.z), each
-- a Vector3; no arguments give the identity.
-- @tparam[opt] table x
-- @tparam[opt] table y
-- @tparam[opt] table z
-- @treturn table
function M.Basis(x, y, z)
  return {
    __godot = "Basis",
    x = copy_vector(M.Vector3, x, { x = 1 }),
    y = copy_vector(M.Vector3, y, { y = 1 }),
    z = copy_vector(M.Vector3, z, { z = 1 }),
  }
end

--- A Godot Transform3D; no arguments give the identity.
-- @tparam[opt] table basis a Basis
-- @tparam[opt] table origin a Vector3
-- @treturn table
function M.Transform3D(basis, origin)
  basis = basis or M.Basis()
  return {
    __godot = "Transform3D",
    basis = M.Basis(basis.x, basis.y, basis.z),
    origin = copy_vector(M.Vector3, origin, {}),
  }
end

--- A Godot Projection: the four column vectors, each a Vector4; no
-- arguments give the identity.
-- @tparam[opt] table x
-- @tparam[opt] table y
-- @tparam[opt] table z
-- @tparam[opt] table w
-- @treturn table
function M.Projection(x, y, z, w)
  return {
    __godot = "Projection",
    x = copy_vector(M.Vector4, x, { x = 1 }),
    y = copy_vector(M.Vector4, y, { y = 1 }),
    z = copy_vector(M.Vector4, z, { z = 1 }),
    w = copy_vector(M.Vector4, w, { w = 1 }),
  }
end

--- A string sent as Godot's StringName (received ones decode to plain
-- strings).
-- @string name
-- @treturn table
function M.StringName(name)
  assert(type(name) == "string", "StringName: name must be a string")
  return { __godot = "StringName", name = name }
end

--- A Godot NodePath, e.g. "/root/Main/Player:position:x".
-- @string path
-- @treturn table
function M.NodePath(path)
  assert(type(path) == "string", "NodePath: path must be a string")
  return { __godot = "NodePath", path = path }
end

--- A Godot RID: a resource id as sent by Godot 4 (Godot 3 sends no id).
-- @tparam[opt=0] integer id
-- @treturn table
function M.RID(id)
  return { __godot = "RID", id = number("RID", "id", id) }
end

--- A Godot PackedByteArray, from a string or a table of byte values.
-- @tparam[opt=""] string|table bytes
-- @treturn table `{__godot="PackedByteArray", data=bytes}`
function M.PackedByteArray(bytes)
  if type(bytes) == "table" then
    local chars = {}
    for i = 1, #bytes do
      chars[i] = string.char(bytes[i])
    end
    bytes = table.concat(chars)
  end
  assert(bytes == nil or type(bytes) == "string", "PackedByteArray: expected a string or a table")
  return { __godot = "PackedByteArray", data = bytes or "" }
end

local function packed(type_name)
  return function(elements)
    local t = { __godot = type_name }
    for i = 1, elements and #elements or 0 do
      t[i] = elements[i]
    end
    return t
  end
end

--- A Godot PackedInt32Array: a copy of `t[1..#t]`. The encoder checks
-- each element (range, type); so for the other packed arrays.
-- @function PackedInt32Array
-- @tparam[opt] table t
-- @treturn table
M.PackedInt32Array = packed("PackedInt32Array")
--- A Godot PackedInt64Array: a copy of `t[1..#t]`.
-- @function PackedInt64Array
-- @tparam[opt] table t
-- @treturn table
M.PackedInt64Array = packed("PackedInt64Array")
--- A Godot PackedFloat32Array: a copy of `t[1..#t]`.
-- @function PackedFloat32Array
-- @tparam[opt] table t
-- @treturn table
M.PackedFloat32Array = packed("PackedFloat32Array")
--- A Godot PackedFloat64Array: a copy of `t[1..#t]`.
-- @function PackedFloat64Array
-- @tparam[opt] table t
-- @treturn table
M.PackedFloat64Array = packed("PackedFloat64Array")
--- A Godot PackedStringArray: a copy of `t[1..#t]`.
-- @function PackedStringArray
-- @tparam[opt] table t
-- @treturn table
M.PackedStringArray = packed("PackedStringArray")
--- A Godot PackedVector2Array: a copy of `t[1..#t]` (Vector2 tables).
-- @function PackedVector2Array
-- @tparam[opt] table t
-- @treturn table
M.PackedVector2Array = packed("PackedVector2Array")
--- A Godot PackedVector3Array: a copy of `t[1..#t]` (Vector3 tables).
-- @function PackedVector3Array
-- @tparam[opt] table t
-- @treturn table
M.PackedVector3Array = packed("PackedVector3Array")
--- A Godot PackedColorArray: a copy of `t[1..#t]` (Color tables).
-- @function PackedColorArray
-- @tparam[opt] table t
-- @treturn table
M.PackedColorArray = packed("PackedColorArray")
--- A Godot PackedVector4Array: a copy of `t[1..#t]` (Vector4 tables).
-- @function PackedVector4Array
-- @tparam[opt] table t
-- @treturn table
M.PackedVector4Array = packed("PackedVector4Array")

return M
