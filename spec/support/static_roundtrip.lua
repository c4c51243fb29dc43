-- Run by spec/build_spec.lua in a child Lua whose LUA_CPATH points at a
-- `make static` build: a DTLS + zstd round trip on 127.0.0.1, then what
-- the process has mapped. Prints "round trip: ok" and one "mapped: <path>"
-- line per shared library in /proc/self/maps (the module's among them).
local enet = require("enetconnection")
local C, P = enet.ENetConnection, enet.ENetPacketPeer

local key = assert(enet.Crypto.generate_rsa(2048)) -- what a verifying client accepts
local cert = assert(enet.Crypto.generate_self_signed_certificate(key, "CN=localhost"))
local s = C.new()
assert(s:create_host_bound("127.0.0.1", 0, 4))
s:compress(C.COMPRESS_ZSTD)
assert(s:dtls_server_setup(assert(enet.TLSOptions.server(key, cert))))
local c = C.new()
assert(c:create_host_bound("127.0.0.1", 0, 1))
c:compress(C.COMPRESS_ZSTD)
assert(c:dtls_client_setup("localhost", assert(enet.TLSOptions.client(cert))))
local peer = assert(c:connect_to_host("127.0.0.1", s:get_local_port()))

local packet = string.rep("static build, zstd and DTLS; ", 400)
local got, sent
for _ = 1, 2000 do -- bounded: 2000 rounds of up to 5 ms
  for _, host in ipairs({ s, c }) do
    for event, _, data in host:events(0) do
      assert(event ~= C.EVENT_DISCONNECT, "disconnected: " .. tostring(c:dtls_get_error()))
      if host == s and event == C.EVENT_RECEIVE then got = data end
    end
  end
  if not sent and peer:get_state() == P.STATE_CONNECTED then
    sent = assert(peer:send(0, packet, P.FLAG_RELIABLE))
  end
  if got then break end
  c:service(5)
end
assert(got == packet, "the packet did not arrive intact")
local counters = c:get_socket_counters()
assert(counters.bytes_sent < #packet, "zstd did not shrink the packet: " .. counters.bytes_sent)
print("round trip: ok")
c:destroy()
s:destroy()
for line in io.lines("/proc/self/maps") do
  local library = line:match("%s(/%S+%.so[%.%d]*)$")
  if library then print("mapped: " .. library) end
end
