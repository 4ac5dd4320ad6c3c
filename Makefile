# Pantau: the two commands a newcomer needs are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
PDF_STAMP := $(VENV)/.pdf-deps
PORT ?= 8000

.PHONY: run test install install-test lint messages bench bench-national clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(STAMP)

## Debian's Pango and fonts for PDF rendering (WeasyPrint), checked once per venv and when the script changes.
$(PDF_STAMP): bin/ensure-pdf-deps | $(BIN)/python
	bash bin/ensure-pdf-deps
	touch $@

install: $(STAMP) $(PDF_STAMP)

install-test: $(TEST_STAMP) $(PDF_STAMP)

## Check the port is free (before installing), install, migrate SQLite under var/, load the Batanghari demo, serve on
## 127.0.0.1:$(PORT) (`make run PORT=8001`); bin/serve prints the address once the server listens.
run:
	@$(PYTHON) bin/serve --check $(PORT)
	@$(MAKE) --no-print-directory install
	$(BIN)/pantau migrate --noinput -v 0
	$(BIN)/pantau collectstatic --noinput -v 0
	$(BIN)/pantau load_demo
	$(BIN)/pantau db_worker --no-startup-delay --interval 2 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=$${DEBUG:-false} $(BIN)/python bin/serve $(PORT) $(BIN)/pantau runserver 127.0.0.1:$(PORT)

## Install with test tools (and Debian's chromium when missing), then run the whole suite.
test: install-test
	bash bin/ensure-chromium
	$(BIN)/pytest -q

lint: install-test
	$(BIN)/ruff check pantau bench
	$(BIN)/pantau makemigrations --check --dry-run
	bash bin/typecheck

## Rebuild the translation catalogues (needs GNU gettext) and compile them.
messages: install
	cd pantau && ../$(BIN)/pantau makemessages -l id -l en --no-obsolete --ignore '*/tests/*' --ignore 'tests_browser/*'
	cd pantau && ../$(BIN)/pantau compilemessages -v 0

bench: install
	$(BIN)/python bench/bench_regions.py

## The national data set on PostgreSQL (DATABASE_URL's server, database pantau_national) and every national page,
## API list and recomputation beside bare SQL; BENCH_ARGS passes options, e.g. BENCH_ARGS="--scale 0.05 --repeat 2".
bench-national: install
	$(BIN)/python bench/national.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
