# mk/docs.mk - the HTML reference: LDoc reads the `/***` comments of csrc/
# and the `---` comments of lua/ (config.ld) and writes build/docs/.
#
#   make docs     build/docs/index.html; fails on any LDoc warning, on
#                 Markdown left unrendered and on broken links (scripts/docs)

.PHONY: docs
docs:
	@scripts/setup docs
	@scripts/docs build/docs
