from __future__ import annotations

from pipelines.alerts.model import Alert
from pipelines.alerts.queue import AlertQueue
from tests.unit.alerts.samples import make_alert


def alert(incident: str, action: str = "trigger", revision: int = 0) -> Alert:
    return make_alert(incident_id=incident, action=action, revision=revision)


def keys(queue: AlertQueue) -> list[str]:
    return [a.idempotency_key for a in queue.drain()]


def test_fifo_and_a_whole_lifecycle_kept_in_order() -> None:
    queue = AlertQueue(10)
    for a in (alert("a"), alert("b"), alert("a", "acknowledge"), alert("a", "resolve")):
        assert queue.offer(a).accepted
    assert keys(queue) == ["a:trigger:0", "b:trigger:0", "a:acknowledge:0", "a:resolve:0"]


def test_duplicates_and_stale_revisions_are_ignored() -> None:
    queue = AlertQueue(10)
    assert queue.offer(alert("a", revision=2)).accepted
    assert queue.offer(alert("a", revision=2)).duplicate
    assert queue.offer(alert("a", revision=1)).duplicate
    assert queue.pop() is not None
    assert queue.offer(alert("a", revision=2)).duplicate  # sent already: not again
    assert len(queue) == 0


def test_a_newer_revision_replaces_the_pending_one_in_place() -> None:
    queue = AlertQueue(10)
    queue.offer(alert("a"))
    queue.offer(alert("b"))
    offer = queue.offer(alert("a", revision=3))
    assert offer.accepted and offer.replaced == alert("a")
    assert keys(queue) == ["a:trigger:3", "b:trigger:0"]


def test_full_queue_lets_a_resolve_supersede_its_incidents_trigger() -> None:
    queue = AlertQueue(2)
    queue.offer(alert("a"))
    queue.offer(alert("b"))
    offer = queue.offer(alert("a", "resolve"))
    assert offer.accepted and offer.replaced == alert("a") and offer.evicted is None
    assert keys(queue) == ["b:trigger:0", "a:resolve:0"]


def test_full_queue_evicts_acknowledges_then_triggers_and_resolves_last() -> None:
    queue = AlertQueue(3)
    queue.offer(alert("a", "resolve"))
    queue.offer(alert("b"))
    queue.offer(alert("c", "acknowledge"))
    first = queue.offer(alert("d"))
    assert first.evicted == alert("c", "acknowledge")
    second = queue.offer(alert("e"))
    assert second.evicted == alert("b")
    assert keys(queue) == ["a:resolve:0", "d:trigger:0", "e:trigger:0"]


def test_a_queue_of_resolves_refuses_a_trigger_rather_than_drop_one() -> None:
    queue = AlertQueue(2)
    queue.offer(alert("a", "resolve"))
    queue.offer(alert("b", "resolve"))
    offer = queue.offer(alert("c"))
    assert not offer.accepted and offer.evicted == alert("c")
    assert queue.offer(alert("c")).evicted == alert("c")  # forgotten, so it can be offered again
    assert keys(queue) == ["a:resolve:0", "b:resolve:0"]


def test_evicted_alerts_are_forgotten_so_a_replay_is_taken() -> None:
    queue = AlertQueue(1)
    queue.offer(alert("a"))
    assert queue.offer(alert("b")).evicted == alert("a")
    assert queue.pop() == alert("b")
    assert queue.offer(alert("a")).accepted


def test_has_newer_sees_a_pending_revision_of_the_same_incident_and_action() -> None:
    queue = AlertQueue(10)
    in_flight = alert("a", revision=1)
    queue.offer(in_flight)
    queue.pop()
    queue.offer(alert("a", "resolve", revision=5))
    assert not queue.has_newer(in_flight)
    queue.offer(alert("a", revision=2))
    assert queue.has_newer(in_flight)
