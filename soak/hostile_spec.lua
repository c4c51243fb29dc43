-- Soak: hostile datagrams at a server with a connected peer. Random bytes,
-- truncated ENet headers, valid headers with garbage commands, and
-- compressed-flag datagrams with garbage payloads, in every compression
-- mode. Nothing may crash, the connected peer's traffic must go on, and
-- memory must stay bounded.
local S = require("soak_helper")
local H = S.H
local C, P = H.C, H.P
local socket = require("socket")

local DATAGRAMS = S.scale(100000, 20000)
local BATCH = 250

local HEADER_SENT_TIME = 0x8000
local HEADER_COMPRESSED = 0x4000
local NO_PEER_ID = 0x0FFF

local function u16(v)
  return string.char(math.floor(v / 256) % 256, v % 256)
end

local function random_bytes(n)
  local t = {}
  for i = 1, n do t[i] = string.char(math.random(0, 255)) end
  return table.concat(t)
end

-- One hostile datagram of a random kind.
local function hostile()
  local kind = math.random(1, 6)
  if kind == 1 then -- noise, including the empty and tiny ones
    return random_bytes(math.random(0, 3) == 0 and math.random(0, 3) or math.random(0, 1400))
  end
  local session = math.random(0, 3) * 0x1000
  local peer_id = math.random(0, 1) == 0 and 0 or NO_PEER_ID
  if kind == 2 then -- a header cut short
    return u16(HEADER_SENT_TIME + session + peer_id):sub(1, math.random(1, 2))
  end
  local header = u16(HEADER_SENT_TIME + session + peer_id) .. u16(math.random(0, 65535))
  if kind == 3 then -- real command numbers with garbage bodies, often truncated
    local commands = {}
    for i = 1, math.random(1, 6) do
      local number = math.random(1, 12) + (math.random(0, 1) * 0x80)
      commands[i] = string.char(number, math.random(0, 255)) .. u16(math.random(0, 65535))
        .. random_bytes(math.random(0, 48))
    end
    return header .. table.concat(commands)
  elseif kind == 4 then -- compressed flag, garbage payload
    return u16(HEADER_COMPRESSED + HEADER_SENT_TIME + session + peer_id) .. u16(0)
      .. random_bytes(math.random(0, 1200))
  elseif kind == 5 then -- a connect-looking datagram with a truncated body
    return u16(HEADER_SENT_TIME + NO_PEER_ID) .. u16(0) .. string.char(0x82, 0xFF) .. u16(1)
      .. random_bytes(math.random(0, 40))
  end
  return header .. random_bytes(math.random(0, 600)) -- garbage after a plausible header
end

local MODES = { C.COMPRESS_NONE, C.COMPRESS_RANGE_CODER, C.COMPRESS_FASTLZ, C.COMPRESS_ZLIB, C.COMPRESS_ZSTD }

describe("hostile datagrams", function()
  it("never crash the server; the connected peer keeps talking; memory stays bounded", function()
    math.randomseed(7)
    local s, c, speer, cpeer = H.pair({ max_peers = 8 })
    local port = s:get_local_port()
    local senders = {}
    for i = 1, 4 do
      senders[i] = assert(socket.udp())
      assert(senders[i]:setsockname("127.0.0.1", 0))
    end

    local echoes = 0
    local function pump_once()
      for _, h in ipairs({ s, c }) do
        for t, peer, data, channel in h:events(0) do
          if h == s and t == C.EVENT_RECEIVE and peer == speer then
            peer:send(channel, data, P.FLAG_RELIABLE)
          elseif h == c and t == C.EVENT_RECEIVE then
            echoes = echoes + 1
          end
        end
      end
    end

    -- warm up, then measure
    for _ = 1, 50 do cpeer:send(0, "warm", P.FLAG_RELIABLE) end
    -- (pump_once services both hosts itself, so pump_until gets no hosts)
    H.pump_until("warm-up echoes", {}, function() pump_once() return echoes >= 50 end)
    collectgarbage("collect")
    local rss_before = H.rss_kib()

    local phases = MODES
    local per_phase = math.ceil(DATAGRAMS / #phases)
    local sent = 0
    for _, mode in ipairs(phases) do
      s:compress(mode)
      c:compress(mode)
      local echoes_before = echoes
      for i = 1, per_phase do
        senders[i % 4 + 1]:sendto(hostile(), "127.0.0.1", port)
        sent = sent + 1
        if i % BATCH == 0 then
          cpeer:send(0, "still here", P.FLAG_RELIABLE)
          pump_once()
        end
      end
      H.pump_until("echoes after the flood in " .. C.CompressionMode[mode], {}, function()
        pump_once()
        return echoes >= echoes_before + math.floor(per_phase / BATCH)
      end, nil, 20)
      assert.is_true(cpeer:is_active() and speer:is_active())
    end

    collectgarbage("collect")
    local rss_after = H.rss_kib()
    S.report("hostile flood", {
      { "datagrams", sent }, { "modes", #phases }, { "echoes", echoes },
      { "rss_before_kib", rss_before }, { "rss_after_kib", rss_after },
      { "server_dropped_oversize", s:get_socket_counters().datagrams_dropped },
    })
    assert.is_true(rss_after - rss_before < 32 * 1024, "RSS grew by " .. (rss_after - rss_before) .. " KiB")
    for _, u in ipairs(senders) do u:close() end
    c:destroy()
    s:destroy()
  end)

  it("garbage from a connected peer's own address crashes nothing; the server serves a new client", function()
    math.randomseed(11)
    local s, c = H.pair()
    local port = s:get_local_port()
    -- the client's own socket: ENet matches these to the connected peer
    for i = 1, math.floor(DATAGRAMS / 4) do
      c:socket_send("127.0.0.1", port, hostile())
      if i % BATCH == 0 then
        for _ in s:events(0) do end
        for _ in c:events(0) do end
      end
    end
    local fresh = H.client()
    local p = assert(fresh:connect_to_host("127.0.0.1", port))
    local got
    H.pump_until("a new client's echo", { s, fresh }, function() return got == "hello" end, function(h, t, peer)
      if h == fresh and t == C.EVENT_CONNECT then p:send(0, "hello", P.FLAG_RELIABLE) end
      if h == s and t == C.EVENT_RECEIVE then peer:send(0, peer:get_packet(), P.FLAG_RELIABLE) end
      if h == fresh and t == C.EVENT_RECEIVE then got = peer:get_packet() end
    end, 20)
    fresh:destroy()
    c:destroy()
    s:destroy()
  end)
end)
