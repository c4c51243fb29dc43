# mk/sanitizers.mk - the module under the memory checkers.
#
#   make asan      every spec under AddressSanitizer + UBSan (scripts/test-asan)
#   make valgrind  the VALGRIND_SPEC spec files under valgrind memcheck

.PHONY: asan valgrind

# ASan + UBSan: the lua5.4 module's objects are instrumented and linked
# without the runtimes, which live (statically, exported) in a small
# interpreter, build/asan/lua5.4; the specs run under it, and so do the Lua
# processes they start, while helper programs (mktemp, python) stay plain.
# It is a test build (all specs run on it) with the assertions of
# csrc/check.h live.
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ASAN_MODULE_FLAGS := -DENETCONNECTION_TESTS -DENETCONNECTION_ASSERT -Icsrc
asan: setup
	@$(MAKE) -j$(BUILD_JOBS) --no-print-directory build/asan/enetconnection/core.so build/asan/lua5.4 $(SPEC_SUPPORT)
	@scripts/test-asan

build/asan/obj/%.o: csrc/%.c $(HDR)
	@mkdir -p $(@D)
	@$(if $(V),:,echo "  CC asan $<")
	$(Q)$(CC) $(CFLAGS_COMMON) -O1 -g $(ASAN_FLAGS) $(ASAN_MODULE_FLAGS) $(shell pkg-config --cflags lua5.4) -c $< -o $@

build/asan/enetconnection/core.so: $(patsubst csrc/%.c,build/asan/obj/%.o,$(SRC) $(TEST_SRC))
	@mkdir -p $(@D)
	@$(if $(V),:,echo "  LD $@")
	$(Q)$(CC) -shared -o $@ $^ $(LIBS)

build/asan/lua5.4: scripts/asan-lua.c
	@mkdir -p $(@D)
	@$(if $(V),:,echo "  LD $@")
	$(Q)$(CC) -std=c11 -O1 -g $(ASAN_FLAGS) -static-libasan -static-libubsan -rdynamic \
	  $(shell pkg-config --cflags lua5.4) $< -o $@ $(shell pkg-config --libs lua5.4)

# Valgrind memcheck of spec files (scripts/test-valgrind, lua5.4; specs
# using the test hooks on the test build): no error, nothing lost. The
# lifetimes, and the IPv6 paths (address tokens, the layer's own sockets).
VALGRIND_SPEC ?= spec/lifetime_spec.lua spec/ipv6_spec.lua
valgrind: setup
	@$(MAKE) -j$(BUILD_JOBS) --no-print-directory build
	@scripts/test-valgrind $(VALGRIND_SPEC)
