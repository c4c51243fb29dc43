-- A host in someone else's event loop: get_socket_fd(), and the luv and
-- copas examples run for real on 127.0.0.1 (examples/luv_server.lua,
-- examples/copas_server.lua), under the Lua running the specs.
local H = require("helper")
local socket = require("socket")
local C, P, E = H.C, H.P, H.enet.Error

-- The descriptor as LuaSocket's select takes it.
local function watched(fd)
  return { getfd = function() return fd end, dirty = function() return false end }
end

local function readable(fd, seconds)
  local ready = socket.select({ watched(fd) }, nil, seconds)
  return #ready == 1
end

-- Which Lua runs the specs ("lua5.4" also for the ASan build's interpreter, build/asan/lua5.4).
local lua = H.lua:match("[^/]+$")

-- Debian's lua-luv provides luv for Lua 5.1 to 5.4, which LuaJIT loads as
-- well; lua-copas (copas 1.x) only for Lua 5.1 and 5.2, and LuaJIT.
local HAS_LUV = { ["lua5.1"] = true, ["lua5.2"] = true, ["lua5.3"] = true, ["lua5.4"] = true, luajit = true }
local HAS_COPAS = { ["lua5.1"] = true, ["lua5.2"] = true, luajit = true }

-- Runs an example server, then talks to it as an ENet client and a TCP
-- client: the echo, a TCP line broadcast to the peer, and "quit".
local function drive(example, name)
  local server = H.spawn(H.lua .. " " .. example .. " 0 0 30", 40)
  local enet_port, tcp_port
  local deadline = H.now() + 10
  while not enet_port and H.now() < deadline do
    enet_port, tcp_port = server.output():match(name .. " server: enet 127%.0%.0%.1:(%d+), tcp 127%.0%.0%.1:(%d+)")
    H.sleep(0.02)
  end
  assert.is_not_nil(enet_port, name .. " server did not start: " .. server.output())
  local c = H.client()
  local peer = assert(c:connect_to_host("127.0.0.1", tonumber(enet_port)))
  local got = {}
  local function pump(what, count)
    H.pump_until(what, { c }, function() return #got >= count end, function(_, t, p)
      if t == C.EVENT_RECEIVE then got[#got + 1] = p:get_packet() end
    end)
  end
  H.pump_until("connected to the " .. name .. " server", { c }, function()
    return peer:get_state() == P.STATE_CONNECTED
  end)
  assert(peer:send(0, "hi", P.FLAG_RELIABLE))
  pump("the echo", 1)
  assert.are.equal("echo: hi", got[1])
  local tcp = assert(socket.connect("127.0.0.1", tonumber(tcp_port)))
  tcp:settimeout(10)
  assert(tcp:send("hello\n"))
  local answer = tcp:receive("*l")
  pump("the TCP line", 2)
  assert.are.equal("tcp: hello", got[2])
  assert(tcp:send("quit\n"))
  local bye = tcp:receive("*l")
  tcp:close()
  local exited = server.wait(10)
  local output = server.output()
  server.stop()
  c:destroy()
  assert.are.equal("sent to 1 peers", answer)
  assert.are.equal("bye", bye)
  assert.is_true(exited, output)
  assert.truthy(output:find(name .. " server: stopped", 1, true), output)
end

describe("event loops", function()
  describe("get_socket_fd", function()
    it("returns nil, message, ERR_UNCONFIGURED before create_host and raises after destroy", function()
      local conn = C.new()
      local fd, message, code = conn:get_socket_fd()
      assert.is_nil(fd)
      assert.are.equal(E.ERR_UNCONFIGURED, code)
      assert.truthy(message:find("create_host", 1, true), message)
      assert(conn:create_host_bound("127.0.0.1", 0, 1))
      assert.is_number(conn:get_socket_fd())
      conn:destroy()
      assert.has_error(function() conn:get_socket_fd() end, "connection destroyed")
    end)

    it("is the host's UDP socket: readable when a datagram arrives, and the same once DTLS is set up", function()
      local s, port = H.server()
      local fd = assert(s:get_socket_fd())
      assert.is_false(readable(fd, 0))
      local c = H.client()
      assert(c:socket_send("127.0.0.1", port, "wake up"))
      assert.is_true(readable(fd, 5))
      assert.are.equal(C.EVENT_NONE, (s:service(0))) -- ENet reads it; not ENet's, so no event
      assert.is_false(readable(fd, 0))
      local key = assert(H.enet.Crypto.generate_rsa(1024))
      local cert = assert(H.enet.Crypto.generate_self_signed_certificate(key, "CN=localhost"))
      assert(s:dtls_server_setup(H.enet.TLSOptions.server(key, cert)))
      assert.are.equal(fd, s:get_socket_fd())
      c:destroy()
      s:destroy()
    end)

    it("is not the only source of events: after one wakeup, events wait with the descriptor quiet", function()
      local s, c, _, cpeer = H.pair()
      for i = 1, 3 do
        assert(cpeer:send(0, "packet " .. i, P.FLAG_RELIABLE))
      end
      c:flush() -- the three in one datagram
      local fd = assert(s:get_socket_fd())
      assert.is_true(readable(fd, 5))
      local received = 0
      local t = s:service(0)
      if t == C.EVENT_RECEIVE then received = received + 1 end
      assert.is_false(readable(fd, 0))
      -- the descriptor says nothing, yet service(0) has the rest
      for _ = 1, 10 do
        t = s:service(0)
        if t == C.EVENT_NONE then break end
        if t == C.EVENT_RECEIVE then received = received + 1 end
      end
      assert.are.equal(3, received)
      c:destroy()
      s:destroy()
    end)
  end)

  it("luv (lua-luv) is there for " .. lua .. ": the luv example runs under it", function()
    assert.is_true(HAS_LUV[lua], lua .. " is not one Debian's lua-luv serves")
    assert.is_true((pcall(require, "luv")), "lua-luv is not installed: scripts/setup")
  end)

  it("luv_server.lua serves its host and a TCP source in one loop", function()
    drive("examples/luv_server.lua", "luv")
  end)

  -- copas: run where Debian packages it, and say so where it does not.
  if HAS_COPAS[lua] then
    it("copas_server.lua serves its host and a TCP source in one loop", function()
      drive("examples/copas_server.lua", "copas")
    end)
  else
    it("copas is not packaged for " .. lua .. " (lua-copas: 5.1, 5.2, LuaJIT, where the example runs)", function()
      assert.is_false((pcall(require, "copas")), "copas exists for " .. lua .. ": run the copas example here too")
    end)
  end
end)
