-- Soak: a client floods a server peer that never reads. The server keeps at
-- most get_max_unread_bytes() (32 MiB) of it; the rest is dropped and
-- counted, and the process stays under that bound plus ENet's buffers.
local S = require("soak_helper")
local H = S.H

local MIB = 1024 * 1024
local COUNT = S.scale(400, 100)

describe("unread packets", function()
  it("cost at most the per-peer byte bound: " .. COUNT .. " x 1 MiB from one client", function()
    local s, c, speer, cpeer = H.pair()
    collectgarbage()
    local before = H.rss_kib()
    H.flood_unread(s, c, speer, cpeer, COUNT, MIB)
    local grown = H.rss_kib() - before
    S.report("unread", { { "sent MiB", COUNT }, { "kept", speer:get_available_packet_count() },
      { "dropped", speer:get_dropped_packet_count() }, { "RSS grown KiB", grown } })
    assert.are.equal(32, speer:get_available_packet_count())
    assert.are.equal(COUNT - 32, speer:get_dropped_packet_count())
    assert.is_true(grown < 48 * 1024, "RSS grew by " .. grown .. " KiB")
    c:destroy()
    s:destroy()
  end)
end)
