-- bench/scaleout.lua - one or more worker processes on one port
-- (reuse_port), clients spread over them by the kernel; bench/run adds up
-- the workers' reports.
--   scaleout.lua server PORT
--       a worker bound to 127.0.0.1:PORT with reuse_port (PORT 0: a free
--       port; prints "port N"). It greets each peer with "go", counts the
--       data messages, answers marks with credits and each peer's "fin" with
--       "bye". Whenever every peer it has sent "fin" it prints its figures so
--       far, "peers N", "count N", "first T", "last T" (monotonic seconds: comparable
--       across processes) and "cpu S" (its CPU seconds from first to last
--       message); it exits when all its peers have left.
--   scaleout.lua client PORT NHOSTS PEERS COUNT SIZE
--       NHOSTS hosts (sockets) of PEERS peers; each peer sends COUNT
--       messages of SIZE bytes, in rounds (B.rounds in lib.lua: marks and credits
--       bound what is in flight), then "fin" after its data; once every
--       peer has its "bye", the hosts disconnect them all.
local B = require("lib")

local IDLE_SLEEP = 0.0002 -- seconds a client with nothing to do sleeps

local function server(port)
  local s = B.C.new()
  assert(s:create_host_bound("127.0.0.1", port, 4095, B.CHANNELS, 0, 0, { reuse_port = true }))
  io.write("port ", s:get_local_port(), "\n")
  io.stdout:flush()
  local connected, gone, fins, n, idle = 0, 0, 0, 0, 0
  local t0, c0, last, clast = 0, 0, 0, 0
  while connected == 0 or gone < connected do
    local before, any = n, false
    for t, peer, data, channel in s:events(B.WAIT_MS) do
      any = true
      if t == B.CONNECT then
        connected = connected + 1
        peer:send(1, "go", B.RELIABLE)
      elseif t == B.DISCONNECT then
        gone = gone + 1
      elseif channel == 1 then
        peer:send(1, "c", B.RELIABLE)
      elseif data == "fin" then
        fins = fins + 1
        peer:send(1, "bye", B.RELIABLE)
        if fins == connected then
          -- the clock's full resolution: bench/run compares processes
          io.write(string.format("peers %d\ncount %d\nfirst %.6f\nlast %.6f\ncpu %.6f\n",
            connected, n, t0, last, clast - c0))
          io.stdout:flush()
        end
      else
        n = n + 1
        if n == 1 then
          t0, c0 = B.now(), B.cpu()
        end
      end
    end
    if n ~= before then
      last, clast = B.now(), B.cpu()
    end
    idle = any and 0 or idle + 1
    B.idle(idle)
  end
  s:destroy()
end

local function client(port, nhosts, per_host, count, size)
  -- The kernel picks a worker per client socket (address and port), so the
  -- peers are spread over several hosts, each its own socket.
  local hosts, peers = {}, {}
  for h = 1, nhosts do
    local host, hpeers = B.client(port, per_host)
    hosts[h] = host
    for _, p in ipairs(hpeers) do peers[#peers + 1] = p end
  end
  local npeers = #peers
  local rounds = B.rounds(peers, count, size)
  local credits, byes = 0, 0
  local last_event = B.now()
  while byes < npeers do
    local sent = rounds.send(credits)
    if sent and rounds.sent == rounds.total then
      for i = 1, npeers do
        peers[i]:send(0, "fin", B.RELIABLE)
      end
    end
    local any = false
    for h = 1, nhosts do
      for t, _, data in hosts[h]:events(0) do
        any = true
        if t == B.RECEIVE then
          if data == "c" then
            credits = credits + 1
          elseif data == "bye" then
            byes = byes + 1
          end
        end
      end
    end
    if any then
      last_event = B.now()
    elseif not sent then
      B.sleep(IDLE_SLEEP)
      B.idle((B.now() - last_event) * 1000 / B.WAIT_MS)
    end
  end
  for h = 1, nhosts do
    local first = (h - 1) * per_host
    local mine = {}
    for i = 1, per_host do mine[i] = peers[first + i] end
    B.close(hosts[h], mine)
  end
end

if arg[1] == "server" then
  server(tonumber(arg[2]))
else
  client(tonumber(arg[2]), tonumber(arg[3]), tonumber(arg[4]), tonumber(arg[5]), tonumber(arg[6]))
end
