"""pyenet client for spec/pyenet_spec.lua: connects to the Lua server given
on the command line, sends messages of several sizes on several channels,
checks that each comes back byte for byte, then disconnects with data 4242.
Prints one line per check and exits 0 only when all passed."""
import os
import sys
import time

import enet

port = int(sys.argv[1])
host = enet.Host(None, 1, 0, 0, 0)
peer = host.connect(enet.Address(b"127.0.0.1", port), 4, 31337)

deadline = time.time() + 15
connected = False
greeting = None
while time.time() < deadline and not (connected and greeting):
    event = host.service(20)
    if event.type == enet.EVENT_TYPE_CONNECT:
        connected = True
    elif event.type == enet.EVENT_TYPE_RECEIVE:
        greeting = (event.channelID, bytes(event.packet.data))
print("connected", connected)
print("greeting", greeting)
if not connected:
    sys.exit(1)

sizes = [0, 1, 15, 16, 17, 1000, 1400, 4096, 65536]
sent = []
for i, size in enumerate(sizes):
    data = os.urandom(size)
    channel = i % 4
    flags = enet.PACKET_FLAG_RELIABLE
    peer.send(channel, enet.Packet(data, flags))
    sent.append((channel, data))

echoes = []
deadline = time.time() + 15
while time.time() < deadline and len(echoes) < len(sent):
    event = host.service(20)
    if event.type == enet.EVENT_TYPE_RECEIVE:
        echoes.append((event.channelID, bytes(event.packet.data)))

ok = sorted(echoes) == sorted(sent)
print("echoes", len(echoes), "of", len(sent), "identical" if ok else "DIFFERENT")
peer.disconnect(4242)
deadline = time.time() + 5
while time.time() < deadline:
    event = host.service(20)
    if event.type == enet.EVENT_TYPE_DISCONNECT:
        print("disconnected")
        break
sys.exit(0 if ok and greeting == (1, b"hello from lua") else 1)
