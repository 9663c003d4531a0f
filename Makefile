# Set-up in two commands: `make demo` and `make test` each create .venv when missing, install the
# project into it (pip upgraded first), and run. A second run reuses the venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint real clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/frwatch demo

test: $(STAMP) lint
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

# Measurements against real public data in ../shared/real (skipped when it is absent).
real: $(STAMP)
	$(BIN)/python -m benchmarks.real

clean:
	rm -rf $(VENV) data
