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

ifneq ($(filter lua5.4,$(LUAS)),)
CTESTS += build/ctest/test_module_unload
build/ctest/test_module_unload: ctest/test_module_unload.c ctest/tap.h \
		| build/lua5.4/enetconnection/core.so
	@mkdir -p $(@D)
	@$(if $(V),:,echo "  CC ctest $<")
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O1 -g -fsanitize=undefined \
		-fno-sanitize-recover=all -Ictest $(shell pkg-config --cflags lua5.4) \
		-DMODULE_CPATH='"$(CURDIR)/build/lua5.4/?.so"' -o $@ $< \
		$(shell pkg-config --libs lua5.4) -lenet
endif
