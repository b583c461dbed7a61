# Two commands for a fresh clone: `make demo` (the main job against the embedded Omie sandbox)
# and `make test` (the whole test suite). Both create the virtual environment if it is missing.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DBT    := cd dbt_project && ../$(BIN)/dbt
export MARIMO_SKIP_UPDATE_CHECK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: demo test test-long install browser clean bench

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "omie-push needs $(PYTHON) (Python 3.11+)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	@# setuptools notes at every editable install that a folder named like the package may
	@# shadow it on imports (it is this very folder): silenced, it says nothing of the project
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(DBT) build --profiles-dir .
	@# exit 1 = the run finished with rows refused: the sample has bad rows on purpose
	cd dbt_project && ../$(BIN)/omie-push || [ $$? -eq 1 ]

# The review notebook's browser test drives Debian's Chromium through Playwright
# (`playwright install` cannot download a browser here): install it when it is missing.
CHROMIUM ?= /usr/bin/chromium
browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" -eq 0 ]; then \
	    echo "installing Debian's chromium for the browser test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "the browser test needs Debian's chromium: sudo apt-get install -y chromium"; \
	  fi; }

# Two pytest-xdist workers, one area of tests/ each at a time (tests/conftest.py says which tests
# go together); the crash trials are spread over both. `.venv/bin/python -m pytest tests/<area>`
# runs one area in one process.
test: $(STAMP) browser
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup --durations=25

# The reliability suites with their long variants too: 12 crash-trial seeds beyond make test's 20 and
# the 20 %/50 % fault rates beside its 10 %/30 % (docs/reliability.md).
test-long: $(STAMP)
	RELIABILITY_LONG=1 $(BIN)/python -m pytest -q -n 2 --dist loadgroup tests/reliability

# Issue 16's benchmarks, one after another, rewriting the generated part of docs/benchmarks.md
# (under 15 minutes on the 2-core build machine; BENCH_QUICK=1 for small sizes).
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_report.py

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs dbt_project/*.duckdb dbt_project/.omie-sandbox
