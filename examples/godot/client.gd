# A Godot 3 client for examples/godot/server.lua, run headless:
#
#   GODOT_EXAMPLE_PORT=7789 godot3-server --no-window -s client.gd
#
# It joins with NetworkedMultiplayerENet (range coder, as the server), sends
# three values with put_var (two reliable, one unreliable), prints every
# reply, and quits with status 0 once it has the welcome and three echoes
# (status 1 on failure, 2 after 10 seconds).
extends SceneTree

var peer = NetworkedMultiplayerENet.new()
var replies = 0
var sent = false
var started = OS.get_ticks_msec()

func _init():
	var port = int(OS.get_environment("GODOT_EXAMPLE_PORT"))
	if port == 0:
		port = 7789
	peer.compression_mode = NetworkedMultiplayerENet.COMPRESS_RANGE_CODER
	var err = peer.create_client("127.0.0.1", port)
	if err != OK:
		print("godot: create_client failed: ", err)
		quit(1)
		return
	peer.connect("connection_succeeded", self, "_on_connected")
	peer.connect("connection_failed", self, "_on_failed")

func _on_connected():
	print("godot: connected as ", peer.get_unique_id())

func _on_failed():
	print("godot: connection failed")
	quit(1)

func _idle(_delta):
	if peer.get_connection_status() == NetworkedMultiplayerPeer.CONNECTION_DISCONNECTED:
		return
	peer.poll()
	if peer.get_connection_status() == NetworkedMultiplayerPeer.CONNECTION_CONNECTED and not sent:
		sent = true
		peer.set_target_peer(NetworkedMultiplayerPeer.TARGET_PEER_SERVER)
		peer.transfer_mode = NetworkedMultiplayerPeer.TRANSFER_MODE_RELIABLE
		peer.put_var({"hello": "from Godot " + Engine.get_version_info().string})
		peer.put_var([1, 2.5, "three", null, Vector2(3, 4)])
		peer.transfer_mode = NetworkedMultiplayerPeer.TRANSFER_MODE_UNRELIABLE
		peer.put_var(Color(1, 0.5, 0.25, 1))
	while peer.get_available_packet_count() > 0:
		var from = peer.get_packet_peer()
		var v = peer.get_var()
		if typeof(v) != TYPE_DICTIONARY:
			print("godot: unexpected reply from ", from, ": ", v)
		elif v.has("welcome"):
			print("godot: welcome from ", from, ": ", v["welcome"], ", my id ", v["your_id"])
		else:
			replies += 1
			print("godot: echo from ", from, " (channel ", v["channel"], "): ", v["echo"])
	if replies >= 3:
		peer.close_connection()
		quit(0)
	elif OS.get_ticks_msec() - started > 10000:
		print("godot: timed out with ", replies, " echoes")
		quit(2)
