--- Echo server: sends every packet back to its sender, on the same channel.
--
--    lua5.4 examples/echo_server.lua [address] [port] [seconds]
--
-- address defaults to 127.0.0.1 ("*" listens on every address), port to
-- 7777; with `seconds` the server stops after that long (default: never).
local enet = require("enetconnection")
local C = enet.ENetConnection

local address, port = arg[1] or "127.0.0.1", tonumber(arg[2]) or 7777
local seconds = tonumber(arg[3])

local server = C.new()
assert(server:create_host_bound(address, port, 32, 4))
print(("echo server on %s:%d"):format(address, server:get_local_port()))
io.stdout:flush()

local deadline = seconds and os.time() + seconds
while not deadline or os.time() < deadline do
  for event, peer, data, channel in server:events(100) do
    if event == C.EVENT_CONNECT then
      print("connect", peer)
    elseif event == C.EVENT_RECEIVE then
      peer:send(channel, data, enet.ENetPacketPeer.FLAG_RELIABLE)
    elseif event == C.EVENT_DISCONNECT then
      print("disconnect", peer, data)
    end
    io.stdout:flush()
  end
end
server:destroy()
