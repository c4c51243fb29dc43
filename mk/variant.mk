# mk/variant.mk - Variant encoding (issue 7): the libFuzzer target of the
# decoder, with its decode -> encode -> decode consistency check.
#
#   build/fuzz/variant_fuzz    clang, ASan + UBSan, linked with Lua 5.4

VARIANT_FUZZ_SRC := fuzz/variant_fuzz.c csrc/variant_decode.c csrc/variant_encode.c csrc/utf8.c \
	csrc/variant_encode_tagged.c csrc/variant_types.c csrc/variant_budget.c csrc/errors.c
VARIANT_FUZZ_HDR := csrc/variant.h csrc/variant_encoder.h csrc/variant_types.h csrc/errors.h \
	csrc/variant_budget.h csrc/utf8.h csrc/compat.h

FUZZ_TARGETS += build/fuzz/variant_fuzz

build/fuzz/variant_fuzz: $(VARIANT_FUZZ_SRC) $(VARIANT_FUZZ_HDR)
	@mkdir -p $(@D)
	$(Q)clang -std=c11 -D_GNU_SOURCE $(WARN) -g -O1 -fno-omit-frame-pointer \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Icsrc \
		$(shell pkg-config --cflags lua5.4) -o $@ $(VARIANT_FUZZ_SRC) \
		$(shell pkg-config --libs lua5.4)

# UTF-8 validation (csrc/utf8.c) against reference checkers, under UBSan.
UBSAN_CTESTS += build/ctest/test_utf8
