-- Compression interop with a real Godot: a Lua ENetConnection and a
-- godot3-server NetworkedMultiplayerENet echo peer (ctest/godot_enet_echo.gd)
-- set to the same compression mode, Godot as server and as client. Packets
-- use Godot 3's framing (u32 sender id, i32 target id, payload) on channel
-- 1, reliable; every echoed byte is compared, and the bytes received for a
-- text echo show that Godot's datagrams really were compressed.
local H = require("helper")
local C, P = H.C, H.P

local ECHO_SCRIPT = "ctest/godot_enet_echo.gd"
local OUR_ID, SERVER_ID = 1234567, 1
local CHANNELS, RELIABLE_CHANNEL = 3, 1
local SIZES = { 0, 1, 15, 16, 17, 1000, 1400, 4096, 65536 }
local MODES = { "COMPRESS_NONE", "COMPRESS_RANGE_CODER", "COMPRESS_FASTLZ", "COMPRESS_ZLIB", "COMPRESS_ZSTD" }

local function u32(n)
  return string.char(n % 256, math.floor(n / 256) % 256, math.floor(n / 65536) % 256,
    math.floor(n / 16777216) % 256)
end

local function read_u32(s, i)
  local a, b, c, d = s:byte(i, i + 3)
  return a + b * 256 + c * 65536 + d * 16777216
end

--- Repetitive text of n bytes (compresses well).
local WORDS = { "player ", "moved ", "north ", "gate ", "score ", "team ", "flag ", "respawn " }
local function text(n, seed)
  local t, len, k = {}, 0, seed
  while len < n do
    k = (k * 5 + 3) % #WORDS + 1
    t[#t + 1] = WORDS[k]
    len = len + #WORDS[k]
  end
  return table.concat(t):sub(1, n)
end

--- The payloads: every size, random and text.
local function payloads()
  local list = {}
  for i, size in ipairs(SIZES) do
    list[#list + 1] = H.bytes(size, i)
    list[#list + 1] = text(size, i)
  end
  return list
end

--- A port that was free a moment ago.
local function free_port()
  local probe = C.new()
  assert(probe:create_host_bound("127.0.0.1", 0, 1, 1))
  local port = probe:get_local_port()
  probe:destroy()
  return port
end

--- Starts the Godot echo peer; returns the process and its work directory.
local function start_godot(role, mode, port)
  local dir = os.tmpname()
  os.remove(dir)
  assert(H.run("mkdir -p " .. H.quote(dir)))
  local command = string.format('script="$(pwd)/%s" && cd %s && HOME=%s XDG_DATA_HOME=%s '
    .. 'ROLE=%s MODE=%d PORT=%d godot3-server --no-window -s "$script"',
    ECHO_SCRIPT, H.quote(dir), H.quote(dir), H.quote(dir), role, mode, port)
  return H.spawn(command, 60), dir
end

local function stop_godot(proc, dir)
  local exited = proc.wait(15)
  local out = proc.output()
  proc.stop()
  H.run("rm -rf " .. H.quote(dir))
  return exited, out
end

--- Waits for `count` echoes on the reliable channel, checking the framing;
-- returns their payloads.
local function collect(host, our_id, godot_id, count)
  local echoes = {}
  H.pump_until("Godot's echoes", { host }, function() return #echoes == count end,
    function(_, t, from, _, channel)
      if t == C.EVENT_RECEIVE then
        local packet = from:get_packet()
        if channel == RELIABLE_CHANNEL then
          assert.are.equal(godot_id, read_u32(packet, 1))
          assert.are.equal(our_id, read_u32(packet, 5))
          echoes[#echoes + 1] = packet:sub(9)
        end
      end
    end, 30)
  return echoes
end

--- Sends every payload framed from `our_id` to `godot_id` at once and
-- checks Godot's echoes byte for byte ("empty" for an empty payload).
local function check_echoes(host, peer, our_id, godot_id)
  local list = payloads()
  for _, payload in ipairs(list) do
    assert.is_true(peer:send(RELIABLE_CHANNEL, u32(our_id) .. u32(godot_id) .. payload, P.FLAG_RELIABLE))
  end
  local echoes = collect(host, our_id, godot_id, #list)
  for i, payload in ipairs(list) do
    local want = #payload == 0 and "empty" or payload
    assert.is_true(echoes[i] == want, ("payload %d (%d bytes) came back different"):format(i, #payload))
  end
end

--- Echoes 1,000 bytes of text (one datagram each way) and returns the
-- bytes the host received meanwhile: about 1,000 uncompressed, a few
-- hundred at most compressed, even if Godot resends the datagram a few
-- times (retransmissions depend on timing; the margin absorbs them).
local function received_for_text(host, peer, our_id, godot_id)
  local payload = text(1000, 7)
  host:pop_statistic(C.HOST_TOTAL_RECEIVED_DATA)
  assert.is_true(peer:send(RELIABLE_CHANNEL, u32(our_id) .. u32(godot_id) .. payload, P.FLAG_RELIABLE))
  assert.is_true(collect(host, our_id, godot_id, 1)[1] == payload)
  return host:pop_statistic(C.HOST_TOTAL_RECEIVED_DATA)
end

local function check_compressed(mode, received)
  if mode == C.COMPRESS_NONE then
    assert.is_true(received >= 1000, ("received %d bytes for a 1,000-byte echo"):format(received))
  else
    assert.is_true(received < 600, ("received %d bytes for a 1,000-byte echo"):format(received))
  end
end

--- Our host `c` (a client) talks mode `name` to a Godot server.
local function with_godot_server(name, c)
  local mode = C[name]
  local port = free_port()
  local proc, dir = start_godot("server", mode, port)
  c:compress(mode)
  local p = assert(c:connect_to_host("127.0.0.1", port, CHANNELS, OUR_ID))
  local connected = H.pump({ c }, function() return p:get_state() == P.STATE_CONNECTED end, nil, 20)
  local ok, err = pcall(function()
    assert.is_true(connected, "could not connect to Godot")
    check_echoes(c, p, OUR_ID, SERVER_ID)
    check_compressed(mode, received_for_text(c, p, OUR_ID, SERVER_ID))
  end)
  if connected then
    p:send(RELIABLE_CHANNEL, u32(OUR_ID) .. u32(SERVER_ID) .. "bye", P.FLAG_RELIABLE)
    H.pump({ c }, function() return not p:is_active() end, nil, 10)
  end
  c:destroy()
  local exited, out = stop_godot(proc, dir)
  assert(ok, tostring(err) .. "\nGodot printed:\n" .. out)
  assert.is_true(exited, out)
end

--- Our host `s` (a server on `port`) talks mode `name` to a Godot client.
local function with_godot_client(name, s, port)
  local mode = C[name]
  s:compress(mode)
  local proc, dir = start_godot("client", mode, port)
  local godot, godot_id
  local connected = H.pump({ s }, function() return godot ~= nil end, function(_, t, peer, data)
    if t == C.EVENT_CONNECT then
      godot, godot_id = peer, data
    end
  end, 20)
  local ok, err = pcall(function()
    assert.is_true(connected, "no connection from Godot")
    check_echoes(s, godot, SERVER_ID, godot_id)
    check_compressed(mode, received_for_text(s, godot, SERVER_ID, godot_id))
  end)
  if connected then
    godot:send(RELIABLE_CHANNEL, u32(SERVER_ID) .. u32(godot_id) .. "bye", P.FLAG_RELIABLE)
    H.pump({ s }, function() return not godot:is_active() end, nil, 10)
  end
  s:destroy()
  local exited, out = stop_godot(proc, dir)
  assert(ok, tostring(err) .. "\nGodot printed:\n" .. out)
  assert.is_true(exited, out)
end

describe("compression interop with godot3-server", function()
  local have_godot = H.run("command -v godot3-server")

  it("has godot3-server to talk to (scripts/setup installs it)", function()
    assert.is_true(have_godot)
  end)

  for _, name in ipairs(MODES) do
    local how = name == "COMPRESS_NONE" and "uncompressed" or "compressed"
    it(name .. ": a Godot server echoes 0 to 65,536 bytes exactly, its datagrams " .. how, function()
      with_godot_server(name, H.client(1, CHANNELS))
    end)

    it(name .. ": a Godot client echoes 0 to 65,536 bytes exactly, its datagrams " .. how, function()
      with_godot_client(name, H.server(4, CHANNELS))
    end)
  end

  -- Our hosts on dual-stack sockets: Godot 3's IPv4 arrives v4-mapped.
  for _, name in ipairs({ "COMPRESS_NONE", "COMPRESS_ZLIB" }) do
    it(name .. ": a Godot client talks IPv4 to our server bound to \"*\"", function()
      local s = C.new()
      assert(s:create_host_bound("*", 0, 4, CHANNELS))
      with_godot_client(name, s, s:get_local_port())
    end)

    it(name .. ": a Godot server talks IPv4 to our dual-stack client (create_host)", function()
      local c = C.new()
      assert(c:create_host(1, CHANNELS))
      with_godot_server(name, c)
    end)
  end
end)
