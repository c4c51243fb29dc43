local enet = require("enetconnection")
local H = require("helper")

local function module_path()
  return package.searchpath and package.searchpath("enetconnection.core", package.cpath)
    or (os.getenv("LUA_CPATH"):match("^([^;]*)"):gsub("%?", "enetconnection/core"))
end

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

  it("exports exactly luaopen_enetconnection_core and the five socket hooks", function()
    local path = module_path()
    assert.are.same({ "enet_socket_bind", "enet_socket_create", "enet_socket_get_address", "enet_socket_receive",
      "enet_socket_send", "luaopen_enetconnection_core" },
      H.exported_symbols(path))
  end)

  -- Its thread-locals are static TLS (initial-exec): a dynamic TLS block made
  -- LeakSanitizer's exit-time scan crash one ASan child process in ten.
  it("takes no dynamic TLS block (never calls __tls_get_addr)", function()
    local path = module_path()
    local ok, out = H.run("nm -D --undefined-only " .. H.quote(path))
    assert.is_true(ok, out)
    assert.matches("luaL_checkinteger", out, nil, true)
    assert.is_nil(out:find("__tls_get_addr", 1, true), out)
  end)
end)

-- What `require("enetconnection")` says when the C module is missing or
-- does not load: what to do first, then require's own message.
describe("loading", function()
  local function require_with_cpath(cpath)
    return H.run(("env LUA_PATH=%s LUA_CPATH=%s %s -e 'require(\"enetconnection\")'")
      :format(H.quote("lua/?.lua;lua/?/init.lua;;"), H.quote(cpath), H.lua))
  end

  it("says how to build and find enetconnection.core when it is not found", function()
    local ok, out = require_with_cpath("build/no-such-folder/?.so")
    assert.is_false(ok, out)
    assert.matches("enetconnection: the C module enetconnection.core was not found for this Lua ("
      .. _VERSION .. "): build it", out, nil, true)
    assert.matches("on package.cpath (LUA_CPATH)", out, nil, true)
    assert.matches("module 'enetconnection.core' not found", out, nil, true)
    assert.matches("build/no-such-folder/enetconnection/core.so", out, nil, true)
  end)

  it("names the platform and the runtime libraries when enetconnection.core does not load", function()
    local dir = os.tmpname()
    assert(H.run(("rm -f %s && mkdir -p %s/enetconnection && echo 'not a shared object' > %s/enetconnection/core.so")
      :format(H.quote(dir), H.quote(dir), H.quote(dir))))
    local ok, out = require_with_cpath(dir .. "/?.so")
    H.run("rm -rf " .. H.quote(dir))
    assert.is_false(ok, out)
    assert.matches("enetconnection: enetconnection.core was found but did not load: it runs on Linux only",
      out, nil, true)
    assert.matches("apt install libenet7 libmbedtls14 libmbedx509-1 libmbedcrypto7 libzstd1 zlib1g", out, nil, true)
    assert.matches("error loading module 'enetconnection.core' from file '" .. dir, out, nil, true)
  end)
end)
