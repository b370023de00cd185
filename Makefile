# punte: `make demo` and `make test` are all a fresh machine needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.lock | cut -c1-16)
PG_URL ?= postgres://postgres@127.0.0.1:5432/punte

.PHONY: demo test lint typecheck checks test-sqlite test-postgres messages lock bench clean

$(STAMP): requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	@rm -f $(VENV)/.installed-* && touch $@

# Compiled catalogues are build output, made from the .po files.
messages-compiled: $(STAMP)
	@cd punte && ../$(PY) ../manage.py compilemessages --ignore=.venv -v0

demo: $(STAMP) messages-compiled
	PUNTE_DEMO=1 $(PY) manage.py migrate --noinput -v0
	PUNTE_DEMO=1 $(PY) manage.py load_reference
	PUNTE_DEMO=1 $(PY) manage.py demo_seed
	@echo "Starting punte on http://127.0.0.1:8000 (Ctrl+C stops it)"
	PUNTE_DEMO=1 $(PY) manage.py runserver 127.0.0.1:8000

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) bin/lint_punte.py

typecheck: $(STAMP)
	$(PY) -m mypy

checks: $(STAMP) messages-compiled
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py check

test-sqlite: $(STAMP) messages-compiled
	@echo "== test suite on SQLite =="
	$(PY) -m pytest

test-postgres: $(STAMP) messages-compiled
	@if $(PY) bin/pg_available.py "$(PG_URL)"; then \
		echo "== test suite on PostgreSQL ($(PG_URL)) =="; \
		DATABASE_URL="$(PG_URL)" $(PY) -m pytest; \
	else \
		echo "== PostgreSQL suite NOT RUN: no PostgreSQL answers at $(PG_URL) =="; \
		if [ -n "$$CI" ]; then echo "CI requires PostgreSQL"; exit 1; fi; \
	fi

test: $(STAMP)
	@bin/ensure-browser
	$(MAKE) --no-print-directory lint typecheck checks test-sqlite test-postgres
	@echo "== all checks passed =="

# Refresh the catalogues after changing user-facing strings, then translate the new entries.
messages: $(STAMP)
	cd punte && ../$(PY) ../manage.py makemessages -l ro -l en --no-obsolete --ignore=.venv
	cd punte && ../$(PY) ../manage.py makemessages -d djangojs -l ro -l en --no-obsolete --ignore=.venv

# Re-pin every dependency (needs the network to PyPI).
lock: $(STAMP)
	$(VENV)/bin/pip-compile -q --extra dev --generate-hashes --no-emit-index-url --no-emit-find-links --strip-extras -o requirements.lock pyproject.toml

bench: $(STAMP)
	@if $(PY) bin/pg_available.py "$(PG_URL)"; then DATABASE_URL="$(PG_URL)_bench" $(PY) bench/run.py; else $(PY) bench/run.py; fi

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache test-results
