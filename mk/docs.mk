# mk/docs.mk - the HTML reference: LDoc reads the `/***` comments of csrc/
# and the `---` comments of lua/ (config.ld) and writes build/docs/.
#
#   make docs     build/docs/index.html; fails on any LDoc warning

.PHONY: docs
docs:
	@scripts/setup docs
	@rm -rf build/docs
	@mkdir -p build
	@ldoc --fatalwarnings . > build/ldoc.log 2>&1 || { cat build/ldoc.log; exit 1; }
	@echo "docs: build/docs/index.html"
