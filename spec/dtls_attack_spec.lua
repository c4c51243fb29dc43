-- DTLS under attack: forged and replayed records from a connected client's
-- address, ClientHello floods, more handshakes than the server takes at
-- once.
local H = require("helper")
local D = require("dtls_helper")
local P = H.P
local socket = require("socket")

-- A DTLS server, a client connected through a relay (so the relay's
-- address is the client's, to the server), both capturing.
local function relayed_pair()
  local s, port = D.server()
  local relay = D.relay(port)
  local c = D.client()
  assert(s:_capture(10000))
  local speer, cpeer = D.connect(s, c, relay.port, { s, c, relay })
  return s, c, relay, speer, cpeer
end

-- Waits until the server has read `datagram` from the wire `times` times in
-- all (each service call processes whatever it read before returning).
local function wait_received(s, relay, datagram, times)
  local function seen()
    local n = 0
    for _, d in ipairs(D.captured(s, false)) do
      if d.data == datagram then n = n + 1 end
    end
    return n
  end
  H.pump_until("the server to read the datagram", { s, relay }, function() return seen() >= times end)
  return seen()
end

describe("a DTLS server", function()
  it("drops tampered and replayed records from a client's own address", function()
    local s, c, relay, speer, cpeer = relayed_pair()
    -- Hold what the client sends: one record carrying a reliable packet.
    relay.holding = true
    assert.is_true(cpeer:send(0, "exactly once", P.FLAG_RELIABLE))
    c:flush()
    H.pump_until("the held record", { relay }, function() return #relay.held >= 1 end)
    local record = relay.held[1]
    assert.are.equal(23, record:byte(1)) -- application data
    local received = function() return s:get_socket_counters().datagrams_received end
    local before = received()

    -- Forgeries from the client's address: the body, the authentication
    -- tag, the header (sequence number, epoch), cut short, with a byte
    -- after it, and (needing no capture at all) a one-byte record from
    -- another epoch followed by a byte, which mbedTLS 2.28 alone would take
    -- as a reason to end the session. Then the genuine record.
    local forgeries = {
      D.alter(record, 30), D.alter(record, -1), D.alter(record, 11), D.alter(record, 5),
      record:sub(1, -2), record .. "x", "\23\254\253\0\9\0\0\0\0\0\1\0\1yx",
    }
    for _, forged in ipairs(forgeries) do
      relay:inject(forged)
    end
    relay:inject(record)
    wait_received(s, relay, record, 1)
    assert.are.equal(before + 1, received()) -- only the genuine record reached ENet
    for _, forged in ipairs(forgeries) do
      assert.are.equal(1, wait_received(s, relay, forged, 1))
    end

    -- Replays of the genuine record, now that the server has seen it.
    for _ = 1, 3 do
      relay:inject(record)
    end
    assert.are.equal(4, wait_received(s, relay, record, 4))
    assert.are.equal(before + 1, received())

    -- The session survived it all: the packet came once, traffic flows.
    relay.holding = false
    for _, held in ipairs(relay.held) do
      relay:inject(held)
    end
    assert.is_true(cpeer:send(0, "after the attack", P.FLAG_RELIABLE))
    H.pump_until("the packets", { s, c, relay }, function() return speer:get_available_packet_count() >= 2 end)
    assert.are.equal(2, speer:get_available_packet_count())
    assert.are.equal("exactly once", speer:get_packet())
    assert.are.equal("after the attack", speer:get_packet())
    assert.are.equal("reply", D.deliver({ s, c, relay }, speer, c, "reply"))
    assert.is_nil(s:dtls_get_error())
    relay.close()
    D.destroy_all(c, s)
  end)

  it("keeps memory bounded under 10,000 ClientHellos from one socket, and still serves", function()
    local s, port = D.server()
    -- A genuine ClientHello, captured from a real client's first datagram.
    local probe = D.client()
    assert(probe:_capture(1))
    assert(probe:connect_to_host("127.0.0.1", 9)) -- nothing listens there
    probe:flush()
    local hello = probe:_captured()[1].data
    probe:destroy()
    assert.are.equal(22, hello:byte(1)) -- handshake
    assert.are.equal(1, hello:byte(14)) -- client_hello

    local flood = assert(socket.udp())
    assert(flood:setsockname("127.0.0.1", 0))
    flood:settimeout(0)
    local answers = 0
    local function send_hellos(n)
      for i = 1, n do
        assert(flood:sendto(hello, "127.0.0.1", port))
        if i % 50 == 0 then
          s:service(0)
          while flood:receive() do answers = answers + 1 end
        end
      end
      s:service(0)
    end
    send_hellos(1000) -- warm up: the allocator settles
    collectgarbage()
    local before = D.rss_kib()
    send_hellos(10000)
    collectgarbage()
    local after = D.rss_kib()
    -- Stateless answers (HelloVerifyRequest) came back: the hellos were read.
    assert.is_true(answers > 1000, answers .. " answers")
    -- One session costs about 33 KiB: a flood that kept state per hello
    -- would grow by hundreds of MiB. Allow 4 MiB of noise.
    assert.is_true(after - before < 4096, ("RSS %d KiB -> %d KiB"):format(before, after))
    flood:close()

    local c = D.client()
    local _, cpeer = D.connect(s, c, port)
    assert.are.equal("still serving", D.deliver({ s, c }, cpeer, s, "still serving"))
    D.destroy_all(c, s)
  end)
end)
