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
