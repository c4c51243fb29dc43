-- Interop with a real foreign ENet peer: Debian's pyenet (python3-enet),
-- which links the same system libenet but is not this binding.
local H = require("helper")
local C, P = H.C, H.P

-- A server bound to `address` on a free port, 4 peers and 4 channels.
local function server(address)
  local s = C.new()
  assert(s:create_host_bound(address, 0, 4, 4))
  return s, s:get_local_port()
end

describe("interop with pyenet", function()
  -- "127.0.0.1": an IPv4 socket; "*": a dual-stack one, pyenet's IPv4
  -- arriving as v4-mapped addresses.
  for _, address in ipairs({ "127.0.0.1", "*" }) do
    it("serves a pyenet client on " .. address
      .. ": greeting, echoes of every size on 4 channels, disconnect data", function()
      local s, port = server(address)
      local proc = H.spawn(H.python .. " spec/peers/pyenet_client.py " .. port, 40)
      local connect_data, disconnect_data, echoed = nil, nil, 0
      local ok = H.pump({ s }, function() return disconnect_data ~= nil end, function(_, t, peer, data, channel)
        if t == C.EVENT_CONNECT then
          connect_data = data
          assert.is_true(peer:send(1, "hello from lua", P.FLAG_RELIABLE))
        elseif t == C.EVENT_RECEIVE then
          assert.is_true(peer:send(channel, peer:get_packet(), P.FLAG_RELIABLE))
          echoed = echoed + 1
        elseif t == C.EVENT_DISCONNECT then
          disconnect_data = data
        end
      end, 30)
      local exited_ok = proc.wait(10)
      local out = proc.output()
      proc.stop()
      s:destroy()
      assert.is_true(ok, "no disconnect from pyenet; it printed:\n" .. out)
      assert.is_true(exited_ok, out)
      assert.are.equal(31337, connect_data)
      assert.are.equal(4242, disconnect_data)
      assert.are.equal(9, echoed)
      assert.matches("echoes 9 of 9 identical", out)
    end)
  end

  -- H.client binds 127.0.0.1; create_host's socket is dual stack.
  for _, dual in ipairs({ false, true }) do
    it("connects to a pyenet server" .. (dual and " from a dual-stack host (create_host)" or "")
      .. " and gets every message back byte for byte", function()
      local proc = H.spawn(H.python .. " spec/peers/pyenet_server.py", 40)
      local port
      local deadline = H.now() + 15
      while not port and H.now() < deadline do
        port = tonumber(proc.output():match("port (%d+)"))
        H.sleep(0.02)
      end
      assert.is_not_nil(port, "pyenet server did not start: " .. proc.output())
      local c = dual and C.new() or H.client(1, 4)
      if dual then assert(c:create_host(1, 4)) end
      local p = assert(c:connect_to_host("127.0.0.1", port, 4, 777))
      H.pump_until("connect to pyenet", { c }, function() return p:get_state() == P.STATE_CONNECTED end)
      local sizes = { 0, 1, 15, 16, 17, 1000, 1400, 4096, 65536 }
      local sent = {}
      for i, size in ipairs(sizes) do
        local data = H.bytes(size, i)
        sent[#sent + 1] = (i % 4) .. ":" .. data
        assert.is_true(p:send(i % 4, data, P.FLAG_RELIABLE))
      end
      local got = {}
      H.pump_until("echoes", { c }, function() return #got == #sent end, function(_, t, peer, _, channel)
        if t == C.EVENT_RECEIVE then got[#got + 1] = channel .. ":" .. peer:get_packet() end
      end, 20)
      table.sort(sent)
      table.sort(got)
      assert.are.same(sent, got)
      p:peer_disconnect(99)
      H.pump_until("disconnect", { c }, function() return not p:is_active() end)
      assert.is_true(proc.wait(10))
      local out = proc.output()
      proc.stop()
      c:destroy()
      assert.matches("connect data 777", out)
      assert.matches("disconnect data 99", out)
    end)
  end
end)
