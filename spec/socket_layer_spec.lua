-- The socket layer: libenet's enet_socket_send/receive calls land in this
-- module, for every datagram of every host.
local H = require("helper")
local enet, C, P = H.enet, H.C, H.P

-- A connected pair, and a function that sends raw datagrams to the server
-- from a LuaSocket UDP socket on 127.0.0.1: send(data, count=1).
local function pair_with_raw_sender()
  local s, c, speer, cpeer = H.pair()
  local udp = assert(require("socket").udp())
  assert(udp:setsockname("127.0.0.1", 0))
  local port = s:get_local_port()
  local function send(data, count)
    for _ = 1, count or 1 do
      assert(udp:sendto(data, "127.0.0.1", port))
    end
  end
  return s, c, speer, cpeer, send, udp
end

describe("the socket layer", function()
  it("is active when the module is loaded normally", function()
    assert.is_true(enet.socket_layer_active())
  end)

  it("sees every datagram of a whole session, both ways", function()
    local s, c, speer, cpeer = H.pair()
    for i = 1, 200 do
      cpeer:send(i % 3, "up " .. i, i % 2 == 0 and P.FLAG_RELIABLE or P.FLAG_UNSEQUENCED)
      speer:send(i % 3, "down " .. i, P.FLAG_RELIABLE)
    end
    H.pump_until("traffic", { s, c }, function()
      return speer:get_available_packet_count() >= 150 and cpeer:get_available_packet_count() == 200
    end)
    cpeer:peer_disconnect(1)
    H.pump_until("disconnect", { s, c }, function() return not speer:is_active() and not cpeer:is_active() end)
    for _, h in ipairs({ s, c }) do
      local k = h:get_socket_counters()
      -- ENet's own totals count each datagram it sent or received; the layer
      -- counts each one it carried. Equal counts: nothing bypassed the layer.
      assert.are.equal(h:pop_statistic(C.HOST_TOTAL_SENT_PACKETS), k.datagrams_sent)
      assert.are.equal(h:pop_statistic(C.HOST_TOTAL_SENT_DATA), k.bytes_sent)
      assert.are.equal(h:pop_statistic(C.HOST_TOTAL_RECEIVED_PACKETS), k.datagrams_received)
      assert.are.equal(h:pop_statistic(C.HOST_TOTAL_RECEIVED_DATA), k.bytes_received)
      assert.is_true(k.datagrams_sent > 10)
    end
    c:destroy()
    s:destroy()
  end)

  it("drops datagrams larger than ENet's MTU instead of failing service", function()
    local s, c, speer, cpeer, send, udp = pair_with_raw_sender()
    send(string.rep("\255", 6000), 3)
    cpeer:send(0, "after the big ones", P.FLAG_RELIABLE)
    local errors = 0
    H.pump_until("delivery", { s, c }, function() return speer:get_available_packet_count() == 1 end,
      function(_, t) if t == C.EVENT_ERROR then errors = errors + 1 end end)
    assert.are.equal(0, errors)
    assert.are.equal("after the big ones", speer:get_packet())
    assert.are.equal(3, s:get_socket_counters().datagrams_dropped)
    udp:close()
    c:destroy()
    s:destroy()
  end)

  it("reads bursts in batches, in order, with nothing lost", function()
    local s, c, speer, cpeer = H.pair()
    local sent = {}
    for i = 1, 500 do
      sent[i] = string.format("%05d", i) .. string.rep(string.char(65 + i % 26), 995)
      cpeer:send(0, sent[i], P.FLAG_RELIABLE)
    end
    local got = {}
    H.pump_until("delivery", { c, s }, function()
      while speer:get_available_packet_count() > 0 do
        got[#got + 1] = speer:get_packet()
      end
      return #got == 500
    end)
    for i = 1, 500 do
      assert.are.equal(sent[i], got[i])
    end
    local k = s:get_socket_counters()
    assert.are.equal(s:pop_statistic(C.HOST_TOTAL_RECEIVED_PACKETS), k.datagrams_received)
    assert.are.equal(s:pop_statistic(C.HOST_TOTAL_RECEIVED_DATA), k.bytes_received)
    -- ENet's send window puts dozens of datagrams on the wire per service,
    -- so the server found bursts: fewer system calls than datagrams.
    assert.is_true(k.datagrams_received >= 500)
    assert.is_true(k.receive_calls < k.datagrams_received,
      k.receive_calls .. " receive calls for " .. k.datagrams_received .. " datagrams")
    c:destroy()
    s:destroy()
  end)

  it("drops oversized datagrams inside a batch and keeps the rest", function()
    local s, c, speer, cpeer, send, udp = pair_with_raw_sender()
    -- Small garbage first (ENet ignores it), so that the oversized ones
    -- arrive after a burst has begun and are read by the batch.
    send("garbage", 4)
    send(string.rep("\255", 6000), 3)
    send("garbage", 4)
    local before = s:get_socket_counters()
    s:service(0) -- reads all eleven in one service
    local after = s:get_socket_counters()
    assert.are.equal(3, after.datagrams_dropped - before.datagrams_dropped)
    assert.are.equal(8, after.datagrams_received - before.datagrams_received)
    assert.is_true(after.receive_calls - before.receive_calls < 11)
    cpeer:send(0, "after the big ones", P.FLAG_RELIABLE)
    H.pump_until("delivery", { s, c }, function() return speer:get_available_packet_count() == 1 end)
    assert.are.equal("after the big ones", speer:get_packet())
    udp:close()
    c:destroy()
    s:destroy()
  end)

  it("skips an empty datagram inside a burst: the reliable packet behind it comes in the same service", function()
    local s, c, speer, cpeer, send, udp = pair_with_raw_sender()
    -- A burst (ENet ignores the garbage) makes the server read in batches;
    -- the empty datagram lands in the batch with the packet behind it.
    send("garbage", 4)
    send("")
    cpeer:send(0, "behind the empty one", P.FLAG_RELIABLE)
    c:flush()
    local before = s:get_socket_counters().datagrams_dropped
    -- Everything is waiting on the server's socket: one service finds the
    -- packet. Had the empty datagram read as "nothing more", ENet would
    -- sleep in poll() for the whole 5 s and return EVENT_NONE.
    local t, peer = s:service(5000)
    assert.are.equal(C.EVENT_RECEIVE, t)
    assert.are.equal(speer, peer)
    assert.are.equal("behind the empty one", speer:get_packet())
    assert.are.equal(1, s:get_socket_counters().datagrams_dropped - before)
    udp:close()
    c:destroy()
    s:destroy()
  end)

  it("skips an empty datagram read on its own and counts it", function()
    local s, c, speer, cpeer, send, udp = pair_with_raw_sender()
    send("")
    cpeer:send(0, "after the empty one", P.FLAG_RELIABLE)
    c:flush()
    local before = s:get_socket_counters()
    assert.are.equal(C.EVENT_RECEIVE, (s:service(5000)))
    assert.are.equal("after the empty one", speer:get_packet())
    local after = s:get_socket_counters()
    assert.are.equal(1, after.datagrams_dropped - before.datagrams_dropped)
    assert.are.equal(1, after.datagrams_received - before.datagrams_received)
    udp:close()
    c:destroy()
    s:destroy()
  end)

  -- Unroutable or firewalled peers, simulated on loopback: in a child Lua
  -- process, build/support/libfail_send.so (spec/support/fail_send.c) makes
  -- every sendmsg() to chosen 127.0.0.1 ports fail with a chosen errno and
  -- send nothing; spec/support/refused_peer.lua connects a client to a
  -- server and to each of those ports, and prints what happened.
  local function run_refused_peers(errno_names)
    local shim = "build/support/libfail_send.so"
    local f = io.open(shim)
    assert.is_not_nil(f, shim .. " missing (make build)")
    f:close()
    -- Ports held (never serviced) by this process until the child is done,
    -- so that the child's own hosts cannot be given one of them.
    local holders, ports, setting = {}, {}, {}
    for i = 1, #errno_names do
      holders[i] = C.new()
      assert(holders[i]:create_host_bound("127.0.0.1", 0))
      ports[i] = holders[i]:get_local_port()
      setting[i] = ports[i] .. "=" .. errno_names[i]
    end
    local ok, out = H.run("ENETCONNECTION_FAIL_SEND=" .. table.concat(setting, ",")
      .. " LD_PRELOAD=\"$PWD/" .. shim .. "\" timeout 30 " .. H.lua
      .. " spec/support/refused_peer.lua " .. table.concat(ports, " "))
    for _, holder in ipairs(holders) do
      holder:destroy()
    end
    assert.is_true(ok, out)
    local result = {}
    for key, value in out:gmatch("([%w_]+)=(%S+)") do
      result[key] = value
    end
    assert.are.equal("true", result.active, "the socket layer is live beside the shim: " .. out)
    return result, out
  end

  it("loses the datagrams the kernel refuses for a peer, counts them, and keeps serving the others", function()
    local refusals = { "ENETUNREACH", "EINVAL", "EPERM", "ENOBUFS" }
    local r, out = run_refused_peers(refusals)
    assert.are.equal("0", r.errors, "no EVENT_ERROR: " .. out)
    assert.are.equal("100", r.received, out)
    assert.are.equal("true", r.in_order, out)
    assert.are.equal(tostring(#refusals), r.bad_gone, "ENet timed each refused peer out: " .. out)
    assert.is_true(tonumber(r.client_send_errors) >= #refusals, out)
    assert.are.equal("0", r.server_send_errors, out)
    assert.are.equal(tostring(P.STATE_CONNECTED), r.good_state, out)
  end)

  it("still fails service() with EVENT_ERROR when the socket itself is unusable", function()
    local r, out = run_refused_peers({ "ENOTSOCK" })
    assert.is_true(tonumber(r.errors) >= 1, out)
    assert.are.equal("0", r.client_send_errors, out)
  end)

  it("reports itself inactive when libenet was loaded first, and plain ENet still works", function()
    local libenet = "/usr/lib/x86_64-linux-gnu/libenet.so.7"
    local f = io.open(libenet)
    assert.is_not_nil(f, "libenet.so.7 not found at " .. libenet)
    f:close()
    -- reuse_port needs the layer to make the socket: ERR_UNAVAILABLE, saying
    -- why; buffer sizes are set after creation and still apply.
    local script = [[
      local enet = require("enetconnection")
      local ok, msg, code = enet.new():create_host_bound("127.0.0.1", 0, { reuse_port = true })
      io.write("reuse_port ", tostring(ok), " ", tostring(code), " ", msg, "\n")
      local s = enet.new(); assert(s:create_host_bound("127.0.0.1", 0, { receive_buffer = 100000 }))
      io.write("receive_buffer ", s:get_socket_options().receive_buffer >= 100000 and "set" or "unset", "\n")
      local c = enet.new(); assert(c:create_host_bound("127.0.0.1", 0))
      local p = c:connect_to_host("127.0.0.1", s:get_local_port())
      for _ = 1, 400 do
        s:service(5); c:service(5)
        if p:get_state() == 5 then break end
      end
      io.write(tostring(enet.socket_layer_active()), " ", p:get_state(), " ",
        c:get_socket_counters().datagrams_sent, "\n")
    ]]
    local ok, out = H.run("LD_PRELOAD=" .. libenet .. " timeout 20 " .. H.lua .. " -e " .. H.quote(script))
    assert.is_true(ok, out)
    -- inactive, connected anyway, and the layer saw nothing
    assert.are.equal("false 5 0", out:match("(%a+ %d+ %d+)\n$"))
    assert.matches("reuse_port nil " .. enet.Error.ERR_UNAVAILABLE
      .. " [^\n]*reuse_port is unavailable: libenet was loaded before this module[^\n]*LD_PRELOAD", out)
    assert.matches("receive_buffer set\n", out, 1, true)
  end)
end)
