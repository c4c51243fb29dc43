-- bench/lib.lua - what the Lua benchmark programs share: hosts on
-- 127.0.0.1 (the server binds port 0 and prints "port N"), the message
-- pool, the event-drain pattern and result lines. bench/baseline.c does
-- the same things in the same order with libenet directly.
-- BENCH_FAMILY picks the sockets and the path (README, "IPv6"):
--   ipv4 (default)  hosts bound to 127.0.0.1: IPv4 sockets, as ENet's
--   dual            hosts bound to "*" (dual stack), talking IPv4 to 127.0.0.1
--   ipv6            hosts bound to ::1, talking IPv6 (tokens in libenet)
local enet = require("enetconnection")
local system = require("system")

local B = {}

B.C = enet.ENetConnection
B.P = enet.ENetPacketPeer
B.RECEIVE = B.C.EVENT_RECEIVE
B.CONNECT = B.C.EVENT_CONNECT
B.DISCONNECT = B.C.EVENT_DISCONNECT
B.RELIABLE = B.P.FLAG_RELIABLE
B.now = system.monotime
B.cpu = os.clock
B.sleep = system.sleep

local FAMILIES = {
  ipv4 = { bind = "127.0.0.1", remote = "127.0.0.1" },
  dual = { bind = "*", remote = "127.0.0.1" },
  ipv6 = { bind = "::1", remote = "::1" },
}
local family = assert(FAMILIES[os.getenv("BENCH_FAMILY") or "ipv4"], "BENCH_FAMILY: ipv4, dual or ipv6")
--- Where hosts bind, and the address clients connect to.
B.BIND, B.REMOTE = family.bind, family.remote

--- Channel 0 carries data, channel 1 control messages (marks, credits).
B.CHANNELS = 2
--- Idle waits of WAIT_MS each before a program gives up (about 20 s).
B.WAIT_MS = 100
B.MAX_IDLE_WAITS = 200

--- Raises when a wait loop has been idle too long.
function B.idle(count)
  if count > B.MAX_IDLE_WAITS then
    error("benchmark stalled: no event for " .. (B.MAX_IDLE_WAITS * B.WAIT_MS) .. " ms", 0)
  end
end

--- The 256 messages of `size` bytes the senders cycle through: message j
-- starts with byte j, then letters (j + i) % 26. Same bytes as baseline.c.
function B.pool(size)
  local pool = {}
  for j = 0, 255 do
    local t = { string.char(j) }
    for i = 1, size - 1 do
      t[#t + 1] = string.char(97 + (j + i) % 26)
    end
    pool[j + 1] = table.concat(t):sub(1, size)
  end
  return pool
end

--- The sending side of fanin.lua and scaleout.lua (baseline.c: the fan-in
-- client): `peers` send `count` messages of `size` bytes each, in rounds. A
-- round is GROUP peers (up to 25, dividing #peers) sending 10 messages each
-- on channel 0, then a mark on channel 1 from the round's first peer, which
-- the server answers with a credit; at most 1000 messages' worth of rounds
-- go unanswered. Returns `rounds` with `rounds.total`, `rounds.sent` and
-- `rounds.send(credits)`, which sends the next round if the credits allow
-- and returns whether it did.
function B.rounds(peers, count, size)
  local batch, in_flight = 10, 1000
  local npeers, pool = #peers, B.pool(size)
  local group = math.min(npeers, 25)
  while npeers % group ~= 0 do
    group = group - 1
  end
  local ahead = math.max(1, math.ceil(in_flight / (group * batch)))
  local rounds = { total = npeers * math.ceil(count / batch) / group, sent = 0 }
  local next_peer = 1
  function rounds.send(credits)
    if rounds.sent >= rounds.total or rounds.sent - credits >= ahead then
      return false
    end
    local first = peers[next_peer]
    for _ = 1, group do
      local peer = peers[next_peer]
      for i = 1, batch do
        peer:send(0, pool[(next_peer + i) % 256 + 1], B.RELIABLE)
      end
      next_peer = next_peer % npeers + 1
    end
    first:send(1, "m", B.RELIABLE)
    rounds.sent = rounds.sent + 1
    return true
  end
  return rounds
end

--- A server host on B.BIND, port 0; prints "port N" for bench/run.
function B.server(max_peers)
  local s = B.C.new()
  assert(s:create_host_bound(B.BIND, 0, max_peers, B.CHANNELS))
  io.write("port ", s:get_local_port(), "\n")
  io.stdout:flush()
  return s
end

--- A client host with `n` peers connected to the server at `port`,
-- connecting CONNECT_BATCH at a time (a burst of thousands of handshakes
-- would overflow the server's socket buffer). Returns the host, the array
-- of peers and how many control messages (channel 1) arrived meanwhile.
B.CONNECT_BATCH = 50

function B.client(port, n)
  local c = B.C.new()
  assert(c:create_host_bound(B.BIND, 0, n, B.CHANNELS))
  local peers = {}
  local connected, early, idle = 0, 0, 0
  while connected < n do
    for i = #peers + 1, math.min(n, connected + B.CONNECT_BATCH) do
      peers[i] = assert(c:connect_to_host(B.REMOTE, port, B.CHANNELS))
    end
    local any = false
    for t, _, _, channel in c:events(B.WAIT_MS) do
      any = true
      if t == B.CONNECT then
        connected = connected + 1
      elseif t == B.RECEIVE and channel == 1 then
        early = early + 1
      elseif t == B.DISCONNECT then
        error("connection refused", 0)
      end
    end
    idle = any and 0 or idle + 1
    B.idle(idle)
  end
  return c, peers, early
end

--- Services `host` until n peers have disconnected, or `idle_limit` waits in
-- a row brought no event; then destroys it (baseline.c: await_disconnects).
function B.await_disconnects(host, n, idle_limit)
  local gone, idle = 0, 0
  while gone < n and idle < idle_limit do
    local any = false
    for t in host:events(B.WAIT_MS) do
      any = true
      if t == B.DISCONNECT then
        gone = gone + 1
      end
    end
    idle = any and 0 or idle + 1
  end
  host:destroy()
end

--- Disconnects every peer and services until all are gone (bounded).
function B.close(host, peers)
  for i = 1, #peers do
    peers[i]:peer_disconnect()
  end
  B.await_disconnects(host, #peers, 10)
end

--- Prints one result line "key value".
function B.report(key, value)
  io.write(key, " ", string.format("%.6g", value), "\n")
  io.stdout:flush()
end

return B
