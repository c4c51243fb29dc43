--- Godot 3's high-level multiplayer framing (NetworkedMultiplayerENet), for
-- a Lua server that Godot 3 clients join. Godot 4's high-level multiplayer
-- is different: enetconnection.multiplayer (docs/multiplayer.md); a Godot 4
-- game using ENetConnection directly needs no framing at all.
--
-- What Godot 3 puts on the wire (checked against godot3-server by
-- spec/godot_example_spec.lua; also in examples/godot/README.md):
--   * a client connects with 3 channels and its unique network id (a random
--     integer > 1) as the connect data; the server is id 1;
--   * every game packet starts with 8 bytes: the sender's id (u32 LE) and the
--     target (i32 LE: 1 = server, 0 = everyone, -id = everyone but id, else
--     that peer), then the payload (put_var: Godot 3 Variant bytes);
--   * channel 0 carries the server's system messages (u32 message, u32 peer
--     id: 0 = a peer joined, 1 = a peer left), channel 1 reliable game
--     packets, channel 2 unreliable ones.
--
--    local server = godot3.server(conn)            -- conn: a bound ENetConnection
--    for kind, id, value, channel in server:events(10) do ... end
--    server:put_var(id, { hello = "world" })        -- reliable, to one peer
local enet = require("enetconnection")
local C, P = enet.ENetConnection, enet.ENetPacketPeer

local M = {}

M.SYSCH_CONFIG, M.SYSCH_RELIABLE, M.SYSCH_UNRELIABLE = 0, 1, 2
M.SYSMSG_ADD_PEER, M.SYSMSG_REMOVE_PEER = 0, 1
M.SERVER_ID = 1
M.MAX_ID = 2147483647 -- ids are positive int32
M.CHANNELS = 3

local GODOT3 = { godot3 = true }

--- Little-endian u32 (negative numbers as two's complement i32).
function M.u32(n)
  n = n % 4294967296
  local b0, b1, b2 = n % 256, math.floor(n / 256) % 256, math.floor(n / 65536) % 256
  return string.char(b0, b1, b2, math.floor(n / 16777216))
end

--- Reads a little-endian u32 at `pos` (1-based); signed when `signed`.
function M.read_u32(s, pos, signed)
  local b0, b1, b2, b3 = s:byte(pos, pos + 3)
  local n = b0 + b1 * 256 + b2 * 65536 + b3 * 16777216
  if signed and n >= 2147483648 then
    n = n - 4294967296
  end
  return n
end

--- One game packet: header then payload.
function M.frame(source, target, payload)
  return M.u32(source) .. M.u32(target) .. payload
end

--- source, target, payload of a game packet; nil when shorter than 8 bytes.
function M.unframe(packet)
  if #packet < 8 then
    return nil
  end
  return M.read_u32(packet, 1), M.read_u32(packet, 5, true), packet:sub(9)
end

local Server = {}
Server.__index = Server

--- Wraps a bound ENetConnection (allow at least 3 channels) as a Godot 3
-- server with id 1 that relays between clients, as Godot's does by default.
function M.server(conn)
  return setmetatable({ conn = conn, peers = {}, ids = {} }, Server)
end

local function system_message(peer, message, id)
  peer:send(M.SYSCH_CONFIG, M.u32(message) .. M.u32(id), P.FLAG_RELIABLE)
end

-- Handles one ENet event; returns a high-level event or nil.
function Server:_handle(event, peer, data, channel)
  if event == C.EVENT_CONNECT then
    local id = data
    -- A client names itself by its connect data. As packet targets, ids 0
    -- and 1 mean "everyone" and "the server", and ids from 2^31 on are
    -- negative int32 ("everyone but"); a taken id would make two clients
    -- one. Godot 3's server resets such a client at once; so do we, and
    -- say so.
    local why = (id < 2 or id > M.MAX_ID) and "ids 0, 1 and above 2^31-1 are reserved"
      or self.peers[id] and "id already in use"
    if why then
      peer:reset()
      return "peer_refused", id, why
    end
    for other_id, other in pairs(self.peers) do
      system_message(peer, M.SYSMSG_ADD_PEER, other_id)
      system_message(other, M.SYSMSG_ADD_PEER, id)
    end
    self.peers[id], self.ids[peer] = peer, id
    return "peer_connected", id
  elseif event == C.EVENT_DISCONNECT then
    local id = self.ids[peer]
    if not id then
      return nil
    end
    self.peers[id], self.ids[peer] = nil, nil
    for _, other in pairs(self.peers) do
      system_message(other, M.SYSMSG_REMOVE_PEER, id)
    end
    return "peer_disconnected", id
  elseif event == C.EVENT_RECEIVE then
    local flags = peer:get_packet_flags()
    local packet = peer:get_packet()
    local id = self.ids[peer]
    local source, target, payload = M.unframe(packet or "")
    if not id or channel == M.SYSCH_CONFIG or source ~= id then
      return nil -- only the server sends config; a forged sender is dropped
    end
    -- Relay as Godot 3 does: the same bytes, channel and flags.
    for other_id, other in pairs(self.peers) do
      local wanted = (target == 0 and other_id ~= id) or (target < 0 and other_id ~= id and other_id ~= -target)
        or target == other_id
      if wanted and other_id ~= M.SERVER_ID then
        other:send(channel, packet, flags)
      end
    end
    if target == M.SERVER_ID or target == 0 or (target < 0 and target ~= -M.SERVER_ID) then
      local value, err = enet.bytes_to_var(payload, GODOT3)
      if err then
        return "bad_packet", id, err, channel
      end
      return "packet", id, value, channel
    end
  end
  return nil
end

--- Iterator over high-level events: "peer_connected", id;
-- "peer_disconnected", id; "peer_refused", id, reason (a client that
-- asked for a reserved or taken id, reset at once); "packet", id, value,
-- channel (the payload decoded as a Godot 3 Variant); "bad_packet", id,
-- message, channel.
-- Waits up to `timeout_ms` for the first ENet event, then drains.
function Server:events(timeout_ms)
  local wait = timeout_ms or 0
  return function()
    for _ = 1, 1000 do -- ENet events that are not game events are skipped
      local event, peer, data, channel = self.conn:service(wait)
      wait = 0
      if event == C.EVENT_NONE or event == C.EVENT_ERROR then
        return nil
      end
      local kind, id, value, ch = self:_handle(event, peer, data, channel)
      if kind then
        return kind, id, value, ch
      end
    end
  end
end

--- Sends `value` as Godot 3 Variant bytes from the server (id 1) to peer
-- `id` (0: every client). Reliable on channel 1, or unreliable on channel 2.
function Server:put_var(id, value, unreliable)
  local channel = unreliable and M.SYSCH_UNRELIABLE or M.SYSCH_RELIABLE
  local flags = unreliable and P.FLAG_UNSEQUENCED or P.FLAG_RELIABLE
  local packet = M.frame(M.SERVER_ID, id, enet.var_to_bytes(value, GODOT3))
  if id == 0 then
    self.conn:broadcast(channel, packet, flags)
    return true
  end
  local peer = self.peers[id]
  if not peer then
    return nil, "no peer with id " .. tostring(id)
  end
  return peer:send(channel, packet, flags)
end

return M
