--- The LÖVE example's client: your square moves with the arrow keys or
-- WASD; everyone else's squares arrive from the server 20 times a second and
-- are drawn 100 ms in the past, interpolated, so they glide instead of jump.
--
--    love examples/love [--connect 127.0.0.1:7788]
--
-- For tests and demos a client can play by itself:
--    love examples/love --bot 1 [--players 2] [--shot FILE] [--report FILE] [--quit-after 15]
-- A bot walks a short path and stops ("settled"); once it sees --players
-- squares, all settled, it saves a screenshot to FILE and a report of what
-- it drew ("done"), and quits when every other bot is done too (or gone).
--
-- Where enetconnection is found (see examples/love/README.md):
-- 1. a copy in this game folder: enetconnection/init.lua, variant.lua and
--    core.so (built for LuaJIT: build/luajit/enetconnection/core.so);
-- 2. LUA_PATH / LUA_CPATH, or a luarocks tree on package.path/cpath
--    (LÖVE's LuaJIT reads both variables when it starts);
-- 3. this repository's own build, two folders up (lua/ and build/luajit/).
local source = love.filesystem.getSource()
package.path = package.path .. ";" .. source .. "/../../lua/?.lua;" .. source .. "/../../lua/?/init.lua"
package.cpath = package.cpath .. ";" .. source .. "/../../build/luajit/?.so"

local enet = require("enetconnection")
local protocol = require("protocol")
local C, P = enet.ENetConnection, enet.ENetPacketPeer

local opts = {}           -- command line
local conn, server_peer   -- our host, and the peer for the server
local status = "connecting"
local me                  -- { id, x, y, colour } once welcomed
local others = {}         -- id -> { colour, samples = { {t, x, y}, ... } }
local snapshot = { count = 0, least = protocol.PLAYING } -- players, and the lowest state
local drawn = {}          -- id -> { colour, x, y } as drawn in the last frame
local send_timer = 0
local bot                 -- { steps, step, elapsed, settled } with --bot
local ready_since, shot_taken, shot_saved
local love_enet = "not checked"
local started

local function parse(args)
  local o = { connect = "127.0.0.1:7788", players = 2 }
  local i = 1
  while i <= #args do
    local name, value = args[i]:match("^%-%-([%w-]+)$"), args[i + 1]
    if name == "connect" or name == "shot" or name == "report" then
      o[name] = value
      i = i + 2
    elseif name == "bot" or name == "players" or name == "quit-after" then
      o[name] = tonumber(value)
      i = i + 2
    else
      i = i + 1 -- LÖVE may pass its own arguments through
    end
  end
  if o.bot and not o["quit-after"] then
    o["quit-after"] = 15
  end
  return o
end

local function rgb(c)
  return c[1] / 255, c[2] / 255, c[3] / 255
end

--- LÖVE ships lua-enet as `require("enet")`; it must keep working beside
-- enetconnection. A loopback host pair exchanges one packet.
local function check_love_enet()
  local lenet = require("enet")
  local a = lenet.host_create("127.0.0.1:0")
  local b = lenet.host_create("127.0.0.1:0")
  if not a or not b then
    return "host_create failed"
  end
  b:connect(a:get_socket_address())
  local result = "no packet arrived"
  local deadline = love.timer.getTime() + 3
  for _ = 1, 2000 do
    local e = b:service(1)
    while e do
      if e.type == "connect" then
        e.peer:send("ping")
      end
      e = b:service()
    end
    e = a:service(1)
    while e do
      if e.type == "receive" and e.data == "ping" then
        result = "ok"
      end
      e = a:service()
    end
    if result == "ok" or love.timer.getTime() > deadline then
      break
    end
  end
  a:destroy()
  b:destroy()
  return result
end

function love.load(args)
  opts = parse(args or {})
  started = love.timer.getTime()
  love.graphics.setBackgroundColor(rgb(protocol.BACKGROUND))
  if opts.bot then
    love_enet = check_love_enet()
    -- Right, then a little down: squares spawn 90 px apart and stay apart.
    bot = { step = 1, elapsed = 0, settled = false,
            steps = { { 1, 0, 0.2 + 0.1 * (opts.bot % 4) }, { 0, 1, 0.15 } } } -- dx, dy, seconds
  end
  local host, port = opts.connect:match("^(.*):(%d+)$")
  conn = C.new()
  -- A client needs no fixed port; one for a loopback server needs only loopback.
  if host == "127.0.0.1" or host == "localhost" then
    assert(conn:create_host_bound("127.0.0.1", 0, 1, protocol.CHANNELS))
  else
    assert(conn:create_host(1, protocol.CHANNELS))
  end
  server_peer = assert(conn:connect_to_host(host, tonumber(port), protocol.CHANNELS))
  server_peer:set_timeout(32, 3000, 5000) -- give up on a silent server within 5 s
end

local function on_message(msg, now)
  if msg[1] == "welcome" then
    me = { id = msg[2], x = msg[3], y = msg[4], colour = protocol.colour(msg[2]) }
    status = "playing"
  elseif msg[1] == "snap" and me then
    local seen, count, least = {}, 0, protocol.DONE
    for i = 2, #msg - 3, 4 do
      local id, x, y = msg[i], msg[i + 1], msg[i + 2]
      count = count + 1
      least = math.min(least, tonumber(msg[i + 3]) or protocol.PLAYING)
      if id ~= me.id then
        local o = others[id]
        if not o then
          o = { colour = protocol.colour(id), samples = {} }
          others[id] = o
        end
        o.samples[#o.samples + 1] = { now, x, y }
        seen[id] = true
      end
    end
    for id in pairs(others) do
      if not seen[id] then
        others[id] = nil -- left
      end
    end
    snapshot.count, snapshot.least = count, least
  end
end

--- Where a remote square is drawn: its samples interpolated at `t`.
local function position_at(o, t)
  local s = o.samples
  while #s > 2 and s[2][1] <= t do
    table.remove(s, 1) -- keep one sample at or before t
  end
  local a, b = s[1], s[2]
  if not b or t <= a[1] then
    return a[2], a[3]
  end
  if t >= b[1] then
    return b[2], b[3]
  end
  local k = (t - a[1]) / (b[1] - a[1])
  return a[2] + (b[2] - a[2]) * k, a[3] + (b[3] - a[3]) * k
end

local function direction()
  if bot then
    local step = bot.steps[bot.step]
    if not step then
      return 0, 0
    end
    return step[1], step[2]
  end
  local k = love.keyboard.isDown
  local dx = (k("right", "d") and 1 or 0) - (k("left", "a") and 1 or 0)
  local dy = (k("down", "s") and 1 or 0) - (k("up", "w") and 1 or 0)
  return dx, dy
end

local function write_report(outcome)
  if not opts.report then
    return
  end
  local counters = conn and conn:get_socket_counters() or {}
  local lines = {
    "outcome=" .. outcome,
    "socket_layer_active=" .. tostring(enet.socket_layer_active()),
    "love_enet=" .. love_enet,
    "datagrams_received=" .. tostring(counters.datagrams_received or 0),
    "id=" .. tostring(me and me.id or 0),
    "players=" .. tostring(snapshot.count),
  }
  for id, d in pairs(drawn) do
    lines[#lines + 1] = ("drawn=%d %d %d %d"):format(id, d.colour, d.x, d.y)
  end
  local f = assert(io.open(opts.report, "w"))
  f:write(table.concat(lines, "\n"), "\n")
  f:close()
end

local function on_screenshot(image)
  local f = assert(io.open(opts.shot, "wb"))
  f:write(image:encode("png"):getString())
  f:close()
  write_report("shot")
  shot_saved = true -- now tell the others, and wait for them to be done too
end

function love.update(dt)
  local now = love.timer.getTime()
  for event, _, data in conn:events(0) do
    if event == C.EVENT_CONNECT then
      status = "waiting for the server"
    elseif event == C.EVENT_DISCONNECT and status == "connecting" then
      -- ENet gave up: nothing answered at that address and port.
      status = "no answer from " .. opts.connect .. ": is server.lua running there?"
    elseif event == C.EVENT_DISCONNECT then
      status, me, others = "the server left", nil, {}
    elseif event == C.EVENT_RECEIVE then
      local msg = protocol.decode(data)
      if msg then
        on_message(msg, now)
      end
    end
  end

  if me then
    local dx, dy = direction()
    me.x, me.y = protocol.clamp(me.x + dx * protocol.SPEED * dt, me.y + dy * protocol.SPEED * dt)
    if bot and not bot.settled then
      bot.elapsed = bot.elapsed + dt
      if bot.elapsed >= bot.steps[bot.step][3] then
        bot.step, bot.elapsed = bot.step + 1, 0
        bot.settled = bot.steps[bot.step] == nil
      end
    end
    send_timer = send_timer + dt
    if send_timer >= protocol.TICK then
      send_timer = send_timer % protocol.TICK
      local state = not (bot and bot.settled) and protocol.PLAYING or shot_saved and protocol.DONE
        or protocol.SETTLED
      server_peer:send(1, protocol.encode({ "pos", me.x, me.y, state }), protocol.UNRELIABLE)
    end
  end

  if bot and opts.shot and not shot_taken then
    -- Everyone stopped and seen; wait until the interpolated squares
    -- have caught up with the last positions, then take the picture.
    if me and bot.settled and snapshot.count >= opts.players and snapshot.least >= protocol.SETTLED then
      ready_since = ready_since or now
      if now - ready_since >= protocol.INTERPOLATION_DELAY + 0.2 then
        shot_taken = true
        love.graphics.captureScreenshot(on_screenshot)
      end
    else
      ready_since = nil
    end
  end
  if shot_saved and snapshot.least == protocol.DONE then
    love.event.quit(0) -- everyone still here has taken their picture
  elseif opts["quit-after"] and now - started > opts["quit-after"] then
    if not shot_saved then
      write_report("timeout (" .. status .. ")")
    end
    love.event.quit(3)
  end
  love.timer.sleep(math.max(0, 1 / 60 - dt)) -- about 60 frames a second, even without vsync
end

local function draw_square(id, colour, x, y, label)
  x, y = math.floor(x + 0.5), math.floor(y + 0.5)
  love.graphics.setColor(rgb(protocol.palette[colour]))
  love.graphics.rectangle("fill", x, y, protocol.SIZE, protocol.SIZE)
  love.graphics.setColor(1, 1, 1)
  love.graphics.print(label, x, y - 15)
  drawn[id] = { colour = colour, x = x, y = y }
end

function love.draw()
  drawn = {}
  local t = love.timer.getTime() - protocol.INTERPOLATION_DELAY
  for id, o in pairs(others) do
    local x, y = position_at(o, t)
    draw_square(id, o.colour, x, y, "P" .. id)
  end
  if me then
    draw_square(me.id, me.colour, me.x, me.y, "P" .. me.id .. " (you)")
  end
  love.graphics.setColor(0.8, 0.8, 0.8)
  local rtt = server_peer:is_active() and server_peer:get_statistic(P.PEER_ROUND_TRIP_TIME) or 0
  love.graphics.printf(status, 6, 4, protocol.WIDTH - 12)
  love.graphics.print(("%d players - rtt %d ms - arrows/WASD"):format(snapshot.count, rtt), 6, protocol.HEIGHT - 18)
end

function love.quit()
  if conn then
    conn:destroy() -- tells the server at once
  end
end
