# The book's commands. `make serve` and `make test` are all a newcomer
# needs: both create .venv with the pinned requirements when it is
# missing or older than requirements.txt.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test build pdf bench screenshots clean help

help:
	@echo "make serve        set up .venv, build figures, serve both"
	@echo "                  languages at http://127.0.0.1:8000"
	@echo "make test         run the whole test suite"
	@echo "make build        strict build of both languages into site/"
	@echo "make pdf          build, then write site/pdf/*-zh.pdf and *-en.pdf"
	@echo "make bench        measure build, rebuild and PDF times; page weight"
	@echo "make screenshots  PNG of every built page, light and dark"
	@echo "make clean        remove site/, .cache/ (figures) and test caches"

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

serve: $(STAMP)
	$(PY) -m mkdocs serve --dev-addr 127.0.0.1:8000

test: $(STAMP)
	$(PY) -m pytest

build: $(STAMP)
	$(PY) -m scripts.build_site

pdf: build
	$(PY) -m scripts.export_pdf

bench: $(STAMP)
	$(PY) -m scripts.bench

screenshots: build
	$(PY) -m scripts.screenshot --full

clean:
	rm -rf site .site.* .cache .pytest_cache
