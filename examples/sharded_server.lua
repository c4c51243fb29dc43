--- N worker processes serving one UDP port, and a coordinator that knows
-- which worker serves which client.
--
--    lua5.4 examples/sharded_server.lua [--workers N] [--port P] [--address A]
--    lua5.4 examples/sharded_server.lua --workers 2 --self-test
--
-- Each worker is an ordinary ENet server bound with `reuse_port`: Linux
-- spreads the clients over the workers by a hash of their address and port,
-- and keeps each client on one worker while the set of workers stays the
-- same (README: "Sharing one port across processes"). A client connects
-- with its id as connect data and sends "to <id> <text>"; the addressee
-- gets "from <id> <text>", whichever worker serves it. Each worker also has
-- an ENet link (127.0.0.1) to this process, the coordinator, which keeps
-- the directory (client id -> worker) and relays messages between workers.
--
-- --self-test connects test clients until every worker serves some, has each
-- message the next one, checks every message arrives, prints a summary and
-- exits 0 (1 on failure). Without it the server runs until interrupted.
local enet = require("enetconnection")
local C, P = enet.ENetConnection, enet.ENetPacketPeer
local R = P.FLAG_RELIABLE

local function option(name, default)
  for i = 1, #arg do
    if arg[i] == "--" .. name then return arg[i + 1] or true end
  end
  return default
end

-- The interpreter running this script (workers run under the same one).
local interpreter = arg[-1]
for i = -2, -10, -1 do interpreter = arg[i] or interpreter end
assert(interpreter, "cannot tell which Lua runs this script (no arg[-1])")

--- A worker: the public host on the shared port, the link to the coordinator.
local function worker(id, link_port, address, port)
  local public = C.new()
  assert(public:create_host_bound(address, port, 4095, 1, 0, 0, { reuse_port = true }))
  local link = C.new()
  assert(link:create_host_bound("127.0.0.1", 0, 1, 1))
  local coordinator = assert(link:connect_to_host("127.0.0.1", link_port, 1, id))
  coordinator:set_timeout(32, 2000, 5000) -- coordinator gone: leave soon
  local clients = {} -- client id -> peer, for the clients this worker serves

  while true do
    for event, peer, data in public:events(5) do
      if event == C.EVENT_CONNECT then
        clients[data], peer.user.id = peer, data
        coordinator:send(0, "join " .. data, R)
      elseif event == C.EVENT_DISCONNECT then
        local cid = peer.user.id
        if cid then
          clients[cid] = nil
          coordinator:send(0, "leave " .. cid, R)
        end
      elseif event == C.EVENT_RECEIVE then
        local from = peer.user.id
        local to, text = data:match("^to (%d+) (.*)$")
        local local_peer = to and clients[tonumber(to)]
        if not from or not to then
          peer:send(0, "error expected: to <id> <text>", R)
        elseif local_peer then -- both here: no hop through the coordinator
          local_peer:send(0, "from " .. from .. " " .. text, R)
        else
          coordinator:send(0, "send " .. from .. " " .. to .. " " .. text, R)
        end
      end
    end
    for event, _, data in link:events(0) do
      if event == C.EVENT_CONNECT then
        coordinator:send(0, "hello " .. public:get_local_port(), R)
      elseif event == C.EVENT_DISCONNECT then
        public:destroy()
        return
      elseif event == C.EVENT_RECEIVE then
        local from, to, text = data:match("^deliver (%d+) (%d+) (.*)$")
        if from and clients[tonumber(to)] then
          clients[tonumber(to)]:send(0, "from " .. from .. " " .. text, R)
        elseif data:match("^nosuch ") then
          local sender, missing = data:match("^nosuch (%d+) (%d+)$")
          local p = clients[tonumber(sender)]
          if p then p:send(0, "error no client " .. missing, R) end
        elseif data == "quit" then
          for _, p in pairs(clients) do p:peer_disconnect_now() end
          coordinator:peer_disconnect_now()
          link:flush()
          public:destroy()
          link:destroy()
          return
        end
      end
    end
  end
end

--- The coordinator: starts the workers, keeps the directory, relays.
local function coordinator(nworkers, address, port, on_tick)
  local link = C.new()
  assert(link:create_host_bound("127.0.0.1", 0, nworkers, 1))
  local started, links = {}, {} -- worker id -> pipe, worker id -> peer
  local directory = {}           -- client id -> worker id
  local function start(id, public_port)
    local command = string.format("'%s' '%s' --worker %d --link %d --address %s --port %d",
      interpreter, arg[0], id, link:get_local_port(), address, public_port)
    started[id] = assert(io.popen(command, "w")) -- the worker's output goes to ours
  end
  start(1, port) -- the first binds the port (0: a free one); the others join it
  local co = {}
  function co.step(timeout)
    for event, peer, data in link:events(timeout) do
      if event == C.EVENT_CONNECT then
        links[data], peer.user.worker = peer, data
      elseif event == C.EVENT_RECEIVE then
        local w = peer.user.worker
        local verb, a, b, text = data:match("^(%a+) ?(%d*) ?(%d*) ?(.*)$")
        if verb == "hello" then
          co.port = co.port or tonumber(a)
          print(("worker %d serves %s:%d"):format(w, address, tonumber(a)))
          if w == 1 then
            for id = 2, nworkers do start(id, co.port) end
          end
        elseif verb == "join" then
          directory[tonumber(a)] = w
        elseif verb == "leave" and directory[tonumber(a)] == w then
          directory[tonumber(a)] = nil
        elseif verb == "send" then
          local target = links[directory[tonumber(b)]]
          if target then
            target:send(0, ("deliver %s %s %s"):format(a, b, text), R)
          else
            peer:send(0, ("nosuch %s %s"):format(a, b), R)
          end
        end
      end
    end
  end
  function co.ready()
    local n = 0
    for _ in pairs(links) do n = n + 1 end
    return co.port ~= nil and n == nworkers
  end
  co.directory = directory
  function co.stop()
    for _, p in pairs(links) do p:send(0, "quit", R) end
    link:flush()
    local deadline = os.time() + 5
    while next(links) and os.time() < deadline do
      for event, peer in link:events(10) do
        if event == C.EVENT_DISCONNECT then
          links[peer.user.worker] = nil
        end
      end
    end
    for _, pipe in pairs(started) do pipe:close() end -- waits for each worker
    link:destroy()
  end
  on_tick(co)
end

--- Runs until interrupted, printing the directory when it changes.
local function serve(co)
  local last = ""
  while true do
    co.step(100)
    local counts = {}
    for _, w in pairs(co.directory) do counts[w] = (counts[w] or 0) + 1 end
    local line = {}
    for w, n in pairs(counts) do line[#line + 1] = ("worker %d: %d"):format(w, n) end
    table.sort(line)
    local text = table.concat(line, ", ")
    if text ~= last then
      print("clients: " .. (text == "" and "none" or text))
      last = text
    end
  end
end

--- Test clients in this process: every worker gets some, each messages the
-- next, everything arrives. Returns true, or false and why.
local function self_test(co, nworkers)
  local budget = os.time() + 20 -- a stuck run ends
  local function pump(done, hosts)
    while not done() do
      if os.time() > budget then return false end
      co.step(1)
      for _, h in ipairs(hosts) do
        for _ in h:events(0) do end
      end
    end
    return true
  end
  if not pump(co.ready, {}) then return false, "workers did not start" end

  local clients, hosts, got = {}, {}, {}
  local function connected(c) return c.peer:get_state() == P.STATE_CONNECTED and co.directory[c.id] end
  local function spread()
    local workers, n = {}, 0
    for _, c in ipairs(clients) do
      local w = co.directory[c.id]
      if w and not workers[w] then workers[w], n = true, n + 1 end
    end
    return n
  end
  while #clients < 8 or spread() < nworkers do
    if #clients >= 100 then return false, "100 clients and a worker served none" end
    local c = { id = #clients + 1, host = C.new() }
    assert(c.host:create_host_bound("127.0.0.1", 0, 1, 1))
    c.peer = assert(c.host:connect_to_host("127.0.0.1", co.port, 1, c.id))
    clients[#clients + 1], hosts[#hosts + 1] = c, c.host
    if not pump(function() return connected(c) end, hosts) then return false, "client did not connect" end
  end
  for _, c in ipairs(clients) do
    got[c.id] = {}
    c.peer:send(0, ("to %d hello %d"):format(c.id % #clients + 1, c.id), R)
  end
  clients[1].peer:send(0, "to 0 anyone there?", R) -- no client 0: the directory says so
  local arrived = 0
  local ok = pump(function()
    for _, c in ipairs(clients) do
      for event, _, data in c.host:events(0) do
        if event == C.EVENT_RECEIVE then
          got[c.id][data] = true
          arrived = arrived + 1
        end
      end
    end
    return arrived >= #clients + 1
  end, {})
  local across = 0
  for _, c in ipairs(clients) do
    local from = (c.id - 2) % #clients + 1
    if not got[c.id][("from %d hello %d"):format(from, from)] then
      return false, ("client %d did not get the message of client %d"):format(c.id, from)
    end
    if co.directory[from] ~= co.directory[c.id] then across = across + 1 end
  end
  if not got[1]["error no client 0"] then return false, "no error for a message to nobody" end
  if not ok then return false, "messages missing" end
  local per = {}
  for w = 1, nworkers do per[w] = 0 end
  for _, c in ipairs(clients) do per[co.directory[c.id]] = per[co.directory[c.id]] + 1 end
  print(("self-test ok: %d clients on %d workers (%s), %d messages delivered, %d across workers"):format(
    #clients, nworkers, table.concat(per, ", "), #clients, across))
  for _, c in ipairs(clients) do
    c.peer:peer_disconnect_now()
    c.host:flush()
    c.host:destroy()
  end
  return true
end

if option("worker") then
  worker(tonumber(option("worker")), tonumber(option("link")), option("address"), tonumber(option("port")))
else
  local nworkers = tonumber(option("workers", 2))
  local address = option("address", "127.0.0.1")
  local port = tonumber(option("port", 0))
  coordinator(nworkers, address, port, function(co)
    if option("self-test") then
      local ok, why = self_test(co, nworkers)
      co.stop()
      if not ok then
        io.stderr:write("self-test failed: ", why, "\n")
        os.exit(1)
      end
    else
      serve(co)
    end
  end)
end
