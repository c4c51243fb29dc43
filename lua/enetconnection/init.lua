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
-- The classes are documented on their own pages; `enet.new()` is
-- `ENetConnection.new()`.
-- @module enetconnection

-- What to do when the C module does not load, by the error `require` gave.
local function load_advice(message)
  local love = rawget(_G, "love")
  if message:find("module 'enetconnection.core' not found", 1, true) then
    if type(love) == "table" then
      return "LÖVE found no enetconnection/core.so it can load (a C module inside a .love file or a fused "
        .. "game cannot be loaded from there): ship build/luajit/enetconnection/core.so in the game as "
        .. "enetconnection/core.so and "
        .. "require(\"enetconnection.love\") before require(\"enetconnection\"); it copies the module "
        .. "to the save directory (see examples/love/README.md)"
    end
    return "the C module enetconnection.core was not found for this Lua (" .. _VERSION .. "): build it "
      .. "with `make` or `luarocks make rockspec/enetconnection-scm-1.rockspec`, and put the folder that holds "
      .. "enetconnection/core.so on package.cpath (LUA_CPATH), e.g. LUA_CPATH='build/lua5.4/?.so;;'"
  end
  return "enetconnection.core was found but did not load: it runs on Linux only, needs the system's "
    .. "libenet, mbedTLS and zstd (Debian: apt install libenet7 libmbedtls14 libmbedx509-1 "
    .. "libmbedcrypto7 libzstd1 zlib1g) and must be built for this Lua (" .. _VERSION
    .. (type(love) == "table" and "; LÖVE runs LuaJIT: build/luajit/enetconnection/core.so" or "") .. ")"
end

local loaded, core = pcall(require, "enetconnection.core")
if not loaded then
  error("enetconnection: " .. load_advice(tostring(core)) .. "\n" .. tostring(core), 0)
end

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
