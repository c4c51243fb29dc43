-- busted: alone (scripts/test): the collector must be fast, so no heap that other specs left
-- Finalizers that re-enter a host: any Lua allocation inside a method can
-- run the finalizer of an unrelated object, and that finalizer may destroy
-- or service the very host the method is working on. These specs make the
-- collector eager and plant finalizers that act only when the function
-- that triggered the collection is the one under test, so the finalizer
-- runs inside the C code. Before the fix each of them crashed (double
-- free, use after free, NULL dereference); now nothing is freed under the
-- C code and no packet is lost.
local H = require("helper")
local C, P = H.C, H.P

-- A garbage object whose finalizer is `finalize`.
local function garbage(finalize)
  if newproxy then -- Lua 5.1 and LuaJIT: finalizers only on userdata
    getmetatable(newproxy(true)).__gc = finalize
  else
    setmetatable({}, { __gc = finalize })
  end
end

-- Runs `body` with the collector running cycle after cycle.
local function with_eager_gc(body)
  -- A small heap, so that cycles come often: collect until it stops
  -- shrinking, as one collection may leave much (LuaJIT halves its string
  -- buffer at each cycle, so a 16 MiB string made by an earlier spec keeps
  -- the heap large for several).
  local before
  for _ = 1, 50 do
    before = collectgarbage("count")
    collectgarbage()
    if collectgarbage("count") >= before then break end
  end
  local pause = collectgarbage("setpause", 0)
  local stepmul = collectgarbage("setstepmul", 1000)
  local ok, err = pcall(body)
  collectgarbage("setpause", pause)
  collectgarbage("setstepmul", stepmul)
  collectgarbage()
  assert(ok, err)
end

-- Calls `step(done)` until a finalizer has called act() from inside one
-- of the `targets` (the function that triggered the collection is the
-- finalizer's caller; done() tells whether that happened); a finalizer
-- called elsewhere plants a new one for the next cycle. `step` should allocate little itself, make the target
-- allocate much and call little else (Lua 5.1 to 5.3 and LuaJIT step the
-- collector before an allocation, and at calls), so that the collector
-- steps inside the target.
-- Returns how often act() ran (1, or 0 when the bound was reached).
local function until_acted(targets, act, step)
  local acted, stopped = 0, false
  local function finalize()
    if stopped then
      return
    end
    local info = debug.getinfo(2, "f")
    if info and targets[info.func] then
      stopped = true
      acted = acted + 1
      act()
    else
      garbage(finalize)
    end
  end
  -- Several at once: a cycle calls them at consecutive steps, so one of
  -- them is likely to run at a step inside the target.
  for _ = 1, 20 do
    garbage(finalize)
  end
  local function done()
    return acted > 0
  end
  local deadline = H.now() + 30
  repeat
    step(done)
  until done() or H.now() > deadline
  stopped = true
  return acted
end

-- A server with one connected client. step() sends a pair of packets from
-- the client, a large shared one and a short unique one (so that the
-- server's events() allocates much and the step itself little), and
-- drains the server's events(), appending the data of each RECEIVE to
-- `got` without calling anything else between the iterator's calls. One
-- pair is in flight at a time, so that both come in one drain. Returns the
-- hosts, step, `got` and a function that tells how many pairs were sent.
local BIG = string.rep(".", 16384)
local function sending_pair()
  local s, c, _, cpeer = H.pair()
  local sent, got = 0, {}
  local function step()
    c:service(0)
    if 2 * sent == #got then -- one pair in flight: both come in one drain
      sent = sent + 1
      local tag = tostring(sent)
      -- the large one first: the collector then steps at the allocation
      -- that follows it, the short one's, inside the iterator
      assert(cpeer:send(0, BIG, P.FLAG_RELIABLE))
      assert(cpeer:send(0, tag, P.FLAG_RELIABLE))
      c:flush()
    end
    for t, _, data in s:events(0) do
      if t == C.EVENT_RECEIVE then
        got[#got + 1] = data
      end
    end
  end
  return s, c, cpeer, step, got, function() return sent end
end

describe("a finalizer that re-enters the host", function()
  it("destroys it inside the events() iterator: no double free, the host is destroyed", function()
    local s, c, cpeer, step = sending_pair()
    with_eager_gc(function()
      assert.are.equal(1, until_acted({ [s:events()] = true }, function() s:destroy() end, step))
    end)
    assert.has_error(function() s:service(0) end, "connection destroyed")
    H.pump_until("the client sees the server go", { c }, function()
      return cpeer:get_state() == P.STATE_DISCONNECTED
    end)
    c:destroy()
  end)

  it("restarts it (destroy, create_host) inside the events() iterator: old peers dead, new host works", function()
    local s, c, cpeer, step = sending_pair()
    local old = s:get_peers()[1]
    with_eager_gc(function()
      assert.are.equal(1, until_acted({ [s:events()] = true }, function()
        s:destroy()
        assert(s:create_host_bound("127.0.0.1", 0, 4))
      end, step))
    end)
    assert.is_false(old:is_active())
    H.pump_until("the client sees the server go", { c }, function()
      return cpeer:get_state() == P.STATE_DISCONNECTED
    end)
    local p = c:connect_to_host("127.0.0.1", s:get_local_port())
    H.pump_until("a client of the new host", { s, c }, function() return #s:get_peers() == 1 end)
    assert.are_not.equal(old, s:get_peers()[1])
    assert.is_true(p:is_active())
    c:destroy()
    s:destroy()
  end)

  it("services it inside the events() iterator: every packet arrives once", function()
    local s, c, _, step, got, sent = sending_pair()
    with_eager_gc(function()
      assert.are.equal(1, until_acted({ [s:events()] = true }, function()
        for t, _, data in s:events(0) do
          if t == C.EVENT_RECEIVE then
            got[#got + 1] = data
          end
        end
      end, step))
    end)
    H.pump_until("every packet", { s, c }, function() return #got == 2 * sent() end, function(h, t, peer)
      if h == s and t == C.EVENT_RECEIVE then
        got[#got + 1] = peer:get_packet()
      end
    end)
    local seen, bigs = {}, 0
    for _, data in ipairs(got) do
      if data == BIG then
        bigs = bigs + 1
      else
        assert.is_nil(seen[data], "delivered twice: " .. data)
        seen[data] = true
      end
    end
    for i = 1, sent() do
      assert.is_true(seen[tostring(i)], "lost: packet " .. i)
    end
    assert.are.equal(sent(), bigs)
    c:destroy()
    s:destroy()
  end)

  it("destroys it while service() makes the peer of an EVENT_CONNECT: the peer comes back dead", function()
    local s, port = H.server(64)
    local c
    -- 64 connections under way at once, their client-side peers made
    -- beforehand: in the steps only the server allocates (its new peers);
    -- each is reset once connected, so that the server never fills
    local function connect_batch()
      if c then
        c:destroy()
      end
      c = H.client(64)
      for _ = 1, 64 do
        assert(c:connect_to_host("127.0.0.1", port))
      end
      c:flush()
    end
    connect_batch()
    local connected, waiting = {}, 64
    with_eager_gc(function()
      local acted = until_acted({ [s.service] = true }, function() s:destroy() end, function(done)
        if waiting == 0 then
          connect_batch()
          waiting = 64
        end
        for _ = 1, 10 do
          local t, peer = s:service(1)
          if t == C.EVENT_CONNECT then
            connected[#connected + 1] = peer
            waiting = waiting - 1
          end
          if done() then
            return
          end
          if t == C.EVENT_CONNECT then
            peer:reset()
          end
          c:service(0)
        end
      end)
      assert.are.equal(1, acted)
    end)
    -- every peer is dead now, the one made while the finalizer destroyed
    -- the host too
    assert.is_true(#connected > 0)
    for _, peer in ipairs(connected) do
      assert.is_false(peer:is_active())
    end
    assert.has_error(function() s:service(0) end, "connection destroyed")
    c:destroy()
  end)

  it("destroys it inside get_peers(): no NULL host, the array stops", function()
    local s, c = H.pair()
    local peers
    with_eager_gc(function()
      local acted = until_acted({ [s.get_peers] = true }, function() s:destroy() end, function()
        local ok, err = pcall(function()
          for _ = 1, 50 do -- nothing between the calls: the collector steps inside
            peers = s:get_peers()
          end
        end)
        if not ok then -- destroyed by the finalizer, then called again
          assert.matches("connection destroyed", err)
        end
      end)
      assert.are.equal(1, acted)
    end)
    assert.is_true(peers == nil or type(peers) == "table")
    assert.has_error(function() s:get_peers() end, "connection destroyed")
    c:destroy()
  end)

  it("destroys it while connect_to_host() makes the peer: the peer comes back dead", function()
    local s, port = H.server()
    local c = H.client(64)
    local last
    with_eager_gc(function()
      local acted = until_acted({ [c.connect_to_host] = true }, function() c:destroy() end, function()
        last = c:connect_to_host("127.0.0.1", port)
        if not last then -- every slot used: a new client
          c:destroy()
          c = H.client(64)
        end
      end)
      assert.are.equal(1, acted)
    end)
    assert.is_false(last:is_active())
    assert.has_error(function() c:service(0) end, "connection destroyed")
    s:destroy()
  end)

  it("reads the same peer inside get_packet(): each packet is read once", function()
    local s, c, speer, cpeer = H.pair()
    local total, read = 0, {}
    local function refill()
      for _ = 1, 100 do
        total = total + 1
        assert(cpeer:send(0, total .. BIG, P.FLAG_RELIABLE))
      end
      H.pump_until("all queued", { s, c }, function() return speer:get_available_packet_count() == 100 end)
    end
    with_eager_gc(function()
      local acted = until_acted({ [speer.get_packet] = true }, function()
        local data = speer:get_packet()
        read[#read + 1] = data
      end, function()
        if speer:get_available_packet_count() == 0 then
          refill()
        end
        for _ = 1, 10 do -- little between the calls: the collector steps inside
          local data = speer:get_packet() -- the finalizer may append meanwhile
          read[#read + 1] = data
        end
      end)
      assert.are.equal(1, acted)
    end)
    while speer:get_available_packet_count() > 0 do
      read[#read + 1] = speer:get_packet()
    end
    local seen = {}
    for _, data in ipairs(read) do
      assert.is_nil(seen[data], "read twice: " .. data:sub(1, 10))
      seen[data] = true
    end
    assert.are.equal(total, #read)
    c:destroy()
    s:destroy()
  end)
end)

describe("the events() iterator", function()
  it("refuses a control value that neither events() nor an event gave", function()
    local s = H.server()
    local iterator, state = s:events()
    for _, bad in ipairs({ "x", {}, 4, -86400003, -2 ^ 53 }) do
      assert.has_error(function() iterator(state, bad) end)
    end
    if math.mininteger then
      assert.has_error(function() iterator(state, math.mininteger) end)
    end
    -- what a generic for passes is accepted
    assert.are.equal(0, select("#", iterator(state, -2)))
    assert.are.equal(0, select("#", iterator(state, 0)))
    s:destroy()
  end)
end)
