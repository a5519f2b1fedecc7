"""Alert delivery metrics, and the hook the dispatcher reports them through.

Names follow ``aitrail_<subsystem>_<what>_<unit>``; labels are bounded: ``destination`` is one
of webhook, slack, pagerduty; ``action`` one of trigger, acknowledge, resolve; ``reason`` one of
the failure reasons of :mod:`pipelines.alerts.http` plus queue_full and shutdown. Never an
incident, tenant or user id.

The dispatcher takes an :class:`AlertMetrics`; production passes :data:`PROMETHEUS`, tests pass
a recorder, so no test reads the process-wide registry.
"""

from __future__ import annotations

from typing import Protocol

from prometheus_client import Counter, Gauge

SENT = Counter(
    "aitrail_alerts_sent_total",
    "Alerts a destination accepted, by destination and action.",
    ["destination", "action"],
)
FAILED = Counter(
    "aitrail_alerts_failed_total",
    "Failed delivery attempts (most are retried), by destination and reason.",
    ["destination", "reason"],
)
DEAD_LETTERED = Counter(
    "aitrail_alerts_dead_lettered_total",
    "Alerts given up on and written as dead letters, by destination.",
    ["destination"],
)
COALESCED = Counter(
    "aitrail_alerts_coalesced_total",
    "Pending alerts replaced by a newer state of the same incident, by destination.",
    ["destination"],
)
QUEUE_DEPTH = Gauge(
    "aitrail_alerts_queue_depth",
    "Alerts waiting for a destination, the one in flight excluded.",
    ["destination"],
)


class AlertMetrics(Protocol):
    def sent(self, destination: str, action: str) -> None: ...

    def failed(self, destination: str, reason: str) -> None: ...

    def dead_lettered(self, destination: str) -> None: ...

    def coalesced(self, destination: str) -> None: ...

    def queue_depth(self, destination: str, depth: int) -> None: ...


class PrometheusAlertMetrics:
    def sent(self, destination: str, action: str) -> None:
        SENT.labels(destination, action).inc()

    def failed(self, destination: str, reason: str) -> None:
        FAILED.labels(destination, reason).inc()

    def dead_lettered(self, destination: str) -> None:
        DEAD_LETTERED.labels(destination).inc()

    def coalesced(self, destination: str) -> None:
        COALESCED.labels(destination).inc()

    def queue_depth(self, destination: str, depth: int) -> None:
        QUEUE_DEPTH.labels(destination).set(depth)


PROMETHEUS = PrometheusAlertMetrics()
