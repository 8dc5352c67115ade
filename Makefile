# Each target builds its own virtual environment on first use.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed-stamp

.PHONY: demo test test-fast lint format bench profiles-report clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,serve]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/newsroom-archive demo

test: lint
	$(BIN)/pytest

# Quick feedback while editing: the tests marked `crawl` take minutes.
test-fast: $(STAMP)
	$(BIN)/pytest -m "not crawl"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

# Fields right per profile and for the generic extractor alone, on the real pages.
profiles-report: $(STAMP)
	$(BIN)/python benchmarks/profiles_report.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
