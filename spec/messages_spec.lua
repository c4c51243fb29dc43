-- Runtime failures say what went wrong and what to do about it.
local H = require("helper")
local enet, C, P = H.enet, H.C, H.P
local E = enet.Error

describe("messages", function()
  it("a port in use: names the address, the cause, and how to get a free port", function()
    local taken, port = H.server()
    local ok, msg, code = C.new():create_host_bound("127.0.0.1", port)
    taken:destroy()
    assert.is_nil(ok)
    assert.are.equal(E.ERR_CANT_CREATE, code)
    assert.matches("127.0.0.1:" .. port .. ": Address already in use", msg, 1, true)
    assert.matches("pick another port; 0 picks a free one", msg, 1, true)
  end)

  it("a name that does not resolve: says to check it or give an IPv4 or IPv6 address", function()
    -- A 64-octet label cannot be put in a DNS query (63 at most): the
    -- resolver fails without asking any server, so no spec talks to one.
    local name = string.rep("x", 64) .. ".invalid"
    local c = H.client()
    local ok, msg, code = c:connect_to_host(name, 7777)
    c:destroy()
    assert.is_nil(ok)
    assert.are.equal(E.ERR_CANT_RESOLVE, code)
    assert.matches("cannot resolve '" .. name .. "'", msg, 1, true)
    assert.matches("check the name", msg, 1, true)
  end)

  it("a long name: the message is whole, its advice not cut off", function()
    -- a 291-byte name with a 64-octet label, so no DNS server is asked
    local name = string.rep("x", 64) .. "." .. string.rep("y", 218) .. ".invalid"
    local c = H.client()
    local ok, msg, code = c:connect_to_host(name, 7777)
    c:destroy()
    assert.is_nil(ok)
    assert.are.equal(E.ERR_CANT_RESOLVE, code)
    assert.are.equal("cannot resolve '" .. name .. "': check the name, "
      .. "or give an IPv4 or IPv6 address such as \"127.0.0.1\" or \"::1\"", msg)
  end)

  -- A socket numbered 65,536 or above (tens of thousands of open files):
  -- build/support/libhigh_fd.so (spec/support/high_fd.c) raises the number
  -- of every socket libenet creates by an offset, in a child process.
  local function create_with_fd_offset(offset)
    local shim = "build/support/libhigh_fd.so"
    local f = io.open(shim)
    assert.is_not_nil(f, shim .. " missing (make build)")
    f:close()
    local script = [[
      local C = require("enetconnection").ENetConnection
      local c = C.new()
      local ok, msg, code = c:create_host_bound("127.0.0.1", 0)
      io.write(tostring(ok), "|", tostring(msg), "|", tostring(code), "|",
        tostring(ok and c:get_local_port()), "\n")
    ]]
    local ok, out = H.run("ENETCONNECTION_FD_OFFSET=" .. offset .. " LD_PRELOAD=\"$PWD/" .. shim
      .. "\" timeout 20 " .. H.lua .. " -e " .. H.quote(script))
    assert.is_true(ok, out)
    local created, msg, code, port = out:match("([^|\n]*)|([^|\n]*)|([^|\n]*)|([^|\n]*)")
    assert.is_not_nil(created, out)
    return created, msg, tonumber(code), tonumber(port)
  end

  it("a socket numbered 65,536 or more: says too many files are open, not out of memory", function()
    local created, msg, code = create_with_fd_offset(65536)
    assert.are.equal("nil", created)
    assert.are.equal(E.ERR_CANT_CREATE, code)
    local fd = tonumber(msg:match("file descriptor (%d+) is above 65535, the highest"))
    assert.is_not_nil(fd, msg)
    assert.is_true(fd >= 65536, msg)
    assert.matches("cannot create host on 127.0.0.1:0: too many files are open", msg, 1, true)
    assert.matches("close the files or sockets", msg, 1, true)
    -- the shim alone changes nothing when the numbers stay below the limit
    local below, _, _, port = create_with_fd_offset(60000)
    assert.are.equal("true", below)
    assert.is_true(port > 0)
  end)

  it("every peer slot in use: says to disconnect one or raise max_peers", function()
    local c = H.client(1)
    assert(c:connect_to_host("127.0.0.1", 9))
    local ok, msg, code = c:connect_to_host("127.0.0.1", 9)
    c:destroy()
    assert.is_nil(ok)
    assert.are.equal(E.ERR_CANT_CREATE, code)
    assert.matches("larger max_peers", msg, 1, true)
  end)

  it("sending too early says to wait for EVENT_CONNECT; too late, to connect again", function()
    local s, port = H.server()
    local c = H.client()
    local peer = assert(c:connect_to_host("127.0.0.1", port))
    local ok, msg, code = peer:send(0, "x", P.FLAG_RELIABLE)
    assert.is_nil(ok)
    assert.are.equal(E.FAILED, code)
    assert.matches("returns EVENT_CONNECT", msg, 1, true)
    peer:reset()
    ok, msg, code = peer:send(0, "x", P.FLAG_RELIABLE)
    c:destroy()
    s:destroy()
    assert.is_nil(ok)
    assert.are.equal(E.ERR_UNCONFIGURED, code)
    assert.matches("connect_to_host again", msg, 1, true)
  end)

  it("a DTLS client that refuses the server's certificate says what to pass instead", function()
    local key = assert(enet.Crypto.generate_rsa(2048))
    local cert = assert(enet.Crypto.generate_self_signed_certificate(key, "CN=right.example"))
    local s, port = H.server()
    assert(s:dtls_server_setup(enet.TLSOptions.server(key, cert)))
    local function refused(hostname, options)
      local c = H.client()
      assert(c:dtls_client_setup(hostname, options))
      local peer = assert(c:connect_to_host("127.0.0.1", port))
      peer:set_timeout(32, 1000, 2000)
      H.pump({ s, c }, function()
        return c:dtls_get_error() ~= nil or not peer:is_active()
      end, nil, 10)
      local msg, code = c:dtls_get_error()
      c:destroy()
      return msg, code
    end
    local msg, code = refused("wrong.example", enet.TLSOptions.client(cert))
    assert.are.equal(E.ERR_UNAUTHORIZED, code)
    assert.matches("give dtls_client_setup the name in the certificate", msg, 1, true)
    local other_key = assert(enet.Crypto.generate_rsa(1024))
    local stranger = assert(enet.Crypto.generate_self_signed_certificate(other_key, "CN=right.example"))
    msg, code = refused("right.example", enet.TLSOptions.client(stranger))
    s:destroy()
    assert.are.equal(E.ERR_UNAUTHORIZED, code)
    assert.matches("pass the server's certificate or its CA as trusted_chain", msg, 1, true)
  end)

  it("DTLS options: an empty certificate or the wrong key says which one to pass", function()
    local key = assert(enet.Crypto.generate_rsa(1024))
    local other = assert(enet.Crypto.generate_rsa(1024))
    local cert = assert(enet.Crypto.generate_self_signed_certificate(key))
    local ok, msg, code = enet.TLSOptions.server(other, cert)
    assert.is_nil(ok)
    assert.are.equal(E.ERR_INVALID_PARAMETER, code)
    assert.matches("pass the private key the certificate was made with", msg, 1, true)
    ok, msg = enet.TLSOptions.client(enet.X509Certificate.new())
    assert.is_nil(ok)
    assert.matches("load the server's certificate or its CA into it", msg, 1, true)
    local s = H.server()
    ok, msg = s:dtls_server_setup(enet.TLSOptions.client(cert))
    s:destroy()
    assert.is_nil(ok)
    assert.matches("a client's options go to dtls_client_setup", msg, 1, true)
  end)
end)
