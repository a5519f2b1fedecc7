"""The faust side of incidents: two agents and their tables.

- ``incidents`` reads guardrail violations and the incident input topic (operators' commands
  and security signals), all keyed by tenant/user/rule so that one agent instance owns each
  incident; it keeps the open incident per key in memory (read back from ClickHouse after a
  restart or rebalance), records
  every lifecycle change (opened, escalated, acknowledged, resolved) in ClickHouse and on
  ``aitrail.incidents``, and hands one alert per change that on-call cares about (opened,
  acknowledged, resolved) to the alert dispatcher. Count updates only touch the latest state;
  they are buffered and written once a second, so after a crash a count may be a second behind.
- ``security`` reads access events and the workers' user-activity records, keyed by
  tenant/user; it keeps per-user state in memory (rebuilt from access_log and audit_log on a
  miss) and emits security signals.

Both process one event at a time: the volume is violations, not traffic.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import faust
from pydantic import ValidationError

from aitrail import metrics
from aitrail.settings import Settings
from pipelines.alerts.model import Alert, AlertAction, standard_summary
from pipelines.incidents.grouping import apply_command, apply_signal
from pipelines.incidents.model import (
    Incident,
    IncidentCommand,
    IncidentEvent,
    SecuritySignal,
    Signal,
    severity_at_least,
)
from pipelines.incidents.security import UserActivity, UserState, on_access, on_activity
from pipelines.policy.records import GuardrailViolation
from schemas.events import AccessEvent
from sinks.incident_writer import IncidentStateReader, IncidentWriter

log = logging.getLogger("aitrail.incidents")

COUNT_FLUSH_S = 1.0
ALERT_ACTION: dict[str, AlertAction] = {
    "opened": "trigger", "acknowledged": "acknowledge", "resolved": "resolve",
}


class AlertSink(Protocol):
    def submit(self, alert: Alert) -> None: ...


def to_alert(event: IncidentEvent) -> Alert | None:
    action = ALERT_ACTION.get(event.change)
    if action is None:
        return None
    i = event.incident
    return Alert(
        incident_id=i.incident_id, revision=i.revision, action=action, severity=i.severity,
        title=i.title[:150], tenant_id=i.tenant_id, service=i.service or "-",
        rule_id=i.rule_id, count=i.count, first_seen=i.opened_at, last_seen=i.last_seen_at,
        summary=standard_summary(i.count, i.rule_id, i.tenant_id, i.service or "-"),
        details={"user_id": i.user_id[:256], "kind": i.kind, "status": i.status,
                 "key": i.key[:256], "detail": i.last_detail[:256]},
    )


def signal_from_violation(v: GuardrailViolation) -> Signal:
    return Signal(kind="guardrail", tenant_id=v.tenant_id, user_id=v.user_id,
                  rule_id=v.rule_id, severity=v.severity, occurred_at=v.occurred_at,
                  source_id=v.violation_id, detail=v.entity_type, service=v.service)


def install(app: faust.App, settings: Settings, writer: Callable[[], IncidentWriter],
            alerts: Callable[[], AlertSink | None], reader: IncidentStateReader) -> None:
    names = settings.topics
    window = timedelta(seconds=settings.incident_window_s)
    # In memory, read back from ClickHouse on a miss (see IncidentStateReader for why these
    # are not faust tables).
    incident_table: dict[str, Incident] = {}
    user_table: dict[str, UserState] = {}

    async def incident_for(key: str) -> Incident | None:
        if key not in incident_table:
            found = await asyncio.to_thread(reader.open_incident, key)
            if found is None:
                return None
            incident_table[key] = found
        return incident_table[key]

    async def user_state(tenant_id: str, user_id: str) -> UserState:
        key = f"{tenant_id}/{user_id}"
        if key not in user_table:
            gone, used, request = await asyncio.to_thread(reader.user_history, tenant_id,
                                                          user_id)
            user_table[key] = UserState(deprovisioned_at=gone, last_activity_at=used,
                                        last_activity_request=request)
        return user_table[key]
    incident_out = app.topic(names.incidents, value_serializer="raw", key_serializer="raw")
    commands = app.topic(names.incident_commands, value_serializer="raw", key_serializer="raw")
    inputs = app.topic(names.violations, names.incident_commands,
                       value_serializer="raw", key_serializer="raw")
    security_in = app.topic(names.access_events, names.user_activity,
                            value_serializer="raw", key_serializer="raw")

    pending_counts: dict[str, Incident] = {}

    async def record_count(incident: Incident) -> None:
        """A count update changes only the latest state: buffered, flushed every second."""
        pending_counts[incident.incident_id] = incident
        metrics.INCIDENT_CHANGES.labels("updated", incident.severity).inc()

    @app.timer(interval=COUNT_FLUSH_S)  # type: ignore[untyped-decorator]
    async def flush_counts() -> None:
        if pending_counts:
            batch = list(pending_counts.values())
            pending_counts.clear()
            await asyncio.to_thread(writer().write_states, batch)

    @app.on_before_shutdown.connect  # type: ignore[arg-type]
    async def flush_counts_at_shutdown(app: faust.App, **_: Any) -> None:
        await flush_counts()

    async def record(event: IncidentEvent) -> None:
        if event.change == "updated":
            await record_count(event.incident)
            return
        pending_counts.pop(event.incident_id, None)
        await asyncio.to_thread(writer().write, event)
        # Not awaited one by one: faust flushes its producer before it commits any offset, so
        # the change is on the topic before the violation that caused it counts as done.
        await incident_out.send(key=event.incident_id.encode(),
                                value=event.model_dump_json().encode())
        metrics.INCIDENT_CHANGES.labels(event.change, event.incident.severity).inc()
        alert = to_alert(event)
        sink = alerts()
        if alert is not None and sink is not None:
            sink.submit(alert)
        log.info("incident %s %s: %s (%s, count %d)", event.incident_id, event.change,
                 event.incident.rule_id, event.incident.severity, event.incident.count)

    @app.agent(inputs)
    async def incidents(stream: Any) -> None:
        async for event in stream.events():
            topic, raw = event.message.topic, event.value
            now = datetime.now(UTC)
            try:
                if topic == names.violations:
                    violation = GuardrailViolation.model_validate_json(raw)
                    if not severity_at_least(violation.severity, settings.incident_min_severity):
                        continue
                    signal: Signal | None = signal_from_violation(violation)
                    command = None
                else:
                    body = json.loads(raw)
                    if body.get("type") == "security.signal":
                        signal, command = SecuritySignal.model_validate(body).signal, None
                    else:
                        signal, command = None, IncidentCommand.model_validate(body)
            except (ValidationError, ValueError) as exc:
                log.error("unreadable message on %s (%s); skipped", topic, type(exc).__name__)
                continue
            key = signal.key if signal is not None else command.key  # type: ignore[union-attr]
            current = await incident_for(key)
            if signal is not None:
                incident, change = apply_signal(current, signal, window=window, now=now)
            else:
                assert command is not None
                if current is None or current.incident_id != command.incident_id:
                    log.warning("no open incident %s for %s; command ignored",
                                command.incident_id, key)
                    continue
                result = apply_command(current, command, now=now)
                if result is None:
                    continue
                incident, change = result
            incident_table[key] = incident
            await record(change)

    @app.agent(security_in)
    async def security(stream: Any) -> None:
        async for event in stream.events():
            topic, raw = event.message.topic, event.value
            try:
                if topic == names.access_events:
                    access = AccessEvent.model_validate_json(raw)
                    key = f"{access.tenant_id}/{access.user_id}"
                    state = await user_state(access.tenant_id, access.user_id)
                    state, signals = on_access(state, access)
                else:
                    activity = UserActivity.model_validate_json(raw)
                    key = f"{activity.tenant_id}/{activity.user_id}"
                    state = await user_state(activity.tenant_id, activity.user_id)
                    state, signals = on_activity(state, activity)
            except (ValidationError, ValueError):
                continue  # the audit agent dead-letters bad access events
            user_table[key] = state
            for signal in signals:
                await commands.send(key=signal.key.encode(),
                                    value=SecuritySignal(signal=signal).model_dump_json().encode())

