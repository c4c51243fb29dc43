--- Loads enetconnection's C module in a LÖVE game shipped as a `.love` file
-- or fused with the LÖVE executable.
--
-- LÖVE cannot load a C module from inside the game's archive. Ship
-- `build/luajit/enetconnection/core.so` (LÖVE runs LuaJIT) in the game as
-- `enetconnection/core.so`, beside the Lua files of `lua/enetconnection/`,
-- and require this module before `enetconnection`:
--
--    require("enetconnection.love")  -- copies core.so out of the archive
--    local enet = require("enetconnection")
--
-- Inside LÖVE, requiring it runs `install()`: the module is copied to
-- `enetconnection-native/enetconnection/core.so` in the game's save
-- directory (`~/.local/share/love/<identity>/`, or `~/.local/share/<identity>/`
-- for a fused game; the identity is `t.identity` in conf.lua) and that
-- folder goes first on `package.cpath`.
-- The copy is rewritten only when its bytes differ from the game's, and
-- then by renaming a new file over it, so a second instance of the game
-- that has the old one loaded keeps running. A game without
-- `enetconnection/core.so` is left alone (the module may be on
-- `package.cpath` already); a copy that cannot be written raises.
-- Outside LÖVE requiring it does nothing. Details: examples/love/README.md.
-- @module enetconnection.love

local M = {}

-- Godot's Error codes (enet.Error: the C module is not loaded yet here).
local ERR_UNAVAILABLE, ERR_FILE_NOT_FOUND, ERR_FILE_CANT_WRITE = 2, 7, 13

-- The save directory's folder that goes on package.cpath; the module is
-- `enetconnection/core.so` below it. Not the save directory itself: LÖVE
-- searches the save directory before the archive, so a copy at the
-- archive's own path would hide the archive's file from `love.filesystem.read`
-- and a game update would never replace it.
local FOLDER = "enetconnection-native"

local function read_real(path)
  local f = io.open(path, "rb")
  if not f then
    return nil
  end
  local data = f:read("*a")
  f:close()
  return data
end

-- A file name no other process writes at the same time: with our pid (Linux).
local function temporary_name(target)
  local stat = read_real("/proc/self/stat") or ""
  return ("%s.%s.tmp"):format(target, stat:match("^%d+") or "0")
end

local function write_file(path, data)
  local f, message = io.open(path, "wb")
  if not f then
    return nil, message
  end
  local written, write_error = f:write(data)
  local closed, close_error = f:close()
  if not (written and closed) then
    return nil, write_error or close_error
  end
  return true
end

-- Puts `data` at `target` through a temporary file renamed over it: a
-- process that has the old file loaded keeps its own copy.
local function replace(target, data)
  local temporary = temporary_name(target)
  local ok, message = write_file(temporary, data)
  if ok then
    ok, message = os.rename(temporary, target)
  end
  if not ok then
    os.remove(temporary)
  end
  return ok, message
end

local function prepend_cpath(template)
  for entry in package.cpath:gmatch("[^;]+") do
    if entry == template then
      return
    end
  end
  package.cpath = template .. ";" .. package.cpath
end

--- Copies the game's `enetconnection/core.so` to the save directory and
-- puts it first on `package.cpath`, so `require("enetconnection")` loads it.
-- Requiring `enetconnection.love` inside LÖVE calls it once; call it
-- yourself when the game ships the file under another name.
-- @string[opt="enetconnection/core.so"] archive_path where the game holds
-- the LuaJIT build of the module (a path for `love.filesystem.read`)
-- @treturn string|nil the real path of the copy, or nil, message, code:
-- `ERR_UNAVAILABLE` outside LÖVE, `ERR_FILE_NOT_FOUND` when the game has no
-- such file, `ERR_FILE_CANT_WRITE` when the save directory refuses the copy
function M.install(archive_path)
  if archive_path ~= nil and type(archive_path) ~= "string" then
    error("bad argument #1 to 'install' (string expected, got " .. type(archive_path) .. ")", 2)
  end
  archive_path = archive_path or "enetconnection/core.so"
  local love = rawget(_G, "love")
  local fs = type(love) == "table" and love.filesystem
  if type(fs) ~= "table" or not fs.getSaveDirectory then
    return nil, "not running inside LÖVE (no love.filesystem): put the folder that holds "
      .. "enetconnection/core.so on package.cpath instead", ERR_UNAVAILABLE
  end
  local data = fs.read(archive_path) -- nil, message when missing
  if not data then
    return nil, ("the game has no %s: ship build/luajit/enetconnection/core.so in it under that name")
      :format(archive_path), ERR_FILE_NOT_FOUND
  end
  local save = fs.getSaveDirectory()
  local where = save .. "/" .. FOLDER
  if not fs.createDirectory(FOLDER .. "/enetconnection") then
    return nil, ("cannot create %s/enetconnection (the save directory follows t.identity in conf.lua): "
      .. "check that it is writable"):format(where), ERR_FILE_CANT_WRITE
  end
  local target = where .. "/enetconnection/core.so"
  if read_real(target) ~= data then
    local ok, message = replace(target, data)
    if not ok then
      return nil, ("cannot write %s: %s (the save directory follows t.identity in conf.lua: "
        .. "check that it is writable and has %d bytes free)"):format(target, message, #data), ERR_FILE_CANT_WRITE
    end
  end
  prepend_cpath(where .. "/?.so")
  return target
end

-- Inside LÖVE, requiring the module installs it; only a refused copy raises.
local _, message, code = M.install()
if code == ERR_FILE_CANT_WRITE then
  error("enetconnection.love: " .. message, 0)
end

return M
