# Two commands matter: `make analyze` (sets everything up on first use, then runs the
# analysis) and `make test`. `make help` lists the rest.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
READY  := $(VENV)/.installed
# BERTopic's default, the benchmark's peer: PyTorch and MiniLM in an environment of their own
PEER   ?= .venv-bertopic
ARGS   ?=
# Python's bytecode cache (__pycache__/, git-ignored) even where the environment turns it off
# (PYTHONDONTWRITEBYTECODE, common in containers): without it every `python -m pipeline`
# compiles the package again and pytest rewrites every test module again, on every run
# (make test: about 15 s of CPU each time).
unexport PYTHONDONTWRITEBYTECODE

.DEFAULT_GOAL := help
.PHONY: help install analyze validate status test test-all bench lint clean clean-all

## Create .venv; install the package, tests, spaCy model, embeddings, Dask, benchmark-only umap-learn
install: $(READY)

$(READY): setup.cfg setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,model,embeddings,bench,dask]'
	@touch $@

## Run the whole analysis on corpus/ (only out-of-date stages run); ARGS="--force" re-runs all
analyze: $(READY)
	$(PY) -m pipeline analyze $(ARGS)

## Check the corpus and list every problem (writes nothing)
validate: $(READY)
	$(PY) -m pipeline validate

## Show which stages are up to date
status: $(READY)
	$(PY) -m pipeline status

## Run the fast tests: units on small fixtures, one end-to-end run (about 50-60 s on 2 cores)
test: $(READY)
	$(PY) -m pytest -n 2 --dist loadgroup $(ARGS)

## Run every test, including the slow ones on the shipped corpus (what CI runs)
test-all: $(READY)
	$(PY) -m pytest -n 2 --dist loadgroup --slow $(ARGS)

## Benchmark: generated corpus at 0.5x-4x (1x: 222 interviews, 2M words) and BERTopic's default (MiniLM); per-stage wall, CPU, peak memory to bench/results.json (about 25 min on 2 cores, 15 of them BERTopic; the first run also installs .venv-bertopic, ~4 min, ~6.5 GB)
bench: $(READY) $(PEER)/.installed
	$(PY) -m pipeline bench --vs-bertopic --peer-python $(PEER)/bin/python $(ARGS)

$(PEER)/.installed: setup.cfg setup.py
	$(PYTHON) -m venv $(PEER)
	$(PEER)/bin/python -m pip install --quiet --upgrade pip
	$(PEER)/bin/python -m pip install --quiet -e '.[bertopic]'
	@touch $@

## Lint the code and check the import contract (setup.cfg [importlinter])
lint: $(READY)
	$(PY) -m ruff check pipeline tests
	$(VENV)/bin/lint-imports setup.cfg --no-cache

## Remove everything generated in outputs/ (it can always be rebuilt), and temporary files a
## killed run left in corpus/ or codebooks/ (.<name>.<8 characters>.tmp; they may hold
## interview text). What researchers wrote is never touched.
clean:
	find outputs -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
	find corpus codebooks -type f -regextype posix-extended \
	  -regex '.*/\.[^/]+\.[A-Za-z0-9_]{8}\.tmp' -delete 2>/dev/null || true

## Remove outputs and the virtual environments (the benchmark's BERTopic one too)
clean-all: clean
	rm -rf $(VENV) $(PEER) *.egg-info

## List the targets
help:
	@echo "Usage: make <target>"
	@awk '/^## /{doc=substr($$0,4); next} /^[a-zA-Z_-]+:/{if(doc){split($$1,t,":"); printf "  %-10s %s\n", t[1], doc}; doc=""}' $(MAKEFILE_LIST)
