-- examples/godot: the Lua server (on the interpreter under test) and the
-- Godot 3 client script (godot3-server, headless) talk through Godot 3's
-- NetworkedMultiplayerENet framing, range-coder compressed.
local H = require("helper")
local unpack = table.unpack or unpack

describe("Godot example", function()
  it("a Godot 3 client joins the Lua server, and each side decodes what the other put_var'd", function()
    local server = H.spawn(H.lua .. " examples/godot/server.lua 127.0.0.1 0 25", 30)
    local dir = os.tmpname()
    os.remove(dir)
    finally(function()
      server.stop()
      H.run("rm -rf " .. H.quote(dir))
    end)
    local port
    local deadline = H.now() + 10
    while not port and H.now() < deadline do
      port = server.output():match("godot example server on 127%.0%.0%.1:(%d+)")
      H.sleep(0.02)
    end
    assert.is_not_nil(port, "server did not start: " .. server.output())

    -- Godot treats its working directory as a project and writes logs/ there.
    local _, root = H.run("pwd")
    root = root:gsub("%s+$", "")
    local ok, out = H.run(("mkdir %s && cd %s && GODOT_EXAMPLE_PORT=%s timeout 20 godot3-server --no-window -s %s")
      :format(H.quote(dir), H.quote(dir), port, H.quote(root .. "/examples/godot/client.gd")))
    assert.is_true(ok, out)
    assert.is_true(server.wait(10), "the server should stop when its client leaves: " .. server.output())
    local said = server.output()

    local id = out:match("godot: connected as (%d+)")
    assert.is_not_nil(id, out)
    -- The Lua server took the id from the connect data, as Godot 3's server does.
    assert.matches("godot: welcome from 1: hello from Lua, my id " .. id .. "\n", out, nil, true)
    assert.matches("godot: echo from 1 (channel 1): {hello:from Godot 3.", out, nil, true)
    assert.matches("godot: echo from 1 (channel 1): [1, 2.5, three, Null, (3, 4)]", out, nil, true)
    assert.matches("godot: echo from 1 (channel 2): 1,0.5,0.25,1", out, nil, true)

    assert.matches("peer " .. id .. " connected", said, nil, true)
    assert.matches("from " .. id .. " on channel 1: {hello=\"from Godot 3.", said, nil, true)
    assert.matches("from " .. id .. " on channel 1: {1, 2.5, \"three\", null, Vector2%(3[.0]*, 4[.0]*%)}", said)
    assert.matches("from " .. id .. " on channel 2: Color%(1[.0]*, 0.5, 0.25, 1[.0]*%)", said)
    assert.matches("peer " .. id .. " left", said, nil, true)
  end)
end)

describe("examples/godot/godot3.lua", function()
  it("refuses a client asking for a reserved or taken id, resets it and says why", function()
    package.path = "examples/godot/?.lua;" .. package.path
    local godot3 = require("godot3")
    local s, port = H.server(8, godot3.CHANNELS)
    local server = godot3.server(s)
    local clients, seen = {}, {}
    finally(function()
      for _, c in ipairs(clients) do
        c:destroy()
      end
      s:destroy()
    end)
    -- Connects a client with `id` as its connect data and returns the next
    -- high-level event of the server.
    local function join(id)
      local c = H.client(1, godot3.CHANNELS)
      clients[#clients + 1] = c
      assert(c:connect_to_host("127.0.0.1", port, godot3.CHANNELS, id))
      local before = #seen
      H.pump_until("the server's event for id " .. id, clients, function()
        for kind, who, value in server:events(0) do
          seen[#seen + 1] = { kind, who, value }
        end
        return #seen > before
      end)
      return unpack(seen[before + 1])
    end

    assert.are.same({ "peer_refused", 1, "ids 0, 1 and above 2^31-1 are reserved" }, { join(1) })
    assert.are.same({ "peer_refused", 0, "ids 0, 1 and above 2^31-1 are reserved" }, { join(0) })
    assert.are.same({ "peer_refused", 2147483648, "ids 0, 1 and above 2^31-1 are reserved" }, { join(2147483648) })
    assert.are.same({ "peer_connected", 5 }, { join(5) })
    assert.are.same({ "peer_refused", 5, "id already in use" }, { join(5) })
    assert.are.same({ "peer_connected", 2147483647 }, { join(2147483647) })
    -- The refused clients were reset: the server holds the two it accepted.
    assert.are.equal(2, #s:get_peers())
    assert.are.equal(6, #seen)
  end)
end)
