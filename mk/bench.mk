# mk/bench.mk - benchmarks against the raw-C libenet baseline.
#
#   make bench            every scenario for lua5.4, luajit and the baseline
#                         (bench/run; QUICK=1 for a short smoke run)
#   make bench-callgrind  instructions per message, ours vs the baseline,
#                         under valgrind --tool=callgrind (bench/callgrind)

.PHONY: bench bench-callgrind
bench: setup
	@$(MAKE) --no-print-directory build build/bench/baseline
	@bench/run

bench-callgrind: setup
	@$(MAKE) --no-print-directory build build/bench/baseline
	@bench/callgrind

build/bench/baseline: bench/baseline.c
	@mkdir -p $(@D)
	@$(if $(V),:,echo "  CC $<")
	$(Q)$(CC) -std=c11 $(WARN) $(OPT) -o $@ $< -lenet
