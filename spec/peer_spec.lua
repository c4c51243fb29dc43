local H = require("helper")
local enet, C, P = H.enet, H.C, H.P
local Error = enet.Error

-- Pumps until every host in `wanted` saw a DISCONNECT; returns a table
-- host -> { peer = ..., data = ... }.
local function await_disconnects(hosts, wanted)
  local got, missing = {}, #wanted
  H.pump_until("disconnect", hosts, function() return missing == 0 end, function(h, t, peer, data)
    if t == C.EVENT_DISCONNECT and not got[h] then
      for _, w in ipairs(wanted) do
        if w == h then
          got[h] = { peer = peer, data = data }
          missing = missing - 1
        end
      end
    end
  end)
  return got
end

-- The peer and data of the DISCONNECT that `host` sees.
local function await_disconnect(hosts, host)
  local got = await_disconnects(hosts, { host })[host]
  return got.peer, got.data
end

describe("ENetPacketPeer", function()
  describe("constants and enums", function()
    it("has Godot's flag, scale, state and statistic values", function()
      assert.are.same({ 1, 2, 8 }, { P.FLAG_RELIABLE, P.FLAG_UNSEQUENCED, P.FLAG_UNRELIABLE_FRAGMENT })
      assert.are.equal(65536, P.PACKET_LOSS_SCALE)
      assert.are.equal(32, P.PACKET_THROTTLE_SCALE)
      assert.are.equal(0, P.STATE_DISCONNECTED)
      assert.are.equal(5, P.STATE_CONNECTED)
      assert.are.equal(9, P.STATE_ZOMBIE)
      assert.are.equal(3, P.PEER_ROUND_TRIP_TIME)
      assert.are.equal(13, P.PEER_PACKET_THROTTLE_INTERVAL)
      assert.are.equal("STATE_ACKNOWLEDGING_DISCONNECT", P.PeerState[8])
      assert.are.equal(7, P.PeerStatistic.PEER_PACKET_THROTTLE)
    end)
  end)

  describe("disconnecting", function()
    it("peer_disconnect delivers the data to the other side and both see DISCONNECT", function()
      local s, c, speer, cpeer = H.pair()
      cpeer:peer_disconnect(77)
      local got = await_disconnects({ s, c }, { s, c })
      assert.are.equal(speer, got[s].peer)
      assert.are.equal(77, got[s].data)
      assert.is_false(speer:is_active())
      assert.are.equal(cpeer, got[c].peer)
      assert.is_false(cpeer:is_active())
      c:destroy()
      s:destroy()
    end)

    it("peer_disconnect_later waits for queued packets to go out first", function()
      local s, c, speer, cpeer = H.pair()
      for i = 1, 30 do
        cpeer:send(0, "last words " .. i, P.FLAG_RELIABLE)
      end
      cpeer:peer_disconnect_later(5)
      local peer, data = await_disconnect({ s, c }, s)
      assert.are.equal(speer, peer)
      assert.are.equal(5, data)
      -- queued packets stay readable after the disconnect
      assert.are.equal(30, speer:get_available_packet_count())
      assert.are.equal("last words 1", speer:get_packet())
      c:destroy()
      s:destroy()
    end)

    it("peer_disconnect_now tells the remote, gives no local event and kills the wrapper at once", function()
      local s, c, speer, cpeer = H.pair()
      cpeer:peer_disconnect_now(9)
      assert.is_false(cpeer:is_active())
      assert.are.equal(P.STATE_DISCONNECTED, cpeer:get_state())
      local peer, data = await_disconnect({ s, c }, s)
      assert.are.equal(speer, peer)
      assert.are.equal(9, data)
      local local_events = 0
      H.pump({ c }, function() return false end, function() local_events = local_events + 1 end, 0.1)
      assert.are.equal(0, local_events)
      c:destroy()
      s:destroy()
    end)

    it("disconnects are no-ops on a peer that is already gone", function()
      local s, c, _, cpeer = H.pair()
      cpeer:peer_disconnect_now()
      cpeer:peer_disconnect()
      cpeer:peer_disconnect_later()
      cpeer:peer_disconnect_now()
      assert.is_false(cpeer:is_active())
      c:destroy()
      s:destroy()
    end)

    it("answers reads and settings on a departed peer with Godot's defaults, in its own DISCONNECT too", function()
      local s, c, _, cpeer = H.pair({ channels = 3 })
      cpeer:set_timeout(1, 200, 400)
      s:destroy() -- the server leaves
      local seen
      H.pump_until("disconnect", { c }, function() return seen end, function(_, t, peer)
        if t ~= C.EVENT_DISCONNECT then return end
        assert.are.equal(cpeer, peer)
        -- what a ported love.draw reads when the server quits
        assert.are.equal(0, peer:get_statistic(P.PEER_ROUND_TRIP_TIME))
        assert.are.equal(0, peer:get_statistic(P.PEER_PACKET_LOSS))
        assert.are.equal(3, peer:get_channels()) -- the last count it had (Godot: 0)
        peer:set_timeout(32, 5000, 30000)
        peer:ping()
        peer:ping_interval(100)
        peer:throttle_configure(1000, 2, 2)
        peer:reset()
        seen = true
      end, 5)
      assert.is_false(cpeer:is_active())
      assert.are.equal(P.STATE_DISCONNECTED, cpeer:get_state())
      -- misuse still raises, live or dead
      assert.has_error(function() cpeer:get_statistic(14) end)
      assert.has_error(function() cpeer:get_statistic("rtt") end)
      assert.has_error(function() cpeer:set_timeout(5, 1, 2) end)
      assert.has_error(function() cpeer:ping_interval(-1) end)
      assert.has_error(function() cpeer:throttle_configure("a", 1, 1) end)
      c:destroy()
    end)

    it("reset drops the peer silently; the remote times out", function()
      local s, c, speer, cpeer = H.pair()
      speer:set_timeout(1, 200, 400)
      cpeer:reset()
      assert.is_false(cpeer:is_active())
      cpeer:reset() -- a no-op on a peer already gone, as in Godot
      local peer = await_disconnect({ s, c }, s)
      assert.are.equal(speer, peer)
      c:destroy()
      s:destroy()
    end)
  end)

  describe("delivery", function()
    -- Sends `n` messages made by make(i) in batches, servicing in between,
    -- and returns what the server peer received, in arrival order.
    local function exchange(n, flags, channel, make)
      local s, c, speer, cpeer = H.pair()
      local got, sent = {}, 0
      local function on_event(h, t)
        if h == s and t == C.EVENT_RECEIVE then
          got[#got + 1] = speer:get_packet()
        end
      end
      while sent < n do
        for _ = 1, math.min(200, n - sent) do
          sent = sent + 1
          assert.is_true(cpeer:send(channel, make(sent), flags))
        end
        H.pump({ s, c }, function() return #got >= sent end, on_event, 2)
      end
      H.pump({ s, c }, function() return #got >= n end, on_event, 5)
      c:destroy()
      s:destroy()
      return got
    end

    it("delivers 10,000 reliable messages complete and in order", function()
      local got = exchange(10000, P.FLAG_RELIABLE, 0, function(i) return "message " .. i end)
      assert.are.equal(10000, #got)
      local first_bad
      for i = 1, #got do
        if got[i] ~= "message " .. i then first_bad = first_bad or i end
      end
      assert.is_nil(first_bad)
    end)

    it("delivers large reliable messages split into fragments", function()
      local big = H.bytes(100000, 7)
      local got = exchange(3, P.FLAG_RELIABLE, 1, function(i) return i .. big end)
      assert.are.equal(3, #got)
      assert.are.equal("2" .. big, got[2])
    end)

    it("delivers unreliable sequenced messages in increasing order on loopback", function()
      local got = exchange(500, 0, 2, function(i) return tostring(i) end)
      assert.is_true(#got > 400, "only " .. #got .. " of 500 arrived on loopback")
      for i = 2, #got do
        assert.is_true(tonumber(got[i]) > tonumber(got[i - 1]), "older after newer at " .. i)
      end
    end)

    it("delivers unsequenced messages", function()
      local got = exchange(500, P.FLAG_UNSEQUENCED, 0, function(i) return tostring(i) end)
      assert.is_true(#got > 400, "only " .. #got .. " of 500 arrived on loopback")
      local seen = {}
      for _, m in ipairs(got) do
        assert.is_nil(seen[m], "duplicate " .. m)
        seen[m] = true
      end
    end)

    it("delivers empty packets", function()
      local got = exchange(3, P.FLAG_RELIABLE, 0, function() return "" end)
      assert.are.same({ "", "", "" }, got)
    end)
  end)

  describe("send", function()
    it("returns FAILED with a hint when the peer is not connected yet", function()
      local s, port = H.server()
      local c = H.client()
      local p = c:connect_to_host("127.0.0.1", port)
      local ok, msg, code = p:send(0, "too early", P.FLAG_RELIABLE)
      assert.is_nil(ok)
      assert.are.equal(Error.FAILED, code)
      assert.matches("not connected yet", msg)
      c:destroy()
      s:destroy()
    end)

    it("sends reliably when flags are left out, as lua-enet", function()
      local s, c, speer, cpeer = H.pair()
      assert.is_true(cpeer:send(2, "no flags"))
      assert.is_true(cpeer:send(2, "nil flags", nil))
      s:broadcast(1, "broadcast, no flags")
      H.pump_until("receive", { s, c }, function()
        return speer:get_available_packet_count() == 2 and cpeer:get_available_packet_count() == 1
      end)
      assert.are.equal(P.FLAG_RELIABLE, speer:get_packet_flags())
      assert.are.equal("no flags", speer:get_packet())
      assert.are.equal(P.FLAG_RELIABLE, speer:get_packet_flags())
      assert.are.equal(P.FLAG_RELIABLE, cpeer:get_packet_flags())
      assert.are.equal(1, cpeer:get_packet_channel())
      c:destroy()
      s:destroy()
    end)

    it("names lua-enet's order and flag names in its errors, and says Godot's", function()
      local s, c, _, cpeer = H.pair()
      local cases = {
        { function() cpeer:send("hello", 0, "reliable") end,
          "bad argument #1 to 'send' (channel expected, got text: lua-enet's order send(data, channel, flag) " ..
          "is send(channel, data, flags) here, Godot's, e.g. send(0, data, FLAG_RELIABLE))" },
        { function() cpeer:send("hello") end, "lua-enet's order send(data, channel, flag)" },
        { function() cpeer:send(0, "hello", "reliable") end,
          "bad argument #3 to 'send' (flags are numbers here: lua-enet's \"reliable\" is " ..
          "ENetPacketPeer.FLAG_RELIABLE)" },
        { function() cpeer:send(0, "hello", "unsequenced") end, "ENetPacketPeer.FLAG_UNSEQUENCED" },
        { function() cpeer:send(0, "hello", "unreliable") end, "\"unreliable\" is 0 (unreliable, sequenced)" },
        { function() s:broadcast("hello", 0, "reliable") end,
          "bad argument #1 to 'broadcast' (channel expected, got text: " ..
          "lua-enet's order broadcast(data, channel, flag)" },
        { function() s:broadcast(0, "hello", "reliable") end,
          "bad argument #3 to 'broadcast' (flags are numbers here" },
      }
      for i, case in ipairs(cases) do
        local ok, err = pcall(case[1])
        assert.is_false(ok, "case " .. i)
        assert.matches(case[2], err, nil, true)
      end
      c:destroy()
      s:destroy()
    end)

    it("returns ERR_UNCONFIGURED on a peer that is gone", function()
      local s, c, _, cpeer = H.pair()
      cpeer:peer_disconnect_now()
      local ok, msg, code = cpeer:send(0, "x", P.FLAG_RELIABLE)
      assert.is_nil(ok)
      assert.are.equal(Error.ERR_UNCONFIGURED, code)
      assert.matches("no longer connected", msg)
      assert.are.equal(Error.ERR_UNCONFIGURED, select(3, cpeer:put_packet("x")))
      c:destroy()
      s:destroy()
    end)

    it("put_packet(\"\") returns true and sends nothing, as Godot; send(0, \"\", flags) sends one", function()
      local s, c, speer, cpeer = H.pair()
      assert.is_true(cpeer:put_packet(""))
      assert.is_true(cpeer:put_packet("after nothing"))
      H.pump_until("receive", { s, c }, function() return speer:get_available_packet_count() >= 1 end)
      -- reliable and in order: an empty packet sent first would be first
      assert.are.equal("after nothing", speer:get_packet())
      assert.is_true(cpeer:send(0, "", P.FLAG_RELIABLE))
      H.pump_until("the empty packet", { s, c }, function() return speer:get_available_packet_count() == 1 end)
      assert.are.equal("", speer:get_packet())
      cpeer:peer_disconnect_now()
      assert.is_true(cpeer:put_packet("")) -- Godot returns OK before looking at the peer
      assert.are.equal(Error.ERR_UNCONFIGURED, select(3, cpeer:put_packet("x")))
      c:destroy()
      s:destroy()
    end)

    it("put_packet sends reliably on channel 0", function()
      local s, c, speer, cpeer = H.pair()
      assert.is_true(cpeer:put_packet("via put_packet"))
      H.pump_until("receive", { s, c }, function() return speer:get_available_packet_count() == 1 end)
      assert.are.equal(0, speer:get_packet_channel())
      assert.are.equal(P.FLAG_RELIABLE, speer:get_packet_flags())
      assert.are.equal("via put_packet", speer:get_packet())
      c:destroy()
      s:destroy()
    end)
  end)

  describe("put_var and get_var", function()
    it("carries Godot Variants: a dictionary with a vector, an array, numbers and strings", function()
      local s, c, speer, cpeer = H.pair()
      local value = { name = "bob", pos = enet.Vector2(1.5, -2), items = enet.Array({ 1, "two", true }) }
      assert.is_true(cpeer:put_var(value))
      H.pump_until("variant", { s, c }, function() return speer:get_available_packet_count() == 1 end)
      assert.are.equal(0, speer:get_packet_channel())
      local got = speer:get_var()
      assert.are.equal("bob", got.name)
      assert.are.equal(1.5, got.pos.x)
      assert.are.equal(-2, got.pos.y)
      assert.are.equal("Vector2", got.pos.__godot)
      assert.are.same({ 1, "two", true }, { got.items[1], got.items[2], got.items[3] })
      c:destroy()
      s:destroy()
    end)

    it("sends exactly the bytes of var_to_bytes, in Godot 3 mode too", function()
      local s, c, speer, cpeer = H.pair()
      cpeer:put_var(42, { godot3 = true })
      cpeer:put_var("x")
      H.pump_until("variants", { s, c }, function() return speer:get_available_packet_count() == 2 end)
      assert.are.equal(enet.var_to_bytes(42, { godot3 = true }), speer:get_packet())
      assert.are.equal(enet.var_to_bytes("x"), speer:get_packet())
      c:destroy()
      s:destroy()
    end)

    it("returns nil, message, ERR_INVALID_DATA for a packet that is not a Variant, and consumes it", function()
      local s, c, speer, cpeer = H.pair()
      cpeer:put_packet("\255\255\255\255garbage")
      cpeer:put_var("after")
      H.pump_until("packets", { s, c }, function() return speer:get_available_packet_count() == 2 end)
      local v, msg, code = speer:get_var()
      assert.is_nil(v)
      assert.are.equal(Error.ERR_INVALID_DATA, code)
      assert.is_string(msg)
      assert.are.equal(Error.ERR_INVALID_DATA, speer:get_packet_error())
      assert.are.equal("after", speer:get_var())
      assert.are.equal(Error.OK, speer:get_packet_error())
      assert.are.equal(Error.ERR_UNAVAILABLE, select(3, speer:get_var()))
      c:destroy()
      s:destroy()
    end)

    it("raises for values Godot cannot represent, sending nothing", function()
      local s, c, speer, cpeer = H.pair()
      assert.has_error(function() cpeer:put_var({ f = function() end }) end)
      assert.has_error(function() cpeer:put_var(1, { nope = true }) end)
      assert.has_error(function() cpeer:put_var() end)
      cpeer:put_var("only this")
      H.pump_until("variant", { s, c }, function() return speer:get_available_packet_count() == 1 end)
      H.pump({ s, c }, function() return false end, nil, 0.05)
      assert.are.equal(1, speer:get_available_packet_count())
      c:destroy()
      s:destroy()
    end)
  end)

  describe("the received-packet queue", function()
    it("reports count, flags and channel of the next packet, and errors when empty", function()
      local s, c, speer, cpeer = H.pair()
      cpeer:send(3, "r", P.FLAG_RELIABLE)
      cpeer:send(4, "u", P.FLAG_UNSEQUENCED)
      H.pump_until("receive", { s, c }, function() return speer:get_available_packet_count() == 2 end)
      local first = speer:get_packet_channel()
      assert.is_true(first == 3 or first == 4)
      local expected = first == 3 and P.FLAG_RELIABLE or P.FLAG_UNSEQUENCED
      assert.are.equal(expected, speer:get_packet_flags())
      assert.are.equal(first == 3 and "r" or "u", speer:get_packet())
      assert.are.equal(Error.OK, speer:get_packet_error())
      speer:get_packet()
      assert.are.equal(0, speer:get_available_packet_count())
      -- 0 on an empty queue, as Godot: arithmetic on the result never meets nil
      assert.are.equal(0, speer:get_packet_flags())
      assert.are.equal(0, speer:get_packet_channel())
      assert.are.equal(0, speer:get_packet_flags() % 2)
      local data, msg, code = speer:get_packet()
      assert.is_nil(data)
      assert.are.equal(Error.ERR_UNAVAILABLE, code)
      assert.matches("no packet", msg)
      assert.are.equal(Error.ERR_UNAVAILABLE, speer:get_packet_error())
      assert.are.equal(0, speer:get_dropped_packet_count())
      c:destroy()
      s:destroy()
    end)

    it("reports Godot's maximum packet size", function()
      local s, c, speer = H.pair()
      assert.are.equal(16777216, speer:get_max_packet_size())
      c:destroy()
      s:destroy()
    end)
  end)

  describe("tuning and statistics", function()
    it("measures round-trip time after pings", function()
      local s, c, speer, cpeer = H.pair()
      cpeer:ping_interval(10)
      cpeer:ping()
      H.pump({ s, c }, function() return false end, nil, 0.2)
      local rtt = cpeer:get_statistic(P.PEER_ROUND_TRIP_TIME)
      assert.is_true(rtt >= 0 and rtt < 500, "rtt " .. rtt)
      assert.are.equal(P.PACKET_THROTTLE_SCALE, cpeer:get_statistic(P.PEER_PACKET_THROTTLE_LIMIT))
      assert.is_number(speer:get_statistic(P.PEER_PACKET_LOSS))
      c:destroy()
      s:destroy()
    end)

    it("applies throttle_configure", function()
      local s, c, _, cpeer = H.pair()
      cpeer:throttle_configure(1234, 3, 4)
      assert.are.equal(1234, cpeer:get_statistic(P.PEER_PACKET_THROTTLE_INTERVAL))
      assert.are.equal(3, cpeer:get_statistic(P.PEER_PACKET_THROTTLE_ACCELERATION))
      assert.are.equal(4, cpeer:get_statistic(P.PEER_PACKET_THROTTLE_DECELERATION))
      c:destroy()
      s:destroy()
    end)

    it("set_timeout wants timeout <= timeout_min <= timeout_max, as Godot", function()
      local s, c, _, cpeer = H.pair()
      cpeer:set_timeout(32, 5000, 30000)
      assert.has_error(function() cpeer:set_timeout(10, 5, 30) end,
        "bad argument #1 to 'set_timeout' (timeout must not exceed timeout_min)")
      assert.has_error(function() cpeer:set_timeout(1, 50, 30) end,
        "bad argument #2 to 'set_timeout' (timeout_min must not exceed timeout_max)")
      c:destroy()
      s:destroy()
    end)
  end)

  describe("identity", function()
    it("is the same object in every event and in get_peers, usable as a table key", function()
      local s, c, speer, cpeer = H.pair()
      local seen = {}
      seen[speer] = "client A"
      cpeer:send(0, "x", P.FLAG_RELIABLE)
      local from
      H.pump_until("receive", { s, c }, function() return from ~= nil end, function(h, t, peer)
        if h == s and t == C.EVENT_RECEIVE then from = peer end
      end)
      assert.are.equal("client A", seen[from])
      assert.are.equal(speer, s:get_peers()[1])
      c:destroy()
      s:destroy()
    end)

    it("carries a user table that the game can fill or replace", function()
      local s, c, speer = H.pair()
      speer.user.name = "alice"
      assert.are.equal("alice", s:get_peers()[1].user.name)
      speer.user = { score = 3 }
      assert.are.equal(3, speer.user.score)
      assert.has_error(function() speer.user = 5 end)
      assert.has_error(function() speer.other = 1 end,
        "cannot set field 'other' on ENetPacketPeer (use peer.user)")
      assert.has_error(function() speer[1] = true end,
        "cannot set a number key on ENetPacketPeer (use peer.user)")
      assert.is_nil(speer.no_such_method)
      c:destroy()
      s:destroy()
    end)

    it("shows address, port and state in tostring", function()
      local s, c, _, cpeer = H.pair()
      local port = s:get_local_port()
      assert.are.equal("ENetPacketPeer 127.0.0.1:" .. port .. " (connected)", tostring(cpeer))
      cpeer:peer_disconnect_now()
      assert.are.equal("ENetPacketPeer 127.0.0.1:" .. port .. " (disconnected)", tostring(cpeer))
      assert.are.equal(port, cpeer:get_remote_port())
      c:destroy()
      s:destroy()
    end)
  end)
end)
