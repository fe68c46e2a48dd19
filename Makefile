# ReportOnce — two commands on a fresh machine: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run test test-sqlite test-postgresql lint bench system-deps clean

$(STAMP): setup.cfg pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,dev]"
	touch $(STAMP)

install: $(STAMP)

## Install, create the SQLite database with the demo, serve http://127.0.0.1:5000
run: install
	$(VENV)/bin/reportonce demo
	$(VENV)/bin/reportonce run --host $(HOST) --port $(PORT)

## Install and pass every test, on SQLite and on a PostgreSQL server the tests start
test: install system-deps lint test-sqlite test-postgresql

system-deps:
	@bash scripts/system-deps.sh

lint: install
	$(PY) -m ruff check .

test-sqlite: install
	$(PY) -m pytest -q -p no:cacheprovider --db=sqlite

test-postgresql: install
	$(PY) -m pytest -q -p no:cacheprovider --db=postgresql

## Speed, as ratios against baselines measured in the same run (never part of `make test`)
bench: install system-deps
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .hypothesis *.egg-info
