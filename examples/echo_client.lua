--- Echo client: connects, sends each argument (or three greetings) as a
-- reliable packet, prints the echoes, disconnects.
--
--    lua5.4 examples/echo_client.lua [address] [port] [message...]
local enet = require("enetconnection")
local C, P = enet.ENetConnection, enet.ENetPacketPeer

local address, port = arg[1] or "127.0.0.1", tonumber(arg[2]) or 7777
local unpack = table.unpack or unpack -- luacheck: ignore (5.1)
local messages = { unpack(arg, 3) }
if #messages == 0 then
  messages = { "hello", "from", "lua" }
end

local client = C.new()
assert(client:create_host(1))
local server = assert(client:connect_to_host(address, port, 4))

local echoed = 0
local give_up = os.time() + 10
while echoed < #messages and os.time() < give_up do
  local event, peer, data = client:service(100)
  if event == C.EVENT_CONNECT then
    print("connected to " .. tostring(peer))
    for _, m in ipairs(messages) do
      peer:send(0, m, P.FLAG_RELIABLE)
    end
  elseif event == C.EVENT_RECEIVE then
    echoed = echoed + 1
    print("echo: " .. peer:get_packet())
  elseif event == C.EVENT_DISCONNECT then
    print("server closed the connection", data)
    break
  end
end

if echoed < #messages then
  print(("only %d of %d echoes arrived"):format(echoed, #messages))
end
server:peer_disconnect()
-- let the disconnect reach the server
for _ = 1, 20 do
  if client:service(50) == C.EVENT_DISCONNECT then break end
end
client:destroy()
os.exit(echoed == #messages and 0 or 1)
