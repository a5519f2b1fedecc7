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


class IncidentStateReader:
    """Rebuilds an agent's state for one key from ClickHouse, the durable record.

    The incident agent keeps open incidents in memory and the security agent keeps per-user
    state in memory; after a restart or a rebalance a key they have not seen is read back from
    here. (faust tables would do this through changelog topics, but their recovery pauses and
    re-seeks the partitions of every agent in the worker, which left the audit agent's
    manually acknowledged offsets with a gap that never committed.)
    """

    def __init__(self, client: Client, lock: threading.Lock) -> None:
        self._client = client
        self._lock = lock

    def open_incident(self, key: str) -> Incident | None:
        with self._lock:
            result = self._client.query(
                f"SELECT {', '.join(INCIDENT_COLUMNS)} FROM incidents FINAL "  # noqa: S608
                "WHERE key = {key:String} AND status != 'resolved' "
                "ORDER BY opened_at DESC LIMIT 1",
                parameters={"key": key},
            )
        if not result.result_rows:
            return None
        row = dict(zip(INCIDENT_COLUMNS, result.result_rows[0], strict=True))
        for name in ("opened_at", "last_seen_at", "updated_at", "acknowledged_at",
                     "resolved_at"):
            if row[name] is not None and row[name].tzinfo is None:
                row[name] = row[name].replace(tzinfo=UTC)
        return Incident.model_validate(row)

    def user_history(self, tenant_id: str, user_id: str) -> tuple[
            datetime | None, datetime | None, str]:
        """(deprovisioned at, last LLM request at, its request id) for one user."""
        with self._lock:
            access = self._client.query(
                "SELECT maxIf(occurred_at, action = 'user_deprovisioned') AS gone, "
                "maxIf(occurred_at, action = 'user_provisioned') AS back, "
                "countIf(action = 'user_deprovisioned') AS n FROM access_log FINAL "
                "WHERE tenant_id = {t:String} AND user_id = {u:String}",
                parameters={"t": tenant_id, "u": user_id},
            ).result_rows[0]
            used = self._client.query(
                "SELECT max(occurred_at), argMax(request_id, occurred_at), count() "
                "FROM audit_log FINAL WHERE tenant_id = {t:String} AND user_id = {u:String} "
                "AND event_type = 'llm.request'",
                parameters={"t": tenant_id, "u": user_id},
            ).result_rows[0]
        gone, back, n = access
        deprovisioned = _utc(gone) if n and (back is None or _utc(gone) >= _utc(back)) else None
        last_used = _utc(used[0]) if used[2] else None
        return deprovisioned, last_used, str(used[1] or "")


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
