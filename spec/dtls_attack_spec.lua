-- DTLS under attack: forged and replayed records from a connected client's
-- address, ClientHello floods, more handshakes than the server takes at
-- once.
local H = require("helper")
local D = require("dtls_helper")
local socket = require("socket")
local P = H.P

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

local function u24(n)
  return string.char(math.floor(n / 65536), math.floor(n / 256) % 256, n % 256)
end

-- `hello` rewritten to carry `cookie` (record sequence number 1, message
-- sequence 1, as a client's second ClientHello). Byte positions (1-based):
-- record header 1-13, handshake header 14-25, body from 26: version 26-27,
-- random 28-59, session id length 60, session id, cookie length, cookie.
local function with_cookie(hello, cookie)
  local at = 61 + hello:byte(60)
  local body = hello:sub(26, at - 1) .. string.char(#cookie) .. cookie .. hello:sub(at + 1 + hello:byte(at))
  local message = "\1" .. u24(#body) .. "\0\1" .. "\0\0\0" .. u24(#body) .. body
  return hello:sub(1, 3) .. "\0\0\0\0\0\0\0\1" .. u24(#message):sub(2) .. message
end

-- The cookie of a HelloVerifyRequest datagram, or nil.
local function cookie_of(datagram)
  if datagram:byte(1) == 22 and datagram:byte(14) == 3 then
    return datagram:sub(29, 28 + datagram:byte(28))
  end
end

-- Reads what arrived on a luasocket UDP socket (timeout 0).
local function drain(udp)
  local got = {}
  for _ = 1, 100 do
    local data = udp:receive()
    if not data then break end
    got[#got + 1] = data
  end
  return got
end

local function has_server_hello(datagrams)
  for _, d in ipairs(datagrams) do
    if d:byte(1) == 22 and d:byte(14) == 2 then return true end
  end
  return false
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
    -- after it; and two that need no capture at all, which mbedTLS 2.28
    -- alone would take as a reason to end the session: a one-byte record
    -- from another epoch followed by a byte, and a malformed ClientHello
    -- (epoch 0) from the address of the open session. Then the genuine
    -- record.
    local forgeries = {
      D.alter(record, 30), D.alter(record, -1), D.alter(record, 11), D.alter(record, 5),
      record:sub(1, -2), record .. "x", "\23\254\253\0\9\0\0\0\0\0\1\0\1yx",
      "\22\254\253\0\0\0\0\0\0\0\5\0\4\1\0\0\0",
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
    -- counted (the four alterations and the cut record at least), and named
    local undecrypted = s:get_socket_counters().datagrams_undecrypted
    assert.is_true(undecrypted >= 5, "counted " .. undecrypted)
    assert.matches("a DTLS record from 127.0.0.1:" .. speer:get_remote_port() .. " did not authenticate",
      s:get_receive_error(), 1, true)

    -- Replays of the genuine record, now that the server has seen it.
    for _ = 1, 3 do
      relay:inject(record)
    end
    assert.are.equal(4, wait_received(s, relay, record, 4))
    assert.are.equal(before + 1, received())
    assert.are.equal(undecrypted + 3, s:get_socket_counters().datagrams_undecrypted)

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

  it("skips an empty datagram and counts it; the record behind it comes in the same service", function()
    local s, port = D.server()
    local c = D.client()
    local speer, cpeer = D.connect(s, c, port)
    local udp = assert(socket.udp())
    assert(udp:setsockname("127.0.0.1", 0))
    assert(udp:sendto("", "127.0.0.1", port))
    assert.is_true(cpeer:send(0, "after the empty one", P.FLAG_RELIABLE))
    c:flush()
    local before = s:get_socket_counters().datagrams_dropped
    assert.are.equal(H.C.EVENT_RECEIVE, (s:service(5000)))
    assert.are.equal("after the empty one", speer:get_packet())
    assert.are.equal(1, s:get_socket_counters().datagrams_dropped - before)
    udp:close()
    D.destroy_all(c, s)
  end)

  it("keeps memory bounded under 10,000 ClientHellos from one socket, and still serves", function()
    -- In a child process: see spec/dtls_flood.lua. ASan (make asan) would
    -- count the memory it quarantines after each free as growth: the child
    -- runs with a quarantine of 1 MiB.
    local asan_options = (os.getenv("ASAN_OPTIONS") or "") .. ":quarantine_size_mb=1"
    local ok, out = H.run(("ASAN_OPTIONS=%s timeout 120 %s spec/dtls_flood.lua 10000"):format(
      H.quote(asan_options), H.lua))
    assert.is_true(ok, out)
    local answers, before, after, served = out:match("answers=(%d+) before=(%d+) after=(%d+) served=(%a+)")
    assert.is_not_nil(answers, out)
    -- The hellos were read: stateless answers (HelloVerifyRequest) came back.
    assert.is_true(tonumber(answers) > 1000, out)
    -- A session costs about 33 KiB and state kept per hello would show in
    -- megabytes; allow 2 MiB of noise.
    assert.is_true(tonumber(after) - tonumber(before) < 2048, out)
    assert.are.equal("true", served, out)
  end)

  it("runs at most 64 handshakes at once, and takes the next when one ends", function()
    local s, port = D.server()
    local hello = D.client_hello()
    -- 70 senders each prove their address (echo their cookie): 64 get a
    -- ServerHello, the rest nothing until a handshake ends.
    local senders = {}
    for i = 1, 70 do
      senders[i] = assert(socket.udp())
      assert(senders[i]:setsockname("127.0.0.1", 0))
      senders[i]:settimeout(0)
      assert(senders[i]:sendto(hello, "127.0.0.1", port))
      s:service(0)
    end
    local cookies = {}
    H.pump_until("70 HelloVerifyRequests", { s }, function()
      for i, udp in ipairs(senders) do
        for _, d in ipairs(drain(udp)) do
          cookies[i] = cookies[i] or cookie_of(d)
        end
      end
      for i = 1, 70 do
        if not cookies[i] then return false end
      end
      return true
    end)
    local answered = {}
    for i, udp in ipairs(senders) do
      assert(udp:sendto(with_cookie(hello, cookies[i]), "127.0.0.1", port))
      s:service(0)
    end
    local function count_answered()
      local n = 0
      for i, udp in ipairs(senders) do
        answered[i] = answered[i] or has_server_hello(drain(udp))
        if answered[i] then n = n + 1 end
      end
      return n
    end
    H.pump_until("64 ServerHellos", { s }, function() return count_answered() >= 64 end)
    -- Every datagram sent so far has been read: the count is final.
    assert.are.equal(64, count_answered())
    local waiting
    for i = 1, 70 do
      if not answered[i] then waiting = i end
    end

    -- One sender gives up (a fatal alert, epoch 0): its slot frees, and a
    -- waiting sender's next ClientHello gets a ServerHello.
    local quitter
    for i = 1, 70 do
      if answered[i] then quitter = i end
    end
    assert(senders[quitter]:sendto("\21\254\253\0\0\0\0\0\0\0\2\0\2\2\40", "127.0.0.1", port))
    H.pump_until("the alert", { s }, function() return s:dtls_get_error() ~= nil end)
    assert.matches("fatal alert 40 (handshake_failure)", s:dtls_get_error(), 1, true)
    assert(senders[waiting]:sendto(with_cookie(hello, cookies[waiting]), "127.0.0.1", port))
    H.pump_until("the waiting sender's ServerHello", { s }, function()
      return has_server_hello(drain(senders[waiting]))
    end)
    for _, udp in ipairs(senders) do
      udp:close()
    end
    s:destroy()
  end)
end)
