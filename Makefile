# ReportOnce — two commands on a fresh machine: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 5000
CRASH_ROUNDS ?= 100

LOAD_SCALE ?= 1.0
LOAD_SECONDS ?= 60
LOAD_CONCURRENCY ?= 8,32

.PHONY: install run test test-sqlite test-postgresql lint bench loadtest crashcheck system-deps clean

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

## Month-end on a province (29,000 villages) generated into a durable PostgreSQL server,
## served by gunicorn, loaded by an asyncio client; figures against /healthz (never in `make test`)
loadtest: install system-deps
	$(PY) -m loadtest --scale $(LOAD_SCALE) --seconds $(LOAD_SECONDS) --concurrency $(LOAD_CONCURRENCY)

## Kill -9 gunicorn workers in the middle of saves CRASH_ROUNDS times, on a fresh SQLite file
## and on a throw-away PostgreSQL server, then check the data (never part of `make test`)
crashcheck: install system-deps
	$(PY) -m crashcheck --backend sqlite --rounds $(CRASH_ROUNDS)
	$(PY) -m crashcheck --backend postgresql --rounds $(CRASH_ROUNDS)

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .hypothesis *.egg-info
