--- A Lua server that Godot 3 games join with NetworkedMultiplayerENet:
-- it answers every message with an echo, as Godot 3 Variant bytes in Godot
-- 3's framing (godot3.lua), range-coder compressed as the client asks.
--
--    make   # then, from the repository root:
--    LUA_PATH='lua/?.lua;lua/?/init.lua;;' LUA_CPATH='build/lua5.4/?.so;;' \
--      lua5.4 examples/godot/server.lua [address] [port] [seconds]
--    # and in another terminal (any empty directory: Godot writes logs/ there):
--    GODOT_EXAMPLE_PORT=<port> godot3-server --no-window -s /path/to/examples/godot/client.gd
--
-- address defaults to 127.0.0.1, port to 7789 (0: any free port, printed);
-- the server stops after `seconds` (default 60) or when its last client
-- leaves.
local here = (arg and arg[0] or ""):match("^(.*)[/\\]") or "."
package.path = here .. "/?.lua;" .. package.path

local enet = require("enetconnection")
local godot3 = require("godot3")
local C = enet.ENetConnection

local address, port = arg[1] or "127.0.0.1", tonumber(arg[2]) or 7789
local seconds = tonumber(arg[3]) or 60

--- A readable form of a decoded value (tables sorted by key).
local function show(v)
  if type(v) ~= "table" then
    return v == enet.null and "null" or type(v) == "string" and ("%q"):format(v) or tostring(v)
  end
  if v.__godot then
    local parts = {}
    for _, k in ipairs({ "x", "y", "z", "w", "r", "g", "b", "a" }) do
      if v[k] then
        parts[#parts + 1] = tostring(v[k])
      end
    end
    return v.__godot .. "(" .. table.concat(parts, ", ") .. ")"
  end
  local keys = {}
  for k in pairs(v) do
    keys[#keys + 1] = k
  end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  local parts = {}
  for _, k in ipairs(keys) do
    parts[#parts + 1] = (type(k) == "number" and "" or tostring(k) .. "=") .. show(v[k])
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

local conn = C.new()
assert(conn:create_host_bound(address, port, 32, godot3.CHANNELS))
conn:compress(C.COMPRESS_RANGE_CODER) -- both ends must agree: the client sets the same
local server = godot3.server(conn)
print(("godot example server on %s:%d"):format(address, conn:get_local_port()))
io.stdout:flush()

local deadline, clients, served = os.time() + seconds, 0, 0
while os.time() < deadline and not (served > 0 and clients == 0) do
  for kind, id, value, channel in server:events(100) do
    if kind == "peer_connected" then
      clients, served = clients + 1, served + 1
      print(("peer %d connected"):format(id))
      server:put_var(id, { welcome = "hello from Lua", your_id = id })
    elseif kind == "peer_refused" then
      print(("refused a client asking for id %d: %s"):format(id, value))
    elseif kind == "peer_disconnected" then
      clients = clients - 1
      print(("peer %d left"):format(id))
    elseif kind == "packet" then
      print(("from %d on channel %d: %s"):format(id, channel, show(value)))
      server:put_var(id, { echo = value, channel = channel })
    elseif kind == "bad_packet" then
      print(("from %d: undecodable packet (%s)"):format(id, value))
    end
    io.stdout:flush()
  end
end
conn:destroy()
