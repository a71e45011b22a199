# babelwire — the two commands that matter: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# Every pip install is pinned by this lock (`make lock` refreshes it); the venv is rebuilt when it changes.
LOCK   := constraints.txt

.PHONY: help install lock deps-demo deps-test demo test bench lint clean

help:
	@echo "make demo   install what is needed, translate the bundled demo news site, serve it on http://127.0.0.1:8000/"
	@echo "make test   install what is needed (Apertium, PostgreSQL, Chromium) and run the test suite"
	@echo "make bench  run the benchmarks in benchmarks/ (prints tables)"
	@echo "make lint   ruff + mypy"
	@echo "make lock   re-resolve the dependencies in a fresh venv and rewrite $(LOCK)"

$(BIN)/babelwire: pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c $(LOCK) --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[dev]'
	@touch $@

install: $(BIN)/babelwire

# A fresh resolve of pyproject.toml's dependencies (no constraints) in a throwaway venv, frozen into $(LOCK).
# Run it after changing dependencies or to take upgrades; commit the result.
lock:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(PYTHON) -m venv "$$tmp/venv" && \
	"$$tmp/venv/bin/python" -m pip install --quiet --upgrade pip && \
	"$$tmp/venv/bin/python" -m pip install --quiet -e '.[dev]' && \
	{ echo "# The lock of babelwire's Python dependencies: every pip install in the Makefile uses it (-c $(LOCK))."; \
	  echo "# Made by \`make lock\` on $$(date -u +%Y-%m-%d): a fresh venv ($$("$$tmp/venv/bin/python" --version)),"; \
	  echo "# \`pip install -e '.[dev]'\` without constraints, then \`pip freeze --all --exclude-editable\`."; \
	  echo "# Do not edit by hand: change pyproject.toml and run \`make lock\` again."; \
	  "$$tmp/venv/bin/python" -m pip freeze --all --exclude-editable; } > $(LOCK).new && \
	mv $(LOCK).new $(LOCK) && echo "wrote $(LOCK) ($$(grep -vc '^#' $(LOCK)) pinned packages)"

deps-demo:
	@scripts/system-deps.sh demo

deps-test:
	@scripts/system-deps.sh test

# doctor --demo prints one line per thing the demo needs and exits 1 (stopping make) when one is missing.
demo: deps-demo install
	$(BIN)/babelwire doctor --demo
	$(BIN)/babelwire demo

test: deps-test install
	$(BIN)/python -m pytest

BENCHMARKS ?= extraction segmentation translate_throughput review_qe fidelity fuzz_sources poll_scale freshness scale crash stories

# Each benchmark prints its table; run one with `make bench BENCHMARKS=poll_scale`.
bench: deps-test install
	@for name in $(BENCHMARKS); do echo "== benchmarks/$$name.py"; $(BIN)/python benchmarks/$$name.py || exit 1; done

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf data/demo .pytest_cache .mypy_cache .ruff_cache test-artifacts
