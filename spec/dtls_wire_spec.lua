-- What DTLS hosts put on the wire, seen through the socket layer's capture
-- (the test hook conn:_capture(n) / conn:_captured()).
local H = require("helper")
local D = require("dtls_helper")
local C, P = H.C, H.P

describe("the wire capture (test hook)", function()
  it("keeps the last n datagrams with direction, bytes, address and port", function()
    local s, port = H.server()
    local c = H.client()
    assert.is_true(c:_capture(3))
    for i = 1, 5 do
      assert(c:socket_send("127.0.0.1", port, "raw " .. i))
    end
    local got = c:_captured()
    assert.are.equal(3, #got)
    for i, d in ipairs(got) do
      assert.are.same({ sent = true, data = "raw " .. (i + 2), address = "127.0.0.1", port = port }, d)
    end
    D.destroy_all(c, s)
  end)

  it("records received datagrams with their sender", function()
    local s, port = H.server()
    local c = H.client()
    assert(s:_capture(10))
    assert(c:socket_send("127.0.0.1", port, "to the server"))
    H.pump_until("the datagram", { s }, function() return #s:_captured() == 1 end)
    local d = s:_captured()[1]
    assert.is_false(d.sent)
    assert.are.equal("to the server", d.data)
    assert.are.equal(c:get_local_port(), d.port)
    D.destroy_all(c, s)
  end)

  it("stops with _capture(0), and is empty when never started", function()
    local s, port = H.server()
    local c = H.client()
    assert.are.same({}, c:_captured())
    assert(c:_capture(10))
    assert(c:socket_send("127.0.0.1", port, "one"))
    assert.are.equal(1, #c:_captured())
    assert(c:_capture(0))
    assert(c:socket_send("127.0.0.1", port, "two"))
    assert.are.same({}, c:_captured())
    D.destroy_all(c, s)
  end)

  it("raises for a bad count, before the host exists and after destroy()", function()
    local c = C.new()
    assert.has_error(function() c:_capture(1) end)
    assert(c:create_host(1))
    assert.has_error(function() c:_capture(-1) end)
    assert.has_error(function() c:_capture("many") end)
    c:destroy()
    assert.has_error(function() c:_captured() end, "connection destroyed")
  end)
end)

-- Runs a conversation full of recognisable payloads between s and c (both
-- capturing) and returns every datagram both captured.
local MARK = "PLAINTEXT-MARK"
local function conversation(s, c, port)
  assert(s:_capture(100000))
  assert(c:_capture(100000))
  local cpeer = assert(c:connect_to_host("127.0.0.1", port, 0, 7))
  local speer
  H.pump_until("the connection", { s, c }, function()
    return speer ~= nil and cpeer:get_state() == P.STATE_CONNECTED
  end, function(h, t, peer) if h == s and t == C.EVENT_CONNECT then speer = peer end end)
  local up, down = 0, 0
  local big = string.rep(MARK .. " big ", 800) -- fragmented by ENet
  for i = 1, 20 do
    local flags = ({ P.FLAG_RELIABLE, P.FLAG_UNSEQUENCED, 0 })[i % 3 + 1]
    cpeer:send(i % 4, MARK .. " up " .. i, flags)
    speer:send(i % 4, MARK .. " down " .. i, P.FLAG_RELIABLE)
  end
  cpeer:send(0, big, P.FLAG_RELIABLE)
  speer:send(1, big, P.FLAG_RELIABLE)
  s:broadcast(2, MARK .. " broadcast", P.FLAG_RELIABLE)
  assert(c:socket_send("127.0.0.1", port, MARK .. " socket_send"))
  H.pump_until("the payloads", { s, c }, function() return up >= 15 and down >= 22 end,
    function(_, t, peer)
      if t == C.EVENT_RECEIVE then
        if peer == speer then up = up + 1 else down = down + 1 end
      end
    end)
  cpeer:peer_disconnect(99)
  H.pump_until("the disconnect", { s, c }, function() return not speer:is_active() end)
  local all = {}
  for _, host in ipairs({ s, c }) do
    for _, d in ipairs(host:_captured()) do
      all[#all + 1] = d
    end
  end
  return all
end

local function count_marked(datagrams)
  local marked = 0
  for _, d in ipairs(datagrams) do
    if d.data:find(MARK, 1, true) then
      marked = marked + 1
    end
  end
  return marked
end

describe("a DTLS host", function()
  it("never puts plaintext ENet payload on the wire: only DTLS records", function()
    local s, port = D.server()
    local c = D.client()
    local datagrams = conversation(s, c, port)
    local sent, received = 0, 0
    for _, d in ipairs(datagrams) do
      assert.is_true(D.is_dtls_record(d.data), "not a DTLS record: " .. d.data:sub(1, 20))
      if d.sent then sent = sent + 1 else received = received + 1 end
    end
    assert.are.equal(0, count_marked(datagrams))
    assert.is_true(sent > 40 and received > 40, sent .. " sent, " .. received .. " received")
    D.destroy_all(c, s)
  end)

  it("is what makes the difference: the same conversation in plain ENet shows the payloads", function()
    local s, port = H.server()
    local c = H.client()
    local datagrams = conversation(s, c, port)
    assert.is_true(count_marked(datagrams) > 40)
    D.destroy_all(c, s)
  end)
end)
