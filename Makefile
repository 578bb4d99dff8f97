# The two commands a newcomer runs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MONTH ?= 2019-05

.PHONY: install demo test bench clean

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

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/bench_validate.py
	$(BIN)/python bench/bench_startup.py
	$(BIN)/python bench/bench_workdays.py
	$(BIN)/python bench/bench_assess.py
	$(BIN)/python bench/bench_report.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build dist src/*.egg-info change-status-report-*
