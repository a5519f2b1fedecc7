from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from pydantic import ValidationError

from pipelines.alerts.model import MAX_SUMMARY, MAX_TITLE
from tests.unit.alerts.samples import T0, make_alert


def test_dedup_key_is_the_incident_and_idempotency_adds_action_and_revision() -> None:
    alert = make_alert(action="acknowledge", revision=4)
    assert alert.dedup_key == "tenant-a/user-7/secrets.aws"
    assert alert.idempotency_key == "tenant-a/user-7/secrets.aws:acknowledge:4"
    assert make_alert(action="resolve").dedup_key == alert.dedup_key


def test_the_default_summary_holds_counts_and_ids_only() -> None:
    assert make_alert(count=1).summary == (
        "1 guardrail violation of rule secrets.aws in tenant tenant-a, service support-bot"
    )
    assert make_alert(count=12).summary.startswith("12 guardrail violations of rule")
    assert make_alert(summary="12 hits in 4 minutes").summary == "12 hits in 4 minutes"


def test_alerts_are_frozen_and_closed() -> None:
    alert = make_alert()
    with pytest.raises(ValidationError):
        alert.count = 9
    with pytest.raises(ValidationError, match="extra"):
        make_alert(prompt="my key is AKIA...")


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"last_seen": T0 - timedelta(seconds=1)}, "last_seen is before first_seen"),
        ({"first_seen": datetime(2026, 3, 1, 12, 0)}, "timezone"),
        ({"title": "x" * (MAX_TITLE + 1)}, "at most 150"),
        ({"summary": "x" * (MAX_SUMMARY + 1)}, "at most 1024"),
        ({"incident_id": "has space"}, "pattern"),
        ({"incident_id": "x" * 256}, "pattern"),
        ({"count": 0}, "greater than or equal to 1"),
        ({"severity": "urgent"}, "severity"),
        ({"action": "escalate"}, "action"),
        ({"url": "javascript:alert(1)"}, "pattern"),
        ({"details": {"note": "x" * 257}}, "at most 256"),
        ({"details": {f"k{i}": i for i in range(21)}}, "at most 20"),
        ({"details": {"bad key": 1}}, "pattern"),
    ],
)
def test_limits_keep_alerts_small_and_ids_header_safe(
    overrides: dict[str, object], problem: str
) -> None:
    with pytest.raises(ValidationError, match=problem):
        make_alert(**overrides)


def test_details_take_strings_and_numbers() -> None:
    alert = make_alert(details={"users": 2, "score": 0.93, "policy": "sha256:0123456789abcdef"})
    assert alert.details == {"users": 2, "score": 0.93, "policy": "sha256:0123456789abcdef"}
