# mk/module.mk - the module as a whole: a C host that loads it into a Lua
# state, closes the state and keeps using libenet (the module must stay
# mapped: its allocator and socket hooks are libenet's, process-wide).
#
#   make sources   the C files of the module, one per line (spec/rockspec_spec.lua
#                  compares the rockspec's list with them)

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
