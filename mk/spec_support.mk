# mk/spec_support.mk - C helpers the specs load into the Lua processes they
# start, built by `make build` so that `make test` has them.
#
#   build/support/libfail_send.so   LD_PRELOAD shim: sendmsg() to one
#                                   loopback port fails (an unroutable peer
#                                   without leaving loopback)
#   build/support/libhigh_fd.so     LD_PRELOAD shim: libenet's sockets get
#                                   descriptor numbers raised by
#                                   ENETCONNECTION_FD_OFFSET

SPEC_SUPPORT += build/support/libfail_send.so
build/support/libfail_send.so: spec/support/fail_send.c
	@mkdir -p $(@D)
	@$(if $(V),:,echo "  LD $@")
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O1 -g -fPIC -fvisibility=hidden -shared \
		-o $@ $< -ldl

SPEC_SUPPORT += build/support/libhigh_fd.so
build/support/libhigh_fd.so: spec/support/high_fd.c
	@mkdir -p $(@D)
	@$(if $(V),:,echo "  LD $@")
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O1 -g -fPIC -fvisibility=hidden -shared \
		-o $@ $< -ldl
