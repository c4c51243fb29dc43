-- The examples run as documented.
local H = require("helper")

describe("examples", function()
  it("echo_client gets its messages back from echo_server", function()
    local server = H.spawn(H.lua .. " examples/echo_server.lua 127.0.0.1 0 20", 25)
    local port
    local deadline = H.now() + 10
    while not port and H.now() < deadline do
      port = tonumber(server.output():match("echo server on 127%.0%.0%.1:(%d+)"))
      H.sleep(0.02)
    end
    assert.is_not_nil(port, "echo server did not start: " .. server.output())
    local ok, out = H.run("timeout 20 " .. H.lua .. " examples/echo_client.lua 127.0.0.1 " .. port .. " one two three")
    server.stop()
    assert.is_true(ok, out)
    assert.matches("echo: one\necho: two\necho: three", out, nil, true)
  end)

  it("demo connects its bots over DTLS and prints throughput and round-trip time", function()
    local ok, out = H.run("DEMO_SECONDS=1 DEMO_BOTS=3 timeout 60 " .. H.lua .. " examples/demo.lua")
    assert.is_true(ok, out)
    assert.matches("all 3 bots connected over DTLS", out, nil, true)
    local rate = tonumber(out:match("total: %d+ messages echoed in [%d.]+ s = (%d+) msg/s"))
    assert.is_not_nil(rate, out)
    assert.is_true(rate > 0)
    assert.matches("rtt median [%d.]+ ms", out)
  end)

  it("sharded_server's workers share one port and clients on different workers message each other", function()
    local ok, out = H.run("timeout 60 " .. H.lua .. " examples/sharded_server.lua --workers 2 --self-test")
    assert.is_true(ok, out)
    local port = out:match("worker 1 serves 127%.0%.0%.1:(%d+)")
    assert.is_not_nil(port, out)
    assert.matches("worker 2 serves 127.0.0.1:" .. port, out, nil, true)
    local n, on1, on2, delivered, across = out:match(
      "self%-test ok: (%d+) clients on 2 workers %((%d+), (%d+)%), (%d+) messages delivered, (%d+) across workers")
    assert.is_not_nil(n, out)
    assert.is_true(tonumber(on1) > 0 and tonumber(on2) > 0, out)
    assert.are.equal(n, delivered)
    assert.is_true(tonumber(across) > 0, out) -- a ring over both workers crosses between them
  end)
end)
