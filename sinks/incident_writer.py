"""Writes incident changes: the latest state to ``incidents``, the change to
``incident_events``, and undeliverable alerts to ``alert_dead_letters``."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from pipelines.incidents.model import Incident, IncidentEvent
from sinks.clickhouse import Client

INCIDENT_COLUMNS = [
    "incident_id", "key", "kind", "tenant_id", "user_id", "rule_id", "service", "status",
    "severity", "initial_severity", "count", "opened_at", "last_seen_at", "updated_at",
    "revision", "acknowledged_by", "acknowledged_at", "resolved_by", "resolved_at",
    "last_detail",
]
EVENT_COLUMNS = ["incident_id", "revision", "change", "at", "actor", "note", "status",
                 "severity", "count"]


class IncidentWriter:
    def __init__(self, client: Client, lock: threading.Lock) -> None:
        self._client = client
        self._lock = lock

    def write_states(self, incidents: list[Incident]) -> None:
        """Latest states only (count updates), many incidents in one insert."""
        rows = [[state[c] for c in INCIDENT_COLUMNS]
                for state in (i.model_dump() for i in incidents)]
        with self._lock:
            self._client.insert("incidents", rows, column_names=INCIDENT_COLUMNS)

    def write(self, event: IncidentEvent) -> None:
        incident = event.incident
        state = incident.model_dump()
        with self._lock:
            self._client.insert("incidents", [[state[c] for c in INCIDENT_COLUMNS]],
                                column_names=INCIDENT_COLUMNS)
            self._client.insert(
                "incident_events",
                [[event.incident_id, event.revision, event.change, event.at, event.actor,
                  event.note, incident.status, incident.severity, incident.count]],
                column_names=EVENT_COLUMNS,
            )

    def alert_dead_letter(self, incident_id: str, action: str, revision: int,
                          destination: str, reason: str, attempts: int) -> None:
        with self._lock:
            self._client.insert(
                "alert_dead_letters",
                [[incident_id, action, revision, destination, reason[:1000], attempts,
                  datetime.now(UTC)]],
                column_names=["incident_id", "action", "revision", "destination", "reason",
                              "attempts", "at"],
            )
