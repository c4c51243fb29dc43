-- Run by spec/socket_layer_spec.lua with LD_PRELOAD=build/support/libfail_send.so
-- and ENETCONNECTION_FAIL_SEND naming the ports given as arguments: every
-- datagram to 127.0.0.1 on those ports is refused by the (simulated)
-- kernel. A client sends 100 reliable messages to a server on 127.0.0.1
-- while it also tries to connect to each refused port; prints one line of
-- results for the spec to check.
local H = require("helper")
local enet, C, P = H.enet, H.C, H.P

assert(#arg >= 1, "usage: refused_peer.lua PORT...")
local s, port = H.server()
local c = H.client(1 + #arg)
local good = assert(c:connect_to_host("127.0.0.1", port))
H.pump_until("connection", { s, c }, function()
  return good:get_state() == P.STATE_CONNECTED
end)

local bad = {}
for i = 1, #arg do
  local peer = assert(c:connect_to_host("127.0.0.1", assert(tonumber(arg[i]))))
  peer:set_timeout(32, 300, 600)
  bad[peer] = true
end
local errors, got, sent, bad_gone = 0, {}, 0, 0
local deadline = H.now() + 10
while (#got < 100 or bad_gone < #arg) and H.now() < deadline do
  if sent < 100 then
    sent = sent + 1
    good:send(0, "message " .. sent, P.FLAG_RELIABLE)
  end
  for _, h in ipairs({ c, s }) do
    local t, peer = h:service(0)
    while t ~= C.EVENT_NONE do
      if t == C.EVENT_ERROR then
        errors = errors + 1
        break
      elseif h == s and t == C.EVENT_RECEIVE then
        got[#got + 1] = peer:get_packet()
      elseif h == c and t == C.EVENT_DISCONNECT and bad[peer] then
        bad[peer] = nil
        bad_gone = bad_gone + 1
      end
      t, peer = h:service(0)
    end
  end
  H.sleep(0.001)
end

local in_order = #got == 100
for i = 1, #got do
  in_order = in_order and got[i] == "message " .. i
end
io.write(string.format("active=%s errors=%d received=%d in_order=%s bad_gone=%d "
  .. "client_send_errors=%d server_send_errors=%d good_state=%d\n",
  tostring(enet.socket_layer_active()), errors, #got, tostring(in_order), bad_gone,
  c:get_socket_counters().send_errors, s:get_socket_counters().send_errors, good:get_state()))
c:destroy()
s:destroy()
