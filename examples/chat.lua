--- A two-terminal chat.
--
--    terminal 1:  lua5.4 examples/chat.lua host [port]
--    terminal 2:  lua5.4 examples/chat.lua join <address> [port] [name]
--
-- The host relays every line to everyone (itself included); type lines and
-- press Enter, "/quit" to leave. Needs LuaSocket (Debian's lua-socket) only
-- to wait on the keyboard and the network at the same time.
local enet = require("enetconnection")
local socket = require("socket")
local C, P = enet.ENetConnection, enet.ENetPacketPeer

local mode = arg[1]
if mode ~= "host" and mode ~= "join" then
  io.stderr:write("usage: chat.lua host [port] | chat.lua join <address> [port] [name]\n")
  os.exit(2)
end

-- socket.select accepts any object with getfd: here, standard input.
local stdin = { getfd = function() return 0 end, dirty = function() return false end }

local function read_line_if_ready()
  local ready = socket.select({ stdin }, nil, 0)
  if ready[1] then
    return io.read("*l") or "/quit"
  end
end

local conn = C.new()
local name, server_peer
if mode == "host" then
  local port = tonumber(arg[2]) or 7778
  assert(conn:create_host_bound("*", port, 16, 1))
  name = "host"
  print(("hosting on port %d; others join with: chat.lua join <your address> %d <name>"):format(
    conn:get_local_port(), conn:get_local_port()))
else
  local address, port = assert(arg[2], "address needed"), tonumber(arg[3]) or 7778
  name = arg[4] or ("guest" .. math.random(100, 999))
  assert(conn:create_host(1, 1))
  server_peer = assert(conn:connect_to_host(address, port, 1))
  print("connecting to " .. address .. ":" .. port .. " ...")
end

local function say(text)
  if mode == "host" then
    conn:broadcast(0, text, P.FLAG_RELIABLE)
    print(text)
  elseif server_peer:get_state() == P.STATE_CONNECTED then
    server_peer:send(0, text, P.FLAG_RELIABLE)
  else
    print("(not connected yet)")
  end
end

local running = true
while running do
  for event, peer, data in conn:events(50) do
    if event == C.EVENT_CONNECT then
      print(mode == "host" and ("* someone joined from " .. peer:get_remote_address()) or "* connected")
    elseif event == C.EVENT_RECEIVE then
      if mode == "host" then
        say(data) -- relay to everyone
      else
        print(data)
      end
    elseif event == C.EVENT_DISCONNECT then
      if mode == "host" then
        print("* someone from " .. peer:get_remote_address() .. " left")
      else
        print("* disconnected from the host")
        running = false
      end
    end
  end
  local line = running and read_line_if_ready()
  if line == "/quit" then
    running = false
  elseif line and line ~= "" then
    say(name .. ": " .. line)
  end
end

if server_peer then
  server_peer:peer_disconnect()
  for _ = 1, 10 do conn:service(20) end
end
conn:destroy()
