# The README's two commands, and a few more for working on Heard.
#   make run   set up (virtualenv, packages, database, demo data) and start Heard on http://127.0.0.1:8000
#   make test  run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000

.PHONY: run test setup dev-setup lint clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed messages
	$(BIN)/python manage.py migrate --noinput --verbosity 0
	$(BIN)/python manage.py seed_demo

# The Spanish pages: locale/*/django.po compiled to .mo with Debian's gettext (apt install gettext).
# Without it Heard still runs, in English only.
messages: $(VENV)/.installed
	@if command -v msgfmt >/dev/null; then $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=var --verbosity 0; \
	else echo "gettext is not installed: Heard runs in English only (apt install gettext for Spanish)"; fi

# The web server, plus a Celery worker with beat on the on-disk broker (no server to
# install): reminders and e-mail (printed to this console) really go out. Ctrl-C stops all.
run: setup
	@trap 'kill 0' INT TERM EXIT; \
	DEBUG=$${DEBUG:-true} $(BIN)/celery -A config worker --beat --pool=solo --loglevel=WARNING \
	  --schedule var/celerybeat-schedule --without-gossip --without-mingle & \
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py runserver $(HOST)

dev-setup: $(VENV)/.installed-dev

test: dev-setup messages
	$(BIN)/pytest $(PYTEST_ARGS)

# ruff, django-upgrade, djlint and the import-direction contract, as CI runs them (.pre-commit-config.yaml).
lint: dev-setup
	$(BIN)/pre-commit run --all-files

clean:
	rm -rf var
