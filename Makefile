# Two commands matter: `make run` (a running site with demo data) and `make test` (everything the tests need, then
# every test). `make install` is the idempotent set-up both of them call.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
export APP_ENV ?= development

.DEFAULT_GOAL := help
.PHONY: help install install-dev browsers assets run test test-fast test-e2e screenshots lint typecheck format migration db-upgrade clean bench

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

static/govuk/govuk-frontend.min.css: node_modules/.package-lock.json scripts/build_assets.py
	$(PY) scripts/build_assets.py

assets: $(VENV)/.installed static/govuk/govuk-frontend.min.css ## Install GOV.UK Frontend from npm into static/

install: $(VENV)/.installed assets ## Create .venv, install the package and the front-end assets (idempotent)

install-dev: install $(VENV)/.installed-dev ## install, plus the test and lint tools

browsers: ## Install Debian's Chromium for the browser tests when it is missing
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-liberation; }

db-upgrade: install ## Apply migrations to the database (SQLite in instance/ unless DATABASE_URL is set)
	$(FLASK) db upgrade

run: install ## Migrate, load reference and demo data once, and serve http://127.0.0.1:5000
	$(FLASK) db upgrade
	$(FLASK) init-data
	$(FLASK) demo-data --if-empty
	$(FLASK) run --host 127.0.0.1 --port 5000

lint: install-dev ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install-dev ## mypy over portal/ and staff/
	$(VENV)/bin/mypy

format: install-dev ## Format the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: install-dev browsers lint ## Install what the tests need and run every test (unit, integration, browser)
	$(PY) -m pytest -n 2 --dist loadfile -q

test-fast: install-dev ## Unit and integration tests only
	$(PY) -m pytest -n 2 --dist loadfile -q -m "not e2e"

test-e2e: install-dev browsers ## Browser tests only
	$(PY) -m pytest -q -m e2e

screenshots: install-dev browsers ## Refresh the committed screenshots in docs/screenshots (tests write elsewhere)
	SCREENSHOT_DIR=$(CURDIR)/docs/screenshots $(PY) -m pytest -q -m e2e

bench: install ## Measure the portal against the stack's ceiling on 1k, 100k and 1M records (long; BENCH_SIZES=1k,100k)
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "Installing Debian's wrk for the benchmark"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }
	$(PY) -m benchmarks.run

migration: install-dev ## Regenerate the initial migration from the models (before the first release only)
	./scripts/regen_migration.sh

clean: ## Remove the virtual environment, node_modules and built assets (keeps instance/)
	rm -rf $(VENV) node_modules static/govuk
