-- Many peers on one host, in one process.
local H = require("helper")
local C, P = H.C, H.P

describe("scale", function()
  it("connects 200 clients to one server and exchanges a message with each", function()
    local n = 200
    local s, port = H.server(n)
    local hosts, peers = { s }, {}
    for i = 1, n do
      local c = H.client()
      hosts[i + 1] = c
      peers[i] = assert(c:connect_to_host("127.0.0.1", port, 2, i))
    end
    local by_data = {}
    H.pump_until("200 connections", hosts, function() return #s:get_peers() == n end, function(h, t, peer, data)
      if h == s and t == C.EVENT_CONNECT then by_data[data] = peer end
    end, 60)
    for i = 1, n do
      assert.are.equal(P.STATE_CONNECTED, peers[i]:get_state())
      assert.is_not_nil(by_data[i])
      by_data[i]:send(1, "you are " .. i, P.FLAG_RELIABLE)
    end
    H.pump_until("200 replies", hosts, function()
      for i = 1, n do
        if peers[i]:get_available_packet_count() == 0 then return false end
      end
      return true
    end, nil, 60)
    for i = 1, n do
      assert.are.equal("you are " .. i, peers[i]:get_packet())
    end
    for i = 1, n + 1 do hosts[i]:destroy() end
  end)

  it("refuses the connection beyond max_peers and keeps the others", function()
    local s, port = H.server(2)
    local hosts, peers = { s }, {}
    for i = 1, 3 do
      hosts[i + 1] = H.client()
      peers[i] = hosts[i + 1]:connect_to_host("127.0.0.1", port)
      peers[i]:set_timeout(1, 300, 600)
    end
    local disconnected = 0
    H.pump_until("two in, one out", hosts, function() return disconnected == 1 and #s:get_peers() == 2 end,
      function(h, t) if h ~= s and t == C.EVENT_DISCONNECT then disconnected = disconnected + 1 end end, 10)
    local connected = 0
    for i = 1, 3 do
      if peers[i]:get_state() == P.STATE_CONNECTED then connected = connected + 1 end
    end
    assert.are.equal(2, connected)
    for i = 1, 4 do hosts[i]:destroy() end
  end)
end)
