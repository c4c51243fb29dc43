-- DTLS composed with the rest of ENetConnection: every compression mode
-- this build has, socket_send, broadcast, and more than 100 peers.
local H = require("helper")
local D = require("dtls_helper")
local C, P = H.C, H.P
local Error = H.enet.Error

-- The compression modes compress() accepts in this build, by value; the
-- others are listed by the spec below (a mode is added to the loop as soon
-- as compress() takes it).
local modes, missing = {}, {}
do
  local probe = H.client()
  for name, value in pairs(C.CompressionMode) do
    if type(name) == "string" then
      if pcall(probe.compress, probe, value) then
        modes[#modes + 1] = { name = name, value = value }
      else
        missing[#missing + 1] = name
      end
    end
  end
  probe:destroy()
  table.sort(modes, function(a, b) return a.value < b.value end)
  table.sort(missing)
end

describe("DTLS with compression", function()
  it("is tested in every mode compress() accepts: at least NONE and RANGE_CODER"
    .. (#missing > 0 and " (not yet in this build: " .. table.concat(missing, ", ") .. ")" or ""), function()
    local names = {}
    for _, m in ipairs(modes) do names[m.name] = true end
    assert.is_true(names.COMPRESS_NONE and names.COMPRESS_RANGE_CODER)
  end)

  for _, mode in ipairs(modes) do
    it("carries packets both ways, small and fragmented, in " .. mode.name, function()
      local s, port = D.server()
      local c = D.client()
      s:compress(mode.value)
      c:compress(mode.value)
      assert(s:_capture(100000))
      local speer, cpeer = D.connect(s, c, port)
      local text = string.rep("compressible text ", 200)
      local noise = H.bytes(20000, 5)
      assert.are.equal(text, D.deliver({ s, c }, cpeer, s, text))
      assert.are.equal(text, D.deliver({ s, c }, speer, c, text))
      assert.are.equal(noise, D.deliver({ s, c }, cpeer, s, noise))
      assert.are.equal("x", D.deliver({ s, c }, speer, c, "x"))
      for _, d in ipairs(s:_captured()) do
        assert.is_true(D.is_dtls_record(d.data))
        assert.is_nil(d.data:find("compressible text", 1, true))
      end
      D.destroy_all(c, s)
    end)
  end
end)

describe("socket_send on DTLS hosts", function()
  it("sends through the session: encrypted, and read by the other side's DTLS", function()
    local s, port = D.server()
    local c = D.client()
    local speer = D.connect(s, c, port)
    assert(c:_capture(10))
    assert(s:_capture(10))
    assert.is_true(c:socket_send("127.0.0.1", port, "RAW-SOCKET-SEND up"))
    assert.is_true(s:socket_send("127.0.0.1", c:get_local_port(), "RAW-SOCKET-SEND down"))
    local up = c:_captured()[1].data
    local down = s:_captured()[1].data
    for _, record in ipairs({ up, down }) do
      assert.are.equal(23, record:byte(1)) -- application data
      assert.is_nil(record:find("RAW-SOCKET-SEND", 1, true))
    end
    -- Each side read the other's record from the wire; ENet ignored what
    -- DTLS handed it (it is no ENet datagram) and the session lives on.
    local function read_by(host, record)
      for _, d in ipairs(D.captured(host, false)) do
        if d.data == record then return true end
      end
      return false
    end
    H.pump_until("both records", { s, c }, function() return read_by(s, up) and read_by(c, down) end)
    assert.are.equal("still connected", D.deliver({ s, c }, speer, c, "still connected"))
    assert.is_nil(s:dtls_get_error())
    D.destroy_all(c, s)
  end)

  it("returns nil, message, ERR_BUSY toward an address without a session, sending nothing", function()
    local s = D.server()
    local c = D.client()
    assert(s:_capture(10))
    local ok, msg, code = s:socket_send("127.0.0.1", c:get_local_port(), "no session")
    assert.is_nil(ok)
    assert.is_string(msg)
    assert.are.equal(Error.ERR_BUSY, code)
    assert.are.same({}, s:_captured())
    D.destroy_all(c, s)
  end)
end)

describe("broadcast on a DTLS server", function()
  it("reaches every client, each through its own session", function()
    local s, port = D.server()
    local clients, hosts = {}, { s }
    for i = 1, 4 do
      clients[i] = D.client()
      hosts[#hosts + 1] = clients[i]
      D.connect(s, clients[i], port, hosts)
    end
    assert(s:_capture(100))
    s:broadcast(0, "BROADCAST to all", P.FLAG_RELIABLE)
    local got = {}
    H.pump_until("every client's copy", hosts, function() return #got == 4 end, function(h, t, peer)
      if h ~= s and t == C.EVENT_RECEIVE then got[#got + 1] = peer:get_packet() end
    end)
    assert.are.same({ "BROADCAST to all", "BROADCAST to all", "BROADCAST to all", "BROADCAST to all" }, got)
    local ports = {}
    for _, d in ipairs(D.captured(s, true)) do
      assert.is_nil(d.data:find("BROADCAST", 1, true))
      ports[d.port] = true
    end
    for _, c in ipairs(clients) do
      assert.is_true(ports[c:get_local_port()])
    end
    for _, h in ipairs(hosts) do h:destroy() end
  end)
end)

describe("a DTLS server with 110 clients", function()
  it("connects them all, hears each and broadcasts to all", function()
    local n = 110
    local s, port = D.server(128)
    local clients, peers, hosts = {}, {}, { s }
    for i = 1, n do
      clients[i] = D.client()
      hosts[#hosts + 1] = clients[i]
      peers[i] = assert(clients[i]:connect_to_host("127.0.0.1", port, 0, i))
    end
    local connected = 0
    H.pump_until("110 connections", hosts, function() return connected == n end, function(h, t)
      if h == s and t == C.EVENT_CONNECT then connected = connected + 1 end
    end, 120)
    for i = 1, n do
      assert.is_true(peers[i]:send(0, "hello from " .. i, P.FLAG_RELIABLE))
    end
    local heard = {}
    local heard_count = 0
    H.pump_until("110 messages", hosts, function() return heard_count == n end, function(h, t, peer)
      if h == s and t == C.EVENT_RECEIVE then
        local text = peer:get_packet()
        if not heard[text] then heard_count = heard_count + 1 end
        heard[text] = true
      end
    end, 60)
    for i = 1, n do
      assert.is_true(heard["hello from " .. i])
    end
    s:broadcast(1, "to everyone", P.FLAG_RELIABLE)
    local received = 0
    H.pump_until("110 copies", hosts, function() return received == n end, function(h, t, peer)
      if h ~= s and t == C.EVENT_RECEIVE and peer:get_packet() == "to everyone" then received = received + 1 end
    end, 60)
    assert.are.equal(n, #s:get_peers())
    for _, h in ipairs(hosts) do h:destroy() end
  end)
end)
