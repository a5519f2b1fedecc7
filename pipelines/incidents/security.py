"""Security signals from access events and LLM activity. Pure functions over a small per-user
state (kept by the agent in a faust table keyed by tenant/user).

Rules (ids are what incidents group by):
- ``security.failed-logins``: ``FAILED_LOGINS`` failed logins within ``FAILED_LOGIN_WINDOW``.
- ``security.admin-granted``: a role whose name contains "admin" granted to a user.
- ``security.llm-after-deprovision``: LLM use at or after the user's deprovisioning (either
  order of arrival is caught: the activity may be processed before the access event).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import AwareDatetime, BaseModel, ConfigDict

from pipelines.incidents.model import Signal
from schemas.events import AccessEvent, utc

FAILED_LOGINS = 5
FAILED_LOGIN_WINDOW = timedelta(minutes=10)


class UserActivity(BaseModel):
    """LLM requests of one user seen in one worker batch (published on aitrail.user-activity)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tenant_id: str
    user_id: str
    first_at: AwareDatetime
    last_at: AwareDatetime
    requests: int
    request_id: str
    service: str


class UserState(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    deprovisioned_at: datetime | None = None
    failed_logins: tuple[datetime, ...] = ()
    last_activity_at: datetime | None = None
    last_activity_request: str = ""


def on_access(state: UserState, event: AccessEvent) -> tuple[UserState, list[Signal]]:
    at = utc(event.occurred_at)
    signals: list[Signal] = []

    def signal(rule: str, severity: str, detail: str) -> Signal:
        return Signal(kind="security", tenant_id=event.tenant_id, user_id=event.user_id,
                      rule_id=rule, severity=severity, occurred_at=at,  # type: ignore[arg-type]
                      source_id=event.event_id, detail=detail,
                      service=event.system or "identity")

    if event.action == "login_failed":
        recent = tuple(t for t in state.failed_logins if at - t <= FAILED_LOGIN_WINDOW) + (at,)
        state = state.model_copy(update={"failed_logins": recent[-FAILED_LOGINS:]})
        if len(recent) >= FAILED_LOGINS:
            signals.append(signal("security.failed-logins", "high",
                                  f"{len(recent)} failed logins within "
                                  f"{int(FAILED_LOGIN_WINDOW.total_seconds() // 60)} minutes"))
    elif event.action == "sso_login":
        state = state.model_copy(update={"failed_logins": ()})
    elif event.action == "role_granted" and "admin" in (event.role or "").lower():
        signals.append(signal("security.admin-granted", "high",
                              f"role {event.role} granted by {event.actor_id or 'unknown'}"))
    elif event.action == "user_deprovisioned":
        state = state.model_copy(update={"deprovisioned_at": at})
        if state.last_activity_at is not None and state.last_activity_at >= at:
            signals.append(signal("security.llm-after-deprovision", "critical",
                                  f"LLM request {state.last_activity_request} after "
                                  "deprovisioning"))
    elif event.action == "user_provisioned":
        state = state.model_copy(update={"deprovisioned_at": None})
    return state, signals


def on_activity(state: UserState, activity: UserActivity) -> tuple[UserState, list[Signal]]:
    last = utc(activity.last_at)
    newer = state.last_activity_at is None or last > state.last_activity_at
    if newer:
        state = state.model_copy(update={"last_activity_at": last,
                                         "last_activity_request": activity.request_id})
    gone = state.deprovisioned_at
    if gone is None or last < gone:
        return state, []
    return state, [Signal(
        kind="security", tenant_id=activity.tenant_id, user_id=activity.user_id,
        rule_id="security.llm-after-deprovision", severity="critical", occurred_at=last,
        source_id=activity.request_id, service=activity.service,
        detail=f"{activity.requests} LLM request(s) after deprovisioning",
    )]
