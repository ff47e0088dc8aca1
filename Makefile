# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE ?= sample_portfolios/household.toml

.PHONY: run test lint typecheck pytest bench clean

$(BIN)/rebal: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

run: $(BIN)/rebal
	$(BIN)/rebal $(SAMPLE)

test: $(BIN)/rebal lint typecheck pytest

lint: $(BIN)/rebal
	$(BIN)/ruff check src tests bench

typecheck: $(BIN)/rebal
	$(BIN)/mypy src

# One worker per core (pytest-xdist): each test keeps to its own tmp_path and tmux session.
pytest: $(BIN)/rebal
	$(BIN)/pytest -q -n auto

bench: $(BIN)/rebal
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
