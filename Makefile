# dictamen — every target creates .venv and installs the project first when needed.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUTPUT ?= reports

.PHONY: reports test lab bench screenshots browser clean-reports eval

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) not found; install Python 3.11 or run make PYTHON=/path/to/python3.11"; exit 2; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name dictamen --display-name "Python (dictamen)" >/dev/null
	@touch $(STAMP)

reports: $(STAMP)
	$(BIN)/dictamen run --output-dir $(OUTPUT)
	@echo "Open $(abspath $(OUTPUT))/index.html"

test: $(STAMP) browser
	$(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks

bench: $(STAMP)
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Scores the source parser on the hand-counted evaluation set (data/eval/sources, issue 16), then on
# the held-out sets collected blind (data/eval/sources-heldout, data/eval/sources-heldout-2, then -3).
eval: $(STAMP)
	@echo "development set (data/eval/sources: the parser was built on it)"
	@$(BIN)/python -m dictamen.sources.evaluate data/eval/sources
	@echo
	@echo "first held-out set (data/eval/sources-heldout: scored blind once; fixed against and its outlets registered since)"
	@$(BIN)/python -m dictamen.sources.evaluate data/eval/sources-heldout
	@echo
	@echo "second held-out set (data/eval/sources-heldout-2: scored blind once; its outlets registered since)"
	@$(BIN)/python -m dictamen.sources.evaluate data/eval/sources-heldout-2
	@echo
	@echo "third held-out set (data/eval/sources-heldout-3: scored blind once in the eighth session; see its README)"
	@$(BIN)/python -m dictamen.sources.evaluate data/eval/sources-heldout-3

screenshots: $(STAMP) browser
	$(BIN)/python -m dictamen.pipeline.screenshots --output-dir screenshots

# Browser tests use Debian's Chromium (Playwright's own browser download cannot work offline).
browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "make: /usr/bin/chromium is missing: run 'sudo apt-get install -y chromium' (or set DICTAMEN_SKIP_BROWSER=1)"; fi; }

clean-reports:
	rm -rf $(OUTPUT)
