-- put_var / get_var as Godot's PacketPeer has them (issue 18, points 2
-- and 3): the encode_buffer_max_size property that bounds put_var, and the
-- boolean full_objects / allow_objects argument beside the options table.
local H = require("helper")
local enet = H.enet
local Error = enet.Error

local MiB = 1024 * 1024

-- A String of n ASCII bytes encodes to 8 + n rounded up to 4 bytes.
local function text(n)
  return string.rep("a", n)
end

describe("ENetPacketPeer", function()
  describe("encode_buffer_max_size", function()
    it("defaults to Godot's 8 MiB, per peer", function()
      local s, c, speer, cpeer = H.pair()
      assert.are.equal(8 * MiB, cpeer:get_encode_buffer_max_size())
      cpeer:set_encode_buffer_max_size(4096)
      assert.are.equal(4096, cpeer:get_encode_buffer_max_size())
      assert.are.equal(8 * MiB, speer:get_encode_buffer_max_size())
      c:destroy()
      s:destroy()
    end)

    it("rounds a new size up to a power of two, as Godot does", function()
      local s, c, _, cpeer = H.pair()
      for _, case in ipairs({ { 2000, 2048 }, { 1024, 1024 }, { 1025, 2048 }, { 5000000, 8 * MiB },
        { 256 * MiB, 256 * MiB } }) do
        cpeer:set_encode_buffer_max_size(case[1])
        assert.are.equal(case[2], cpeer:get_encode_buffer_max_size(), case[1])
      end
      c:destroy()
      s:destroy()
    end)

    it("raises outside 1024 .. 256 MiB and keeps the old value", function()
      local s, c, _, cpeer = H.pair()
      cpeer:set_encode_buffer_max_size(4096)
      for _, bad in ipairs({ 1023, 0, -1, 256 * MiB + 1, 2 ^ 40 }) do
        assert.has_error(function() cpeer:set_encode_buffer_max_size(bad) end)
      end
      assert.has_error(function() cpeer:set_encode_buffer_max_size("4096x") end)
      assert.has_error(function() cpeer:set_encode_buffer_max_size() end)
      assert.are.equal(4096, cpeer:get_encode_buffer_max_size())
      c:destroy()
      s:destroy()
    end)

    it("put_var returns nil, message, ERR_OUT_OF_MEMORY past it and sends nothing", function()
      local s, c, speer, cpeer = H.pair()
      cpeer:set_encode_buffer_max_size(1024)
      assert.is_true(cpeer:put_var(text(1016))) -- 1024 bytes: at the limit
      local v, msg, code = cpeer:put_var(text(1017)) -- 1028 bytes
      assert.is_nil(v)
      assert.are.equal(Error.ERR_OUT_OF_MEMORY, code)
      assert.matches("1028 bytes.*encode_buffer_max_size %(1024%)", msg)
      assert.is_true(cpeer:put_var("end"))
      H.pump_until("variants", { s, c }, function() return speer:get_available_packet_count() == 2 end)
      H.pump({ s, c }, function() return false end, nil, 0.05)
      assert.are.equal(2, speer:get_available_packet_count())
      assert.are.equal(text(1016), speer:get_var())
      assert.are.equal("end", speer:get_var())
      c:destroy()
      s:destroy()
    end)

    it("refuses a 9 MiB value at the default, as Godot", function()
      local s, c, _, cpeer = H.pair()
      local v, _, code = cpeer:put_var(enet.PackedByteArray(string.rep("\0", 9 * MiB)))
      assert.is_nil(v)
      assert.are.equal(Error.ERR_OUT_OF_MEMORY, code)
      c:destroy()
      s:destroy()
    end)

    it("is checked before the peer's state (Godot's order) and kept on a dead peer", function()
      local s, c, _, cpeer = H.pair()
      cpeer:set_encode_buffer_max_size(1024)
      c:destroy()
      assert.are.equal(Error.ERR_OUT_OF_MEMORY, select(3, cpeer:put_var(text(2000))))
      assert.are.equal(Error.ERR_UNCONFIGURED, select(3, cpeer:put_var(1)))
      assert.are.equal(1024, cpeer:get_encode_buffer_max_size())
      cpeer:set_encode_buffer_max_size(3000)
      assert.are.equal(4096, cpeer:get_encode_buffer_max_size())
      s:destroy()
    end)
  end)

  describe("full_objects / allow_objects", function()
    it("put_var(v, false) and get_var(false) work as without the argument", function()
      local s, c, speer, cpeer = H.pair()
      assert.is_true(cpeer:put_var({ x = 1 }, false))
      H.pump_until("variant", { s, c }, function() return speer:get_available_packet_count() == 1 end)
      assert.are.same({ x = 1 }, speer:get_var(false))
      c:destroy()
      s:destroy()
    end)

    it("true raises (no full objects from Lua), sending and consuming nothing", function()
      local s, c, speer, cpeer = H.pair()
      local ok, err = pcall(cpeer.put_var, cpeer, 1, true)
      assert.is_false(ok)
      assert.matches("full_objects", err, 1, true)
      assert.is_true(cpeer:put_var("only this"))
      H.pump_until("variant", { s, c }, function() return speer:get_available_packet_count() == 1 end)
      H.pump({ s, c }, function() return false end, nil, 0.05)
      ok, err = pcall(speer.get_var, speer, true)
      assert.is_false(ok)
      assert.matches("allow_objects", err, 1, true)
      assert.are.equal(1, speer:get_available_packet_count())
      assert.are.equal("only this", speer:get_var())
      c:destroy()
      s:destroy()
    end)

    it("var_to_bytes and bytes_to_var take false (Godot 3's argument) and refuse true", function()
      local bytes = enet.var_to_bytes({ 1, "two" })
      assert.are.equal(bytes, enet.var_to_bytes({ 1, "two" }, false))
      assert.are.same({ 1, "two" }, enet.bytes_to_var(bytes, false))
      assert.has_error(function() enet.var_to_bytes(1, true) end)
      assert.has_error(function() enet.bytes_to_var(bytes, true) end)
    end)

    it("still raises for any other argument", function()
      local s, c, speer, cpeer = H.pair()
      for _, bad in ipairs({ 0, "godot3", function() end }) do
        local ok, err = pcall(cpeer.put_var, cpeer, 1, bad)
        assert.is_false(ok)
        assert.matches("options table or false expected", err, 1, true)
        assert.has_error(function() speer:get_var(bad) end)
        assert.has_error(function() enet.bytes_to_var("", bad) end)
      end
      c:destroy()
      s:destroy()
    end)
  end)
end)
