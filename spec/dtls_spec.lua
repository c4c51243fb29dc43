-- DTLS: ENetConnection:dtls_server_setup / dtls_client_setup /
-- dtls_get_error over mbedTLS, the handshake and certificate checks.
-- (Attacks: dtls_attack_spec; composition with the other features:
-- dtls_compose_spec; foreign peers and an inactive layer: dtls_interop_spec;
-- the wire: dtls_wire_spec.)
local H = require("helper")
local D = require("dtls_helper")
local enet, C = H.enet, H.C
local Error = enet.Error

describe("ENetConnection:dtls_server_setup", function()
  it("returns true for server options on a created host", function()
    local s = H.server()
    assert.is_true(s:dtls_server_setup(D.server_options))
    s:destroy()
  end)

  it("returns nil, message, ERR_UNCONFIGURED before the host exists", function()
    local ok, msg, code = C.new():dtls_server_setup(D.server_options)
    assert.is_nil(ok)
    assert.are.equal(Error.ERR_UNCONFIGURED, code)
    assert.matches("host not created", msg, 1, true)
  end)

  it("returns nil, message, ERR_INVALID_PARAMETER for nil or client options", function()
    local s = H.server()
    for _, options in ipairs({ false, D.trusting_client, enet.TLSOptions.client_unsafe() }) do
      local ok, msg, code = s:dtls_server_setup(options or nil)
      assert.is_nil(ok)
      assert.are.equal(Error.ERR_INVALID_PARAMETER, code)
      assert.matches("TLSOptions.server", msg, 1, true)
    end
    s:destroy()
  end)

  it("returns nil, message, FAILED when the host already has DTLS, as Godot", function()
    local s = D.server()
    local ok, msg, code = s:dtls_server_setup(D.server_options)
    assert.is_nil(ok)
    assert.are.equal(Error.FAILED, code)
    assert.matches("already set up", msg, 1, true)
    local again, _, again_code = s:dtls_client_setup("myserver", D.trusting_client)
    assert.is_nil(again)
    assert.are.equal(Error.FAILED, again_code)
    s:destroy()
  end)

  it("raises for an argument that is not a TLSOptions, or a destroyed connection", function()
    local s = H.server()
    assert.has_error(function() s:dtls_server_setup("options") end,
      "bad argument #1 to 'dtls_server_setup' (TLSOptions expected, got string)")
    assert.has_error(function() s:dtls_server_setup(D.key) end)
    s:destroy()
    assert.has_error(function() s:dtls_server_setup(D.server_options) end, "connection destroyed")
  end)
end)

describe("ENetConnection:dtls_client_setup", function()
  it("returns true with options, and with none (the system CAs)", function()
    local c1, c2 = H.client(), H.client()
    assert.is_true(c1:dtls_client_setup("example.com", D.trusting_client))
    assert.is_true(c2:dtls_client_setup("example.com"))
    D.destroy_all(c1, c2)
  end)

  it("returns nil, message, ERR_UNCONFIGURED before the host exists", function()
    local ok, msg, code = C.new():dtls_client_setup("myserver")
    assert.is_nil(ok)
    assert.are.equal(Error.ERR_UNCONFIGURED, code)
    assert.matches("host not created", msg, 1, true)
  end)

  it("returns nil, message, ERR_INVALID_PARAMETER for server options", function()
    local c = H.client()
    local ok, msg, code = c:dtls_client_setup("myserver", D.server_options)
    assert.is_nil(ok)
    assert.are.equal(Error.ERR_INVALID_PARAMETER, code)
    assert.matches("client TLSOptions", msg, 1, true)
    c:destroy()
  end)

  it("returns nil, message, FAILED when the host already has DTLS, as Godot", function()
    local c = D.client()
    local ok, msg, code = c:dtls_client_setup("myserver", D.trusting_client)
    assert.is_nil(ok)
    assert.are.equal(Error.FAILED, code)
    assert.matches("already set up", msg, 1, true)
    local again, _, again_code = c:dtls_server_setup(D.server_options)
    assert.is_nil(again)
    assert.are.equal(Error.FAILED, again_code)
    c:destroy()
  end)

  it("raises for a hostname that is not a string or options that are not TLSOptions", function()
    local c = H.client()
    assert.has_error(function() c:dtls_client_setup(nil) end,
      "bad argument #1 to 'dtls_client_setup' (string expected, got nil)")
    assert.has_error(function() c:dtls_client_setup("myserver", D.cert) end,
      "bad argument #2 to 'dtls_client_setup' (TLSOptions expected, got userdata)")
    c:destroy()
  end)
end)

describe("ENetConnection:dtls_get_error", function()
  it("returns nil on a host without DTLS and on a DTLS host where nothing failed", function()
    local plain = H.server()
    assert.is_nil(plain:dtls_get_error())
    local s, port = D.server()
    local c = D.client()
    assert.is_nil(c:dtls_get_error())
    D.connect(s, c, port)
    assert.is_nil(c:dtls_get_error())
    assert.is_nil(s:dtls_get_error())
    D.destroy_all(c, s, plain)
  end)

  it("raises before the host exists and after destroy()", function()
    local c = C.new()
    assert.has_error(function() c:dtls_get_error() end)
    assert(c:create_host(1))
    c:destroy()
    assert.has_error(function() c:dtls_get_error() end, "connection destroyed")
  end)
end)

describe("a DTLS server and client", function()
  it("connect and exchange packets both ways, bytes intact", function()
    local s, port = D.server()
    local c = D.client()
    local speer, cpeer = D.connect(s, c, port)
    local all_bytes = H.bytes(256, 7)
    assert.are.equal(all_bytes, D.deliver({ s, c }, cpeer, s, all_bytes))
    assert.are.equal("pong\0!", D.deliver({ s, c }, speer, c, "pong\0!"))
    D.destroy_all(c, s)
  end)

  it("carry a packet ENet fragments into many datagrams", function()
    local s, port = D.server()
    local c = D.client()
    local _, cpeer = D.connect(s, c, port)
    local big = H.bytes(50000, 11)
    assert.are.equal(big, D.deliver({ s, c }, cpeer, s, big))
    D.destroy_all(c, s)
  end)

  it("keep one session per client address", function()
    local s, port = D.server()
    local clients, peers = {}, {}
    for i = 1, 3 do
      clients[i] = D.client()
      local _, cpeer = D.connect(s, clients[i], port)
      peers[i] = cpeer
    end
    local hosts = { s, clients[1], clients[2], clients[3] }
    for i = 1, 3 do
      assert.are.equal("from client " .. i, D.deliver(hosts, peers[i], s, "from client " .. i))
    end
    assert.are.equal(3, #s:get_peers())
    D.destroy_all(clients[1], clients[2], clients[3], s)
  end)

  it("let a client disconnect and connect again with a new session", function()
    local s, port = D.server()
    local c = D.client()
    local _, cpeer = D.connect(s, c, port)
    cpeer:peer_disconnect()
    local server_saw, client_saw = false, false
    H.pump_until("both disconnects", { s, c }, function() return server_saw and client_saw end,
      function(h, t)
        if t == C.EVENT_DISCONNECT then
          if h == s then server_saw = true else client_saw = true end
        end
      end)
    local _, again = D.connect(s, c, port)
    assert.are.equal("second session", D.deliver({ s, c }, again, s, "second session"))
    D.destroy_all(c, s)
  end)

  it("tell the client when the server kicks it", function()
    local s, port = D.server()
    local c = D.client()
    local speer = D.connect(s, c, port)
    speer:peer_disconnect_now(42)
    local data
    H.pump_until("the client's disconnect", { s, c }, function() return data ~= nil end,
      function(h, t, _, d)
        if h == c and t == C.EVENT_DISCONNECT then
          data = d
        end
      end)
    assert.are.equal(42, data)
    D.destroy_all(c, s)
  end)

  it("tell the client when the server is destroyed", function()
    local s, port = D.server()
    local c = D.client()
    D.connect(s, c, port)
    s:destroy()
    local gone = false
    H.pump_until("the client's disconnect", { c }, function() return gone end, function(_, t)
      gone = gone or t == C.EVENT_DISCONNECT
    end)
    c:destroy()
  end)

  it("free everything when hosts are collected without destroy()", function()
    local s, port = D.server()
    local c = D.client()
    D.connect(s, c, port)
    s, c = nil, nil -- luacheck: ignore 311
    collectgarbage()
    collectgarbage()
    local fresh, fresh_port = D.server()
    local client = D.client()
    assert.is_not_nil(D.connect(fresh, client, fresh_port))
    D.destroy_all(client, fresh)
  end)

  it("cut a large certificate chain into handshake datagrams of at most 1400 bytes", function()
    local pem = D.cert:to_pem()
    for i = 1, 3 do
      local k = assert(enet.Crypto.generate_rsa(2048))
      pem = pem .. assert(enet.Crypto.generate_self_signed_certificate(k, "CN=extra" .. i)):to_pem()
    end
    local chain = assert(enet.X509Certificate.from_pem(pem))
    local s, port = D.server(nil, assert(enet.TLSOptions.server(D.key, chain)))
    assert(s:_capture(1000))
    local c = D.client()
    local _, cpeer = D.connect(s, c, port)
    assert.are.equal("through", D.deliver({ s, c }, cpeer, s, "through"))
    local largest, handshake_bytes = 0, 0
    for _, d in ipairs(D.captured(s, true)) do
      if d.data:byte(1) ~= 23 then -- handshake and change_cipher_spec records
        largest = math.max(largest, #d.data)
        handshake_bytes = handshake_bytes + #d.data
      end
    end
    assert.is_true(handshake_bytes > 3000, "the chain made " .. handshake_bytes .. " bytes")
    assert.is_true(largest <= 1400, "a handshake datagram of " .. largest .. " bytes")
    D.destroy_all(c, s)
  end)
end)

describe("DTLS certificate checks", function()
  it("refuse a server whose certificate does not bear the hostname, and say why", function()
    local s, port = D.server()
    local c = D.client("someone-else")
    assert.is_false(D.attempt({ s, c }, c, port))
    local msg, code = c:dtls_get_error()
    assert.are.equal(Error.ERR_UNAUTHORIZED, code)
    assert.matches("certificate of 127.0.0.1:" .. port .. " was refused", msg, 1, true)
    assert.matches("Common Name", msg, 1, true)
    D.destroy_all(c, s)
  end)

  it("accept another hostname when common_name_override names the certificate", function()
    local s, port = D.server()
    local c = D.client("127.0.0.1", enet.TLSOptions.client(D.cert, "myserver"))
    local _, cpeer = D.connect(s, c, port)
    assert.are.equal("by override", D.deliver({ s, c }, cpeer, s, "by override"))
    assert.is_nil(c:dtls_get_error())
    D.destroy_all(c, s)
  end)

  it("refuse a server whose chain is not trusted, and say why on both sides", function()
    local s, port = D.server(nil, enet.TLSOptions.server(D.impostor()))
    local c = D.client()
    assert.is_false(D.attempt({ s, c }, c, port))
    local msg, code = c:dtls_get_error()
    assert.are.equal(Error.ERR_UNAUTHORIZED, code)
    assert.matches("not correctly signed by the trusted CA", msg, 1, true)
    -- the client's alert tells the server (alert 48: unknown_ca); the
    -- client's attempt ended at once, so the server may still have to read it
    H.pump_until("the server to read the alert", { s }, function() return s:dtls_get_error() ~= nil end)
    local server_msg, server_code = s:dtls_get_error()
    assert.are.equal(Error.ERR_CONNECTION_ERROR, server_code)
    assert.matches("ended the DTLS handshake with fatal alert 48 (unknown_ca)", server_msg, 1, true)
    D.destroy_all(c, s)
  end)

  it("refuse a self-signed server when trusting the system CAs", function()
    local s, port = D.server()
    local c = H.client()
    assert(c:dtls_client_setup("myserver"))
    assert.is_false(D.attempt({ s, c }, c, port))
    local _, code = c:dtls_get_error()
    assert.are.equal(Error.ERR_UNAUTHORIZED, code)
    D.destroy_all(c, s)
  end)

  it("let a refused client try again with a new session, and forget the old failure", function()
    local s, port = D.server()
    local c = D.client("someone-else")
    assert.is_false(D.attempt({ s, c }, c, port))
    assert.is_not_nil(c:dtls_get_error())
    local cpeer = assert(c:connect_to_host("127.0.0.1", port))
    c:flush()
    assert.is_nil(c:dtls_get_error()) -- a new attempt started
    cpeer:reset()
    D.destroy_all(c, s)
  end)
end)

-- As Godot: client_unsafe(chain) still verifies the chain and skips only
-- the name; client_unsafe() checks nothing.
describe("DTLS with TLSOptions.client_unsafe", function()
  it("refuses a server whose certificate the given chain does not sign, and says why", function()
    local s, port = D.server(nil, enet.TLSOptions.server(D.impostor()))
    local c = D.client("myserver", enet.TLSOptions.client_unsafe(D.cert))
    assert.is_false(D.attempt({ s, c }, c, port))
    local msg, code = c:dtls_get_error()
    assert.are.equal(Error.ERR_UNAUTHORIZED, code)
    assert.matches("not correctly signed by the trusted CA", msg, 1, true)
    D.destroy_all(c, s)
  end)

  it("accepts a server the given chain signs, whatever name the certificate bears", function()
    local s, port = D.server()
    local c = D.client("someone-else", enet.TLSOptions.client_unsafe(D.cert))
    local speer, cpeer = D.connect(s, c, port)
    assert.is_not_nil(speer)
    assert.are.equal("name unchecked", D.deliver({ s, c }, cpeer, s, "name unchecked"))
    assert.is_nil(c:dtls_get_error())
    D.destroy_all(c, s)
  end)

  it("sends no server name (SNI) in its ClientHello, where TLSOptions.client sends it", function()
    local name = "game-server.example"
    assert.is_truthy(D.client_hello(name):find(name, 1, true))
    assert.is_nil(D.client_hello(name, enet.TLSOptions.client_unsafe(D.cert)):find(name, 1, true))
    assert.is_nil(D.client_hello(name, enet.TLSOptions.client_unsafe()):find(name, 1, true))
  end)

  it("accepts any server without a chain: neither its chain nor its name is checked", function()
    local s, port = D.server(nil, enet.TLSOptions.server(D.impostor()))
    local c = D.client("someone-else", enet.TLSOptions.client_unsafe())
    local speer, cpeer = D.connect(s, c, port)
    assert.is_not_nil(speer)
    assert.are.equal("unsafe but encrypted", D.deliver({ s, c }, cpeer, s, "unsafe but encrypted"))
    assert.is_nil(c:dtls_get_error())
    D.destroy_all(c, s)
  end)
end)

describe("plain ENet and DTLS", function()
  it("do not connect: a plain client gets nothing from a DTLS server, which serves others", function()
    local s, port = D.server()
    local plain_client = H.client()
    local plain_peer = assert(plain_client:connect_to_host("127.0.0.1", port))
    plain_peer:set_timeout(32, 2000, 4000)
    local c = D.client()
    local connects, plain_ended = 0, false
    local _, cpeer = D.connect(s, c, port, { s, c, plain_client })
    assert.are.equal("served", D.deliver({ s, c, plain_client }, cpeer, s, "served"))
    H.pump_until("the plain attempt to end", { s, c, plain_client }, function() return plain_ended end,
      function(h, t)
        if h == plain_client and t == C.EVENT_DISCONNECT then
          plain_ended = true
        elseif h == plain_client and t == C.EVENT_CONNECT then
          connects = connects + 1
        end
      end)
    assert.are.equal(0, connects)
    assert.are.equal(1, #s:get_peers()) -- the DTLS client only
    assert.are.equal("still served", D.deliver({ s, c }, cpeer, s, "still served"))
    D.destroy_all(c, plain_client, s)
  end)

  it("do not connect: a DTLS client gets nothing from a plain server, and says why", function()
    local plain_server, plain_port = H.server()
    local c = D.client()
    assert.is_false(D.attempt({ plain_server, c }, c, plain_port))
    local msg, code = c:dtls_get_error()
    assert.are.equal(Error.ERR_TIMEOUT, code)
    assert.matches("no DTLS answer from 127.0.0.1:" .. plain_port, msg, 1, true)
    D.destroy_all(c, plain_server)
  end)
end)
