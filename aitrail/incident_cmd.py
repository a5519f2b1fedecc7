"""``aitrail incident list|show|ack|resolve``.

``list`` and ``show`` read ClickHouse (for an embedded chdb store, stop the worker first).
``ack`` and ``resolve`` are commands: they find the incident's key on the ``aitrail.incidents``
topic and send the command to the incident agent, which owns the incident's state; the change
then appears in ClickHouse, on the topic and at the on-call destinations.
"""

from __future__ import annotations

import getpass
import uuid
from datetime import UTC, datetime

from confluent_kafka import Consumer, TopicPartition

from aitrail.errors import AitrailError
from aitrail.producer import AuditProducer
from aitrail.settings import Settings
from pipelines.incidents.model import IncidentCommand, IncidentEvent
from sinks.clickhouse import open_store
from sinks.queries import QueryResult, format_table, run

LIST_SQL = """
SELECT incident_id, status, severity, kind, rule_id, tenant_id, user_id, count,
       opened_at, last_seen_at, acknowledged_by, resolved_by
FROM incidents FINAL
WHERE {status:String} = '' OR status = {status:String}
ORDER BY opened_at DESC
LIMIT {limit:UInt32}
"""
SHOW_SQL = """
SELECT at, change, actor, status, severity, count, note
FROM incident_events FINAL
WHERE incident_id = {id:String}
ORDER BY revision, at
"""


def list_incidents(settings: Settings, status: str | None, limit: int) -> str:
    client = open_store(settings.clickhouse_dsn)
    try:
        return format_table(run(client, LIST_SQL, {"status": status or "", "limit": limit}))
    finally:
        client.close()


def show_incident(settings: Settings, incident_id: str) -> str:
    client = open_store(settings.clickhouse_dsn)
    try:
        state = run(client, "SELECT * FROM incidents FINAL WHERE incident_id = {id:String}",
                    {"id": incident_id})
        if not state.rows:
            raise AitrailError(f"no incident {incident_id}; `aitrail incident list` shows them")
        fields = "\n".join(f"  {c:<16} {v}" for c, v in zip(state.columns, state.rows[0],
                                                             strict=True))
        timeline: QueryResult = run(client, SHOW_SQL, {"id": incident_id})
        return f"incident {incident_id}\n{fields}\n\ntimeline:\n{format_table(timeline)}"
    finally:
        client.close()


def find_latest(settings: Settings, incident_id: str, timeout_s: float = 10.0
                ) -> IncidentEvent:
    """The newest state of an incident, read from the incidents topic."""
    topic = settings.topics.incidents
    consumer = Consumer({**settings.kafka_config(), "group.id": f"aitrail-cli-{uuid.uuid4()}",
                         "enable.auto.commit": False})
    try:
        meta = consumer.list_topics(topic, timeout=timeout_s).topics.get(topic)
        if meta is None or meta.error is not None:
            raise AitrailError(f"topic {topic} not found; is the worker running on this Kafka?")
        parts = [TopicPartition(topic, p, 0) for p in meta.partitions]
        ends = {p.partition: consumer.get_watermark_offsets(p, timeout=timeout_s)[1]
                for p in parts}
        consumer.assign(parts)
        latest: IncidentEvent | None = None
        remaining = {p for p, end in ends.items() if end > 0}
        while remaining:
            msg = consumer.poll(timeout_s)
            if msg is None:
                break
            if msg.error() is not None:
                continue
            partition, offset, value = msg.partition(), msg.offset(), msg.value()
            if partition is None or offset is None or value is None:
                continue
            if offset >= ends[partition] - 1:
                remaining.discard(partition)
            if msg.key() == incident_id.encode():
                event = IncidentEvent.model_validate_json(value)
                if latest is None or event.revision > latest.revision:
                    latest = event
        if latest is None:
            raise AitrailError(f"no incident {incident_id} on {topic}")
        return latest
    finally:
        consumer.close()


def send_command(settings: Settings, incident_id: str, action: str, actor: str | None,
                 note: str) -> str:
    latest = find_latest(settings, incident_id)
    command = IncidentCommand(
        incident_id=incident_id, key=latest.incident.key, action=action,  # type: ignore[arg-type]
        actor=actor or getpass.getuser(), note=note, issued_at=datetime.now(UTC),
    )
    with AuditProducer(settings.kafka_bootstrap_servers, settings.topic_prefix) as producer:
        producer.send_raw(settings.topics.incident_commands,
                          command.model_dump_json().encode(), command.key)
    return (f"{action} sent for {incident_id} ({latest.incident.rule_id}, "
            f"{latest.incident.status} at revision {latest.revision}) as {command.actor}")
