---@meta enetconnection
-- luacheck: ignore
-- (declarations for editors: empty bodies and unused arguments on purpose)
-- LuaLS (lua-language-server) annotations for enetconnection: completion,
-- hover docs and type checks in editors. Not loaded at run time.
--
-- Use: add this folder to the workspace library, e.g. in .luarc.json
--   { "workspace.library": ["path/to/enetconnection/library"] }
-- (luarocks installs it in the rock's folder: `luarocks show enetconnection`
-- prints where; see README.md).
--
-- Conventions (README.md): runtime failures return `nil, message, code`
-- (`code` from `enet.Error`); misuse raises a Lua error.

---The module table: `local enet = require("enetconnection")`.
---@class enetconnection
---This module's version, e.g. "0.1.0".
---@field VERSION string
---The version of the libenet it runs on, e.g. "1.3.17".
---@field ENET_VERSION string
---Godot's Error codes, name to number and number to name.
---@field Error enetconnection.Error
---Godot's null inside Variant containers (a NULL light userdata).
---@field null lightuserdata
---@field ENetConnection ENetConnectionClass
---@field ENetPacketPeer ENetPacketPeerClass
---@field TLSOptions TLSOptionsClass
---@field CryptoKey CryptoKeyClass
---@field X509Certificate X509CertificateClass
---@field Crypto Crypto
local enet = {}

---A new connection without a host: `ENetConnection.new()`.
---@return ENetConnection
function enet.new() end

---(Lua) Whether libenet's socket calls reach this module's socket layer,
---which DTLS and the socket counters need. False when libenet was loaded
---globally before this module: plain ENet works, DTLS setup returns
---`ERR_UNAVAILABLE`.
---@return boolean
function enet.socket_layer_active() end

---Options of the Variant codec.
---@class enetconnection.VariantOptions
---Godot 3.x type ids and payloads.
---@field godot3? boolean
---64-bit vectors and transforms (a Godot built with precision=double).
---@field double_precision? boolean

---Encodes a value as Godot Variant bytes (Godot's `var_to_bytes`).
---Raises for values Godot cannot represent (functions, cycles, a string
---that is not UTF-8 where Godot expects text: send bytes as
---`enet.PackedByteArray(s)`, ...).
---@param value any nil, boolean, number, string, table, or `enet.null`
---@param options? enetconnection.VariantOptions|false `false`: Godot 3's `full_objects` (`true` raises)
---@return string bytes
function enet.var_to_bytes(value, options) end

---Decodes Godot Variant bytes (Godot's `bytes_to_var`, objects not allowed).
---Godot's null decodes to nil: test the second result. A value that would
---take more Lua memory than 8 times `#bytes` + 1 MiB is refused with
---`ERR_INVALID_DATA` (docs/variant.md, "Memory budget"), as is a string
---that is not UTF-8 (Godot refuses it too).
---@param bytes string
---@param options? enetconnection.VariantOptions|false `false`: Godot 3's `allow_objects` (`true` raises)
---@return any value
---@return string? message
---@return integer? code `ERR_INVALID_DATA`, `ERR_FILE_EOF`, `ERR_UNAUTHORIZED`, `ERR_OUT_OF_MEMORY`
function enet.bytes_to_var(bytes, options) end

---Marks a table (or a new one) as a Godot Array: encoded as an Array even
---when empty; use `enet.null` for null elements.
---@generic T: table
---@param t? T
---@return T
function enet.Array(t) end

---Marks a table (or a new one) as a Godot Dictionary, even when its keys
---are 1..n.
---@generic T: table
---@param t? T
---@return T
function enet.Dictionary(t) end

-- ---------------------------------------------------------------------------
-- Godot Error codes

---Godot's `@GlobalScope.Error`; also maps each number back to its name
---(`enet.Error[20] == "ERR_CANT_CREATE"`).
---@class enetconnection.Error
---@field [integer] string
---@field OK 0
---@field FAILED 1
---@field ERR_UNAVAILABLE 2
---@field ERR_UNCONFIGURED 3
---@field ERR_UNAUTHORIZED 4
---@field ERR_PARAMETER_RANGE_ERROR 5
---@field ERR_OUT_OF_MEMORY 6
---@field ERR_FILE_NOT_FOUND 7
---@field ERR_FILE_BAD_DRIVE 8
---@field ERR_FILE_BAD_PATH 9
---@field ERR_FILE_NO_PERMISSION 10
---@field ERR_FILE_ALREADY_IN_USE 11
---@field ERR_FILE_CANT_OPEN 12
---@field ERR_FILE_CANT_WRITE 13
---@field ERR_FILE_CANT_READ 14
---@field ERR_FILE_UNRECOGNIZED 15
---@field ERR_FILE_CORRUPT 16
---@field ERR_FILE_MISSING_DEPENDENCIES 17
---@field ERR_FILE_EOF 18
---@field ERR_CANT_OPEN 19
---@field ERR_CANT_CREATE 20
---@field ERR_QUERY_FAILED 21
---@field ERR_ALREADY_IN_USE 22
---@field ERR_LOCKED 23
---@field ERR_TIMEOUT 24
---@field ERR_CANT_CONNECT 25
---@field ERR_CANT_RESOLVE 26
---@field ERR_CONNECTION_ERROR 27
---@field ERR_CANT_ACQUIRE_RESOURCE 28
---@field ERR_CANT_FORK 29
---@field ERR_INVALID_DATA 30
---@field ERR_INVALID_PARAMETER 31
---@field ERR_ALREADY_EXISTS 32
---@field ERR_DOES_NOT_EXIST 33
---@field ERR_DATABASE_CANT_READ 34
---@field ERR_DATABASE_CANT_WRITE 35
---@field ERR_COMPILATION_FAILED 36
---@field ERR_METHOD_NOT_FOUND 37
---@field ERR_LINK_FAILED 38
---@field ERR_SCRIPT_FAILED 39
---@field ERR_CYCLIC_LINK 40
---@field ERR_INVALID_DECLARATION 41
---@field ERR_DUPLICATE_SYMBOL 42
---@field ERR_PARSE_ERROR 43
---@field ERR_BUSY 44
---@field ERR_SKIP 45
---@field ERR_HELP 46
---@field ERR_BUG 47
---@field ERR_PRINTER_ON_FIRE 48

-- ---------------------------------------------------------------------------
-- ENetConnection

---Compression modes for `ENetConnection:compress` (Godot's values).
---@enum ENetConnection.CompressionMode
local CompressionMode = {
  COMPRESS_NONE = 0,
  COMPRESS_RANGE_CODER = 1,
  COMPRESS_FASTLZ = 2,
  COMPRESS_ZLIB = 3,
  COMPRESS_ZSTD = 4,
}

---Event types of `ENetConnection:service` and `events`.
---@enum ENetConnection.EventType
local EventType = {
  EVENT_ERROR = -1,
  EVENT_NONE = 0,
  EVENT_CONNECT = 1,
  EVENT_DISCONNECT = 2,
  EVENT_RECEIVE = 3,
}

---Host statistics for `ENetConnection:pop_statistic`.
---@enum ENetConnection.HostStatistic
local HostStatistic = {
  HOST_TOTAL_SENT_DATA = 0,
  HOST_TOTAL_SENT_PACKETS = 1,
  HOST_TOTAL_RECEIVED_DATA = 2,
  HOST_TOTAL_RECEIVED_PACKETS = 3,
}

---A host that connects to peers and accepts them: Godot's ENetConnection.
---After `destroy()` every method raises "connection destroyed", except
---`create_host` and `create_host_bound`, which give it a new host (as Godot).
---@class ENetConnection
local ENetConnection = {}

---The class table `enet.ENetConnection`: constants, enum tables and `new`.
---The enum tables also map each value back to its name (`EventType[3] == "EVENT_RECEIVE"`).
---@class ENetConnectionClass: ENetConnection
---@field CompressionMode ENetConnection.CompressionMode
---@field EventType ENetConnection.EventType
---@field HostStatistic ENetConnection.HostStatistic
local ENetConnectionClass = {}

ENetConnectionClass.COMPRESS_NONE = CompressionMode.COMPRESS_NONE
ENetConnectionClass.COMPRESS_RANGE_CODER = CompressionMode.COMPRESS_RANGE_CODER
ENetConnectionClass.COMPRESS_FASTLZ = CompressionMode.COMPRESS_FASTLZ
ENetConnectionClass.COMPRESS_ZLIB = CompressionMode.COMPRESS_ZLIB
ENetConnectionClass.COMPRESS_ZSTD = CompressionMode.COMPRESS_ZSTD
ENetConnectionClass.EVENT_ERROR = EventType.EVENT_ERROR
ENetConnectionClass.EVENT_NONE = EventType.EVENT_NONE
ENetConnectionClass.EVENT_CONNECT = EventType.EVENT_CONNECT
ENetConnectionClass.EVENT_DISCONNECT = EventType.EVENT_DISCONNECT
ENetConnectionClass.EVENT_RECEIVE = EventType.EVENT_RECEIVE
ENetConnectionClass.HOST_TOTAL_SENT_DATA = HostStatistic.HOST_TOTAL_SENT_DATA
ENetConnectionClass.HOST_TOTAL_SENT_PACKETS = HostStatistic.HOST_TOTAL_SENT_PACKETS
ENetConnectionClass.HOST_TOTAL_RECEIVED_DATA = HostStatistic.HOST_TOTAL_RECEIVED_DATA
ENetConnectionClass.HOST_TOTAL_RECEIVED_PACKETS = HostStatistic.HOST_TOTAL_RECEIVED_PACKETS

---A new connection without a host; call `create_host` or `create_host_bound` next.
---@return ENetConnection
function ENetConnectionClass.new() end

---(Lua) Socket options of `create_host` and `create_host_bound`: all optional.
---@class enetconnection.SocketOptions
---Several hosts (in this process or others of the same user) may bind the
---same address and port; every one must ask (Linux `SO_REUSEPORT`). The
---system keeps each remote on one host while no host joins or leaves the
---port; one that does moves remotes (README: "Sharing one port across
---processes"). Needs the socket layer: `ERR_UNAVAILABLE` when
---`enet.socket_layer_active()` is false.
---@field reuse_port? boolean
---Receive buffer in bytes (1..2147483647) instead of ENet's 256 KiB;
---Linux doubles it and caps it at `net.core.rmem_max` (see `get_socket_options`).
---@field receive_buffer? integer
---Send buffer in bytes, likewise (`net.core.wmem_max`).
---@field send_buffer? integer

---Creates a host bound to every address on a port the system picks: a client (a dual-stack socket, as "*").
---@param max_peers? integer 1..4095 (default 32)
---@param max_channels? integer 1..255; 0 (default) means 255
---@param in_bandwidth? integer bytes per second, 0 (default) unlimited
---@param out_bandwidth? integer bytes per second, 0 (default) unlimited
---@param options? enetconnection.SocketOptions (Lua) socket options; may also stand in place of `max_peers`
---@return true|nil ok
---@return string? message
---@return integer? code `ERR_ALREADY_IN_USE`, `ERR_CANT_CREATE` (socket refused, or 65,536 files open), `ERR_UNAVAILABLE` (`reuse_port` with the socket layer bypassed)
---@overload fun(self: ENetConnection, options: enetconnection.SocketOptions): true|nil, string?, integer?
function ENetConnection:create_host(max_peers, max_channels, in_bandwidth, out_bandwidth, options) end

---Creates a host bound to `address` and `port`: a server.
---@param address string an IPv4 address ("127.0.0.1": an IPv4 socket), an IPv6 one ("::1", "::": IPv6 only), "*" (every address of both families: dual stack), or a host name (README, "Addresses", "IPv6")
---@param port integer 0..65535; 0 lets the system pick (see `get_local_port`)
---@param max_peers? integer 1..4095 (default 32)
---@param max_channels? integer 1..255; 0 (default) means 255
---@param in_bandwidth? integer bytes per second, 0 (default) unlimited
---@param out_bandwidth? integer bytes per second, 0 (default) unlimited
---@param options? enetconnection.SocketOptions (Lua) socket options, e.g. `{reuse_port = true}`; may also stand in place of `max_peers`
---@return true|nil ok
---@return string? message
---@return integer? code `ERR_CANT_CREATE` (port in use, or 65,536 files open), `ERR_INVALID_PARAMETER` (address, or port out of range), `ERR_ALREADY_IN_USE`, `ERR_UNAVAILABLE` (`reuse_port` or an IPv6 address with the socket layer bypassed, IPv6 on a machine without it)
---@overload fun(self: ENetConnection, address: string, port: integer, options: enetconnection.SocketOptions): true|nil, string?, integer?
function ENetConnection:create_host_bound(address, port, max_peers, max_channels, in_bandwidth, out_bandwidth, options) end

---Starts connecting to a remote host; the peer is usable after `EVENT_CONNECT`.
---A host may connect to several remotes (Godot refuses a second: a deliberate difference).
---When nothing answers (no server there, a firewall, a full server, different
---compression or DTLS settings), `EVENT_DISCONNECT` comes after ENet's timeout.
---@param address string an IPv4 or IPv6 address ("127.0.0.1", "::1") or a host name (README, "Addresses", "IPv6")
---@param port integer 1..65535
---@param channels? integer 1..255; 0 (default) means 255
---@param data? integer 32-bit value the remote sees in its `EVENT_CONNECT`
---@return ENetPacketPeer|nil peer
---@return string? message
---@return integer? code `ERR_CANT_RESOLVE`, `ERR_INVALID_PARAMETER` (port out of range), `ERR_UNAVAILABLE` (an address of a family the host's socket does not reach), `ERR_CANT_CREATE` (no free slot), `ERR_UNCONFIGURED`
function ENetConnection:connect_to_host(address, port, channels, data) end

---Waits up to `timeout` ms for one event (Godot's four values, no Array).
---On `EVENT_RECEIVE` the packet is queued on the peer: `peer:get_packet()`.
---Idle, it returns `EVENT_NONE` (0), and 0 is true in Lua: loop on
---`t ~= C.EVENT_NONE`, not on `t` as lua-enet's `while event do` does.
---@param timeout? integer milliseconds, default 0
---@return ENetConnection.EventType type
---@return ENetPacketPeer? peer
---@return integer data connect or disconnect data, else 0
---@return integer channel
function ENetConnection:service(timeout) end

---(Lua) Iterator over events: waits up to `timeout` ms for the first, then
---drains the ready ones. On `EVENT_RECEIVE`, `data` is the packet string.
---```lua
---for event, peer, data, channel in conn:events(10) do ... end
---```
---@param timeout? integer milliseconds for the first event, default 0
---@return fun(): ENetConnection.EventType, ENetPacketPeer, integer|string, integer
function ENetConnection:events(timeout) end

---Sends every queued packet now.
function ENetConnection:flush() end

---Destroys the host: connected peers are told at once, every peer object
---goes dead. Idempotent; also run by `__gc` and `__close`. `create_host` or
---`create_host_bound` may then give the object a new host ("restart server").
function ENetConnection:destroy() end

---Sets the host's bandwidth limits (bytes per second, 0 unlimited).
---@param in_bandwidth? integer
---@param out_bandwidth? integer
function ENetConnection:bandwidth_limit(in_bandwidth, out_bandwidth) end

---Limits the channels of future connections (0 means 255).
---@param limit integer
function ENetConnection:channel_limit(limit) end

---While true, new connection requests are ignored (no answer; a DTLS
---server also starts no handshake with a new address); connected peers stay.
---@param refuse boolean
function ENetConnection:refuse_new_connections(refuse) end

---Compresses every datagram with `mode`, wire-compatible with Godot. Both
---ends must use the same mode.
---@param mode ENetConnection.CompressionMode
function ENetConnection:compress(mode) end

---Sends a packet to every connected peer.
---@param channel integer
---@param packet string
---@param flags? integer `ENetPacketPeer.FLAG_*` added together (0: unreliable, sequenced); default FLAG_RELIABLE
---@return true|nil ok
---@return string? message
---@return integer? code `ERR_INVALID_PARAMETER` for a packet over `get_max_packet_size()` (sent to nobody)
function ENetConnection:broadcast(channel, packet, flags) end

---Sends one raw UDP datagram from the host's socket, outside ENet: at most
---65,507 bytes (one UDP datagram), 4,096 on a DTLS host (one record).
---@param address string an IPv4 or IPv6 address, or a host name (README, "Addresses")
---@param port integer
---@param packet string
---@return true|nil ok
---@return string? message
---@return integer? code `ERR_CANT_RESOLVE`, `ERR_INVALID_PARAMETER` (port out of range, packet too large), `ERR_UNAVAILABLE` (an address of a family the host's socket does not reach), `FAILED`, `ERR_BUSY`
function ENetConnection:socket_send(address, port, packet) end

---Encrypts the host's traffic as a DTLS server.
---@param tls_options TLSOptions from `TLSOptions.server(key, certificate)`
---@return true|nil ok
---@return string? message
---@return integer? code `ERR_UNCONFIGURED`, `ERR_INVALID_PARAMETER`, `FAILED` (a second setup), `ERR_UNAVAILABLE`
function ENetConnection:dtls_server_setup(tls_options) end

---Encrypts the host's connection to a server with DTLS; call before
---`connect_to_host`. nil options: `TLSOptions.client()` (system CAs).
---@param hostname string the name the server's certificate must bear
---@param tls_options? TLSOptions a client's options
---@return true|nil ok
---@return string? message
---@return integer? code `ERR_UNCONFIGURED`, `ERR_INVALID_PARAMETER`, `FAILED` (a second setup), `ERR_UNAVAILABLE`, `ERR_FILE_CANT_OPEN`
function ENetConnection:dtls_client_setup(hostname, tls_options) end

---(Lua) Why DTLS last failed on this host (a refused certificate, a
---handshake without answer, ...); nil when nothing failed or no DTLS. A
---failed client handshake ends its peer at once: this is set before that
---`EVENT_DISCONNECT` is returned.
---@return string|nil message
---@return integer? code `ERR_UNAUTHORIZED`, `ERR_TIMEOUT`, `ERR_CONNECTION_ERROR`
function ENetConnection:dtls_get_error() end

---The UDP port the host is bound to.
---@return integer
function ENetConnection:get_local_port() end

---The host's channel limit.
---@return integer
function ENetConnection:get_max_channels() end

---The peers that are not disconnected, as a new array.
---@return ENetPacketPeer[]
function ENetConnection:get_peers() end

---Reads a host counter and resets it to 0.
---@param statistic ENetConnection.HostStatistic
---@return integer
function ENetConnection:pop_statistic(statistic) end

---Wire-level figures of the socket layer for this host.
---@class enetconnection.SocketCounters
---@field datagrams_sent integer
---@field bytes_sent integer
---@field datagrams_received integer
---@field bytes_received integer
---@field datagrams_dropped integer oversized or empty datagrams, never handed to ENet
---Receive system calls, empty ones too: fewer than datagrams when bursts are read in batches.
---@field receive_calls integer
---Datagrams the system refused to send to their destination (unroutable, firewalled): lost, so ENet times that peer out.
---@field send_errors integer
---Compressed datagrams this host's mode (or no compression) cannot decompress: a remote with another `compress` mode (see `get_receive_error`).
---@field datagrams_undecompressed integer
---DTLS host: datagrams that are not DTLS (a plain ENet client) and records of an open session that do not authenticate; plain host: DTLS handshakes (a DTLS client).
---@field datagrams_undecrypted integer
---Not a counter: the IPv6 remotes (address and port) the host's bounded table holds now.
---@field ipv6_remotes integer
---With a simulated link (`simulate`): datagrams it lost.
---@field simulated_lost? integer
---@field simulated_duplicated? integer
---@field simulated_reordered? integer
---Datagrams dropped because 8,192 were already in flight.
---@field simulated_overflowed? integer

---(Lua) What the socket layer saw of this host (after compression and encryption).
---@return enetconnection.SocketCounters
function ENetConnection:get_socket_counters() end

---(Lua) Why the host dropped datagrams from a remote set up differently
---(another compression mode, DTLS on one side only): the first such
---datagram of each remote (the last 16 remembered) replaces the message,
---e.g. "compression mismatch with 127.0.0.1:5000? ...".
---@return string|nil message naming the remote as `address:port`; nil when nothing was dropped for these reasons
---@return integer? code `ERR_INVALID_DATA`
function ENetConnection:get_receive_error() end

---The host socket's options as the system applied them.
---@class enetconnection.SocketOptionValues
---@field reuse_port boolean
---Bytes, as the system reports them: on Linux twice what was asked, capped by `net.core.rmem_max`.
---@field receive_buffer integer
---@field send_buffer integer

---(Lua) The host socket's options as the system applied them (see `enetconnection.SocketOptions`).
---@return enetconnection.SocketOptionValues|nil options
---@return string? message
---@return integer? code `FAILED` when the system does not say
function ENetConnection:get_socket_options() end

---(Lua) The host's UDP socket descriptor, for an event loop (luv, copas,
---cqueues): watch it for readability only; on each wakeup call `service(0)`
---until `EVENT_NONE` (ENet may already hold read datagrams), and also call
---`service(0)` from a timer every 10 to 50 ms (resends, pings, timeouts).
---Never read, write or close it. On a DTLS host: the same socket, encrypted.
---@return integer|nil fd
---@return string? message
---@return integer? code `ERR_UNCONFIGURED` before `create_host*` (after `destroy()` it raises)
function ENetConnection:get_socket_fd() end

---A simulated bad link: all fields optional, default 0.
---@class enetconnection.SimulatedLink
---Probability (0..1) that a datagram is lost.
---@field loss? number
---Probability that a datagram is sent a second time.
---@field duplicate? number
---Probability that a datagram is held back so later ones overtake it.
---@field reorder? number
---Milliseconds added to every datagram (0..60000).
---@field latency? integer
---Plus a uniform random 0..jitter milliseconds.
---@field jitter? integer
---The generator's seed: the same seed gives the same decisions.
---@field seed? integer

---(Lua) Puts a simulated bad link under this host's outgoing datagrams;
---`simulate()` restores the real link. See docs/reliability.md.
---```lua
---host:simulate{loss = 0.2, latency = 40, jitter = 20, seed = 1}
---```
---@param link? enetconnection.SimulatedLink
function ENetConnection:simulate(link) end

---(Lua) Bounds the bytes of unread packets each peer may hold (default
---32 MiB); a packet over the bound is dropped and counted by
---`peer:get_dropped_packet_count()`.
---@param bytes integer 1..2^48
function ENetConnection:set_max_unread_bytes(bytes) end

---(Lua) The per-peer bound on unread bytes (default 33554432).
---@return integer
function ENetConnection:get_max_unread_bytes() end

-- ---------------------------------------------------------------------------
-- ENetPacketPeer

---Connection states of `ENetPacketPeer:get_state` (ENet's order).
---@enum ENetPacketPeer.PeerState
local PeerState = {
  STATE_DISCONNECTED = 0,
  STATE_CONNECTING = 1,
  STATE_ACKNOWLEDGING_CONNECT = 2,
  STATE_CONNECTION_PENDING = 3,
  STATE_CONNECTION_SUCCEEDED = 4,
  STATE_CONNECTED = 5,
  STATE_DISCONNECT_LATER = 6,
  STATE_DISCONNECTING = 7,
  STATE_ACKNOWLEDGING_DISCONNECT = 8,
  STATE_ZOMBIE = 9,
}

---Statistics for `ENetPacketPeer:get_statistic`.
---@enum ENetPacketPeer.PeerStatistic
local PeerStatistic = {
  PEER_PACKET_LOSS = 0,
  PEER_PACKET_LOSS_VARIANCE = 1,
  PEER_PACKET_LOSS_EPOCH = 2,
  PEER_ROUND_TRIP_TIME = 3,
  PEER_ROUND_TRIP_TIME_VARIANCE = 4,
  PEER_LAST_ROUND_TRIP_TIME = 5,
  PEER_LAST_ROUND_TRIP_TIME_VARIANCE = 6,
  PEER_PACKET_THROTTLE = 7,
  PEER_PACKET_THROTTLE_LIMIT = 8,
  PEER_PACKET_THROTTLE_COUNTER = 9,
  PEER_PACKET_THROTTLE_EPOCH = 10,
  PEER_PACKET_THROTTLE_ACCELERATION = 11,
  PEER_PACKET_THROTTLE_DECELERATION = 12,
  PEER_PACKET_THROTTLE_INTERVAL = 13,
}

---A remote host as seen from a connection: Godot's ENetPacketPeer. The
---same remote always yields the same object (usable as a table key). A dead
---peer keeps its address and unread packets; `send` returns
---`nil, msg, ERR_UNCONFIGURED` and most other methods raise.
---@class ENetPacketPeer
---(Lua) A table for the game's own data, made with the peer; may be replaced.
---@field user table
local ENetPacketPeer = {}

---The class table `enet.ENetPacketPeer`: constants and enum tables (which
---also map each value back to its name).
---@class ENetPacketPeerClass: ENetPacketPeer
---@field PeerState ENetPacketPeer.PeerState
---@field PeerStatistic ENetPacketPeer.PeerStatistic
local ENetPacketPeerClass = {}

---Resent until acknowledged, in order.
ENetPacketPeerClass.FLAG_RELIABLE = 1
---Unreliable and unordered.
ENetPacketPeerClass.FLAG_UNSEQUENCED = 2
---Packets larger than the MTU go in unreliable fragments.
ENetPacketPeerClass.FLAG_UNRELIABLE_FRAGMENT = 8
---`PEER_PACKET_LOSS` is a fraction of this.
ENetPacketPeerClass.PACKET_LOSS_SCALE = 65536
---The packet throttle's full scale.
ENetPacketPeerClass.PACKET_THROTTLE_SCALE = 32

ENetPacketPeerClass.STATE_DISCONNECTED = PeerState.STATE_DISCONNECTED
ENetPacketPeerClass.STATE_CONNECTING = PeerState.STATE_CONNECTING
ENetPacketPeerClass.STATE_ACKNOWLEDGING_CONNECT = PeerState.STATE_ACKNOWLEDGING_CONNECT
ENetPacketPeerClass.STATE_CONNECTION_PENDING = PeerState.STATE_CONNECTION_PENDING
ENetPacketPeerClass.STATE_CONNECTION_SUCCEEDED = PeerState.STATE_CONNECTION_SUCCEEDED
ENetPacketPeerClass.STATE_CONNECTED = PeerState.STATE_CONNECTED
ENetPacketPeerClass.STATE_DISCONNECT_LATER = PeerState.STATE_DISCONNECT_LATER
ENetPacketPeerClass.STATE_DISCONNECTING = PeerState.STATE_DISCONNECTING
ENetPacketPeerClass.STATE_ACKNOWLEDGING_DISCONNECT = PeerState.STATE_ACKNOWLEDGING_DISCONNECT
ENetPacketPeerClass.STATE_ZOMBIE = PeerState.STATE_ZOMBIE

ENetPacketPeerClass.PEER_PACKET_LOSS = PeerStatistic.PEER_PACKET_LOSS
ENetPacketPeerClass.PEER_PACKET_LOSS_VARIANCE = PeerStatistic.PEER_PACKET_LOSS_VARIANCE
ENetPacketPeerClass.PEER_PACKET_LOSS_EPOCH = PeerStatistic.PEER_PACKET_LOSS_EPOCH
ENetPacketPeerClass.PEER_ROUND_TRIP_TIME = PeerStatistic.PEER_ROUND_TRIP_TIME
ENetPacketPeerClass.PEER_ROUND_TRIP_TIME_VARIANCE = PeerStatistic.PEER_ROUND_TRIP_TIME_VARIANCE
ENetPacketPeerClass.PEER_LAST_ROUND_TRIP_TIME = PeerStatistic.PEER_LAST_ROUND_TRIP_TIME
ENetPacketPeerClass.PEER_LAST_ROUND_TRIP_TIME_VARIANCE = PeerStatistic.PEER_LAST_ROUND_TRIP_TIME_VARIANCE
ENetPacketPeerClass.PEER_PACKET_THROTTLE = PeerStatistic.PEER_PACKET_THROTTLE
ENetPacketPeerClass.PEER_PACKET_THROTTLE_LIMIT = PeerStatistic.PEER_PACKET_THROTTLE_LIMIT
ENetPacketPeerClass.PEER_PACKET_THROTTLE_COUNTER = PeerStatistic.PEER_PACKET_THROTTLE_COUNTER
ENetPacketPeerClass.PEER_PACKET_THROTTLE_EPOCH = PeerStatistic.PEER_PACKET_THROTTLE_EPOCH
ENetPacketPeerClass.PEER_PACKET_THROTTLE_ACCELERATION = PeerStatistic.PEER_PACKET_THROTTLE_ACCELERATION
ENetPacketPeerClass.PEER_PACKET_THROTTLE_DECELERATION = PeerStatistic.PEER_PACKET_THROTTLE_DECELERATION
ENetPacketPeerClass.PEER_PACKET_THROTTLE_INTERVAL = PeerStatistic.PEER_PACKET_THROTTLE_INTERVAL

---Queues a packet for the peer; it leaves at the next `service` or `flush`.
---@param channel integer 0..channels-1
---@param packet string
---@param flags? integer `FLAG_*` added together (0: unreliable, sequenced); default FLAG_RELIABLE, as lua-enet
---@return true|nil ok
---@return string? message
---@return integer? code `FAILED` (not connected yet, or out of memory), `ERR_UNCONFIGURED` (peer gone), `ERR_INVALID_PARAMETER` (over `get_max_packet_size()`: nothing sent)
function ENetPacketPeer:send(channel, packet, flags) end

---Sends a packet on channel 0, reliable. An empty packet is not sent (true is
---returned), as in Godot.
---@param packet string
---@return true|nil ok
---@return string? message
---@return integer? code as `send`
function ENetPacketPeer:put_packet(packet) end

---Sends a value as Godot Variant bytes, like `put_packet`. Raises for
---values Godot cannot represent (a string that is not UTF-8 where Godot
---expects text: send bytes as `enet.PackedByteArray(s)`). An encoding
---larger than `get_encode_buffer_max_size()` is not sent: nil, message,
---`ERR_OUT_OF_MEMORY`, as Godot.
---@param value any
---@param options? enetconnection.VariantOptions|false `false`: Godot's `full_objects` (`true` raises)
---@return true|nil ok
---@return string? message
---@return integer? code `ERR_OUT_OF_MEMORY`, or as `send`
function ENetPacketPeer:put_var(value, options) end

---The largest Variant encoding `put_var` sends, in bytes (Godot's
---`encode_buffer_max_size`, default 8 MiB).
---@return integer
function ENetPacketPeer:get_encode_buffer_max_size() end

---Sets the largest Variant encoding `put_var` sends: 1024 .. 256 MiB
---(raises outside), rounded up to a power of two as Godot does.
---@param max_size integer
function ENetPacketPeer:set_encode_buffer_max_size(max_size) end

---Takes the next received packet and decodes it as a Godot Variant (the
---packet is consumed either way). nil is also Godot's null: test the second result.
---A value that would take more Lua memory than 8 times the packet's size
---+ 1 MiB is refused with `ERR_INVALID_DATA` (docs/variant.md, "Memory budget"),
---as is a string that is not UTF-8 (Godot refuses it too).
---@param options? enetconnection.VariantOptions|false `false`: Godot's `allow_objects` (`true` raises)
---@return any value
---@return string? message
---@return integer? code `ERR_UNAVAILABLE`, `ERR_INVALID_DATA`, `ERR_FILE_EOF`, ...
function ENetPacketPeer:get_var(options) end

---Takes the next received packet from the queue.
---@return string|nil packet
---@return string? message
---@return integer? code `ERR_UNAVAILABLE` when the queue is empty
function ENetPacketPeer:get_packet() end

---The `FLAG_*` bits of the next queued packet; 0 when none is queued, as Godot
---(`get_available_packet_count` tells whether one is).
---@return integer
function ENetPacketPeer:get_packet_flags() end

---(Lua) The channel of the next queued packet; 0 when none is queued.
---@return integer
function ENetPacketPeer:get_packet_channel() end

---How many received packets wait in the queue.
---@return integer
function ENetPacketPeer:get_available_packet_count() end

---(Lua) Packets dropped because 65,536 unread ones were queued, or
---`set_max_unread_bytes` of the connection was reached.
---@return integer
function ENetPacketPeer:get_dropped_packet_count() end

---The Error code of the last `get_packet` / `get_var` (0 = OK).
---@return integer
function ENetPacketPeer:get_packet_error() end

---Godot's packet size limit, 16777216: `send`, `put_packet`, `put_var` and
---`broadcast` refuse larger packets (`ERR_INVALID_PARAMETER`).
---@return integer
function ENetPacketPeer:get_max_packet_size() end

---Asks the peer to disconnect; `EVENT_DISCONNECT` follows. No-op on a dead peer.
---@param data? integer 32-bit disconnect data, default 0
function ENetPacketPeer:peer_disconnect(data) end

---Disconnects once every queued packet is sent.
---@param data? integer
function ENetPacketPeer:peer_disconnect_later(data) end

---Disconnects at once; no `EVENT_DISCONNECT` follows, the peer is dead on return.
---@param data? integer
function ENetPacketPeer:peer_disconnect_now(data) end

---Sends a ping now. No-op on a dead peer.
function ENetPacketPeer:ping() end

---How often ENet pings when nothing else is sent (ms; 0 restores 500).
---No-op on a dead peer.
---@param interval integer
function ENetPacketPeer:ping_interval(interval) end

---Drops the connection without telling the remote; the peer is dead on return.
---No-op on a dead peer.
function ENetPacketPeer:reset() end

---When an unresponsive peer is dropped (ENet's `enet_peer_timeout`).
---Requires timeout <= timeout_min <= timeout_max. No-op on a dead peer.
---@param timeout integer the limit factor (ENet default 32)
---@param timeout_min integer ms (ENet default 5000)
---@param timeout_max integer ms (ENet default 30000)
function ENetPacketPeer:set_timeout(timeout, timeout_min, timeout_max) end

---Configures ENet's packet throttle. No-op on a dead peer.
---@param interval integer ms
---@param acceleration integer
---@param deceleration integer
function ENetPacketPeer:throttle_configure(interval, acceleration, deceleration) end

---The remote's address: "127.0.0.1" for an IPv4 remote (also on a dual-stack host), "::1" for an IPv6 one (kept after the peer dies).
---@return string
function ENetPacketPeer:get_remote_address() end

---The remote's UDP port (kept after the peer dies).
---@return integer
function ENetPacketPeer:get_remote_port() end

---The connection state; `STATE_DISCONNECTED` once the peer is dead.
---@return ENetPacketPeer.PeerState
function ENetPacketPeer:get_state() end

---One of ENet's figures about this peer; 0 on a dead peer, as Godot.
---@param statistic ENetPacketPeer.PeerStatistic
---@return integer
function ENetPacketPeer:get_statistic(statistic) end

---The number of channels of the connection; on a dead peer the last count
---it had (Godot: 0).
---@return integer
function ENetPacketPeer:get_channels() end

---True while the connection is valid (connecting or connected).
---@return boolean
function ENetPacketPeer:is_active() end

-- ---------------------------------------------------------------------------
-- TLS objects

---How a DTLS endpoint proves and checks identities: Godot's TLSOptions.
---@class TLSOptions
local TLSOptions = {}

---The class table `enet.TLSOptions`.
---@class TLSOptionsClass
local TLSOptionsClass = {}

---Options of a client that verifies the server's certificate and name.
---@param trusted_chain? X509Certificate CAs or the server's self-signed certificate; nil: system CAs
---@param common_name_override? string name to expect instead of the hostname
---@return TLSOptions|nil options
---@return string? message
---@return integer? code `ERR_INVALID_PARAMETER`
function TLSOptionsClass.client(trusted_chain, common_name_override) end

---Options of a client that does not check the server's name. Given a chain, the
---server's certificate must still chain to it; given none, nothing is checked.
---For tests and development (as Godot's).
---@param trusted_chain? X509Certificate CAs or the server's self-signed certificate; nil: no verification
---@return TLSOptions|nil options
---@return string? message
---@return integer? code
function TLSOptionsClass.client_unsafe(trusted_chain) end

---Options of a server.
---@param key CryptoKey the certificate's private key
---@param certificate X509Certificate the server's certificate (or chain)
---@return TLSOptions|nil options
---@return string? message
---@return integer? code `ERR_INVALID_PARAMETER`
function TLSOptionsClass.server(key, certificate) end

---True for server options.
---@return boolean
function TLSOptions:is_server() end

---True for `client_unsafe` options.
---@return boolean
function TLSOptions:is_unsafe_client() end

---The name a client expects instead of the hostname ("" when none).
---@return string
function TLSOptions:get_common_name_override() end

---A client's trusted chain; nil when none was given.
---@return X509Certificate?
function TLSOptions:get_trusted_ca_chain() end

---A server's private key; nil for clients.
---@return CryptoKey?
function TLSOptions:get_private_key() end

---A server's certificate; nil for clients.
---@return X509Certificate?
function TLSOptions:get_own_certificate() end

---An RSA or EC key, private or public only: Godot's CryptoKey.
---@class CryptoKey
local CryptoKey = {}

---The class table `enet.CryptoKey`.
---@class CryptoKeyClass
local CryptoKeyClass = {}

---An empty key.
---@return CryptoKey
function CryptoKeyClass.new() end

---(Lua) A new key read from a PEM or DER file.
---@param path string
---@param public_only? boolean
---@return CryptoKey|nil key
---@return string? message
---@return integer? code `ERR_FILE_NOT_FOUND`, `ERR_FILE_CANT_OPEN`, `ERR_FILE_CORRUPT`, ...
function CryptoKeyClass.from_file(path, public_only) end

---(Lua) A new key read from a PEM string.
---@param pem string
---@param public_only? boolean
---@return CryptoKey|nil key
---@return string? message
---@return integer? code `ERR_INVALID_DATA`
function CryptoKeyClass.from_pem(pem, public_only) end

---Replaces the key with the one in a file.
---@param path string
---@param public_only? boolean
---@return true|nil ok
---@return string? message
---@return integer? code
function CryptoKey:load(path, public_only) end

---Writes the key as PEM (a new private key file gets mode 0600).
---@param path string
---@param public_only? boolean default: `is_public_only()`
---@return true|nil ok
---@return string? message
---@return integer? code `ERR_UNCONFIGURED`, `ERR_UNAVAILABLE`, `ERR_FILE_CANT_WRITE`, ...
function CryptoKey:save(path, public_only) end

---Replaces the key with the one in a PEM string.
---@param pem string
---@param public_only? boolean
---@return true|nil ok
---@return string? message
---@return integer? code `ERR_INVALID_DATA`
function CryptoKey:load_from_string(pem, public_only) end

---The key as PEM.
---@param public_only? boolean default: `is_public_only()`
---@return string|nil pem
---@return string? message
---@return integer? code `ERR_UNCONFIGURED`, `ERR_UNAVAILABLE`
function CryptoKey:save_to_string(public_only) end

---(Lua) Same as `save_to_string`.
---@param public_only? boolean
---@return string|nil pem
---@return string? message
---@return integer? code
function CryptoKey:to_pem(public_only) end

---True when the key has no private part (false for an empty key).
---@return boolean
function CryptoKey:is_public_only() end

---A certificate or a chain: Godot's X509Certificate.
---@class X509Certificate
local X509Certificate = {}

---The class table `enet.X509Certificate`.
---@class X509CertificateClass
local X509CertificateClass = {}

---An empty certificate.
---@return X509Certificate
function X509CertificateClass.new() end

---(Lua) A new certificate read from a PEM or DER file.
---@param path string
---@return X509Certificate|nil cert
---@return string? message
---@return integer? code
function X509CertificateClass.from_file(path) end

---(Lua) A new certificate read from a PEM string.
---@param pem string
---@return X509Certificate|nil cert
---@return string? message
---@return integer? code `ERR_INVALID_DATA`
function X509CertificateClass.from_pem(pem) end

---Replaces the certificate with the chain in a file.
---@param path string
---@return true|nil ok
---@return string? message
---@return integer? code
function X509Certificate:load(path) end

---Writes the chain as PEM.
---@param path string
---@return true|nil ok
---@return string? message
---@return integer? code
function X509Certificate:save(path) end

---Replaces the certificate with the chain in a PEM string.
---@param pem string
---@return true|nil ok
---@return string? message
---@return integer? code `ERR_INVALID_DATA`
function X509Certificate:load_from_string(pem) end

---The chain as PEM.
---@return string|nil pem
---@return string? message
---@return integer? code `ERR_UNCONFIGURED`
function X509Certificate:save_to_string() end

---(Lua) Same as `save_to_string`.
---@return string|nil pem
---@return string? message
---@return integer? code
function X509Certificate:to_pem() end

---Key and certificate generation: the part of Godot's Crypto that DTLS needs.
---@class Crypto
local Crypto = {}

---Generates an RSA key pair (about a second for 2048 bits). For DTLS use
---2048 bits or more: verifying clients refuse certificates with shorter keys.
---@param bits? integer 1024..8192, even (default 2048)
---@return CryptoKey|nil key
---@return string? message
---@return integer? code
function Crypto.generate_rsa(bits) end

---A self-signed certificate for `key`; dates are UTC YYYYMMDDhhmmss. The
---name needs a non-empty common name ("CN=game.example"): the client checks
---its hostname against it.
---@param key CryptoKey
---@param issuer_name? string default "CN=myserver,O=myorganisation,C=IT"
---@param not_before? string default "20140101000000"
---@param not_after? string default "20340101000000"
---@return X509Certificate|nil cert
---@return string? message
---@return integer? code `ERR_INVALID_PARAMETER` (no `CN=` or an empty one, a bad name, date or key)
function Crypto.generate_self_signed_certificate(key, issuer_name, not_before, not_after) end

-- ---------------------------------------------------------------------------
-- Godot types for Variants (docs/variant.md): tagged tables.

---@class godot.Vector2
---@field __godot "Vector2"
---@field x number
---@field y number

---@class godot.Vector2i
---@field __godot "Vector2i"
---@field x integer
---@field y integer

---@class godot.Vector3
---@field __godot "Vector3"
---@field x number
---@field y number
---@field z number

---@class godot.Vector3i
---@field __godot "Vector3i"
---@field x integer
---@field y integer
---@field z integer

---@class godot.Vector4
---@field __godot "Vector4"
---@field x number
---@field y number
---@field z number
---@field w number

---@class godot.Vector4i
---@field __godot "Vector4i"
---@field x integer
---@field y integer
---@field z integer
---@field w integer

---@class godot.Quaternion
---@field __godot "Quaternion"
---@field x number
---@field y number
---@field z number
---@field w number

---@class godot.Color
---@field __godot "Color"
---@field r number
---@field g number
---@field b number
---@field a number

---@class godot.Rect2
---@field __godot "Rect2"
---@field position godot.Vector2
---@field size godot.Vector2

---@class godot.Rect2i
---@field __godot "Rect2i"
---@field position godot.Vector2i
---@field size godot.Vector2i

---@class godot.AABB
---@field __godot "AABB"
---@field position godot.Vector3
---@field size godot.Vector3

---@class godot.Plane
---@field __godot "Plane"
---@field normal godot.Vector3
---@field d number

---@class godot.Transform2D
---@field __godot "Transform2D"
---@field x godot.Vector2
---@field y godot.Vector2
---@field origin godot.Vector2

---@class godot.Basis
---@field __godot "Basis"
---@field x godot.Vector3
---@field y godot.Vector3
---@field z godot.Vector3

---@class godot.Transform3D
---@field __godot "Transform3D"
---@field basis godot.Basis
---@field origin godot.Vector3

---@class godot.Projection
---@field __godot "Projection"
---@field x godot.Vector4
---@field y godot.Vector4
---@field z godot.Vector4
---@field w godot.Vector4

---@class godot.StringName
---@field __godot "StringName"
---@field name string

---@class godot.NodePath
---@field __godot "NodePath"
---@field path string

---@class godot.RID
---@field __godot "RID"
---@field id integer

---@class godot.PackedByteArray
---@field __godot "PackedByteArray"
---@field data string

---A packed array: `__godot` names its type, elements at 1..n.
---@class godot.PackedArray
---@field __godot string
---@field [integer] any

---A Godot Vector2.
---@param x? number
---@param y? number
---@return godot.Vector2
function enet.Vector2(x, y) end

---A Godot Vector2i (int32 components).
---@param x? integer
---@param y? integer
---@return godot.Vector2i
function enet.Vector2i(x, y) end

---A Godot Vector3.
---@param x? number
---@param y? number
---@param z? number
---@return godot.Vector3
function enet.Vector3(x, y, z) end

---A Godot Vector3i (int32 components).
---@param x? integer
---@param y? integer
---@param z? integer
---@return godot.Vector3i
function enet.Vector3i(x, y, z) end

---A Godot Vector4.
---@param x? number
---@param y? number
---@param z? number
---@param w? number
---@return godot.Vector4
function enet.Vector4(x, y, z, w) end

---A Godot Vector4i (int32 components).
---@param x? integer
---@param y? integer
---@param z? integer
---@param w? integer
---@return godot.Vector4i
function enet.Vector4i(x, y, z, w) end

---A Godot Quaternion; no arguments give the identity.
---@param x? number
---@param y? number
---@param z? number
---@param w? number default 1
---@return godot.Quaternion
function enet.Quaternion(x, y, z, w) end

---A Godot Color (components 0..1); no arguments give opaque black.
---@param r? number
---@param g? number
---@param b? number
---@param a? number default 1
---@return godot.Color
function enet.Color(r, g, b, a) end

---A Godot Rect2: `Rect2(position, size)` or `Rect2(x, y, width, height)`.
---@param a godot.Vector2|number
---@param b godot.Vector2|number
---@param c? number
---@param d? number
---@return godot.Rect2
function enet.Rect2(a, b, c, d) end

---A Godot Rect2i: `Rect2i(position, size)` or `Rect2i(x, y, width, height)`.
---@param a godot.Vector2i|integer
---@param b godot.Vector2i|integer
---@param c? integer
---@param d? integer
---@return godot.Rect2i
function enet.Rect2i(a, b, c, d) end

---A Godot AABB.
---@param position? godot.Vector3
---@param size? godot.Vector3
---@return godot.AABB
function enet.AABB(position, size) end

---A Godot Plane: `Plane(normal, d)` or `Plane(a, b, c, d)`.
---@param a godot.Vector3|number
---@param b number
---@param c? number
---@param d? number
---@return godot.Plane
function enet.Plane(a, b, c, d) end

---A Godot Transform2D (two axis columns and the origin); no arguments give the identity.
---@param x? godot.Vector2
---@param y? godot.Vector2
---@param origin? godot.Vector2
---@return godot.Transform2D
function enet.Transform2D(x, y, origin) end

---A Godot Basis (three columns); no arguments give the identity.
---@param x? godot.Vector3
---@param y? godot.Vector3
---@param z? godot.Vector3
---@return godot.Basis
function enet.Basis(x, y, z) end

---A Godot Transform3D; no arguments give the identity.
---@param basis? godot.Basis
---@param origin? godot.Vector3
---@return godot.Transform3D
function enet.Transform3D(basis, origin) end

---A Godot Projection (four columns); no arguments give the identity.
---@param x? godot.Vector4
---@param y? godot.Vector4
---@param z? godot.Vector4
---@param w? godot.Vector4
---@return godot.Projection
function enet.Projection(x, y, z, w) end

---A string sent as Godot's StringName.
---@param name string
---@return godot.StringName
function enet.StringName(name) end

---A Godot NodePath, e.g. "/root/Main/Player:position:x".
---@param path string
---@return godot.NodePath
function enet.NodePath(path) end

---A Godot RID.
---@param id? integer
---@return godot.RID
function enet.RID(id) end

---A Godot PackedByteArray from a string or a table of byte values.
---@param bytes? string|integer[]
---@return godot.PackedByteArray
function enet.PackedByteArray(bytes) end

---A Godot PackedInt32Array: a copy of `t[1..#t]`.
---@param t? integer[]
---@return godot.PackedArray
function enet.PackedInt32Array(t) end

---A Godot PackedInt64Array: a copy of `t[1..#t]`.
---@param t? integer[]
---@return godot.PackedArray
function enet.PackedInt64Array(t) end

---A Godot PackedFloat32Array: a copy of `t[1..#t]`.
---@param t? number[]
---@return godot.PackedArray
function enet.PackedFloat32Array(t) end

---A Godot PackedFloat64Array: a copy of `t[1..#t]`.
---@param t? number[]
---@return godot.PackedArray
function enet.PackedFloat64Array(t) end

---A Godot PackedStringArray: a copy of `t[1..#t]`.
---@param t? string[]
---@return godot.PackedArray
function enet.PackedStringArray(t) end

---A Godot PackedVector2Array: a copy of `t[1..#t]`.
---@param t? godot.Vector2[]
---@return godot.PackedArray
function enet.PackedVector2Array(t) end

---A Godot PackedVector3Array: a copy of `t[1..#t]`.
---@param t? godot.Vector3[]
---@return godot.PackedArray
function enet.PackedVector3Array(t) end

---A Godot PackedColorArray: a copy of `t[1..#t]`.
---@param t? godot.Color[]
---@return godot.PackedArray
function enet.PackedColorArray(t) end

---A Godot PackedVector4Array: a copy of `t[1..#t]`.
---@param t? godot.Vector4[]
---@return godot.PackedArray
function enet.PackedVector4Array(t) end

return enet
