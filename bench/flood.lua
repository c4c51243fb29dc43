-- bench/flood.lua - throughput: one client sends COUNT messages of SIZE
-- bytes with FLAGS on channel 0; the server receives them all. Flow
-- control as a game would do it: after every batch of data the client
-- sends a mark on channel 1, the server answers each mark with a credit,
-- and the client keeps at most MAX_MARKS marks unanswered (so libenet's
-- queues stay short). At the end the client sends "end N".
--   flood.lua server                         prints "msgs_per_s X", "received N"
--   flood.lua client PORT SIZE COUNT FLAGS
local B = require("lib")

local MAX_MARKS = 8
local DRAIN_MS = 5 -- after "end": stop when this long passes with no event

local function server()
  local s = B.server(1)
  local n, t0, last, expected, ender, idle = 0, 0, 0, nil, nil, 0
  while true do
    local before, any = n, false
    for t, peer, data, channel in s:events(expected and DRAIN_MS or B.WAIT_MS) do
      any = true
      if t == B.RECEIVE then
        if channel == 0 then
          n = n + 1
          if n == 1 then
            t0 = B.now()
          end
        elseif data == "m" then
          peer:send(1, "c", B.RELIABLE)
        else
          expected, ender = tonumber(data:match("%d+")), peer
        end
      end
    end
    if n ~= before then
      last = B.now()
    end
    if expected and (n >= expected or not any) then
      break
    end
    idle = any and 0 or idle + 1
    B.idle(idle)
  end
  ender:send(1, "done", B.RELIABLE)
  B.report("msgs_per_s", n / (last - t0))
  B.report("received", n)
  local idle2 = 0
  while ender:is_active() and idle2 < 50 do
    local any = false
    for _ in s:events(B.WAIT_MS) do
      any = true
    end
    idle2 = any and 0 or idle2 + 1
  end
  s:destroy()
end

local function client(port, size, count, flags)
  local c, peers = B.client(port, 1)
  local peer = peers[1]
  local pool = B.pool(size)
  local per_mark = math.max(16, math.floor(16384 / size))
  local sent, marks, credits, idle = 0, 0, 0, 0
  while sent < count do
    local wait = 0
    if marks - credits < MAX_MARKS then
      local k = math.min(per_mark, count - sent)
      for i = sent + 1, sent + k do
        peer:send(0, pool[i % 256 + 1], flags)
      end
      sent = sent + k
      peer:send(1, "m", B.RELIABLE)
      marks = marks + 1
    else
      wait = B.WAIT_MS
    end
    local any = false
    for t, _, _, channel in c:events(wait) do
      any = true
      if t == B.RECEIVE and channel == 1 then
        credits = credits + 1
      end
    end
    if wait > 0 then
      idle = any and 0 or idle + 1
      B.idle(idle)
    end
  end
  peer:send(1, "end " .. sent, B.RELIABLE)
  local done, idle2 = false, 0
  while not done do
    local any = false
    for t, _, data in c:events(B.WAIT_MS) do
      any = true
      if t == B.RECEIVE and data == "done" then
        done = true
      end
    end
    idle2 = any and 0 or idle2 + 1
    B.idle(idle2)
  end
  B.close(c, peers)
end

if arg[1] == "server" then
  server()
else
  client(tonumber(arg[2]), tonumber(arg[3]), tonumber(arg[4]), tonumber(arg[5]))
end
