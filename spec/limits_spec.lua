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

  -- Under `make asan`, freed packets wait in ASan's quarantine (its
  -- quarantine_size_mb) before their memory is reused: that much more RSS.
  -- 96 MiB sent keeps the unbounded case (96 MiB and more) well over the bar.
  it("keeps memory under the default 32 MiB bound when one client sends 96 x 1 MiB nobody reads", function()
    local s, c, speer, cpeer = H.pair()
    assert.are.equal(32 * 1024 * 1024, s:get_max_unread_bytes())
    local quarantine_mib = tonumber((os.getenv("ASAN_OPTIONS") or ""):match("quarantine_size_mb=(%d+)")) or 0
    collectgarbage()
    local before = H.rss_kib()
    H.flood_unread(s, c, speer, cpeer, 96, 1024 * 1024)
    local grown = H.rss_kib() - before
    assert.are.equal(32, speer:get_available_packet_count())
    assert.are.equal(64, speer:get_dropped_packet_count())
    -- 32 MiB kept, plus ENet's buffers for the packet in flight
    assert.is_true(grown < (48 + quarantine_mib) * 1024, "RSS grew by " .. grown .. " KiB")
    c:destroy()
    s:destroy()
  end)

  it("refuses packets over get_max_packet_size() in send, put_packet, put_var and broadcast", function()
    local s, c, speer, cpeer = H.pair()
    local max = cpeer:get_max_packet_size()
    assert.are.equal(16 * 1024 * 1024, max)
    local over = string.rep("o", max + 1)
    local function refused(what, ok, message, code)
      assert.is_nil(ok, what)
      assert.are.equal(H.enet.Error.ERR_INVALID_PARAMETER, code, what)
      local size = tonumber(message:match("^" .. what .. ": a (%d+)%-byte packet is over "))
      assert.truthy(size and size > max, message)
      assert.truthy(message:find("get_max_packet_size() (" .. max .. " bytes): nothing sent", 1, true),
        message)
    end
    refused("send", cpeer:send(0, over, P.FLAG_RELIABLE))
    refused("put_packet", cpeer:put_packet(over))
    refused("broadcast", c:broadcast(0, over, P.FLAG_RELIABLE))
    cpeer:set_encode_buffer_max_size(64 * 1024 * 1024)
    refused("put_var", cpeer:put_var(H.enet.PackedByteArray(over)))
    refused("send", cpeer:send(0, string.rep("o", 20 * 1000 * 1000), P.FLAG_RELIABLE))
    over = nil -- luacheck: ignore 311
    -- nothing of them left: the next packet to arrive is the largest allowed
    assert.is_true(cpeer:send(0, string.rep("m", max), P.FLAG_RELIABLE))
    assert.is_true(c:broadcast(0, "small"))
    H.pump_until("the largest packet", { s, c }, function()
      return speer:get_available_packet_count() == 2
    end, nil, 60)
    assert.are.equal(max, #speer:get_packet())
    assert.are.equal("small", speer:get_packet())
    c:destroy()
    s:destroy()
  end)

  it("refuses a socket_send over one UDP datagram instead of losing it", function()
    local s, port = H.server()
    local c = H.client()
    assert.is_true(c:socket_send("127.0.0.1", port, string.rep("d", 65507)))
    local ok, message, code = c:socket_send("127.0.0.1", port, string.rep("d", 65508))
    assert.is_nil(ok)
    assert.are.equal(H.enet.Error.ERR_INVALID_PARAMETER, code)
    assert.truthy(message:find("65508 bytes do not fit one UDP datagram (at most 65507 bytes)", 1, true),
      message)
    assert.are.equal(0, c:get_socket_counters().send_errors)
    -- a DTLS host: one record's plaintext, 4096 bytes
    local key = assert(H.enet.Crypto.generate_rsa(1024))
    local cert = assert(H.enet.Crypto.generate_self_signed_certificate(key, "CN=localhost"))
    assert(s:dtls_server_setup(assert(H.enet.TLSOptions.server(key, cert))))
    ok, message, code = s:socket_send("127.0.0.1", c:get_local_port(), string.rep("d", 4097))
    assert.is_nil(ok)
    assert.are.equal(H.enet.Error.ERR_INVALID_PARAMETER, code)
    assert.truthy(message:find("4097 bytes do not fit one DTLS record (at most 4096 bytes)", 1, true), message)
    c:destroy()
    s:destroy()
  end)

  describe("a full host (docs/reliability.md, A full host)", function()
    -- Connects a new client to `port`; returns its host, its peer, and a
    -- table that gets the data of its EVENT_DISCONNECT.
    local function newcomer(port)
      local c = H.client()
      local peer = assert(c:connect_to_host("127.0.0.1", port))
      peer:set_timeout(32, 300, 600) -- a short wait for an answer
      return c, peer, {}
    end
    local function until_disconnected(what, s, c, ended, on_server)
      H.pump_until(what, { s, c }, function() return ended.data ~= nil end, function(h, t, peer, data)
        if h == c and t == H.C.EVENT_DISCONNECT then
          ended.data = data
        elseif h == s and on_server then
          on_server(t, peer)
        end
      end)
    end

    it("never answers a client beyond max_peers: it times out with data 0", function()
      local s, c1 = H.pair({ max_peers = 1 })
      local c2, _, ended = newcomer(s:get_local_port())
      local server_events = 0
      until_disconnected("the newcomer's timeout", s, c2, ended, function() server_events = server_events + 1 end)
      assert.are.equal(0, ended.data)
      assert.are.equal(0, server_events)
      assert.are.equal(1, #s:get_peers())
      c2:destroy()
      c1:destroy()
      s:destroy()
    end)

    it("tells a client turned away from a spare slot why, with the server's code", function()
      local PLAYERS, SERVER_FULL = 1, 1001
      local s, c1 = H.pair({ max_peers = PLAYERS + 1 })
      local c2, _, ended = newcomer(s:get_local_port())
      until_disconnected("the newcomer's refusal", s, c2, ended, function(t, peer)
        if t == H.C.EVENT_CONNECT then
          peer:peer_disconnect(SERVER_FULL)
        end
      end)
      assert.are.equal(SERVER_FULL, ended.data)
      c2:destroy()
      c1:destroy()
      s:destroy()
    end)

    it("is documented with what a server should do", function()
      local text = assert(H.read_file("docs/reliability.md"))
      assert.truthy(text:find("### A full host", 1, true))
      assert.truthy(text:find("peer:peer_disconnect(SERVER_FULL)", 1, true))
      assert.truthy(text:find("refuse_new_connections(true)", 1, true))
    end)
  end)

  it("refuses a byte bound out of range", function()
    local s = H.server()
    assert.has_error(function() s:set_max_unread_bytes(0) end)
    assert.has_error(function() s:set_max_unread_bytes("x") end)
    s:destroy()
  end)
end)
