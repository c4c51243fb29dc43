---@meta enetconnection.multiplayer
-- luacheck: ignore
-- (declarations for editors: empty bodies and unused arguments on purpose)
-- LuaLS annotations for `require("enetconnection.multiplayer")`, the Lua
-- server of Godot 4's high-level multiplayer (docs/multiplayer.md). Not
-- loaded at run time.

---The module table: `local MP = require("enetconnection.multiplayer")`.
---@class enetconnection.multiplayer
local MP = {}

---Godot's MultiplayerPeer.TransferMode: unordered, may be lost.
MP.TRANSFER_MODE_UNRELIABLE = 0
---In order, may be lost.
MP.TRANSFER_MODE_UNRELIABLE_ORDERED = 1
---Resent until acknowledged, in order.
MP.TRANSFER_MODE_RELIABLE = 2
---Every peer (a target id).
MP.TARGET_PEER_BROADCAST = 0
---The server's id.
MP.TARGET_PEER_SERVER = 1
---SceneMultiplayer commands: the low 3 bits of a packet's first byte.
MP.NETWORK_COMMAND_REMOTE_CALL = 0
MP.NETWORK_COMMAND_SIMPLIFY_PATH = 1
MP.NETWORK_COMMAND_CONFIRM_PATH = 2
MP.NETWORK_COMMAND_RAW = 3
MP.NETWORK_COMMAND_SPAWN = 4
MP.NETWORK_COMMAND_DESPAWN = 5
MP.NETWORK_COMMAND_SYNC = 6
MP.NETWORK_COMMAND_SYS = 7
---System commands: the second byte of a `NETWORK_COMMAND_SYS` packet.
MP.SYS_COMMAND_AUTH = 0
MP.SYS_COMMAND_ADD_PEER = 1
MP.SYS_COMMAND_DEL_PEER = 2
MP.SYS_COMMAND_RELAY = 3

---Options of `server()`.
---@class enetconnection.multiplayer.Options
---Address to bind, default "*".
---@field address? string
---UDP port, default 0 (any free port).
---@field port? integer
---ENet peer slots, default 32.
---@field max_clients? integer
---Transfer channels beyond 0 (0..253); the host allows `channels + 2` ENet channels, 0 = 255.
---@field channels? integer
---An `ENetConnection.COMPRESS_*` mode; the clients must set the same.
---@field compression? integer
---A bound ENetConnection to serve instead of creating one.
---@field connection? ENetConnection
---Turns on the auth phase; called with each auth message of a joining peer.
---@field auth_callback? fun(id: integer, bytes: string)
---Seconds a peer may stay authenticating, default 3 (0: no limit).
---@field auth_timeout? number
---Seconds for `auth_timeout`, default `os.time`.
---@field clock? fun(): number

---Creates the server (peer 1). Raises for options of the wrong type or unknown.
---@param options? enetconnection.multiplayer.Options
---@return enetconnection.multiplayer.Server|nil server
---@return string? message
---@return integer? code `ERR_CANT_CREATE` when the port is taken, ...
function MP.server(options) end

---Peer 1 of a Godot 4 high-level multiplayer session.
---@class enetconnection.multiplayer.Server
local Server = {}

---Iterator over events: "peer_connected", id; "peer_disconnected", id;
---"peer_packet", id, bytes, channel, mode; "peer_authenticating", id;
---"peer_authentication_failed", id; "unhandled_command", id, packet;
---"bad_packet", id, message. Waits up to `timeout_ms` for the first ENet event.
---@param timeout_ms? integer default 0
---@return fun(): string?, integer?, any, integer?, integer?
function Server:events(timeout_ms) end

---Godot's `send_bytes`: the peer gets `peer_packet(1, bytes)`.
---@param bytes string at least one byte
---@param id? integer 0 (default): every peer; -n: every peer but n; n: peer n
---@param mode? integer a `TRANSFER_MODE_*`, default reliable
---@param channel? integer transfer channel, default 0
---@return true|nil ok
---@return string? message
---@return integer? code `ERR_INVALID_DATA` (empty), `ERR_INVALID_PARAMETER` (id, channel), `ERR_UNCONFIGURED` (closed)
function Server:send_bytes(bytes, id, mode, channel) end

---Sends auth data to a peer that is authenticating.
---@param id integer
---@param bytes string at least one byte
---@return true|nil ok
---@return string? message
---@return integer? code `ERR_INVALID_PARAMETER`, `ERR_FILE_CANT_WRITE`
function Server:send_auth(id, bytes) end

---Completes the server's side of the auth exchange with a peer.
---@param id integer
---@return true|nil ok
---@return string? message
---@return integer? code `ERR_INVALID_PARAMETER`, `ERR_FILE_CANT_WRITE`
function Server:complete_auth(id) end

---Disconnects a peer; the others hear it left. No `peer_disconnected` event.
---@param id integer
---@return true|nil ok
---@return string? message
---@return integer? code `ERR_INVALID_PARAMETER` for an unknown id
function Server:disconnect_peer(id) end

---Ids of the connected peers, sorted.
---@return integer[]
function Server:get_peers() end

---Ids of the peers still authenticating, sorted.
---@return integer[]
function Server:get_authenticating_peers() end

---The server's id: 1.
---@return integer
function Server:get_unique_id() end

---The ENetConnection underneath.
---@return ENetConnection
function Server:get_host() end

---The ENetPacketPeer of a connected or authenticating peer, or nil.
---@param id integer
---@return ENetPacketPeer?
function Server:get_peer(id) end

---Disconnects every peer now and destroys the host it created. Idempotent.
function Server:close() end

return MP
