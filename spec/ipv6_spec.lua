-- IPv6 through the socket layer: hosts bound to "::1" and "*" (dual stack)
-- talking over ::1, every feature on that path, the bounded table of IPv6
-- remotes under a flood, and what happens when libenet bypasses the layer.
-- Only ::1 and 127.0.0.1 are ever used.
local H = require("helper")
local D = require("dtls_helper")
local socket = require("socket")
local enet, C, P = H.enet, H.C, H.P
local E = enet.Error

-- A host bound to `address` on a free port; returns it and its port.
local function bound(address, ...)
  local h = enet.new()
  assert(h:create_host_bound(address, 0, ...))
  return h, h:get_local_port()
end

-- Connects host c to `address`:port, servicing `hosts` (default { s, c });
-- returns s's peer for c and c's peer for s.
local function connect(s, c, address, port, hosts)
  return D.connect(s, c, port, hosts, address)
end

-- A server on "::1" and a client on "::1", connected over ::1.
local function pair6(before_connect)
  local s, port = bound("::1")
  local c = bound("::1")
  if before_connect then before_connect(s, c) end
  local speer, cpeer = connect(s, c, "::1", port)
  return s, c, speer, cpeer
end

-- Sends `count` packets each way (reliable, or unreliable when `flags`
-- says so) and returns what each side received, in order.
local function exchange(s, c, speer, cpeer, count, flags, payload)
  for i = 1, count do
    assert.is_true(cpeer:send(i % 2, (payload or "up ") .. i, flags or P.FLAG_RELIABLE))
    assert.is_true(speer:send(i % 2, (payload or "down ") .. i, flags or P.FLAG_RELIABLE))
  end
  H.pump_until("the packets", { s, c }, function()
    return speer:get_available_packet_count() == count and cpeer:get_available_packet_count() == count
  end)
  local up, down = {}, {}
  for i = 1, count do
    up[i] = speer:get_packet()
    down[i] = cpeer:get_packet()
  end
  return up, down
end

describe("IPv6", function()
  it("binds \"::1\", \"::\" and \"*\" on ports the system picks, and create_host too", function()
    for _, address in ipairs({ "::1", "::", "*" }) do
      local h, port = bound(address)
      assert.is_true(port > 0, address)
      assert.matches("port " .. port, tostring(h))
      h:destroy()
    end
    local c = enet.new()
    assert.is_true(c:create_host())
    assert.is_true(c:get_local_port() > 0)
    c:destroy()
  end)

  it("carries reliable and unreliable traffic both ways between hosts on ::1", function()
    local s, c, speer, cpeer = pair6()
    assert.are.equal("::1", speer:get_remote_address())
    assert.are.equal("::1", cpeer:get_remote_address())
    assert.are.equal(c:get_local_port(), speer:get_remote_port())
    assert.are.equal(s:get_local_port(), cpeer:get_remote_port())
    assert.matches("^ENetPacketPeer %[::1%]:%d+ %(connected%)$", tostring(speer))
    local up, down = exchange(s, c, speer, cpeer, 20)
    assert.are.equal("up 20", up[20])
    assert.are.equal("down 20", down[20])
    -- the other way round: the server connects to the client's host too
    local back_c, back_s = connect(c, s, "::1", c:get_local_port())
    assert.are.equal(2, #s:get_peers())
    assert.is_true(back_s:send(0, "from the server's side", P.FLAG_UNSEQUENCED))
    H.pump_until("the unreliable packet", { s, c }, function()
      return back_c:get_available_packet_count() == 1
    end)
    assert.are.equal("from the server's side", back_c:get_packet())
    c:destroy()
    s:destroy()
  end)

  it("a dual-stack host (\"*\") serves IPv4 and IPv6 clients at once; broadcast reaches both", function()
    local s, port = bound("*")
    local c4, c6 = bound("127.0.0.1"), bound("::1")
    local hosts = { s, c4, c6 }
    local s4, p4 = connect(s, c4, "127.0.0.1", port, hosts)
    local s6, p6 = connect(s, c6, "::1", port, hosts)
    -- an IPv4 remote keeps its own text on a dual-stack socket (not ::ffff:...)
    assert.are.equal("127.0.0.1", s4:get_remote_address())
    assert.are.equal("::1", s6:get_remote_address())
    assert.are.equal(1, s:get_socket_counters().ipv6_remotes) -- IPv4 needs no entry
    -- broadcast: Godot's, to every connected peer of the host, whatever its family
    s:broadcast(0, "to all", P.FLAG_RELIABLE)
    H.pump_until("the broadcast", hosts, function()
      return p4:get_available_packet_count() == 1 and p6:get_available_packet_count() == 1
    end)
    assert.are.equal("to all", p4:get_packet())
    assert.are.equal("to all", p6:get_packet())
    for _, h in ipairs(hosts) do h:destroy() end
  end)

  it("a dual-stack client (create_host) reaches an IPv4 and an IPv6 server", function()
    local s4, port4 = bound("127.0.0.1")
    local s6, port6 = bound("::1")
    local c = enet.new()
    assert(c:create_host())
    local hosts = { s4, s6, c }
    local _, p4 = connect(s4, c, "127.0.0.1", port4, hosts)
    local _, p6 = connect(s6, c, "::1", port6, hosts)
    assert.are.equal("127.0.0.1", p4:get_remote_address())
    assert.are.equal("::1", p6:get_remote_address())
    for _, h in ipairs(hosts) do h:destroy() end
  end)

  for _, mode in ipairs({ "COMPRESS_NONE", "COMPRESS_RANGE_CODER", "COMPRESS_FASTLZ",
    "COMPRESS_ZLIB", "COMPRESS_ZSTD" }) do
    it(mode .. " over ::1, both ways", function()
      local s, c, speer, cpeer = pair6(function(s, c)
        s:compress(C[mode])
        c:compress(C[mode])
      end)
      local text = string.rep("compressible text ", 60)
      local up, down = exchange(s, c, speer, cpeer, 5, P.FLAG_RELIABLE, text)
      assert.are.equal(text .. "5", up[5])
      assert.are.equal(text .. "5", down[5])
      c:destroy()
      s:destroy()
    end)
  end

  it("DTLS over ::1: a server and a client checking its certificate", function()
    local s, port = bound("::1")
    assert(s:dtls_server_setup(D.server_options))
    local c = bound("::1")
    assert(c:dtls_client_setup("myserver", D.trusting_client))
    local speer, cpeer = connect(s, c, "::1", port)
    assert.are.equal("over DTLS up", D.deliver({ s, c }, cpeer, s, "over DTLS up"))
    assert.are.equal("over DTLS down", D.deliver({ s, c }, speer, c, "over DTLS down"))
    assert.are.equal("::1", speer:get_remote_address())
    -- a client that expects another name refuses the certificate, as over IPv4
    local wrong = bound("::1")
    assert(wrong:dtls_client_setup("otherserver", D.trusting_client))
    local p = assert(wrong:connect_to_host("::1", port))
    p:set_timeout(32, 300, 600)
    local connected, ended = false, false
    H.pump_until("the refused attempt to end", { s, wrong }, function() return connected or ended end,
      function(h, t)
        if h == wrong and t == C.EVENT_CONNECT then connected = true end
        if h == wrong and t == C.EVENT_DISCONNECT then ended = true end
      end)
    assert.is_false(connected)
    local msg, code = wrong:dtls_get_error()
    assert.are.equal(E.ERR_UNAUTHORIZED, code)
    assert.matches("was refused", msg, 1, true)
    assert.matches("Common Name", msg, 1, true)
    assert.matches("[::1]:" .. port, msg, 1, true) -- the remote's own address, not its token
    D.destroy_all(s, c, wrong)
  end)

  it("simulate{} loses datagrams on ::1 and reliable traffic still arrives", function()
    local s, c, speer, cpeer = pair6()
    s:simulate({ loss = 0.2, seed = 3 })
    c:simulate({ loss = 0.2, seed = 4, latency = 5 })
    local up, down = exchange(s, c, speer, cpeer, 30)
    assert.are.equal("up 30", up[30])
    assert.are.equal("down 30", down[30])
    assert.is_true(s:get_socket_counters().simulated_lost + c:get_socket_counters().simulated_lost > 0)
    c:destroy()
    s:destroy()
  end)

  it("get_socket_counters counts every ::1 datagram, and one IPv6 remote per peer", function()
    local s, c, speer, cpeer = pair6()
    exchange(s, c, speer, cpeer, 10)
    for _, h in ipairs({ s, c }) do
      local k = h:get_socket_counters()
      assert.are.equal(h:pop_statistic(C.HOST_TOTAL_SENT_PACKETS), k.datagrams_sent)
      assert.are.equal(h:pop_statistic(C.HOST_TOTAL_RECEIVED_PACKETS), k.datagrams_received)
      assert.are.equal(1, k.ipv6_remotes)
      assert.are.equal(0, k.send_errors)
    end
    c:destroy()
    s:destroy()
  end)

  it("refuse_new_connections holds off ::1 clients until it is turned off", function()
    local s, port = bound("::1")
    s:refuse_new_connections(true)
    local c = bound("::1")
    local p = assert(c:connect_to_host("::1", port))
    p:set_timeout(32, 300, 600)
    local ended = false
    H.pump_until("the refused attempt", { s, c }, function() return ended end, function(h, t)
      assert.are_not.equal(C.EVENT_CONNECT, t)
      if h == c and t == C.EVENT_DISCONNECT then ended = true end
    end)
    s:refuse_new_connections(false)
    connect(s, c, "::1", port)
    c:destroy()
    s:destroy()
  end)

  it("socket_send sends a raw datagram to a UDP socket on ::1", function()
    local s = bound("::1")
    local udp = assert(socket.udp6())
    assert(udp:setsockname("::1", 0))
    udp:settimeout(2)
    local _, port = udp:getsockname()
    assert.is_true(s:socket_send("::1", port, "punch"))
    assert.are.equal("punch", udp:receive())
    udp:close()
    s:destroy()
  end)

  it("the wire capture shows ::1 and the port of each datagram (test build)", function()
    local s, c, speer, cpeer = pair6()
    assert(c:_capture(100))
    exchange(s, c, speer, cpeer, 3)
    local sent, received = 0, 0
    for _, d in ipairs(c:_captured()) do
      assert.are.equal("::1", d.address)
      assert.are.equal(s:get_local_port(), d.port)
      if d.sent then sent = sent + 1 else received = received + 1 end
    end
    assert.is_true(sent > 0 and received > 0)
    c:destroy()
    s:destroy()
  end)

  it("accepts IPv6 literals and refuses what is no address, strictly", function()
    local h = enet.new()
    local ok, msg, code = h:create_host_bound("[::1]:7777", 0)
    assert.is_nil(ok)
    assert.are.equal(E.ERR_INVALID_PARAMETER, code)
    assert.matches('create_host_bound("::1", 7777, ...)', msg, 1, true)
    for _, text in ipairs({ "[::1]", ":::1", "1::2::3", "::1%", "::g" }) do
      ok, _, code = h:create_host_bound(text, 0)
      assert.is_nil(ok, text)
      assert.are.equal(E.ERR_INVALID_PARAMETER, code, text)
    end
    assert.is_true(h:create_host_bound("0:0:0:0:0:0:0:1", 0))
    local s, port = bound("::1")
    local p = assert(h:connect_to_host("0000::0001", port))
    assert.are.equal("::1", p:get_remote_address())
    ok, msg, code = h:connect_to_host("localhost:80", 80)
    assert.is_nil(ok)
    assert.are.equal(E.ERR_CANT_RESOLVE, code)
    assert.matches("host:port", msg, 1, true)
    h:destroy()
    s:destroy()
  end)

  it("refuses a family the host's socket cannot reach with ERR_UNAVAILABLE, saying why", function()
    local v4, v6 = bound("127.0.0.1"), bound("::1")
    local ok, msg, code = v4:connect_to_host("::1", 7777)
    assert.is_nil(ok)
    assert.are.equal(E.ERR_UNAVAILABLE, code)
    assert.matches("bound to an IPv4 address", msg, 1, true)
    ok, msg, code = v6:socket_send("127.0.0.1", 7777, "x")
    assert.is_nil(ok)
    assert.are.equal(E.ERR_UNAVAILABLE, code)
    assert.matches("IPv6 only", msg, 1, true)
    v4:destroy()
    v6:destroy()
  end)

  it("resolves localhost on a dual-stack host (when /etc/hosts names it)", function()
    local hosts = H.read_file("/etc/hosts") or ""
    local names_localhost = hosts:match("\n%s*127%.0%.0%.1%s[^\n]*localhost") or
      hosts:match("^%s*127%.0%.0%.1%s[^\n]*localhost") or hosts:match("::1%s[^\n]*localhost")
    assert.is_truthy(names_localhost, "/etc/hosts does not name localhost")
    local s, port = bound("*")
    local c = enet.new()
    assert(c:create_host())
    local speer = connect(s, c, "localhost", port)
    local text = speer:get_remote_address()
    assert.is_true(text == "127.0.0.1" or text == "::1", text)
    c:destroy()
    s:destroy()
  end)

  -- The loopback offers one IPv6 source address, ::1 (others would need
  -- privileges to add), but every source port is a distinct remote for the
  -- table (address and port): thousands of short-lived UDP sockets on ::1,
  -- each sending one datagram from its own port, stand in for a flood from
  -- as many IPv6 sources.
  it("keeps the table of IPv6 remotes bounded under a flood from many ::1 ports; a peer keeps talking", function()
    local s, c, speer, cpeer = pair6()
    local port = s:get_local_port()
    local window, sockets, largest = 64, {}, 0
    for i = 1, 9000 do
      local udp = assert(socket.udp6())
      assert(udp:setsockname("::1", 0))
      udp:sendto("flood", "::1", port)
      sockets[#sockets + 1] = udp
      if #sockets > window then table.remove(sockets, 1):close() end
      if i % 100 == 0 then
        s:service(0)
        c:service(0)
        largest = math.max(largest, s:get_socket_counters().ipv6_remotes)
      end
    end
    for _, udp in ipairs(sockets) do udp:close() end
    H.pump({ s, c }, function() return false end, nil, 0.2)
    largest = math.max(largest, s:get_socket_counters().ipv6_remotes)
    -- 4,096 entries no peer refers to, plus one per peer slot (32)
    assert.is_true(largest <= 4096 + 32, "largest " .. largest)
    assert.is_true(largest >= 4000, "the flood did not fill the table: " .. largest)
    -- the connected peer's remote survived: both ways still work
    local up, down = exchange(s, c, speer, cpeer, 5)
    assert.are.equal("up 5", up[5])
    assert.are.equal("down 5", down[5])
    assert.are.equal(P.STATE_CONNECTED, speer:get_state())
    c:destroy()
    s:destroy()
  end)

  it("with libenet preloaded (layer bypassed): IPv6 gives ERR_UNAVAILABLE saying why, IPv4 works", function()
    local libenet = "/usr/lib/x86_64-linux-gnu/libenet.so.7"
    local script = [[
      local enet = require("enetconnection")
      local ok, msg, code = enet.new():create_host_bound("::1", 0)
      io.write("bind ", tostring(ok), " ", tostring(code), " ", msg, "\n")
      local s = enet.new(); assert(s:create_host_bound("*", 0))
      local c = enet.new(); assert(c:create_host())
      ok, msg, code = c:connect_to_host("::1", s:get_local_port())
      io.write("connect ", tostring(ok), " ", tostring(code), " ", msg, "\n")
      local p = c:connect_to_host("127.0.0.1", s:get_local_port())
      for _ = 1, 400 do
        s:service(5); c:service(5)
        if p:get_state() == 5 then break end
      end
      io.write("ipv4 ", tostring(enet.socket_layer_active()), " ", p:get_state(), "\n")
    ]]
    local ok, out = H.run("LD_PRELOAD=" .. libenet .. " timeout 20 " .. H.lua .. " -e " .. H.quote(script))
    assert.is_true(ok, out)
    local why = "libenet was loaded before this module"
    assert.matches("bind nil " .. E.ERR_UNAVAILABLE .. " cannot bind IPv6 address '::1': " .. why, out, 1, true)
    assert.matches("connect nil " .. E.ERR_UNAVAILABLE .. " cannot reach IPv6 address '::1': " .. why, out, 1,
      true)
    assert.matches("ipv4 false 5\n", out, 1, true)
  end)
end)
