# mk/bench.mk - benchmarks against the raw-C libenet baseline, and the C
# test of the block cache (libenet's allocator, a performance feature).
#
#   make bench            every scenario for lua5.4, luajit and the baseline
#                         (bench/run; QUICK=1 for a short smoke run)
#   make bench-callgrind  instructions per message, ours vs the baseline,
#                         under valgrind --tool=callgrind (bench/callgrind)

.PHONY: bench bench-callgrind
bench: setup
	@$(MAKE) --no-print-directory build build/bench/baseline build/bench/udp_pingpong
	@bench/run

bench-callgrind: setup
	@$(MAKE) --no-print-directory build build/bench/baseline
	@bench/callgrind

build/bench/baseline: bench/baseline.c
	@mkdir -p $(@D)
	@$(if $(V),:,echo "  CC $<")
	$(Q)$(CC) -std=c11 $(WARN) $(OPT) -o $@ $< -lenet

# The kernel's UDP ping-pong over IPv4, dual-stack and IPv6 sockets (no
# ENet): the kernel's own ratio, to read the ipv6 rows' ratios against.
build/bench/udp_pingpong: bench/udp_pingpong.c
	@mkdir -p $(@D)
	@$(if $(V),:,echo "  CC $<")
	$(Q)$(CC) -std=c11 $(WARN) $(OPT) -o $@ $<

# The block cache (libenet's allocator) in C; no AddressSanitizer, which
# compiles the cache out.
CTESTS += build/ctest/test_block_cache
build/ctest/test_block_cache: ctest/test_block_cache.c csrc/block_cache.c \
		csrc/block_cache.h ctest/tap.h
	@mkdir -p $(@D)
	@$(if $(V),:,echo "  CC ctest $<")
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O1 -g -fsanitize=undefined \
		-fno-sanitize-recover=all -Icsrc -Ictest -o $@ $< csrc/block_cache.c \
		-lenet -pthread
