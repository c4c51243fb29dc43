---@meta enetconnection.love
-- luacheck: ignore
-- (declarations for editors: empty bodies and unused arguments on purpose)
-- LuaLS annotations for `require("enetconnection.love")`, which makes a LÖVE
-- game shipped as a .love file (or fused) load enetconnection's C module
-- (examples/love/README.md). Not loaded at run time.

---The module table. Requiring it inside LÖVE calls `install()` once (and
---raises when the copy cannot be written); outside LÖVE it does nothing.
---@class enetconnection.love
local M = {}

---Copies the game's `enetconnection/core.so` (read with `love.filesystem.read`)
---to `enetconnection-native/enetconnection/core.so` in the save directory,
---rewriting it only when its bytes differ, and puts that folder first on
---`package.cpath`. Returns the real path of the copy, or nil, message and
---`ERR_UNAVAILABLE` (outside LÖVE), `ERR_FILE_NOT_FOUND` (no such file in the
---game) or `ERR_FILE_CANT_WRITE` (the save directory refuses the copy).
---@param archive_path? string where the game holds the LuaJIT build, default "enetconnection/core.so"
---@return string|nil path
---@return string? message
---@return integer? code
function M.install(archive_path) end

return M
