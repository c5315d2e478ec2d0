# NetWise: `make run` serves the site with worker and beat; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test setup migrate demo seed worker beat lint format bench messages clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)
	@mkdir -p var
	@bash scripts/ensure_fonts.sh

migrate: setup
	$(PY) manage.py migrate --noinput -v 0

demo seed: migrate
	$(PY) manage.py seed_demo

run: demo
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) scripts/run_local.py

worker: setup
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.dev} $(PY) -m celery -A config worker --loglevel=INFO --pool=threads --concurrency=2

beat: setup
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.dev} $(PY) -m celery -A config beat --loglevel=INFO --schedule var/celerybeat-schedule --pidfile=

# Two pytest-xdist workers (one per core); PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2
test: setup
	@bash scripts/ensure_chromium.sh
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(PY) manage.py check -v 0

format: setup
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: migrate
	$(PY) bench/run_all.py

messages: setup
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

clean:
	rm -rf var/netwise.sqlite3 var/celery var/static
