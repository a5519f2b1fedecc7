from __future__ import annotations

import pytest

from pipelines.alerts.http import classify, parse_retry_after

NOW = 1_770_000_000.0  # Mon, 02 Feb 2026 02:40:00 GMT


@pytest.mark.parametrize("status", [200, 202, 204])
def test_2xx_is_delivered(status: int) -> None:
    result = classify(status, {})
    assert result.ok and result.status == status and not result.permanent


@pytest.mark.parametrize(
    ("status", "reason"),
    [(400, "client_error"), (401, "client_error"), (403, "client_error"),
     (404, "client_error"), (410, "client_error"), (422, "client_error"), (301, "redirect")],
)
def test_other_4xx_and_redirects_are_permanent(status: int, reason: str) -> None:
    result = classify(status, {"Retry-After": "5"})
    assert not result.ok and result.permanent and result.reason == reason
    assert result.retry_after is None


@pytest.mark.parametrize(
    ("status", "reason"),
    [(408, "timeout"), (429, "rate_limited"), (500, "server_error"), (502, "server_error"),
     (503, "server_error")],
)
def test_408_429_and_5xx_are_retried(status: int, reason: str) -> None:
    result = classify(status, {})
    assert not result.ok and not result.permanent and result.reason == reason


def test_429_carries_retry_after() -> None:
    assert classify(429, {"Retry-After": "30"}).retry_after == 30.0
    assert classify(503, {"Retry-After": "7"}).retry_after == 7.0


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("30", 30.0), (" 0 ", 0.0), ("Mon, 02 Feb 2026 02:41:00 GMT", 60.0),
     ("Mon, 02 Feb 2026 02:00:00 GMT", 0.0), ("soon", None), ("-5", None), ("", None),
     (None, None)],
)
def test_retry_after_is_seconds_or_an_http_date(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == seconds
