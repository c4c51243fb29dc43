-- Argument checking: every method, called with wrong types, out-of-range
-- values and on dead objects, answers with a Lua error (or nil, message,
-- code) and never crashes the interpreter.
local H = require("helper")
local C, P = H.C, H.P

local function methods_of(class)
  local names = {}
  for name, v in pairs(class) do
    if type(v) == "function" and name ~= "new" then names[#names + 1] = name end
  end
  table.sort(names)
  return names
end

-- Values of every Lua type, and numbers that are out of any sane range.
local odd_values = {
  true, false, {}, function() end, "text", "", 1.5, -1, 0, 2 ^ 40, -2 ^ 40, 1 / 0, 0 / 0,
  coroutine.create(function() end), io.stdout,
}

describe("argument checking", function()
  it("raises 'bad argument' naming the argument for wrong types and ranges", function()
    local s, c, speer = H.pair()
    local cases = {
      { function() s:create_host_bound({}, 0) end, "bad argument #1 to 'create_host_bound'" },
      { function() C.new():create_host(0) end, "bad argument #1 to 'create_host' %(out of range 1..4095, got 0%)" },
      { function() C.new():create_host(4096) end, "bad argument #1 to 'create_host' %(out of range 1..4095" },
      { function() C.new():create_host(1, 256) end, "bad argument #2 to 'create_host' %(out of range 0..255" },
      { function() C.new():create_host(1, 1, -5) end, "bad argument #3 to 'create_host'" },
      { function() C.new():create_host_bound("127.0.0.1", "port") end, "bad argument #2 to 'create_host_bound'" },
      { function() s:connect_to_host("127.0.0.1", false) end, "bad argument #2 to 'connect_to_host'" },
      { function() s:connect_to_host("127.0.0.1", 1, 300) end, "bad argument #3 to 'connect_to_host'" },
      { function() s:service(-1) end, "bad argument #1 to 'service' %(out of range" },
      { function() s:service("soon") end, "bad argument #1 to 'service'" },
      { function() s:events(-5) end, "bad argument #1 to 'events'" },
      { function() s:broadcast(255, "x", 1) end, "bad argument #1 to 'broadcast' %(out of range 0..254" },
      { function() s:broadcast(0, 42, 1) end, "bad argument #2 to 'broadcast'" },
      { function() s:broadcast(0, "x", 4) end, "bad argument #3 to 'broadcast' %(unknown flags" },
      { function() s:compress(5) end, "bad argument #1 to 'compress'" },
      { function() s:pop_statistic(4) end, "bad argument #1 to 'pop_statistic'" },
      { function() s:refuse_new_connections(1) end, "bad argument #1 to 'refuse_new_connections'" },
      { function() s:channel_limit(256) end, "bad argument #1 to 'channel_limit'" },
      { function() s:socket_send("127.0.0.1", {}, "x") end, "bad argument #2 to 'socket_send'" },
      { function() s:socket_send("127.0.0.1", 1, {}) end, "bad argument #3 to 'socket_send'" },
      { function() speer:send(speer:get_channels(), "x", 1) end, "bad argument #1 to 'send' %(out of range" },
      { function() speer:send(-1, "x", 1) end, "bad argument #1 to 'send'" },
      { function() speer:send(0, 12, 1) end, "bad argument #2 to 'send'" },
      { function() speer:send(0, "x", 256) end, "bad argument #3 to 'send' %(unknown flags" },
      { function() speer:send(0, "x", {}) end, "bad argument #3 to 'send' %(number expected" },
      { function() speer:put_packet(nil) end, "bad argument #1 to 'put_packet'" },
      { function() speer:get_statistic(14) end, "bad argument #1 to 'get_statistic'" },
      { function() speer:ping_interval(-1) end, "bad argument #1 to 'ping_interval'" },
      { function() speer:throttle_configure(1, 2) end, "bad argument #3 to 'throttle_configure'" },
      { function() speer:peer_disconnect(-1) end, "bad argument #1 to 'peer_disconnect'" },
      { function() C.service(speer) end, "ENetConnection expected" },
      { function() P.get_state(s) end, "ENetPacketPeer expected" },
    }
    for i, case in ipairs(cases) do
      local ok, err = pcall(case[1])
      assert.is_false(ok, "case " .. i .. " did not raise")
      assert.matches(case[2], tostring(err), nil, false)
    end
    c:destroy()
    s:destroy()
  end)

  it("survives every method called with odd values in every position", function()
    local s, c, speer = H.pair()
    local fresh = C.new()
    local calls, raised = 0, 0
    for _, class_and_self in ipairs({ { C, s }, { C, fresh }, { P, speer } }) do
      local class, self = class_and_self[1], class_and_self[2]
      for _, name in ipairs(methods_of(class)) do
        if name ~= "destroy" and name ~= "reset" and not name:match("disconnect") then
          for position = 1, 4 do
            for _, v in ipairs(odd_values) do
              local args = { 0, "x", 1, 0 }
              args[position] = v
              calls = calls + 1
              local ok, err = pcall(class[name], self, args[1], args[2], args[3], args[4])
              if not ok then
                raised = raised + 1
                assert.is_string(err)
                local known = err:match("bad argument") or err:match("host not created")
                assert.is_truthy(known, name .. " raised an unexpected error: " .. err)
              end
            end
          end
          -- and with the wrong self
          for _, bad_self in ipairs({ 1, "x", {}, class == C and speer or s }) do
            calls = calls + 1
            assert.is_false(pcall(class[name], bad_self), name .. " accepted a wrong self")
            raised = raised + 1
          end
        end
      end
    end
    assert.is_true(calls > 1000)
    assert.is_true(raised > 500)
    -- the server host still works afterwards (the calls may have set odd
    -- timeouts on speer, so a new client proves it)
    s:compress(0)
    s:bandwidth_limit(0, 0)
    s:refuse_new_connections(false)
    s:channel_limit(0)
    local c2 = H.client()
    local p2 = c2:connect_to_host("127.0.0.1", s:get_local_port())
    local got
    H.pump_until("a new client", { s, c2 }, function() return got == "after the storm" end, function(h, t, peer)
      if h == c2 and t == C.EVENT_CONNECT then p2:send(0, "after the storm", P.FLAG_RELIABLE) end
      if h == s and t == C.EVENT_RECEIVE then got = peer:get_packet() end
    end)
    c2:destroy()
    fresh:destroy()
    c:destroy()
    s:destroy()
  end)

  it("raises 'connection destroyed' for every connection method after destroy but create_host*", function()
    local s = H.server()
    s:destroy()
    local restart = { destroy = true, create_host = true, create_host_bound = true }
    for _, name in ipairs(methods_of(C)) do
      if not restart[name] and not C.CompressionMode[name] then
        local ok, err = pcall(C[name], s, 0, "x", 1, 0)
        assert.is_false(ok, name .. " worked after destroy")
        assert.matches("connection destroyed", err, nil, true)
      end
    end
  end)

  it("raises 'host not created' for host methods before create_host", function()
    local fresh = C.new()
    for _, name in ipairs({ "service", "events", "flush", "broadcast", "get_peers", "get_local_port",
      "get_max_channels", "pop_statistic", "compress", "bandwidth_limit", "channel_limit",
      "refuse_new_connections", "socket_send" }) do
      local ok, err = pcall(fresh[name], fresh, 0, "x", 1)
      assert.is_false(ok, name .. " worked without a host")
      assert.matches("host not created", err, nil, true)
    end
    fresh:destroy()
  end)

  it("answers every peer method on a dead peer with a value, raising for none", function()
    local s, c, _, cpeer = H.pair()
    cpeer:peer_disconnect_now()
    local valid_args = {
      send = { 0, "x", 1 }, put_packet = { "x" }, get_statistic = { 0 }, ping_interval = { 100 },
      set_timeout = { 1, 2, 3 }, throttle_configure = { 1, 2, 3 }, set_encode_buffer_max_size = { 4096 },
    }
    local called = 0
    for _, name in ipairs(methods_of(P)) do
      local args = valid_args[name] or {}
      local ok, err = pcall(P[name], cpeer, args[1], args[2], args[3])
      assert(ok, name .. " raised on a dead peer: " .. tostring(err))
      called = called + 1
    end
    assert.is_true(called >= 25)
    c:destroy()
    s:destroy()
  end)
end)
