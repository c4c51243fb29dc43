-- The build itself: what a plain `make` does.
local H = require("helper")

describe("make", function()
  it("builds when run without a target: no benchmark, no package installation", function()
    local ok, out = H.run("make -n --no-print-directory")
    assert.is_true(ok, out)
    assert.is_nil(out:find("bench/run", 1, true), out)
    assert.is_nil(out:find("scripts/setup", 1, true), out)
    local _, database = H.run("make -qp 2>/dev/null")
    assert.truthy(database:find("\n.DEFAULT_GOAL := all\n", 1, true))
  end)
end)

-- `make static`: mbedTLS, zstd and zlib linked in; libenet stays shared
-- (no libenet.a in Debian, and the socket layer interposes libenet's
-- socket calls through its PLT). Built and checked for the Lua running
-- the specs.
describe("make static", function()
  local lua = H.lua:match("[^/]+$") -- "lua5.4" also for the ASan build's interpreter
  local static = "build/" .. lua .. "-static/enetconnection/core.so"
  local shared = "build/" .. lua .. "/enetconnection/core.so"

  local function lines_matching(text, pattern)
    local found = {}
    for line in text:gmatch("[^\n]+") do
      local name = line:match(pattern)
      if name then found[#found + 1] = name end
    end
    table.sort(found)
    return found
  end

  it("builds a module whose NEEDED lists libenet but no mbedTLS, zstd or zlib", function()
    local ok, out = H.run("make --no-print-directory " .. static)
    assert.is_true(ok, out)
    local _, dynamic = H.run("readelf -d " .. static)
    local needed = lines_matching(dynamic, "%(NEEDED%).-%[(.-)%]")
    assert.truthy(#needed > 0, dynamic)
    for _, name in ipairs(needed) do
      assert.is_nil(name:find("mbed", 1, true), name)
      assert.is_nil(name:find("zstd", 1, true), name)
      assert.is_nil(name:match("^libz%."), name)
    end
    assert.truthy(table.concat(needed, " "):find("libenet.so.7", 1, true), table.concat(needed, " "))
    local _, ldd = H.run("ldd " .. static)
    assert.is_nil(ldd:find("mbed", 1, true), ldd)
    assert.is_nil(ldd:find("zstd", 1, true), ldd)
    assert.is_nil(ldd:find("libz.so", 1, true), ldd)
    -- the shared build does list them: the check above can fail
    local _, shared_dynamic = H.run("readelf -d " .. shared)
    assert.truthy(shared_dynamic:find("libmbedtls", 1, true), shared_dynamic)
    -- and exports what the shared build exports (the archives' symbols stay hidden)
    assert.are.same(H.exported_symbols(shared), H.exported_symbols(static))
  end)

  it("loads and makes a DTLS + zstd round trip on 127.0.0.1 with no mbedTLS, zstd or zlib mapped", function()
    local ok, out = H.run("make --no-print-directory " .. static)
    assert.is_true(ok, out)
    ok, out = H.run("LUA_CPATH='build/" .. lua .. "-static/?.so;;' timeout 60 " .. H.lua
      .. " spec/support/static_roundtrip.lua")
    assert.is_true(ok, out)
    assert.truthy(out:find("round trip: ok", 1, true), out)
    local mapped = table.concat(lines_matching(out, "^mapped: (.*)"), "\n")
    assert.truthy(mapped:find(static, 1, true), mapped)
    assert.is_nil(mapped:find("mbed", 1, true), mapped)
    assert.is_nil(mapped:find("zstd", 1, true), mapped)
    assert.is_nil(mapped:find("/libz.so", 1, true), mapped)
    assert.truthy(mapped:find("libenet.so.7", 1, true), mapped)
  end)
end)
