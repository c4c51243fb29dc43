# mk/compression.mk - compression (issue 4): C unit tests of the codecs and
# the ENetCompressor adapter, libFuzzer targets, and the benchmark.
#
#   build/ctest/test_*          C unit tests (TAP), built with ASan + UBSan
#   build/fuzz/<target>         libFuzzer targets (clang)
#   make bench-compression      ratio and MB/s of every mode, zlib -1 baseline

COMPRESSION_SRC := csrc/fastlz.c csrc/compress.c
COMPRESSION_HDR := csrc/fastlz.h csrc/compress.h ctest/tap.h ctest/payloads.h \
	ctest/godot.h
COMPRESSION_LIBS := -lenet -lz -lzstd

COMPRESSION_CTESTS := $(addprefix build/ctest/,test_fastlz test_compress \
	test_compress_enet test_godot_codecs test_godot_enet)
CTESTS += $(COMPRESSION_CTESTS)

CTEST_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -O1 -g -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all -Icsrc -Ictest

$(COMPRESSION_CTESTS): build/ctest/%: ctest/%.c $(COMPRESSION_SRC) $(COMPRESSION_HDR)
	@mkdir -p $(@D)
	@$(if $(V),:,echo "  CC ctest $<")
	$(Q)$(CC) $(CTEST_CFLAGS) -o $@ $< $(COMPRESSION_SRC) $(COMPRESSION_LIBS)

# These find their GDScripts (run by godot3-server) beside their sources.
build/ctest/test_godot_codecs build/ctest/test_godot_enet: \
	CTEST_CFLAGS += -DCTEST_SOURCE_DIR='"$(CURDIR)/ctest"'
