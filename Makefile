# babelwire — the two commands that matter: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: help install deps-demo deps-test demo test bench lint clean

help:
	@echo "make demo   install what is needed, translate the bundled demo news site, serve it on http://127.0.0.1:8000/"
	@echo "make test   install what is needed (Apertium, PostgreSQL, Chromium) and run the test suite"
	@echo "make bench  run the benchmarks in benchmarks/ (prints tables)"
	@echo "make lint   ruff + mypy"

$(BIN)/babelwire: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/babelwire

deps-demo:
	@scripts/system-deps.sh demo

deps-test:
	@scripts/system-deps.sh test

demo: deps-demo install
	$(BIN)/babelwire demo

test: deps-test install
	$(BIN)/python -m pytest

BENCHMARKS ?= extraction segmentation translate_throughput review_qe fuzz_sources poll_scale scale crash

# Each benchmark prints its table; run one with `make bench BENCHMARKS=poll_scale`.
bench: deps-test install
	@for name in $(BENCHMARKS); do echo "== benchmarks/$$name.py"; $(BIN)/python benchmarks/$$name.py || exit 1; done

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf data/demo .pytest_cache .mypy_cache .ruff_cache test-artifacts
