# Trygg: `make run` serves the demo municipality, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TRYGG := $(BIN)/trygg
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev lint format messages bench clean

install: $(VENV)/.base-installed
install-dev: $(VENV)/.dev-installed

$(VENV)/.created:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Trygg needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	touch $@

$(VENV)/.base-installed: $(VENV)/.created requirements/base.txt requirements/build.txt pyproject.toml
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/build.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/base.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.created requirements/dev.txt requirements/build.txt pyproject.toml
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/build.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@ $(VENV)/.base-installed

# Development server with the demo municipality, plus the background worker.
run: export TRYGG_DEBUG ?= 1
run: install
	$(TRYGG) migrate --noinput
	$(TRYGG) demo --if-empty
	@$(TRYGG) demo-logins --table
	@echo ""
	@echo "  Trygg is running at http://$(HOST):$(PORT)/  (stop with Ctrl+C)"
	@echo "  Email (reminders, password resets) is written to files in var/mail/"
	@echo ""
	@trap 'kill 0' INT TERM EXIT; $(TRYGG) db_worker --interval 2 & $(TRYGG) scheduler --interval 300 & $(TRYGG) runserver --noreload $(HOST):$(PORT)

test: install-dev
	bash scripts/test-setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=trygg.settings_test $(TRYGG) makemigrations --check --dry-run
	$(BIN)/pytest -n 2
	$(BIN)/python scripts/with_postgres.py $(BIN)/pytest -n 2 -m "not browser"

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Rebuild the .po catalogues from the source (needs GNU gettext) and compile them.
messages: install-dev
	cd trygg && ../$(TRYGG) makemessages -l nb -l nn -l en --no-obsolete --ignore 'tests/*'
	$(BIN)/python scripts/compile_messages.py

bench: install-dev
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) var
