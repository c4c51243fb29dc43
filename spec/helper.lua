-- Shared helpers for the specs: hosts on 127.0.0.1 with port 0, and a pump
-- that services hosts until a condition holds, bounded in time and count.
local enet = require("enetconnection")
local system = require("system")

local H = {}

H.enet = enet
H.C = enet.ENetConnection
H.P = enet.ENetPacketPeer
H.now = system.monotime
H.sleep = system.sleep

--- A host bound to 127.0.0.1 on a free port; returns it and its port.
function H.server(max_peers, max_channels)
  local s = enet.ENetConnection.new()
  assert(s:create_host_bound("127.0.0.1", 0, max_peers or 32, max_channels or 0))
  return s, s:get_local_port()
end

--- A client host bound to 127.0.0.1 (so nothing listens on other addresses).
function H.client(max_peers, max_channels)
  local c = enet.ENetConnection.new()
  assert(c:create_host_bound("127.0.0.1", 0, max_peers or 1, max_channels or 0))
  return c
end

--- Services `hosts` until `done()` is true. `on_event(host, type, peer,
-- data, channel)` sees every event but NONE. Fails the spec after
-- `seconds` (default 10) or `rounds` (default 1e6) rounds.
function H.pump(hosts, done, on_event, seconds, rounds)
  local deadline = H.now() + (seconds or 10)
  local limit = rounds or 1000000
  for _ = 1, limit do
    if done() then
      return true
    end
    for _, h in ipairs(hosts) do
      local t, peer, data, channel = h:service(0)
      while t ~= 0 do
        assert(t ~= -1, "service failed")
        if on_event then
          on_event(h, t, peer, data, channel)
        end
        t, peer, data, channel = h:service(0)
      end
    end
    if H.now() > deadline then
      break
    end
    H.sleep(0.0005)
  end
  return done()
end

--- Like pump, but fails the spec with `what` if the condition never holds.
function H.pump_until(what, hosts, done, on_event, seconds, rounds)
  assert(H.pump(hosts, done, on_event, seconds, rounds), "timed out waiting for " .. what)
end

--- A connected server/client pair. Returns server, client, the server's
-- peer object for the client, the client's peer object for the server.
function H.pair(opts)
  opts = opts or {}
  local s, port = H.server(opts.max_peers, opts.server_channels)
  local c = H.client(1, opts.client_channels)
  local cpeer = assert(c:connect_to_host("127.0.0.1", port, opts.channels or 0, opts.data or 0))
  local speer
  H.pump_until("connection", { s, c }, function()
    return speer ~= nil and cpeer:get_state() == H.P.STATE_CONNECTED
  end, function(h, t, peer)
    if h == s and t == H.C.EVENT_CONNECT then
      speer = peer
    end
  end)
  return s, c, speer, cpeer
end

--- Sends `count` packets of `size` bytes from `cpeer` to a server peer
-- `speer` that never reads them, one in flight at a time; returns when
-- each is queued or dropped there.
function H.flood_unread(s, c, speer, cpeer, count, size)
  local packet = string.rep("u", size)
  local function seen()
    return speer:get_available_packet_count() + speer:get_dropped_packet_count()
  end
  local start, sent = seen(), 0
  H.pump_until("every packet queued or dropped", { s, c }, function()
    local arrived = seen() - start
    if sent < count and arrived == sent then
      sent = sent + 1
      assert(cpeer:send(0, packet, H.P.FLAG_RELIABLE))
    end
    return arrived == count
  end, nil, 600)
end

--- Random bytes of length n from a seeded generator.
function H.bytes(n, seed)
  if seed then
    math.randomseed(seed)
  end
  local t = {}
  for i = 1, n do
    t[i] = string.char(math.random(0, 255))
  end
  return table.concat(t)
end

--- The bytes of the file at `path`, or nil when it cannot be opened.
function H.read_file(path)
  local f = io.open(path, "rb")
  if not f then
    return nil
  end
  local text = f:read("*a")
  f:close()
  return text
end

--- VmRSS of this process in KiB (Linux).
function H.rss_kib()
  local f = assert(io.open("/proc/self/status"))
  local text = f:read("*a")
  f:close()
  return assert(tonumber(text:match("VmRSS:%s*(%d+)")))
end

--- The interpreter running the specs (set by scripts/test).
H.lua = os.getenv("ENETCONNECTION_LUA") or "lua5.4"

--- Quotes a string for sh.
function H.quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

--- Runs a shell command; returns true when it exited with status 0, and its
-- output (stdout and stderr). The status is echoed by the shell because Lua
-- 5.1 and LuaJIT do not report it from io.popen.
function H.run(command)
  local f = assert(io.popen("sh -c " .. H.quote(command) .. " 2>&1; echo \"exit:$?\""))
  local out = f:read("*a")
  f:close()
  local status = tonumber(out:match("exit:(%d+)%s*$"))
  return status == 0, (out:gsub("exit:%d+%s*$", ""))
end

--- Starts a shell command in the background with a time limit (seconds).
-- Returns an object: :output() reads what it printed so far, :wait(seconds)
-- waits for it to end and returns true when it exited 0, :stop() kills it.
function H.spawn(command, limit)
  local out = os.tmpname()
  local pidfile = os.tmpname()
  os.execute(string.format("(timeout %d sh -c %s > %s 2>&1; echo \"exit:$?\" >> %s) & echo $! > %s",
    limit or 30, H.quote(command), out, out, pidfile))
  local proc = {}
  function proc.output()
    local f = io.open(out)
    if not f then return "" end
    local text = f:read("*a")
    f:close()
    return text
  end
  function proc.wait(seconds)
    local deadline = H.now() + (seconds or 30)
    repeat
      local status = proc.output():match("exit:(%d+)")
      if status then return tonumber(status) == 0 end
      H.sleep(0.02)
    until H.now() > deadline
    return false
  end
  function proc.stop()
    local f = io.open(pidfile)
    local pid = f and f:read("*n")
    if f then f:close() end
    if pid then
      os.execute("pkill -P " .. pid .. " 2>/dev/null; kill " .. pid .. " 2>/dev/null")
    end
    os.remove(out)
    os.remove(pidfile)
  end
  return proc
end

--- The names a shared object exports (`nm -D`), sorted, without the
-- toolchain's own (leading "_").
function H.exported_symbols(path)
  local ok, out = H.run("nm -D --defined-only " .. H.quote(path))
  assert(ok, out)
  local names = {}
  for name in out:gmatch("%s[TDBRVWi]%s+([%w_]+)") do
    if not name:match("^_") then names[#names + 1] = name end
  end
  table.sort(names)
  return names
end

--- Runs a GDScript (`extends SceneTree`, as lines) in godot3-server, in a
-- directory of its own (Godot treats its working directory as a project and
-- writes logs/ there); fails the spec unless it exits 0. Returns its output.
function H.run_godot3(lines)
  local dir = os.tmpname()
  os.remove(dir)
  assert(H.run("mkdir " .. H.quote(dir)))
  local f = assert(io.open(dir .. "/check.gd", "w"))
  f:write(table.concat(lines, "\n"), "\n")
  f:close()
  local ok, out = H.run("cd " .. H.quote(dir) .. " && timeout 60 godot3-server --no-window -s check.gd")
  H.run("rm -r " .. H.quote(dir))
  assert(ok, out)
  return out
end

--- Debian's python3, which has python3-enet (a pyenv python may not).
H.python = "/usr/bin/python3"

return H
