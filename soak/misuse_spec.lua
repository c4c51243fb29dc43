-- Soak: API misuse. A seeded random sequence of method calls with random
-- arguments on connections, peers and TLS objects, mixed with destroy(),
-- dropped references, garbage collection, and finalizers that make random
-- calls themselves: with an eager collector they run inside the calls
-- above, as a game's __gc may (so the order of the sequence then depends
-- on the collector). Every call must end in a value or a Lua error;
-- `make soak` and .ci/run run this under ASan too.
--
-- Safety: every address the calls can see is 127.0.0.1, "localhost" or a
-- string that is empty as a C string (never a number, which Lua would turn
-- into one), so nothing is resolved through DNS and nothing but loopback
-- is ever a target. Methods that write files or burn seconds of CPU (save,
-- generate_rsa) are left out.
local S = require("soak_helper")
local H = S.H
local enet, C, P = H.enet, H.C, H.P

local CALLS = S.scale(100000, 100000)

local excluded = { save = true, generate_rsa = true, new = true, from_file = true }

local function methods_of(class)
  local names = {}
  for name, v in pairs(class) do
    if type(v) == "function" and not excluded[name] then names[#names + 1] = name end
  end
  table.sort(names)
  return names
end

local classes = {
  { C, methods_of(C) }, { P, methods_of(P) },
  { enet.CryptoKey, methods_of(enet.CryptoKey) },
  { enet.X509Certificate, methods_of(enet.X509Certificate) },
  { enet.TLSOptions, methods_of(enet.TLSOptions) },
}

describe("API misuse", function()
  it("survives 100,000 random calls with random arguments, destroys, collections and finalizers", function()
    math.randomseed(42)
    local conns, peers = {}, {}
    local tls = {
      enet.CryptoKey.new(), enet.X509Certificate.new(), enet.TLSOptions.client_unsafe(),
      enet.TLSOptions.client(),
    }
    local function new_conn()
      local conn = C.new()
      if math.random() < 0.8 then conn:create_host_bound("127.0.0.1", 0, math.random(1, 8), math.random(0, 4)) end
      return conn
    end
    for i = 1, 4 do conns[i] = new_conn() end

    local strings = { "", "127.0.0.1", "localhost", "\0\1\2\255", "\0" .. string.rep("x", 3000) }
    local takes_address = { create_host_bound = true, connect_to_host = true, socket_send = true }
    local numbers = { 0, 1, 2, 3, -1, 7, 255, 256, 4095, 4096, 65535, 65536, 2 ^ 31, -2 ^ 31, 2 ^ 53, 1.5,
      0 / 0, 1 / 0, -1 / 0 }
    local function random_value()
      local kind = math.random(1, 10)
      if kind <= 4 then return numbers[math.random(#numbers)] end
      if kind <= 6 then return strings[math.random(#strings)] end
      if kind == 7 then return conns[math.random(#conns)] end
      if kind == 8 then return peers[math.random(math.max(#peers, 1))] end
      if kind == 9 then return tls[math.random(#tls)] end
      local others = { true, false, {}, { loss = 0.5, seed = 1 }, print, enet.null }
      return others[math.random(#others)]
    end
    -- An object of the class, or now and then any value at all.
    local function random_self(class)
      if math.random() < 0.05 then return random_value() end
      if class == C then return conns[math.random(#conns)] end
      if class == P then return peers[math.random(math.max(#peers, 1))] end
      return tls[math.random(#tls)]
    end

    local calls, raised, returned, steps, finalized = 0, 0, 0, 0, 0
    -- One random method call; returns whether it raised.
    local function random_call()
      local class = classes[math.random(#classes)]
      local name = class[2][math.random(#class[2])]
      local args = {}
      for i = 1, math.random(0, 5) do args[i] = random_value() end
      if name == "service" or name == "events" then args[1] = math.random(-1, 1) end
      -- Never a number where an address goes: an older build turned it into
      -- text ("1.5" read as 1.0.0.5, "-1" asked of DNS); only safe strings.
      if takes_address[name] and type(args[1]) == "number" then args[1] = strings[math.random(#strings)] end
      local ok, result = pcall(class[1][name], random_self(class[1]), args[1], args[2], args[3], args[4], args[5])
      if ok then
        if type(result) == "function" then pcall(result) end -- an events() iterator
        if name == "get_peers" and type(result) == "table" then
          for _, p in ipairs(result) do peers[#peers + 1] = p end
        end
      else
        assert(type(result) == "string", "a non-string error from " .. name)
      end
      return not ok
    end
    local function finalize()
      finalized = finalized + 1
      if math.random() < 0.1 then
        pcall(conns[math.random(#conns)].destroy, conns[math.random(#conns)])
      else
        pcall(random_call)
      end
    end
    local pause = collectgarbage("setpause", 50)
    local stepmul = collectgarbage("setstepmul", 400)
    while calls < CALLS and steps < 2 * CALLS do
      steps = steps + 1
      local r = math.random()
      if r < 0.002 then
        conns[math.random(#conns)]:destroy()
      elseif r < 0.004 then
        conns[math.random(#conns)] = new_conn()
        if math.random() < 0.5 then peers = {} end
        collectgarbage("collect")
      elseif r < 0.02 then
        local from, to = conns[math.random(#conns)], conns[math.random(#conns)]
        local ok, port = pcall(to.get_local_port, to)
        local p = ok and select(2, pcall(from.connect_to_host, from, "127.0.0.1", port, math.random(0, 3)))
        if type(p) == "userdata" then peers[#peers + 1] = p end
      elseif r < 0.05 then -- a garbage object whose finalizer calls at random
        if newproxy then
          getmetatable(newproxy(true)).__gc = finalize
        else
          setmetatable({}, { __gc = finalize })
        end
      else
        calls = calls + 1
        if random_call() then
          raised = raised + 1
        else
          returned = returned + 1
        end
      end
      if #peers > 64 then table.remove(peers, 1) end
    end
    collectgarbage("setpause", pause)
    collectgarbage("setstepmul", stepmul)
    for _, conn in ipairs(conns) do conn:destroy() end
    collectgarbage("collect")
    S.report("misuse", { { "calls", calls }, { "returned", returned }, { "raised", raised },
      { "finalizer calls", finalized } })
    assert.are.equal(CALLS, calls)
    assert.is_true(raised > 0 and returned > 0 and finalized > 0)
  end)
end)
