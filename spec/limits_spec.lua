-- Resource limits: what happens when a program does not keep up.
local H = require("helper")
local P = H.P

describe("resource limits", function()
  it("bounds the queue of a peer that never reads: 65,536 kept, the rest dropped and counted", function()
    local s, c, speer, cpeer = H.pair()
    local total = 70000
    local sent = 0
    H.pump_until("all delivered", { s, c }, function()
      while sent < total and sent - (speer:get_available_packet_count() + speer:get_dropped_packet_count()) < 2000 do
        sent = sent + 1
        cpeer:send(0, tostring(sent), P.FLAG_RELIABLE)
      end
      return speer:get_available_packet_count() + speer:get_dropped_packet_count() == total
    end, nil, 60)
    assert.are.equal(65536, speer:get_available_packet_count())
    assert.are.equal(total - 65536, speer:get_dropped_packet_count())
    -- the oldest are kept, in order
    assert.are.equal("1", speer:get_packet())
    assert.are.equal("2", speer:get_packet())
    c:destroy()
    s:destroy()
  end)

  it("bounds the bytes a peer holds unread: packets over set_max_unread_bytes are dropped and counted", function()
    local s, c, speer, cpeer = H.pair()
    s:set_max_unread_bytes(4000)
    assert.are.equal(4000, s:get_max_unread_bytes())
    H.flood_unread(s, c, speer, cpeer, 10, 1000)
    assert.are.equal(4, speer:get_available_packet_count())
    assert.are.equal(6, speer:get_dropped_packet_count())
    -- reading makes room again
    assert.are.equal(string.rep("u", 1000), speer:get_packet())
    H.flood_unread(s, c, speer, cpeer, 1, 1000)
    assert.are.equal(4, speer:get_available_packet_count())
    c:destroy()
    s:destroy()
  end)

  it("keeps memory under the default 32 MiB bound when one client sends 64 x 1 MiB nobody reads", function()
    local s, c, speer, cpeer = H.pair()
    assert.are.equal(32 * 1024 * 1024, s:get_max_unread_bytes())
    collectgarbage()
    local before = H.rss_kib()
    H.flood_unread(s, c, speer, cpeer, 64, 1024 * 1024)
    local grown = H.rss_kib() - before
    assert.are.equal(32, speer:get_available_packet_count())
    assert.are.equal(32, speer:get_dropped_packet_count())
    -- 32 MiB kept, plus ENet's buffers for the packet in flight
    assert.is_true(grown < 48 * 1024, "RSS grew by " .. grown .. " KiB")
    c:destroy()
    s:destroy()
  end)

  it("refuses a byte bound out of range", function()
    local s = H.server()
    assert.has_error(function() s:set_max_unread_bytes(0) end)
    assert.has_error(function() s:set_max_unread_bytes("x") end)
    s:destroy()
  end)
end)
