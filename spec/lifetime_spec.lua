-- Lifetimes: the orderings of destroy, garbage collection, disconnects and
-- slot reuse that crash other bindings. Every case must end in Lua values
-- or Lua errors, never in freed memory (make asan runs these under ASan).
local H = require("helper")
local enet, C, P = H.enet, H.C, H.P
local Error = enet.Error

local function full_gc()
  -- LuaJIT traces keep the closures they were recorded with (and so their
  -- upvalues, hosts included) alive until flushed.
  if jit then jit.flush() end
  for _ = 1, 3 do collectgarbage("collect") end
end

-- Collects garbage, then waits for the server `s` to see a client go.
local function expect_disconnect_after_gc(s)
  full_gc()
  local gone = false
  H.pump_until("disconnect after gc", { s }, function() return gone end, function(_, t)
    if t == C.EVENT_DISCONNECT then gone = true end
  end, 3)
end

describe("lifetimes", function()
  it("a reachable peer keeps its connection alive; an unreachable pair is collected", function()
    local s, c, _, cpeer = H.pair()
    local weak = setmetatable({ c }, { __mode = "v" })
    c = nil -- luacheck: ignore (drop the only direct reference to the client host)
    full_gc()
    assert.is_not_nil(weak[1])
    assert.is_true(cpeer:is_active())
    assert.is_true(cpeer:send(0, "still alive", P.FLAG_RELIABLE))
    cpeer = nil -- luacheck: ignore
    full_gc()
    assert.is_nil(weak[1])
    s:destroy()
  end)

  it("destroy() kills every peer: state and queue remain, calls fail cleanly", function()
    local s, c, speer, cpeer = H.pair()
    cpeer:send(0, "before destroy", P.FLAG_RELIABLE)
    H.pump_until("receive", { s, c }, function() return speer:get_available_packet_count() == 1 end)
    s:destroy()
    assert.is_false(speer:is_active())
    assert.are.equal(P.STATE_DISCONNECTED, speer:get_state())
    assert.are.equal("before destroy", speer:get_packet())
    assert.are.equal(Error.ERR_UNCONFIGURED, select(3, speer:send(0, "x", P.FLAG_RELIABLE)))
    speer:ping() -- a no-op on a dead peer, as in Godot
    assert.are.equal(0, speer:get_statistic(P.PEER_ROUND_TRIP_TIME))
    assert.are.equal(255, speer:get_channels()) -- the last count it had
    speer:peer_disconnect() -- a no-op, not an error
    assert.matches("disconnected", tostring(speer))
    c:destroy()
  end)

  it("collecting a restarted connection closes its second host and tells the remotes", function()
    local s, port = H.server()
    local function restart_connect_and_forget()
      local c = H.client()
      c:destroy()
      assert(c:create_host_bound("127.0.0.1", 0, 1))
      local p = c:connect_to_host("127.0.0.1", port)
      H.pump_until("connect", { s, c }, function() return p:get_state() == P.STATE_CONNECTED end)
    end
    restart_connect_and_forget()
    expect_disconnect_after_gc(s)
    s:destroy()
  end)

  it("collecting a connection with live peers closes it and tells the remotes", function()
    local s, port = H.server()
    local function connect_and_forget()
      local c = H.client()
      local p = c:connect_to_host("127.0.0.1", port)
      H.pump_until("connect", { s, c }, function() return p:get_state() == P.STATE_CONNECTED end)
    end
    connect_and_forget()
    expect_disconnect_after_gc(s)
    s:destroy()
  end)

  it("collecting peers and connections together in any order never crashes", function()
    for round = 1, 5 do
      local s, port = H.server(8)
      local clients, peers = {}, {}
      for i = 1, 4 do
        clients[i] = H.client()
        peers[i] = clients[i]:connect_to_host("127.0.0.1", port)
      end
      local hosts = { s }
      for i = 1, 4 do hosts[i + 1] = clients[i] end
      H.pump_until("connects", hosts, function() return #s:get_peers() == 4 end)
      for i = 1, 4 do peers[i]:send(0, "x" .. round, P.FLAG_RELIABLE) end
      for i = 1, 4 do clients[i]:flush() end
      H.pump({ s }, function() return false end, nil, 0.02)
      if round % 2 == 0 then s:destroy() end
      clients, peers, hosts = nil, nil, nil -- luacheck: ignore
      full_gc()
    end
    full_gc()
    assert.is_true(true) -- reaching here without a crash is the point; ASan checks memory
  end)

  it("gives a new object to a new remote in a recycled slot; the old one stays dead", function()
    local s, port = H.server(1)
    local c1 = H.client()
    local p1 = c1:connect_to_host("127.0.0.1", port)
    local first
    H.pump_until("first connect", { s, c1 }, function() return first ~= nil end, function(h, t, peer)
      if h == s and t == C.EVENT_CONNECT then first = peer end
    end)
    first.user.name = "first"
    p1:peer_disconnect_now()
    H.pump_until("first gone", { s, c1 }, function() return not first:is_active() end)

    local c2 = H.client()
    c2:connect_to_host("127.0.0.1", port)
    local second
    H.pump_until("second connect", { s, c2 }, function() return second ~= nil end, function(h, t, peer)
      if h == s and t == C.EVENT_CONNECT then second = peer end
    end)
    assert.are_not.equal(first, second)
    assert.is_false(first:is_active())
    assert.is_true(second:is_active())
    assert.is_nil(second.user.name)
    assert.are.equal("first", first.user.name)
    assert.are.equal(second, s:get_peers()[1])
    c1:destroy()
    c2:destroy()
    s:destroy()
  end)

  it("a peer reset before its connection completed is dead, and its slot can be reused", function()
    local c = H.client(1)
    local p = c:connect_to_host("127.0.0.1", 9)
    p:peer_disconnect() -- ENet resets a peer that never connected, without an event
    assert.is_false(p:is_active())
    local q = assert(c:connect_to_host("127.0.0.1", 9))
    assert.are_not.equal(p, q)
    assert.is_true(q:is_active())
    c:destroy()
  end)

  it("an events() loop ends quietly when the host is destroyed inside it", function()
    local s, c, _, cpeer = H.pair()
    for i = 1, 5 do cpeer:send(0, "m" .. i, P.FLAG_RELIABLE) end
    c:flush()
    H.sleep(0.05)
    local n = 0
    for t in s:events(10) do
      if t == C.EVENT_RECEIVE then
        n = n + 1
        s:destroy()
      end
    end
    assert.are.equal(1, n)
    c:destroy()
  end)

  if _VERSION == "Lua 5.4" then
    it("closes a <close> variable's host at the end of its scope", function()
      local chunk = assert(load([[
        local C = ...
        local kept
        do
          local host <close> = C.new()
          assert(host:create_host_bound("127.0.0.1", 0))
          kept = host
        end
        return kept
      ]]))
      local host = chunk(C)
      assert.are.equal("ENetConnection (destroyed)", tostring(host))
      assert.has_error(function() host:service() end, "connection destroyed")
    end)
  end
end)
