--- Constructors for the Godot types that travel in Variant bytes.
-- Each returns the plain table that `var_to_bytes` encodes and
-- `bytes_to_var` produces, tagged with its Godot type name in `__godot`
-- (see docs/variant.md). Arguments follow Godot's constructors; missing
-- numbers default as in Godot (zero vectors, identity transforms, opaque
-- black).
-- @module enetconnection.variant
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

--- Vector2(x, y) -> `{__godot="Vector2", x=, y=}`.
M.Vector2 = vector("Vector2", { "x", "y" }, number)
--- Vector2i(x, y) with int32 components.
M.Vector2i = vector("Vector2i", { "x", "y" }, int32)
--- Vector3(x, y, z).
M.Vector3 = vector("Vector3", { "x", "y", "z" }, number)
--- Vector3i(x, y, z) with int32 components.
M.Vector3i = vector("Vector3i", { "x", "y", "z" }, int32)
--- Vector4(x, y, z, w).
M.Vector4 = vector("Vector4", { "x", "y", "z", "w" }, number)
--- Vector4i(x, y, z, w) with int32 components.
M.Vector4i = vector("Vector4i", { "x", "y", "z", "w" }, int32)

--- Quaternion(x, y, z, w); no arguments gives the identity (0, 0, 0, 1).
function M.Quaternion(x, y, z, w)
  return {
    __godot = "Quaternion",
    x = number("Quaternion", "x", x),
    y = number("Quaternion", "y", y),
    z = number("Quaternion", "z", z),
    w = number("Quaternion", "w", w, 1),
  }
end

--- Color(r, g, b, a=1); no arguments gives opaque black.
function M.Color(r, g, b, a)
  return {
    __godot = "Color",
    r = number("Color", "r", r),
    g = number("Color", "g", g),
    b = number("Color", "b", b),
    a = number("Color", "a", a, 1),
  }
end

--- Rect2(position, size) or Rect2(x, y, width, height).
function M.Rect2(a, b, c, d)
  if type(a) == "table" then
    b = b or {}
    return { __godot = "Rect2", position = M.Vector2(a.x, a.y), size = M.Vector2(b.x, b.y) }
  end
  return { __godot = "Rect2", position = M.Vector2(a, b), size = M.Vector2(c, d) }
end

--- Rect2i(position, size) or Rect2i(x, y, width, height), int32 components.
function M.Rect2i(a, b, c, d)
  if type(a) == "table" then
    b = b or {}
    return { __godot = "Rect2i", position = M.Vector2i(a.x, a.y), size = M.Vector2i(b.x, b.y) }
  end
  return { __godot = "Rect2i", position = M.Vector2i(a, b), size = M.Vector2i(c, d) }
end

--- AABB(position, size), both Vector3.
function M.AABB(position, size)
  position, size = position or {}, size or {}
  return {
    __godot = "AABB",
    position = M.Vector3(position.x, position.y, position.z),
    size = M.Vector3(size.x, size.y, size.z),
  }
end

--- Plane(normal, d) or Plane(a, b, c, d).
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

--- Transform2D(x, y, origin): the two axis columns and the origin, each a
-- Vector2; no arguments gives the identity.
function M.Transform2D(x, y, origin)
  return {
    __godot = "Transform2D",
    x = copy_vector(M.Vector2, x, { x = 1, y = 0 }),
    y = copy_vector(M.Vector2, y, { x = 0, y = 1 }),
    origin = copy_vector(M.Vector2, origin, {}),
  }
end

--- Basis(x, y, z): the three column vectors (Godot's Basis.x/.y/.z); no
-- arguments gives the identity.
function M.Basis(x, y, z)
  return {
    __godot = "Basis",
    x = copy_vector(M.Vector3, x, { x = 1 }),
    y = copy_vector(M.Vector3, y, { y = 1 }),
    z = copy_vector(M.Vector3, z, { z = 1 }),
  }
end

--- Transform3D(basis, origin); no arguments gives the identity.
function M.Transform3D(basis, origin)
  basis = basis or M.Basis()
  return {
    __godot = "Transform3D",
    basis = M.Basis(basis.x, basis.y, basis.z),
    origin = copy_vector(M.Vector3, origin, {}),
  }
end

--- Projection(x, y, z, w): the four column vectors, each a Vector4; no
-- arguments gives the identity.
function M.Projection(x, y, z, w)
  return {
    __godot = "Projection",
    x = copy_vector(M.Vector4, x, { x = 1 }),
    y = copy_vector(M.Vector4, y, { y = 1 }),
    z = copy_vector(M.Vector4, z, { z = 1 }),
    w = copy_vector(M.Vector4, w, { w = 1 }),
  }
end

--- StringName(name): sent as Godot's StringName (received ones decode to
-- plain strings).
function M.StringName(name)
  assert(type(name) == "string", "StringName: name must be a string")
  return { __godot = "StringName", name = name }
end

--- NodePath(path), e.g. "/root/Main/Player:position:x".
function M.NodePath(path)
  assert(type(path) == "string", "NodePath: path must be a string")
  return { __godot = "NodePath", path = path }
end

--- RID(id): a resource id as sent by Godot 4 (Godot 3 sends no id).
function M.RID(id)
  return { __godot = "RID", id = number("RID", "id", id) }
end

--- PackedByteArray(bytes): from a string, or from a table of byte values.
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

--- Packed arrays: PackedInt32Array(t) etc. copy the elements 1..#t of t.
-- The encoder checks each element (range, type).
M.PackedInt32Array = packed("PackedInt32Array")
M.PackedInt64Array = packed("PackedInt64Array")
M.PackedFloat32Array = packed("PackedFloat32Array")
M.PackedFloat64Array = packed("PackedFloat64Array")
M.PackedStringArray = packed("PackedStringArray")
M.PackedVector2Array = packed("PackedVector2Array")
M.PackedVector3Array = packed("PackedVector3Array")
M.PackedColorArray = packed("PackedColorArray")
M.PackedVector4Array = packed("PackedVector4Array")

return M
