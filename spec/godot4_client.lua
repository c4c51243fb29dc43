-- An emulated Godot 4 client for the specs: ENetMultiplayerPeer in client
-- mode plus the client side of SceneMultiplayer (peers, relay, raw packets,
-- auth), written from the layouts in docs/multiplayer.md on the plain
-- ENetConnection API. It shares no code with lua/enetconnection/multiplayer.lua.
--
--   local client = G.client(port, { id = 1234, channel_count = 2 })
--   client:poll()                     -- services the host, records events
--   client:saw("peer_connected", 5)   -- an event seen so far
--   client:send_bytes("hi", 0)        -- to everyone, relayed by the server
local enet = require("enetconnection")
local C, P = enet.ENetConnection, enet.ENetPacketPeer

local G = {}

G.UNRELIABLE, G.UNRELIABLE_ORDERED, G.RELIABLE = 0, 1, 2

--- Little-endian signed 32-bit bytes of n.
function G.le32(n)
  if n < 0 then
    n = n + 2 ^ 32
  end
  local bytes = {}
  for i = 1, 4 do
    bytes[i] = n % 256
    n = (n - bytes[i]) / 256
  end
  return string.char(bytes[1], bytes[2], bytes[3], bytes[4])
end

local function from_le32(s, at)
  local n = s:byte(at) + s:byte(at + 1) * 2 ^ 8 + s:byte(at + 2) * 2 ^ 16 + s:byte(at + 3) * 2 ^ 24
  if n >= 2 ^ 31 then
    n = n - 2 ^ 32
  end
  return math.floor(n)
end

local function bit_set(flags, bit)
  return math.floor(flags / bit) % 2 == 1
end

-- ENetMultiplayerPeer: ENet channel and flags for a transfer mode/channel.
local function enet_route(mode, channel)
  local ch, flags = 0, P.FLAG_RELIABLE
  if mode == G.UNRELIABLE then
    ch, flags = 1, P.FLAG_UNSEQUENCED + P.FLAG_UNRELIABLE_FRAGMENT
  elseif mode == G.UNRELIABLE_ORDERED then
    ch, flags = 1, P.FLAG_UNRELIABLE_FRAGMENT
  end
  if channel > 0 then
    ch = channel + 1
  end
  return ch, flags
end

local Client = {}
Client.__index = Client

--- Joins the server on 127.0.0.1:port. Options: id (default random,
-- 2..2^31-1), channel_count (0), compression, auth (function(client, bytes):
-- turns on the auth phase, called with the server's auth data).
function G.client(port, options)
  options = options or {}
  local host = C.new()
  assert(host:create_host_bound("127.0.0.1", 0, 1, 0))
  if options.compression then
    host:compress(options.compression)
  end
  local id = options.id or math.random(2, 2147483647)
  local count = options.channel_count or 0
  local server = assert(host:connect_to_host("127.0.0.1", port, count > 0 and count + 2 or 0, id))
  return setmetatable({
    host = host, server = server, id = id, auth = options.auth,
    connected = {}, -- SceneMultiplayer's connected peers (1 once admitted)
    events = {},    -- { kind, ... } in order
    received = {},  -- every ENet packet: { channel =, flags =, bytes = }
  }, Client)
end

function Client:_event(...)
  self.events[#self.events + 1] = { ... }
end

--- True when an event of `kind` (and, if given, with these arguments) was seen.
function Client:saw(kind, a, b)
  for _, e in ipairs(self.events) do
    if e[1] == kind and (a == nil or e[2] == a) and (b == nil or e[3] == b) then
      return true
    end
  end
  return false
end

--- The peer_packet events from `from`: a list of { bytes, channel, mode }.
function Client:packets_from(from)
  local list = {}
  for _, e in ipairs(self.events) do
    if e[1] == "peer_packet" and e[2] == from then
      list[#list + 1] = { e[3], e[4], e[5] }
    end
  end
  return list
end

function Client:_admit_server()
  self.pending = nil
  self.connected[1] = true
  self:_event("connected_to_server")
  self:_event("peer_connected", 1)
end

-- SceneMultiplayer's _process_packet for the commands this emulation knows.
function Client:_process(from, packet, channel, mode)
  if packet:byte(1) % 8 == 3 and #packet >= 2 then
    self:_event("peer_packet", from, packet:sub(2), channel, mode)
  else
    self:_event("other", from, packet)
  end
end

function Client:_on_packet(packet, enet_channel, flags)
  self.received[#self.received + 1] = { channel = enet_channel, flags = flags, bytes = packet }
  local channel = enet_channel >= 2 and enet_channel - 1 or 0
  local mode = bit_set(flags, P.FLAG_RELIABLE) and G.RELIABLE
    or bit_set(flags, P.FLAG_UNSEQUENCED) and G.UNRELIABLE or G.UNRELIABLE_ORDERED
  local is_auth = #packet >= 2 and packet:byte(1) % 8 == 7 and packet:byte(2) == 0
  if self.pending then
    if not is_auth then
      return self:_event("dropped", packet)
    elseif #packet > 2 then
      return self.auth(self, packet:sub(3))
    end
    self.pending.remote = true
    if self.pending.done then
      self:_admit_server()
    end
    return
  end
  if not self.connected[1] then
    return self:_event("dropped", packet)
  end
  if packet:byte(1) % 8 ~= 7 then
    return self:_process(1, packet, channel, mode)
  end
  if is_auth then
    return -- a late confirmation
  end
  if #packet < 6 then
    return self:_event("dropped", packet)
  end
  local command, id = packet:byte(2), from_le32(packet, 3)
  if command == 1 then
    self.connected[id] = true
    self:_event("peer_connected", id)
  elseif command == 2 then
    self.connected[id] = nil
    self:_event("peer_disconnected", id)
  elseif command == 3 and #packet >= 7 then
    self:_process(id, packet:sub(7), channel, mode)
  else
    self:_event("dropped", packet)
  end
end

--- Services the host until nothing is ready; records what happened.
function Client:poll()
  for _ = 1, 1000 do
    local event, peer, _, channel = self.host:service(0)
    if event == C.EVENT_CONNECT then
      self:_event("connection_succeeded")
      if self.auth then
        self.pending = {}
        self:_event("peer_authenticating", 1)
      else
        self:_admit_server()
      end
    elseif event == C.EVENT_DISCONNECT then
      self.connected = {}
      self:_event("server_disconnected")
    elseif event == C.EVENT_RECEIVE then
      local flags = peer:get_packet_flags()
      self:_on_packet(peer:get_packet(), channel, flags)
    else
      return
    end
  end
end

--- Sends an ENet packet as is (for malformed input).
function Client:send_raw(enet_channel, bytes, flags)
  assert(self.server:send(enet_channel, bytes, flags or P.FLAG_RELIABLE))
  self.host:flush()
end

--- SceneMultiplayer.send_bytes: to the server directly, to anyone else
-- through the server's relay (`to` 0: everyone, -n: everyone but n).
function Client:send_bytes(bytes, to, mode, channel)
  to = to or 0
  local packet = "\3" .. bytes
  if to ~= 1 then
    packet = "\7\3" .. G.le32(to) .. packet
  end
  local ch, flags = enet_route(mode or G.RELIABLE, channel or 0)
  self:send_raw(ch, packet, flags)
end

--- The client's half of the auth exchange.
function Client:send_auth(bytes)
  self:send_raw(0, "\7\0" .. bytes)
end

function Client:complete_auth()
  self.pending.done = true
  self:send_raw(0, "\7\0")
  if self.pending.remote then
    self:_admit_server()
  end
end

--- ENetMultiplayerPeer.close: disconnects now, then destroys the host.
function Client:close()
  self.server:peer_disconnect_now(0)
  self.host:flush()
  self.host:destroy()
end

return G
