-- The socket options of create_host and create_host_bound: the socket layer
-- makes our hosts' sockets, so it can set what must come before bind
-- (SO_REUSEPORT) and the buffer sizes; get_socket_options reads them back.
-- With the layer bypassed (libenet preloaded): spec/socket_layer_spec.lua.
local H = require("helper")
local enet, C, P = H.enet, H.C, H.P
local E = enet.Error

local function bound(port, ...)
  local h = enet.new()
  local ok, msg, code = h:create_host_bound("127.0.0.1", port, ...)
  return ok and h or nil, msg, code
end

describe("ENetConnection socket options", function()
  it("leave a host's socket as ENet makes it when none are given", function()
    local h = assert(bound(0))
    local o = h:get_socket_options()
    assert.is_false(o.reuse_port)
    -- ENet asks for 256 KiB; Linux doubles what it grants, within its caps
    assert.is_true(o.receive_buffer > 0 and o.send_buffer > 0)
    h:destroy()
  end)

  it("let two hosts that both ask for reuse_port bind the same 127.0.0.1 port", function()
    local a = assert(bound(0, 32, 0, 0, 0, { reuse_port = true }))
    local port = a:get_local_port()
    local b = assert(bound(port, { reuse_port = true })) -- in place of max_peers
    assert.are.equal(port, b:get_local_port())
    assert.is_true(a:get_socket_options().reuse_port)
    assert.is_true(b:get_socket_options().reuse_port)
    -- clients reach one of the two and are served there
    local clients, peers = {}, {}
    for i = 1, 4 do
      clients[i] = H.client()
      peers[i] = clients[i]:connect_to_host("127.0.0.1", port)
    end
    local hosts = { a, b }
    for _, c in ipairs(clients) do hosts[#hosts + 1] = c end
    H.pump_until("connections", hosts, function()
      for _, p in ipairs(peers) do
        if p:get_state() ~= P.STATE_CONNECTED then return false end
      end
      return true
    end)
    H.pump_until("servers' side", hosts, function()
      return #a:get_peers() + #b:get_peers() == #clients
    end)
    for _, c in ipairs(clients) do c:destroy() end
    a:destroy()
    b:destroy()
  end)

  it("refuse a second host on a port with ERR_CANT_CREATE unless both ask for reuse_port", function()
    local a = assert(bound(0))
    local h, msg, code = bound(a:get_local_port(), { reuse_port = true })
    assert.is_nil(h)
    assert.are.equal(E.ERR_CANT_CREATE, code)
    assert.matches("Address already in use", msg, 1, true)
    local r = assert(bound(0, { reuse_port = true }))
    h, msg, code = bound(r:get_local_port())
    assert.is_nil(h)
    assert.are.equal(E.ERR_CANT_CREATE, code, msg)
    a:destroy()
    r:destroy()
  end)

  it("set the receive and send buffers, and read back what the system gave", function()
    local default = assert(bound(0)):get_socket_options()
    local h = assert(bound(0, { receive_buffer = 100000, send_buffer = 60000 }))
    local o = h:get_socket_options()
    -- Linux doubles the value (its bookkeeping) within net.core.rmem_max
    assert.is_true(o.receive_buffer >= 100000, o.receive_buffer)
    assert.is_true(o.send_buffer >= 60000, o.send_buffer)
    h:destroy()
    -- a small buffer is smaller than ENet's default: ours was set after ENet's
    local small = assert(bound(0, { receive_buffer = 4096, send_buffer = 4096 }))
    o = small:get_socket_options()
    assert.is_true(o.receive_buffer < default.receive_buffer, o.receive_buffer)
    assert.is_true(o.send_buffer < default.send_buffer, o.send_buffer)
    small:destroy()
  end)

  it("apply to create_host too, and the host still talks", function()
    local s = assert(bound(0))
    local c = enet.new()
    assert(c:create_host(1, 0, 0, 0, { receive_buffer = 100000 }))
    assert.is_true(c:get_socket_options().receive_buffer >= 100000)
    local p = c:connect_to_host("127.0.0.1", s:get_local_port())
    H.pump_until("connection", { s, c }, function() return p:get_state() == P.STATE_CONNECTED end)
    p:send(0, "through the options' socket", P.FLAG_RELIABLE)
    local got
    H.pump_until("delivery", { s, c }, function() return got ~= nil end,
      function(_, t, peer) if t == C.EVENT_RECEIVE then got = peer:get_packet() end end)
    assert.are.equal("through the options' socket", got)
    c:destroy()
    s:destroy()
  end)

  it("raise for unknown fields, wrong types, out-of-range sizes and arguments after the table", function()
    local h = enet.new()
    local cases = {
      { { bogus = true }, "unknown option 'bogus'" },
      { { reuse_port = 1 }, "reuse_port must be a boolean" },
      { { receive_buffer = 0 }, "receive_buffer must be an integer from 1" },
      { { send_buffer = 2 ^ 31 }, "send_buffer must be an integer from 1" },
      { { receive_buffer = 1.5 }, "receive_buffer must be an integer" },
      { { send_buffer = "4096" }, "send_buffer must be an integer" },
    }
    for _, case in ipairs(cases) do
      local ok, err = pcall(h.create_host_bound, h, "127.0.0.1", 0, case[1])
      assert.is_false(ok)
      assert.matches(case[2], err, 1, true)
      ok, err = pcall(h.create_host, h, 1, 0, 0, 0, case[1])
      assert.is_false(ok)
      assert.matches(case[2], err, 1, true)
    end
    local ok, err = pcall(h.create_host_bound, h, "127.0.0.1", 0, { reuse_port = true }, 2)
    assert.is_false(ok)
    assert.matches("nothing may follow the options table", err, 1, true)
    ok, err = pcall(h.create_host, h, 1, 0, 0, 0, 5)
    assert.is_false(ok)
    assert.matches("table expected", err, 1, true)
    assert.has_error(function() h:get_socket_options() end,
      "host not created: call create_host or create_host_bound first")
  end)
end)
