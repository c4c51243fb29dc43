--- The LÖVE example's server: a plain Lua script (lua5.4, lua5.3, lua5.1 or
-- luajit) that relays positions. Each client moves its own square and
-- reports where it is; 20 times a second the server sends everyone where
-- everyone is.
--
--    make   # then, from the repository root:
--    LUA_PATH='lua/?.lua;lua/?/init.lua;;' LUA_CPATH='build/lua5.4/?.so;;' \
--      lua5.4 examples/love/server.lua [address] [port] [seconds]
--
-- address defaults to 127.0.0.1 ("*" listens on every address), port to
-- 7788 (0: any free port, printed); with `seconds` the server stops after
-- that long. Needs a wall clock: luasystem or luasocket (Debian: lua-system
-- or lua-socket).
local here = (arg and arg[0] or ""):match("^(.*)[/\\]") or "."
package.path = here .. "/?.lua;" .. package.path

local enet = require("enetconnection")
local protocol = require("protocol")
local C = enet.ENetConnection

local function find_clock()
  local ok, system = pcall(require, "system")
  if ok and type(system) == "table" and system.monotime then
    return system.monotime
  end
  local has_socket, socket = pcall(require, "socket")
  if has_socket and type(socket) == "table" and socket.gettime then
    return socket.gettime
  end
  error("server.lua needs a clock: install luasystem or luasocket (apt-get install lua-system)")
end
local now = find_clock()

local address, port = arg[1] or "127.0.0.1", tonumber(arg[2]) or 7788
local seconds = tonumber(arg[3])

local server = C.new()
assert(server:create_host_bound(address, port, 32, protocol.CHANNELS))
print(("love example server on %s:%d"):format(address, server:get_local_port()))
io.stdout:flush()

local players = {}   -- peer -> { id, x, y, state }; peers are stable table keys
local next_id = 1

local function snapshot()
  local msg = { "snap" }
  for _, p in pairs(players) do
    msg[#msg + 1] = p.id
    msg[#msg + 1] = p.x
    msg[#msg + 1] = p.y
    msg[#msg + 1] = p.state
  end
  return protocol.encode(msg)
end

local started = now()
local next_tick = started
while not seconds or now() - started < seconds do
  local wait = math.max(0, math.floor((next_tick - now()) * 1000))
  for event, peer, data in server:events(wait) do
    if event == C.EVENT_CONNECT then
      local id = next_id
      next_id = next_id + 1
      local x, y = protocol.spawn(id)
      players[peer] = { id = id, x = x, y = y, state = protocol.PLAYING }
      peer:send(0, protocol.encode({ "welcome", id, x, y }), protocol.RELIABLE)
      print(("player %d joined from %s:%d"):format(id, peer:get_remote_address(), peer:get_remote_port()))
    elseif event == C.EVENT_RECEIVE then
      local p, msg = players[peer], protocol.decode(data)
      if p and msg and msg[1] == "pos" then
        p.x, p.y = protocol.clamp(msg[2], msg[3])
        local state = tonumber(msg[4])
        p.state = (state == protocol.SETTLED or state == protocol.DONE) and state or protocol.PLAYING
      end
    elseif event == C.EVENT_DISCONNECT then
      if players[peer] then
        print(("player %d left"):format(players[peer].id))
        players[peer] = nil
      end
    end
    io.stdout:flush()
  end
  local t = now()
  if t >= next_tick then
    server:broadcast(1, snapshot(), protocol.UNRELIABLE)
    next_tick = next_tick + protocol.TICK
    if next_tick < t then -- fell behind (a long pause): start again from now
      next_tick = t + protocol.TICK
    end
  end
end
server:destroy()
