# aitrail: `make demo` and `make test` work on a fresh machine; each installs what it needs.
# The virtual environment and the Kafka jars live in a cache outside the work tree
# (AITRAIL_CACHE, default ~/.cache/aitrail), keyed by the hash of pyproject.toml.

SHELL := /bin/bash
PYTHON ?= python3.11
AITRAIL_CACHE ?= $(HOME)/.cache/aitrail
export AITRAIL_CACHE
DEPS_HASH := $(shell cat pyproject.toml | sha256sum | cut -c1-12)
VENV ?= $(AITRAIL_CACHE)/venv-$(DEPS_HASH)
BIN := $(VENV)/bin
KAFKA_PORT ?= 39092
export KAFKA_PORT
STAMP := $(VENV)/.installed

.PHONY: help install demo test test-unit lint typecheck schemas kafka-start kafka-stop bench-pipeline clean

help:
	@echo "make demo       install, then run the whole path on embedded Kafka + chDB"
	@echo "make test       install, start a real Kafka broker, run every test, stop it"
	@echo "make test-unit  unit tests only (no services)"
	@echo "make lint       ruff + mypy --strict"
	@echo "make schemas    regenerate schemas/json from the pydantic contracts"
	@echo "venv: $(VENV)"

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) on PATH (set PYTHON=...)"; exit 1; }
	@mkdir -p $(AITRAIL_CACHE)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)
	@# the editable install points at whichever checkout ran last: re-point it at this one
	@$(BIN)/python -c "import aitrail,sys,pathlib; sys.exit(0 if pathlib.Path(aitrail.__file__).resolve().parent.parent == pathlib.Path('$(CURDIR)').resolve() else 1)" \
		|| $(BIN)/pip install --quiet --no-deps -e .

demo: install
	rm -rf .aitrail/demo
	$(BIN)/aitrail demo --store .aitrail/demo

test: install
	bash tests/broker/kafka.sh start
	status=0; AITRAIL_TEST_KAFKA=127.0.0.1:$(KAFKA_PORT) $(BIN)/python -m pytest $(PYTEST_ARGS) || status=$$?; \
		bash tests/broker/kafka.sh stop; exit $$status

test-unit: install
	$(BIN)/python -m pytest -m "not integration" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check aitrail schemas pipelines sinks tests bench
	$(BIN)/mypy

schemas: install
	$(BIN)/python -m schemas.generate

kafka-start:
	bash tests/broker/kafka.sh start

kafka-stop:
	bash tests/broker/kafka.sh stop

clean:
	rm -rf .aitrail .pytest_cache .mypy_cache .ruff_cache *.egg-info
