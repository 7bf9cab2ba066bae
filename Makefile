# Two entry points for a fresh machine: `make demo` and `make test`.
# Both create .venv themselves and install what they need.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
EXAMPLE := examples/example-log.csv
DEMO_OUT := build/demo

# Debian packages: Pango for WeasyPrint, poppler-utils (pdftotext) and Chromium for the tests.
RUNTIME_DEBS := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
TEST_DEBS    := poppler-utils chromium

.PHONY: demo test lint install install-dev system-deps system-test-deps bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e '.[web]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e '.[web,distributed,dev]'
	touch $@ $(VENV)/.installed

install: system-deps $(VENV)/.installed
install-dev: system-deps system-test-deps $(VENV)/.installed-dev

# Installs missing Debian packages when run as root; otherwise says which ones to install.
system-deps:
	@bash .ci/debs.sh $(RUNTIME_DEBS)

system-test-deps:
	@bash .ci/debs.sh $(TEST_DEBS)

demo: install
	$(BIN)/nutrigap analyze $(EXAMPLE) --age 34 --sex female -o $(DEMO_OUT)/example-report.pdf \
		--html $(DEMO_OUT)/example-report.html --json $(DEMO_OUT)/example-report.json

lint: install-dev
	$(BIN)/ruff check .

# pytest exits 5 when it collected no test: that is a broken suite, not a pass.
test: install-dev lint
	@$(BIN)/python -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; exit $$rc

bench: install-dev
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) build .pytest_cache
