"""When to try a failed delivery again, and when to give up.

Exponential backoff with full jitter: before attempt ``n + 1`` we wait a uniform random time in
``[0, min(cap, base * 2 ** (n - 1))]``. The jitter spreads the retries of many workers after a
shared outage, so a receiver that comes back is not hit by all of them at once. A
``Retry-After`` from the receiver is a floor: we never come back earlier than it asked.

A delivery is given up (and dead-lettered) after ``max_attempts`` attempts, or when the next
wait would take it past ``max_age_s`` since its first attempt, whichever comes first. Tuning:
``max_age_s`` is how long a destination may be down before alerts for it go to the dead-letter
record; the defaults ride out a few minutes of outage without giving up, and PagerDuty's advice
for a 429 (wait a few minutes) fits under the cap.
"""

from __future__ import annotations

import random

from pydantic import BaseModel, ConfigDict, Field, model_validator


class RetryPolicy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    base_s: float = Field(default=1.0, gt=0, description="First backoff ceiling.")
    cap_s: float = Field(default=300.0, gt=0, description="Largest backoff ceiling.")
    max_attempts: int = Field(default=10, ge=1, description="Attempts, the first included.")
    max_age_s: float = Field(default=3600.0, gt=0, description="Give up this long after try 1.")

    @model_validator(mode="after")
    def _cap_not_below_base(self) -> RetryPolicy:
        if self.cap_s < self.base_s:
            raise ValueError("cap_s must be at least base_s")
        return self

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Full-jitter wait after the ``attempt``-th failed attempt (1-based)."""
        ceiling = min(self.cap_s, self.base_s * 2.0 ** min(attempt - 1, 62))
        return rng.uniform(0.0, ceiling)

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        """The wait before the next attempt: the backoff, but never less than Retry-After."""
        wait = self.backoff(attempt, rng)
        return max(wait, retry_after) if retry_after is not None else wait

    def give_up(self, attempt: int, elapsed_s: float, next_delay_s: float) -> str | None:
        """Why to stop after ``attempt`` failures, or None to keep trying."""
        if attempt >= self.max_attempts:
            return f"gave up after {attempt} attempts"
        if elapsed_s + next_delay_s > self.max_age_s:
            return f"gave up after {attempt} attempts: next try would pass {self.max_age_s:g}s"
        return None
