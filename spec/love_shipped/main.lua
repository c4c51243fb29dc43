-- luacheck: globals love
--- A game as a user ships it: spec/love_spec.lua zips this folder with
-- enetconnection's Lua files and build/luajit/enetconnection/core.so into a
-- .love file and runs it under Xvfb.
--
--    love game.love PORT [--no-loader]
--
-- Requires "enetconnection.love" (unless --no-loader) and then
-- "enetconnection", connects to 127.0.0.1:PORT, sends "hello from a .love"
-- and prints "core PATH" (where the C module was found), then
-- "reply DATA" once the server answers; "error: MESSAGE" when something
-- fails. Exits 0 after the reply, 1 otherwise.

local function play(port, use_loader)
  if use_loader then
    require("enetconnection.love")
  end
  local enet = require("enetconnection")
  io.write("core ", tostring(package.searchpath("enetconnection.core", package.cpath)), "\n")
  local C, P = enet.ENetConnection, enet.ENetPacketPeer
  local host = C.new()
  assert(host:create_host_bound("127.0.0.1", 0, 1, 1))
  local server = assert(host:connect_to_host("127.0.0.1", port, 1))
  local deadline = love.timer.getTime() + 10
  for _ = 1, 2000 do
    for event, _, data in host:events(5) do
      if event == C.EVENT_CONNECT then
        server:send(0, "hello from a .love", P.FLAG_RELIABLE)
      elseif event == C.EVENT_RECEIVE then
        io.write("reply ", data, "\n")
        server:peer_disconnect_now()
        host:destroy()
        return true
      end
    end
    if love.timer.getTime() > deadline then
      break
    end
  end
  return false
end

function love.load(args)
  local port = tonumber(args[1])
  local ok, result = pcall(play, port, args[2] ~= "--no-loader")
  if not ok then
    io.write("error: ", tostring(result), "\n")
  end
  io.flush()
  love.event.quit(ok and result and 0 or 1)
end
