-- DTLS with the world outside: a foreign DTLS client (OpenSSL's s_client)
-- against our server, and DTLS setup when libenet bypasses the socket layer.
local H = require("helper")
local D = require("dtls_helper")
local Error = H.enet.Error

-- Runs `openssl s_client -dtls1_2` against the DTLS server s on port,
-- trusting our certificate and checking `hostname`, while servicing s.
-- Returns whether it exited 0, and what it printed.
local function s_client(s, port, hostname)
  local ca = os.tmpname()
  assert(D.cert:save(ca))
  local proc = H.spawn(("openssl s_client -dtls1_2 -connect 127.0.0.1:%d -CAfile %s -verify_return_error"
    .. " -verify_hostname %s < /dev/null"):format(port, H.quote(ca), H.quote(hostname)), 20)
  H.pump({ s }, function() return proc.output():match("exit:%d+") ~= nil end, nil, 25)
  local out = proc.output()
  local ok = out:match("exit:(%d+)") == "0"
  proc.stop()
  os.remove(ca)
  return ok, out
end

-- Whether the server sent a record in epoch 1 (its encrypted Finished).
local function server_finished(s)
  for _, d in ipairs(D.captured(s, true)) do
    for _, record in ipairs(D.records(d.data)) do
      if record.type == 22 and record.epoch == 1 then
        return true
      end
    end
  end
  return false
end

describe("a DTLS server and OpenSSL's s_client -dtls1_2", function()
  it("complete a handshake in which OpenSSL verifies our certificate and its name", function()
    local s, port = D.server()
    assert(s:_capture(100))
    local ok, out = s_client(s, port, "myserver")
    assert.is_true(ok, out)
    assert.matches("Protocol  : DTLSv1.2", out, 1, true)
    assert.matches("Verification: OK", out, 1, true)
    assert.matches("Verified peername: myserver", out, 1, true)
    assert.matches("Verify return code: 0 (ok)", out, 1, true)
    assert.is_true(server_finished(s))
    assert.is_nil(s:dtls_get_error())
    s:destroy()
  end)

  it("do not complete it when OpenSSL expects another name", function()
    local s, port = D.server()
    assert(s:_capture(100))
    local ok, out = s_client(s, port, "someone-else")
    assert.is_false(ok, out)
    assert.matches("hostname mismatch", out, 1, true)
    assert.is_false(server_finished(s))
    s:destroy()
  end)
end)

-- Runs `openssl s_server -dtls1_2` on 127.0.0.1 port 0 with our key and
-- certificate and `options`, its standard input held open for `seconds`;
-- returns the process (stopped when the spec ends, pass or fail) and the
-- port it printed.
local function s_server(options, seconds)
  local key, cert = os.tmpname(), os.tmpname()
  assert(D.key:save(key))
  assert(D.cert:save(cert))
  local proc = H.spawn(("sleep %d | openssl s_server -dtls1_2 -accept 127.0.0.1:0 -key %s -cert %s %s")
    :format(seconds, H.quote(key), H.quote(cert), options), seconds + 5)
  finally(proc.stop)
  local port
  local listening = H.pump({}, function()
    port = tonumber(proc.output():match("ACCEPT 127%.0%.0%.1:(%d+)"))
    return port ~= nil
  end, nil, 10)
  os.remove(key)
  os.remove(cert)
  assert(listening, "s_server printed no port: " .. proc.output())
  return proc, port
end

describe("a DTLS client and OpenSSL's s_server -dtls1_2", function()
  it("end the client's peer at once, naming the fatal alert, when the server refuses the handshake", function()
    -- -Verify 1 insists on a client certificate, and our client has none.
    local proc, port = s_server("-Verify 1", 20)
    local c = D.client()
    local cpeer = assert(c:connect_to_host("127.0.0.1", port))
    local departed, msg, code
    H.pump_until("the client's DISCONNECT", { c }, function() return departed ~= nil end, function(_, t, peer)
      assert.are_not.equal(H.C.EVENT_CONNECT, t)
      if t == H.C.EVENT_DISCONNECT then
        departed = peer
        msg, code = c:dtls_get_error()
      end
    end, 5)
    local out = proc.output()
    c:destroy()
    assert.are.equal(cpeer, departed)
    assert.are.equal(Error.ERR_CONNECTION_ERROR, code, out)
    assert.matches("^127%.0%.0%.1:" .. port
      .. " ended the DTLS handshake with fatal alert 40 %(handshake_failure%)$", msg)
    assert.matches("peer did not return a certificate", out, 1, true)
  end)
end)

describe("DTLS setup when libenet was loaded before the module", function()
  it("returns nil, a clear message and ERR_UNAVAILABLE, for servers and clients", function()
    local libenet = "/usr/lib/x86_64-linux-gnu/libenet.so.7"
    local f = io.open(libenet)
    assert.is_not_nil(f, "libenet.so.7 not found at " .. libenet)
    f:close()
    local script = [[
      local enet = require("enetconnection")
      local key = assert(enet.Crypto.generate_rsa(2048))
      local cert = assert(enet.Crypto.generate_self_signed_certificate(key))
      local s = enet.new(); assert(s:create_host_bound("127.0.0.1", 0))
      local c = enet.new(); assert(c:create_host_bound("127.0.0.1", 0))
      local results = {
        { s:dtls_server_setup(enet.TLSOptions.server(key, cert)) },
        { c:dtls_client_setup("myserver", enet.TLSOptions.client(cert)) },
      }
      for _, r in ipairs(results) do
        io.write(tostring(r[1]), "|", tostring(r[3]), "|", tostring(r[2]), "\n")
      end
      s:destroy(); c:destroy()
    ]]
    local ok, out = H.run("LD_PRELOAD=" .. libenet .. " timeout 60 " .. H.lua .. " -e " .. H.quote(script))
    assert.is_true(ok, out)
    local expected = "nil|" .. Error.ERR_UNAVAILABLE .. "|DTLS is unavailable: libenet was loaded before"
      .. " this module, so its datagrams bypass the socket layer (require enetconnection before other"
      .. " ENet bindings, and do not LD_PRELOAD libenet)"
    local lines = {}
    for line in out:gmatch("[^\n]+") do
      if line:match("^nil|") or line:match("^true|") then lines[#lines + 1] = line end
    end
    assert.are.same({ expected, expected }, lines)
  end)
end)
