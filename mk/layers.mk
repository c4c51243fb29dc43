# mk/layers.mk - engine below, bindings above (docs/design.md, "Layers"):
# the engine's C files compile without Lua's include path.
#
#   make check-layers   preprocesses each file of LAYERS_ENGINE with no Lua
#                       include path, as the product and as the test build,
#                       and fails when one cannot find or reaches a Lua
#                       header (run by scripts/test)
#
# An engine file (socket layer, codecs, block cache, DTLS sessions) belongs
# here; a Lua binding is named *_lua.c, or is one of the classes' files.

LAYERS_ENGINE := \
	csrc/socket_hooks.c csrc/socket_create.c csrc/socket_registry.c csrc/socket_pipeline.c \
	csrc/socket_faults.c \
	csrc/socket_udp.c csrc/receive_ring.c csrc/linksim.c csrc/test/wire_capture.c \
	csrc/dtls_session.c csrc/dtls_filter.c csrc/dtls_setup.c csrc/drbg.c \
	csrc/tls_options.c csrc/tls_alert.c csrc/crypto_key.c csrc/x509.c csrc/crypto.c csrc/pem_file.c \
	csrc/mbedtls_compat.c csrc/shared_value.c csrc/utf8.c \
	csrc/compress.c csrc/fastlz.c csrc/block_cache.c csrc/address.c csrc/address_tokens.c \
	csrc/packet.c

LAYERS_LUA_HEADERS := lua.h lauxlib.h lualib.h luaconf.h luajit.h

.PHONY: check-layers
check-layers:
	@fail=0; for f in $(LAYERS_ENGINE); do for build in "" -DENETCONNECTION_TESTS; do \
	  deps=$$($(CC) $(CFLAGS_COMMON) $$build -Icsrc -M $$f 2>&1) || \
	    { echo "$$f$${build:+ ($$build)}: not an engine file without Lua:"; echo "$$deps" | head -8; fail=1; continue; }; \
	  for h in $(LAYERS_LUA_HEADERS); do \
	    case " $$(echo $$deps | tr -d '\\') " in *"/$$h "*|*" $$h "*) \
	      echo "$$f$${build:+ ($$build)}: reaches $$h"; fail=1;; \
	    esac; \
	  done; \
	done; done; [ $$fail -eq 0 ]
