# Two entry points for a fresh machine: `make demo` and `make test`.
# Both create .venv themselves and install what they need.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
LOCK   := requirements.lock
EXAMPLE := examples/example-log.csv
DEMO_OUT := build/demo

# Debian packages: Pango for WeasyPrint, poppler-utils (pdftotext) and Chromium for the tests.
RUNTIME_DEBS := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
TEST_DEBS    := poppler-utils chromium

.PHONY: demo test quick lint typecheck lock install install-dev system-deps system-test-deps \
	bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Every install takes the exact versions of requirements.lock (with their hashes), so two
# installs are the same; pyproject.toml says which ranges the code works with.
# `make install` takes only what the web page needs, at the lock's versions.
$(VENV)/.installed: $(LOCK) pyproject.toml | $(BIN)/python
	@mkdir -p build && sed -e '/--hash=/d' -e 's/ \\$$//' $(LOCK) > build/constraints.txt
	$(PIP) install --quiet -c build/constraints.txt -e '.[web]'
	touch $@

$(VENV)/.installed-dev: $(LOCK) pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -r $(LOCK)
	$(PIP) install --quiet --no-deps -e .
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

# mypy over the core, as pyproject's [tool.mypy] says. The repository root is the package
# nutrigap (pyproject maps nutrigap -> .): an editable install serves it through an import hook
# mypy cannot follow, and mypy names a package after its folder. So build/typecheck/nutrigap is
# a link back to the root, on mypy's path, and mypy finds nutrigap.analyzer by name there
# (its messages name files through the link: build/typecheck/nutrigap/analyzer/...).
typecheck: install-dev
	@mkdir -p build/typecheck && ln -sfn ../.. build/typecheck/nutrigap
	$(BIN)/mypy

# pytest exits 5 when it collected no test: that is a broken suite, not a pass.
test: install-dev lint typecheck
	@$(BIN)/python -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; exit $$rc

# The loop while working: the tests that take milliseconds (tests/conftest.py marks the rest
# slow from what they use).
quick: install-dev
	$(BIN)/python -m pytest -q -m "not slow"

# Brings requirements.lock up to date with pyproject.toml, keeping each version it holds that
# still fits; `make lock UPGRADE=1` takes the newest versions the ranges allow.
lock: | $(BIN)/python
	$(PIP) install --quiet 'uv>=0.13,<0.14'
	$(BIN)/uv pip compile pyproject.toml --extra web --extra distributed --extra dev \
		--universal --python-version 3.11 --generate-hashes --custom-compile-command "make lock" \
		$(if $(UPGRADE),--upgrade) --quiet -o $(LOCK)

bench: install-dev
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) build .pytest_cache
