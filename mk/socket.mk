# mk/socket.mk - the socket layer's C unit tests (TAP), built with ASan +
# UBSan and the assertions of csrc/check.h live.
#
#   build/ctest/test_buffers        buffers.h: length, gather, scatter
#   build/ctest/test_linksim        the simulated link (linksim.c)
#   build/ctest/test_address_tokens the bounded IPv6 token table
#                                   (address_tokens.c) under 1,000,000 sources
#   build/ctest/test_receive_ring   the batched receive (receive_ring.c),
#                                   on real sockets on 127.0.0.1
#   build/ctest/test_socket_create  another ENet user in the module's process
#                                   (sharing its libenet) gets ENet's own
#                                   sockets, not our hosts' options

SOCKET_CTEST_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -O1 -g -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all -DENETCONNECTION_ASSERT \
	-Icsrc -Ictest

SOCKET_CTESTS :=
# socket_ctest NAME, SOURCES: build/ctest/NAME from its source in ctest/ and SOURCES.
define socket_ctest
SOCKET_CTESTS += build/ctest/$(1)
build/ctest/$(1): ctest/$(1).c $(2) $$(HDR) ctest/tap.h
	@mkdir -p $$(@D)
	@$$(if $$(V),:,echo "  CC ctest $$<")
	$$(Q)$$(CC) $$(SOCKET_CTEST_CFLAGS) -o $$@ $$< $(2) -lenet
endef
$(eval $(call socket_ctest,test_buffers,))
$(eval $(call socket_ctest,test_linksim,csrc/linksim.c))
$(eval $(call socket_ctest,test_receive_ring,csrc/receive_ring.c))
$(eval $(call socket_ctest,test_address_tokens,csrc/address_tokens.c))
CTESTS += $(SOCKET_CTESTS)

# Not linked with libenet (that would load it first and bypass the hooks):
# it uses the copy that the lua5.4 module loads.
ifneq ($(filter lua5.4,$(LUAS)),)
$(eval $(call lua_host_ctest,test_socket_create,-ldl))
endif
