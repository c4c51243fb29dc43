# mk/dtls.mk - DTLS (issue 5): the C unit tests of the session table and of
# the bound on handshakes, the libFuzzer target of a DTLS server host and
# the DTLS benchmark.
#
#   build/ctest/test_dtls_session ASan + UBSan, assertions live: the session
#                                 table and a session's input and outbox
#                                 (dtls_session.c; the wire stubbed)
#   build/ctest/test_dtls_handshake_bound  the same: a server filter under a
#                                 flood of ClientHellos (dtls_filter.c with
#                                 its setup; the socket layer stubbed)
#   build/fuzz/dtls_server_fuzz   clang, ASan + UBSan: the whole module (a
#                                 test build: it captures its seed records
#                                 with conn:_capture) and Lua 5.4, fed
#                                 datagrams over loopback UDP
#   make bench-dtls               1 KiB reliable messages with and without
#                                 DTLS, same run (bench/dtls.lua, lua5.4)

DTLS_CTEST_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -O1 -g -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all -DENETCONNECTION_ASSERT \
	-Icsrc -Ictest
DTLS_CTEST_SERVER_SRC := csrc/dtls_session.c csrc/dtls_filter.c csrc/dtls_setup.c \
	csrc/tls_options.c csrc/crypto.c csrc/crypto_key.c csrc/x509.c csrc/pem_file.c \
	csrc/shared_value.c csrc/drbg.c csrc/mbedtls_compat.c csrc/address.c csrc/tls_alert.c

DTLS_CTESTS := build/ctest/test_dtls_session build/ctest/test_dtls_handshake_bound
CTESTS += $(DTLS_CTESTS)
build/ctest/test_dtls_session: csrc/dtls_session.c
build/ctest/test_dtls_handshake_bound: $(DTLS_CTEST_SERVER_SRC)
$(DTLS_CTESTS): build/ctest/%: ctest/%.c $(HDR) ctest/tap.h
	@mkdir -p $(@D)
	@$(if $(V),:,echo "  CC ctest $<")
	$(Q)$(CC) $(DTLS_CTEST_CFLAGS) -o $@ $< $(filter csrc/%.c,$^) $(LIBS)

DTLS_FUZZ_SRC := fuzz/dtls_server_fuzz.c $(SRC) $(TEST_SRC)

FUZZ_TARGETS += build/fuzz/dtls_server_fuzz

# -fvisibility=hidden and -rdynamic: the executable exports exactly the
# socket layer's five hooks (and luaopen_*), so libenet's calls reach them.
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

# The names of TLS alerts (csrc/tls_alert.c), under UBSan.
UBSAN_CTESTS += build/ctest/test_tls_alert
