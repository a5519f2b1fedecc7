"""Batched Arrow inserts of one processed batch: one INSERT per table per batch.

Arrow tables are built with explicit types (chDB rejects pandas frames holding
Array(LowCardinality(String))). The caller commits Kafka offsets only after :meth:`write`
returns; a failure raises and nothing is acknowledged.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyarrow as pa

from pipelines.policy.records import GuardrailViolation
from schemas.records import AccessRow, AuditRow, DeadLetter, StoredFinding
from sinks.clickhouse import Client

_TS = pa.timestamp("ms", tz="UTC")
_STRS = pa.list_(pa.string())

AUDIT_SCHEMA = pa.schema([
    ("event_id", pa.string()), ("event_type", pa.string()), ("request_id", pa.string()),
    ("tenant_id", pa.string()), ("user_id", pa.string()), ("service", pa.string()),
    ("provider", pa.string()), ("model", pa.string()), ("model_version", pa.string()),
    ("environment", pa.string()), ("trace_id", pa.string()), ("occurred_at", _TS),
    ("ingested_at", _TS), ("text_field", pa.string()), ("text_hash", pa.string()),
    ("text_chars", pa.uint32()), ("text_redacted", pa.string()), ("scan_status", pa.string()),
    ("action", pa.string()), ("finding_types", _STRS), ("finding_count", pa.uint16()),
    ("engine_version", pa.string()), ("policy_version", pa.string()),
    ("severity", pa.string()), ("temperature", pa.float32()),
    ("max_tokens", pa.uint32()), ("seed", pa.int64()), ("parameter_names", _STRS),
    ("status", pa.string()), ("prompt_tokens", pa.uint32()),
    ("completion_tokens", pa.uint32()), ("latency_ms", pa.float32()),
    ("source_topic", pa.string()), ("source_partition", pa.uint16()),
    ("source_offset", pa.uint64()),
])

FINDINGS_SCHEMA = pa.schema([
    ("event_id", pa.string()), ("request_id", pa.string()), ("tenant_id", pa.string()),
    ("service", pa.string()), ("provider", pa.string()), ("model", pa.string()),
    ("occurred_at", _TS), ("text_field", pa.string()), ("entity_type", pa.string()),
    ("start", pa.uint32()), ("end", pa.uint32()), ("score", pa.float32()),
    ("detector", pa.string()), ("detector_version", pa.string()), ("action", pa.string()),
    ("rule_id", pa.string()), ("severity", pa.string()), ("policy_version", pa.string()),
])

VIOLATION_SCHEMA = pa.schema([
    ("violation_id", pa.string()), ("occurred_at", _TS), ("tenant_id", pa.string()),
    ("user_id", pa.string()), ("service", pa.string()), ("provider", pa.string()),
    ("model", pa.string()), ("request_id", pa.string()), ("event_id", pa.string()),
    ("text_field", pa.string()), ("rule_id", pa.string()), ("entity_type", pa.string()),
    ("start", pa.uint32()), ("end", pa.uint32()), ("score", pa.float32()),
    ("action", pa.string()), ("severity", pa.string()), ("policy_version", pa.string()),
    ("text_hash", pa.string()), ("detector", pa.string()), ("detector_version", pa.string()),
])

ACCESS_SCHEMA = pa.schema([
    ("event_id", pa.string()), ("tenant_id", pa.string()), ("user_id", pa.string()),
    ("action", pa.string()), ("occurred_at", _TS), ("ingested_at", _TS),
    ("actor_id", pa.string()), ("role", pa.string()), ("system", pa.string()),
    ("source_ip", pa.string()), ("reason", pa.string()), ("source_topic", pa.string()),
    ("source_partition", pa.uint16()), ("source_offset", pa.uint64()),
])

DEAD_LETTER_SCHEMA = pa.schema([
    ("dead_letter_id", pa.string()), ("source_topic", pa.string()),
    ("source_partition", pa.uint16()), ("source_offset", pa.uint64()), ("reason", pa.string()),
    ("error_type", pa.string()), ("payload_hash", pa.string()), ("payload_bytes", pa.uint32()),
    ("received_at", _TS),
])


@dataclass
class SinkBatch:
    audit: list[AuditRow] = field(default_factory=list)
    findings: list[StoredFinding] = field(default_factory=list)
    access: list[AccessRow] = field(default_factory=list)
    dead_letters: list[DeadLetter] = field(default_factory=list)
    violations: list[GuardrailViolation] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.audit) + len(self.access) + len(self.dead_letters)


@dataclass(frozen=True)
class WriteReport:
    rows_by_table: dict[str, int]
    seconds: float

    @property
    def rows(self) -> int:
        return sum(self.rows_by_table.values())


def _table(schema: pa.Schema, records: Sequence[dict[str, object]]) -> pa.Table:
    columns = {name: [r[name] for r in records] for name in schema.names}
    return pa.Table.from_pydict(columns, schema=schema)


def _finding_dict(stored: StoredFinding) -> dict[str, object]:
    data = stored.model_dump(exclude={"finding"})
    f = stored.finding
    data.update(
        entity_type=f.entity_type, start=f.start, end=f.end, score=f.score,
        detector=f.detector, detector_version=f.detector_version,
    )
    return data


class AuditWriter:
    """Writes a :class:`SinkBatch`; raises on any failure so the caller does not commit."""

    def __init__(self, client: Client, lock: threading.Lock | None = None) -> None:
        self._client = client
        # chDB runs in this process: one statement at a time, whichever agent writes.
        self._lock = lock or threading.Lock()

    def write(self, batch: SinkBatch) -> WriteReport:
        started = time.perf_counter()
        rows: dict[str, int] = {}
        # Findings first: a crash between inserts leaves findings whose audit row arrives on
        # redelivery, never an audit row that claims findings that are missing.
        parts: list[tuple[str, pa.Schema, list[dict[str, object]]]] = [
            ("findings", FINDINGS_SCHEMA, [_finding_dict(f) for f in batch.findings]),
            ("guardrail_violations", VIOLATION_SCHEMA,
             [v.model_dump() for v in batch.violations]),
            ("audit_log", AUDIT_SCHEMA, [r.model_dump() for r in batch.audit]),
            ("access_log", ACCESS_SCHEMA, [r.model_dump() for r in batch.access]),
            ("dead_letters", DEAD_LETTER_SCHEMA, [r.model_dump() for r in batch.dead_letters]),
        ]
        for table, schema, records in parts:
            if records:
                table_data = _table(schema, records)
                with self._lock:
                    self._client.insert_arrow(table, table_data)
                rows[table] = len(records)
        return WriteReport(rows, time.perf_counter() - started)
