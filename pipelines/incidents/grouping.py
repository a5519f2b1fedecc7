"""How signals become incidents, and how operators move them along. Pure functions.

- A signal joins the open (or acknowledged) incident of its key (tenant, user, rule) if it
  comes within ``window`` of the incident's last signal; otherwise it opens a new incident.
  A resolved incident is never reopened: the next signal opens a new one.
- An incident escalates one severity level when its count reaches each of
  ``ESCALATE_AT`` (a burst that keeps going is worse than one slip).
- Acknowledge and resolve are idempotent: repeating them changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pipelines.ids import stable_id
from pipelines.incidents.model import (
    Incident,
    IncidentCommand,
    IncidentEvent,
    Signal,
    raise_severity,
)

ESCALATE_AT = (10, 50)


def apply_signal(current: Incident | None, signal: Signal, *, window: timedelta,
                 now: datetime) -> tuple[Incident, IncidentEvent]:
    if current is None or current.status == "resolved" or (
            signal.occurred_at - current.last_seen_at > window):
        incident = Incident(
            incident_id="inc-" + stable_id(signal.key, signal.occurred_at.isoformat())[:20],
            key=signal.key, kind=signal.kind, tenant_id=signal.tenant_id,
            user_id=signal.user_id, rule_id=signal.rule_id, status="open",
            severity=signal.severity, initial_severity=signal.severity, count=1,
            opened_at=signal.occurred_at, last_seen_at=signal.occurred_at, updated_at=now,
            revision=1, last_detail=signal.detail, service=signal.service,
        )
        return incident, _event(incident, "opened", now, "aitrail", "")
    count = current.count + 1
    steps = sum(1 for threshold in ESCALATE_AT if count >= threshold)
    severity = raise_severity(current.initial_severity, steps)
    escalated = severity != current.severity
    incident = current.model_copy(update={
        "count": count, "severity": severity, "updated_at": now,
        "last_seen_at": max(current.last_seen_at, signal.occurred_at),
        "revision": current.revision + 1, "last_detail": signal.detail,
        "service": signal.service or current.service,
    })
    change = "escalated" if escalated else "updated"
    return incident, _event(incident, change, now, "aitrail", "")


def apply_command(current: Incident, command: IncidentCommand, *, now: datetime
                  ) -> tuple[Incident, IncidentEvent] | None:
    """The new state and its timeline entry, or None when the command changes nothing."""
    if command.action == "acknowledge":
        if current.status != "open":
            return None
        incident = current.model_copy(update={
            "status": "acknowledged", "acknowledged_by": command.actor,
            "acknowledged_at": now, "updated_at": now, "revision": current.revision + 1,
        })
        return incident, _event(incident, "acknowledged", now, command.actor, command.note)
    if current.status == "resolved":
        return None
    incident = current.model_copy(update={
        "status": "resolved", "resolved_by": command.actor, "resolved_at": now,
        "updated_at": now, "revision": current.revision + 1,
    })
    return incident, _event(incident, "resolved", now, command.actor, command.note)


def _event(incident: Incident, change: str, at: datetime, actor: str, note: str
           ) -> IncidentEvent:
    return IncidentEvent(incident_id=incident.incident_id, revision=incident.revision,
                         change=change, at=at, actor=actor, note=note,  # type: ignore[arg-type]
                         incident=incident)
