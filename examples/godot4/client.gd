# A headless Godot 4 client of examples/godot4/server.lua, written with
# Godot's usual high-level code: ENetMultiplayerPeer + SceneMultiplayer
# (multiplayer.send_bytes and the peer_packet signal).
#
#   GODOT_EXAMPLE_PORT=7790 godot --headless -s examples/godot4/client.gd
#
# NOT RUN on this project's machines (no Godot 4 binary there): the protocol
# it speaks is checked against an emulated Godot 4 client instead
# (spec/multiplayer_spec.lua); see README.md beside this file.
extends SceneTree

var peer := ENetMultiplayerPeer.new()
var mp: SceneMultiplayer


func _init() -> void:
	var port := 7790
	if OS.has_environment("GODOT_EXAMPLE_PORT"):
		port = int(OS.get_environment("GODOT_EXAMPLE_PORT"))
	var err := peer.create_client("127.0.0.1", port)
	if err != OK:
		print("godot4: create_client failed with error ", err)
		quit(1)
		return
	# Both ends must agree on compression; the example server uses none.
	# With MP.server{compression = ...} on the Lua side, also call:
	# peer.host.compress(ENetConnection.COMPRESS_RANGE_CODER)
	mp = get_multiplayer() as SceneMultiplayer
	mp.multiplayer_peer = peer
	mp.connected_to_server.connect(_on_connected)
	mp.connection_failed.connect(_on_failed)
	mp.server_disconnected.connect(_on_server_gone)
	mp.peer_connected.connect(_on_peer_connected)
	mp.peer_disconnected.connect(_on_peer_disconnected)
	mp.peer_packet.connect(_on_packet)


func _on_connected() -> void:
	print("godot4: connected as ", mp.get_unique_id())
	# To the server (id 1), reliable, transfer channel 0.
	mp.send_bytes("hello from Godot 4".to_utf8_buffer(), 1)


func _on_packet(id: int, bytes: PackedByteArray) -> void:
	var text := bytes.get_string_from_utf8()
	print("godot4: from ", id, ": ", text)
	if text == "echo: hello from Godot 4":
		# To every other client, through the Lua server's relay:
		# unreliable-ordered on transfer channel 1 (ENet channel 2).
		mp.send_bytes("hi, other clients".to_utf8_buffer(), MultiplayerPeer.TARGET_PEER_BROADCAST,
				MultiplayerPeer.TRANSFER_MODE_UNRELIABLE_ORDERED, 1)
		create_timer(2.0).timeout.connect(_leave)


func _on_peer_connected(id: int) -> void:
	print("godot4: peer ", id, " connected")


func _on_peer_disconnected(id: int) -> void:
	print("godot4: peer ", id, " left")


func _on_failed() -> void:
	print("godot4: connection failed")
	quit(1)


func _on_server_gone() -> void:
	print("godot4: server disconnected")
	quit()


func _leave() -> void:
	peer.close()
	quit()
