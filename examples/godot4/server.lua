--- A Lua server that Godot 4 games join with ENetMultiplayerPeer and talk to
-- with `multiplayer.send_bytes` (enetconnection.multiplayer): it welcomes
-- each peer, echoes what a peer sends to the server back to it, and forwards
-- it to everyone else. Godot 4 clients also see each other join and leave,
-- and can send each other bytes through this server's relay.
--
--    make   # then, from the repository root:
--    LUA_PATH='lua/?.lua;lua/?/init.lua;;' LUA_CPATH='build/lua5.4/?.so;;' \
--      lua5.4 examples/godot4/server.lua [address] [port] [seconds]
--    # and Godot 4 (not run on this project's machines, see README.md):
--    GODOT_EXAMPLE_PORT=<port> godot --headless -s /path/to/examples/godot4/client.gd
--
-- address defaults to 127.0.0.1, port to 7790 (0: any free port, printed);
-- the server stops after `seconds` (default 60) or when its last client
-- leaves.
local MP = require("enetconnection.multiplayer")

local address, port = arg[1] or "127.0.0.1", tonumber(arg[2]) or 7790
local seconds = tonumber(arg[3]) or 60

local server = assert(MP.server({ address = address, port = port, max_clients = 32 }))
print(("godot4 example server on %s:%d"):format(address, server:get_host():get_local_port()))
io.stdout:flush()

local deadline, clients, served = os.time() + seconds, 0, 0
while os.time() < deadline and not (served > 0 and clients == 0) do
  for kind, id, bytes, channel, mode in server:events(100) do
    if kind == "peer_connected" then
      clients, served = clients + 1, served + 1
      print(("peer %d connected"):format(id))
      server:send_bytes("welcome " .. id, id)
    elseif kind == "peer_disconnected" then
      clients = clients - 1
      print(("peer %d left"):format(id))
    elseif kind == "peer_packet" then
      print(("from %d: %s"):format(id, bytes))
      server:send_bytes("echo: " .. bytes, id, mode, channel)
      if #server:get_peers() > 1 then
        server:send_bytes(id .. " says: " .. bytes, -id, mode, channel)
      end
    elseif kind == "unhandled_command" then -- an RPC for the server: not spoken here
      print(("from %d: a SceneMultiplayer command %d this server ignores"):format(id, bytes:byte(1) % 8))
    elseif kind == "bad_packet" then
      print(("from %d: dropped a malformed packet (%s)"):format(id, bytes))
    end
    io.stdout:flush()
  end
end
server:close()
