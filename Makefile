# enetconnection - build, test, demo.
#
#   make          build build/<lua>/enetconnection/core.so for every Lua found
#                 (installs nothing: scripts/setup, or make test/demo, do)
#   make test     install missing packages, build, run all specs + luacheck
#   make demo     install missing packages, build, run the demo (examples/demo.lua)
#   make asan     specs under AddressSanitizer + UBSan (lua5.4)
#   make valgrind spec files under valgrind memcheck (VALGRIND_SPEC)
#   make soak     reliability soak at full size (soak-ci: the bounded CI run)
#   make fuzz     every libFuzzer target for FUZZ_SECONDS (default 60) each
#   make static   the module with mbedTLS, zstd and zlib linked in:
#                 build/<lua>-static/enetconnection/core.so (libenet stays
#                 shared: Debian ships no libenet.a, and the socket layer
#                 interposes libenet's socket calls through its PLT;
#                 mk/static.mk)
#   make clean
#
# The public targets run scripts/setup first, then re-enter make so that the
# Lua list below is computed after the packages exist. The rules live in
# mk/, one file per component: mk/module.mk builds the module, the others
# add their C tests, spec helpers and fuzz targets to the lists below,
# which `build` and `fuzz-build` take once every mk file is read.
# luarocks does not use make (rockspec/: the builtin build).

# mk/*.mk, included below, define targets of their own: `make` alone builds.
.DEFAULT_GOAL := all

LUAS_ALL := lua5.4 lua5.3 lua5.2 lua5.1 luajit
LUAS := $(foreach l,$(LUAS_ALL),$(shell pkg-config --exists $(l) 2>/dev/null && echo $(l)))

CC ?= cc
# Quiet by default; `make V=1` shows the commands.
Q := $(if $(V),,@)
WARN := -Wall -Wextra -Werror
# Symbol visibility is set by the source (csrc/visibility.h), not here.
CFLAGS_COMMON := -std=c11 -D_GNU_SOURCE -fPIC $(WARN)
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
# C unit tests of one engine file each, under UBSan (rule below; as
# ctest/test_utf8.c tests csrc/utf8.c): parts add to this, not to CTESTS.
UBSAN_CTESTS :=
SPEC_SUPPORT :=
FUZZ_TARGETS :=
# The compiling sub-makes of test, demo, asan, valgrind, soak and fuzz use
# every core (a fresh CI clone builds ten modules before its specs run).
BUILD_JOBS ?= $(shell nproc 2>/dev/null || echo 1)
-include $(sort $(wildcard mk/*.mk))

CTESTS += $(UBSAN_CTESTS)
$(UBSAN_CTESTS): build/ctest/test_%: ctest/test_%.c csrc/%.c csrc/%.h ctest/tap.h
	@mkdir -p $(@D)
	@$(if $(V),:,echo "  CC ctest $<")
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O2 -g -fsanitize=undefined \
		-fno-sanitize-recover=all -Icsrc -Ictest -o $@ $< csrc/$*.c

.PHONY: all build test demo clean setup
all: build

setup:
	@scripts/setup

build: $(foreach l,$(LUAS),build/$(l)/enetconnection/core.so) $(CTESTS) $(SPEC_SUPPORT)

test: setup
	@$(MAKE) -j$(BUILD_JOBS) --no-print-directory build
	@scripts/test $(LUAS)

demo: setup
	@$(MAKE) -j$(BUILD_JOBS) --no-print-directory build
	@LUA_PATH='lua/?.lua;lua/?/init.lua;;' LUA_CPATH='build/lua5.4/?.so;;' lua5.4 examples/demo.lua

FUZZ_SECONDS ?= 60
.PHONY: fuzz fuzz-build
fuzz: setup
	@$(MAKE) -j$(BUILD_JOBS) --no-print-directory fuzz-build
	@scripts/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-build: $(FUZZ_TARGETS)

# Also what `luarocks make` leaves in the source tree.
clean:
	rm -rf build enetconnection csrc/*.o
