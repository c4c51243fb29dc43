-- bench/pingpong.lua - latency: one client sends a reliable message, the
-- server echoes it, the client waits for the echo before the next one.
--   pingpong.lua server
--   pingpong.lua client PORT COUNT SIZE     prints "rtt_us X"
local B = require("lib")

local function server()
  local s = B.server(1)
  local done, idle = false, 0
  while not done do
    local any = false
    for t, peer, data in s:events(B.WAIT_MS) do
      any = true
      if t == B.RECEIVE then
        peer:send(0, data, B.RELIABLE)
      elseif t == B.DISCONNECT then
        done = true
      end
    end
    idle = any and 0 or idle + 1
    B.idle(idle)
  end
  s:destroy()
end

local function client(port, count, size)
  local c, peers = B.client(port, 1)
  local peer = peers[1]
  local pool = B.pool(size)
  local t0 = B.now()
  for i = 1, count do
    peer:send(0, pool[i % 256 + 1], B.RELIABLE)
    local got, idle = false, 0
    repeat
      for t in c:events(B.WAIT_MS) do
        if t == B.RECEIVE then
          got = true
        end
      end
      idle = idle + 1
      B.idle(idle)
    until got
  end
  B.report("rtt_us", (B.now() - t0) / count * 1e6)
  B.close(c, peers)
end

if arg[1] == "server" then
  server()
else
  client(tonumber(arg[2]), tonumber(arg[3]), tonumber(arg[4]))
end
