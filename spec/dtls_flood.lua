-- Run by dtls_attack_spec in a child process (so that the sanitizer
-- options of `make asan` can turn ASan's quarantine of freed memory off,
-- which would otherwise read as growth): floods a DTLS server with
-- ClientHellos from one socket, measures VmRSS, then connects a real
-- client. Prints "answers=N before=KiB after=KiB served=true|false".
-- Usage: lua dtls_flood.lua HELLOS
local H = require("helper")
local D = require("dtls_helper")
local socket = require("socket")

local hellos = assert(tonumber(arg[1]), "usage: dtls_flood.lua HELLOS")
local s, port = D.server()

local hello = D.client_hello()
assert(hello:byte(1) == 22 and hello:byte(14) == 1, "not a ClientHello")

local flood = assert(socket.udp())
assert(flood:setsockname("127.0.0.1", 0))
flood:settimeout(0)
local answers = 0
local function send_hellos(n)
  for i = 1, n do
    assert(flood:sendto(hello, "127.0.0.1", port))
    if i % 50 == 0 then
      s:service(0)
      while flood:receive() do answers = answers + 1 end
    end
  end
  s:service(0)
end

send_hellos(5000) -- warm up: the allocator (and ASan's quarantine) settle
collectgarbage()
local before = H.rss_kib()
send_hellos(hellos)
collectgarbage()
local after = H.rss_kib()
flood:close()

local c = D.client()
local cpeer = assert(c:connect_to_host("127.0.0.1", port))
local served = H.pump({ s, c }, function() return cpeer:get_state() == H.P.STATE_CONNECTED end)
  and cpeer:send(0, "still serving", H.P.FLAG_RELIABLE) == true
  and H.pump({ s, c }, function() return #s:get_peers() == 1 and s:get_peers()[1]:get_packet() == "still serving" end)
D.destroy_all(c, s)
io.write(("answers=%d before=%d after=%d served=%s\n"):format(answers, before, after, tostring(served)))
