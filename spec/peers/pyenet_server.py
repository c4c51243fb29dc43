"""pyenet server for spec/pyenet_spec.lua: binds 127.0.0.1 on a free port,
prints it, then echoes every packet on its channel until the client
disconnects; prints the disconnect data. Exits after 20 s at most."""
import sys
import time

import enet

host = enet.Host(enet.Address(b"127.0.0.1", 0), 4, 0, 0, 0)
print("port", host.address.port, flush=True)

deadline = time.time() + 20
while time.time() < deadline:
    event = host.service(20)
    if event.type == enet.EVENT_TYPE_CONNECT:
        print("connect data", event.data, flush=True)
    elif event.type == enet.EVENT_TYPE_RECEIVE:
        event.peer.send(event.channelID, enet.Packet(bytes(event.packet.data), enet.PACKET_FLAG_RELIABLE))
    elif event.type == enet.EVENT_TYPE_DISCONNECT:
        print("disconnect data", event.data, flush=True)
        break
host.flush()
sys.exit(0)
