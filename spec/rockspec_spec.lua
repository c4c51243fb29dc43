-- The rockspec builds offline and installs a module a clean interpreter loads.
local H = require("helper")

describe("rockspec", function()
  it("luarocks make installs into a fresh tree and a clean Lua requires it from there", function()
    local version = _VERSION:match("%d+%.%d+") -- LuaJIT reports 5.1
    local tree = os.tmpname()
    os.remove(tree)
    local ok, out = H.run(("timeout 300 luarocks --lua-version %s make --tree %s %s")
      :format(version, tree, "rockspec/enetconnection-scm-1.rockspec"))
    assert.is_true(ok, out)
    local probe = ("package.path=%q package.cpath=%q local e=require('enetconnection') "
      .. "local c=e.new() assert(c:create_host_bound('127.0.0.1', 0)) "
      .. "io.write(package.searchpath and package.searchpath('enetconnection.core', package.cpath) or 'found', ' ', "
      .. "tostring(e.socket_layer_active()), ' ', c:get_local_port() > 0 and 'bound' or 'unbound', ' ', "
      .. "type(require('enetconnection.multiplayer').server), ' ', type(require('enetconnection.love').install))")
      :format(tree .. "/share/lua/" .. version .. "/?.lua;" .. tree .. "/share/lua/" .. version .. "/?/init.lua",
        tree .. "/lib/lua/" .. version .. "/?.so")
    local clean_env = "env -u LUA_PATH -u LUA_CPATH "
    local loaded, text = H.run("cd / && " .. clean_env .. H.lua .. " -e " .. H.quote(probe))
    -- The LuaLS annotations go to the rock's own folder (copy_directories),
    -- where `luarocks show --rock-dir enetconnection` points.
    local rock_dir = tree .. "/lib/luarocks/rocks-" .. version .. "/enetconnection/scm-1"
    local _, shown = H.run(("luarocks --lua-version %s --tree %s show --rock-dir enetconnection"):format(version, tree))
    local annotations = io.open(rock_dir .. "/library/enetconnection.lua")
    local installed = annotations and annotations:read("*a")
    if annotations then annotations:close() end
    H.run("rm -rf " .. tree)
    local source = assert(io.open("library/enetconnection.lua"))
    assert.are.equal(source:read("*a"), installed, "annotations in " .. rock_dir .. "/library")
    source:close()
    assert.are.equal(rock_dir, (shown:gsub("%s+$", "")))
    assert.is_true(loaded, text)
    assert.matches("true bound function function", text, nil, true) -- the Lua modules beside init.lua too
    if version ~= "5.1" then
      assert.matches(tree .. "/lib/lua/" .. version .. "/enetconnection/core.so", text, nil, true)
    end
  end)
end)
