--- A host in a copas event loop beside a second I/O source: the same ENet
-- echo server and TCP line server as examples/luv_server.lua, on 127.0.0.1.
--
--    lua5.1 examples/copas_server.lua [enet_port] [tcp_port] [seconds]
--
-- Each ENet packet comes back as "echo: <packet>"; each line a TCP client
-- sends goes to every ENet peer as "tcp: <line>" and is answered "sent to
-- <n> peers"; "quit" stops the server. Ports default to 0 (printed).
-- Needs lua-copas (Debian packages copas 1.x for Lua 5.1, 5.2 and LuaJIT).
--
-- copas waits with LuaSocket's select, which takes any object with a
-- getfd() method: the host joins the select through a small object whose
-- receive() drains ENet's events and then answers "timeout", so that
-- copas.receive waits for the descriptor to be readable again. copas 1.x
-- has no timers: the loop calls copas.step with a 20 ms bound and
-- services the host after each step, for ENet's resends, pings and
-- timeouts (docs/design.md, "Event loops").
local copas = require("copas")
local socket = require("socket")
local enet = require("enetconnection")
local C, P = enet.ENetConnection, enet.ENetPacketPeer

local enet_port, tcp_port = tonumber(arg[1]) or 0, tonumber(arg[2]) or 0
local seconds = tonumber(arg[3])

local host = C.new()
assert(host:create_host_bound("127.0.0.1", enet_port, 32, 1))
local peers = 0
local running = true

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

-- The host as copas sees a socket: select reads getfd(); copas.receive
-- calls receive() at each wakeup and waits again on "timeout".
local fd = assert(host:get_socket_fd())
local host_source = {
  getfd = function() return fd end,
  dirty = function() return false end,
  settimeout = function() end,
  receive = function()
    drain()
    if running then
      return nil, "timeout"
    end
    return nil, "closed"
  end,
  close = function() end,
}
copas.addthread(function()
  copas.receive(host_source)
end)

-- The second source: lines from TCP clients, broadcast to the peers.
local tcp = assert(socket.bind("127.0.0.1", tcp_port))
copas.addserver(tcp, function(raw)
  local client = copas.wrap(raw)
  while running do
    local line = client:receive("*l")
    if not line then
      return
    end
    if line == "quit" then
      client:send("bye\n")
      running = false
      return
    end
    assert(host:broadcast(0, "tcp: " .. line, P.FLAG_RELIABLE))
    host:flush() -- out now rather than at the next step
    client:send(("sent to %d peers\n"):format(peers))
  end
end)

local _, port = tcp:getsockname()
print(("copas server: enet 127.0.0.1:%d, tcp 127.0.0.1:%d"):format(host:get_local_port(), port))
io.stdout:flush()
local deadline = seconds and socket.gettime() + seconds
while running and not (deadline and socket.gettime() > deadline) do
  copas.step(0.02)
  drain()
end
tcp:close()
host:destroy()
print("copas server: stopped")
