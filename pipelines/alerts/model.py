"""The alert: one incident's state change, as the on-call destinations see it.

An alert describes an incident, never an event: the incident layer groups violations (same
tenant, user and rule) and submits one alert when the incident opens, is acknowledged or is
resolved. It carries counts, rule ids and tenant/service/user ids, never the audited text or
any part of it: violations do not hold the text, and the length limits below keep a caller from
smuggling a prompt into ``summary`` or ``details`` by mistake.

Two keys identify an alert. ``dedup_key`` is the incident id: stable for the incident's whole
life, so PagerDuty folds trigger, acknowledge and resolve into one alert and a webhook receiver
can upsert. ``idempotency_key`` adds the action and the incident's revision: it names one
delivery, so the dispatcher never sends the same one twice and receivers can drop a retry they
already processed.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from pipelines.policy.model import Severity

AlertAction = Literal["trigger", "acknowledge", "resolve"]
ALERT_ACTIONS: tuple[AlertAction, ...] = ("trigger", "acknowledge", "resolve")

# PagerDuty allows 255 characters of dedup_key; visible ASCII keeps it header-safe.
IncidentId = Annotated[str, StringConstraints(pattern=r"^[!-~]{1,255}$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=256)]
DetailKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")]
DetailValue = Annotated[str, StringConstraints(max_length=256)] | int | float

MAX_TITLE = 150  # Slack's limit for a header block
MAX_SUMMARY = 1024  # PagerDuty's limit for payload.summary
MAX_DETAILS = 20


class Alert(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    incident_id: IncidentId = Field(description="Stable for the incident's life; the dedup key.")
    revision: int = Field(default=0, ge=0, description="Bumped on each incident change.")
    action: AlertAction
    severity: Severity
    title: str = Field(min_length=1, max_length=MAX_TITLE)
    summary: str = Field(
        min_length=1,
        max_length=MAX_SUMMARY,
        description="Counts and ids only; built from the other fields when not given.",
    )
    tenant_id: Name
    service: Name
    rule_id: Name
    count: int = Field(ge=1, description="Violations grouped into the incident so far.")
    first_seen: AwareDatetime
    last_seen: AwareDatetime
    url: str | None = Field(
        default=None, max_length=2000, pattern=r"^https?://", description="Link to the incident."
    )
    details: dict[DetailKey, DetailValue] = Field(default_factory=dict, max_length=MAX_DETAILS)

    @model_validator(mode="before")
    @classmethod
    def _default_summary(cls, data: Any) -> Any:
        # When a part is missing or not a number, the field validators report it.
        parts = ("count", "rule_id", "tenant_id", "service")
        if (
            isinstance(data, dict)
            and not data.get("summary")
            and all(data.get(k) is not None for k in parts)
            and str(data["count"]).isdigit()
        ):
            count, *ids = (data[k] for k in parts)
            data = {**data, "summary": standard_summary(int(count), *map(str, ids))}
        return data

    @model_validator(mode="after")
    def _ordered(self) -> Alert:
        if self.last_seen < self.first_seen:
            raise ValueError("last_seen is before first_seen")
        return self

    @property
    def dedup_key(self) -> str:
        return self.incident_id

    @property
    def idempotency_key(self) -> str:
        """One delivery: the same incident, action and revision is never sent twice."""
        return f"{self.incident_id}:{self.action}:{self.revision}"


def standard_summary(count: int, rule_id: str, tenant_id: str, service: str) -> str:
    """A summary from counts and ids only, for callers that do not write their own."""
    noun = "violation" if count == 1 else "violations"
    return f"{count} guardrail {noun} of rule {rule_id} in tenant {tenant_id}, service {service}"
