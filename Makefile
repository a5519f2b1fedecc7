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
# The Rust extension aitrail_native (native/): rebuilt into the venv when its sources change.
# Needs Rust's cargo (rustup, or Debian's cargo package); crates come from crates.io at build
# time, pinned by native/Cargo.lock; the build cache lives outside the work tree.
NATIVE_SOURCES := native/Cargo.toml native/Cargo.lock native/pyproject.toml native/aitrail_native.pyi $(sort $(wildcard native/src/*.rs))
NATIVE_HASH := $(shell cat $(NATIVE_SOURCES) | sha256sum | cut -c1-12)
NATIVE_STAMP := $(VENV)/.native-$(NATIVE_HASH)
CARGO_TARGET_DIR ?= $(AITRAIL_CACHE)/cargo-target
# The Compose Specification's JSON Schema (compose-spec/compose-spec, schema/compose-spec.json)
# for tests/unit/test_deploy_files.py. It comes from a package registry, pinned by version and
# by the file's sha256: the PyPI wheel of check-jsonschema vendors it (with its Apache-2.0
# license). Fetched once into the cache; never downloaded at test time, never copied into the repo.
COMPOSE_SCHEMA_PKG := check-jsonschema==0.39.0
COMPOSE_SCHEMA_SHA256 := d549057ebc2925f39f62799eab0db7b9e2c18b35b6c00595199116da3ed10e64
COMPOSE_SCHEMA_DIR := $(AITRAIL_CACHE)/compose-spec/check-jsonschema-0.39.0
COMPOSE_SCHEMA := $(COMPOSE_SCHEMA_DIR)/compose-spec.json

.PHONY: help install demo test test-unit lint typecheck schemas kafka-start kafka-stop bench-pipeline bench-detect bench-instructions clean \
	compose-schema

help:
	@echo "make demo       install, then run the whole path on embedded Kafka + chDB"
	@echo "make test       install, start a real Kafka broker, run every test, stop it"
	@echo "make test-unit  unit tests only (no services)"
	@echo "make lint       ruff + mypy --strict"
	@echo "make schemas    regenerate schemas/json from the pydantic contracts"
	@echo "make bench-detect    detection engine vs stock Presidio: one-core texts/s, F2 per PII type"
	@echo "make bench-instructions  engine instructions per text (callgrind; needs valgrind)"
	@echo "make bench-pipeline  worker events/s vs a plain confluent-kafka loop (real Kafka)"
	@echo "make compose-schema  fetch the Compose Specification JSON Schema into the cache"
	@echo "venv: $(VENV)"

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) on PATH (set PYTHON=...)"; exit 1; }
	@mkdir -p $(AITRAIL_CACHE)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

$(NATIVE_STAMP): $(STAMP)
	@command -v cargo >/dev/null || { echo "need Rust's cargo on PATH to build native/ (https://rustup.rs, or apt-get install cargo)"; exit 1; }
	CARGO_TARGET_DIR=$(CARGO_TARGET_DIR) $(BIN)/pip install --quiet --no-deps --force-reinstall ./native
	@rm -f $(VENV)/.native-*
	@touch $@

install: $(NATIVE_STAMP)
	@# the editable install points at whichever checkout ran last: re-point it at this one
	@# (checked from / so that this directory, first on sys.path, cannot answer for the venv)
	@(cd / && $(BIN)/python -c "import aitrail,sys,pathlib; sys.exit(0 if pathlib.Path(aitrail.__file__).resolve().parent.parent == pathlib.Path('$(CURDIR)').resolve() else 1)") \
		|| $(BIN)/pip install --quiet --no-deps -e .

demo: install
	rm -rf .aitrail/demo
	$(BIN)/aitrail demo --store .aitrail/demo

test test-unit: export AITRAIL_COMPOSE_SCHEMA = $(COMPOSE_SCHEMA)
test: install compose-schema lint
	bash tests/broker/kafka.sh start
	status=0; AITRAIL_TEST_KAFKA=127.0.0.1:$(KAFKA_PORT) $(BIN)/python -m pytest $(PYTEST_ARGS) || status=$$?; \
		bash tests/broker/kafka.sh stop; exit $$status

test-unit: install compose-schema
	$(BIN)/python -m pytest -m "not integration" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check aitrail schemas pipelines sinks tests bench
	$(BIN)/mypy

schemas: install
	$(BIN)/python -m schemas.generate

compose-schema: $(COMPOSE_SCHEMA)

$(COMPOSE_SCHEMA): | $(STAMP)
	@mkdir -p $(COMPOSE_SCHEMA_DIR)
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(BIN)/pip download --quiet --no-deps --only-binary=:all: --dest "$$tmp" '$(COMPOSE_SCHEMA_PKG)' && \
	$(BIN)/python -c 'import sys, zipfile, pathlib; \
		whl = zipfile.ZipFile(next(pathlib.Path(sys.argv[1]).glob("*.whl"))); \
		vendor = "check_jsonschema/builtin_schemas/vendor/"; \
		pathlib.Path(sys.argv[2], "LICENSE.compose-spec").write_bytes(whl.read(vendor + "licenses/LICENSE.compose-spec")); \
		pathlib.Path(sys.argv[3]).write_bytes(whl.read(vendor + "compose-spec.json"))' \
		"$$tmp" "$(COMPOSE_SCHEMA_DIR)" "$@.tmp" && \
	echo "$(COMPOSE_SCHEMA_SHA256)  $@.tmp" | sha256sum --check --quiet && \
	mv "$@.tmp" "$@"

kafka-start:
	bash tests/broker/kafka.sh start

kafka-stop:
	bash tests/broker/kafka.sh stop

clean:
	rm -rf .aitrail .pytest_cache .mypy_cache .ruff_cache *.egg-info

# Detection engine vs stock Presidio (spaCy sm, default recognizers): texts/s on one core and
# F2 per PII type on shared/datasets/pii. Stock predictions are cached in $(AITRAIL_CACHE)/bench-cache.
BENCH_DETECT_ARGS ?= --engine pipelines.detection.engine:AitrailDetector
bench-detect: install
	@mkdir -p .aitrail/bench
	$(BIN)/python -m bench.bench_detect --json .aitrail/bench/bench-detect.json $(BENCH_DETECT_ARGS)

# Instructions per text of the detection engine on bench-detect's samples, counted by callgrind
# (valgrind): repeatable to about 0.1% on this noisy machine, for comparing engine changes.
BENCH_INSTRUCTIONS_ARGS ?=
bench-instructions: install
	$(BIN)/python -m bench.instructions $(BENCH_INSTRUCTIONS_ARGS)

# End-to-end worker throughput against a plain confluent-kafka loop, side by side, real Kafka.
bench-pipeline: install
	bash tests/broker/kafka.sh start
	status=0; AITRAIL_TEST_KAFKA=127.0.0.1:$(KAFKA_PORT) $(BIN)/python -m bench.bench_pipeline || status=$$?; \
		bash tests/broker/kafka.sh stop; exit $$status
