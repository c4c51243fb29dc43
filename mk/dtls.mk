# mk/dtls.mk - DTLS (issue 5): the libFuzzer target of a DTLS server host
# and the DTLS benchmark.
#
#   build/fuzz/dtls_server_fuzz   clang, ASan + UBSan: the whole module (a
#                                 test build: it captures its seed records
#                                 with conn:_capture) and Lua 5.4, fed
#                                 datagrams over loopback UDP
#   make bench-dtls               1 KiB reliable messages with and without
#                                 DTLS, same run (bench/dtls.lua, lua5.4)

DTLS_FUZZ_SRC := fuzz/dtls_server_fuzz.c $(SRC) $(TEST_SRC)

FUZZ_TARGETS += build/fuzz/dtls_server_fuzz

# -fvisibility=hidden and -rdynamic: the executable exports exactly the
# socket layer's three hooks (and luaopen_*), so libenet's calls reach them.
build/fuzz/dtls_server_fuzz: $(DTLS_FUZZ_SRC) $(HDR)
	@mkdir -p $(@D)
	@$(if $(V),:,echo "  LD $@")
	$(Q)clang -std=c11 -D_GNU_SOURCE $(WARN) -g -O1 -fno-omit-frame-pointer -fvisibility=hidden \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Icsrc -rdynamic \
		-DENETCONNECTION_TESTS -DENETCONNECTION_ASSERT \
		$(shell pkg-config --cflags lua5.4) -o $@ $(DTLS_FUZZ_SRC) \
		$(LIBS) $(shell pkg-config --libs lua5.4)

.PHONY: bench-dtls
bench-dtls: setup
	@$(MAKE) --no-print-directory build/lua5.4/enetconnection/core.so
	@LUA_PATH='lua/?.lua;lua/?/init.lua;;' LUA_CPATH='build/lua5.4/?.so;;' lua5.4 bench/dtls.lua
