"""Alert delivery over real HTTP: aiohttp.web receivers on 127.0.0.1 stand in for the webhook
receiver, Slack and PagerDuty. One goes down for a while and comes back on the same port.

The pipeline here is a stand-in loop (it "stores" events and submits an alert); it shows that
submit() returns at once and the event loop keeps turning while a destination is down.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from aiohttp import web

from pipelines.alerts.config import AlertConfig
from pipelines.alerts.dispatcher import AlertDispatcher
from pipelines.alerts.errors import SignatureError
from pipelines.alerts.model import Alert
from pipelines.alerts.signing import DELIVERY_HEADER, verify_signature
from tests.unit.alerts.samples import DeadLetters, RecordingMetrics, make_alert, until

pytestmark = pytest.mark.integration

SECRET = secrets.token_hex(32)
ROUTING_KEY = "R0123456789abcdef0123456789abcde"
Reply = Callable[[web.Request, bytes], web.Response]


class Receiver:
    """An HTTP endpoint that records what it accepted; can go down and come back up."""

    def __init__(self, reply: Reply) -> None:
        self.reply = reply
        self.accepted: list[tuple[dict[str, str], bytes]] = []
        self.hits = 0
        self.port = 0
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def up(self) -> None:
        app = web.Application()
        app.router.add_post("/hook", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port, reuse_address=True)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def down(self) -> None:
        """Close the listener and every open connection: clients get connection errors."""
        assert self._runner is not None
        await self._runner.cleanup()
        self._runner = None

    async def _handle(self, request: web.Request) -> web.Response:
        self.hits += 1
        body = await request.read()
        response = self.reply(request, body)
        if response.status < 300:
            self.accepted.append((dict(request.headers), body))
        return response

    def json_bodies(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.accepted]


def webhook_reply(request: web.Request, body: bytes) -> web.Response:
    try:
        verify_signature(body, request.headers, SECRET, tolerance_s=60)
    except SignatureError as exc:
        return web.Response(status=401, text=str(exc))
    return web.Response(status=204)


def slack_reply(request: web.Request, body: bytes) -> web.Response:
    document = json.loads(body)
    if not document.get("text") or not isinstance(document.get("blocks"), list):
        return web.Response(status=400, text="invalid_payload")
    return web.Response(status=200, text="ok")


def pagerduty_reply(request: web.Request, body: bytes) -> web.Response:
    event = json.loads(body)
    if event.get("routing_key") != ROUTING_KEY or "dedup_key" not in event:
        return web.json_response({"status": "invalid event"}, status=400)
    reply = {"status": "success", "message": "Event processed", "dedup_key": event["dedup_key"]}
    return web.json_response(reply, status=202)


def always_500(request: web.Request, body: bytes) -> web.Response:
    return web.Response(status=500, text="rollup_error")


def config(**values: Any) -> AlertConfig:
    fast = {"alert_retry_base_s": 0.02, "alert_retry_cap_s": 0.1, "alert_timeout_s": 2.0}
    return AlertConfig.from_settings(**{**fast, **values})


async def started(receivers: list[Receiver]) -> None:
    await asyncio.gather(*(r.up() for r in receivers))


def run(main: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(main())


def lifecycle(incident: str) -> list[Alert]:
    return [
        make_alert(incident_id=incident, action=action, revision=revision)
        for revision, action in enumerate(("trigger", "acknowledge", "resolve"))
    ]


def test_trigger_acknowledge_resolve_reach_webhook_slack_and_pagerduty() -> None:
    hook, slack, pd = Receiver(webhook_reply), Receiver(slack_reply), Receiver(pagerduty_reply)
    dead, metrics = DeadLetters(), RecordingMetrics()

    async def main() -> None:
        await started([hook, slack, pd])
        dispatcher = AlertDispatcher.from_config(config(
            alert_webhook_url=hook.url, alert_webhook_secret=SECRET, alert_webhook_key_id="k7",
            alert_slack_webhook_url=slack.url,
            alert_pagerduty_routing_key=ROUTING_KEY, alert_pagerduty_url=pd.url,
        ), dead, metrics=metrics)
        async with dispatcher:
            for alert in lifecycle("t1/u1/secrets.aws"):
                dispatcher.submit(alert)
            await until(lambda: len(hook.accepted) == len(slack.accepted) == len(pd.accepted) == 3)
        for receiver in (hook, slack, pd):
            await receiver.down()

    run(main)
    assert dead.records == []
    assert hook.hits == slack.hits == pd.hits == 3

    for headers, body in hook.accepted:
        verify_signature(body, headers, SECRET)
        assert headers["X-Aitrail-Key-Id"] == "k7"
        assert headers["Content-Type"] == "application/json"
    assert [h[DELIVERY_HEADER] for h, _ in hook.accepted] == [
        "t1/u1/secrets.aws:trigger:0", "t1/u1/secrets.aws:acknowledge:1",
        "t1/u1/secrets.aws:resolve:2",
    ]
    assert {b["dedup_key"] for b in hook.json_bodies()} == {"t1/u1/secrets.aws"}

    titles = [b["blocks"][0]["text"]["text"] for b in slack.json_bodies()]
    assert titles == [
        ":large_orange_circle: HIGH: AWS key in prompts",
        ":eyes: Acknowledged: AWS key in prompts",
        ":white_check_mark: Resolved: AWS key in prompts",
    ]

    events = pd.json_bodies()
    assert [e["event_action"] for e in events] == ["trigger", "acknowledge", "resolve"]
    assert {e["dedup_key"] for e in events} == {"t1/u1/secrets.aws"}
    assert events[0]["payload"]["severity"] == "error"
    assert metrics.counts["sent", "pagerduty", "resolve"] == 1


def test_receiver_down_for_a_while_then_the_alert_arrives_exactly_once() -> None:
    hook = Receiver(webhook_reply)
    dead, metrics = DeadLetters(), RecordingMetrics()
    stored: list[int] = []
    lags: list[float] = []

    async def pipeline(stop: asyncio.Event) -> None:
        """Stands in for the worker: keeps storing events and never waits on alerts."""
        n = 0
        while not stop.is_set():
            n += 1
            stored.append(n)
            before = time.monotonic()
            await asyncio.sleep(0.005)
            lags.append(time.monotonic() - before - 0.005)

    async def main() -> None:
        await hook.up()
        port = hook.port
        dispatcher = AlertDispatcher.from_config(config(
            alert_webhook_url=hook.url, alert_webhook_secret=SECRET,
            alert_retry_max_attempts=1000, alert_retry_max_age_s=60.0,
        ), dead, metrics=metrics)
        await dispatcher.start()
        warm_up = make_alert(incident_id="warm-up")
        dispatcher.submit(warm_up)  # leaves a keep-alive connection in the client's pool
        await until(lambda: len(hook.accepted) == 1)

        await hook.down()
        stop = asyncio.Event()
        flowing = asyncio.create_task(pipeline(stop))
        alert = make_alert(incident_id="t1/u1/secrets.aws", severity="critical")
        began = time.perf_counter()
        dispatcher.submit(alert)
        assert time.perf_counter() - began < 0.01, "submit must not wait for the network"

        await until(lambda: metrics.counts["failed", "webhook", "connection"] >= 5)
        during_outage = len(stored)
        await asyncio.sleep(0.2)
        assert len(stored) > during_outage + 10, "events must keep flowing during the outage"
        assert hook.hits == 1

        await hook.up()  # back, on the same port
        assert hook.port == port
        await until(lambda: len(hook.accepted) == 2)
        await asyncio.sleep(0.3)  # time for a duplicate to show up, if there were one
        stop.set()
        await flowing
        await dispatcher.stop(drain_timeout=1.0)
        await hook.down()

    run(main)
    delivered = [h[DELIVERY_HEADER] for h, _ in hook.accepted]
    assert delivered == ["warm-up:trigger:0", "t1/u1/secrets.aws:trigger:0"]
    headers, body = hook.accepted[1]
    verify_signature(body, headers, SECRET)
    assert json.loads(body)["alert"]["severity"] == "critical"
    assert dead.records == []
    assert metrics.counts["sent", "webhook", "trigger"] == 2
    assert max(lags) < 0.25, f"the event loop stalled for {max(lags):.3f}s"


def test_a_destination_that_keeps_failing_gives_one_dead_letter() -> None:
    broken, slack = Receiver(always_500), Receiver(slack_reply)
    dead, metrics = DeadLetters(), RecordingMetrics()

    async def main() -> None:
        await started([broken, slack])
        dispatcher = AlertDispatcher.from_config(config(
            alert_webhook_url=broken.url, alert_webhook_secret=SECRET,
            alert_slack_webhook_url=slack.url, alert_retry_max_attempts=3,
        ), dead, metrics=metrics)
        async with dispatcher:
            dispatcher.submit(make_alert(incident_id="i-500"))
            await until(lambda: len(dead.records) == 1)
            await asyncio.sleep(0.2)  # nothing more comes
        await broken.down()
        await slack.down()

    run(main)
    assert dead.records == [(
        "i-500:trigger:0", "webhook",
        "gave up after 3 attempts; last: server_error (HTTP 500)", 3,
    )]
    assert broken.hits == 3
    assert metrics.counts["failed", "webhook", "server_error"] == 3
    assert metrics.counts["dead_lettered", "webhook"] == 1
    assert len(slack.accepted) == 1  # the healthy destination was not held up
