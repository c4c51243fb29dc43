-- Server processes sharing one 127.0.0.1 port (reuse_port), what Linux
-- does with each client's datagrams. The kernel picks a socket of the
-- port's group by a hash of the client's address and port taken modulo the
-- group's size: a fixed group keeps every client on one process, but a
-- process joining or leaving changes the modulus and moves some flows to
-- another process, which has no session for them. The servers
-- (spec/support/reuse_port_server.lua) see those datagrams with the test
-- build's wire capture (conn:_capture) and report them as "stray". The
-- flows that move are predicted from the kernel's rule and checked.
local H = require("helper")
local C, P = H.C, H.P

local CLIENTS = 200
local MESSAGES = 5                   -- reliable messages per client in phase 1
local TIMEOUT_MIN, TIMEOUT_MAX = 1500, 3000 -- ms, both sides: moved flows time out fast
local SERVER = "spec/support/reuse_port_server.lua"

-- A server process on `port` (0: a free one); returns it and its port.
local function start_server(port)
  local proc = H.spawn(string.format("%s %s %d %d %d", H.lua, SERVER, port, TIMEOUT_MIN, TIMEOUT_MAX), 120)
  local bound
  local deadline = H.now() + 10
  while not bound and H.now() < deadline do
    bound = tonumber(proc.output():match("port (%d+)"))
    H.sleep(0.02)
  end
  assert(bound, "server did not start: " .. proc.output())
  return proc, bound
end

-- Stops a server and waits until its process is gone: its socket leaves
-- the port's group when it exits, not when it is signalled.
local function stop(proc)
  local pid = assert(proc.output():match("pid (%d+)"))
  proc.stop()
  local deadline = H.now() + 10
  local function alive()
    local stat = H.read_file("/proc/" .. pid .. "/stat")
    return stat ~= nil and not stat:match("^%d+ %b() Z")
  end
  while alive() and H.now() < deadline do H.sleep(0.01) end
  assert(not alive(), "server " .. pid .. " did not exit")
end

-- What a server printed: connects[id] = count, msgs[id][text] = count,
-- strays[rport] = count, answered[rport] = true, disconnects[id] = count.
local function parse(text)
  local r = { connects = {}, msgs = {}, strays = {}, answered = {}, disconnects = {} }
  for line in text:gmatch("[^\n]+") do
    local kind, a, b = line:match("^(%a+) (%S+) ?(%S*)")
    if kind == "connect" then
      r.connects[tonumber(a)] = (r.connects[tonumber(a)] or 0) + 1
    elseif kind == "msg" then
      local m = r.msgs[tonumber(a)] or {}
      r.msgs[tonumber(a)], m[b] = m, (m[b] or 0) + 1
    elseif kind == "stray" then
      r.strays[tonumber(a)] = (r.strays[tonumber(a)] or 0) + 1
    elseif kind == "answered" then
      r.answered[tonumber(a)] = true
    elseif kind == "disconnect" then
      r.disconnects[tonumber(a)] = (r.disconnects[tonumber(a)] or 0) + 1
    end
  end
  return r
end

describe("reuse_port across server processes", function()
  it("keeps each client on one process in a fixed group; a process joining or leaving moves some flows", function()
    local procs, seen = {}, {} -- name -> process, name -> last parse
    local clients = {}
    finally(function()
      for _, proc in pairs(procs) do proc.stop() end
      for _, c in ipairs(clients) do c.host:destroy() end
    end)
    local function refresh()
      for name, proc in pairs(procs) do seen[name] = parse(proc.output()) end
    end
    local function names() local t = {} for name in pairs(procs) do t[#t + 1] = name end return t end
    -- the processes where client c's datagrams strayed since `before`
    -- (a copy of seen)
    local function where_stray(c, before)
      local at = {}
      for name, r in pairs(seen) do
        local old = before[name] and before[name].strays[c.port] or 0
        if (r.strays[c.port] or 0) > old then at[#at + 1] = name end
      end
      table.sort(at)
      return at
    end
    local function msg_count(name, id, text)
      local m = seen[name] and seen[name].msgs[id]
      return m and m[text] or 0
    end
    -- Services the clients until done(), polling the servers' reports.
    local function pump(what, done, seconds)
      local next_poll = 0
      H.pump_until(what, {}, function()
        if H.now() >= next_poll then
          refresh()
          next_poll = H.now() + 0.05
        end
        for _, c in ipairs(clients) do
          local t = c.host:service(0)
          while t ~= C.EVENT_NONE do
            if t == C.EVENT_CONNECT then
              c.connected = true
            elseif t == C.EVENT_DISCONNECT then
              c.connected, c.dropped = false, true
            end
            t = c.host:service(0)
          end
        end
        return done()
      end, nil, seconds or 30)
      refresh()
    end
    local port
    local function connect(c)
      c.peer = assert(c.host:connect_to_host("127.0.0.1", port, 1, c.id))
      c.peer:set_timeout(32, TIMEOUT_MIN, TIMEOUT_MAX)
      c.dropped = false
    end
    -- Every client sends `text`; those whose flow moved time out and
    -- reconnect, and are served where their datagrams strayed. Returns the
    -- moved clients as id -> { from = old home, to = new home }.
    local function round(text)
      local before = {}
      for name, r in pairs(seen) do before[name] = r end
      for _, c in ipairs(clients) do c.peer:send(0, text, P.FLAG_RELIABLE) end
      pump(text .. " delivered or timed out", function()
        for _, c in ipairs(clients) do
          if not c.dropped and msg_count(c.home, c.id, text) == 0 then return false end
        end
        return true
      end)
      local moved = {}
      for _, c in ipairs(clients) do
        local at = where_stray(c, before)
        if c.dropped then
          assert.are.equal(1, #at, "client " .. c.id .. " of " .. c.home .. " timed out; its datagrams went to "
            .. table.concat(at, ","))
          assert.are_not.equal(c.home, at[1])
          moved[c.id] = { from = c.home, to = at[1] }
        else
          assert.are.same({}, at, "client " .. c.id .. " was served yet strayed")
        end
        for _, name in ipairs(names()) do
          -- a moved client's message never reaches anyone: ENet drops what
          -- has no session, and nothing is delivered twice
          local expected = (not c.dropped and name == c.home) and 1 or 0
          assert.are.equal(expected, msg_count(name, c.id, text), text .. " of client " .. c.id .. " at " .. name)
        end
      end
      for id in pairs(moved) do connect(clients[id]) end
      pump("moved clients reconnected", function()
        for id, m in pairs(moved) do
          local earlier = before[m.to] and before[m.to].connects[id] or 0
          if not clients[id].connected or (seen[m.to].connects[id] or 0) == earlier then return false end
        end
        return true
      end)
      for id, m in pairs(moved) do
        local c = clients[id]
        c.home = m.to
        c.peer:send(0, text, P.FLAG_RELIABLE)
      end
      pump(text .. " of the reconnected clients", function()
        for id, m in pairs(moved) do
          if msg_count(m.to, id, text) ~= 1 then return false end
        end
        return true
      end)
      for _, r in pairs(seen) do
        -- a process never answers a flow it has no session for
        assert.are.same({}, r.answered)
      end
      return moved
    end

    -- Phase 1: two processes, 200 clients, each served by exactly one.
    procs.A, port = start_server(0)
    procs.B = start_server(port)
    for id = 1, CLIENTS do
      local host = H.client(1, 1)
      clients[id] = { id = id, host = host, port = host:get_local_port() }
      connect(clients[id])
    end
    pump("all connected", function()
      local n = 0
      for _, c in ipairs(clients) do n = n + (c.connected and 1 or 0) end
      return n == CLIENTS
    end)
    for _, c in ipairs(clients) do
      for k = 1, MESSAGES do c.peer:send(0, "p1-" .. k, P.FLAG_RELIABLE) end
    end
    pump("phase 1 messages", function()
      local n = 0
      for _, r in pairs(seen) do
        for _, m in pairs(r.msgs) do
          for _, count in pairs(m) do n = n + count end
        end
      end
      return n >= CLIENTS * MESSAGES
    end)
    local count = { A = 0, B = 0 }
    for _, c in ipairs(clients) do
      local a, b = seen.A.connects[c.id] or 0, seen.B.connects[c.id] or 0
      assert.are.equal(1, a + b, "client " .. c.id .. " connected " .. a .. "+" .. b .. " times")
      c.home, c.first = a == 1 and "A" or "B", a == 1 and "A" or "B"
      count[c.home] = count[c.home] + 1
      for k = 1, MESSAGES do
        assert.are.equal(1, msg_count(c.home, c.id, "p1-" .. k))
      end
    end
    assert.are.same({}, seen.A.strays)
    assert.are.same({}, seen.B.strays)
    -- 200 clients hashed over two sockets: both get some (1 in 2^199 not)
    assert.is_true(count.A > 0 and count.B > 0)

    -- Phase 2: a third process joins the port. The kernel scales the hash
    -- to the group's size (index = hash * n / 2^32), so going from 2 to 3
    -- sockets moves a sixth of the flows from A to B and a third from B to
    -- the new C, never A to C or back to A. Each moved client's datagrams
    -- reach a process without its session; ENet there drops them silently,
    -- the client times out and reconnects, and that process serves it.
    procs.C = start_server(port)
    local moved2 = round("p2")
    local moves = {}
    for _, m in pairs(moved2) do
      moves[m.from .. m.to] = (moves[m.from .. m.to] or 0) + 1
    end
    assert.is_true((moves.AB or 0) > 0 and (moves.BC or 0) > 0, "the flows did not move as expected")
    assert.is_nil(moves.AC, "a flow moved from A to C")
    assert.is_nil(moves.BA, "a flow moved from B to A")

    -- The old homes time the moved clients out (TIMEOUT_MAX), so nothing
    -- of theirs is left when the flows come back.
    pump("the old homes dropped the moved clients", function()
      for id, m in pairs(moved2) do
        if (seen[m.from].disconnects[id] or 0) == 0 then return false end
      end
      return true
    end)

    -- Phase 3: A, the first, leaves. The kernel puts the group's last
    -- socket (C) in A's place and shrinks the group to C, B: A's clients go
    -- to C, but so do B's from A (phase 2), and C's go to B. Only B's own
    -- clients stay.
    local before3 = {}
    for _, c in ipairs(clients) do before3[c.id] = c.home end
    stop(procs.A)
    procs.A, seen.A = nil, nil
    local moved3 = round("p3")
    local stayed = 0
    for _, c in ipairs(clients) do
      local expected
      if before3[c.id] == "A" or (before3[c.id] == "B" and c.first == "A") then
        expected = "C"
      elseif before3[c.id] == "C" then
        expected = "B"
      end
      assert.are.equal(expected, moved3[c.id] and moved3[c.id].to, "client " .. c.id .. " of " .. before3[c.id])
      stayed = stayed + (expected and 0 or 1)
    end
    if os.getenv("REUSE_PORT_REPORT") then -- the figures for docs/performance.md
      local function size(t) local n = 0 for _ in pairs(t) do n = n + 1 end return n end
      io.stderr:write(string.format("phase 1: A %d, B %d; phase 2 moved %d (A->B %d, B->C %d);"
        .. " phase 3 moved %d, stayed %d\n", count.A, count.B, size(moved2), moves.AB, moves.BC,
        size(moved3), stayed))
    end
  end)
end)
