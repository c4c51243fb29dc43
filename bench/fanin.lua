-- bench/fanin.lua - many peers into one server (fan-in and scale), then
-- an optional broadcast from the server to all of them.
--   fanin.lua server NPEERS TOTAL BROADCASTS PROCS
--       waits for NPEERS connections, broadcasts "go", receives TOTAL
--       messages: prints "msgs_per_s X" and "cpu_us_per_msg X" (server
--       CPU time per received message); then, if BROADCASTS > 0, sends that
--       many 1 KiB reliable broadcasts, at most WINDOW ahead of the acks of
--       the PROCS client processes: prints "deliveries_per_s X".
--   fanin.lua client PORT NPEERS COUNT SIZE
--       NPEERS peers on one host; after "go" each sends COUNT messages of
--       SIZE bytes in rounds (B.rounds in lib.lua: marks answered by
--       credits bound what is in flight). During the broadcast it
--       acks every NPEERS deliveries; it leaves on "bye".
local B = require("lib")

local WINDOW = 2
local BROADCAST_SIZE = 1024

local function server(npeers, total, broadcasts, procs)
  local s = B.server(npeers)
  local connected, idle = 0, 0
  while connected < npeers do
    local any = false
    for t in s:events(B.WAIT_MS) do
      any = true
      if t == B.CONNECT then
        connected = connected + 1
      end
    end
    idle = any and 0 or idle + 1
    B.idle(idle)
  end
  s:broadcast(1, "go", B.RELIABLE)

  local n, t0, c0, last, clast = 0, 0, 0, 0, 0
  idle = 0
  while n < total do
    local before, any = n, false
    for t, peer, _, channel in s:events(B.WAIT_MS) do
      any = true
      if t == B.RECEIVE then
        if channel == 0 then
          n = n + 1
          if n == 1 then
            t0, c0 = B.now(), B.cpu()
          end
        else
          peer:send(1, "c", B.RELIABLE)
        end
      end
    end
    if n ~= before then
      last, clast = B.now(), B.cpu()
    end
    idle = any and 0 or idle + 1
    B.idle(idle)
  end
  B.report("msgs_per_s", n / (last - t0))
  B.report("cpu_us_per_msg", (clast - c0) / n * 1e6)

  if broadcasts > 0 then
    local payload = B.pool(BROADCAST_SIZE)[1]
    local sent, acks = 0, 0
    local b0 = B.now()
    idle = 0
    while acks < broadcasts * procs do
      local wait = B.WAIT_MS
      if sent < broadcasts and acks >= (sent + 1 - WINDOW) * procs then
        s:broadcast(0, payload, B.RELIABLE)
        sent, wait = sent + 1, 0
      end
      local any = false
      for t, _, _, channel in s:events(wait) do
        any = true
        if t == B.RECEIVE and channel == 1 then
          acks = acks + 1
        end
      end
      if wait > 0 then
        idle = any and 0 or idle + 1
        B.idle(idle)
      end
    end
    B.report("deliveries_per_s", broadcasts * npeers / (B.now() - b0))
  end

  s:broadcast(1, "bye", B.RELIABLE)
  B.await_disconnects(s, npeers, 20)
end

local function client(port, npeers, count, size)
  local c, peers, gos = B.client(port, npeers)
  local rounds = B.rounds(peers, count, size)
  local credits, idle = 0, 0
  local deliveries, bye = 0, false
  while not bye do
    local wait = B.WAIT_MS
    if gos > 0 and rounds.send(credits) then
      wait = 0
    end
    local any = false
    for t, _, data, channel in c:events(wait) do
      any = true
      if t == B.RECEIVE then
        if channel == 0 then
          deliveries = deliveries + 1
          if deliveries % npeers == 0 then
            peers[1]:send(1, "a", B.RELIABLE)
          end
        elseif data == "c" then
          credits = credits + 1
        elseif data == "go" then
          gos = gos + 1
        elseif data == "bye" then
          bye = true
        end
      end
    end
    if wait > 0 then
      idle = any and 0 or idle + 1
      B.idle(idle)
    end
  end
  B.close(c, peers)
end

if arg[1] == "server" then
  server(tonumber(arg[2]), tonumber(arg[3]), tonumber(arg[4]), tonumber(arg[5]))
else
  client(tonumber(arg[2]), tonumber(arg[3]), tonumber(arg[4]), tonumber(arg[5]))
end
