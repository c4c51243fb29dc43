-- Soak: reliable messages of random sizes (1 B to 8 KiB, so fragments too)
-- both ways over a link that loses 20%, reorders and duplicates, with each
-- compression mode and with DTLS. Every reliable message must arrive once,
-- intact and in order on its channel; unreliable sequenced messages must
-- never arrive older after newer.
local S = require("soak_helper")
local H = S.H
local enet, C, P = H.enet, H.C, H.P

local MESSAGES = S.scale(10000, 250) -- reliable messages, client to server
local REPLIES = S.scale(2000, 60)    -- reliable messages, server to client
local UNRELIABLE = S.scale(3000, 90)
local WINDOW = 64                    -- messages in flight per direction
local SECONDS = S.scale(3600, 150)  -- see docs/reliability.md on ENet's backoff

local function payload(channel, seq, size)
  local header = channel .. ":" .. seq .. ":"
  return header .. string.rep(string.char(seq % 256), math.max(size - #header, 0))
end

-- A receiver's check of one channel: counts what is wrong.
local function new_checker()
  return { expected = 1, received = 0, duplicated = 0, out_of_order = 0, corrupt = 0, sizes = {} }
end

local function check(checker, channel, data)
  local ch, seq = data:match("^(%d+):(%d+):")
  seq = tonumber(seq)
  if not seq or tonumber(ch) ~= channel then
    checker.corrupt = checker.corrupt + 1
    return
  end
  if seq < checker.expected then
    checker.duplicated = checker.duplicated + 1
  elseif seq > checker.expected then
    checker.out_of_order = checker.out_of_order + 1
  else
    checker.expected = seq + 1
    checker.received = checker.received + 1
  end
  if data ~= payload(channel, seq, checker.sizes[seq] or -1) then
    checker.corrupt = checker.corrupt + 1
  end
end

local tls_server, tls_client
local function dtls_options()
  if not tls_server then
    local key = assert(enet.Crypto.generate_rsa(2048))
    local cert = assert(enet.Crypto.generate_self_signed_certificate(key, "CN=localhost"))
    tls_server = enet.TLSOptions.server(key, cert)
    tls_client = enet.TLSOptions.client(cert)
  end
  return tls_server, tls_client
end

-- A connected pair with `mode` compression (and DTLS when asked), then the
-- bad link on both ends.
local function soak_pair(mode, dtls, seed)
  local s, port = H.server(4, 3)
  local c = H.client(1, 3)
  if dtls then
    local server_options, client_options = dtls_options()
    assert(s:dtls_server_setup(server_options))
    assert(c:dtls_client_setup("localhost", client_options))
  end
  s:compress(mode)
  c:compress(mode)
  local cpeer = assert(c:connect_to_host("127.0.0.1", port, 3))
  local speer
  H.pump_until("connection", { s, c }, function() return speer and cpeer:get_state() == P.STATE_CONNECTED end,
    function(h, t, peer) if h == s and t == C.EVENT_CONNECT then speer = peer end end)
  S.patient(speer, cpeer)
  s:simulate(S.bad_link(seed))
  c:simulate(S.bad_link(seed + 1))
  return s, c, speer, cpeer
end

local started -- of the current run, for messages

local function soak(name, mode, dtls, seed)
  math.randomseed(seed)
  started = H.now()
  local s, c, speer, cpeer = soak_pair(mode, dtls, seed)
  local up = { [0] = new_checker(), [1] = new_checker() } -- client to server, channels 0 and 1
  local down = new_checker()                              -- server to client, channel 0
  local sent_up, sent_down, sent_unreliable = 0, 0, 0
  local last_unreliable, unreliable_received, unreliable_backwards = 0, 0, 0

  local function on_event(h, t, peer, _, channel)
    assert(t ~= C.EVENT_DISCONNECT, ("%s: the %s dropped the connection after %.0f s"):format(
      name, h == s and "server" or "client", H.now() - started))
    if t ~= C.EVENT_RECEIVE then return end
    local data = peer:get_packet()
    if h == c then
      check(down, 0, data)
    elseif channel == 2 then
      local seq = tonumber(data:match("^2:(%d+):"))
      unreliable_received = unreliable_received + 1
      if not seq or seq <= last_unreliable then unreliable_backwards = unreliable_backwards + 1 end
      last_unreliable = seq or last_unreliable
    else
      check(up[channel], channel, data)
    end
  end

  local function received_up() return up[0].received + up[1].received end
  local deadline = H.now() + SECONDS
  while (received_up() < MESSAGES or down.received < REPLIES) and H.now() < deadline do
    while sent_up < MESSAGES and sent_up - received_up() < WINDOW do
      sent_up = sent_up + 1
      local channel = sent_up % 2
      local seq = math.floor((sent_up + 1) / 2)
      local size = math.random(1, 8192)
      up[channel].sizes[seq] = size
      assert(cpeer:send(channel, payload(channel, seq, size), P.FLAG_RELIABLE))
      if sent_unreliable < UNRELIABLE and sent_up % 3 == 0 then
        sent_unreliable = sent_unreliable + 1
        cpeer:send(2, payload(2, sent_unreliable, 100), 0)
      end
    end
    while sent_down < REPLIES and sent_down - down.received < WINDOW do
      sent_down = sent_down + 1
      local size = math.random(1, 8192)
      down.sizes[sent_down] = size
      assert(speer:send(0, payload(0, sent_down, size), P.FLAG_RELIABLE))
    end
    local events = 0
    for _, h in ipairs({ s, c }) do
      local t, peer, data, channel = h:service(0)
      while t ~= C.EVENT_NONE and events < 1000 do
        on_event(h, t, peer, data, channel)
        events = events + 1
        t, peer, data, channel = h:service(0)
      end
    end
    if events == 0 then H.sleep(0.0005) end
  end

  local link = c:get_socket_counters()
  local lost = MESSAGES + REPLIES - received_up() - down.received
  local duplicated = up[0].duplicated + up[1].duplicated + down.duplicated
  local out_of_order = up[0].out_of_order + up[1].out_of_order + down.out_of_order
  local corrupt = up[0].corrupt + up[1].corrupt + down.corrupt
  S.report(name, {
    { "reliable", MESSAGES + REPLIES }, { "lost", lost }, { "duplicated", duplicated },
    { "out_of_order", out_of_order }, { "corrupt", corrupt },
    { "unreliable_sent", sent_unreliable }, { "unreliable_received", unreliable_received },
    { "unreliable_backwards", unreliable_backwards },
    { "link_lost", link.simulated_lost }, { "link_duplicated", link.simulated_duplicated },
    { "link_reordered", link.simulated_reordered }, { "seconds", ("%.1f"):format(H.now() - started) },
  })
  c:destroy()
  s:destroy()
  assert.are.equal(0, lost)
  assert.are.equal(0, duplicated)
  assert.are.equal(0, out_of_order)
  assert.are.equal(0, corrupt)
  assert.are.equal(0, unreliable_backwards)
  assert.is_true(link.simulated_lost > 0 and link.simulated_duplicated > 0 and link.simulated_reordered > 0)
end

local modes = { C.COMPRESS_NONE, C.COMPRESS_RANGE_CODER, C.COMPRESS_FASTLZ, C.COMPRESS_ZLIB, C.COMPRESS_ZSTD }

describe("soak over a link with 20% loss, reordering and duplication", function()
  for i, mode in ipairs(modes) do
    it("delivers every reliable message once and in order with " .. C.CompressionMode[mode], function()
      soak(C.CompressionMode[mode], mode, false, 1000 + i)
    end)
  end

  it("delivers every reliable message once and in order over DTLS with zstd", function()
    soak("DTLS+COMPRESS_ZSTD", C.COMPRESS_ZSTD, true, 2000)
  end)
end)
