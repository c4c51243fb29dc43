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
end)
