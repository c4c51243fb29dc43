-- The link simulator: conn:simulate{...} on a host's outgoing datagrams.
-- Raw datagrams (socket_send) to a plain UDP socket show exactly what the
-- simulated link lets through.
local H = require("helper")
local socket = require("socket")

-- Sends n numbered datagrams through host `s` to a fresh UDP socket, then
-- services `s` until the link has let everything out; returns the numbers
-- received, in arrival order.
local function through_link(config, n)
  local s = H.server()
  local udp = assert(socket.udp())
  assert(udp:setsockname("127.0.0.1", 0))
  udp:settimeout(0)
  local _, port = udp:getsockname()
  s:simulate(config)
  local got = {}
  local function drain()
    local data = udp:receive()
    while data do
      got[#got + 1] = tonumber(data)
      data = udp:receive()
    end
  end
  for i = 1, n do
    assert(s:socket_send("127.0.0.1", port, tostring(i)))
    if i % 50 == 0 then drain() end -- the receiver's buffer is not endless
  end
  local quiet_since = H.now()
  local deadline = H.now() + 10
  while H.now() - quiet_since < 0.3 and H.now() < deadline do
    s:service(1)
    local before = #got
    drain()
    if #got > before then quiet_since = H.now() end
  end
  local counters = s:get_socket_counters()
  udp:close()
  s:destroy()
  return got, counters
end

describe("simulate", function()
  it("loses about the share asked for, and the same seed loses the same datagrams", function()
    local a, counters = through_link({ loss = 0.3, seed = 7 }, 1000)
    local b = through_link({ loss = 0.3, seed = 7 }, 1000)
    local c = through_link({ loss = 0.3, seed = 8 }, 1000)
    assert.is_true(#a > 600 and #a < 800, #a .. " of 1000 arrived")
    assert.are.equal(1000 - #a, counters.simulated_lost)
    assert.are.same(a, b)
    assert.are_not.same(a, c)
  end)

  it("duplicates every datagram when duplicate = 1", function()
    local got, counters = through_link({ duplicate = 1, seed = 1 }, 100)
    assert.are.equal(200, #got)
    assert.are.equal(100, counters.simulated_duplicated)
    local seen = {}
    for _, i in ipairs(got) do seen[i] = (seen[i] or 0) + 1 end
    for i = 1, 100 do assert.are.equal(2, seen[i]) end
  end)

  it("reorders: held-back datagrams arrive after later ones", function()
    local got, counters = through_link({ reorder = 0.3, seed = 3 }, 300)
    assert.are.equal(300, #got)
    assert.is_true(counters.simulated_reordered > 50)
    local inversions = 0
    for i = 2, #got do
      if got[i] < got[i - 1] then inversions = inversions + 1 end
    end
    assert.is_true(inversions > 10, inversions .. " inversions")
  end)

  it("holds delayed datagrams until the host is serviced after they are due", function()
    local s = H.server()
    local udp = assert(socket.udp())
    assert(udp:setsockname("127.0.0.1", 0))
    udp:settimeout(0)
    local _, port = udp:getsockname()
    s:simulate({ latency = 50 })
    s:socket_send("127.0.0.1", port, "later")
    -- nothing services the host, so nothing can have left yet
    assert.is_nil(udp:receive())
    local data
    local deadline = H.now() + 5
    while not data and H.now() < deadline do
      s:service(5)
      data = udp:receive()
    end
    assert.are.equal("later", data)
    s:simulate() -- back to the real link: now immediate
    s:socket_send("127.0.0.1", port, "now")
    udp:settimeout(2)
    assert.are.equal("now", udp:receive())
    assert.is_nil(s:get_socket_counters().simulated_lost)
    udp:close()
    s:destroy()
  end)

  it("keeps ENet connections working over a lossy link", function()
    local s, c, speer, cpeer = H.pair()
    s:simulate({ loss = 0.1, seed = 5 })
    c:simulate({ loss = 0.1, seed = 6 })
    for i = 1, 100 do
      cpeer:send(0, "m" .. i, H.P.FLAG_RELIABLE)
      c:flush() -- one datagram each
    end
    H.pump_until("100 messages", { s, c }, function() return speer:get_available_packet_count() == 100 end)
    for i = 1, 100 do assert.are.equal("m" .. i, speer:get_packet()) end
    assert.is_true(c:get_socket_counters().simulated_lost > 0)
    c:destroy()
    s:destroy()
  end)

  it("rejects unknown fields and out-of-range values", function()
    local s = H.server()
    assert.has_error(function() s:simulate({ los = 0.1 }) end,
      "bad argument #1 to 'simulate' (unknown field (use loss, duplicate, reorder, latency, jitter, seed))")
    assert.has_error(function() s:simulate({ loss = 1.5 }) end,
      "bad argument #1 to 'simulate' (loss must be a probability from 0 to 1)")
    assert.has_error(function() s:simulate({ latency = -1 }) end,
      "bad argument #1 to 'simulate' (latency must be from 0 to 60000)")
    assert.has_error(function() s:simulate({ reorder = 0 / 0 }) end)
    assert.has_error(function() s:simulate(5) end)
    s:destroy()
  end)
end)
