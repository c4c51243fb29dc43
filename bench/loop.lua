-- bench/loop.lua - one process for `make bench-callgrind`: a client and a
-- server host; the client sends COUNT reliable 64-byte messages in batches
-- of BATCH, each batch followed by servicing both hosts until the server
-- has received it (send + service + receive, nothing else).
--   loop.lua COUNT
local B = require("lib")

local BATCH = 32

local function loop(count)
  local s = B.server(1)
  local c = B.C.new()
  assert(c:create_host_bound("127.0.0.1", 0, 1, B.CHANNELS))
  local peer = assert(c:connect_to_host("127.0.0.1", s:get_local_port(), B.CHANNELS))
  local connected, idle = 0, 0
  while connected < 2 do
    for t in c:events(1) do
      if t == B.CONNECT then
        connected = connected + 1
      end
    end
    for t in s:events(1) do
      if t == B.CONNECT then
        connected = connected + 1
      end
    end
    idle = idle + 1
    B.idle(math.floor(idle / 100)) -- 100 waits of 1 ms count as one idle wait
  end
  local pool = B.pool(64)
  local received, i = 0, 0
  while i < count do
    local k = 0
    while k < BATCH and i < count do
      peer:send(0, pool[i % 256 + 1], B.RELIABLE)
      k, i = k + 1, i + 1
    end
    idle = 0
    while received < i do
      for _ in c:events(0) do -- luacheck: ignore
      end
      for t in s:events(1) do
        if t == B.RECEIVE then
          received = received + 1
        end
      end
      idle = idle + 1
      B.idle(math.floor(idle / 100))
    end
  end
  B.report("received", received)
  c:destroy()
  s:destroy()
end

loop(tonumber(arg[1]))
