-- What a host receives from a remote set up differently (another
-- compression mode, DTLS on one side only): counted in get_socket_counters
-- (datagrams_undecompressed, datagrams_undecrypted) and described by
-- get_receive_error, where ENet alone would only time out on both sides.
local H = require("helper")
local D = require("dtls_helper")
local enet, C, P = H.enet, H.C, H.P
local Error = enet.Error

--- Lets client `c` try to connect to `port` for a few ENet retransmissions
-- (its timeout shortened), servicing `hosts`; ends when the attempt ended.
local function attempt(hosts, c, port)
  return D.attempt(hosts, c, port, 600, 1200)
end

describe("get_receive_error", function()
  it("is nil on a host that dropped nothing for these reasons, and raises before the host exists", function()
    local s, c = H.pair()
    assert.is_nil(s:get_receive_error())
    assert.is_nil(c:get_receive_error())
    local counters = s:get_socket_counters()
    assert.are.equal(0, counters.datagrams_undecompressed)
    assert.are.equal(0, counters.datagrams_undecrypted)
    assert.has_error(function() C.new():get_receive_error() end)
    D.destroy_all(c, s)
  end)

  it("names a compression mismatch: a compressing client, a server without compression", function()
    local s, port = H.server()
    local c = H.client()
    c:compress(C.COMPRESS_RANGE_CODER)
    assert.is_false(attempt({ s, c }, c, port))
    local counters = s:get_socket_counters()
    assert.is_true(counters.datagrams_undecompressed > 0, "nothing counted")
    local msg, code = s:get_receive_error()
    assert.are.equal(Error.ERR_INVALID_DATA, code)
    assert.matches("compression mismatch with 127.0.0.1:" .. c:get_local_port() .. "?", msg, 1, true)
    assert.matches("COMPRESS_NONE", msg, 1, true)
    D.destroy_all(c, s)
  end)

  -- (A host using the range coder cannot tell: it decodes any bytes into
  -- something, which ENet then drops as malformed.)
  it("names a compression mismatch between two modes, and the receiving host's mode", function()
    for _, modes in ipairs({
      { C.COMPRESS_ZSTD, C.COMPRESS_RANGE_CODER, "COMPRESS_ZSTD" },
      { C.COMPRESS_ZLIB, C.COMPRESS_RANGE_CODER, "COMPRESS_ZLIB" },
      { C.COMPRESS_FASTLZ, C.COMPRESS_RANGE_CODER, "COMPRESS_FASTLZ" },
    }) do
      local s, port = H.server()
      s:compress(modes[1])
      local c = H.client()
      c:compress(modes[2])
      assert.is_false(attempt({ s, c }, c, port))
      assert.is_true(s:get_socket_counters().datagrams_undecompressed > 0, modes[3])
      local msg = s:get_receive_error()
      assert.matches("compression mismatch with 127.0.0.1:" .. c:get_local_port() .. "?", msg, 1, true)
      assert.matches("this host's " .. modes[3], msg, 1, true)
      D.destroy_all(c, s)
    end
  end)

  it("describes the first datagram of each remote only, and counts them all", function()
    local s, port = H.server()
    local first, second = H.client(), H.client()
    first:compress(C.COMPRESS_ZLIB)
    second:compress(C.COMPRESS_ZLIB)
    assert.is_false(attempt({ s, first }, first, port))
    local counted = s:get_socket_counters().datagrams_undecompressed
    assert.is_true(counted > 1, "ENet's retransmissions counted too")
    assert.matches(":" .. first:get_local_port() .. "?", s:get_receive_error(), 1, true)
    assert.is_false(attempt({ s, second }, second, port))
    assert.matches(":" .. second:get_local_port() .. "?", s:get_receive_error(), 1, true)
    assert.is_false(attempt({ s, first }, first, port)) -- reported already
    assert.matches(":" .. second:get_local_port() .. "?", s:get_receive_error(), 1, true)
    assert.is_true(s:get_socket_counters().datagrams_undecompressed > counted)
    D.destroy_all(first, second, s)
  end)

  it("names a plain ENet client on a DTLS server", function()
    local s, port = D.server()
    local plain = H.client()
    assert.is_false(attempt({ s, plain }, plain, port))
    assert.is_true(s:get_socket_counters().datagrams_undecrypted > 0, "nothing counted")
    local msg, code = s:get_receive_error()
    assert.are.equal(Error.ERR_INVALID_DATA, code)
    assert.matches("plain ENet from 127.0.0.1:" .. plain:get_local_port(), msg, 1, true)
    assert.matches("dtls_client_setup", msg, 1, true)
    D.destroy_all(plain, s)
  end)

  it("names a DTLS client on a plain server", function()
    local s, port = H.server()
    local c = D.client()
    assert.is_false(attempt({ s, c }, c, port))
    assert.is_true(s:get_socket_counters().datagrams_undecrypted > 0, "nothing counted")
    local msg, code = s:get_receive_error()
    assert.are.equal(Error.ERR_INVALID_DATA, code)
    assert.matches("a DTLS handshake from 127.0.0.1:" .. c:get_local_port(), msg, 1, true)
    D.destroy_all(c, s)
  end)

  it("stays nil when the modes match, with and without DTLS", function()
    local s, port = D.server()
    s:compress(C.COMPRESS_ZSTD)
    local c = D.client()
    c:compress(C.COMPRESS_ZSTD)
    local _, cpeer = D.connect(s, c, port)
    assert.are.equal(("x"):rep(3000), D.deliver({ s, c }, cpeer, s, ("x"):rep(3000)))
    assert.is_nil(s:get_receive_error())
    assert.is_nil(c:get_receive_error())
    assert.are.equal(P.STATE_CONNECTED, cpeer:get_state())
    D.destroy_all(c, s)
  end)
end)
