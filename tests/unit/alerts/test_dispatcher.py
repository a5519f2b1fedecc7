from __future__ import annotations

import asyncio
import inspect
import random
from collections.abc import Awaitable, Callable

import pytest

from pipelines.alerts.dispatcher import AlertDispatcher
from pipelines.alerts.errors import DispatcherClosed
from pipelines.alerts.http import DeliveryResult
from pipelines.alerts.model import Alert
from pipelines.alerts.retry import RetryPolicy
from tests.unit.alerts.samples import (
    BUSY,
    DOWN,
    DeadLetters,
    FakeClock,
    FakeDestination,
    RecordingMetrics,
    make_alert,
    until,
)

Scenario = Callable[[AlertDispatcher], Awaitable[None]]


class Harness:
    def __init__(self, *destinations: FakeDestination, **options: object) -> None:
        self.clock = FakeClock()
        self.metrics = RecordingMetrics()
        self.dead = DeadLetters()
        self.destinations = destinations
        self.options: dict[str, object] = {
            "retry": RetryPolicy(base_s=1.0, cap_s=8.0, max_attempts=5, max_age_s=1000.0),
            **options,
        }

    def run(self, scenario: Scenario, drain_timeout: float = 5.0) -> None:
        async def main() -> None:
            dispatcher = AlertDispatcher(
                list(self.destinations), self.dead, metrics=self.metrics,
                sleep=self.clock.sleep, clock=self.clock, rng=random.Random(3),
                **self.options,  # type: ignore[arg-type]
            )
            await dispatcher.start()
            try:
                await scenario(dispatcher)
            finally:
                await dispatcher.stop(drain_timeout)

        asyncio.run(main())


def alert(incident: str = "i1", action: str = "trigger", revision: int = 0) -> Alert:
    return make_alert(incident_id=incident, action=action, revision=revision)


def test_submit_is_a_plain_function_that_never_awaits() -> None:
    assert not inspect.iscoroutinefunction(AlertDispatcher.submit)
    gate = asyncio.Event()
    stuck = FakeDestination("webhook", gate=gate)
    h = Harness(stuck)

    async def scenario(d: AlertDispatcher) -> None:
        for i in range(50):
            d.submit(alert(f"i{i}"))  # returns although the destination never answers
        await until(lambda: len(stuck.calls) == 1)
        assert d.depth("webhook") == 50
        gate.set()
        await until(lambda: len(stuck.calls) == 50)

    h.run(scenario)
    assert h.metrics.counts["sent", "webhook", "trigger"] == 50


def test_every_destination_gets_every_alert_in_order() -> None:
    a, b = FakeDestination("slack"), FakeDestination("pagerduty")
    h = Harness(a, b)
    lifecycle = [alert(), alert(action="acknowledge"), alert(action="resolve")]

    async def scenario(d: AlertDispatcher) -> None:
        for x in lifecycle:
            d.submit(x)
        await until(lambda: len(a.calls) == len(b.calls) == 3)

    h.run(scenario)
    assert a.calls == b.calls == lifecycle
    assert h.dead.records == []


def test_transient_failures_back_off_with_jitter_then_deliver_once() -> None:
    flaky = FakeDestination("webhook", results=[DOWN, BUSY, DOWN])
    h = Harness(flaky)

    async def scenario(d: AlertDispatcher) -> None:
        d.submit(alert())
        await until(lambda: h.metrics.counts["sent", "webhook", "trigger"] == 1)

    h.run(scenario)
    assert len(flaky.calls) == 4
    assert len(h.clock.sleeps) == 3
    for attempt, wait in enumerate(h.clock.sleeps, start=1):
        assert 0.0 <= wait <= min(8.0, 2 ** (attempt - 1))
    assert h.metrics.counts["failed", "webhook", "connection"] == 2
    assert h.metrics.counts["failed", "webhook", "server_error"] == 1
    assert h.dead.records == []


def test_retry_after_is_honoured() -> None:
    limited = FakeDestination(
        "slack", results=[DeliveryResult(False, 429, retry_after=42.0, reason="rate_limited")]
    )
    h = Harness(limited)

    async def scenario(d: AlertDispatcher) -> None:
        d.submit(alert())
        await until(lambda: len(limited.calls) == 2)

    h.run(scenario)
    assert h.clock.sleeps == [42.0]
    assert h.metrics.counts["failed", "slack", "rate_limited"] == 1


def test_permanent_failure_is_dead_lettered_without_retrying_and_the_lane_goes_on() -> None:
    refused = FakeDestination(
        "pagerduty", results=[DeliveryResult(False, 400, permanent=True, reason="client_error")]
    )
    h = Harness(refused)

    async def scenario(d: AlertDispatcher) -> None:
        d.submit(alert("bad"))
        d.submit(alert("good"))
        await until(lambda: len(refused.calls) == 2)

    h.run(scenario)
    assert h.clock.sleeps == []
    assert h.dead.records == [
        ("bad:trigger:0", "pagerduty", "permanent failure: client_error (HTTP 400)", 1)
    ]
    assert h.metrics.counts["sent", "pagerduty", "trigger"] == 1
    assert h.metrics.counts["dead_lettered", "pagerduty"] == 1


def test_exhausted_retries_give_one_dead_letter_then_delivery_resumes() -> None:
    down = FakeDestination("webhook", results=[BUSY] * 5)
    h = Harness(down)

    async def scenario(d: AlertDispatcher) -> None:
        d.submit(alert("lost"))
        d.submit(alert("next"))
        await until(lambda: h.metrics.counts["sent", "webhook", "trigger"] == 1)

    h.run(scenario)
    assert down.delivered == ["lost:trigger:0"] * 5 + ["next:trigger:0"]
    assert len(h.clock.sleeps) == 4
    assert h.dead.records == [(
        "lost:trigger:0", "webhook",
        "gave up after 5 attempts; last: server_error (HTTP 503)", 5,
    )]


def test_max_age_gives_up_before_max_attempts() -> None:
    down = FakeDestination("webhook", default=DOWN)
    h = Harness(down, retry=RetryPolicy(base_s=10.0, cap_s=10.0, max_attempts=100, max_age_s=15.0))

    async def scenario(d: AlertDispatcher) -> None:
        d.submit(alert())
        await until(lambda: len(h.dead.records) == 1)

    h.run(scenario)
    assert sum(h.clock.sleeps) <= 15.0
    assert "next try would pass 15s" in h.dead.records[0][2]


def test_pending_revisions_coalesce_into_one_alert_per_incident() -> None:
    gate = asyncio.Event()
    dest = FakeDestination("slack", gate=gate)
    h = Harness(dest)

    async def scenario(d: AlertDispatcher) -> None:
        d.submit(alert("i1", revision=0))
        await until(lambda: len(dest.calls) == 1)
        for revision in range(1, 6):
            d.submit(alert("i1", revision=revision))
        d.submit(alert("i1", revision=3))  # stale
        d.submit(alert("i1", revision=5))  # duplicate
        assert d.depth("slack") == 2
        gate.set()
        await until(lambda: len(dest.calls) == 2)

    h.run(scenario)
    assert dest.delivered == ["i1:trigger:0", "i1:trigger:5"]
    assert h.metrics.counts["coalesced", "slack"] == 4


def test_a_retrying_alert_is_dropped_when_a_newer_revision_arrives() -> None:
    h_dest = FakeDestination("webhook", results=[DOWN])
    h = Harness(h_dest)

    async def scenario(d: AlertDispatcher) -> None:
        def newer_arrives(sent: Alert) -> None:  # while revision 1 fails and waits to retry
            if sent.revision == 1:
                d.submit(alert("i1", revision=2))

        h_dest.on_send = newer_arrives
        d.submit(alert("i1", revision=1))
        await until(lambda: h.metrics.counts["sent", "webhook", "trigger"] == 1)

    h.run(scenario)
    assert h_dest.delivered == ["i1:trigger:1", "i1:trigger:2"]
    assert h.dead.records == []
    assert h.metrics.counts["coalesced", "webhook"] == 1


def test_the_same_alert_is_not_sent_twice() -> None:
    dest = FakeDestination("webhook")
    h = Harness(dest)

    async def scenario(d: AlertDispatcher) -> None:
        d.submit(alert())
        d.submit(alert())
        await until(lambda: len(dest.calls) == 1)
        d.submit(alert())  # redelivered upstream after it was sent
        await asyncio.sleep(0.01)

    h.run(scenario)
    assert dest.delivered == ["i1:trigger:0"]


def test_a_slow_destination_does_not_hold_up_the_others() -> None:
    gate = asyncio.Event()
    slow, fast = FakeDestination("pagerduty", gate=gate), FakeDestination("slack")
    h = Harness(slow, fast)

    async def scenario(d: AlertDispatcher) -> None:
        for i in range(20):
            d.submit(alert(f"i{i}"))
        await until(lambda: len(fast.calls) == 20)
        assert len(slow.calls) == 1 and d.depth("pagerduty") == 20
        gate.set()
        await until(lambda: len(slow.calls) == 20)

    h.run(scenario)
    assert slow.delivered == fast.delivered


def test_a_full_queue_dead_letters_what_it_evicts() -> None:
    gate = asyncio.Event()
    dest = FakeDestination("webhook", gate=gate)
    h = Harness(dest, queue_capacity=2)

    async def scenario(d: AlertDispatcher) -> None:
        d.submit(alert("i0"))
        await until(lambda: len(dest.calls) == 1)
        d.submit(alert("i1", "acknowledge"))
        d.submit(alert("i2"))
        d.submit(alert("i3"))  # full: the acknowledge goes first
        await until(lambda: len(h.dead.records) == 1)
        gate.set()
        await until(lambda: len(dest.calls) == 3)

    h.run(scenario)
    assert h.dead.records == [
        ("i1:acknowledge:0", "webhook", "queue_full: 2 alerts already waiting", 0)
    ]
    assert dest.delivered == ["i0:trigger:0", "i2:trigger:0", "i3:trigger:0"]
    assert h.metrics.counts["failed", "webhook", "queue_full"] == 1


def test_stop_drains_what_is_queued() -> None:
    dest = FakeDestination("webhook")
    h = Harness(dest)

    async def scenario(d: AlertDispatcher) -> None:
        for i in range(10):
            d.submit(alert(f"i{i}"))

    h.run(scenario, drain_timeout=5.0)
    assert len(dest.calls) == 10
    assert h.dead.records == []


def test_stop_dead_letters_what_it_could_not_deliver_exactly_once() -> None:
    never = FakeDestination("webhook", gate=asyncio.Event())
    h = Harness(never)

    async def scenario(d: AlertDispatcher) -> None:
        d.submit(alert("i0"))
        d.submit(alert("i1"))
        await until(lambda: len(never.calls) == 1)

    h.run(scenario, drain_timeout=0.01)
    reason = "shutdown: not delivered within the 0.01s drain timeout"
    assert h.dead.records == [
        ("i0:trigger:0", "webhook", reason, 1),
        ("i1:trigger:0", "webhook", reason, 0),
    ]
    assert h.metrics.depths["webhook"] == 0


def test_a_failing_dead_letter_callback_or_destination_does_not_stop_the_lane() -> None:
    class Broken(FakeDestination):
        async def send(self, session: object, alert: Alert) -> DeliveryResult:
            self.calls.append(alert)
            if alert.incident_id == "boom":
                raise RuntimeError("bug in a destination")
            return DeliveryResult(True, 200)

    dest = Broken("webhook")
    h = Harness(dest)

    async def broken_dead_letters(alert: Alert, destination: str, reason: str, n: int) -> None:
        raise OSError("dead-letter topic unavailable")

    h.dead = broken_dead_letters  # type: ignore[assignment]

    async def scenario(d: AlertDispatcher) -> None:
        d.submit(alert("boom"))
        d.submit(alert("fine"))
        await until(lambda: h.metrics.counts["sent", "webhook", "trigger"] == 1)

    h.run(scenario)
    assert [a.incident_id for a in dest.calls] == ["boom", "fine"]
    assert h.metrics.counts["dead_lettered", "webhook"] == 1


def test_submit_after_stop_is_an_error_and_names_must_be_unique() -> None:
    async def main() -> None:
        d = AlertDispatcher([FakeDestination("slack")], DeadLetters())
        await d.start()
        await d.stop()
        with pytest.raises(DispatcherClosed):
            d.submit(alert())

    asyncio.run(main())
    with pytest.raises(ValueError, match="unique"):
        AlertDispatcher([FakeDestination("slack"), FakeDestination("slack")], DeadLetters())
