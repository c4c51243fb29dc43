--- enetconnection: Godot 4's ENetConnection and ENetPacketPeer for Lua.
-- The C core (`enetconnection.core`) holds all state; this front adds the
-- enum tables and Lua conveniences.
-- @module enetconnection
local core = require("enetconnection.core")

local M = {}
for k, v in pairs(core) do
  M[k] = v
end
for k, v in pairs(require("enetconnection.variant")) do
  M[k] = v
end

return M
