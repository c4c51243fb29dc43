-- A DTLS handshake that fails ends the ENet peer at once, with the reason
-- in dtls_get_error() before the EVENT_DISCONNECT is returned; the
-- handshake bounds (docs/dtls.md, "Handshake bounds"); refuse_new_connections
-- on a DTLS server. ENet's own timeouts are left at their defaults here
-- (31.5 s for a connection that never completes), so that an end that
-- comes from them fails the bounded waits below.
local H = require("helper")
local D = require("dtls_helper")
local enet, C, P = H.enet, H.C, H.P
local Error = enet.Error

--- Connects `c` to `port` and services `hosts` until c's peer gets its
-- DISCONNECT (failing the spec after `seconds`); returns the peer, and
-- dtls_get_error()'s two values as they were when that event came.
local function until_disconnect(hosts, c, port, seconds)
  local cpeer = assert(c:connect_to_host("127.0.0.1", port))
  local departed, msg, code
  H.pump_until("the client's DISCONNECT", hosts, function() return departed ~= nil end, function(h, t, peer)
    assert.are_not.equal(C.EVENT_CONNECT, t)
    if h == c and t == C.EVENT_DISCONNECT then
      departed = peer
      msg, code = c:dtls_get_error()
    end
  end, seconds)
  assert.are.equal(cpeer, departed)
  return cpeer, msg, code
end

describe("a failed DTLS handshake", function()
  it("ends the client's peer at once when the certificate's name is refused", function()
    local s, port = D.server()
    local c = D.client("someone-else")
    local cpeer, msg, code = until_disconnect({ s, c }, c, port, 5)
    assert.are.equal(Error.ERR_UNAUTHORIZED, code)
    assert.matches("certificate of 127.0.0.1:" .. port .. " was refused", msg, 1, true)
    assert.are.equal(P.STATE_DISCONNECTED, cpeer:get_state())
    assert.is_false(cpeer:is_active())
    assert.are.equal(0, #c:get_peers())
    D.destroy_all(c, s)
  end)

  it("ends the client's peer at once when the chain is not trusted; the server keeps no peer", function()
    local s, port = D.server(nil, enet.TLSOptions.server(D.impostor()))
    local c = D.client()
    local _, msg, code = until_disconnect({ s, c }, c, port, 5)
    assert.are.equal(Error.ERR_UNAUTHORIZED, code)
    assert.matches("not correctly signed by the trusted CA", msg, 1, true)
    H.pump_until("the server to read the alert", { s }, function() return s:dtls_get_error() ~= nil end)
    assert.are.equal(0, #s:get_peers())
    D.destroy_all(c, s)
  end)

  it("lets the client connect again at once with the right name", function()
    local s, port = D.server()
    local c = D.client("someone-else")
    until_disconnect({ s, c }, c, port, 5)
    c:destroy()
    c = D.client()
    local speer, cpeer = D.connect(s, c, port)
    assert.is_not_nil(speer)
    assert.are.equal("again", D.deliver({ s, c }, cpeer, s, "again"))
    D.destroy_all(c, s)
  end)

  it("returns the DISCONNECT from service(timeout) as from service(0)", function()
    local s, port = D.server()
    local c = D.client("someone-else")
    local cpeer = assert(c:connect_to_host("127.0.0.1", port))
    local event
    for _ = 1, 200 do -- the server answers in its own service calls
      s:service(0)
      local t, peer = c:service(20)
      if t == C.EVENT_DISCONNECT then
        event = peer
        break
      end
    end
    assert.are.equal(cpeer, event)
    assert.is_not_nil(c:dtls_get_error())
    D.destroy_all(c, s)
  end)
end)

describe("README's DTLS example", function()
  --- The example's code, with `from` replaced by `to`.
  local function example(from, to)
    local readme = H.read_file("README.md")
    local code = readme:match("## DTLS with a self%-signed certificate.-```lua\n(.-)```")
    assert.is_not_nil(code, "the example is gone from README.md")
    local changed, n = code:gsub(from, to)
    assert.are.equal(1, n, from)
    return assert((loadstring or load)(changed, "README example"))
  end

  it("connects, and says why when the certificate bears another name", function()
    local printed = {}
    local print_was = _G.print
    _G.print = function(...)
      local words = {}
      for i = 1, select("#", ...) do words[i] = tostring((select(i, ...))) end
      printed[#printed + 1] = table.concat(words, " ")
    end
    local ok, err = pcall(example("print%(", "print(")) -- as written
    local refused, why = pcall(example('dtls_client_setup%("game%.example"', 'dtls_client_setup("wrong.example"'))
    _G.print = print_was
    assert.is_true(ok, tostring(err))
    assert.matches("connected over DTLS to", printed[1], 1, true)
    assert.is_false(refused)
    assert.matches("was refused (give dtls_client_setup the name in the certificate", tostring(why), 1, true)
  end)
end)

describe("DTLS handshake bounds", function()
  -- One wait of about 16.5 s serves two clients: one whose server never
  -- answers (a plain host), one whose server answered once and then went
  -- silent (its datagrams all lost).
  it("end a handshake with no answer after 10 s, and keep one that was answered past 15 s", function()
    local plain, plain_port = H.server()
    local lonely = D.client()
    local s, port = D.server()
    local slow = D.client()
    local lonely_peer = assert(lonely:connect_to_host("127.0.0.1", plain_port))
    local slow_peer = assert(slow:connect_to_host("127.0.0.1", port))
    slow:service(0) -- sends the ClientHello
    for _ = 1, 20 do -- the server answers it (a HelloVerifyRequest, stateless)
      s:service(0)
      H.sleep(0.001)
    end
    s:simulate({ loss = 1 }) -- silent from now on: its next flights are lost
    local lonely_ended, lonely_msg, lonely_code
    local deadline = H.now() + 16.5
    while H.now() < deadline do
      for _, h in ipairs({ plain, lonely, s, slow }) do
        local t, peer = h:service(0)
        while t ~= C.EVENT_NONE do
          assert.are_not.equal(C.EVENT_CONNECT, t)
          if h == lonely and t == C.EVENT_DISCONNECT then
            assert.are.equal(lonely_peer, peer)
            lonely_ended = H.now()
            lonely_msg, lonely_code = lonely:dtls_get_error()
          end
          assert.is_false(h == slow and t == C.EVENT_DISCONNECT, "the answered handshake was cut off")
          t, peer = h:service(0)
        end
      end
      H.sleep(0.005)
    end
    assert.is_not_nil(lonely_ended, "no DISCONNECT for the unanswered handshake")
    assert.are.equal(Error.ERR_TIMEOUT, lonely_code)
    assert.matches("no DTLS answer from 127.0.0.1:" .. plain_port .. " in 10 s", lonely_msg, 1, true)
    assert.are.equal(P.STATE_DISCONNECTED, lonely_peer:get_state())
    -- past mbedTLS's former bound (1 s doubling to 8 s: 15 s), still trying
    assert.is_nil(slow:dtls_get_error())
    assert.are.equal(P.STATE_CONNECTING, slow_peer:get_state())
    D.destroy_all(lonely, plain, slow, s)
  end)
end)

describe("refuse_new_connections on a DTLS server", function()
  it("starts no handshake with a newcomer, serves its peers, and accepts again after", function()
    local s, port = D.server()
    local old = D.client()
    local _, old_peer = D.connect(s, old, port)
    s:refuse_new_connections(true)
    local newcomer = D.client()
    assert.is_false(D.attempt({ s, old, newcomer }, newcomer, port))
    local msg, code = newcomer:dtls_get_error()
    assert.are.equal(Error.ERR_TIMEOUT, code)
    assert.matches("no DTLS answer from 127.0.0.1:" .. port, msg, 1, true)
    assert.are.equal(1, #s:get_peers())
    assert.are.equal("still served", D.deliver({ s, old, newcomer }, old_peer, s, "still served"))
    s:refuse_new_connections(false)
    newcomer:destroy()
    newcomer = D.client()
    local speer = D.connect(s, newcomer, port, { s, old, newcomer })
    assert.is_not_nil(speer)
    assert.are.equal(2, #s:get_peers())
    D.destroy_all(newcomer, old, s)
  end)
end)

describe("refuse_new_connections on a plain server", function()
  it("gives a newcomer no answer at all, and serves its peers", function()
    local s, c, speer, cpeer = H.pair()
    s:refuse_new_connections(true)
    local newcomer = H.client()
    local npeer = assert(newcomer:connect_to_host("127.0.0.1", s:get_local_port()))
    npeer:set_timeout(32, 300, 600)
    local connects = 0
    H.pump_until("the newcomer's end", { s, c, newcomer }, function()
      return npeer:get_state() == P.STATE_DISCONNECTED
    end, function(h, t)
      if h == s and t == C.EVENT_CONNECT then connects = connects + 1 end
    end)
    assert.are.equal(0, connects)
    assert.are.equal(0, newcomer:get_socket_counters().datagrams_received)
    assert.is_true(cpeer:send(0, "still served", P.FLAG_RELIABLE))
    H.pump_until("the packet", { s, c }, function() return speer:get_available_packet_count() == 1 end)
    assert.are.equal("still served", speer:get_packet())
    D.destroy_all(newcomer, c, s)
  end)
end)
