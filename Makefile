# Bastion — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
export BASTION_HOST ?= $(HOST)
export BASTION_PORT ?= $(PORT)
# The quick start keeps its database in the repository's var/ (elsewhere the default is the
# user's data folder, ~/.local/share/bastion); .env says so too, for `bastion` run by hand here.
export BASTION_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test venv dev browser lint migrate demo bench speedups clean help

help:
	@echo "make run    - set up, migrate the SQLite database, load demo data, serve http://$(HOST):$(PORT)"
	@echo "make test   - set up with dev extras and run the whole suite (PostgreSQL too if BASTION_TEST_PG is set)"
	@echo "make lint   - ruff, and the import contracts (lint-imports, see .importlinter)"
	@echo "make bench  - benchmarks under bench/"
	@echo "make speedups - compile the AIS hot path (optional; needs a C compiler)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall when the dependency list changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

venv: $(VENV)/.installed
dev: $(VENV)/.installed-dev

# A persistent secret key, written once: sessions survive restarts.
.env:
	@echo "BASTION_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(32))')" > .env
	@echo "wrote .env with a new BASTION_SECRET_KEY"

# An older .env has no data folder: add the repository's var/, where `make run` keeps the data.
migrate: venv .env
	@grep -q '^BASTION_DATA_DIR=' .env || echo "BASTION_DATA_DIR=$(BASTION_DATA_DIR)" >> .env
	$(BIN)/bastion db upgrade

demo: migrate
	$(BIN)/bastion demo load --if-empty

run: demo
	@echo "Bastion on http://$(BASTION_HOST):$(BASTION_PORT)/ — log in with a demo user above."
	$(BIN)/bastion serve

# Browser tests drive Debian's chromium (Playwright cannot download its own browser here).
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
	      || echo "warning: could not install chromium; browser tests will fail in CI or skip locally"; \
	  else echo "note: install Debian's chromium to run the browser tests (sudo apt-get install chromium)"; fi; \
	fi

# pytest exits 5 when it collects nothing; that is not a failure of the code under test.
# In parallel (pytest-xdist, one worker a core); each worker has its own PostgreSQL database.
PYTEST_WORKERS ?= auto
test: dev browser
	@$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 0; fi; exit $$rc

# lint-imports reads .importlinter; it imports the installed (editable) bastion package.
lint: dev
	$(BIN)/ruff check src tests bench tools
	$(BIN)/lint-imports

# Optional: the AIS pipeline's common line in C (Cython + gcc); Python is used without it.
speedups: dev
	$(BIN)/python scripts/build_speedups.py

# bench/load.py --driver wrk drives the server with Debian's wrk (a C client, light on the CPU).
bench: dev
	@if ! command -v wrk >/dev/null 2>&1 && [ "$$(id -u)" = "0" ]; then \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null \
	    || echo "warning: could not install wrk; bench/load.py --driver wrk will not run"; \
	fi
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit $$?; done

clean:
	rm -rf $(VENV) var .pytest_cache
