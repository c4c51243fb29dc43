# mk/static.mk - the module with mbedTLS, zstd and zlib linked in, so that a
# machine that runs it (a player's) needs only libenet installed.
#
#   make static   build/<lua>-static/enetconnection/core.so for each Lua
#                 found, from the objects of the normal build, linked
#                 against Debian's static archives libmbedtls.a,
#                 libmbedx509.a, libmbedcrypto.a, libzstd.a and libz.a
#                 (built position-independent, so they go into a shared
#                 object). libenet stays a shared library (libenet.so.7):
#                 Debian ships no libenet.a, and the socket layer needs
#                 libenet's own calls to enet_socket_create/send/receive to
#                 go through its PLT to ours (docs/design.md, "The socket
#                 layer"), which a libenet linked into core.so would not do.
#                 The archives' symbols are not exported (--exclude-libs).

STATIC_ARCHIVES := libmbedtls.a libmbedx509.a libmbedcrypto.a libzstd.a libz.a
# Full paths as the compiler finds them; a bare name when it does not.
STATIC_PATHS = $(foreach a,$(STATIC_ARCHIVES),$(shell $(CC) -print-file-name=$(a)))

define static_rules
build/$(1)-static/enetconnection/core.so: $(patsubst csrc/%.c,build/$(1)/obj/%.o,$(SRC))
	@mkdir -p $$(@D)
	@for a in $$(STATIC_PATHS); do case $$$$a in /*) ;; *) \
	  echo "make static: $$$$a not found (Debian: libmbedtls-dev, libzstd-dev, zlib1g-dev)"; exit 1;; esac; done
	@$(if $(V),:,echo "  LD $$@ (static mbedTLS, zstd, zlib)")
	$$(Q)$$(CC) -shared -o $$@ $$^ $$(EXTRA_LDFLAGS) -Wl,--exclude-libs,ALL -lenet $$(STATIC_PATHS)
endef
$(foreach l,$(LUAS),$(eval $(call static_rules,$(l))))

.PHONY: static
static: $(foreach l,$(LUAS),build/$(l)-static/enetconnection/core.so)
