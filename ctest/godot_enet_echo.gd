# godot_enet_echo.gd - run by ctest/test_godot_enet under godot3-server.
# A NetworkedMultiplayerENet server or client (ROLE) on PORT with
# compression MODE (its CompressionMode value) that sends every packet it
# receives back to its sender, reliably, until one says "bye" or 30
# seconds pass. An empty packet is answered with "empty" (Godot does not
# send empty packets). Also used by spec/compression_interop_spec.lua.
extends SceneTree

const EMPTY_REPLY = PoolByteArray([101, 109, 112, 116, 121])


func _is_bye(packet):
	return packet.size() == 3 and packet[0] == 98 and packet[1] == 121 \
		and packet[2] == 101


func _init():
	var peer = NetworkedMultiplayerENet.new()
	var port = int(OS.get_environment("PORT"))
	var err
	peer.compression_mode = int(OS.get_environment("MODE"))
	if OS.get_environment("ROLE") == "server":
		err = peer.create_server(port, 4)
	else:
		err = peer.create_client("127.0.0.1", port)
	if err != OK:
		print("echo: cannot create the peer: ", err)
		quit()
		return
	peer.transfer_mode = NetworkedMultiplayerPeer.TRANSFER_MODE_RELIABLE
	var deadline = OS.get_ticks_msec() + 30000
	var running = true
	while running and OS.get_ticks_msec() < deadline:
		peer.poll()
		while peer.get_available_packet_count() > 0:
			var from = peer.get_packet_peer()
			var packet = peer.get_packet()
			if _is_bye(packet):
				running = false
			else:
				peer.set_target_peer(from)
				peer.put_packet(packet if packet.size() > 0 else EMPTY_REPLY)
		OS.delay_msec(1)
	peer.close_connection()
	quit()
