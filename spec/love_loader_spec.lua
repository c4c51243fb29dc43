-- enetconnection.love on every Lua: outside LÖVE it does nothing; inside,
-- stood in for here by a `love.filesystem` over a temporary folder, it
-- copies the game's core.so to the save directory, extends package.cpath
-- once, and says what to do when the game lacks the file or the save
-- directory refuses the copy. spec/love_spec.lua runs it in a real LÖVE.
local H = require("helper")
local Error = H.enet.Error

local MODULE = "enetconnection.love"
local FOLDER = "/enetconnection-native/enetconnection"

-- A stand-in for LÖVE's `love` table: the game's files are `files`
-- (path -> bytes), the save directory is `save`.
local function stand_in(save, files, can_create)
  return {
    filesystem = {
      getSaveDirectory = function()
        return save
      end,
      read = function(path)
        if files[path] then
          return files[path], #files[path]
        end
        return nil, "Could not open file " .. path .. ". Does not exist."
      end,
      createDirectory = function(path)
        return can_create ~= false and H.run("mkdir -p " .. H.quote(save .. "/" .. path))
      end,
    },
  }
end

describe("enetconnection.love", function()
  local cpath, save

  before_each(function()
    cpath = package.cpath
    save = os.tmpname()
    os.remove(save)
    package.loaded[MODULE] = nil
  end)

  after_each(function()
    rawset(_G, "love", nil)
    package.cpath = cpath
    package.loaded[MODULE] = nil
    H.run("rm -rf " .. H.quote(save))
  end)

  -- Requires the module with `love` standing in; returns pcall's results.
  local function require_inside(files, can_create)
    rawset(_G, "love", stand_in(save, files, can_create))
    return pcall(require, MODULE)
  end

  it("does nothing outside LÖVE: install() returns nil, message, ERR_UNAVAILABLE", function()
    local loader = require(MODULE)
    assert.are.equal(cpath, package.cpath)
    local path, message, code = loader.install()
    assert.is_nil(path)
    assert.matches("not running inside LÖVE", message, nil, true)
    assert.are.equal(Error.ERR_UNAVAILABLE, code)
    assert.are.equal(cpath, package.cpath)
    assert.has_error(function()
      loader.install(42)
    end, "bad argument #1 to 'install' (string expected, got number)")
  end)

  it("copies the game's enetconnection/core.so to the save directory and puts it first on package.cpath", function()
    local ok, loader = require_inside({ ["enetconnection/core.so"] = "the module's bytes" })
    assert.is_true(ok, loader)
    assert.are.equal("the module's bytes", H.read_file(save .. FOLDER .. "/core.so"))
    assert.are.equal(save .. "/enetconnection-native/?.so;" .. cpath, package.cpath)
    -- Again, from another archive path: same copy place, cpath unchanged.
    rawset(_G, "love", stand_in(save, { ["libs/core.so"] = "newer bytes" }))
    assert.are.equal(save .. FOLDER .. "/core.so", loader.install("libs/core.so"))
    assert.are.equal("newer bytes", H.read_file(save .. FOLDER .. "/core.so"))
    assert.are.equal(save .. "/enetconnection-native/?.so;" .. cpath, package.cpath)
  end)

  it("leaves a game without core.so alone when required, and install() says what to ship", function()
    local ok, loader = require_inside({})
    assert.is_true(ok, loader)
    assert.are.equal(cpath, package.cpath)
    local path, message, code = loader.install()
    assert.is_nil(path)
    assert.are.equal("the game has no enetconnection/core.so: "
      .. "ship build/luajit/enetconnection/core.so in it under that name", message)
    assert.are.equal(Error.ERR_FILE_NOT_FOUND, code)
  end)

  -- install() with `love` standing in returns nil, message and
  -- ERR_FILE_CANT_WRITE; requiring the module inside LÖVE raises that message.
  local function refused(files, can_create)
    local loader = require(MODULE) -- outside LÖVE: inert
    rawset(_G, "love", stand_in(save, files, can_create))
    local path, message, code = loader.install()
    assert.is_nil(path)
    assert.are.equal(Error.ERR_FILE_CANT_WRITE, code)
    package.loaded[MODULE] = nil
    local ok, raised = pcall(require, MODULE)
    assert.is_false(ok)
    assert.are.equal("enetconnection.love: " .. message, raised)
    assert.are.equal(cpath, package.cpath)
    return message
  end

  it("says which file it cannot write and that the save directory follows t.identity", function()
    -- A directory where the copy should go: the rename over it fails.
    assert(H.run("mkdir -p " .. H.quote(save .. FOLDER .. "/core.so/x")))
    local message = refused({ ["enetconnection/core.so"] = "bytes" })
    local start = "cannot write " .. save .. FOLDER .. "/core.so: "
    assert.are.equal(start, message:sub(1, #start))
    assert.matches("(the save directory follows t.identity in conf.lua: check that it is writable "
      .. "and has 5 bytes free)", message, nil, true)
    local ok, listing = H.run("ls " .. H.quote(save .. FOLDER))
    assert.is_true(ok, listing)
    assert.are.equal("core.so\n", listing, "the temporary file is removed")
  end)

  it("says which folder it cannot create", function()
    local message = refused({ ["enetconnection/core.so"] = "bytes" }, false)
    assert.are.equal("cannot create " .. save .. "/enetconnection-native/enetconnection (the save directory "
      .. "follows t.identity in conf.lua): check that it is writable", message)
  end)
end)
