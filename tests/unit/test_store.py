"""Migrations and the Arrow writer against the real ClickHouse engine (chDB, in process)."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from aitrail.errors import StoreError
from pipelines.decode import SourceMessage
from pipelines.detection.base import ScanResult
from pipelines.hashing import KeyedHasher
from pipelines.policy.load import load_default
from pipelines.process import audit_record
from schemas.events import LLMRequestEvent
from schemas.records import Finding
from sinks import migrate as migrations
from sinks.clickhouse import open_store
from sinks.writer import AuditWriter, SinkBatch

EXAMPLE = Path(__file__).parents[2] / "schemas" / "examples" / "llm_request_prompt.json"


@pytest.fixture()
def client(store_dsn: str):  # type: ignore[no-untyped-def]
    c = open_store(store_dsn)
    yield c
    c.close()


def test_migrations_apply_once_and_are_recorded(client) -> None:  # type: ignore[no-untyped-def]
    first = migrations.migrate(client)
    assert [m.version for m in first] == [m.version for m in migrations.available()]
    assert migrations.migrate(client) == []
    tables = {r[0] for r in client.query("SHOW TABLES").result_rows}
    assert {"audit_log", "findings", "access_log", "dead_letters", "audit_requests"} <= tables


def test_a_changed_applied_migration_stops_with_advice(client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    migrations.migrate(client)
    changed = [migrations.Migration(m.version, m.name, m.sql + "\n-- edited")
               for m in migrations.available()]
    monkeypatch.setattr(migrations, "available", lambda: changed)
    with pytest.raises(StoreError, match="add a new numbered migration"):
        migrations.migrate(client)


def test_redelivered_batch_replaces_instead_of_doubling(client) -> None:  # type: ignore[no-untyped-def]
    migrations.migrate(client)
    event = LLMRequestEvent.model_validate_json(EXAMPLE.read_text())
    text = event.audited_text()
    start = text.index("4111")
    scan = ScanResult(
        (Finding(entity_type="CREDIT_CARD", start=start, end=start + 19, score=1.0,
                 detector="CreditCardRecognizer", detector_version="v"),),
        text.replace("4111 1111 1111 1111", "<CREDIT_CARD>"),
    )
    hasher = KeyedHasher(b"k" * 32, "k1")
    writer = AuditWriter(client)
    for attempt in range(2):
        rec = audit_record(event, text, scan, hasher=hasher,
                           source=SourceMessage("llm.requests", 0, 5, b""), engine_version="e",
                           store_redacted_text=True, now=datetime(2026, 12, 1, attempt, tzinfo=UTC),
                           policy=load_default())
        report = writer.write(SinkBatch(audit=[rec.row], findings=list(rec.findings),
                                        violations=list(rec.violations)))
        assert report.rows == 3
    assert client.query("SELECT count() FROM audit_log FINAL").result_rows[0][0] == 1
    assert client.query("SELECT count() FROM findings FINAL").result_rows[0][0] == 1
    assert client.query("SELECT count() FROM guardrail_violations FINAL").result_rows[0][0] == 1
    row = client.query("SELECT finding_types, text_hash, input_hash FROM audit_log FINAL "
                       "JOIN audit_requests USING (request_id)").result_rows[0]
    assert list(row[0]) == ["CREDIT_CARD"] and row[1] == row[2] == hasher.text(text)


def test_store_dsn_must_be_absolute() -> None:
    with pytest.raises(StoreError, match="absolute"):
        open_store("chdb://relative/dir")
