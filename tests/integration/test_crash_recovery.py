"""Kill -9 the worker mid-stream, restart it: nothing lost, nothing doubled."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from aitrail.kafka_admin import create_topics
from aitrail.producer import AuditProducer
from aitrail.settings import Settings
from aitrail.synthetic import generate
from sinks.clickhouse import open_store
from tests.harness import WorkerProcess

pytestmark = pytest.mark.integration


def test_sigkill_mid_stream_then_restart_loses_and_doubles_nothing(
    settings: Settings, tmp_path: Path
) -> None:
    traffic = generate(1500, seed=5)
    expected = {(e["request_id"], e["event_type"]) for e in traffic.events
                if e["event_type"] != "access"}
    create_topics(settings)
    producer = AuditProducer(settings.kafka_bootstrap_servers, settings.topic_prefix)
    for event in traffic.events:
        producer.send_json(event)
    producer.flush()
    total = len(traffic.events)

    first = WorkerProcess(settings, tmp_path / "worker-1.log").start()
    deadline = time.monotonic() + 120
    while first.committed() < total // 5:  # some batches committed, most still to come
        assert time.monotonic() < deadline, first.log()[-3000:]
        assert first.proc is not None and first.proc.poll() is None, first.log()[-3000:]
        time.sleep(0.05)
    first.kill()
    committed_at_kill = first.committed()
    assert 0 < committed_at_kill < total

    second = WorkerProcess(settings, tmp_path / "worker-2.log").start()
    try:
        second.wait_committed(total)
    finally:
        assert second.stop() == 0, second.log()[-3000:]

    client = open_store(settings.clickhouse_dsn)
    try:
        rows = client.query(
            "SELECT request_id, event_type, count() FROM audit_log FINAL "
            "GROUP BY request_id, event_type").result_rows
        assert {(r, t) for r, t, _ in rows} == expected
        assert max(n for _, _, n in rows) == 1
        assert client.query("SELECT count() FROM access_log FINAL").result_rows[0][0] == len(
            [e for e in traffic.events if e["event_type"] == "access"])
    finally:
        client.close()
