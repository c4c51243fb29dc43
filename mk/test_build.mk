# mk/test_build.mk - the test build of the module (Lua's ltests model): the
# product plus its test hooks (csrc/test/: conn:_capture, conn:_captured),
# compiled with -DENETCONNECTION_TESTS. scripts/test runs the specs that
# use the hooks against it and the others against the product (so does
# scripts/test-valgrind); the ASan build and the DTLS fuzz target are test
# builds too.
#
#   build/<lua>-test/enetconnection/core.so   one per Lua, built by `make build`
#   make check-test-build   fails when a file outside TEST_BUILD_RECOMPILED
#                           (.c, or a header it includes) tests the define
#
# Only the files that test ENETCONNECTION_TESTS are compiled again; the
# rest of the test build is the product's objects.

TEST_BUILD_RECOMPILED := $(sort $(wildcard csrc/socket*.c) csrc/module_parts.c)
TEST_BUILD_CFLAGS := -DENETCONNECTION_TESTS -Icsrc

define test_build_rules
build/$(1)/obj-test/%.o: csrc/%.c $$(HDR)
	@mkdir -p $$(@D)
	@$$(if $$(V),:,echo "  CC $(1)-test $$<")
	$$(Q)$$(CC) $$(CFLAGS_COMMON) $$(OPT) $$(EXTRA_CFLAGS) $$(TEST_BUILD_CFLAGS) $$(shell pkg-config --cflags $(1)) -c $$< -o $$@

build/$(1)-test/enetconnection/core.so: \
		$(patsubst csrc/%.c,build/$(1)/obj/%.o,$(filter-out $(TEST_BUILD_RECOMPILED),$(SRC))) \
		$(patsubst csrc/%.c,build/$(1)/obj-test/%.o,$(TEST_BUILD_RECOMPILED) $(TEST_SRC))
	@mkdir -p $$(@D)
	@$$(if $$(V),:,echo "  LD $$@")
	$$(Q)$$(CC) -shared -o $$@ $$^ $$(EXTRA_LDFLAGS) $$(LIBS)
endef
$(foreach l,$(LUAS),$(eval $(call test_build_rules,$(l))))

SPEC_SUPPORT += $(foreach l,$(LUAS),build/$(l)-test/enetconnection/core.so)

# Every other file of csrc/ is shared with the product: neither it nor a
# header it includes (missing Lua headers are fine here: -MG) may test the
# define.
.PHONY: check-test-build
check-test-build:
	@fail=0; testing=$$(grep -l ENETCONNECTION_TESTS csrc/*.h csrc/test/*.h); \
	for f in $(filter-out $(TEST_BUILD_RECOMPILED),$(SRC)); do \
	  deps=$$($(CC) $(CFLAGS_COMMON) -Icsrc -MM -MG $$f) || { fail=1; continue; }; \
	  for h in $$f $$testing; do \
	    case " $$(echo $$deps | tr -d '\\') " in *" $$h "*) \
	      grep -q ENETCONNECTION_TESTS $$h && { echo "$$f: reaches $$h, which tests ENETCONNECTION_TESTS (add $$f to TEST_BUILD_RECOMPILED)"; fail=1; };; \
	    esac; \
	  done; \
	done; [ $$fail -eq 0 ]
