--- What the LÖVE example's server and clients agree on: the playfield,
-- the colours, the tick rate and the messages.
--
-- Messages are Godot Variant bytes (enet.var_to_bytes), so a Godot client
-- could join with `bytes_to_var`. Each is a Lua sequence, first the kind:
--
--   server -> client, channel 0 reliable:    {"welcome", id, x, y}
--   client -> server, channel 1 unreliable:  {"pos", x, y, state}
--   server -> clients, channel 1 unreliable: {"snap", id, x, y, state, id, x, y, state, ...}
--
-- `state` is PLAYING for people; a bot goes to SETTLED when it has finished
-- its moves and to DONE once it has taken its screenshot.
local enet = require("enetconnection")

local M = {}

M.WIDTH, M.HEIGHT = 400, 300   -- playfield and window, pixels
M.SIZE = 32                    -- a player's square
M.SPEED = 120                  -- pixels per second
M.TICK = 1 / 20                -- positions travel 20 times a second
M.INTERPOLATION_DELAY = 0.1    -- remote squares are drawn this far in the past
M.CHANNELS = 2                 -- 0: reliable control, 1: positions
M.RELIABLE = enet.ENetPacketPeer.FLAG_RELIABLE
M.UNRELIABLE = 0               -- unreliable, sequenced: late snapshots are dropped
M.PLAYING, M.SETTLED, M.DONE = 0, 1, 2

--- Player colours, 0..255 (exact in an 8-bit framebuffer, none of them grey).
M.palette = {
  { 230, 57, 70 },    -- red
  { 42, 157, 143 },   -- teal
  { 233, 196, 106 },  -- sand
  { 69, 123, 217 },   -- blue
  { 244, 122, 37 },   -- orange
  { 151, 86, 236 },   -- violet
}
M.BACKGROUND = { 24, 26, 32 }

--- The palette index of player `id`.
function M.colour(id)
  return (id - 1) % #M.palette + 1
end

--- Where player `id` appears: one row each, so squares start apart.
function M.spawn(id)
  local row = (id - 1) % 3
  local column = math.floor((id - 1) / 3) % 3
  return 40 + column * 120, 50 + row * 90
end

--- Keeps a square inside the playfield.
function M.clamp(x, y)
  x = math.max(0, math.min(M.WIDTH - M.SIZE, tonumber(x) or 0))
  y = math.max(0, math.min(M.HEIGHT - M.SIZE, tonumber(y) or 0))
  return x, y
end

M.encode = enet.var_to_bytes

--- Decodes a message; nil for anything that is not a sequence with a kind.
function M.decode(bytes)
  local msg = enet.bytes_to_var(bytes)
  if type(msg) == "table" and type(msg[1]) == "string" then
    return msg
  end
end

return M
