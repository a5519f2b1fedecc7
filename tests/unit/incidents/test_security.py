from datetime import UTC, datetime, timedelta

from pipelines.incidents.security import (
    FAILED_LOGINS,
    UserActivity,
    UserState,
    on_access,
    on_activity,
)
from schemas.events import AccessEvent

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def access(action: str, at: datetime = T0, role: str | None = None) -> AccessEvent:
    return AccessEvent(event_id=f"e-{action}-{at.timestamp()}", tenant_id="t", user_id="u",
                       action=action, occurred_at=at, role=role, system="okta")  # type: ignore[arg-type]


def activity(at: datetime) -> UserActivity:
    return UserActivity(tenant_id="t", user_id="u", first_at=at, last_at=at, requests=1,
                        request_id="req-1", service="support-bot")


def test_repeated_failed_logins_signal_once_the_threshold_is_reached() -> None:
    state, fired = UserState(), []
    for i in range(FAILED_LOGINS):
        state, signals = on_access(state, access("login_failed", T0 + timedelta(seconds=i)))
        fired.append(signals)
    assert all(not s for s in fired[:-1])
    assert [s.rule_id for s in fired[-1]] == ["security.failed-logins"]


def test_admin_role_granted_signals() -> None:
    _, signals = on_access(UserState(), access("role_granted", role="org-admin"))
    assert [s.rule_id for s in signals] == ["security.admin-granted"]
    _, signals = on_access(UserState(), access("role_granted", role="viewer"))
    assert signals == []


def test_llm_use_after_deprovisioning_signals_in_either_order() -> None:
    gone, _ = on_access(UserState(), access("user_deprovisioned"))
    _, signals = on_activity(gone, activity(T0 + timedelta(minutes=5)))
    assert [s.rule_id for s in signals] == ["security.llm-after-deprovision"]
    assert signals[0].severity == "critical"

    seen, signals = on_activity(UserState(), activity(T0 + timedelta(minutes=5)))
    assert signals == []
    _, signals = on_access(seen, access("user_deprovisioned"))
    assert [s.rule_id for s in signals] == ["security.llm-after-deprovision"]


def test_use_before_deprovisioning_is_fine() -> None:
    seen, _ = on_activity(UserState(), activity(T0 - timedelta(minutes=5)))
    _, signals = on_access(seen, access("user_deprovisioned"))
    assert signals == []
