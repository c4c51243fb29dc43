-- enetconnection.multiplayer: a Lua server that Godot 4 ENetMultiplayerPeer
-- clients join. The clients are emulated (spec/godot4_client.lua, written
-- from docs/multiplayer.md): no Godot 4 runs here.
local H = require("helper")
local G = require("godot4_client")
local MP = require("enetconnection.multiplayer")
local C, P, Error = H.C, H.P, H.enet.Error

-- A server on 127.0.0.1 that records its events; world.pump(done) services
-- the server and the clients until done() holds (bounded).
local function world(options)
  options = options or {}
  options.address, options.port = "127.0.0.1", 0
  local server = assert(MP.server(options))
  local w = { server = server, port = server:get_host():get_local_port(), clients = {}, events = {} }
  function w.join(client_options)
    local client = G.client(w.port, client_options)
    w.clients[#w.clients + 1] = client
    return client
  end
  function w.saw(kind, id, a)
    for _, e in ipairs(w.events) do
      if e[1] == kind and (id == nil or e[2] == id) and (a == nil or e[3] == a) then
        return e
      end
    end
  end
  function w.count(kind)
    local n = 0
    for _, e in ipairs(w.events) do
      n = n + (e[1] == kind and 1 or 0)
    end
    return n
  end
  function w.pump(what, done)
    local deadline = H.now() + 10
    for _ = 1, 100000 do
      if done() then
        return
      end
      for kind, id, a, b, c in server:events(0) do
        w.events[#w.events + 1] = { kind, id, a, b, c }
      end
      for _, client in ipairs(w.clients) do
        if client.host:get_local_port() then
          client:poll()
        end
      end
      if H.now() > deadline then
        break
      end
      H.sleep(0.0005)
    end
    assert(done(), "timed out waiting for " .. what)
  end
  function w.close()
    for _, client in ipairs(w.clients) do
      pcall(client.close, client)
    end
    server:close()
  end
  return w
end

-- Joins a client and waits until the server and the client admitted each other.
local function joined(w, options)
  local client = w.join(options)
  w.pump("client " .. client.id .. " to join", function()
    return client:saw("connected_to_server") and w.saw("peer_connected", client.id) ~= nil
  end)
  return client
end

describe("enetconnection.multiplayer server with emulated Godot 4 clients", function()
  local w
  after_each(function()
    if w then
      w.close()
      w = nil
    end
  end)

  it("lets two clients join, see each other's add-peer, exchange bytes directly and relayed, "
    .. "and see delete-peer", function()
    w = world()
    local a = joined(w)
    local b = joined(w)
    w.pump("add-peer on both clients", function()
      return a:saw("peer_connected", b.id) and b:saw("peer_connected", a.id)
    end)
    local ids = { a.id, b.id }
    table.sort(ids)
    assert.are.same(ids, w.server:get_peers())
    -- The add-peer message as sent: 07 01 <id, 32-bit LE>, reliable on ENet channel 0.
    local add_b
    for _, r in ipairs(a.received) do
      if r.bytes == "\7\1" .. G.le32(b.id) then
        add_b = r
      end
    end
    assert.is_not_nil(add_b, "a got no 07 01 <b>")
    assert.are.equal(0, add_b.channel)
    assert.are.equal(P.FLAG_RELIABLE, add_b.flags)

    -- Client -> server, directly (03 + bytes, no relay).
    a:send_bytes("a to server", 1)
    w.pump("a's packet on the server", function() return w.saw("peer_packet", a.id, "a to server") end)
    local e = w.saw("peer_packet", a.id, "a to server")
    assert.are.equal(0, e[4])
    assert.are.equal(MP.TRANSFER_MODE_RELIABLE, e[5])

    -- Server -> client.
    assert.is_true(w.server:send_bytes("server to a", a.id))
    w.pump("the server's packet on a", function() return a:saw("peer_packet", 1, "server to a") end)
    assert.are.equal("\3server to a", a.received[#a.received].bytes)

    -- Client -> client through the relay; the server only forwards it.
    a:send_bytes("a to b", b.id)
    w.pump("a's packet on b", function() return b:saw("peer_packet", a.id, "a to b") end)
    assert.are.equal("\7\3" .. G.le32(a.id) .. "\3a to b", b.received[#b.received].bytes)
    assert.is_nil(w.saw("peer_packet", a.id, "a to b"))

    -- Broadcast from a client: the other client and the server get it.
    b:send_bytes("b to all", 0)
    w.pump("b's broadcast", function()
      return a:saw("peer_packet", b.id, "b to all") and w.saw("peer_packet", b.id, "b to all")
    end)
    assert.is_false(b:saw("peer_packet", b.id, "b to all"))

    -- b leaves: the server reports it and a gets 07 02 <b>.
    b:close()
    w.clients[2] = nil
    w.pump("delete-peer", function()
      return w.saw("peer_disconnected", b.id) and a:saw("peer_disconnected", b.id)
    end)
    assert.are.equal("\7\2" .. G.le32(b.id), a.received[#a.received].bytes)
    assert.are.same({ a.id }, w.server:get_peers())
  end)

  it("refuses ids below 2, above 2^31-1 and already taken, as Godot's server, and reports none of them", function()
    w = world()
    local first = joined(w)
    local bad = {}
    for _, id in ipairs({ 0, 1, first.id, 2147483648 }) do
      local client = w.join({ id = id })
      client.server:set_timeout(32, 300, 1000) -- the refused side times out
      bad[#bad + 1] = client
    end
    local good = joined(w)
    w.pump("the refused clients to time out", function()
      for _, client in ipairs(bad) do
        if not client:saw("server_disconnected") then
          return false
        end
      end
      return true
    end)
    assert.are.equal(2, w.count("peer_connected"))
    assert.is_not_nil(w.saw("peer_connected", good.id))
    assert.are.equal(0, w.count("peer_packet") + w.count("bad_packet"))
    -- the first client kept its id and heard only of the good one
    assert.is_false(first:saw("peer_connected", 0) or first:saw("peer_connected", 2147483648))
    local ids = { first.id, good.id }
    table.sort(ids)
    assert.are.same(ids, w.server:get_peers())
  end)

  it("maps transfer channels and modes as ENetMultiplayerPeer: channel n on ENet channel n+1, "
    .. "unreliable on 1", function()
    w = world({ channels = 3 })
    local a = joined(w, { channel_count = 3 })
    local b = joined(w, { channel_count = 3 })
    w.pump("add-peer", function() return a:saw("peer_connected", b.id) end)

    assert.is_true(w.server:send_bytes("u", a.id, MP.TRANSFER_MODE_UNRELIABLE, 0))
    assert.is_true(w.server:send_bytes("o", a.id, MP.TRANSFER_MODE_UNRELIABLE_ORDERED, 0))
    assert.is_true(w.server:send_bytes("r2", a.id, MP.TRANSFER_MODE_RELIABLE, 2))
    w.pump("three packets on a", function() return a:saw("peer_packet", 1, "r2") end)
    local by_bytes = {}
    for _, r in ipairs(a.received) do
      by_bytes[r.bytes] = r
    end
    -- Unreliable packets are not retransmitted: on loopback they arrive.
    assert.are.equal(1, by_bytes["\3u"].channel)
    assert.is_true(math.floor(by_bytes["\3u"].flags / P.FLAG_UNSEQUENCED) % 2 == 1)
    assert.are.equal(1, by_bytes["\3o"].channel)
    assert.are.equal(0, by_bytes["\3o"].flags % 4) -- neither reliable nor unsequenced
    assert.are.equal(3, by_bytes["\3r2"].channel)
    assert.are.equal(P.FLAG_RELIABLE, by_bytes["\3r2"].flags)
    assert.are.same({ { "r2", 2, G.RELIABLE } }, { a:packets_from(1)[3] })

    -- Client -> server: the server maps ENet channel 4 back to transfer channel 3.
    a:send_bytes("ordered on 3", 1, G.UNRELIABLE_ORDERED, 3)
    w.pump("a's packet", function() return w.saw("peer_packet", a.id, "ordered on 3") end)
    local e = w.saw("peer_packet", a.id, "ordered on 3")
    assert.are.equal(3, e[4])
    assert.are.equal(MP.TRANSFER_MODE_UNRELIABLE_ORDERED, e[5])

    -- The relay keeps the sender's mode and channel.
    a:send_bytes("relayed on 2", b.id, G.RELIABLE, 2)
    w.pump("the relayed packet", function() return b:saw("peer_packet", a.id, "relayed on 2") end)
    assert.are.equal(3, b.received[#b.received].channel)
    assert.are.same({ "relayed on 2", 2, G.RELIABLE }, b:packets_from(a.id)[1])

    -- A transfer channel the client did not open is a runtime failure.
    local c = joined(w, { channel_count = 1 }) -- 3 ENet channels
    local ok, message, code = w.server:send_bytes("x", c.id, MP.TRANSFER_MODE_RELIABLE, 3)
    assert.is_nil(ok)
    assert.matches("ENet channel 4", message, nil, true)
    assert.are.equal(Error.ERR_INVALID_PARAMETER, code)
  end)

  it("relays to everyone but one (-id), and processes it on the server unless the target is -1", function()
    w = world()
    local a, b, c = joined(w), joined(w), joined(w)
    w.pump("add-peer", function() return a:saw("peer_connected", c.id) and b:saw("peer_connected", c.id) end)
    a:send_bytes("not for b", -b.id)
    a:send_bytes("not for the server", -1)
    a:send_bytes("marker", 0) -- reliable, same channel: arrives after the two above
    w.pump("the marker everywhere", function()
      return b:saw("peer_packet", a.id, "marker") and c:saw("peer_packet", a.id, "marker")
        and w.saw("peer_packet", a.id, "marker")
    end)
    assert.is_true(c:saw("peer_packet", a.id, "not for b"))
    assert.is_false(b:saw("peer_packet", a.id, "not for b"))
    assert.is_not_nil(w.saw("peer_packet", a.id, "not for b"))
    assert.is_true(b:saw("peer_packet", a.id, "not for the server"))
    assert.is_true(c:saw("peer_packet", a.id, "not for the server"))
    assert.is_nil(w.saw("peer_packet", a.id, "not for the server"))
    assert.is_false(a:saw("peer_packet", a.id)) -- never back to the sender
  end)

  it("drops a relay to an id not connected and reports malformed packets, then keeps serving", function()
    w = world()
    local a = joined(w)
    local b = joined(w)
    a:send_bytes("to nobody", 12345)
    local cases = {
      { "", "bad_packet", "empty packet" },
      { "\7", "bad_packet", "shorter than 6 bytes" },
      { "\7\3\1", "bad_packet", "shorter than 6 bytes" },
      { "\7\3" .. G.le32(b.id), "bad_packet", "relay message without a packet" },
      { "\7\1" .. G.le32(b.id), "bad_packet", "not for a client to send" },
      { "\7\9" .. G.le32(b.id), "bad_packet", "not for a client to send" },
      { "\3", "bad_packet", "raw packet without bytes" },
      { "\7\3" .. G.le32(0) .. "\7\1" .. G.le32(5), "bad_packet", "inside a relayed packet" },
      { "\0\1\2", "unhandled_command", "\0\1\2" },
      { "\1" .. ("f"):rep(32) .. "\0\1\0\0\0Main\0", "unhandled_command" },
    }
    for _, case in ipairs(cases) do
      a:send_raw(0, case[1])
    end
    a:send_bytes("still here", 1)
    w.pump("the last packet", function() return w.saw("peer_packet", a.id, "still here") end)
    local reported = {}
    for _, e in ipairs(w.events) do
      if e[1] == "bad_packet" or e[1] == "unhandled_command" then
        assert.are.equal(a.id, e[2])
        reported[#reported + 1] = e
      end
    end
    assert.are.equal(#cases, #reported)
    for i, case in ipairs(cases) do
      assert.are.equal(case[2], reported[i][1], "case " .. i)
      if case[3] then
        assert.matches(case[3], reported[i][3], nil, true)
      end
    end
    -- b got only the nested relay (forwarded, as Godot's server does), no "to nobody".
    w.pump("b to receive the forwarded relay", function()
      return #b.received > 0 and b.received[#b.received].bytes:sub(1, 2) == "\7\3"
    end)
    assert.is_false(b:saw("peer_packet", a.id, "to nobody"))
  end)

  it("runs Godot's auth exchange: data both ways, both sides complete, then the peer is admitted "
    .. "and announced", function()
    local got = {}
    local server
    w = world({
      auth_callback = function(id, bytes)
        got[#got + 1] = { id, bytes }
        assert(server:send_auth(id, "welcome"))
        assert(server:complete_auth(id))
      end,
    })
    server = w.server
    local first = w.join({ auth = function(client) client:complete_auth() end })
    w.pump("peer_authenticating", function() return w.saw("peer_authenticating", first.id) end)
    assert.are.same({ first.id }, server:get_authenticating_peers())
    assert.are.same({}, server:get_peers())
    -- Not admitted yet: the server refuses to send it bytes, and drops its raw packets.
    local ok, _, code = server:send_bytes("early", first.id)
    assert.is_nil(ok)
    assert.are.equal(Error.ERR_INVALID_PARAMETER, code)
    first:send_bytes("too early", 1)
    first:send_auth("password")
    w.pump("the auth exchange", function()
      return first:saw("connected_to_server") and w.saw("peer_connected", first.id)
    end)
    assert.are.same({ { first.id, "password" } }, got)
    assert.is_not_nil(w.saw("bad_packet", first.id, "not an auth message while authenticating"))
    assert.is_nil(w.saw("peer_packet", first.id, "too early"))
    local received = {}
    for i, r in ipairs(first.received) do
      received[i] = r.bytes
    end
    assert.are.same({ "\7\0welcome", "\7\0" }, received)
    -- After completion: more auth data or a second completion are refused.
    ok, _, code = server:send_auth(first.id, "more")
    assert.is_nil(ok)
    assert.are.equal(Error.ERR_INVALID_PARAMETER, code) -- admitted, so not authenticating

    -- A second client is announced to the first only once admitted.
    local second = w.join({ auth = function(client) client:complete_auth() end })
    w.pump("second authenticating", function() return w.saw("peer_authenticating", second.id) end)
    assert.is_false(first:saw("peer_connected", second.id))
    second:send_auth("pw2")
    w.pump("second admitted", function()
      return first:saw("peer_connected", second.id) and second:saw("peer_connected", first.id)
    end)
    assert.is_true(second:saw("connected_to_server"))
  end)

  it("refuses a second complete_auth and auth data after completing, with ERR_FILE_CANT_WRITE", function()
    local server
    local results = {}
    w = world({
      auth_callback = function(id)
        results[#results + 1] = { server:complete_auth(id) }
        results[#results + 1] = { server:complete_auth(id) }
        results[#results + 1] = { server:send_auth(id, "late") }
        results[#results + 1] = { server:send_auth(id, "") }
      end,
    })
    server = w.server
    local client = w.join({ auth = function() end })
    w.pump("authenticating", function() return w.saw("peer_authenticating", client.id) end)
    client:send_auth("hello")
    w.pump("the callback", function() return #results == 4 end)
    assert.is_true(results[1][1])
    assert.are.equal(Error.ERR_FILE_CANT_WRITE, results[2][3])
    assert.are.equal(Error.ERR_FILE_CANT_WRITE, results[3][3])
    assert.are.equal(Error.ERR_INVALID_PARAMETER, results[4][3])
    -- The client never completes: still authenticating.
    assert.are.same({ client.id }, server:get_authenticating_peers())
    assert.is_nil(w.saw("peer_connected", client.id))
  end)

  it("disconnects a peer still authenticating after auth_timeout, with peer_authentication_failed", function()
    local now = 100
    w = world({ auth_callback = function() end, auth_timeout = 3, clock = function() return now end })
    local client = w.join({ auth = function() end })
    w.pump("authenticating", function() return w.saw("peer_authenticating", client.id) end)
    now = 102
    w.pump("one more round", function() return true end)
    for _ = 1, 3 do
      for kind, id in w.server:events(0) do
        w.events[#w.events + 1] = { kind, id }
      end
    end
    assert.is_nil(w.saw("peer_authentication_failed"))
    now = 103
    w.pump("the timeout", function() return w.saw("peer_authentication_failed", client.id) end)
    w.pump("the client to be disconnected", function() return client:saw("server_disconnected") end)
    assert.are.same({}, w.server:get_authenticating_peers())
    assert.are.equal(0, w.count("peer_connected") + w.count("peer_disconnected"))
  end)

  it("disconnect_peer tells the others and disconnects the peer, with no peer_disconnected event", function()
    w = world()
    local a, b = joined(w), joined(w)
    w.pump("add-peer", function() return a:saw("peer_connected", b.id) end)
    assert.is_true(w.server:disconnect_peer(b.id))
    w.pump("b to go", function() return a:saw("peer_disconnected", b.id) and b:saw("server_disconnected") end)
    assert.is_nil(w.saw("peer_disconnected"))
    assert.are.same({ a.id }, w.server:get_peers())
    local ok, _, code = w.server:disconnect_peer(b.id)
    assert.is_nil(ok)
    assert.are.equal(Error.ERR_INVALID_PARAMETER, code)
  end)

  it("speaks through compression when both ends set the same mode", function()
    w = world({ compression = C.COMPRESS_RANGE_CODER })
    local a = joined(w, { compression = C.COMPRESS_RANGE_CODER })
    local b = joined(w, { compression = C.COMPRESS_RANGE_CODER })
    local text = ("compressible "):rep(40)
    a:send_bytes(text, b.id)
    w.pump("the relayed packet", function() return b:saw("peer_packet", a.id, text) end)
    assert.is_true(w.server:get_host():pop_statistic(C.HOST_TOTAL_SENT_DATA) < #text)
  end)

  it("returns nil, message, code for bad sends and raises for misuse", function()
    w = world()
    local a = joined(w)
    local ok, message, code = w.server:send_bytes("", a.id)
    assert.is_nil(ok)
    assert.matches("empty", message)
    assert.are.equal(Error.ERR_INVALID_DATA, code)
    ok, message, code = w.server:send_bytes("x", 424242)
    assert.is_nil(ok)
    assert.matches("424242", message)
    assert.are.equal(Error.ERR_INVALID_PARAMETER, code)
    assert.has_error(function() w.server:send_bytes(42) end,
      "bad argument #1 to 'send_bytes' (string expected, got number)")
    assert.has_error(function() w.server:send_bytes("x", 1.5) end)
    assert.has_error(function() w.server:send_bytes("x", 0, 7) end)
    assert.has_error(function() w.server:send_bytes("x", 0, 2, -1) end)
    assert.has_error(function() MP.server({ prot = 1 }) end, "multiplayer.server: unknown option prot")
    assert.has_error(function() MP.server({ port = "7" }) end,
      "multiplayer.server: option port must be a number, got string")
    assert.has_error(function() MP.server({ channels = 254 }) end)
    assert.are.equal(1, w.server:get_unique_id())
    assert.are.equal(a.host:get_local_port(), w.server:get_peer(a.id):get_remote_port())

    -- A taken port: the host cannot be created.
    local taken, why, err = MP.server({ address = "127.0.0.1", port = w.port })
    assert.is_nil(taken)
    assert.is_string(why)
    assert.are.equal(Error.ERR_CANT_CREATE, err)

    w.server:close()
    w.server:close() -- idempotent
    ok, message, code = w.server:send_bytes("x", 0)
    assert.matches("closed", message)
    assert.is_nil(ok)
    assert.are.equal(Error.ERR_UNCONFIGURED, code)
    assert.is_nil(w.server:events(0)())
    w.pump("a to see the server go", function() return a:saw("server_disconnected") end)
  end)

  it("serves an existing ENetConnection without destroying it on close", function()
    local conn = H.server(8, 0)
    w = world({ connection = conn })
    local client = joined(w)
    assert.are.same({ client.id }, w.server:get_peers())
    w.server:close()
    assert.is_true(conn:get_local_port() > 0) -- still alive
    conn:destroy()
  end)
end)

describe("examples/godot4/server.lua", function()
  it("welcomes two emulated Godot 4 clients, echoes to the sender and forwards to the others", function()
    local proc = H.spawn(H.lua .. " examples/godot4/server.lua 127.0.0.1 0 25", 30)
    finally(function() proc.stop() end)
    local port
    local deadline = H.now() + 10
    while not port and H.now() < deadline do
      port = tonumber(proc.output():match("godot4 example server on 127%.0%.0%.1:(%d+)"))
      H.sleep(0.02)
    end
    assert.is_not_nil(port, "server did not start: " .. proc.output())
    local a, b = G.client(port), G.client(port)
    local function pump(what, done)
      deadline = H.now() + 10
      while not done() and H.now() < deadline do
        a:poll()
        b:poll()
        H.sleep(0.001)
      end
      assert(done(), "timed out waiting for " .. what .. "; server said: " .. proc.output())
    end
    pump("welcome", function()
      return a:saw("peer_packet", 1, "welcome " .. a.id) and b:saw("peer_packet", 1, "welcome " .. b.id)
    end)
    a:send_bytes("hello from a", 1)
    pump("echo and forward", function()
      return a:saw("peer_packet", 1, "echo: hello from a") and b:saw("peer_packet", 1, a.id .. " says: hello from a")
    end)
    a:close()
    b:close()
    assert.is_true(proc.wait(10), "the server should stop when its last client leaves: " .. proc.output())
    local said = proc.output()
    assert.matches("peer " .. a.id .. " connected", said, nil, true)
    assert.matches("from " .. a.id .. ": hello from a", said, nil, true)
    assert.matches("peer " .. b.id .. " left", said, nil, true)
  end)
end)
