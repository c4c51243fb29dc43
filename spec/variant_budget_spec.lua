-- The memory budget of Variant decoding (docs/variant.md, "Memory budget"):
-- bytes_to_var and get_var refuse bytes whose decoded value would take more
-- Lua memory than 8 times their length + 1 MiB, with ERR_INVALID_DATA, and
-- the Lua heap grows by less than that budget on the way. Inputs stay at a
-- few MiB: some LuaJIT builds have a small heap.
local H = require("helper")
local enet = H.enet

local ERR_INVALID_DATA = 30
local FACTOR, SLACK = 8, 1024 * 1024

local function budget(n)
  return FACTOR * n + SLACK
end

local function u32(n)
  return string.char(n % 256, math.floor(n / 256) % 256, math.floor(n / 65536) % 256,
    math.floor(n / 16777216) % 256)
end

local function array_of(count, element)
  return u32(28) .. u32(count) .. string.rep(element, count)
end

-- Runs f() with the collector stopped; returns its three results and the
-- growth of the Lua heap in bytes.
local function measured(f)
  collectgarbage("collect")
  collectgarbage("collect")
  collectgarbage("stop")
  local before = collectgarbage("count")
  local v, message, code = f()
  local growth = (collectgarbage("count") - before) * 1024
  collectgarbage("restart")
  return v, message, code, growth
end

local function refused_within_budget(bytes)
  local v, message, code, growth = measured(function() return enet.bytes_to_var(bytes) end)
  assert.is_true(growth < budget(#bytes),
    string.format("heap grew by %d bytes for %d input bytes", growth, #bytes))
  assert.is_true(v == nil, "decoded") -- (not is_nil: printing a huge value takes minutes)
  assert.are.equal(ERR_INVALID_DATA, code)
  assert.matches("more Lua memory than 8 times its bytes %+ 1 MiB", message)
end

local function decodes_within_budget(bytes)
  local v, message, code, growth = measured(function() return enet.bytes_to_var(bytes) end)
  assert.is_nil(message, message)
  assert.is_nil(code)
  assert.is_true(growth < budget(#bytes),
    string.format("heap grew by %d bytes for %d input bytes", growth, #bytes))
  return v
end

describe("the Variant decoding memory budget", function()
  describe("bytes_to_var", function()
    -- About 2 MiB each: every one of these costs 9 to 30 times its bytes.
    local headers = {
      { "Callable headers (4 bytes each)", 512 * 1024, u32(25) },
      { "empty Arrays", 256 * 1024, u32(28) .. u32(0) },
      { "empty Dictionaries", 256 * 1024, u32(27) .. u32(0) },
      { "RIDs", 170 * 1024, u32(23) .. u32(1) .. u32(0) },
      { "Objects as id", 170 * 1024, u32(24 + 65536) .. u32(1) .. u32(0) },
    }
    for _, case in ipairs(headers) do
      it("refuses an Array of 2 MiB of " .. case[1] .. " with ERR_INVALID_DATA", function()
        refused_within_budget(array_of(case[2], case[3]))
      end)
    end

    it("refuses containers that each claim more elements than arrive", function()
      -- 200 levels, each claiming a quarter (an eighth) of the 64 KiB as
      -- elements: sizing each level's table for that claim used to take
      -- 50 MiB before the missing elements were noticed.
      local n = 64 * 1024
      for _, claim in ipairs({ u32(28) .. u32(n / 4), u32(27) .. u32(n / 8) }) do
        local bytes = string.rep(claim, 200)
        refused_within_budget(bytes .. string.rep("\0", n - #bytes))
      end
    end)

    it("refuses a PackedVector2Array too large for the budget before building it", function()
      local points = 64 * 1024
      local bytes = u32(35) .. u32(points) .. string.rep("\0", 8 * points)
      local _, _, code, growth = measured(function() return enet.bytes_to_var(bytes) end)
      assert.are.equal(ERR_INVALID_DATA, code)
      assert.is_true(growth < 64 * 1024)
    end)

    it("still decodes large strings, byte arrays and arrays of numbers", function()
      local big = string.rep("abcdefgh", 512 * 1024) -- 4 MiB
      assert.are.equal(big, decodes_within_budget(enet.var_to_bytes(big)))
      assert.are.equal(big, decodes_within_budget(enet.var_to_bytes(enet.PackedByteArray(big))).data)
      local numbers = {}
      for i = 1, 200000 do
        numbers[i] = i
      end
      local ints = decodes_within_budget(enet.var_to_bytes(numbers))
      assert.are.equal(200000, #ints)
      assert.are.equal(123456, ints[123456])
      local packed = decodes_within_budget(enet.var_to_bytes(enet.PackedFloat64Array(numbers)))
      assert.are.equal(200000, packed[200000])
    end)

    it("still decodes realistic nested structures of any size", function()
      local players = {}
      for i = 1, 20000 do
        players[i] = { name = "player" .. i, pos = enet.Vector2(i, -i), hp = 100 - i % 100,
          team = i % 2 == 0 and "red" or "blue", items = enet.Array({ "sword", i }) }
      end
      local bytes = enet.var_to_bytes({ tick = 7, players = players })
      assert.is_true(#bytes > 2 * 1024 * 1024)
      local v = decodes_within_budget(bytes)
      assert.are.equal(20000, #v.players)
      local p = v.players[12345]
      assert.are.same({ "player12345", 12345, -12345, 55, "blue", "sword", 12345 },
        { p.name, p.pos.x, p.pos.y, p.hp, p.team, p.items[1], p.items[2] })
    end)

    it("still decodes a few thousand tagged values, which the 1 MiB allows", function()
      local points = {}
      for i = 1, 3000 do
        points[i] = enet.Vector2(i, i)
      end
      local v = decodes_within_budget(enet.var_to_bytes(enet.PackedVector2Array(points)))
      assert.are.equal(3000, v[3000].x)
      local callables = decodes_within_budget(array_of(3000, u32(25)))
      assert.are.equal("Callable", callables[3000].__godot)
    end)
  end)

  describe("ENetPacketPeer:get_var", function()
    it("refuses a packet over the budget with ERR_INVALID_DATA, and consumes it", function()
      local s, c, speer, cpeer = H.pair()
      local packet = array_of(64 * 1024, u32(25)) -- 256 KiB of Callables: over 6 MiB in Lua
      assert.is_true(cpeer:put_packet(packet))
      cpeer:put_var("after")
      H.pump_until("packets", { s, c }, function() return speer:get_available_packet_count() == 2 end)
      local v, message, code, growth = measured(function() return speer:get_var() end)
      assert.is_true(v == nil, "decoded")
      assert.are.equal(ERR_INVALID_DATA, code)
      assert.matches("more Lua memory", message)
      assert.are.equal(ERR_INVALID_DATA, speer:get_packet_error())
      -- the packet itself becomes a Lua string before decoding
      assert.is_true(growth < budget(#packet) + #packet)
      assert.are.equal("after", speer:get_var())
      c:destroy()
      s:destroy()
    end)
  end)
end)
