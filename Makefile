# One task runner for people and CI. `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EXTRAS ?= dev,postgres,mysql,demo,pdf,web

.PHONY: help install demo test test-fast lint fix typecheck docs bench services clean

help:
	@echo "make demo      build the demo company and run Skydd on it (SQLite, no servers needed)"
	@echo "make test      the whole test suite (starts PostgreSQL and MariaDB if they are down)"
	@echo "make test-fast the suite without the integration tests"
	@echo "make lint      ruff and mypy;  make fix  formats and fixes what ruff can"
	@echo "make docs      regenerate docs/cli.md and docs/datamap.md"
	@echo "make bench     run the benchmarks under bench/"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS)]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/skydd demo $(ARGS)

services:
	@bash scripts/system-packages.sh
	@bash scripts/services.sh

test: $(STAMP) services
	$(BIN)/python -m pytest $(ARGS)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not integration" $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check --no-cache src tests bench
	$(BIN)/ruff format --no-cache --check src tests bench
	$(BIN)/mypy

fix: $(STAMP)
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

docs: $(STAMP)
	$(BIN)/python -m skydd.docsgen

bench: $(STAMP)
	$(BIN)/python bench/run.py $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
