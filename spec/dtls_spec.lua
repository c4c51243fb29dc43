-- DTLS: ENetConnection:dtls_server_setup / dtls_client_setup over mbedTLS.
local H = require("helper")
local enet, C = H.enet, H.C
local Error = enet.Error

-- mbedTLS's default certificate profile wants RSA keys of 2048 bits or more.
local key = assert(enet.Crypto.generate_rsa(2048))
local cert = assert(enet.Crypto.generate_self_signed_certificate(key, "CN=myserver,O=test"))
local server_options = assert(enet.TLSOptions.server(key, cert))
local trusting_client = assert(enet.TLSOptions.client(cert))

local function dtls_server(max_peers)
  local s, port = H.server(max_peers)
  assert(s:dtls_server_setup(server_options))
  return s, port
end

local function dtls_client(hostname, options)
  local c = H.client()
  assert(c:dtls_client_setup(hostname or "myserver", options or trusting_client))
  return c
end

-- Connects client c to the server s on port; returns the server's peer for
-- c and c's peer for the server.
local function connect(s, c, port)
  local cpeer = assert(c:connect_to_host("127.0.0.1", port))
  local speer
  H.pump_until("the DTLS connection", { s, c }, function()
    return speer ~= nil and cpeer:get_state() == H.P.STATE_CONNECTED
  end, function(h, t, peer)
    if h == s and t == C.EVENT_CONNECT then
      speer = peer
    end
  end)
  return speer, cpeer
end

-- Sends `packet` from `from_peer` and returns what `to_host` receives.
local function deliver(hosts, from_peer, to_host, packet)
  assert.is_true(from_peer:send(0, packet, H.P.FLAG_RELIABLE))
  local got
  H.pump_until("a packet", hosts, function() return got ~= nil end, function(h, t, peer)
    if h == to_host and t == C.EVENT_RECEIVE then
      got = peer:get_packet()
    end
  end)
  return got
end

-- Tries to connect c to port with short ENet timeouts; returns whether a
-- CONNECT ever came, after the client saw its DISCONNECT (the attempt ended).
local function attempt(hosts, c, port)
  local cpeer = assert(c:connect_to_host("127.0.0.1", port))
  cpeer:set_timeout(32, 300, 600)
  local connected, ended = false, false
  H.pump_until("the attempt to end", hosts, function() return ended end, function(h, t)
    if t == C.EVENT_CONNECT then
      connected = true
    elseif h == c and t == C.EVENT_DISCONNECT then
      ended = true
    end
  end)
  return connected
end

local function destroy_all(...)
  for _, h in ipairs({ ... }) do
    h:destroy()
  end
end

describe("ENetConnection:dtls_server_setup", function()
  it("returns true for server options on a created host", function()
    local s = H.server()
    assert.is_true(s:dtls_server_setup(server_options))
    s:destroy()
  end)

  it("returns nil, message, ERR_UNCONFIGURED before the host exists", function()
    local ok, msg, code = C.new():dtls_server_setup(server_options)
    assert.is_nil(ok)
    assert.are.equal(Error.ERR_UNCONFIGURED, code)
    assert.matches("host not created", msg, 1, true)
  end)

  it("returns nil, message, ERR_INVALID_PARAMETER for nil or client options", function()
    local s = H.server()
    for _, options in ipairs({ false, trusting_client, enet.TLSOptions.client_unsafe() }) do
      local ok, msg, code = s:dtls_server_setup(options or nil)
      assert.is_nil(ok)
      assert.are.equal(Error.ERR_INVALID_PARAMETER, code)
      assert.matches("TLSOptions.server", msg, 1, true)
    end
    s:destroy()
  end)

  it("raises for an argument that is not a TLSOptions, or a destroyed connection", function()
    local s = H.server()
    assert.has_error(function() s:dtls_server_setup("options") end,
      "bad argument #1 to 'dtls_server_setup' (TLSOptions expected, got string)")
    assert.has_error(function() s:dtls_server_setup(key) end)
    s:destroy()
    assert.has_error(function() s:dtls_server_setup(server_options) end, "connection destroyed")
  end)
end)

describe("ENetConnection:dtls_client_setup", function()
  it("returns true with options, and with none (the system CAs)", function()
    local c = H.client()
    assert.is_true(c:dtls_client_setup("example.com", trusting_client))
    assert.is_true(c:dtls_client_setup("example.com"))
    c:destroy()
  end)

  it("returns nil, message, ERR_UNCONFIGURED before the host exists", function()
    local ok, msg, code = C.new():dtls_client_setup("myserver")
    assert.is_nil(ok)
    assert.are.equal(Error.ERR_UNCONFIGURED, code)
    assert.matches("host not created", msg, 1, true)
  end)

  it("returns nil, message, ERR_INVALID_PARAMETER for server options", function()
    local c = H.client()
    local ok, msg, code = c:dtls_client_setup("myserver", server_options)
    assert.is_nil(ok)
    assert.are.equal(Error.ERR_INVALID_PARAMETER, code)
    assert.matches("client TLSOptions", msg, 1, true)
    c:destroy()
  end)

  it("raises for a hostname that is not a string or options that are not TLSOptions", function()
    local c = H.client()
    assert.has_error(function() c:dtls_client_setup(nil) end,
      "bad argument #1 to 'dtls_client_setup' (string expected, got nil)")
    assert.has_error(function() c:dtls_client_setup("myserver", cert) end,
      "bad argument #2 to 'dtls_client_setup' (TLSOptions expected, got userdata)")
    c:destroy()
  end)
end)

describe("a DTLS server and client", function()
  it("connect and exchange packets both ways, bytes intact", function()
    local s, port = dtls_server()
    local c = dtls_client()
    local speer, cpeer = connect(s, c, port)
    local all_bytes = H.bytes(256, 7)
    assert.are.equal(all_bytes, deliver({ s, c }, cpeer, s, all_bytes))
    assert.are.equal("pong\0!", deliver({ s, c }, speer, c, "pong\0!"))
    destroy_all(c, s)
  end)

  it("carries a packet ENet fragments into many datagrams", function()
    local s, port = dtls_server()
    local c = dtls_client()
    local _, cpeer = connect(s, c, port)
    local big = H.bytes(50000, 11)
    assert.are.equal(big, deliver({ s, c }, cpeer, s, big))
    destroy_all(c, s)
  end)

  it("keeps one session per client address", function()
    local s, port = dtls_server()
    local clients, peers = {}, {}
    for i = 1, 3 do
      clients[i] = dtls_client()
      local _, cpeer = connect(s, clients[i], port)
      peers[i] = cpeer
    end
    local hosts = { s, clients[1], clients[2], clients[3] }
    for i = 1, 3 do
      assert.are.equal("from client " .. i, deliver(hosts, peers[i], s, "from client " .. i))
    end
    assert.are.equal(3, #s:get_peers())
    destroy_all(clients[1], clients[2], clients[3], s)
  end)

  it("composes with compression", function()
    local s, port = dtls_server()
    local c = dtls_client()
    s:compress(C.COMPRESS_RANGE_CODER)
    c:compress(C.COMPRESS_RANGE_CODER)
    local speer, cpeer = connect(s, c, port)
    local text = string.rep("compressible text ", 200)
    assert.are.equal(text, deliver({ s, c }, cpeer, s, text))
    assert.are.equal(text, deliver({ s, c }, speer, c, text))
    destroy_all(c, s)
  end)

  it("lets a client disconnect and connect again with a new session", function()
    local s, port = dtls_server()
    local c = dtls_client()
    local _, cpeer = connect(s, c, port)
    cpeer:peer_disconnect()
    local server_saw, client_saw = false, false
    H.pump_until("both disconnects", { s, c }, function() return server_saw and client_saw end,
      function(h, t)
        if t == C.EVENT_DISCONNECT then
          if h == s then server_saw = true else client_saw = true end
        end
      end)
    local _, again = connect(s, c, port)
    assert.are.equal("second session", deliver({ s, c }, again, s, "second session"))
    destroy_all(c, s)
  end)

  it("tells the client when the server kicks it", function()
    local s, port = dtls_server()
    local c = dtls_client()
    local speer = connect(s, c, port)
    speer:peer_disconnect_now(42)
    local data
    H.pump_until("the client's disconnect", { s, c }, function() return data ~= nil end,
      function(h, t, _, d)
        if h == c and t == C.EVENT_DISCONNECT then
          data = d
        end
      end)
    assert.are.equal(42, data)
    destroy_all(c, s)
  end)

  it("tells the client when the server is destroyed", function()
    local s, port = dtls_server()
    local c = dtls_client()
    connect(s, c, port)
    s:destroy()
    local gone = false
    H.pump_until("the client's disconnect", { c }, function() return gone end, function(_, t)
      gone = gone or t == C.EVENT_DISCONNECT
    end)
    c:destroy()
  end)

  it("ignores junk and fake ClientHellos from other senders", function()
    local s, port = dtls_server()
    local c = dtls_client()
    local speer, cpeer = connect(s, c, port)
    local junk = C.new()
    assert(junk:create_host_bound("127.0.0.1", 0))
    local fake_hello = "\22\254\253\0\0\0\0\0\0\0\0\0\60\1" .. H.bytes(60, 3)
    for _, datagram in ipairs({ "x", H.bytes(100, 5), fake_hello, H.bytes(1400, 9) }) do
      assert(junk:socket_send("127.0.0.1", port, datagram))
    end
    assert.are.equal("still here", deliver({ s, c }, cpeer, s, "still here"))
    local late = dtls_client()
    local _, late_peer = connect(s, late, port)
    assert.are.equal("late", deliver({ s, c, late }, late_peer, s, "late"))
    assert.are.equal("reply", deliver({ s, c }, speer, c, "reply"))
    destroy_all(junk, late, c, s)
  end)

  it("frees everything when hosts are collected without destroy()", function()
    local s, port = dtls_server()
    local c = dtls_client()
    connect(s, c, port)
    s, c = nil, nil -- luacheck: ignore 311
    collectgarbage()
    collectgarbage()
    local fresh, fresh_port = dtls_server()
    local client = dtls_client()
    assert.is_not_nil(connect(fresh, client, fresh_port))
    destroy_all(client, fresh)
  end)
end)

describe("DTLS certificate checks", function()
  it("refuse a server whose certificate does not bear the hostname", function()
    local s, port = dtls_server()
    local c = dtls_client("someone-else")
    assert.is_false(attempt({ s, c }, c, port))
    destroy_all(c, s)
  end)

  it("accept another hostname when common_name_override names the certificate", function()
    local s, port = dtls_server()
    local c = dtls_client("127.0.0.1", enet.TLSOptions.client(cert, "myserver"))
    assert.is_not_nil(connect(s, c, port))
    destroy_all(c, s)
  end)

  it("refuse a server whose chain is not trusted", function()
    local other_key = assert(enet.Crypto.generate_rsa(2048))
    local impostor = assert(enet.Crypto.generate_self_signed_certificate(other_key,
      "CN=myserver,O=test"))
    local s, port = H.server()
    assert(s:dtls_server_setup(enet.TLSOptions.server(other_key, impostor)))
    local c = dtls_client()
    assert.is_false(attempt({ s, c }, c, port))
    destroy_all(c, s)
  end)

  it("refuse a self-signed server when trusting the system CAs", function()
    local s, port = dtls_server()
    local c = H.client()
    assert(c:dtls_client_setup("myserver"))
    assert.is_false(attempt({ s, c }, c, port))
    destroy_all(c, s)
  end)

  it("are skipped by client_unsafe", function()
    local s, port = dtls_server()
    local c = dtls_client("wrong-name", enet.TLSOptions.client_unsafe())
    local speer, cpeer = connect(s, c, port)
    assert.are.equal("unsafe but encrypted", deliver({ s, c }, cpeer, s, "unsafe but encrypted"))
    assert.is_not_nil(speer)
    destroy_all(c, s)
  end)

  it("keep plain ENet and DTLS apart in both directions", function()
    local s, port = dtls_server()
    local plain_client = H.client()
    assert.is_false(attempt({ s, plain_client }, plain_client, port))
    local plain_server, plain_port = H.server()
    local c = dtls_client()
    assert.is_false(attempt({ plain_server, c }, c, plain_port))
    destroy_all(c, plain_server, plain_client, s)
  end)
end)
