# The two commands a newcomer runs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MONTH ?= 2019-05

.PHONY: install demo test test-fast lint format browser-tools bench bench-more clean

$(BIN)/secstatus: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/secstatus

demo: install
	$(BIN)/secstatus validate
	$(BIN)/secstatus list --as-at 2019-04-30 --stage open
	$(BIN)/secstatus report --month $(MONTH) --format html
	$(BIN)/secstatus report --month $(MONTH) --format pdf

# Every test, spread over the machine's cores by pytest-xdist; a test file stays on one worker,
# so what its module fixtures build (a site, a browser) is built once.
PYTEST_PARALLEL ?= -n auto --dist loadfile
test: install
	$(BIN)/python -m pytest -q $(PYTEST_PARALLEL)

# The inner loop: every test but those marked slow (PDFs, the browser, real processes, locks,
# fuzzing), in under a minute.
test-fast: install
	$(BIN)/python -m pytest -q $(PYTEST_PARALLEL) -m "not slow"

# The static checks, configured in pyproject.toml: ruff's linter and its formatter (which changes
# nothing here: `make format` does), and mypy over src/. CI runs them before the tests.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The browser tests' accessibility engine (axe-core, from the npm registry) into .browser/;
# the browser itself is Debian's: apt-get install chromium chromium-driver.
AXE_CORE ?= axe-core@~4.14.1
browser-tools:
	npm install --prefix .browser --no-save --no-audit --no-fund --no-package-lock '$(AXE_CORE)'

# The performance table: every row against its baseline, interleaved, median and range, goal and
# verdict (a few minutes; BENCH_RUNS=N for more pairs).
bench: install
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/table.py

# The engines on their own: working-day counts against numpy, assess against loading alone.
bench-more: install
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/bench_workdays.py
	$(BIN)/python bench/bench_assess.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build dist src/*.egg-info change-status-report-* site .browser
