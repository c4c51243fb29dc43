--- Godot 4 high-level multiplayer for a Lua server.
--
-- The Lua program becomes peer 1, the server that Godot 4 games join with
-- `ENetMultiplayerPeer.create_client` and `multiplayer.multiplayer_peer`:
-- it takes their ids, announces peers to each other, relays what clients
-- send each other, exchanges `multiplayer.send_bytes` packets with them and
-- runs the optional auth exchange. RPCs addressed to the server are not
-- interpreted (reported as "unhandled_command"); RPCs between two Godot
-- clients pass through the relay untouched. Byte layouts, their sources in
-- Godot and what is missing: docs/multiplayer.md.
--
--    local MP = require("enetconnection.multiplayer")
--    local server = assert(MP.server{ port = 7790 })
--    for kind, id, bytes, channel, mode in server:events(100) do
--      if kind == "peer_packet" then server:send_bytes(bytes, id, mode, channel) end
--    end
-- @module enetconnection.multiplayer
local enet = require("enetconnection")
local C, P, Error = enet.ENetConnection, enet.ENetPacketPeer, enet.Error

local unpack = table.unpack or unpack -- luacheck: ignore 143 (5.1's global)

local M = {}

--- Constants (Godot's names and values).
-- @table constants
-- @field TRANSFER_MODE_UNRELIABLE 0: unordered, may be lost
-- @field TRANSFER_MODE_UNRELIABLE_ORDERED 1: in order, may be lost
-- @field TRANSFER_MODE_RELIABLE 2: resent until acknowledged, in order
-- @field TARGET_PEER_BROADCAST 0: every peer
-- @field TARGET_PEER_SERVER 1: the server's id
-- @field NETWORK_COMMAND_REMOTE_CALL 0: SceneMultiplayer's first-byte command
-- @field NETWORK_COMMAND_SIMPLIFY_PATH 1
-- @field NETWORK_COMMAND_CONFIRM_PATH 2
-- @field NETWORK_COMMAND_RAW 3: a `send_bytes` packet
-- @field NETWORK_COMMAND_SPAWN 4
-- @field NETWORK_COMMAND_DESPAWN 5
-- @field NETWORK_COMMAND_SYNC 6
-- @field NETWORK_COMMAND_SYS 7: a system message
-- @field SYS_COMMAND_AUTH 0: the second byte of a system message
-- @field SYS_COMMAND_ADD_PEER 1
-- @field SYS_COMMAND_DEL_PEER 2
-- @field SYS_COMMAND_RELAY 3
M.TRANSFER_MODE_UNRELIABLE, M.TRANSFER_MODE_UNRELIABLE_ORDERED, M.TRANSFER_MODE_RELIABLE = 0, 1, 2
M.TARGET_PEER_BROADCAST, M.TARGET_PEER_SERVER = 0, 1
M.NETWORK_COMMAND_REMOTE_CALL, M.NETWORK_COMMAND_SIMPLIFY_PATH, M.NETWORK_COMMAND_CONFIRM_PATH = 0, 1, 2
M.NETWORK_COMMAND_RAW, M.NETWORK_COMMAND_SPAWN, M.NETWORK_COMMAND_DESPAWN = 3, 4, 5
M.NETWORK_COMMAND_SYNC, M.NETWORK_COMMAND_SYS = 6, 7
M.SYS_COMMAND_AUTH, M.SYS_COMMAND_ADD_PEER, M.SYS_COMMAND_DEL_PEER, M.SYS_COMMAND_RELAY = 0, 1, 2, 3

local RAW, SYS = M.NETWORK_COMMAND_RAW, M.NETWORK_COMMAND_SYS
local RELIABLE = M.TRANSFER_MODE_RELIABLE
-- ENetMultiplayerPeer's ENet channels: 0 reliable, 1 unreliable, then
-- transfer channel n on n + 1.
local SYSCH_RELIABLE, SYSCH_UNRELIABLE, SYSCH_MAX = 0, 1, 2
local ID_MAX = 2147483647 -- ids are positive 32-bit ints
-- ENet events handled per iterator step without a multiplayer event.
local SERVICE_ROUNDS = 1000

-- Little-endian 32-bit two's complement, by arithmetic (no 5.3 operators).
local function i32(n)
  n = n % 4294967296
  return string.char(n % 256, math.floor(n / 256) % 256, math.floor(n / 65536) % 256, math.floor(n / 16777216))
end

local function read_i32(s, pos)
  local b0, b1, b2, b3 = s:byte(pos, pos + 3)
  local n = b0 + b1 * 256 + b2 * 65536 + b3 * 16777216
  return n >= 2147483648 and n - 4294967296 or n
end

local function has_flag(flags, flag)
  return math.floor(flags / flag) % 2 == 1
end

-- The ENet channel and flags Godot's put_packet uses for a mode and channel.
local function enet_channel_and_flags(mode, channel)
  local enet_channel, flags
  if mode == RELIABLE then
    enet_channel, flags = SYSCH_RELIABLE, P.FLAG_RELIABLE
  elseif mode == M.TRANSFER_MODE_UNRELIABLE then
    enet_channel, flags = SYSCH_UNRELIABLE, P.FLAG_UNSEQUENCED + P.FLAG_UNRELIABLE_FRAGMENT
  else
    enet_channel, flags = SYSCH_UNRELIABLE, P.FLAG_UNRELIABLE_FRAGMENT
  end
  if channel > 0 then
    enet_channel = SYSCH_MAX + channel - 1
  end
  return enet_channel, flags
end

-- Godot's get_packet_channel and get_packet_mode of a received packet.
local function transfer_channel(enet_channel)
  return enet_channel >= SYSCH_MAX and enet_channel - SYSCH_MAX + 1 or 0
end

local function transfer_mode(flags)
  if has_flag(flags, P.FLAG_RELIABLE) then
    return RELIABLE
  end
  return has_flag(flags, P.FLAG_UNSEQUENCED) and M.TRANSFER_MODE_UNRELIABLE or M.TRANSFER_MODE_UNRELIABLE_ORDERED
end

local function is_integer(v)
  return type(v) == "number" and v == math.floor(v)
end

local function sorted_keys(t)
  local list = {}
  for k in pairs(t) do
    list[#list + 1] = k
  end
  table.sort(list)
  return list
end

local OPTIONS = {
  address = "string", port = "number", max_clients = "number", channels = "number",
  compression = "number", connection = "userdata", auth_callback = "function",
  auth_timeout = "number", clock = "function",
}

local function check_options(options)
  if type(options) ~= "table" then
    error("multiplayer.server: options must be a table, got " .. type(options), 3)
  end
  for name, value in pairs(options) do
    local kind = OPTIONS[name]
    if not kind then
      error("multiplayer.server: unknown option " .. tostring(name), 3)
    elseif type(value) ~= kind then
      error(("multiplayer.server: option %s must be a %s, got %s"):format(name, kind, type(value)), 3)
    end
  end
  local channels = options.channels or 0
  if not is_integer(channels) or channels < 0 or channels > 253 then
    error("multiplayer.server: option channels must be an integer in 0..253", 3)
  end
  if options.auth_timeout and options.auth_timeout < 0 then
    error("multiplayer.server: option auth_timeout must be >= 0", 3)
  end
end

local Server = {}
Server.__index = Server

--- Creates the server (peer 1) on a new bound host, or on `options.connection`.
-- @tparam[opt] table options `address` ("*"), `port` (0: any),
--   `max_clients` (32), `channels` (0: transfer channels beyond 0; the host
--   allows `channels + 2` ENet channels, 0 = 255), `compression`
--   (`ENetConnection.COMPRESS_*`, as the clients), `connection` (a bound
--   ENetConnection to use instead), `auth_callback` (`function(id, bytes)`:
--   turns on the auth phase), `auth_timeout` (seconds, 3; 0 = none),
--   `clock` (seconds for the timeout, `os.time`)
-- @treturn Server|nil the server, or nil, message, code when the host
--   cannot be created
-- @raise for options of the wrong type or unknown
-- @function server
function M.server(options)
  options = options or {}
  check_options(options)
  local conn, owned = options.connection, false
  if not conn then
    conn, owned = C.new(), true
    local channels = options.channels or 0
    local ok, message, code = conn:create_host_bound(options.address or "*", options.port or 0,
      options.max_clients or 32, channels > 0 and channels + SYSCH_MAX or 0)
    if not ok then
      conn:destroy()
      return nil, message, code
    end
    if options.compression then
      conn:compress(options.compression)
    end
  end
  return setmetatable({
    connection = conn, owned = owned,
    auth_callback = options.auth_callback, auth_timeout = options.auth_timeout or 3,
    clock = options.clock or os.time,
    peers = {},    -- id -> ENetPacketPeer, admitted or authenticating
    ids = {},      -- ENetPacketPeer -> id
    admitted = {}, -- id -> true: SceneMultiplayer's connected peers
    pending = {},  -- id -> { since =, local_done =, remote_done = }
    queue = {}, first = 1, last = 0,
  }, Server)
end

--- The server `server()` returns: peer 1 of a Godot 4 high-level
-- multiplayer session. Methods carry Godot's names (SceneMultiplayer,
-- ENetMultiplayerPeer).
-- @type Server

-- Events wait in a FIFO: one ENet event can make several.
function Server:_push(...)
  self.last = self.last + 1
  self.queue[self.last] = { n = select("#", ...), ... }
end

function Server:_pop()
  if self.first > self.last then
    return nil
  end
  local event = self.queue[self.first]
  self.queue[self.first], self.first = nil, self.first + 1
  return event
end

-- Sends one SceneMultiplayer packet to peer `id`; a transfer channel the
-- peer did not open is a runtime failure (the client chose its count).
function Server:_send(id, packet, mode, channel)
  local peer = self.peers[id]
  if not peer:is_active() then
    return nil, "peer " .. id .. " is no longer connected", Error.ERR_UNCONFIGURED
  end
  local enet_channel, flags = enet_channel_and_flags(mode, channel)
  if enet_channel >= peer:get_channels() then
    return nil, ("transfer channel %d needs ENet channel %d; peer %d has %d"):format(
      channel, enet_channel, id, peer:get_channels()), Error.ERR_INVALID_PARAMETER
  end
  return peer:send(enet_channel, packet, flags)
end

-- Admits a peer: each side hears of the other, then peer_connected.
function Server:_admit(id)
  for _, other in ipairs(sorted_keys(self.admitted)) do
    self:_send(other, "\7\1" .. i32(id), RELIABLE, 0)
    self:_send(id, "\7\1" .. i32(other), RELIABLE, 0)
  end
  self.admitted[id] = true
  self:_push("peer_connected", id)
end

-- Removes an admitted peer and tells the others.
function Server:_forget(id)
  self.admitted[id] = nil
  for other in pairs(self.admitted) do
    self:_send(other, "\7\2" .. i32(id), RELIABLE, 0)
  end
end

-- Drops every trace of a peer's ENet connection.
function Server:_unlink(id)
  local peer = self.peers[id]
  self.peers[id], self.pending[id] = nil, nil
  if peer then
    self.ids[peer] = nil
  end
  return peer
end

function Server:_on_connect(peer, id)
  if id < 2 or id > ID_MAX or self.peers[id] then
    peer:reset() -- as Godot: reserved, negative once converted, or taken
    return
  end
  self.peers[id], self.ids[peer] = peer, id
  if self.auth_callback then
    self.pending[id] = { since = self.clock() }
    self:_push("peer_authenticating", id)
  else
    self:_admit(id)
  end
end

function Server:_on_disconnect(peer)
  local id = self.ids[peer]
  if not id then
    return -- refused, or already disconnected by us
  end
  local was_pending = self.pending[id] ~= nil
  self:_unlink(id)
  if was_pending then
    self:_push("peer_authentication_failed", id)
  elseif self.admitted[id] then
    self:_forget(id)
    self:_push("peer_disconnected", id)
  end
end

function Server:_admit_if_done(id)
  local state = self.pending[id]
  if state and state.local_done and state.remote_done then
    self.pending[id] = nil
    self:_admit(id)
  end
end

-- A packet from a peer still authenticating: only auth messages count.
function Server:_on_auth_packet(id, packet)
  if #packet < 2 or packet:byte(1) % 8 ~= SYS or packet:byte(2) ~= M.SYS_COMMAND_AUTH then
    self:_push("bad_packet", id, "not an auth message while authenticating")
  elseif #packet > 2 then
    self.auth_callback(id, packet:sub(3))
  else
    self.pending[id].remote_done = true
    self:_admit_if_done(id)
  end
end

-- One SceneMultiplayer packet from `from` for the server; `relayed` when
-- it came inside a relay message (system messages do not nest).
function Server:_on_command(from, packet, mode, channel, relayed)
  local first = packet:byte(1)
  if not first then
    return self:_push("bad_packet", from, "empty packet")
  end
  local command = first % 8
  if command == RAW then
    if #packet < 2 then
      return self:_push("bad_packet", from, "raw packet without bytes")
    end
    return self:_push("peer_packet", from, packet:sub(2), channel, mode)
  elseif command ~= SYS then
    return self:_push("unhandled_command", from, packet)
  elseif relayed then
    return self:_push("bad_packet", from, "system message inside a relayed packet")
  end
  local sys = packet:byte(2)
  if sys == M.SYS_COMMAND_AUTH and #packet == 2 then
    return -- a late "auth completed": the peer is admitted already
  elseif #packet < 6 then
    return self:_push("bad_packet", from, "system message shorter than 6 bytes")
  elseif sys ~= M.SYS_COMMAND_RELAY then
    return self:_push("bad_packet", from, "system message " .. tostring(sys) .. " is not for a client to send")
  elseif #packet < 7 then
    return self:_push("bad_packet", from, "relay message without a packet")
  end
  self:_relay(from, read_i32(packet, 3), packet:sub(7), mode, channel)
end

-- Forwards a client's relay message as SceneMultiplayer's server does.
function Server:_relay(from, target, inner, mode, channel)
  local relayed = "\7\3" .. i32(from) .. inner
  if target > 0 then
    if self.admitted[target] then -- a target that just left: dropped
      self:_send(target, relayed, mode, channel)
    end
    return
  end
  for _, id in ipairs(sorted_keys(self.admitted)) do
    if id ~= from and id ~= -target then
      self:_send(id, relayed, mode, channel)
    end
  end
  if target ~= -1 then -- the server is one of the targets
    self:_on_command(from, inner, mode, channel, true)
  end
end

function Server:_on_receive(peer, enet_channel)
  local flags = peer:get_packet_flags()
  local packet = peer:get_packet()
  local id = self.ids[peer]
  if not (id and packet) then
    return
  end
  if self.pending[id] then
    return self:_on_auth_packet(id, packet)
  end
  self:_on_command(id, packet, transfer_mode(flags), transfer_channel(enet_channel), false)
end

-- Disconnects peers that authenticated for longer than auth_timeout.
function Server:_expire_auth()
  if self.auth_timeout <= 0 or not next(self.pending) then
    return
  end
  local now = self.clock()
  for _, id in ipairs(sorted_keys(self.pending)) do
    if self.pending[id].since + self.auth_timeout <= now then
      self:_unlink(id):peer_disconnect(0)
      self:_push("peer_authentication_failed", id)
    end
  end
end

--- Iterator over multiplayer events. Waits up to `timeout_ms` for the
-- first ENet event, then drains the ready ones. Yields
-- "peer_connected", id; "peer_disconnected", id; "peer_packet", id,
-- bytes, channel, mode; "peer_authenticating", id;
-- "peer_authentication_failed", id; "unhandled_command", id, packet (an
-- RPC or replication command for the server, not interpreted);
-- "bad_packet", id, message (dropped).
--
--    for kind, id, bytes, channel, mode in server:events(10) do ... end
-- @int[opt=0] timeout_ms
-- @treturn function the iterator
function Server:events(timeout_ms)
  local wait = timeout_ms or 0
  if not self.closed then
    self:_expire_auth()
  end
  return function()
    for _ = 1, SERVICE_ROUNDS do
      local queued = self:_pop()
      if queued then
        return unpack(queued, 1, queued.n)
      elseif self.closed then
        return nil
      end
      local event, peer, data, channel = self.connection:service(wait)
      wait = 0
      if event == C.EVENT_CONNECT then
        self:_on_connect(peer, data)
      elseif event == C.EVENT_DISCONNECT then
        self:_on_disconnect(peer)
      elseif event == C.EVENT_RECEIVE then
        self:_on_receive(peer, channel)
      else
        return nil -- EVENT_NONE (nothing ready) or EVENT_ERROR
      end
    end
  end
end

local function check_target(id, name)
  if not is_integer(id) or id < -ID_MAX or id > ID_MAX then
    error(("bad argument to '%s' (peer id must be an integer within 32 bits, got %s)"):format(name, tostring(id)), 3)
  end
end

--- Sends `bytes` as Godot's `send_bytes`: the peer gets `peer_packet(1, bytes)`.
-- @string bytes at least one byte
-- @int[opt=0] id 0: every peer; -n: every peer but n; n: peer n
-- @int[opt=TRANSFER_MODE_RELIABLE] mode a `TRANSFER_MODE_*`
-- @int[opt=0] channel transfer channel
-- @treturn true|nil true, or nil, message, code (`ERR_INVALID_DATA` for
--   an empty string, `ERR_INVALID_PARAMETER` for an id not connected or a
--   channel the peer did not open, `ERR_UNCONFIGURED` after `close`)
-- @raise for arguments of the wrong type
function Server:send_bytes(bytes, id, mode, channel)
  id, mode, channel = id or 0, mode or RELIABLE, channel or 0
  if type(bytes) ~= "string" then
    error("bad argument #1 to 'send_bytes' (string expected, got " .. type(bytes) .. ")", 2)
  end
  check_target(id, "send_bytes")
  if not (is_integer(mode) and mode >= 0 and mode <= 2) then
    error("bad argument #3 to 'send_bytes' (mode must be a TRANSFER_MODE_* value)", 2)
  end
  if not (is_integer(channel) and channel >= 0 and channel <= 253) then
    error("bad argument #4 to 'send_bytes' (channel must be an integer in 0..253)", 2)
  end
  if self.closed then
    return nil, "the server is closed", Error.ERR_UNCONFIGURED
  elseif #bytes == 0 then
    return nil, "send_bytes: an empty packet cannot be sent", Error.ERR_INVALID_DATA
  end
  local packet = "\3" .. bytes
  local ok, message, code = true, nil, nil
  if id > 0 then
    if not self.admitted[id] then
      return nil, "no connected peer with id " .. id, Error.ERR_INVALID_PARAMETER
    end
    ok, message, code = self:_send(id, packet, mode, channel)
  else
    for _, other in ipairs(sorted_keys(self.admitted)) do
      if other ~= -id then
        local sent, why, err = self:_send(other, packet, mode, channel)
        if not sent and ok then
          ok, message, code = nil, why, err
        end
      end
    end
  end
  self.connection:flush()
  return ok, message, code
end

function Server:_pending_state(id, name)
  check_target(id, name)
  if self.closed then
    return nil, "the server is closed", Error.ERR_UNCONFIGURED
  end
  local state = self.pending[id]
  if not state then
    return nil, "peer " .. id .. " is not authenticating", Error.ERR_INVALID_PARAMETER
  end
  return state
end

--- Sends auth data to a peer that is authenticating (Godot's `send_auth`).
-- @int id
-- @string bytes at least one byte
-- @treturn true|nil true, or nil, message, code (`ERR_INVALID_PARAMETER`:
--   not authenticating or empty; `ERR_FILE_CANT_WRITE`: a side completed)
function Server:send_auth(id, bytes)
  if type(bytes) ~= "string" then
    error("bad argument #2 to 'send_auth' (string expected, got " .. type(bytes) .. ")", 2)
  end
  local state, message, code = self:_pending_state(id, "send_auth")
  if not state then
    return nil, message, code
  elseif #bytes == 0 then
    return nil, "send_auth: empty auth data", Error.ERR_INVALID_PARAMETER
  elseif state.local_done or state.remote_done then
    return nil, "the auth exchange with peer " .. id .. " was completed", Error.ERR_FILE_CANT_WRITE
  end
  local ok, why, err = self:_send(id, "\7\0" .. bytes, RELIABLE, 0)
  self.connection:flush()
  return ok, why, err
end

--- Marks the server's side of the auth exchange complete (Godot's
-- `complete_auth`); the peer is admitted once its side completes too.
-- @int id
-- @treturn true|nil true, or nil, message, code (`ERR_INVALID_PARAMETER`:
--   not authenticating; `ERR_FILE_CANT_WRITE`: completed already)
function Server:complete_auth(id)
  local state, message, code = self:_pending_state(id, "complete_auth")
  if not state then
    return nil, message, code
  elseif state.local_done then
    return nil, "complete_auth was called for peer " .. id .. " already", Error.ERR_FILE_CANT_WRITE
  end
  state.local_done = true
  local ok, why, err = self:_send(id, "\7\0", RELIABLE, 0)
  self:_admit_if_done(id)
  self.connection:flush()
  return ok, why, err
end

--- Disconnects a peer (connected or authenticating); the others hear it
-- left. No `peer_disconnected` event follows, as in Godot.
-- @int id
-- @treturn true|nil true, or nil, message, `ERR_INVALID_PARAMETER` for an unknown id
function Server:disconnect_peer(id)
  check_target(id, "disconnect_peer")
  if not self.peers[id] then
    return nil, "no peer with id " .. id, Error.ERR_INVALID_PARAMETER
  end
  if self.admitted[id] then
    self:_forget(id)
  end
  self:_unlink(id):peer_disconnect(0)
  self.connection:flush()
  return true
end

--- Ids of the connected (admitted) peers, sorted.
-- @treturn {int,...}
function Server:get_peers()
  return sorted_keys(self.admitted)
end

--- Ids of the peers still authenticating, sorted.
-- @treturn {int,...}
function Server:get_authenticating_peers()
  return sorted_keys(self.pending)
end

--- The server's id: always 1.
-- @treturn int
function Server:get_unique_id() -- luacheck: ignore 212 (a method, as in Godot)
  return M.TARGET_PEER_SERVER
end

--- The ENetConnection underneath (Godot's `ENetMultiplayerPeer.get_host`).
-- @treturn ENetConnection
function Server:get_host()
  return self.connection
end

--- The ENetPacketPeer of peer `id` (connected or authenticating), or nil.
-- @int id
-- @treturn ?ENetPacketPeer
function Server:get_peer(id)
  return self.peers[id]
end

--- Disconnects every peer now and destroys the host, if the server created
-- it. Idempotent; afterwards `events` yields nothing and sends return
-- `ERR_UNCONFIGURED`.
function Server:close()
  if self.closed then
    return
  end
  for _, peer in pairs(self.peers) do
    peer:peer_disconnect_now(0)
  end
  if self.owned then
    self.connection:destroy()
  else
    self.connection:flush()
  end
  self.closed = true
  self.peers, self.ids, self.admitted, self.pending = {}, {}, {}, {}
  self.queue, self.first, self.last = {}, 1, 0
end

return M
