from datetime import UTC, datetime, timedelta

from pipelines.incidents.grouping import ESCALATE_AT, apply_command, apply_signal
from pipelines.incidents.model import IncidentCommand, Signal

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
WINDOW = timedelta(hours=1)


def signal(user: str = "u1", rule: str = "r1", at: datetime = T0,
           severity: str = "medium") -> Signal:
    return Signal(kind="guardrail", tenant_id="t", user_id=user, rule_id=rule,
                  severity=severity, occurred_at=at, source_id="v", detail="US_SSN",  # type: ignore[arg-type]
                  service="svc")


def burst(n: int, **kw: object):  # type: ignore[no-untyped-def]
    incident, events = None, []
    for i in range(n):
        incident, event = apply_signal(incident, signal(at=T0 + timedelta(seconds=i), **kw),  # type: ignore[arg-type]
                                       window=WINDOW, now=T0)
        events.append(event)
    return incident, events


def test_a_burst_is_one_incident_with_a_count() -> None:
    incident, events = burst(50)
    assert incident is not None and incident.count == 50
    assert {e.incident_id for e in events} == {incident.incident_id}
    assert [e.change for e in events].count("opened") == 1


def test_a_burst_that_keeps_going_escalates() -> None:
    incident, events = burst(max(ESCALATE_AT))
    assert incident is not None
    assert incident.initial_severity == "medium" and incident.severity == "critical"
    assert [e.change for e in events].count("escalated") == len(ESCALATE_AT)


def test_a_signal_after_the_window_opens_a_new_incident() -> None:
    first, _ = apply_signal(None, signal(), window=WINDOW, now=T0)
    second, event = apply_signal(first, signal(at=T0 + WINDOW + timedelta(seconds=1)),
                                 window=WINDOW, now=T0)
    assert event.change == "opened" and second.incident_id != first.incident_id


def test_ack_then_resolve_records_who_and_is_idempotent() -> None:
    incident, _ = apply_signal(None, signal(), window=WINDOW, now=T0)

    def command(action: str) -> IncidentCommand:
        return IncidentCommand(incident_id=incident.incident_id, key=incident.key,
                               action=action, actor="alice", issued_at=T0)  # type: ignore[arg-type]

    acked = apply_command(incident, command("acknowledge"), now=T0)
    assert acked is not None and acked[0].status == "acknowledged"
    assert acked[0].acknowledged_by == "alice" and acked[1].change == "acknowledged"
    assert apply_command(acked[0], command("acknowledge"), now=T0) is None
    resolved = apply_command(acked[0], command("resolve"), now=T0)
    assert resolved is not None and resolved[0].status == "resolved"
    assert apply_command(resolved[0], command("resolve"), now=T0) is None
    reopened, event = apply_signal(resolved[0], signal(), window=WINDOW, now=T0)
    assert event.change == "opened" and reopened.incident_id == incident.incident_id
    assert reopened.revision == 1 and reopened.status == "open"
