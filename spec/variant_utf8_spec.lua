-- Strings and UTF-8 (docs/variant.md, "Strings and UTF-8"). A Godot String
-- is text: Godot's decoder refuses a STRING, StringName, NodePath name,
-- Signal name or PackedStringArray element whose bytes are not UTF-8, with
-- ERR_INVALID_DATA. So var_to_bytes / put_var raise for a Lua string that
-- would become such a String, pointing to enet.PackedByteArray for bytes,
-- and bytes_to_var / get_var refuse those bytes as Godot does. Godot 4's
-- rule is RFC 3629; Godot 3's (options {godot3 = true}) is laxer, checked
-- here against godot3-server itself.
local H = require("helper")
local enet = H.enet

local ERR_INVALID_DATA = 30
local G3 = { godot3 = true }

local function u32(n)
  return string.char(n % 256, math.floor(n / 256) % 256, math.floor(n / 65536) % 256,
    math.floor(n / 16777216) % 256)
end

-- A Godot String payload: u32 length, the bytes, zero padding to 4.
local function str(s)
  return u32(#s) .. s .. string.rep("\0", (4 - #s % 4) % 4)
end

local function hex(s)
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

-- Invalid under both rules, and under Godot 4's only.
local invalid_everywhere = {
  { "an invalid byte", "ab\255cd", 3 },
  { "a stray continuation byte", "ab\128", 3 },
  { "a truncated sequence", "ab\226\130", 3 },
  { "a truncated sequence before ASCII", "\226\130ab", 1 },
  { "a bad continuation byte", "\226(\161", 1 },
  { "a 2-byte overlong", "\192\175", 1 },
  { "an overlong NUL", "x\192\128", 2 },
}
local invalid_for_godot4 = {
  { "a 3-byte overlong", "\224\128\175", 1 },
  { "a 4-byte overlong", "\240\130\130\172", 1 },
  { "a surrogate", "12345678\237\160\128", 9 },
  { "a code point above U+10FFFF", "\244\144\128\128", 1 },
  { "a 5-byte form", "\248\136\128\128\128", 1 },
}
local valid = {
  "", "plain ASCII", "a\0b", "\127", "\194\128", "\223\191", "\224\160\128", "\237\159\191",
  "\238\128\128", "\239\191\191", "\240\144\128\128", "\244\143\191\191",
  "h\195\169llo \226\130\172 \240\159\152\128", -- héllo € 😀
}

local function encode_error(value, opt)
  local ok, err = pcall(enet.var_to_bytes, value, opt)
  assert.is_false(ok, "encoded")
  return tostring(err)
end

local function each_invalid(rule, f)
  for _, case in ipairs(invalid_everywhere) do
    f(case[1], case[2], case[3])
  end
  if rule == "godot4" then
    for _, case in ipairs(invalid_for_godot4) do
      f(case[1], case[2], case[3])
    end
  end
end

describe("Strings and UTF-8", function()
  describe("encoding (var_to_bytes, put_var)", function()
    it("refuses each kind of invalid string, naming the byte and PackedByteArray", function()
      each_invalid("godot4", function(name, s, at)
        local err = encode_error(s)
        assert.matches("not valid UTF%-8 at byte " .. at .. "[^%d]", err, nil, false, name)
        assert.matches("enet.PackedByteArray(s)", err, 1, true)
        assert.matches("(at value)", err, 1, true)
      end)
    end)

    it("refuses it as a dictionary key, a nested value, and in every String-bearing type", function()
      local bad = "caf\233" -- Latin-1 é
      assert.matches("(at value.<key>)", encode_error({ [bad] = 1 }), 1, true)
      assert.matches('(at value["list"][2])', encode_error({ list = { "ok", bad } }), 1, true)
      assert.matches("(at value[1].<key>)", encode_error({ { [bad] = true } }), 1, true)
      assert.matches("(at value.name)", encode_error(enet.StringName(bad)), 1, true)
      assert.matches("(at value.path)", encode_error(enet.NodePath("/root/" .. bad)), 1, true)
      assert.matches("(at value[2])", encode_error(enet.PackedStringArray({ "a", bad })), 1, true)
      local signal = { __godot = "Signal", name = bad, object_id = 1 }
      assert.matches("(at value.name)", encode_error(signal), 1, true)
    end)

    it("accepts valid multi-byte text in every String-bearing type, and it round-trips", function()
      for _, s in ipairs(valid) do
        assert.are.equal(s, enet.bytes_to_var(enet.var_to_bytes(s)))
        assert.are.same({ [s] = s }, enet.bytes_to_var(enet.var_to_bytes(enet.Dictionary({ [s] = s }))))
        local packed = enet.bytes_to_var(enet.var_to_bytes(enet.PackedStringArray({ s, "x" })))
        assert.are.same({ s, "x" }, { packed[1], packed[2] })
        assert.are.equal(s, enet.bytes_to_var(enet.var_to_bytes(enet.StringName(s))))
      end
      local path = "/root/Jo\195\171l:position"
      assert.are.equal(path, enet.bytes_to_var(enet.var_to_bytes(enet.NodePath(path))).path)
    end)

    it("sends any bytes as a PackedByteArray", function()
      each_invalid("godot4", function(_, s)
        local back = enet.bytes_to_var(enet.var_to_bytes(enet.PackedByteArray(s)))
        assert.are.equal(s, back.data)
      end)
    end)

    it("put_var raises the same refusal and sends nothing", function()
      local s, c, speer, cpeer = H.pair()
      local ok, err = pcall(cpeer.put_var, cpeer, { text = "\255" })
      assert.is_false(ok)
      assert.matches('not valid UTF%-8 at byte 1.*PackedByteArray.*%(at value%["text"%]%)', tostring(err))
      assert.is_true(cpeer:put_var("after"))
      H.pump_until("variant", { s, c }, function() return speer:get_available_packet_count() == 1 end)
      assert.are.equal("after", speer:get_var())
      c:destroy()
      s:destroy()
    end)
  end)

  describe("decoding (bytes_to_var, get_var)", function()
    -- Each place a Godot String travels, with `s` as that string.
    local carriers = {
      { "a String", function(s) return u32(4) .. str(s) end },
      { "a StringName", function(s) return u32(21) .. str(s) end },
      { "a NodePath name", function(s)
        return u32(22) .. u32(0x80000002) .. u32(0) .. u32(1) .. str("root") .. str(s)
      end },
      { "a Signal name", function(s) return u32(26) .. str(s) .. u32(1) .. u32(0) end },
      { "a PackedStringArray element", function(s) return u32(34) .. u32(2) .. str("ok\0") .. str(s .. "\0") end },
      { "a dictionary key", function(s) return u32(27) .. u32(1) .. u32(4) .. str(s) .. u32(0) end },
      { "an Array element", function(s) return u32(28) .. u32(2) .. u32(1) .. u32(1) .. u32(4) .. str(s) end },
      { "a typed Array's class name", function(s) return u32(28 + 2 * 65536) .. str(s) .. u32(0) end },
    }

    it("refuses an invalid string wherever it travels with ERR_INVALID_DATA, at its byte", function()
      each_invalid("godot4", function(name, s, at)
        for _, carrier in ipairs(carriers) do
          local bytes = carrier[2](s)
          local v, msg, code = enet.bytes_to_var(bytes)
          assert.is_nil(v, name .. " in " .. carrier[1])
          assert.are.equal(ERR_INVALID_DATA, code, name .. " in " .. carrier[1])
          assert.matches("not valid UTF-8", msg, 1, true)
          -- the offset of the bad byte: where its string starts, plus `at`
          local start = assert(bytes:find(s, 1, true), carrier[1]) - 1
          assert.matches("(at byte " .. (start + at - 1) .. ")", msg, 1, true)
        end
      end)
    end)

    it("decodes valid text in each of those places", function()
      for _, carrier in ipairs(carriers) do
        for _, s in ipairs(valid) do
          local v, msg = enet.bytes_to_var(carrier[2](s))
          assert.is_nil(msg, carrier[1] .. ": " .. tostring(msg))
          assert.is_not_nil(v)
        end
      end
    end)

    it("get_var returns nil, message, ERR_INVALID_DATA and sets get_packet_error", function()
      local s, c, speer, cpeer = H.pair()
      cpeer:put_packet(u32(4) .. str("\237\160\128"))
      H.pump_until("packet", { s, c }, function() return speer:get_available_packet_count() == 1 end)
      local v, msg, code = speer:get_var()
      assert.is_nil(v)
      assert.are.equal(ERR_INVALID_DATA, code)
      assert.matches("not valid UTF-8", msg, 1, true)
      assert.are.equal(ERR_INVALID_DATA, speer:get_packet_error())
      c:destroy()
      s:destroy()
    end)
  end)

  describe("Godot 3 mode", function()
    it("refuses what Godot 3 refuses, both ways", function()
      each_invalid("godot3", function(name, s, at)
        assert.matches("not valid UTF%-8 at byte " .. at .. "[^%d]", encode_error(s, G3))
        local v, _, code = enet.bytes_to_var(u32(4) .. str(s), G3)
        assert.is_nil(v, name)
        assert.are.equal(ERR_INVALID_DATA, code, name)
      end)
    end)

    it("takes what Godot 3 takes (surrogates, above U+10FFFF, long overlongs), both ways", function()
      for _, case in ipairs(invalid_for_godot4) do
        local s = case[2]
        assert.are.equal(u32(4) .. str(s), enet.var_to_bytes(s, G3))
        assert.are.equal(s, enet.bytes_to_var(u32(4) .. str(s), G3), case[1])
        local packed = enet.bytes_to_var(enet.var_to_bytes(enet.PackedStringArray({ s }), G3), G3)
        assert.are.equal(s, packed[1], case[1])
      end
    end)

    -- godot3-server's bytes2var, on the same bytes, must accept and refuse
    -- exactly as bytes_to_var(..., {godot3 = true}) does.
    it("agrees with godot3-server's bytes2var on which strings are UTF-8", function()
      local cases = { valid[13], valid[10], "\224\128\144", "\240\128\136\128", "\252\128\130\128\128\128" }
      for _, case in ipairs(invalid_everywhere) do cases[#cases + 1] = case[2] end
      for _, case in ipairs(invalid_for_godot4) do cases[#cases + 1] = case[2] end
      for _, s in ipairs({ "\224\128\128", "\224\128\143", "\240\128\135\191", "\248\128\131\128\128",
        "\252\128\129\128\128\128", "\254", "\193\191", "\194" }) do
        cases[#cases + 1] = s
      end
      -- A refused input stops the GDScript function that called bytes2var:
      -- one call per case, and a case with no "R" line was refused.
      local lines = {
        "extends SceneTree",
        "func unhex(s):",
        "\tvar out = PoolByteArray()",
        "\tfor i in range(0, s.length(), 2):",
        '\t\tout.append(("0x" + s.substr(i, 2)).hex_to_int())',
        "\treturn out",
        "func check(i, s):",
        '\tprint("R ", i, " ", typeof(bytes2var(unhex(s))))',
        "func _init():",
      }
      for i, s in ipairs(cases) do
        lines[#lines + 1] = '\tcheck(' .. i .. ', "' .. hex(u32(4) .. str(s)) .. '")'
      end
      lines[#lines + 1] = '\tprint("DONE")'
      lines[#lines + 1] = "\tquit()"
      local out = H.run_godot3(lines)
      assert.matches("\nDONE", out, 1, true)
      local godot_takes, takes, refuses = {}, 0, 0
      for i, type_id in out:gmatch("\nR (%d+) (%d+)") do
        godot_takes[tonumber(i)] = type_id == "4" -- TYPE_STRING
      end
      for i, s in ipairs(cases) do
        local ours = enet.bytes_to_var(u32(4) .. str(s), G3) ~= nil
        assert.are.equal(godot_takes[i] == true, ours, "bytes " .. hex(s))
        takes, refuses = takes + (ours and 1 or 0), refuses + (ours and 0 or 1)
      end
      assert.is_true(takes == 10 and refuses == 15, takes .. " taken, " .. refuses .. " refused")
    end)
  end)
end)
