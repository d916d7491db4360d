# The two commands a newcomer needs (see README.md):
#   make run   - set up and start the kiosk on its embedded defaults: demo data, synthetic camera
#   make test  - set up and run the whole test suite (ruff, mypy, pytest)

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DATA ?= kiosk-data-demo

.PHONY: run test lint translations system-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

system-deps:
	sh scripts/system-deps.sh

translations: $(STAMP)
	$(BIN)/python scripts/build_translations.py

run: system-deps $(STAMP) translations
	$(BIN)/kiosk --data $(DEMO_DATA) demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: system-deps $(STAMP) lint translations
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(DEMO_DATA) .pytest_cache .mypy_cache .ruff_cache
