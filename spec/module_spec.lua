local enet = require("enetconnection")
local H = require("helper")

describe("module", function()
  it("reports its version and the linked ENet version", function()
    assert.is_string(enet.VERSION)
    assert.are.equal("1.3.17", enet.ENET_VERSION)
  end)

  it("numbers enet.Error as Godot does, both ways", function()
    assert.are.equal(0, enet.Error.OK)
    assert.are.equal(20, enet.Error.ERR_CANT_CREATE)
    assert.are.equal(22, enet.Error.ERR_ALREADY_IN_USE)
    assert.are.equal(31, enet.Error.ERR_INVALID_PARAMETER)
    assert.are.equal(47, enet.Error.ERR_BUG)
    assert.are.equal("ERR_UNCONFIGURED", enet.Error[3])
  end)

  it("exports exactly luaopen_enetconnection_core and the two socket hooks", function()
    local path = package.searchpath and package.searchpath("enetconnection.core", package.cpath)
      or os.getenv("LUA_CPATH"):match("^([^;]*)"):gsub("%?", "enetconnection/core")
    local ok, out = H.run("nm -D --defined-only " .. path)
    assert.is_true(ok, out)
    local names = {}
    for name in out:gmatch("%s[TDBRVWi]%s+([%w_]+)") do
      if not name:match("^_") then names[#names + 1] = name end
    end
    table.sort(names)
    assert.are.same({ "enet_socket_receive", "enet_socket_send", "luaopen_enetconnection_core" }, names)
  end)
end)
