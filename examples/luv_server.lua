--- A host in a luv (libuv) event loop beside a second I/O source: an ENet
-- echo server and a TCP line server, both on 127.0.0.1, in one uv.run().
--
--    lua5.4 examples/luv_server.lua [enet_port] [tcp_port] [seconds]
--
-- Each ENet packet comes back as "echo: <packet>". Each line a TCP client
-- sends (try `nc 127.0.0.1 <tcp_port>`) goes to every ENet peer as
-- "tcp: <line>" and is answered "sent to <n> peers"; the line "quit" stops
-- the server. Ports default to 0 (the system picks; both are printed);
-- with `seconds` the server stops after that long. Needs lua-luv (Debian
-- packages it for Lua 5.1 to 5.4; LuaJIT loads the 5.1 one).
--
-- The pattern (docs/design.md, "Event loops"): watch get_socket_fd() for
-- readability only; on each wakeup drain every event with events(0) (ENet
-- may hold datagrams it has already read, so one event per wakeup would
-- leave some waiting); and service from a timer every 20 ms as well, for
-- ENet's resends, pings and timeouts, which need no datagram to arrive.
local uv = require("luv")
local enet = require("enetconnection")
local C, P = enet.ENetConnection, enet.ENetPacketPeer

local enet_port, tcp_port = tonumber(arg[1]) or 0, tonumber(arg[2]) or 0
local seconds = tonumber(arg[3])

local host = C.new()
assert(host:create_host_bound("127.0.0.1", enet_port, 32, 1))
local peers = 0

-- Every event ENet has now, read from the socket or already held.
local function drain()
  for event, peer, data in host:events(0) do
    if event == C.EVENT_CONNECT then
      peers = peers + 1
    elseif event == C.EVENT_DISCONNECT then
      peers = peers - 1
    elseif event == C.EVENT_RECEIVE then
      peer:send(0, "echo: " .. data, P.FLAG_RELIABLE)
    end
  end
end

local readable = uv.new_poll(assert(host:get_socket_fd()))
readable:start("r", function(err)
  assert(not err, err)
  drain()
end)
local tick = uv.new_timer()
tick:start(20, 20, drain)

local tcp = uv.new_tcp()
local clients = {}

local function stop()
  -- stop watching the descriptor before destroy() closes it
  readable:close()
  tick:close()
  for client in pairs(clients) do
    client:close()
  end
  tcp:close()
  uv.stop()
end

-- The second source: lines from TCP clients, broadcast to the peers.
local function serve_line(client, line)
  if line == "quit" then
    client:write("bye\n", stop)
    return
  end
  assert(host:broadcast(0, "tcp: " .. line, P.FLAG_RELIABLE))
  host:flush() -- out now rather than at the next tick
  client:write(("sent to %d peers\n"):format(peers))
end

assert(tcp:bind("127.0.0.1", tcp_port))
assert(tcp:listen(8, function(err)
  assert(not err, err)
  local client = uv.new_tcp()
  tcp:accept(client)
  clients[client] = true
  local pending = ""
  client:read_start(function(read_err, chunk)
    if read_err or not chunk then
      clients[client] = nil
      client:close()
      return
    end
    pending = pending .. chunk
    for line in pending:gmatch("([^\n]*)\n") do
      serve_line(client, (line:gsub("\r$", "")))
    end
    pending = pending:match("[^\n]*$")
  end)
end))

if seconds then
  local limit = uv.new_timer()
  limit:start(seconds * 1000, 0, function()
    limit:close()
    stop()
  end)
end

print(("luv server: enet 127.0.0.1:%d, tcp 127.0.0.1:%d"):format(host:get_local_port(),
  tcp:getsockname().port))
io.stdout:flush()
uv.run()
host:destroy()
print("luv server: stopped")
