# godot_codecs.gd - run by ctest/test_godot_codecs under godot3-server.
# Reads $CODEC_DIR/jobs.txt, one job a line, paths relative to CODEC_DIR:
#   encode <in> <mode> <out>          <out> = <in>.compress(mode)
#   decode <in> <size> <mode> <out>   <out> = <in>.decompress(size, mode)
# mode is File.COMPRESSION_*: 0 FastLZ, 1 deflate, 2 zstd. Writes the
# number of jobs done to done.txt, then quits.
extends SceneTree


func _read(path):
	var f = File.new()
	if f.open(path, File.READ) != OK:
		return PoolByteArray()
	var data = f.get_buffer(f.get_len())
	f.close()
	return data


func _write(path, data):
	var f = File.new()
	if f.open(path, File.WRITE) == OK:
		f.store_buffer(data)
		f.close()


func _init():
	var dir = OS.get_environment("CODEC_DIR") + "/"
	var jobs = File.new()
	var done = 0
	if jobs.open(dir + "jobs.txt", File.READ) == OK:
		while not jobs.eof_reached():
			var w = jobs.get_line().split(" ")
			if w[0] == "encode":
				_write(dir + w[3], _read(dir + w[1]).compress(int(w[2])))
				done += 1
			elif w[0] == "decode":
				var data = _read(dir + w[1])
				_write(dir + w[4], data.decompress(int(w[2]), int(w[3])))
				done += 1
		jobs.close()
	_write(dir + "done.txt", str(done).to_utf8())
	quit()
