# Kenshu: two commands for a newcomer.
#   make run    install, migrate, seed the demo, serve on http://127.0.0.1:8000/ with a worker and beat
#   make test   install, lint, check migrations, run the whole suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
# `KENSHU_PORT=8102 make run` serves on another port; links in emails follow it.
export KENSHU_PORT ?= 8000

.PHONY: run test install install-test messages lint check-migrations pytest clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade "pip>=24"

$(VENV)/.installed-run: $(VENV)/bin/python pyproject.toml constraints.txt
	$(PIP) install -q -c constraints.txt ".[dev]"
	touch $@

$(VENV)/.installed-test: $(VENV)/bin/python pyproject.toml constraints.txt
	$(PIP) install -q -c constraints.txt ".[dev,test]"
	touch $@

install: $(VENV)/.installed-run
	@scripts/system-packages run

install-test: $(VENV)/.installed-test
	@scripts/system-packages test
	@scripts/axe-core

messages:
	$(PY) manage.py compilemessages --ignore=.venv -v0

run: install messages
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_demo
	@echo ""
	@echo "  Kenshu: http://127.0.0.1:$(KENSHU_PORT)/"
	@echo "  Links in emails start with $${KENSHU_BASE_URL:-http://127.0.0.1:$(KENSHU_PORT)}"
	@echo "    (another port: KENSHU_PORT=8102 make run; another address: KENSHU_BASE_URL=...)"
	@echo "  Demo logins (password kenshu-demo): coordinator@example.com, staff@example.com,"
	@echo "    supervisor@example.com, trainee1@example.com, trainee2@example.com,"
	@echo "    trainee3@example.com, other-coordinator@example.com, other-trainee@example.com,"
	@echo "    office@example.com (the scheme office)"
	@echo "  Emails are printed below. Ctrl-C stops the web server, the worker and beat."
	@echo ""
	$(VENV)/bin/honcho start -f Procfile.dev

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check-migrations:
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

pytest:
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test: install-test messages lint check-migrations pytest

clean:
	rm -rf $(VENV) var
