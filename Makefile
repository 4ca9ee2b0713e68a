# Set-up and everyday tasks. Needs Python >= 3.11, Node/npm and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
ASSETS := src/stocktake/web/assets/vendor/.built-stamp

.PHONY: help install assets demo test test-fast test-postgres lock docs clean

help:
	@echo "make demo   - install everything, load the example review and serve it on http://127.0.0.1:8000"
	@echo "make test   - install everything and run the test suite (SQLite; set DATABASE_URL for PostgreSQL)"
	@echo "make test-fast - the inner loop: no browser or slow tests, last failures first, stop at the first"
	@echo "make lock   - regenerate requirements.lock from pyproject.toml"
	@echo "make docs   - regenerate docs/cli.md from the CLI's --help"

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -c 'import sys; sys.exit("stocktake needs Python >= 3.11") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

install: $(STAMP) $(ASSETS)

$(ASSETS): package.json package-lock.json scripts/copy-assets.mjs
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build
	touch $@

assets: $(ASSETS)

demo: install
	$(BIN)/stocktake demo

# Every test, spread over one worker process per CPU (pytest-xdist), each with its
# own test database; grouped modules (xdist_group) stay on one worker.
PYTEST_PARALLEL ?= -n auto --dist loadgroup

test: install
	$(BIN)/python -m pytest $(PYTEST_PARALLEL)

# The inner loop: leaves out the browser journeys and the tests marked slow.
test-fast: install
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not browser and not slow" --failed-first -x

test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/stocktake} \
		$(BIN)/python -m pytest $(PYTEST_PARALLEL)

lock:
	$(BIN)/pip-compile --quiet --strip-extras --extra dev --no-emit-index-url \
		--output-file requirements.lock pyproject.toml

docs: install
	$(BIN)/python scripts/cli_reference.py > docs/cli.md

clean:
	rm -rf $(VENV) node_modules src/stocktake/web/assets/vendor
