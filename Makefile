# enetconnection - build, test, demo.
#
#   make          build build/<lua>/enetconnection/core.so for every Lua found
#                 (installs nothing: scripts/setup, or make test/demo, do)
#   make test     install missing packages, build, run all specs + luacheck
#   make demo     install missing packages, build, run the demo (examples/demo.lua)
#   make asan     specs under AddressSanitizer + UBSan (lua5.4)
#   make valgrind one spec file under valgrind memcheck (VALGRIND_SPEC)
#   make soak     reliability soak at full size (soak-ci: the bounded CI run)
#   make fuzz     every libFuzzer target for FUZZ_SECONDS (default 60) each
#   make clean
#
# The public targets run scripts/setup first, then re-enter make so that the
# Lua list below is computed after the packages exist.

# mk/*.mk, included below, define targets of their own: `make` alone builds.
.DEFAULT_GOAL := all

LUAS_ALL := lua5.4 lua5.3 lua5.2 lua5.1 luajit
LUAS := $(foreach l,$(LUAS_ALL),$(shell pkg-config --exists $(l) 2>/dev/null && echo $(l)))

CC ?= cc
# Quiet by default; `make V=1` shows the commands.
Q := $(if $(V),,@)
WARN := -Wall -Wextra -Werror
CFLAGS_COMMON := -std=c11 -D_GNU_SOURCE -fPIC -fvisibility=hidden $(WARN)
OPT ?= -O2 -g
LIBS := -lenet -lmbedtls -lmbedx509 -lmbedcrypto -lz -lzstd
SRC := $(sort $(wildcard csrc/*.c))
# The test build's hooks (mk/test_build.mk): in no product build.
TEST_SRC := $(sort $(wildcard csrc/test/*.c))
HDR := $(wildcard csrc/*.h csrc/test/*.h)

# Parts add to these in mk/*.mk: C unit tests (TAP output, run by
# scripts/test), libraries the specs load (built with the module), and
# libFuzzer targets (run by scripts/fuzz).
CTESTS :=
SPEC_SUPPORT :=
FUZZ_TARGETS :=
-include $(sort $(wildcard mk/*.mk))

.PHONY: all build test demo asan valgrind fuzz clean setup
all: build

setup:
	@scripts/setup

build: $(foreach l,$(LUAS),build/$(l)/enetconnection/core.so) $(CTESTS) $(SPEC_SUPPORT)

# One object directory per Lua: the headers differ.
define lua_rules
build/$(1)/obj/%.o: csrc/%.c $(HDR)
	@mkdir -p $$(@D)
	@$(if $(V),:,echo "  CC $(1) $$<")
	$$(Q)$$(CC) $$(CFLAGS_COMMON) $$(OPT) $$(EXTRA_CFLAGS) $$(shell pkg-config --cflags $(1)) -c $$< -o $$@

build/$(1)/enetconnection/core.so: $(patsubst csrc/%.c,build/$(1)/obj/%.o,$(SRC))
	@mkdir -p $$(@D)
	@$(if $(V),:,echo "  LD $$@")
	$$(Q)$$(CC) -shared -o $$@ $$^ $$(EXTRA_LDFLAGS) $$(LIBS)
endef
$(foreach l,$(LUAS),$(eval $(call lua_rules,$(l))))

test: setup
	@$(MAKE) --no-print-directory build
	@scripts/test $(LUAS)

demo: setup
	@$(MAKE) --no-print-directory build
	@LUA_PATH='lua/?.lua;lua/?/init.lua;;' LUA_CPATH='build/lua5.4/?.so;;' lua5.4 examples/demo.lua

# ASan + UBSan: the lua5.4 module's objects are instrumented and linked
# without the runtimes, which live (statically, exported) in a small
# interpreter, build/asan/lua5.4; the specs run under it, and so do the Lua
# processes they start, while helper programs (mktemp, python) stay plain.
# It is a test build (all specs run on it) with the assertions of
# csrc/check.h live.
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ASAN_MODULE_FLAGS := -DENETCONNECTION_TESTS -DENETCONNECTION_ASSERT -Icsrc
asan: setup
	@$(MAKE) --no-print-directory build/asan/enetconnection/core.so build/asan/lua5.4 $(SPEC_SUPPORT)
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

# Soak (soak/): make soak at full size, soak-ci bounded (what .ci/run does).
.PHONY: soak soak-ci
soak soak-ci: setup
	@$(MAKE) --no-print-directory build build/asan/enetconnection/core.so build/asan/lua5.4
	@scripts/soak $(if $(filter soak,$@),full,ci)

# Valgrind memcheck of one spec file (lua5.4): no error, nothing lost.
VALGRIND_SPEC ?= spec/lifetime_spec.lua
valgrind: setup
	@$(MAKE) --no-print-directory build
	@LUA_PATH='lua/?.lua;lua/?/init.lua;spec/?.lua;;' LUA_CPATH='build/lua5.4/?.so;;' \
	  valgrind -q --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
	  --error-exitcode=9 lua5.4 /usr/bin/busted -o TAP $(VALGRIND_SPEC) > build/valgrind.tap 2>&1; \
	  rc=$$?; ok=$$(grep -c '^ok ' build/valgrind.tap); bad=$$(grep -c '^not ok ' build/valgrind.tap); \
	  [ $$rc -eq 0 ] || { cat build/valgrind.tap | grep -v '^ok ' | head -60; bad=$$((bad + 1)); }; \
	  echo "$$ok passed, $$bad failed"; [ $$bad -eq 0 ]

FUZZ_SECONDS ?= 60
fuzz: setup
	@$(MAKE) --no-print-directory fuzz-build
	@scripts/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

.PHONY: fuzz-build
fuzz-build: $(FUZZ_TARGETS)

# luarocks (rockspec/enetconnection-scm-1.rockspec): one Lua, chosen by
# luarocks through LUA_INCDIR; installed into its tree.
.PHONY: rock rock-install
rock: $(SRC) $(HDR)
	@mkdir -p build/rock
	$(CC) $(CFLAGS_COMMON) $(OPT) $(ROCK_CFLAGS) -I$(LUA_INCDIR) -shared -o build/rock/core.so $(SRC) $(LIBS)

rock-install:
	mkdir -p $(INST_LIBDIR)/enetconnection $(INST_LUADIR)/enetconnection
	cp build/rock/core.so $(INST_LIBDIR)/enetconnection/core.so
	cp lua/enetconnection/*.lua $(INST_LUADIR)/enetconnection/

clean:
	rm -rf build
