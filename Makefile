# gongjian — the two commands a new user needs are `make run` and `make test`.
# Everything else here is for developers.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?= -n auto

.PHONY: run test install install-test lint bench docs messages screenshots clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "gongjian needs Python >= 3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps make re-runs fast: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[postgres]'
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[postgres,test]'
	@touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[postgres,test,bench]'
	@touch $@ $(VENV)/.installed $(VENV)/.installed-test

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## Set up (migrate, demo city if the database is empty, administrator) and serve.
run: install
	$(BIN)/gongjian setup --bind $(HOST):$(PORT)
	$(BIN)/gongjian serve --bind $(HOST):$(PORT)

## The whole suite. pytest's exit code 5 (no tests collected) counts as a failure.
test: install-test
	@$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests - failing"; exit 1; fi; \
	exit $$rc

lint: install-test
	$(BIN)/ruff check src tests bench

## Benchmarks with their side-by-side baselines (needs ../shared/data for the national-year input).
bench: $(VENV)/.installed-bench
	$(BIN)/python -m bench

docs:
	@echo "The documentation is Markdown under docs/ (start at docs/index.md)."

## Recompile the translations after editing src/gongjian/*/locale/*/LC_MESSAGES/django.po
messages: install
	cd src/gongjian && ../../$(BIN)/gongjian makemessages -l zh_Hans --ignore 'demo/*' && ../../$(BIN)/gongjian compilemessages

## Screenshots for README and docs (needs Debian's chromium).
screenshots: install-test
	$(BIN)/python -m pytest -p no:xdist tests/site/test_browser.py tests/site/test_every_page.py --screenshots docs/screenshots

clean:
	rm -rf $(VENV) var build dist src/*.egg-info .pytest_cache
