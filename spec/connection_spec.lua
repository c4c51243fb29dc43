local H = require("helper")
local enet, C, P = H.enet, H.C, H.P
local Error = enet.Error

describe("ENetConnection", function()
  describe("constants and enums", function()
    it("has Godot's names and values", function()
      assert.are.same({ 0, 1, 2, 3, 4 }, {
        C.COMPRESS_NONE, C.COMPRESS_RANGE_CODER, C.COMPRESS_FASTLZ,
        C.COMPRESS_ZLIB, C.COMPRESS_ZSTD })
      assert.are.same({ -1, 0, 1, 2, 3 }, {
        C.EVENT_ERROR, C.EVENT_NONE, C.EVENT_CONNECT, C.EVENT_DISCONNECT, C.EVENT_RECEIVE })
      assert.are.same({ 0, 1, 2, 3 }, {
        C.HOST_TOTAL_SENT_DATA, C.HOST_TOTAL_SENT_PACKETS,
        C.HOST_TOTAL_RECEIVED_DATA, C.HOST_TOTAL_RECEIVED_PACKETS })
    end)

    it("maps enum names to values and values to names", function()
      assert.are.equal(4, C.CompressionMode.COMPRESS_ZSTD)
      assert.are.equal("COMPRESS_ZSTD", C.CompressionMode[4])
      assert.are.equal("EVENT_ERROR", C.EventType[-1])
      assert.are.equal("HOST_TOTAL_RECEIVED_DATA", C.HostStatistic[2])
    end)

    it("offers enet.new() as a shortcut for ENetConnection.new()", function()
      local c = enet.new()
      assert.are.equal("ENetConnection (no host)", tostring(c))
      c:destroy()
    end)
  end)

  describe("create_host_bound", function()
    it("binds port 0 to a free port and reports it", function()
      local s, port = H.server()
      assert.is_true(port > 0 and port < 65536)
      assert.matches("port " .. port, tostring(s))
      s:destroy()
    end)

    it("binds all addresses with '*'", function()
      local s = C.new()
      assert.is_true(s:create_host_bound("*", 0))
      assert.is_true(s:get_local_port() > 0)
      s:destroy()
    end)

    it("returns nil, message and ERR_CANT_CREATE when the port is taken", function()
      local s, port = H.server()
      local other = C.new()
      local ok, msg, code = other:create_host_bound("127.0.0.1", port)
      assert.is_nil(ok)
      assert.are.equal(Error.ERR_CANT_CREATE, code)
      assert.matches("127.0.0.1:" .. port, msg, 1, true)
      assert.matches("in use", msg)
      -- the failed object stays usable
      assert.is_true(other:create_host_bound("127.0.0.1", 0))
      other:destroy()
      s:destroy()
    end)

    it("returns ERR_INVALID_PARAMETER for a bind address that is not an address", function()
      local s = C.new()
      local ok, msg, code = s:create_host_bound("", 0)
      assert.is_nil(ok)
      assert.are.equal(Error.ERR_INVALID_PARAMETER, code)
      assert.matches("invalid bind address", msg)
      s:destroy()
    end)

    it("returns ERR_INVALID_PARAMETER for a port out of range too, as Godot; a non-number port raises", function()
      local s = C.new()
      for _, port in ipairs({ 70000, -1, 65536 }) do
        local ok, msg, code = s:create_host_bound("127.0.0.1", port)
        assert.is_nil(ok)
        assert.are.equal(Error.ERR_INVALID_PARAMETER, code)
        assert.matches("port " .. port .. " is out of range 0..65535", msg, nil, true)
      end
      assert.has_error(function() s:create_host_bound("127.0.0.1", "near") end)
      assert.has_error(function() s:create_host_bound("127.0.0.1", {}) end)
      assert.has_error(function() s:create_host_bound("127.0.0.1") end)
      s:destroy()
    end)

    it("names lua-enet's \"host:port\" and says to pass the port on its own, without a name lookup", function()
      local s = C.new()
      local ok, msg, code = s:create_host_bound("*:6789", 64) -- lua-enet's host_create("*:6789", 64)
      assert.is_nil(ok)
      assert.are.equal(Error.ERR_INVALID_PARAMETER, code)
      assert.matches('pass the port as its own argument, create_host_bound("*", 6789, ...)', msg, nil, true)
      local raised, err = pcall(s.create_host_bound, s, "*:6789")
      assert.is_false(raised)
      assert.matches('create_host_bound("*", 6789, ...)', err, nil, true)
      assert(s:create_host_bound("127.0.0.1", 0))
      local p, cmsg, ccode = s:connect_to_host("game.invalid:6789", 2) -- lua-enet's host:connect
      assert.is_nil(p)
      assert.are.equal(Error.ERR_CANT_RESOLVE, ccode)
      assert.matches('connect_to_host("game.invalid", 6789, ...)', cmsg, nil, true)
      s:destroy()
    end)

    it("returns ERR_ALREADY_IN_USE when the host exists", function()
      local s = H.server()
      local ok, msg, code = s:create_host(4)
      assert.is_nil(ok)
      assert.are.equal(Error.ERR_ALREADY_IN_USE, code)
      assert.matches("already", msg)
      s:destroy()
    end)

    it("uses 255 channels when max_channels is 0, else the given count", function()
      local a = H.server(4, 0)
      local b = H.server(4, 7)
      assert.are.equal(255, a:get_max_channels())
      assert.are.equal(7, b:get_max_channels())
      a:destroy()
      b:destroy()
    end)
  end)

  describe("create_host", function()
    it("creates an unbound client host that can connect", function()
      local s, port = H.server()
      local c = C.new()
      assert.is_true(c:create_host(1))
      local p = c:connect_to_host("127.0.0.1", port)
      H.pump_until("connect", { s, c }, function() return p:get_state() == P.STATE_CONNECTED end)
      c:destroy()
      s:destroy()
    end)
  end)

  describe("connect_to_host", function()
    it("resolves host names", function()
      local s, port = H.server()
      local c = H.client()
      local p = assert(c:connect_to_host("localhost", port))
      assert.are.equal("127.0.0.1", p:get_remote_address())
      assert.are.equal(port, p:get_remote_port())
      H.pump_until("connect", { s, c }, function() return p:get_state() == P.STATE_CONNECTED end)
      c:destroy()
      s:destroy()
    end)

    it("returns nil, message and ERR_CANT_RESOLVE for an address that is not one", function()
      local c = H.client()
      local p, msg, code = c:connect_to_host("", 1234)
      assert.is_nil(p)
      assert.are.equal(Error.ERR_CANT_RESOLVE, code)
      assert.matches("cannot resolve", msg)
      c:destroy()
    end)

    it("returns ERR_INVALID_PARAMETER for a port out of range, as create_host_bound and socket_send", function()
      local c = H.client()
      for _, port in ipairs({ 0, 65536 }) do
        local p, msg, code = c:connect_to_host("127.0.0.1", port)
        assert.is_nil(p)
        assert.are.equal(Error.ERR_INVALID_PARAMETER, code)
        assert.matches("out of range 1..65535", msg, nil, true)
        assert.are.equal(Error.ERR_INVALID_PARAMETER, select(3, c:socket_send("127.0.0.1", port, "x")))
      end
      assert.has_error(function() c:connect_to_host("127.0.0.1", "x") end)
      c:destroy()
    end)

    it("connects a host that already has peers, unlike Godot (deliberate: ENet and lua-enet allow it)", function()
      local s1, c, s1peer = H.pair()
      local s2, port2 = H.server()
      assert.are.equal(1, #s1:get_peers())
      -- a server with a client connects out, as a lobby server to a game server
      local out = assert(s1:connect_to_host("127.0.0.1", port2))
      H.pump_until("the second connection", { s1, s2, c }, function() return out:get_state() == P.STATE_CONNECTED end)
      assert.are.equal(2, #s1:get_peers())
      assert.is_true(s1peer:is_active())
      c:destroy()
      s2:destroy()
      s1:destroy()
    end)

    it("returns ERR_UNCONFIGURED before the host exists", function()
      local c = C.new()
      local p, msg, code = c:connect_to_host("127.0.0.1", 1234)
      assert.is_nil(p)
      assert.are.equal(Error.ERR_UNCONFIGURED, code)
      assert.matches("create_host", msg)
      c:destroy()
    end)

    it("returns ERR_CANT_CREATE when every peer slot is taken", function()
      local c = H.client(1)
      assert.is_truthy(c:connect_to_host("127.0.0.1", 9))
      local p, msg, code = c:connect_to_host("127.0.0.1", 9)
      assert.is_nil(p)
      assert.are.equal(Error.ERR_CANT_CREATE, code)
      assert.matches("max_peers", msg)
      c:destroy()
    end)

    it("negotiates the channel count and passes the connect data", function()
      local s, port = H.server(4, 8)
      local c = H.client()
      local cpeer = c:connect_to_host("127.0.0.1", port, 3, 123456)
      local got
      H.pump_until("connect", { s, c }, function() return got ~= nil end, function(h, t, peer, data)
        if h == s and t == C.EVENT_CONNECT then
          got = { peer = peer, data = data }
        end
      end)
      assert.are.equal(123456, got.data)
      assert.are.equal(3, got.peer:get_channels())
      H.pump_until("client connected", { s, c }, function()
        return cpeer:get_state() == P.STATE_CONNECTED
      end)
      assert.are.equal(3, cpeer:get_channels())
      c:destroy()
      s:destroy()
    end)

    it("times out with EVENT_DISCONNECT when nothing listens on the port", function()
      -- find a closed port: bind, read the port, close
      local probe, port = H.server()
      probe:destroy()
      local c = H.client()
      local p = c:connect_to_host("127.0.0.1", port)
      p:set_timeout(1, 200, 400)
      local gone
      H.pump_until("timeout", { c }, function() return gone ~= nil end, function(_, t, peer)
        if t == C.EVENT_DISCONNECT then gone = peer end
      end, 10)
      assert.are.equal(p, gone)
      assert.is_false(p:is_active())
      assert.are.equal(P.STATE_DISCONNECTED, p:get_state())
      c:destroy()
    end)
  end)

  describe("service and events", function()
    it("returns EVENT_NONE with nil peer when nothing happens", function()
      local s = H.server()
      local t, peer, data, channel = s:service(0)
      assert.are.equal(C.EVENT_NONE, t)
      assert.is_nil(peer)
      assert.are.equal(0, data)
      assert.are.equal(0, channel)
      s:destroy()
    end)

    it("waits up to the timeout and no longer", function()
      local s = H.server()
      local t0 = H.now()
      s:service(30)
      local waited = H.now() - t0
      -- a generous bound: ENet may return a little early or late
      assert.is_true(waited >= 0.015 and waited < 2, "waited " .. waited)
      s:destroy()
    end)

    it("queues received packets on the peer and reports the channel", function()
      local s, c, speer, cpeer = H.pair()
      assert.is_true(cpeer:send(5, "abc", P.FLAG_RELIABLE))
      local channel
      H.pump_until("receive", { s, c }, function() return channel ~= nil end, function(h, t, _, _, ch)
        if h == s and t == C.EVENT_RECEIVE then channel = ch end
      end)
      assert.are.equal(5, channel)
      assert.are.equal(1, speer:get_available_packet_count())
      assert.are.equal("abc", speer:get_packet())
      c:destroy()
      s:destroy()
    end)

    it("events() yields the packet string and drains all ready events", function()
      local s, c, _, cpeer = H.pair()
      for i = 1, 20 do
        cpeer:send(0, "m" .. i, P.FLAG_RELIABLE)
      end
      c:flush()
      local got = {}
      local deadline = H.now() + 5
      while #got < 20 and H.now() < deadline do
        for t, peer, data, channel in s:events(10) do
          if t == C.EVENT_RECEIVE then
            assert.are.equal(0, channel)
            assert.are.equal(0, peer:get_available_packet_count())
            got[#got + 1] = data
          end
        end
      end
      assert.are.equal(20, #got)
      assert.are.equal("m1", got[1])
      assert.are.equal("m20", got[20])
      c:destroy()
      s:destroy()
    end)
  end)

  describe("refuse_new_connections", function()
    it("ignores new connection attempts while refusing, and accepts again after", function()
      local s, port = H.server()
      s:refuse_new_connections(true)
      local c = H.client()
      local p = c:connect_to_host("127.0.0.1", port)
      p:set_timeout(1, 300, 600)
      local connected, refused = false, false
      H.pump_until("refusal", { s, c }, function() return refused end, function(h, t)
        if h == s and t == C.EVENT_CONNECT then connected = true end
        if h == c and t == C.EVENT_DISCONNECT then refused = true end
      end, 10)
      assert.is_false(connected)

      s:refuse_new_connections(false)
      local p2 = c:connect_to_host("127.0.0.1", port)
      H.pump_until("accept", { s, c }, function() return p2:get_state() == P.STATE_CONNECTED end)
      c:destroy()
      s:destroy()
    end)

    it("keeps serving peers that were already connected", function()
      local s, c, speer, cpeer = H.pair()
      s:refuse_new_connections(true)
      cpeer:send(0, "still here", P.FLAG_RELIABLE)
      H.pump_until("receive", { s, c }, function() return speer:get_available_packet_count() == 1 end)
      assert.are.equal("still here", speer:get_packet())
      c:destroy()
      s:destroy()
    end)
  end)

  describe("get_peers", function()
    it("lists connected peers as the same objects the events gave", function()
      local s, c, speer = H.pair()
      local peers = s:get_peers()
      assert.are.equal(1, #peers)
      assert.are.equal(speer, peers[1])
      c:destroy()
      H.pump_until("disconnect", { s }, function() return #s:get_peers() == 0 end)
      s:destroy()
    end)
  end)

  describe("broadcast", function()
    it("delivers one packet to every connected peer", function()
      local s, port = H.server(16)
      local clients = {}
      for i = 1, 10 do
        clients[i] = H.client()
        assert(clients[i]:connect_to_host("127.0.0.1", port))
      end
      local hosts = { s }
      for i = 1, 10 do hosts[#hosts + 1] = clients[i] end
      H.pump_until("all connected", hosts, function() return #s:get_peers() == 10 end)
      s:broadcast(1, "to everyone", P.FLAG_RELIABLE)
      local got = 0
      H.pump_until("all received", hosts, function() return got == 10 end, function(h, t, peer, _, ch)
        if h ~= s and t == C.EVENT_RECEIVE then
          assert.are.equal(1, ch)
          assert.are.equal("to everyone", peer:get_packet())
          got = got + 1
        end
      end)
      for i = 1, 10 do clients[i]:destroy() end
      s:destroy()
    end)
  end)

  describe("socket_send", function()
    it("sends one raw datagram from the host's socket to a plain UDP socket", function()
      local socket = require("socket")
      local udp = assert(socket.udp())
      assert(udp:setsockname("127.0.0.1", 0))
      udp:settimeout(2)
      local _, udp_port = udp:getsockname()
      local s, port = H.server()
      assert.is_true(s:socket_send("127.0.0.1", udp_port, "raw\0bytes"))
      local data, from, from_port = udp:receivefrom()
      assert.are.equal("raw\0bytes", data)
      assert.are.equal("127.0.0.1", from)
      assert.are.equal(port, from_port)
      udp:close()
      s:destroy()
    end)
  end)

  describe("pop_statistic", function()
    it("counts what the socket really carried and resets on read", function()
      local s, c, speer, cpeer = H.pair()
      s:pop_statistic(C.HOST_TOTAL_RECEIVED_DATA)
      s:pop_statistic(C.HOST_TOTAL_RECEIVED_PACKETS)
      c:pop_statistic(C.HOST_TOTAL_SENT_DATA)
      c:pop_statistic(C.HOST_TOTAL_SENT_PACKETS)
      local before_c = c:get_socket_counters()
      local before_s = s:get_socket_counters()
      local payload = string.rep("x", 100)
      assert(c:_capture(10000))
      for _ = 1, 50 do
        cpeer:send(0, payload, P.FLAG_RELIABLE)
      end
      H.pump_until("receive", { s, c }, function() return speer:get_available_packet_count() == 50 end)
      H.pump({ s, c }, function() return false end, nil, 0.1)
      local after_c = c:get_socket_counters()
      local after_s = s:get_socket_counters()
      local sent = c:pop_statistic(C.HOST_TOTAL_SENT_DATA)
      local sent_packets = c:pop_statistic(C.HOST_TOTAL_SENT_PACKETS)
      local received = s:pop_statistic(C.HOST_TOTAL_RECEIVED_DATA)
      local received_packets = s:pop_statistic(C.HOST_TOTAL_RECEIVED_PACKETS)
      -- What left the client's socket: each copy of a payload (ENet resends
      -- a reliable message whose acknowledgement is late, as on a loaded
      -- machine) and every byte.
      local captured = c:_captured()
      local copies, wire_bytes, datagrams = 0, 0, 0
      for _, d in ipairs(captured) do
        if d.sent then
          datagrams, wire_bytes = datagrams + 1, wire_bytes + #d.data
          for _ in d.data:gmatch(payload) do
            copies = copies + 1
          end
        end
      end
      assert.is_true(#captured < 10000, "the capture overflowed")
      assert.is_true(copies >= 50, "copies " .. copies)
      -- every copy of a 100-byte payload plus protocol headers
      assert.is_true(sent >= 100 * copies and sent < copies * (100 + 40), "sent " .. sent .. ", copies " .. copies)
      assert.are.equal(wire_bytes, sent)
      assert.are.equal(datagrams, sent_packets)
      assert.are.equal(after_c.bytes_sent - before_c.bytes_sent, sent)
      assert.are.equal(after_c.datagrams_sent - before_c.datagrams_sent, sent_packets)
      assert.are.equal(after_s.bytes_received - before_s.bytes_received, received)
      assert.are.equal(after_s.datagrams_received - before_s.datagrams_received, received_packets)
      assert.are.equal(0, c:pop_statistic(C.HOST_TOTAL_SENT_DATA))
      c:destroy()
      s:destroy()
    end)
  end)

  describe("configuration", function()
    it("accepts bandwidth and channel limits and applies the channel limit to new peers", function()
      local s, port = H.server(4)
      s:bandwidth_limit(100000, 100000)
      s:bandwidth_limit()
      s:channel_limit(2)
      assert.are.equal(2, s:get_max_channels())
      local c = H.client()
      local p = c:connect_to_host("127.0.0.1", port, 10)
      H.pump_until("connect", { s, c }, function() return p:get_state() == P.STATE_CONNECTED end)
      assert.are.equal(2, p:get_channels())
      c:destroy()
      s:destroy()
    end)
  end)

  describe("compress", function()
    it("exchanges data with the range coder on both ends and makes datagrams smaller", function()
      local s, c, speer, cpeer = H.pair()
      s:compress(C.COMPRESS_RANGE_CODER)
      c:compress(C.COMPRESS_RANGE_CODER)
      local payload = string.rep("position 12.5 7.25 rotation 90 ", 30)
      c:pop_statistic(C.HOST_TOTAL_SENT_DATA)
      for _ = 1, 10 do
        cpeer:send(0, payload, P.FLAG_RELIABLE)
        c:flush()
      end
      H.pump_until("receive", { s, c }, function() return speer:get_available_packet_count() == 10 end)
      for _ = 1, 10 do
        assert.are.equal(payload, speer:get_packet())
      end
      local wire = c:pop_statistic(C.HOST_TOTAL_SENT_DATA)
      assert.is_true(wire < 10 * #payload / 2, "wire bytes " .. wire)
      c:destroy()
      s:destroy()
    end)

    it("drops datagrams when only one side compresses, without crashing or delivering garbage", function()
      local s, c, speer, cpeer = H.pair()
      c:compress(C.COMPRESS_RANGE_CODER)
      cpeer:send(0, string.rep("abcdefgh", 100), P.FLAG_RELIABLE)
      H.pump({ s, c }, function() return false end, nil, 0.3)
      assert.are.equal(0, speer:get_available_packet_count())
      c:destroy()
      s:destroy()
    end)
  end)

  describe("destroy", function()
    it("is idempotent and makes every method but create_host* raise 'connection destroyed'", function()
      local s = H.server()
      s:destroy()
      s:destroy()
      assert.has_error(function() s:service() end, "connection destroyed")
      assert.has_error(function() s:get_peers() end, "connection destroyed")
      assert.are.equal("ENetConnection (destroyed)", tostring(s))
    end)

    it("lets the same object create a host again, as Godot's 'restart server'", function()
      local s, c, speer, cpeer = H.pair()
      local port = s:get_local_port()
      s:destroy()
      assert.is_false(speer:is_active())
      H.pump_until("the client sees the server go", { c }, function() return not cpeer:is_active() end)
      assert.is_true(s:create_host_bound("127.0.0.1", port, 4))
      assert.are.equal(port, s:get_local_port())
      assert.matches("port " .. port, tostring(s))
      assert.are.same({}, s:get_peers())
      local again = c:connect_to_host("127.0.0.1", port)
      local got
      H.pump_until("a message to the restarted server", { s, c }, function() return got end, function(h, t, peer, _, _)
        if h == c and t == C.EVENT_CONNECT then assert(again:put_packet("after restart")) end
        if h == s and t == C.EVENT_RECEIVE then
          assert.are_not.equal(speer, peer) -- a new object for the new host
          got = peer:get_packet()
        end
      end)
      assert.are.equal("after restart", got)
      assert.are.equal(1, #s:get_peers())
      assert.is_false(speer:is_active()) -- the old peer stays dead
      -- and again, with create_host this time; a failed create leaves it destroyed
      s:destroy()
      assert.is_true(s:create_host(2))
      assert.are.equal(Error.ERR_ALREADY_IN_USE, select(3, s:create_host(2)))
      s:destroy()
      local blocker = H.server()
      local _, _, code = s:create_host_bound("127.0.0.1", blocker:get_local_port())
      assert.are.equal(Error.ERR_CANT_CREATE, code)
      assert.has_error(function() s:service() end, "connection destroyed")
      blocker:destroy()
      c:destroy()
    end)

    it("tells connected peers so they see a disconnect at once", function()
      local s, c, _, cpeer = H.pair()
      s:destroy()
      local gone
      H.pump_until("disconnect", { c }, function() return gone end, function(_, t)
        if t == C.EVENT_DISCONNECT then gone = true end
      end, 2)
      assert.is_false(cpeer:is_active())
      c:destroy()
    end)
  end)
end)
