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
      .. "tostring(e.socket_layer_active()), ' ', c:get_local_port() > 0 and 'bound' or 'unbound')")
      :format(tree .. "/share/lua/" .. version .. "/?.lua;" .. tree .. "/share/lua/" .. version .. "/?/init.lua",
        tree .. "/lib/lua/" .. version .. "/?.so")
    local clean_env = "env -u LUA_PATH -u LUA_CPATH "
    local loaded, text = H.run("cd / && " .. clean_env .. H.lua .. " -e " .. H.quote(probe))
    H.run("rm -rf " .. tree)
    assert.is_true(loaded, text)
    assert.matches("true bound", text, nil, true)
    if version ~= "5.1" then
      assert.matches(tree .. "/lib/lua/" .. version .. "/enetconnection/core.so", text, nil, true)
    end
  end)
end)
