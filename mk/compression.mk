# mk/compression.mk - compression (issue 4): C unit tests of the codecs and
# the ENetCompressor adapter, libFuzzer targets, and the benchmark.
#
#   build/ctest/test_*          C unit tests (TAP), built with ASan + UBSan
#   build/fuzz/<target>         libFuzzer targets (clang)
#   make bench-compression      ratio and MB/s of every mode, zlib -1 baseline

COMPRESSION_SRC := csrc/fastlz.c csrc/compress.c
COMPRESSION_HDR := csrc/fastlz.h csrc/compress.h csrc/buffers.h ctest/tap.h ctest/payloads.h \
	ctest/godot.h
COMPRESSION_LIBS := -lenet -lz -lzstd

COMPRESSION_CTESTS := $(addprefix build/ctest/,test_fastlz test_compress \
	test_compress_enet test_godot_codecs test_godot_enet test_fastlz_godot4)
CTESTS += $(COMPRESSION_CTESTS)

COMPRESSION_CTEST_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -O1 -g -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all -Icsrc -Ictest

$(COMPRESSION_CTESTS): build/ctest/%: ctest/%.c $(COMPRESSION_SRC) \
		$(COMPRESSION_HDR)
	@mkdir -p $(@D)
	@$(if $(V),:,echo "  CC ctest $<")
	$(Q)$(CC) $(COMPRESSION_CTEST_CFLAGS) -o $@ $< $(COMPRESSION_SRC) $(COMPRESSION_LIBS)

# These find their GDScripts (run by godot3-server) beside their sources.
build/ctest/test_godot_codecs build/ctest/test_godot_enet: \
	COMPRESSION_CTEST_CFLAGS += -DCTEST_SOURCE_DIR='"$(CURDIR)/ctest"'

# libFuzzer targets: each mode's decoder and round trip through
# host->compressor, and the FastLZ codec at both levels.
COMPRESSION_FUZZ_MODES := range_coder fastlz zlib zstd
compress_mode_range_coder := COMPRESS_RANGE_CODER
compress_mode_fastlz := COMPRESS_FASTLZ
compress_mode_zlib := COMPRESS_ZLIB
compress_mode_zstd := COMPRESS_ZSTD
COMPRESSION_FUZZ := build/fuzz/fastlz_levels $(foreach k,decode roundtrip,\
	$(foreach m,$(COMPRESSION_FUZZ_MODES),build/fuzz/compress_$(k)_$(m)))
FUZZ_TARGETS += $(COMPRESSION_FUZZ)

COMPRESSION_FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -O1 -g \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -Icsrc

define compression_fuzz_link
	@mkdir -p $(@D)
	@$(if $(V),:,echo "  FUZZ $@")
	$(Q)clang $(COMPRESSION_FUZZ_CFLAGS) $(1) -o $@ $< $(2) $(3)
endef

build/fuzz/compress_decode_%: fuzz/compress_decode.c $(COMPRESSION_SRC) \
		$(COMPRESSION_HDR)
	$(call compression_fuzz_link,-DFUZZ_MODE=$(compress_mode_$*),\
		$(COMPRESSION_SRC),$(COMPRESSION_LIBS))

build/fuzz/compress_roundtrip_%: fuzz/compress_roundtrip.c \
		$(COMPRESSION_SRC) $(COMPRESSION_HDR)
	$(call compression_fuzz_link,-DFUZZ_MODE=$(compress_mode_$*),\
		$(COMPRESSION_SRC),$(COMPRESSION_LIBS))

build/fuzz/fastlz_levels: fuzz/fastlz_levels.c csrc/fastlz.c csrc/fastlz.h
	$(call compression_fuzz_link,,csrc/fastlz.c,)

# The benchmark: plain optimised build, no sanitizers.
.PHONY: bench-compression
bench-compression: build/bench/compression
	@build/bench/compression

build/bench/compression: bench/compression.c $(COMPRESSION_SRC) \
		$(COMPRESSION_HDR)
	@mkdir -p $(@D)
	@$(if $(V),:,echo "  CC bench $<")
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O2 -Icsrc -Ictest -o $@ $< \
		$(COMPRESSION_SRC) $(COMPRESSION_LIBS)
