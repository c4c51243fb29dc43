--- enetconnection: Godot 4's ENetConnection and ENetPacketPeer for Lua.
--
-- The C core (`enetconnection.core`) holds all state; this front adds the
-- enum tables Godot has (`ENetConnection.CompressionMode`, `.EventType`,
-- `.HostStatistic`, `ENetPacketPeer.PeerState`, `.PeerStatistic`), each
-- mapping name to value and value to name.
--
--    local enet = require("enetconnection")
--    local host = enet.ENetConnection.new()
--    assert(host:create_host_bound("*", 7777, 32, 2))
--
-- @module enetconnection
local core = require("enetconnection.core")

local M = {}
for k, v in pairs(core) do
  M[k] = v
end
for k, v in pairs(require("enetconnection.variant")) do
  M[k] = v
end

-- Builds name -> value and value -> name from the class constants whose
-- names start with `prefix`.
local function enum(class, prefix)
  local t = {}
  for name, value in pairs(class) do
    if type(value) == "number" and name:sub(1, #prefix) == prefix then
      t[name] = value
      t[value] = name
    end
  end
  return t
end

local C, P = M.ENetConnection, M.ENetPacketPeer
C.CompressionMode = enum(C, "COMPRESS_")
C.EventType = enum(C, "EVENT_")
C.HostStatistic = enum(C, "HOST_TOTAL_")
P.PeerState = enum(P, "STATE_")
P.PeerStatistic = enum(P, "PEER_")

return M
