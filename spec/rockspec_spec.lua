-- The rockspec: luarocks' builtin build, offline, into a fresh tree. It
-- compiles the C files make compiles, takes each library from where
-- luarocks finds it, and installs a module a clean interpreter loads.
local H = require("helper")

local ROCKSPEC = "rockspec/enetconnection-scm-1.rockspec"
local version = _VERSION:match("%d+%.%d+") -- LuaJIT reports 5.1

-- The rockspec's tables: it is a file of assignments.
local function load_rockspec()
  local env = {}
  local chunk
  if setfenv then
    chunk = assert(loadfile(ROCKSPEC))
    setfenv(chunk, env)
  else
    chunk = assert(loadfile(ROCKSPEC, "t", env))
  end
  chunk()
  return env
end

local function lines(text)
  local list = {}
  for line in text:gmatch("[^\n]+") do
    list[#list + 1] = line
  end
  table.sort(list)
  return list
end

local function mktemp_dir()
  local ok, dir = H.run("mktemp -d")
  assert.is_true(ok, dir)
  return (dir:gsub("%s+$", ""))
end

-- A copy of the source tree: luarocks builds in the source directory
-- (csrc/*.o), and runs of several Luas may overlap.
local function source_copy()
  local dir = mktemp_dir()
  local ok, out = H.run("tar -cf - --exclude=./build --exclude=./.git --exclude='*.o' --exclude=./enetconnection . "
    .. "| tar -xf - -C " .. H.quote(dir))
  assert.is_true(ok, out)
  return dir
end

-- Runs `luarocks make` of the rockspec in a copy of the source tree into
-- `tree`, with extra arguments (VAR=value); returns ok and its output.
local function rock_make(tree, extra)
  local src = source_copy()
  local ok, out = H.run(("cd %s && timeout 300 luarocks --lua-version %s make --tree %s %s %s")
    :format(H.quote(src), version, H.quote(tree), ROCKSPEC, extra or ""))
  H.run("rm -rf " .. H.quote(src))
  return ok, out
end

-- Runs Lua code in a clean interpreter that finds modules in `tree` only.
local function run_in_tree(tree, code)
  local paths = ("package.path=%q package.cpath=%q "):format(
    tree .. "/share/lua/" .. version .. "/?.lua;" .. tree .. "/share/lua/" .. version .. "/?/init.lua",
    tree .. "/lib/lua/" .. version .. "/?.so")
  return H.run("cd / && env -u LUA_PATH -u LUA_CPATH " .. H.lua .. " -e " .. H.quote(paths .. code))
end

describe("rockspec", function()
  local rockspec = load_rockspec()
  local core = rockspec.build.modules["enetconnection.core"]

  it("builds with luarocks' builtin type, for Linux only", function()
    assert.are.equal("builtin", rockspec.build.type)
    assert.are.same({ "linux" }, rockspec.supported_platforms)
  end)

  it("compiles exactly the C files make builds into the module", function()
    local ok, out = H.run("make -s --no-print-directory sources")
    assert.is_true(ok, out)
    local made = lines(out)
    assert.is_true(#made > 20, out)
    local listed = {}
    for i, source in ipairs(core.sources) do
      listed[i] = source
    end
    table.sort(listed)
    assert.are.same(made, listed)
  end)

  it("installs every Lua module of lua/enetconnection/", function()
    local ok, out = H.run("ls lua/enetconnection/*.lua")
    assert.is_true(ok, out)
    local files, listed = lines(out), {}
    for name, file in pairs(rockspec.build.modules) do
      if type(file) == "string" then
        listed[#listed + 1] = file
        local expected = name == "enetconnection" and "lua/enetconnection/init.lua"
          or "lua/" .. name:gsub("%.", "/") .. ".lua"
        assert.are.equal(expected, file)
      end
    end
    table.sort(listed)
    assert.are.same(files, listed)
  end)

  it("takes every library's headers and library from the directories luarocks finds", function()
    local deps = {}
    for name in pairs(rockspec.external_dependencies) do
      deps[#deps + 1] = name
    end
    table.sort(deps)
    for _, name in ipairs(deps) do
      assert.truthy(table.concat(core.incdirs, " "):find("$(" .. name .. "_INCDIR)", 1, true), name)
      assert.truthy(table.concat(core.libdirs, " "):find("$(" .. name .. "_LIBDIR)", 1, true), name)
    end
  end)

  it("luarocks make installs into a fresh tree and a clean Lua requires it from there", function()
    local tree = mktemp_dir()
    local ok, out = rock_make(tree)
    assert.is_true(ok, out)
    local loaded, text = run_in_tree(tree, "local e=require('enetconnection') "
      .. "local c=e.new() assert(c:create_host_bound('127.0.0.1', 0)) "
      .. "io.write(package.searchpath and package.searchpath('enetconnection.core', package.cpath) or 'found', ' ', "
      .. "tostring(e.socket_layer_active()), ' ', c:get_local_port() > 0 and 'bound' or 'unbound', ' ', "
      .. "type(require('enetconnection.multiplayer').server), ' ', type(e.Vector2), ' ', "
      .. "type(require('enetconnection.love').install))")
    -- The LuaLS annotations go to the rock's own folder (copy_directories),
    -- where `luarocks show --rock-dir enetconnection` points.
    local rock_dir = tree .. "/lib/luarocks/rocks-" .. version .. "/enetconnection/scm-1"
    local _, shown = H.run(("luarocks --lua-version %s --tree %s show --rock-dir enetconnection"):format(version, tree))
    local annotations = io.open(rock_dir .. "/library/enetconnection.lua")
    local installed = annotations and annotations:read("*a")
    if annotations then annotations:close() end
    local exported = H.exported_symbols(tree .. "/lib/lua/" .. version .. "/enetconnection/core.so")
    H.run("rm -rf " .. tree)
    local source = assert(io.open("library/enetconnection.lua"))
    assert.are.equal(source:read("*a"), installed, "annotations in " .. rock_dir .. "/library")
    source:close()
    assert.are.equal(rock_dir, (shown:gsub("%s+$", "")))
    assert.is_true(loaded, text)
    assert.matches("true bound function function function", text, nil, true) -- the Lua modules beside init.lua too
    if version ~= "5.1" then
      assert.matches(tree .. "/lib/lua/" .. version .. "/enetconnection/core.so", text, nil, true)
    end
    -- luarocks' CFLAGS lack -fvisibility=hidden: the source hides the rest.
    assert.are.same({ "enet_socket_bind", "enet_socket_create", "enet_socket_get_address", "enet_socket_receive",
      "enet_socket_send", "luaopen_enetconnection_core" },
      exported)
  end)

  -- Debian's libenet copied under another prefix: the build must compile
  -- against that prefix's headers, link its library, and the installed
  -- module must load it from there.
  it("builds against a libenet under another prefix (ENET_DIR) and loads it from there", function()
    local prefix, tree = mktemp_dir(), mktemp_dir()
    local ok, out = H.run(("mkdir -p %s/include %s/lib "
      .. "&& cp -r \"$(pkg-config --variable=includedir libenet)/enet\" %s/include/ "
      .. "&& cp \"$(pkg-config --variable=libdir libenet)/libenet.so.7\" %s/lib/ "
      .. "&& ln -s libenet.so.7 %s/lib/libenet.so"):format(prefix, prefix, prefix, prefix, prefix))
    assert.is_true(ok, out)

    -- A header the build cannot get past proves the prefix's headers are read.
    local header = prefix .. "/include/enet/enet.h"
    local original = assert(io.open(header)):read("*a")
    local f = assert(io.open(header, "w"))
    f:write('#error "enet.h from the prefix"\n', original)
    f:close()
    local poisoned_ok, poisoned = rock_make(tree, "ENET_DIR=" .. prefix)
    f = assert(io.open(header, "w"))
    f:write(original)
    f:close()

    local built, log = rock_make(tree, "ENET_DIR=" .. prefix)
    local loaded, maps = run_in_tree(tree, "local e=require('enetconnection') "
      .. "assert(e.new():create_host_bound('127.0.0.1', 0)) "
      .. "for line in io.lines('/proc/self/maps') do "
      .. "if line:find('libenet', 1, true) then print(line:match('%S+$')) end end")
    H.run("rm -rf " .. H.quote(prefix) .. " " .. H.quote(tree))

    assert.is_false(poisoned_ok, poisoned)
    assert.matches("enet.h from the prefix", poisoned, nil, true)
    assert.is_true(built, log)
    assert.matches("-I" .. prefix .. "/include", log, nil, true)
    assert.matches("-L" .. prefix .. "/lib", log, nil, true)
    assert.is_true(loaded, maps)
    assert.matches(prefix .. "/lib/libenet.so.7", maps, nil, true)
    assert.is_nil(maps:find("/usr/lib", 1, true), maps)
  end)
end)
