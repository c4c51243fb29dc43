-- A server process for spec/reuse_port_spec.lua: binds 127.0.0.1:PORT with
-- reuse_port (PORT 0: a free port) and prints, one line each, flushed:
--   pid N                  its process id
--   port N                 bound
--   connect ID RPORT       a client connected (ID: its connect data)
--   msg ID TEXT            a message arrived from client ID
--   disconnect ID          client ID left or timed out
--   stray RPORT            a datagram came from RPORT with no session here
--                          (not a connect request): a flow the kernel moved
--                          to this process from another one
--   answered RPORT         this process sent a datagram to such a port
-- Strays are seen with the test build's wire capture (conn:_capture): ENet
-- itself drops them without an event. Runs until killed.
--   lua reuse_port_server.lua PORT TIMEOUT_MIN_MS TIMEOUT_MAX_MS
local enet = require("enetconnection")
local C = enet.ENetConnection

local port, tmin, tmax = tonumber(arg[1]), tonumber(arg[2]), tonumber(arg[3])
local CAPTURE = 100000 -- datagrams between two scans, far more than arrive

local s = C.new()
assert(s:create_host_bound("127.0.0.1", port, 1024, 1, 0, 0, { reuse_port = true }))
assert(s:_capture(CAPTURE))

local function say(...)
  io.write(table.concat({ ... }, " "), "\n")
  io.stdout:flush()
end
local stat = assert(io.open("/proc/self/stat"))
say("pid", stat:read("*n"))
stat:close()
say("port", s:get_local_port())

local ids = {}      -- remote port -> client id, while connected
local sessions = {} -- remote port -> true from its connect request to its disconnect
local strays = {}   -- remote port -> true once reported, until a new session
local closed = {}   -- remote ports whose peer left in this round

-- The ENet header's peer ID: 0xFFF in a connect request (no peer yet).
local function is_connect_request(data)
  local a, b = data:byte(1, 2)
  return a ~= nil and b ~= nil and (a * 256 + b) % 4096 == 4095
end

local function scan()
  local captured = s:_captured()
  assert(#captured < CAPTURE, "capture overflowed")
  assert(s:_capture(CAPTURE)) -- a fresh ring: each datagram is seen once
  for _, d in ipairs(captured) do
    if not d.sent and is_connect_request(d.data) then
      sessions[d.port], strays[d.port] = true, nil
    elseif not sessions[d.port] and not strays[d.port] then
      strays[d.port] = true
      say(d.sent and "answered" or "stray", d.port)
    end
  end
end

while true do
  for t, peer, data in s:events(5) do
    local rport = peer:get_remote_port()
    if t == C.EVENT_CONNECT then
      ids[rport] = data
      peer:set_timeout(32, tmin, tmax)
      say("connect", data, rport)
    elseif t == C.EVENT_RECEIVE then
      say("msg", ids[rport], data)
    elseif t == C.EVENT_DISCONNECT then
      say("disconnect", ids[rport])
      ids[rport], closed[rport] = nil, true
    end
  end
  scan()
  -- closed after the scan: what came before the disconnect was in session
  for rport in pairs(closed) do
    sessions[rport], closed[rport] = nil, nil
  end
end
