-- bench/loop.lua - one process for `make bench-callgrind`: a server host
-- and a client host with NPEERS peers connected to it; the client sends
-- COUNT reliable 64-byte messages in batches of BATCH to one peer at a
-- time (the next peer for the next batch), each batch followed by
-- servicing both hosts until the server has received it: send + service +
-- receive, nothing else.
--   loop.lua COUNT [NPEERS]
local B = require("lib")

local BATCH = 32

-- Services both hosts once (the client without waiting, the server up to
-- 1 ms); returns how many CONNECT and RECEIVE events the server saw.
local function pump(c, s)
  local connects, receives = 0, 0
  for _ in c:events(0) do -- luacheck: ignore
  end
  for t in s:events(1) do
    if t == B.RECEIVE then
      receives = receives + 1
    elseif t == B.CONNECT then
      connects = connects + 1
    end
  end
  return connects, receives
end

local function loop(count, npeers)
  local s = B.server(npeers)
  local c = B.C.new()
  assert(c:create_host_bound(B.BIND, 0, npeers, B.CHANNELS))
  local port = s:get_local_port()
  local peers, connected, idle = {}, 0, 0
  while connected < npeers do
    for i = #peers + 1, math.min(npeers, connected + B.CONNECT_BATCH) do
      peers[i] = assert(c:connect_to_host(B.REMOTE, port, B.CHANNELS))
    end
    local got = pump(c, s)
    connected = connected + got
    idle = got > 0 and 0 or idle + 1
    B.idle(math.floor(idle / 100)) -- 100 waits of 1 ms count as one idle wait
  end
  local pool = B.pool(64)
  local received, i, next_peer = 0, 0, 1
  while i < count do
    local peer = peers[next_peer]
    next_peer = next_peer % npeers + 1
    local k = 0
    while k < BATCH and i < count do
      peer:send(0, pool[i % 256 + 1], B.RELIABLE)
      k, i = k + 1, i + 1
    end
    idle = 0
    while received < i do
      local _, got = pump(c, s)
      received = received + got
      idle = idle + 1
      B.idle(math.floor(idle / 100))
    end
  end
  B.report("received", received)
  c:destroy()
  s:destroy()
end

loop(tonumber(arg[1]), tonumber(arg[2] or 1))
