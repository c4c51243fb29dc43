-- The LÖVE example (examples/love): its server runs on the interpreter under
-- test; two LÖVE 11 clients (LuaJIT) play as bots under Xvfb, one loading
-- enetconnection from a copy in its game folder, the other through
-- LUA_PATH/LUA_CPATH. Each saves a screenshot once both squares stand
-- still; LÖVE's own PNG decoder (spec/love_helper, no window) then reads
-- the files back, and every square must be there, in its colour, where the
-- other client says it is. Artifacts stay in build/love_spec/<lua>/.
-- Then LÖVE's built-in lua-enet against an enetconnection server, DTLS
-- inside LÖVE, and a game shipped as a .love file (spec/love_shipped) that
-- loads the C module through enetconnection.love.
local H = require("helper")
local protocol = dofile("examples/love/protocol.lua")

local read = H.read_file

-- key=value lines; "drawn=ID COLOUR X Y" lines collect in .drawn[ID].
local function parse_report(text)
  local r = { drawn = {}, players_drawn = 0 }
  for key, value in (text or ""):gmatch("([%w_]+)=([^\n]*)") do
    if key == "drawn" then
      local id, colour, x, y = value:match("^(%d+) (%d+) (%-?%d+) (%-?%d+)$")
      r.drawn[tonumber(id)] = { colour = tonumber(colour), x = tonumber(x), y = tonumber(y) }
      r.players_drawn = r.players_drawn + 1
    else
      r[key] = value
    end
  end
  return r
end

-- `love spec/love_helper png` output: per file, colour "R G B" -> { count, x0, y0, x1, y1 }.
local function parse_check(text)
  local files, current = {}, nil
  for line in text:gmatch("[^\n]+") do
    local path, w, h = line:match("^file (%S+) (%d+) (%d+)$")
    if path then
      current = { width = tonumber(w), height = tonumber(h), colours = {} }
      files[path] = current
    end
    local r, g, b, n, x0, y0, x1, y1 = line:match("^colour (%d+) (%d+) (%d+) (%d+) (%d+) (%d+) (%d+) (%d+)$")
    if r and current then
      current.colours[r .. " " .. g .. " " .. b] = {
        count = tonumber(n), x0 = tonumber(x0), y0 = tonumber(y0), x1 = tonumber(x1), y1 = tonumber(y1),
      }
    end
  end
  return files
end

local function wait_for(what, proc, pattern, seconds)
  local deadline = H.now() + seconds
  repeat
    local found = proc.output():match(pattern)
    if found then
      return found
    end
    H.sleep(0.02)
  until H.now() > deadline
  error("timed out waiting for " .. what .. ": " .. proc.output())
end

-- Starts Xvfb through `spawn` (which stops it after the spec); Xvfb picks
-- a free display and prints its number, which this returns.
local function start_xvfb(spawn, seconds)
  local xvfb = spawn("exec Xvfb -displayfd 1 -screen 0 640x480x24 -nolisten tcp 2>/dev/null", seconds)
  return wait_for("Xvfb", xvfb, "^(%d+)\n", 10)
end

describe("LÖVE example", function()
  it("shows both bots' squares in each client's screenshot where the other client says they are", function()
    local _, root = H.run("pwd")
    root = root:gsub("%s+$", "")
    local lua_name = H.lua:match("[^/]+$")
    local dir = root .. "/build/love_spec/" .. lua_name
    local game = dir .. "/game"
    local core = root .. "/build/luajit/enetconnection/core.so"
    assert.is_not_nil(read(core), "LÖVE runs LuaJIT: build/luajit/enetconnection/core.so is needed (run make)")
    -- Client A: the recipe from examples/love/README.md, module copied into the game folder.
    assert(H.run(("rm -rf %s && mkdir -p %s/enetconnection && cp examples/love/*.lua %s/ && "
      .. "cp lua/enetconnection/*.lua %s %s/enetconnection/")
      :format(H.quote(dir), H.quote(game), H.quote(game), H.quote(core), H.quote(game))))

    local procs = {}
    finally(function()
      for _, p in ipairs(procs) do
        p.stop()
      end
    end)
    local function spawn(command, limit)
      local p = H.spawn(command, limit)
      procs[#procs + 1] = p
      return p
    end

    local server = spawn(H.lua .. " examples/love/server.lua 127.0.0.1 0 30", 35)
    local port = wait_for("the server", server, "love example server on 127%.0%.0%.1:(%d+)", 10)
    local display = start_xvfb(spawn, 40)

    local function client(bot, env, game_dir)
      return spawn(("%s DISPLAY=:%s love %s --connect 127.0.0.1:%s --bot %d --players 2 "
        .. "--shot %s/%d.png --report %s/%d.txt --quit-after 20")
        :format(env, display, H.quote(game_dir), port, bot, H.quote(dir), bot, H.quote(dir), bot), 25)
    end
    local a = client(1, "env -u LUA_PATH -u LUA_CPATH", game)
    local b = client(2, ("env LUA_PATH=%s LUA_CPATH=%s"):format(
      H.quote(root .. "/lua/?.lua;" .. root .. "/lua/?/init.lua;;"),
      H.quote(root .. "/build/luajit/?.so;;")), root .. "/examples/love")
    local a_ok, b_ok = a.wait(30), b.wait(30)
    assert.is_true(a_ok, "client 1: " .. a.output() .. (read(dir .. "/1.txt") or ""))
    assert.is_true(b_ok, "client 2: " .. b.output() .. (read(dir .. "/2.txt") or ""))

    local reports = { parse_report(read(dir .. "/1.txt")), parse_report(read(dir .. "/2.txt")) }
    for bot, r in ipairs(reports) do
      assert.are.equal("shot", r.outcome, "client " .. bot)
      assert.are.equal("true", r.socket_layer_active, "client " .. bot .. ": socket layer inside LÖVE")
      assert.are.equal("ok", r.love_enet, "client " .. bot .. ": LÖVE's own enet")
      assert.is_true(tonumber(r.datagrams_received) > 0, "client " .. bot .. ": no datagram through the layer")
      assert.are.equal("2", r.players)
      assert.are.equal(2, r.players_drawn)
    end
    local id1, id2 = tonumber(reports[1].id), tonumber(reports[2].id)
    assert.are_not.equal(id1, id2)
    -- Each draws the other exactly where the other draws itself.
    assert.are.same(reports[2].drawn[id2], reports[1].drawn[id2])
    assert.are.same(reports[1].drawn[id1], reports[2].drawn[id1])
    assert.are_not.equal(reports[1].drawn[id1].colour, reports[1].drawn[id2].colour)

    local ok, out = H.run(("timeout 20 env -u DISPLAY love %s/spec/love_helper png %s/1.png %s/2.png")
      :format(H.quote(root), H.quote(dir), H.quote(dir)))
    assert.is_true(ok, out)
    local shots = parse_check(out)
    for bot, r in ipairs(reports) do
      local shot = shots[dir .. "/" .. bot .. ".png"]
      assert.is_not_nil(shot, "no screenshot from client " .. bot .. ": " .. out)
      assert.are.same({ protocol.WIDTH, protocol.HEIGHT }, { shot.width, shot.height })
      local palette_found = 0
      for _, c in ipairs(protocol.palette) do
        if shot.colours[table.concat(c, " ")] then
          palette_found = palette_found + 1
        end
      end
      assert.are.equal(2, palette_found, "client " .. bot .. " shows other player colours: " .. out)
      for id, d in pairs(r.drawn) do
        local pixels = shot.colours[table.concat(protocol.palette[d.colour], " ")]
        assert.is_not_nil(pixels, ("client %d's screenshot lacks player %d's colour"):format(bot, id))
        local size = protocol.SIZE
        assert.are.same({ count = size * size, x0 = d.x, y0 = d.y, x1 = d.x + size - 1, y1 = d.y + size - 1 },
          pixels, ("player %d in client %d's screenshot"):format(id, bot))
      end
    end
  end)

  it("LÖVE's built-in lua-enet joins an enetconnection server, range coder on both sides", function()
    local server, port = H.server(4, 2)
    server:compress(H.C.COMPRESS_RANGE_CODER)
    local love = H.spawn("env -u DISPLAY love spec/love_helper lua-enet " .. port, 20)
    finally(function()
      love.stop()
      server:destroy()
    end)
    local got
    H.pump_until("lua-enet's packet", { server }, function()
      return got ~= nil
    end, function(_, event, peer, _, channel)
      if event == H.C.EVENT_RECEIVE then
        got = { peer:get_packet(), channel }
        peer:send(channel, "echo: " .. got[1], H.P.FLAG_RELIABLE)
      end
    end, 15)
    assert.are.same({ "hello from lua-enet", 1 }, got)
    local replied = H.pump({ server }, function()
      return love.output():match("exit:%d") ~= nil
    end, nil, 15)
    assert.is_true(replied, love.output())
    assert.matches("reply echo: hello from lua-enet 1\n", love.output(), nil, true)
    assert.is_true(love.wait(1), love.output())
  end)

  it("runs enetconnection's DTLS inside LÖVE, beside LÖVE's own ENet", function()
    local _, root = H.run("pwd")
    root = root:gsub("%s+$", "")
    local ok, out = H.run(("timeout 20 env -u DISPLAY LUA_PATH=%s LUA_CPATH=%s love spec/love_helper dtls"):format(
      H.quote(root .. "/lua/?.lua;" .. root .. "/lua/?/init.lua;;"), H.quote(root .. "/build/luajit/?.so;;")))
    assert.is_true(ok, out)
    assert.matches("socket_layer_active true\n", out, nil, true)
    assert.matches("dtls connected\n", out, nil, true)
  end)

  it("serves IPv6 (::1) and LÖVE's own lua-enet (IPv4) from one dual-stack host inside LÖVE", function()
    local _, root = H.run("pwd")
    root = root:gsub("%s+$", "")
    local ok, out = H.run(("timeout 20 env -u DISPLAY LUA_PATH=%s LUA_CPATH=%s love spec/love_helper ipv6"):format(
      H.quote(root .. "/lua/?.lua;" .. root .. "/lua/?/init.lua;;"), H.quote(root .. "/build/luajit/?.so;;")))
    assert.is_true(ok, out)
    assert.matches("connected from 127.0.0.1 and ::1\n", out, nil, true)
  end)
end)

-- The recipe of examples/love/README.md ("Shipping a game"): a .love file
-- holding the game, enetconnection's Lua files and the LuaJIT core.so.
-- HOME and XDG_DATA_HOME point into build/, so the save directory
-- (XDG_DATA_HOME/love/<t.identity>) is there, never in the real home.
describe("a LÖVE game shipped as a .love file", function()
  local _, root = H.run("pwd")
  root = root:gsub("%s+$", "")
  local dir = root .. "/build/love_spec/" .. H.lua:match("[^/]+$") .. "/shipped"
  local core = root .. "/build/luajit/enetconnection/core.so"
  local copy = dir .. "/xdg/love/enetconnection-love-shipped/enetconnection-native/enetconnection/core.so"

  local function build_love_file()
    assert.is_not_nil(read(core), "LÖVE runs LuaJIT: build/luajit/enetconnection/core.so is needed (run make)")
    local staging = H.quote(dir .. "/game")
    local zip = "if command -v zip >/dev/null; then zip -q -r ../game.love .; "
      .. "else python3 -m zipfile -c ../game.love main.lua conf.lua enetconnection; fi"
    local ok, out = H.run(("rm -rf %s && mkdir -p %s/enetconnection && cp spec/love_shipped/*.lua %s/ && "
      .. "cp lua/enetconnection/*.lua %s %s/enetconnection/ && cd %s && (%s)")
      :format(H.quote(dir), staging, staging, H.quote(core), staging, staging, zip))
    assert.is_true(ok, out)
    return dir .. "/game.love"
  end

  -- Runs the game (`love GAME.love` or a fused executable) against a server
  -- of ours that echoes what it gets; returns whether the game exited 0,
  -- and its output.
  local function play(game_command, options)
    local server, port = H.server(1, 1)
    local procs = {}
    local function spawn(command, limit)
      local p = H.spawn(command, limit)
      procs[#procs + 1] = p
      return p
    end
    local ok, exited, output = pcall(function()
      local display = start_xvfb(spawn, 30)
      local game = spawn(("env -u LUA_PATH -u LUA_CPATH HOME=%s XDG_DATA_HOME=%s DISPLAY=:%s %s %d %s"):format(
        H.quote(dir .. "/home"), H.quote(dir .. "/xdg"), display, game_command, port, options or ""), 25)
      H.pump_until("the game to exit", { server }, function()
        return game.output():match("exit:%d") ~= nil
      end, function(_, event, peer, _, channel)
        if event == H.C.EVENT_RECEIVE then
          peer:send(channel, "echo: " .. peer:get_packet(), H.P.FLAG_RELIABLE)
        end
      end, 25)
      return game.wait(1), game.output()
    end)
    for _, p in ipairs(procs) do
      p.stop()
    end
    server:destroy()
    assert(ok, exited)
    return exited, output
  end

  local function inode(path)
    local ok, out = H.run("stat -c %i " .. H.quote(path))
    assert.is_true(ok, out)
    return out:match("%d+")
  end

  it("copies core.so to the save directory, loads it from there and talks to a server", function()
    local game = "love " .. H.quote(build_love_file())
    local ok, out = play(game)
    assert.is_true(ok, out)
    assert.matches("reply echo: hello from a .love\n", out, nil, true)
    assert.matches("core " .. copy .. "\n", out, nil, true)
    assert.are.equal(read(core), read(copy), "the copy in the save directory")
    local first = inode(copy)

    -- A second start finds an identical copy and leaves it alone.
    ok, out = play(game)
    assert.is_true(ok, out)
    assert.are.equal(first, inode(copy), "an identical copy is not rewritten")

    -- A copy that differs (an older game version) is replaced by a new file.
    local f = assert(io.open(copy, "wb"))
    f:write("an older core.so")
    f:close()
    ok, out = play(game)
    assert.is_true(ok, out)
    assert.matches("reply echo: hello from a .love\n", out, nil, true)
    assert.are.equal(read(core), read(copy), "the copy after an update")
    assert.are_not.equal(first, inode(copy), "replaced by renaming a new file over it")
  end)

  it("works the same fused with the love executable (save directory without love/)", function()
    local fused = dir .. "/fused-game"
    assert(H.run(("cat \"$(command -v love)\" %s > %s && chmod +x %s")
      :format(H.quote(build_love_file()), H.quote(fused), H.quote(fused))))
    local ok, out = play(H.quote(fused))
    assert.is_true(ok, out)
    assert.matches("reply echo: hello from a .love\n", out, nil, true)
    local fused_copy = dir .. "/xdg/enetconnection-love-shipped/enetconnection-native/enetconnection/core.so"
    assert.matches("core " .. fused_copy .. "\n", out, nil, true)
    assert.are.equal(read(core), read(fused_copy))
  end)

  it("says what to do when the game requires enetconnection without the loader", function()
    local ok, out = play("love " .. H.quote(build_love_file()), "--no-loader")
    assert.is_false(ok, out)
    assert.matches("error: enetconnection: LÖVE found no enetconnection/core.so it can load", out, nil, true)
    assert.matches('require("enetconnection.love") before require("enetconnection")', out, nil, true)
    assert.matches("module 'enetconnection.core' not found", out, nil, true) -- require's own words stay
    assert.is_nil(out:match("\nreply "), out)
  end)
end)
