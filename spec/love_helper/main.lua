-- luacheck: globals love
--- A windowless LÖVE program for spec/love_spec.lua, three modes:
--
--    love spec/love_helper png FILE.png ...
--      reads each PNG with LÖVE's own decoder and prints "file PATH W H",
--      then "colour R G B COUNT X0 Y0 X1 Y1" for every colour covering at
--      least 64 pixels (its count and bounding box);
--    love spec/love_helper lua-enet PORT
--      LÖVE's built-in lua-enet connects to 127.0.0.1:PORT with the range
--      coder and 2 channels, sends "hello from lua-enet" reliably on
--      channel 1 and prints "reply <data> <channel>";
--    love spec/love_helper dtls
--      enetconnection (from LUA_PATH / LUA_CPATH) connects two hosts over
--      DTLS inside LÖVE and prints "dtls connected" and whether the socket
--      layer is live;
--    love spec/love_helper ipv6
--      enetconnection (from LUA_PATH / LUA_CPATH) serves on "*" (dual
--      stack) inside LÖVE: an enetconnection client connects over ::1 and
--      LÖVE's own lua-enet over 127.0.0.1, in the same process; prints
--      "ipv6 <remote address>" and "lua-enet <remote address>".
-- Exits 0 when it did its job, 1 otherwise.

local function png(files)
  for _, path in ipairs(files) do
    local f = assert(io.open(path, "rb"))
    local bytes = f:read("*a")
    f:close()
    local image = love.image.newImageData(love.filesystem.newFileData(bytes, "shot.png"))
    local w, h = image:getDimensions()
    io.write(("file %s %d %d\n"):format(path, w, h))
    local seen = {}
    for y = 0, h - 1 do
      for x = 0, w - 1 do
        local r, g, b = image:getPixel(x, y)
        r, g, b = math.floor(r * 255 + 0.5), math.floor(g * 255 + 0.5), math.floor(b * 255 + 0.5)
        local key = r * 65536 + g * 256 + b
        local s = seen[key]
        if not s then
          s = { r, g, b, 0, x, y, x, y }
          seen[key] = s
        end
        s[4] = s[4] + 1
        s[5], s[6] = math.min(s[5], x), math.min(s[6], y)
        s[7], s[8] = math.max(s[7], x), math.max(s[8], y)
      end
    end
    for _, s in pairs(seen) do
      if s[4] >= 64 then
        io.write(("colour %d %d %d %d %d %d %d %d\n"):format(unpack(s)))
      end
    end
  end
  return true
end

local function lua_enet(port)
  local enet = require("enet")
  local host = enet.host_create(nil, 1, 2)
  host:compress_with_range_coder()
  local server = host:connect("127.0.0.1:" .. port, 2)
  local deadline = love.timer.getTime() + 10
  for _ = 1, 2000 do
    local e = host:service(5)
    while e do
      if e.type == "connect" then
        e.peer:send("hello from lua-enet", 1, "reliable")
      elseif e.type == "receive" then
        io.write(("reply %s %d\n"):format(e.data, e.channel))
        server:disconnect()
        host:flush()
        return true
      end
      e = host:service()
    end
    if love.timer.getTime() > deadline then
      break
    end
  end
  return false
end

local function dtls()
  local enet = require("enetconnection")
  local C, P = enet.ENetConnection, enet.ENetPacketPeer
  io.write("socket_layer_active ", tostring(enet.socket_layer_active()), "\n")
  local server, client = C.new(), C.new()
  assert(server:create_host_bound("127.0.0.1", 0))
  assert(client:create_host_bound("127.0.0.1", 0, 1))
  local key = assert(enet.Crypto.generate_rsa(2048))
  local cert = assert(enet.Crypto.generate_self_signed_certificate(key, "CN=love.test"))
  assert(server:dtls_server_setup(enet.TLSOptions.server(key, cert)))
  assert(client:dtls_client_setup("love.test", enet.TLSOptions.client(cert)))
  local peer = assert(client:connect_to_host("127.0.0.1", server:get_local_port()))
  local deadline = love.timer.getTime() + 10
  for _ = 1, 2000 do
    server:service(2)
    client:service(2)
    if peer:get_state() == P.STATE_CONNECTED or love.timer.getTime() > deadline then
      break
    end
  end
  local connected = peer:get_state() == P.STATE_CONNECTED
  io.write(connected and "dtls connected\n" or "dtls not connected\n")
  client:destroy()
  server:destroy()
  return connected
end

local function ipv6()
  local enet = require("enetconnection")
  local love_enet = require("enet")
  local C = enet.ENetConnection
  local server, client = C.new(), C.new()
  assert(server:create_host_bound("*", 0))
  assert(client:create_host_bound("::1", 0, 1))
  local port = server:get_local_port()
  assert(client:connect_to_host("::1", port))
  local host = love_enet.host_create(nil, 1, 2)
  host:connect("127.0.0.1:" .. port, 2)
  local seen = {}
  local deadline = love.timer.getTime() + 10
  for _ = 1, 2000 do
    local t, peer = server:service(2)
    if t == C.EVENT_CONNECT then
      seen[#seen + 1] = peer:get_remote_address()
    end
    client:service(0)
    host:service(0)
    if #seen == 2 or love.timer.getTime() > deadline then
      break
    end
  end
  table.sort(seen)
  io.write("connected from ", table.concat(seen, " and "), "\n")
  client:destroy()
  server:destroy()
  return #seen == 2
end

function love.load(args)
  local mode = table.remove(args, 1)
  local ok, result = pcall(function()
    if mode == "png" then
      return png(args)
    elseif mode == "lua-enet" then
      return lua_enet(assert(tonumber(args[1]), "port expected"))
    elseif mode == "dtls" then
      return dtls()
    elseif mode == "ipv6" then
      return ipv6()
    end
    error("unknown mode " .. tostring(mode))
  end)
  if not ok then
    io.write("error: ", tostring(result), "\n")
  end
  io.flush()
  love.event.quit(ok and result and 0 or 1)
end
