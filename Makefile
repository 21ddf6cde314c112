# Stepwright: `make run` serves it, `make test` passes the suite; both set everything up first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.lock | sha1sum | cut -c1-12)
HAS_FRONTEND := $(wildcard frontend/package.json)

.PHONY: setup frontend run test test-python test-frontend lint format bench migrate clean

setup: $(STAMP)

$(STAMP): requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	rm -f $(VENV)/.installed-* && touch $@

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund

frontend:
ifneq ($(HAS_FRONTEND),)
	$(MAKE) frontend/node_modules/.package-lock.json
	cd frontend && npm run build
endif

migrate: setup
	$(PY) manage.py migrate --noinput

run: setup frontend migrate
	$(PY) manage.py ensure_admin
	$(PY) manage.py load_examples
	$(PY) manage.py serve

test: setup frontend test-frontend test-python

test-python: setup
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

test-frontend:
ifneq ($(HAS_FRONTEND),)
	cd frontend && npm test
endif

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: setup frontend
	$(PY) -m bench.run
	$(PY) -m bench.executor
	$(PY) -m bench.designer

clean:
	rm -rf var frontend/dist
