"""One destination's pending alerts: bounded, ordered, and one alert per incident and action.

Policy (what ``offer`` does, in this order):

1. Duplicates and stale revisions are ignored: :class:`Revisions` remembers the highest revision
   accepted per (incident, action), so a redelivered alert is not sent twice by this process.
2. Coalescing: a pending alert with the same incident and action is replaced in place by the
   newer revision (a trigger updated by the incident layer keeps its place in line and carries
   the latest counts). This is what makes a burst of updates one alert per incident.
3. Room: when the queue is below capacity the alert is appended; alerts leave in FIFO order, so
   an incident's trigger, acknowledge and resolve arrive in that order.
4. Full: first, a pending alert of the same incident with an earlier lifecycle action (trigger <
   acknowledge < resolve) is superseded: removed, and the new one appended. Otherwise one alert
   is evicted: the oldest acknowledge, else the oldest trigger, else the oldest resolve, the new
   alert included as the youngest candidate. A resolve is dropped last because a lost resolve
   leaves an incident open on call. The evicted alert is returned so the dispatcher dead-letters
   it: a full queue loses nothing silently.

Superseded and coalesced alerts are not dead-lettered: a newer state of the same incident
replaces them.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from dataclasses import dataclass

from pipelines.alerts.model import Alert, AlertAction

LIFECYCLE: dict[AlertAction, int] = {"trigger": 0, "acknowledge": 1, "resolve": 2}
EVICT_FIRST: dict[AlertAction, int] = {"acknowledge": 0, "trigger": 1, "resolve": 2}


@dataclass(frozen=True)
class Offer:
    accepted: bool
    duplicate: bool = False
    replaced: Alert | None = None  # coalesced or superseded by the new alert
    evicted: Alert | None = None  # dropped for room (may be the new alert itself)


class Revisions:
    """Highest revision accepted per (incident, action); forgets the oldest beyond ``limit``."""

    def __init__(self, limit: int = 10_000) -> None:
        self._limit = limit
        self._seen: OrderedDict[tuple[str, str], int] = OrderedDict()

    def is_new(self, alert: Alert) -> bool:
        seen = self._seen.get((alert.incident_id, alert.action))
        return seen is None or alert.revision > seen

    def accept(self, alert: Alert) -> None:
        key = (alert.incident_id, alert.action)
        self._seen[key] = alert.revision
        self._seen.move_to_end(key)
        while len(self._seen) > self._limit:
            self._seen.popitem(last=False)

    def forget(self, alert: Alert) -> None:
        """After a dead letter, so that replaying the same alert delivers it."""
        key = (alert.incident_id, alert.action)
        if self._seen.get(key) == alert.revision:
            del self._seen[key]


class AlertQueue:
    def __init__(self, capacity: int, remember: int = 10_000) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self.revisions = Revisions(remember)
        self._items: deque[Alert] = deque()

    def __len__(self) -> int:
        return len(self._items)

    def offer(self, alert: Alert) -> Offer:
        if not self.revisions.is_new(alert):
            return Offer(accepted=False, duplicate=True)
        self.revisions.accept(alert)
        for i, pending in enumerate(self._items):
            if pending.incident_id == alert.incident_id and pending.action == alert.action:
                self._items[i] = alert
                return Offer(accepted=True, replaced=pending)
        if len(self._items) < self.capacity:
            self._items.append(alert)
            return Offer(accepted=True)
        for i, pending in enumerate(self._items):
            if (
                pending.incident_id == alert.incident_id
                and LIFECYCLE[pending.action] < LIFECYCLE[alert.action]
            ):
                del self._items[i]
                self._items.append(alert)
                return Offer(accepted=True, replaced=pending)
        return self._evict_for(alert)

    def _evict_for(self, alert: Alert) -> Offer:
        candidates = [*self._items, alert]
        victim = min(range(len(candidates)), key=lambda i: (EVICT_FIRST[candidates[i].action], i))
        if victim == len(self._items):
            self.revisions.forget(alert)
            return Offer(accepted=False, evicted=alert)
        evicted = self._items[victim]
        del self._items[victim]
        self._items.append(alert)
        self.revisions.forget(evicted)
        return Offer(accepted=True, evicted=evicted)

    def pop(self) -> Alert | None:
        return self._items.popleft() if self._items else None

    def drain(self) -> list[Alert]:
        items = list(self._items)
        self._items.clear()
        return items

    def has_newer(self, alert: Alert) -> bool:
        """A pending alert of the same incident and action makes ``alert`` obsolete."""
        return any(
            p.incident_id == alert.incident_id
            and p.action == alert.action
            and p.revision > alert.revision
            for p in self._items
        )
