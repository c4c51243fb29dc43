--- make demo: a local server and several bot clients, over DTLS with a
-- self-signed certificate made at start and with compression, exchanging
-- game-like messages for a few seconds; prints live messages/s and
-- round-trip times, then a summary.
--
--    DEMO_SECONDS=5 DEMO_BOTS=8 lua5.4 examples/demo.lua
local enet = require("enetconnection")
local system = require("system")
local C, P = enet.ENetConnection, enet.ENetPacketPeer

local SECONDS = tonumber(os.getenv("DEMO_SECONDS")) or 5
local BOTS = tonumber(os.getenv("DEMO_BOTS")) or 8
local WINDOW = 16 -- messages each bot keeps in flight
local now = system.monotime

local function pick_compression(conns)
  -- the strongest mode this build has, the same on every host
  for _, mode in ipairs({ C.COMPRESS_ZSTD, C.COMPRESS_RANGE_CODER }) do
    if pcall(conns[1].compress, conns[1], mode) then
      for i = 2, #conns do conns[i]:compress(mode) end
      return C.CompressionMode[mode]
    end
  end
  return "COMPRESS_NONE"
end

io.write("making a 2048-bit RSA key and a self-signed certificate... ")
io.stdout:flush()
local t0 = now()
local key = assert(enet.Crypto.generate_rsa(2048))
local cert = assert(enet.Crypto.generate_self_signed_certificate(key, "CN=localhost,O=enetconnection demo"))
print(("%.2f s"):format(now() - t0))

local server = C.new()
assert(server:create_host_bound("127.0.0.1", 0, BOTS, 2))
assert(server:dtls_server_setup(enet.TLSOptions.server(key, cert)))
local port = server:get_local_port()

local bots, hosts = {}, { server }
for i = 1, BOTS do
  local host = C.new()
  assert(host:create_host_bound("127.0.0.1", 0, 1, 2))
  assert(host:dtls_client_setup("localhost", enet.TLSOptions.client(cert)))
  bots[i] = { host = host, peer = assert(host:connect_to_host("127.0.0.1", port, 2, i)),
              next_seq = 1, in_flight = {}, sent = 0 }
  hosts[#hosts + 1] = host
end
local compression = pick_compression(hosts)
print(("server on 127.0.0.1:%d, %d bots, DTLS 1.2, %s, %d s"):format(port, BOTS, compression, SECONDS))

-- A game-state-like message: readable, compressible, ~120 bytes.
local function message(bot, seq)
  return ("bot=%d seq=%d pos=%.2f,%.2f vel=%.2f,%.2f state=running anim=walk hp=100 ammo=30 team=blue")
    :format(bot, seq, seq * 0.5, bot * 1.5, 0.25, -0.75)
end

local rtts, total_rtts, echoes, total_echoes = {}, {}, 0, 0
local function record(rtt)
  rtts[#rtts + 1] = rtt
  total_rtts[#total_rtts + 1] = rtt
  echoes = echoes + 1
  total_echoes = total_echoes + 1
end

local function mean(list)
  local sum = 0
  for _, v in ipairs(list) do sum = sum + v end
  return #list > 0 and sum / #list or 0
end

local function percentile(list, p)
  if #list == 0 then return 0 end
  table.sort(list)
  return list[math.max(1, math.ceil(#list * p))]
end

local function fill_window(i, bot)
  while bot.peer:get_state() == P.STATE_CONNECTED and bot.next_seq - bot.sent <= WINDOW do
    local seq = bot.next_seq
    bot.in_flight[seq] = now()
    bot.peer:send(1, message(i, seq), P.FLAG_RELIABLE)
    bot.next_seq = seq + 1
  end
end

local connected, start = 0, now()
local last_report, stop_at = start, start + SECONDS + 10 -- +10 s to connect at most
local running_since
local wire_before = 0
while now() < stop_at do
  for event, peer, data, channel in server:events(1) do
    if event == C.EVENT_RECEIVE then
      peer:send(channel, data, P.FLAG_RELIABLE) -- echo
    end
  end
  for i, bot in ipairs(bots) do
    for event, _, data in bot.host:events(0) do
      if event == C.EVENT_CONNECT then
        connected = connected + 1
        if connected == BOTS then
          running_since = now()
          stop_at = running_since + SECONDS
          last_report = running_since
          wire_before = server:get_socket_counters().bytes_received
          print(("all %d bots connected over DTLS in %.0f ms"):format(BOTS, (running_since - start) * 1000))
        end
      elseif event == C.EVENT_RECEIVE then
        local seq = tonumber(data:match("seq=(%d+)"))
        local sent_at = seq and bot.in_flight[seq]
        if sent_at then
          bot.in_flight[seq] = nil
          bot.sent = bot.sent + 1
          record(now() - sent_at)
        end
      end
    end
    if running_since then fill_window(i, bot) end
  end
  local t = now()
  if running_since and t - last_report >= 1 then
    local wire = server:get_socket_counters().bytes_received
    print(("%4.1f s  %7.0f msg/s  rtt avg %.2f ms  p99 %.2f ms  wire in %.1f KB/s"):format(
      t - running_since, echoes / (t - last_report), mean(rtts) * 1000, percentile(rtts, 0.99) * 1000,
      (wire - wire_before) / 1024 / (t - last_report)))
    io.stdout:flush()
    rtts, echoes, last_report, wire_before = {}, 0, t, wire
  end
end

local elapsed = running_since and (now() - running_since) or 0
for _, bot in ipairs(bots) do bot.host:destroy() end
server:destroy()
if not running_since then
  print(("only %d of %d bots connected: demo failed"):format(connected, BOTS))
  os.exit(1)
end
print(("total: %d messages echoed in %.1f s = %.0f msg/s, rtt median %.2f ms, p99 %.2f ms"):format(
  total_echoes, elapsed, total_echoes / elapsed, percentile(total_rtts, 0.5) * 1000,
  percentile(total_rtts, 0.99) * 1000))
os.exit(total_echoes > 0 and 0 or 1)
