# mk/module.mk - the module: build/<lua>/enetconnection/core.so for each Lua
# found, and a C host that loads it into a Lua state, closes the state and
# keeps using libenet (the module must stay mapped: its allocator and socket
# hooks are libenet's, process-wide).
#
#   make sources   the C files of the module, one per line (spec/rockspec_spec.lua
#                  compares the rockspec's list with them)

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

.PHONY: sources
sources:
	@printf '%s\n' $(SRC)

# lua_host_ctest NAME, LIBS: build/ctest/NAME, a C program that requires
# the lua5.4 module into a Lua state; MODULE_DIR is that build's folder.
define lua_host_ctest
CTESTS += build/ctest/$(1)
build/ctest/$(1): ctest/$(1).c ctest/tap.h | build/lua5.4/enetconnection/core.so
	@mkdir -p $$(@D)
	@$$(if $$(V),:,echo "  CC ctest $$<")
	$$(Q)$$(CC) -std=c11 -D_GNU_SOURCE $$(WARN) -O1 -g -fsanitize=undefined \
		-fno-sanitize-recover=all -Ictest $$(shell pkg-config --cflags lua5.4) \
		-DMODULE_DIR='"$$(CURDIR)/build/lua5.4"' -o $$@ $$< \
		$$(shell pkg-config --libs lua5.4) $(2)
endef
ifneq ($(filter lua5.4,$(LUAS)),)
$(eval $(call lua_host_ctest,test_module_unload,-lenet))
endif
