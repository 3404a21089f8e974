# Newsdesk — `make help` lists the targets.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
DEV := DEBUG=1
# The port `make run` serves on: `make run PORT=8001`.
PORT ?= 8000
# The benchmarks seed and time their own database; the name must end in _bench.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/newsdesk_bench

.DEFAULT_GOAL := help
.PHONY: help install run test lint format worker beat bench loadtest quality

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the pinned requirements

run: install ## Serve the app with demo data on http://127.0.0.1:8000 (or PORT=8001)
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py load_starter_kb
	$(DEV) $(PY) manage.py load_demo_data
	$(DEV) $(PY) manage.py ensure_admin
	$(DEV) $(PY) manage.py ensure_demo_accounts
	$(DEV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: lint ## Lint, then run the test suite (PostgreSQL when DATABASE_URL says so, else SQLite)
	$(PY) -m pytest

lint: install ## ruff check, ruff format --check, and bandit (no high-severity finding)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit --recursive articles entities intake newsdesk --severity-level high --quiet

format: install ## Fix what ruff can fix and format the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: install ## Start a Celery worker for tagging and discovery (needs CELERY_BROKER_URL)
	$(VENV)/bin/celery -A newsdesk worker --queues celery,discovery --loglevel INFO

beat: install ## Start Celery beat: the tagging sweep and the feed polls
	$(VENV)/bin/celery -A newsdesk beat --loglevel INFO

bench: install ## Run the benchmarks on BENCH_DATABASE_URL (BENCH_ARGS=--reseed to seed again)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m bench $(BENCH_ARGS)

quality: install ## Tagging precision, recall and F1 on our annotated stories (QUALITY_ARGS=--errors)
	$(PY) -m bench.quality $(QUALITY_ARGS)

loadtest: install ## gunicorn (2 workers) on the benchmark data, 50 locust readers for 60 s
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m bench.loadtest
