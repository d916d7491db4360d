# The two commands a newcomer needs (see README.md):
#   make run   - set up and start the kiosk on its embedded defaults: demo data, synthetic camera
#   make test  - set up and run the whole test suite (ruff, mypy, import-linter, pytest)
# and, to hand the kiosk to a venue:
#   make bundle - build the one-folder PyInstaller bundle dist/volunteer-kiosk/ (build.spec)
#   make release - the bundle as a versioned archive with SHA256SUMS and the changelog entry (dist/release/)
# and, after changing a screen:
#   make screenshots - every state of every screen, both languages, 1920x1080 and 1280x800, into docs/screenshots

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DATA ?= kiosk-data-demo

.PHONY: run test lint translations system-deps bundle-deps bundle release screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

system-deps:
	sh scripts/system-deps.sh

# The bundle's build also needs binutils and the xcb libraries it carries; the tests build the bundle.
bundle-deps:
	sh scripts/system-deps.sh bundle

translations: $(STAMP)
	$(BIN)/python scripts/build_translations.py

run: system-deps $(STAMP) translations
	$(BIN)/kiosk --data $(DEMO_DATA) demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python scripts/actionlint.py

test: bundle-deps $(STAMP) lint translations
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

screenshots: system-deps $(STAMP) translations
	KIOSK_SCREENSHOTS=$(CURDIR)/docs/screenshots QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q tests/gui tests/browser

bundle: bundle-deps $(STAMP) translations
	$(BIN)/python freeze/build_bundle.py

release: bundle-deps $(STAMP) translations
	$(BIN)/python scripts/release.py

clean:
	rm -rf $(VENV) $(DEMO_DATA) .pytest_cache .mypy_cache .ruff_cache
