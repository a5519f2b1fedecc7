"""Alerts, fake destinations, a fake clock and recorders shared by the alert tests."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp

from pipelines.alerts.http import DeliveryResult
from pipelines.alerts.model import Alert

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
OK = DeliveryResult(ok=True, status=200)
DOWN = DeliveryResult(ok=False, reason="connection")
BUSY = DeliveryResult(ok=False, status=503, reason="server_error")


def make_alert(**overrides: Any) -> Alert:
    values: dict[str, Any] = {
        "incident_id": "tenant-a/user-7/secrets.aws",
        "revision": 0,
        "action": "trigger",
        "severity": "high",
        "title": "AWS key in prompts",
        "tenant_id": "tenant-a",
        "service": "support-bot",
        "rule_id": "secrets.aws",
        "count": 3,
        "first_seen": T0,
        "last_seen": T0 + timedelta(minutes=4),
    }
    values.update(overrides)
    return Alert(**values)


class FakeDestination:
    """Returns scripted results (then ``default``); can be held on a gate to look slow."""

    def __init__(
        self,
        name: str,
        results: list[DeliveryResult] | None = None,
        default: DeliveryResult = OK,
        gate: asyncio.Event | None = None,
        on_send: Callable[[Alert], None] | None = None,
    ) -> None:
        self.name = name
        self.results = list(results or [])
        self.default = default
        self.gate = gate
        self.on_send = on_send
        self.calls: list[Alert] = []

    async def send(self, session: aiohttp.ClientSession, alert: Alert) -> DeliveryResult:
        self.calls.append(alert)
        if self.on_send is not None:
            self.on_send(alert)
        if self.gate is not None:
            await self.gate.wait()
        return self.results.pop(0) if self.results else self.default

    @property
    def delivered(self) -> list[str]:
        return [a.idempotency_key for a in self.calls]


class FakeClock:
    """Monotonic time that only moves when the dispatcher sleeps; records every wait."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


class RecordingMetrics:
    def __init__(self) -> None:
        self.counts: Counter[tuple[str, ...]] = Counter()
        self.depths: dict[str, int] = {}

    def sent(self, destination: str, action: str) -> None:
        self.counts["sent", destination, action] += 1

    def failed(self, destination: str, reason: str) -> None:
        self.counts["failed", destination, reason] += 1

    def dead_lettered(self, destination: str) -> None:
        self.counts["dead_lettered", destination] += 1

    def coalesced(self, destination: str) -> None:
        self.counts["coalesced", destination] += 1

    def queue_depth(self, destination: str, depth: int) -> None:
        self.depths[destination] = depth


class DeadLetters:
    """The on_dead_letter callback: records (idempotency key, destination, reason, attempts)."""

    def __init__(self) -> None:
        self.records: list[tuple[str, str, str, int]] = []

    async def __call__(self, alert: Alert, destination: str, reason: str, attempts: int) -> None:
        self.records.append((alert.idempotency_key, destination, reason, attempts))


async def until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    """Yield to the loop until ``predicate`` holds; fail after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.001)
