"""The whole path on real parts: Apache Kafka → `aitrail worker` (faust) → chDB."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from confluent_kafka import Consumer

from aitrail.kafka_admin import create_topics
from aitrail.producer import AuditProducer
from aitrail.settings import Settings
from aitrail.synthetic import generate
from pipelines.hashing import KeyedHasher
from pipelines.policy.load import load_default
from schemas.events import LLMRequestEvent, LLMResponseEvent
from sinks.clickhouse import open_store
from tests.harness import WorkerProcess

pytestmark = pytest.mark.integration


def produce(settings: Settings, events: list[dict[str, object]], malformed: list[bytes]) -> int:
    producer = AuditProducer(settings.kafka_bootstrap_servers, settings.topic_prefix)
    for event in events:
        producer.send_json(event)
    for raw in malformed:
        producer.send_raw(settings.topics.name("llm.requests"), raw, key="bad")
    producer.flush()
    return len(events) + len(malformed)


def every_stored_value(dsn: str) -> str:
    """Every column of every row of every table, as text."""
    client = open_store(dsn)
    try:
        tables = [r[0] for r in client.query(
            "SELECT name FROM system.tables WHERE database = currentDatabase()").result_rows]
        parts = []
        for table in tables:
            result = client.query(f"SELECT * FROM {table}")  # noqa: S608 (names from the store)
            parts.extend(repr(row) for row in result.result_rows)
        return "\n".join(parts)
    finally:
        client.close()


def read_topic(settings: Settings, topic: str, expected: int) -> list[bytes]:
    consumer = Consumer({**settings.kafka_config(), "group.id": f"{settings.worker_group}-read",
                         "auto.offset.reset": "earliest"})
    consumer.subscribe([topic])
    values: list[bytes] = []
    try:
        for _ in range(60):
            for msg in consumer.consume(100, timeout=0.5):
                if msg.error() is None:
                    values.append(msg.value())
            if len(values) >= expected:
                break
    finally:
        consumer.close()
    return values


def test_planted_pii_never_stored_hashes_verify_and_bad_input_dead_lettered(
    settings: Settings, tmp_path: Path
) -> None:
    traffic = generate(500, seed=11, pii_ratio=0.5)
    llm_events = [e for e in traffic.events if e["event_type"] != "access"]
    access_events = [e for e in traffic.events if e["event_type"] == "access"]
    assert len(llm_events) == 1000 and traffic.planted and traffic.malformed
    create_topics(settings)
    worker = WorkerProcess(settings, tmp_path / "worker.log").start()
    try:
        total = produce(settings, traffic.events, traffic.malformed)
        worker.wait_committed(total)
    finally:
        assert worker.stop() == 0, worker.log()[-3000:]

    client = open_store(settings.clickhouse_dsn)
    try:
        def scalar(sql: str) -> int:
            return int(client.query(sql).result_rows[0][0])

        assert scalar("SELECT count() FROM audit_log FINAL") == 1000
        assert scalar("SELECT uniqExact(request_id, event_type) FROM audit_log FINAL") == 1000
        assert scalar("SELECT count() FROM audit_requests WHERE has_request AND has_response") \
            == 500
        assert scalar("SELECT count() FROM access_log FINAL") == len(access_events)
        assert scalar("SELECT countIf(scan_status != 'scanned') FROM audit_log FINAL") == 0
        letters = client.query(
            "SELECT source_topic, error_type, reason FROM dead_letters FINAL").result_rows
        assert len(letters) == len(traffic.malformed)
        assert all(topic == settings.topics.name("llm.requests") and reason
                   for topic, _, reason in letters)

        # Every planted value was found: its type is on the row of the event that carried it.
        found = {(r, f, t) for r, f, types in client.query(
            "SELECT request_id, text_field, finding_types FROM audit_log FINAL").result_rows
            for t in types}
        missed = [p for p in traffic.planted
                  if (p.request_id, p.field, p.entity_type) not in found]
        assert missed == []

        # Hashes are reproducible by anyone holding the text and the key.
        hasher = KeyedHasher(settings.require_hash_key(), settings.hash_key_id)
        stored = {(r, t): h for r, t, h in client.query(
            "SELECT request_id, event_type, text_hash FROM audit_log FINAL").result_rows}
        for raw in llm_events:
            model = LLMRequestEvent if raw["event_type"] == "llm.request" else LLMResponseEvent
            event = model.model_validate(raw)
            assert hasher.verify(event.audited_text(), stored[(event.request_id,
                                                               event.event_type)])
    finally:
        client.close()

    # No planted value anywhere: any column of any table, the DLQ topic, the worker's log.
    everything = every_stored_value(settings.clickhouse_dsn)
    dlq = read_topic(settings, settings.topics.dead_letters, len(traffic.malformed))
    assert len(dlq) == len(traffic.malformed)
    dlq_text = "\n".join(v.decode() for v in dlq)
    assert all(json.loads(v)["reason"] for v in dlq)
    # The policy the worker put in force is an event (CC8.1), and its version is on every row.
    (change,) = [json.loads(v) for v in read_topic(settings, settings.topics.policy_changes, 1)]
    assert change["new_version"] == load_default().content_version
    assert change["old_version"] is None and change["rules_added"]
    log = worker.log()
    leaks = Counter(p.entity_type for p in traffic.planted
                    if p.value in everything or p.value in dlq_text or p.value in log)
    assert leaks == Counter()
    for raw in traffic.malformed:  # the bad payloads are not copied either
        assert raw.decode(errors="replace") not in everything
