-- Shared by the dtls_*_spec files: a certificate and options, DTLS hosts on
-- 127.0.0.1 port 0, connecting and delivering with bounded pumps, a UDP
-- relay that plays the man in the middle, and DTLS record helpers.
local H = require("helper")
local enet, C, P = H.enet, H.C, H.P

local D = {}

-- mbedTLS's default certificate profile wants RSA keys of 2048 bits or more.
D.key = assert(enet.Crypto.generate_rsa(2048))
D.cert = assert(enet.Crypto.generate_self_signed_certificate(D.key, "CN=myserver,O=test"))
D.server_options = assert(enet.TLSOptions.server(D.key, D.cert))
D.trusting_client = assert(enet.TLSOptions.client(D.cert))

--- A DTLS server on 127.0.0.1; returns it and its port.
function D.server(max_peers, options)
  local s, port = H.server(max_peers)
  assert(s:dtls_server_setup(options or D.server_options))
  return s, port
end

--- A DTLS client host checking `hostname` (default "myserver").
function D.client(hostname, options)
  local c = H.client()
  assert(c:dtls_client_setup(hostname or "myserver", options or D.trusting_client))
  return c
end

--- Connects client c to port on `address` (default "127.0.0.1"), servicing
-- `hosts` (default { s, c }); returns the server's peer for c and c's peer
-- for the server. Plain hosts too.
function D.connect(s, c, port, hosts, address)
  address = address or "127.0.0.1"
  local cpeer = assert(c:connect_to_host(address, port))
  local speer
  H.pump_until("a connection to " .. address, hosts or { s, c }, function()
    return speer ~= nil and cpeer:get_state() == P.STATE_CONNECTED
  end, function(h, t, peer)
    if h == s and t == C.EVENT_CONNECT then
      speer = peer
    end
  end)
  return speer, cpeer
end

--- Sends `packet` reliably from `from_peer`; returns what `to_host` receives.
function D.deliver(hosts, from_peer, to_host, packet)
  assert(from_peer:send(0, packet, P.FLAG_RELIABLE) == true, "send refused")
  local got
  H.pump_until("a packet", hosts, function() return got ~= nil end, function(h, t, peer)
    if h == to_host and t == C.EVENT_RECEIVE then
      got = peer:get_packet()
    end
  end)
  return got
end

--- Tries to connect c to port with short ENet timeouts (peer:set_timeout's
-- minimum and maximum, default 300 and 600 ms); returns whether a
-- CONNECT came (on any host: the attempt succeeded, returned at once), or
-- false once the client saw its DISCONNECT (the attempt failed).
function D.attempt(hosts, c, port, timeout_min, timeout_max)
  local cpeer = assert(c:connect_to_host("127.0.0.1", port))
  cpeer:set_timeout(32, timeout_min or 300, timeout_max or 600)
  local connected, ended = false, false
  H.pump_until("the attempt to end", hosts, function() return connected or ended end, function(h, t)
    if t == C.EVENT_CONNECT then
      connected = true
    elseif h == c and t == C.EVENT_DISCONNECT then
      ended = true
    end
  end)
  return connected
end

--- Another self-signed certificate for CN=myserver, with its own key, that
-- D.cert does not sign; returns the key and the certificate (made once).
local impostor_key, impostor_cert
function D.impostor()
  if not impostor_key then
    impostor_key = assert(enet.Crypto.generate_rsa(2048))
    impostor_cert = assert(enet.Crypto.generate_self_signed_certificate(impostor_key, "CN=myserver,O=test"))
  end
  return impostor_key, impostor_cert
end

function D.destroy_all(...)
  for _, h in ipairs({ ... }) do
    h:destroy()
  end
end

--- True when `data` is a DTLS 1.x record (content type 20..23, version 254.x).
function D.is_dtls_record(data)
  local kind, major = data:byte(1, 2)
  return #data >= 13 and kind >= 20 and kind <= 23 and major == 254
end

--- The records of a DTLS datagram: { type = content type, epoch = n,
-- length = n } each, in order (a partial record at the end is left out).
function D.records(datagram)
  local list, at = {}, 1
  while #datagram - at + 1 >= 13 do
    local length = datagram:byte(at + 11) * 256 + datagram:byte(at + 12)
    if at + 13 + length - 1 > #datagram then break end
    list[#list + 1] = {
      type = datagram:byte(at), epoch = datagram:byte(at + 3) * 256 + datagram:byte(at + 4), length = length,
    }
    at = at + 13 + length
  end
  return list
end

--- The datagrams of a capture (conn:_captured()) that were sent (`sent`
-- true) or received (false).
function D.captured(conn, sent)
  local list = {}
  for _, d in ipairs(conn:_captured()) do
    if d.sent == sent then
      list[#list + 1] = d
    end
  end
  return list
end

--- A UDP relay on 127.0.0.1 between clients and the server at port: a
-- client connects to relay.port, the server sees the relay's address. It
-- has a service() method so that H.pump services it like a host (it never
-- has events). While relay.holding is true, what clients send is kept in
-- relay.held instead of forwarded; relay:inject(data) sends a datagram to
-- the server from the relay's address (the client's address, to the server).
function D.relay(port)
  local socket = require("socket")
  local front = assert(socket.udp())
  assert(front:setsockname("127.0.0.1", 0))
  front:settimeout(0)
  local back = assert(socket.udp())
  assert(back:setsockname("127.0.0.1", 0))
  assert(back:setpeername("127.0.0.1", port))
  back:settimeout(0)
  local _, front_port = front:getsockname()
  local relay = { port = tonumber(front_port), holding = false, held = {} }
  local client_ip, client_port
  function relay.service()
    for _ = 1, 256 do
      local data, ip, from_port = front:receivefrom()
      if not data then break end
      client_ip, client_port = ip, from_port
      if relay.holding then
        relay.held[#relay.held + 1] = data
      else
        back:send(data)
      end
    end
    for _ = 1, 256 do
      local data = back:receive()
      if not data then break end
      if client_port then
        front:sendto(data, client_ip, client_port)
      end
    end
    return 0
  end
  function relay.inject(_, data)
    assert(back:send(data))
  end
  function relay.close()
    front:close()
    back:close()
  end
  return relay
end

--- A genuine ClientHello (cookie-less): a real client's first datagram,
-- captured as it leaves (to 127.0.0.1:9, where nothing listens). The
-- client is D.client(hostname, options).
function D.client_hello(hostname, options)
  local probe = D.client(hostname, options)
  assert(probe:_capture(1))
  assert(probe:connect_to_host("127.0.0.1", 9))
  probe:flush()
  local hello = probe:_captured()[1].data
  probe:destroy()
  return hello
end

--- `data` with the byte at position i (1-based, negative from the end)
-- changed (plus one, modulo 256).
function D.alter(data, i)
  if i < 0 then
    i = #data + 1 + i
  end
  return data:sub(1, i - 1) .. string.char((data:byte(i) + 1) % 256) .. data:sub(i + 1)
end

return D
