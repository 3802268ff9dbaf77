# Mon Compte Formation (reconstitution) — the README's two commands: `make demo` and `make test`.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
# Python >= 3.12: the first of these that exists (pyenv honours .python-version).
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)
DEMO_ENV := PORTAL_DEMO=1
APT_PACKAGES := chromium

.PHONY: install install-prod demo serve test lint worker system-deps check-deploy bench bench-scale \
	load bench-rules mutation clean

# Development and tests (demo, test): the runtime plus the test tools, requirements-dev.lock.
install: $(VENV)/.installed

# Production: the runtime only, requirements.lock (no pytest, Playwright or ruff).
install-prod: $(VENV)/.installed-prod

$(PY):
	@test -n "$(PYTHON)" || { echo "Python >= 3.12 est requis (pyenv install 3.12)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-prod: requirements.lock | $(PY)
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

$(VENV)/.installed: requirements.lock requirements-dev.lock pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.lock
	@touch $@ $(VENV)/.installed-prod

demo: install
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py seed_demo
	@echo "Portail de démonstration : http://127.0.0.1:$(PORT)/"
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production under gunicorn (gunicorn.conf.py, GUNICORN_* variables). It does not migrate: it
# refuses to start, and says what to run, without DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS or
# DATABASE_URL, with migrations not applied or static files not collected.
serve: install-prod
	$(PY) -m cpf_portal.serve

# The email queue's worker (needed in production, where emails go through django-tasks-db).
worker: install-prod
	$(PY) manage.py db_worker

# Debian packages the tests need: Chromium for the browser tests. (The audio captcha needs none:
# its clips are in accounts/captcha_audio/.)
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installation de :$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

test: install system-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DEMO_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

lint:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Checks the production settings: the environment's, with a throwaway key for each secret
# that is not set (so that it runs on a laptop as well as on the server).
check-deploy: install-prod
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(head -c 48 /dev/urandom | base64)} \
	PORTAL_NIR_HASH_KEY=$${PORTAL_NIR_HASH_KEY:-$$(head -c 48 /dev/urandom | base64)} \
	DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-cpf.example.fr} \
		$(PY) manage.py check --deploy --fail-level WARNING

# Benchmarks (docs/PERFORMANCE.md): PostgreSQL (BENCH_PG, postgres://postgres@127.0.0.1:5432) and
# Redis (BENCH_REDIS_URL, a database of its own: it is emptied) under gunicorn. bench-scale
# builds the 1 M database once (a few minutes); bench measures (about 15 minutes, with a
# 5-minute load run; BENCH_ARGS="--load-seconds 60 --skip-search" for a shorter one); load runs
# only the mixed load (LOAD_SECONDS); bench-rules times the pure rules and pages on SQLite.
BENCH_ARGS ?=
LOAD_SECONDS ?= 300
bench-scale: install
	$(PY) benchmarks/scale_data.py --size large

bench: install
	$(PY) benchmarks/bench.py $(BENCH_ARGS)

load: install
	$(PY) benchmarks/bench.py --load-only --load-seconds $(LOAD_SECONDS) $(BENCH_ARGS)

bench-rules: install
	$(PY) benchmarks/run.py

# Mutation testing of the pure rule modules (pyproject [tool.mutmut]), then the score per
# module. MUTMUT_CHILDREN: parallel test runs (default 2). Results stay in mutants/.
MUTMUT_CHILDREN ?= 2
mutation: install
	$(VENV)/bin/mutmut run --max-children $(MUTMUT_CHILDREN)
	$(PY) tests/mutation/report.py

clean:
	rm -rf $(VENV) mutants db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles test-artifacts
