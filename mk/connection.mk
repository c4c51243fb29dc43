# mk/connection.mk - the connection and peer core: C unit tests (TAP) of
# the received-packet queue and hold list (csrc/packet.c) and of address
# parsing and formatting (csrc/address.c), built with ASan + UBSan.

CONNECTION_CTESTS := build/ctest/test_packet_queue build/ctest/test_address
CTESTS += $(CONNECTION_CTESTS)

build/ctest/test_packet_queue: csrc/packet.c csrc/packet.h
build/ctest/test_address: csrc/address.c csrc/address.h

$(CONNECTION_CTESTS): build/ctest/%: ctest/%.c ctest/tap.h
	@mkdir -p $(@D)
	@$(if $(V),:,echo "  CC ctest $<")
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O1 -g -fno-omit-frame-pointer \
		-fsanitize=address,undefined -fno-sanitize-recover=all -Icsrc -Ictest \
		-o $@ $< $(filter %.c,$(filter-out $<,$^)) -lenet
