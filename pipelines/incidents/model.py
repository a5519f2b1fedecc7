"""Incident records: the latest state, the timeline events, and the inputs that drive them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

Severity = Literal["info", "low", "medium", "high", "critical"]
SEVERITIES: tuple[Severity, ...] = ("info", "low", "medium", "high", "critical")
Status = Literal["open", "acknowledged", "resolved"]
IncidentKind = Literal["guardrail", "security"]
Change = Literal["opened", "updated", "escalated", "acknowledged", "resolved"]


def severity_at_least(value: str, floor: str) -> bool:
    return SEVERITIES.index(value) >= SEVERITIES.index(floor)  # type: ignore[arg-type,unused-ignore]


def raise_severity(value: Severity, steps: int) -> Severity:
    return SEVERITIES[min(len(SEVERITIES) - 1, SEVERITIES.index(value) + steps)]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Signal(_Record):
    """One thing that counts towards an incident: a guardrail violation or a security event."""

    kind: IncidentKind
    tenant_id: str
    user_id: str
    rule_id: str
    severity: Severity
    occurred_at: AwareDatetime
    source_id: str = Field(description="Violation id or access event id; never text.")
    service: str = Field("", description="Service of the violation, or the identity system.")
    detail: str = Field("", description="Type or reason, e.g. US_SSN or 'role admin granted'.")

    @property
    def key(self) -> str:
        return incident_key(self.tenant_id, self.user_id, self.rule_id)


def incident_key(tenant_id: str, user_id: str, rule_id: str) -> str:
    return f"{tenant_id}/{user_id}/{rule_id}"


class IncidentCommand(_Record):
    """An operator's acknowledge or resolve, sent by ``aitrail incident ack|resolve``."""

    type: Literal["incident.command"] = "incident.command"
    incident_id: str
    key: str
    action: Literal["acknowledge", "resolve"]
    actor: str = Field(min_length=1)
    note: str = Field("", max_length=1000)
    issued_at: AwareDatetime


class SecuritySignal(_Record):
    """A security signal on the incident input topic (next to operator commands)."""

    type: Literal["security.signal"] = "security.signal"
    signal: Signal


class Incident(_Record):
    """The latest state of one incident; ``revision`` grows with every change."""

    incident_id: str
    key: str
    kind: IncidentKind
    tenant_id: str
    user_id: str
    rule_id: str
    status: Status
    severity: Severity
    initial_severity: Severity
    count: int
    opened_at: datetime
    last_seen_at: datetime
    updated_at: datetime
    revision: int
    acknowledged_by: str = ""
    acknowledged_at: datetime | None = None
    resolved_by: str = ""
    resolved_at: datetime | None = None
    last_detail: str = ""
    service: str = ""

    @property
    def title(self) -> str:
        what = "Security" if self.kind == "security" else "Guardrail"
        return f"{what} incident: {self.rule_id} by {self.user_id} ({self.tenant_id})"


class IncidentEvent(_Record):
    """One entry of an incident's timeline, as published on ``aitrail.incidents``."""

    incident_id: str
    revision: int
    change: Change
    at: datetime
    actor: str
    note: str
    incident: Incident
