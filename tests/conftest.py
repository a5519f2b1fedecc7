"""Shared fixtures. Integration tests use the real Kafka broker started by `make test`
(its address in AITRAIL_TEST_KAFKA) and a fresh chDB store per test."""

from __future__ import annotations

import os

# A developer's .env must not change what the tests see.
os.environ["AITRAIL_ENV_FILE"] = os.devnull

import secrets
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from aitrail.settings import Settings, load_settings


@pytest.fixture(autouse=True)
def _no_worker_outlives_its_test() -> Iterator[None]:
    yield
    from tests.harness import kill_leftovers

    kill_leftovers()


@pytest.fixture()
def hash_key() -> str:
    return secrets.token_hex(32)


@pytest.fixture()
def store_dsn(tmp_path: Path) -> str:
    return f"chdb://{tmp_path / 'clickhouse'}"


@pytest.fixture(scope="session")
def kafka_bootstrap() -> str:
    address = os.environ.get("AITRAIL_TEST_KAFKA")
    if not address:
        pytest.fail(
            "integration tests need a real Kafka broker: run `make test`, or start one with "
            "`bash tests/broker/kafka.sh start` and set AITRAIL_TEST_KAFKA=127.0.0.1:39092",
            pytrace=False,
        )
    return address


@pytest.fixture()
def settings(kafka_bootstrap: str, store_dsn: str, hash_key: str, tmp_path: Path) -> Settings:
    """Settings for one isolated run: its own topic prefix, consumer group and store."""
    run = uuid.uuid4().hex[:10]
    return load_settings(
        kafka_bootstrap_servers=kafka_bootstrap,
        clickhouse_dsn=store_dsn,
        hash_key=hash_key,
        topic_prefix=f"test-{run}.",
        worker_group=f"aitrail-test-{run}",
        worker_data_dir=tmp_path / "worker",
        detection_processes=2,
        metrics_port=0,
        batch_size=200,
        batch_timeout_s=0.2,
    )
