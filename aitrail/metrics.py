"""Every Prometheus metric aitrail exports, declared in one place.

Names follow ``aitrail_<subsystem>_<what>_<unit>``; labels are bounded (topic, outcome, entity
type, table), never a user id, tenant id or any text.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

EVENTS = Counter(
    "aitrail_worker_events_total",
    "Messages the worker finished, by source topic and outcome (stored, dead_letter).",
    ["topic", "outcome"],
)
FINDINGS = Counter(
    "aitrail_worker_findings_total", "Findings by entity type.", ["entity_type"]
)
UNSCANNED = Counter(
    "aitrail_worker_unscanned_total",
    "Texts stored unscanned with their text withheld because detection failed (fail closed).",
)
BATCH_SECONDS = Histogram(
    "aitrail_worker_batch_stage_seconds",
    "Time per batch by stage (detect, sink, dead_letters).",
    ["stage"],
    buckets=(0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
BATCH_EVENTS = Histogram(
    "aitrail_worker_batch_events",
    "Events per batch taken from the stream.",
    buckets=(1, 10, 50, 100, 250, 500, 1000, 2500, 5000),
)
END_TO_END_SECONDS = Histogram(
    "aitrail_worker_end_to_end_seconds",
    "From the event's occurred_at to its row being stored.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300),
)
VIOLATIONS = Counter(
    "aitrail_worker_violations_total",
    "Guardrail violations by policy rule, action and severity.",
    ["rule", "action", "severity"],
)
INCIDENT_CHANGES = Counter(
    "aitrail_incidents_changes_total",
    "Incident changes (opened, updated, escalated, acknowledged, resolved) by severity.",
    ["change", "severity"],
)
CONSUMER_LAG = Gauge(
    "aitrail_worker_consumer_lag_messages",
    "Messages on the source topics not yet committed by the worker group (checked every 15 s).",
)
SINK_ROWS = Counter("aitrail_sink_rows_total", "Rows inserted into ClickHouse.", ["table"])
SINK_FAILURES = Counter(
    "aitrail_sink_failures_total", "Failed batch inserts (each is retried; nothing is acked)."
)
