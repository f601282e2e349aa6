# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test chaos bench scale-test install install-dev migrate seed worker beat lint format check clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime-installed $@

install: $(VENV)/.runtime-installed
install-dev: $(VENV)/.dev-installed

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

## Serve the demo store on http://127.0.0.1:8000 (SQLite, no services needed).
## Another address: `make run PORT=8101`; links (checkout return, sandbox, e-mails)
## follow it unless SITE_URL is set.
run: seed serve

## Only the development server (no install, migrate or seed): what `run` ends with.
serve:
	$(PY) manage.py runserver $(HOST):$(PORT)

## The whole test suite (PostgreSQL/Redis too when DATABASE_URL/REDIS_URL are set),
## spread over TEST_WORKERS processes by pytest-xdist (TEST_WORKERS=0: one process).
TEST_WORKERS ?= 2
test: install-dev
	$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

## The fault suite: private Redis instances, a real Celery worker, an SMTP sink, hung
## upstreams; proves nothing is lost and nothing 500s when infrastructure fails.
chaos: install-dev
	$(BIN)/pytest -n $(TEST_WORKERS) -m chaos $(PYTEST_ARGS)

## Requests/s of the main pages under gunicorn on PostgreSQL + Redis, driven by wrk,
## against a trivial "floor" view (scripts/bench/run.py; needs PostgreSQL at
## BENCH_DATABASE_URL, redis-server and wrk). BENCH_PRODUCTS=10000 by default.
bench: install
	$(PY) scripts/bench/run.py

## The multi-process rehearsal: nginx (TLS) → two gunicorn servers, two Celery
## workers and Beat, its own PostgreSQL database, Redis (AOF), moto S3, an SMTP sink
## and a fake Telegram API, all on free ports; concurrent buyers walk full journeys
## while an app server and a worker are killed (scripts/scale_test/run.py).
scale-test: install-dev
	$(PY) scripts/scale_test/run.py

## A Celery worker and the Beat scheduler (need REDIS_URL).
worker: install
	$(BIN)/celery -A site_config worker --loglevel=info -Q default,notifications,provider

beat: install
	$(BIN)/celery -A site_config beat --loglevel=info

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install-dev
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

clean:
	rm -rf var/test_db*.sqlite3 var/test-media var/test-private var/test-backups
