from __future__ import annotations

import random

import pytest
from pydantic import ValidationError

from pipelines.alerts.retry import RetryPolicy


def test_backoff_is_full_jitter_under_an_exponential_ceiling() -> None:
    policy = RetryPolicy(base_s=1.0, cap_s=60.0)
    rng = random.Random(7)
    for attempt, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (6, 32.0), (7, 60.0), (40, 60.0)]:
        waits = [policy.backoff(attempt, rng) for _ in range(2000)]
        assert all(0.0 <= w <= ceiling for w in waits)
        # full jitter: the waits spread over the whole range, not bunched near the ceiling
        assert min(waits) < 0.05 * ceiling and max(waits) > 0.95 * ceiling


def test_retry_after_is_a_floor() -> None:
    policy = RetryPolicy(base_s=1.0, cap_s=4.0)
    rng = random.Random(1)
    assert all(policy.delay(3, 30.0, rng) == 30.0 for _ in range(100))
    assert all(policy.delay(1, 0.0, rng) <= 1.0 for _ in range(100))


def test_give_up_on_attempts_or_age() -> None:
    policy = RetryPolicy(max_attempts=3, max_age_s=100.0)
    assert policy.give_up(2, elapsed_s=10.0, next_delay_s=5.0) is None
    assert policy.give_up(3, elapsed_s=10.0, next_delay_s=5.0) == "gave up after 3 attempts"
    reason = policy.give_up(2, elapsed_s=90.0, next_delay_s=11.0)
    assert reason is not None and "100s" in reason


def test_cap_below_base_is_refused() -> None:
    with pytest.raises(ValidationError, match="cap_s must be at least base_s"):
        RetryPolicy(base_s=10.0, cap_s=1.0)
