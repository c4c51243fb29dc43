-- The address forms create_host_bound, connect_to_host and socket_send
-- accept (README, "Addresses"): a dotted quad, a host name, and "*" for
-- binding. Text with a NUL byte and numeric shorthand are refused. Every
-- refused form below would mean 127.0.0.1 if it were read as C reads it,
-- so the specs never reach another address.
local H = require("helper")
local socket = require("socket")
local enet = H.enet
local Error = enet.Error

local refused = {
  { "a NUL byte after the address", "127.0.0.1\0x" },
  { "a NUL byte after a host name", "localhost\0.example" },
  { "two-part shorthand", "127.1" },
  { "a 32-bit number", "2130706433" },
  { "a hexadecimal part", "0x7f.0.0.1" },
  { "a hexadecimal number", "0x7f000001" },
  { "an octal part", "0177.0.0.1" },
  { "a leading zero", "127.0.0.01" },
}

local accepted = { "127.0.0.1", "localhost" }

-- A plain UDP socket on 127.0.0.1 that socket_send can aim at.
local function udp_listener()
  local udp = assert(socket.udp())
  assert(udp:setsockname("127.0.0.1", 0))
  local _, port = udp:getsockname()
  return udp, port
end

describe("addresses", function()
  it("must be strings: a number raises instead of becoming text such as 1.0.0.5", function()
    local c = H.client()
    local port = c:get_local_port()
    for _, number in ipairs({ 1.5, 2130706433, -1 }) do
      assert.has_error(function() enet.ENetConnection.new():create_host_bound(number, 0) end)
      assert.has_error(function() c:connect_to_host(number, port) end)
      assert.has_error(function() c:socket_send(number, port, "x") end)
    end
    c:destroy()
  end)

  describe("create_host_bound", function()
    for _, case in ipairs(refused) do
      it("returns nil, message, ERR_INVALID_PARAMETER for " .. case[1], function()
        local c = enet.ENetConnection.new()
        local ok, message, code = c:create_host_bound(case[2], 0)
        assert.is_nil(ok)
        assert.are.equal(Error.ERR_INVALID_PARAMETER, code)
        assert.matches("invalid bind address", message)
        c:destroy()
      end)
    end

    for _, text in ipairs(accepted) do
      it("binds to " .. text, function()
        local c = enet.ENetConnection.new()
        assert.is_true(c:create_host_bound(text, 0))
        assert.is_true(c:get_local_port() > 0)
        c:destroy()
      end)
    end
  end)

  describe("connect_to_host", function()
    for _, case in ipairs(refused) do
      it("returns nil, message, ERR_CANT_RESOLVE for " .. case[1], function()
        local s, port = H.server()
        local c = H.client()
        local peer, message, code = c:connect_to_host(case[2], port)
        assert.is_nil(peer)
        assert.are.equal(Error.ERR_CANT_RESOLVE, code)
        assert.matches("cannot resolve", message)
        c:destroy()
        s:destroy()
      end)
    end

    for _, text in ipairs(accepted) do
      it("connects to " .. text, function()
        local s, port = H.server()
        local c = H.client()
        local peer = assert(c:connect_to_host(text, port))
        assert.are.equal("127.0.0.1", peer:get_remote_address())
        H.pump_until("connect", { s, c }, function() return peer:get_state() == enet.ENetPacketPeer.STATE_CONNECTED end)
        c:destroy()
        s:destroy()
      end)
    end
  end)

  describe("socket_send", function()
    for _, case in ipairs(refused) do
      it("returns nil, message, ERR_CANT_RESOLVE for " .. case[1], function()
        local udp, udp_port = udp_listener()
        local s = H.server()
        local ok, message, code = s:socket_send(case[2], udp_port, "x")
        assert.is_nil(ok)
        assert.are.equal(Error.ERR_CANT_RESOLVE, code)
        assert.matches("cannot resolve", message)
        udp:close()
        s:destroy()
      end)
    end

    for _, text in ipairs(accepted) do
      it("sends to " .. text, function()
        local udp, udp_port = udp_listener()
        udp:settimeout(2)
        local s = H.server()
        assert.is_true(s:socket_send(text, udp_port, "hello"))
        assert.are.equal("hello", udp:receive())
        udp:close()
        s:destroy()
      end)
    end
  end)
end)
