"""Deliver alerts to every destination without ever holding up the pipeline.

Shape. One lane per destination: a bounded :class:`~pipelines.alerts.queue.AlertQueue` and one
task that delivers its alerts one at a time, in order. ``submit`` is a plain function: it puts
the alert in each lane's queue and returns, so the agent that calls it never awaits a network.
A destination that is down or slow only holds up its own lane; the others keep delivering, and
events keep flowing to ClickHouse meanwhile.

Order and retries. A lane retries its head alert (backoff with full jitter, Retry-After as a
floor, see :mod:`pipelines.alerts.retry`) before it moves on, so an incident's trigger,
acknowledge and resolve reach a destination in that order. While the head waits, a newer
revision of the same incident and action may arrive: the lane then drops the old one and sends
the newer. A permanent failure (a 4xx other than 408/429) is not retried.

Giving up. An alert that exhausts its retries, fails permanently, is evicted from a full queue,
or is still undelivered when ``stop`` runs out of drain time is handed to ``on_dead_letter(alert,
destination, reason, attempts)``, once, and the lane moves on. Delivery is at least once: an
attempt cut off by shutdown may have reached the receiver, which dedupes on the delivery id.

Threading: call ``submit`` from the event loop's thread (a faust agent does).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import aiohttp

from pipelines.alerts.config import AlertConfig
from pipelines.alerts.destinations import Destination
from pipelines.alerts.errors import DispatcherClosed
from pipelines.alerts.http import DeliveryResult
from pipelines.alerts.metrics import PROMETHEUS, AlertMetrics
from pipelines.alerts.model import Alert
from pipelines.alerts.queue import AlertQueue
from pipelines.alerts.retry import RetryPolicy

log = logging.getLogger(__name__)

DeadLetterCallback = Callable[[Alert, str, str, int], Awaitable[None]]
USER_AGENT = "aitrail-alerts/1"


@dataclass(eq=False)
class _Lane:
    destination: Destination
    queue: AlertQueue
    wake: asyncio.Event
    task: asyncio.Task[None] | None = None
    in_flight: Alert | None = None
    attempts: int = 0

    @property
    def name(self) -> str:
        return self.destination.name


class AlertDispatcher:
    def __init__(
        self,
        destinations: Sequence[Destination],
        on_dead_letter: DeadLetterCallback,
        *,
        retry: RetryPolicy | None = None,
        queue_capacity: int = 1000,
        timeout_s: float = 10.0,
        drain_timeout_s: float = 10.0,
        metrics: AlertMetrics = PROMETHEUS,
        session: aiohttp.ClientSession | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        names = [d.name for d in destinations]
        if len(set(names)) != len(names):
            raise ValueError(f"destination names must be unique, got {names}")
        self._lanes = [_Lane(d, AlertQueue(queue_capacity), asyncio.Event()) for d in destinations]
        self._on_dead_letter = on_dead_letter
        self._retry = retry or RetryPolicy()
        self._timeout_s = timeout_s
        self._drain_timeout_s = drain_timeout_s
        self._metrics = metrics
        self._session = session
        self._owns_session = session is None
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()
        self._background: set[asyncio.Task[None]] = set()
        self._closing = False
        self._closed = False

    @classmethod
    def from_config(
        cls,
        config: AlertConfig,
        on_dead_letter: DeadLetterCallback,
        *,
        metrics: AlertMetrics = PROMETHEUS,
    ) -> AlertDispatcher:
        return cls(
            config.destinations(),
            on_dead_letter,
            retry=config.retry,
            queue_capacity=config.queue_capacity,
            timeout_s=config.timeout_s,
            drain_timeout_s=config.drain_timeout_s,
            metrics=metrics,
        )

    @property
    def destination_names(self) -> list[str]:
        return [lane.name for lane in self._lanes]

    def depth(self, destination: str) -> int:
        """Alerts waiting for ``destination``, the one in flight included."""
        for lane in self._lanes:
            if lane.name == destination:
                return len(lane.queue) + (lane.in_flight is not None)
        raise KeyError(f"no destination {destination!r}; have {self.destination_names}")

    async def start(self) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self._timeout_s),
                headers={"User-Agent": USER_AGENT},
            )
        for lane in self._lanes:
            if lane.task is None:
                lane.task = asyncio.create_task(self._run(lane), name=f"alerts-{lane.name}")
                lane.task.add_done_callback(self._lane_ended)

    def submit(self, alert: Alert) -> None:
        """Queue ``alert`` for every destination and return at once."""
        if self._closed:
            raise DispatcherClosed(f"alert {alert.idempotency_key} submitted after stop()")
        for lane in self._lanes:
            offer = lane.queue.offer(alert)
            if offer.duplicate:
                log.debug("alert %s already taken for %s", alert.idempotency_key, lane.name)
                continue
            if offer.replaced is not None:
                self._metrics.coalesced(lane.name)
            if offer.evicted is not None:
                self._metrics.failed(lane.name, "queue_full")
                reason = f"queue_full: {lane.queue.capacity} alerts already waiting"
                self._spawn(self._write_dead_letter(lane.name, offer.evicted, reason, 0))
            lane.wake.set()
            self._metrics.queue_depth(lane.name, len(lane.queue))

    async def stop(self, drain_timeout: float | None = None) -> None:
        """Deliver what is queued for up to ``drain_timeout``; dead-letter what is left."""
        if self._closed:
            return
        if drain_timeout is None:
            drain_timeout = self._drain_timeout_s
        self._closing = True
        tasks = [lane.task for lane in self._lanes if lane.task is not None]
        for lane in self._lanes:
            lane.wake.set()
        if tasks:
            _, unfinished = await asyncio.wait(tasks, timeout=drain_timeout)
            for task in unfinished:
                task.cancel()
            await asyncio.gather(*unfinished, return_exceptions=True)
        self._closed = True
        for lane in self._lanes:
            reason = f"shutdown: not delivered within the {drain_timeout:g}s drain timeout"
            leftovers = [(alert, 0) for alert in lane.queue.drain()]
            if lane.in_flight is not None:
                leftovers.insert(0, (lane.in_flight, lane.attempts))
                lane.in_flight = None
            for alert, attempts in leftovers:
                self._metrics.failed(lane.name, "shutdown")
                self._spawn(self._write_dead_letter(lane.name, alert, reason, attempts))
            self._metrics.queue_depth(lane.name, 0)
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)
        if self._owns_session and self._session is not None:
            await self._session.close()

    async def __aenter__(self) -> AlertDispatcher:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def _run(self, lane: _Lane) -> None:
        while True:
            alert = lane.queue.pop()
            self._metrics.queue_depth(lane.name, len(lane.queue))
            if alert is None:
                if self._closing:
                    return
                lane.wake.clear()
                await lane.wake.wait()
                continue
            lane.in_flight, lane.attempts = alert, 0
            await self._deliver(lane, alert)
            lane.in_flight = None

    async def _deliver(self, lane: _Lane, alert: Alert) -> None:
        assert self._session is not None, "start() creates the session"
        started = self._clock()
        while True:
            lane.attempts += 1
            try:
                result = await lane.destination.send(self._session, alert)
            except Exception:  # a bug in a destination must not stop its lane
                log.exception("destination %s raised on %s", lane.name, alert.idempotency_key)
                result = DeliveryResult(False, permanent=True, reason="error")
            if result.ok:
                self._metrics.sent(lane.name, alert.action)
                return
            self._metrics.failed(lane.name, result.reason or "error")
            if result.permanent:
                await self._give_up(lane, alert, f"permanent failure: {result.describe()}")
                return
            delay = self._retry.delay(lane.attempts, result.retry_after, self._rng)
            why = self._retry.give_up(lane.attempts, self._clock() - started, delay)
            if why is not None:
                await self._give_up(lane, alert, f"{why}; last: {result.describe()}")
                return
            log.warning(
                "alert %s to %s failed (%s, attempt %d); retrying in %.2fs",
                alert.idempotency_key, lane.name, result.describe(), lane.attempts, delay,
            )
            await self._sleep(delay)
            if lane.queue.has_newer(alert):
                self._metrics.coalesced(lane.name)
                return

    async def _give_up(self, lane: _Lane, alert: Alert, reason: str) -> None:
        # The write runs as its own task, shielded: stop() cancelling the lane cannot cut it
        # short, and clearing in_flight first keeps stop() from writing it a second time.
        task = self._spawn(self._write_dead_letter(lane.name, alert, reason, lane.attempts))
        lane.in_flight = None
        lane.queue.revisions.forget(alert)
        await asyncio.shield(task)

    async def _write_dead_letter(
        self, destination: str, alert: Alert, reason: str, attempts: int
    ) -> None:
        self._metrics.dead_lettered(destination)
        log.error(
            "alert %s for %s dead-lettered after %d attempts: %s",
            alert.idempotency_key, destination, attempts, reason,
        )
        try:
            await self._on_dead_letter(alert, destination, reason, attempts)
        except Exception:
            log.exception(
                "dead-letter callback failed; the alert survives only in this log: %s",
                alert.model_dump_json(),
            )

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    def _lane_ended(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("alert lane %s died", task.get_name(), exc_info=task.exception())
