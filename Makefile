# Two commands for a new user: `make demo` and `make test`. Everything else is set up on the way.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench lint serve clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "guildboard needs $(PYTHON) (Python 3.11 or newer) on PATH"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)  ## build the demo organisation, collect its history, open the dashboard
	$(BIN)/guildboard demo --serve

test: $(STAMP)  ## the whole test suite
	$(BIN)/python -m pytest -q

bench: $(STAMP)  ## every benchmark; each prints its own figures
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) data/demo data/demo.db* .pytest_cache
