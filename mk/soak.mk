# mk/soak.mk - the reliability soak (soak/): long runs of the public API
# over simulated bad links, plain and under ASan.
#
#   make soak      full size
#   make soak-ci   the bounded run .ci/run does

.PHONY: soak soak-ci
soak soak-ci: setup
	@$(MAKE) -j$(BUILD_JOBS) --no-print-directory build build/asan/enetconnection/core.so build/asan/lua5.4
	@scripts/soak $(if $(filter soak,$@),full,ci)
