"""Where alerts go: a signed generic webhook, a Slack incoming webhook, PagerDuty Events v2.

A destination renders an alert into one HTTP request (``render``: pure, so payload shapes are
unit-tested without a network) and posts it on the dispatcher's shared session (``send``).
It never retries and never raises for HTTP or network trouble: it returns a
:class:`~pipelines.alerts.http.DeliveryResult` and the dispatcher decides. ``name`` is a metric
label, so it is one of a few fixed words, never a URL.

Secrets (the webhook secret, Slack's URL, which holds a token, and PagerDuty's routing key) are
kept out of ``repr`` and out of every log line and dead-letter reason.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

import aiohttp

from pipelines.alerts.http import DeliveryResult, HttpRequest, post
from pipelines.alerts.model import Alert
from pipelines.alerts.signing import signed_headers
from pipelines.alerts.signing import verify_signature as verify_signature
from pipelines.alerts.slack_message import clip
from pipelines.alerts.slack_message import render as render_slack
from pipelines.policy.model import Severity

PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue"
PAGERDUTY_SEVERITY: dict[Severity, str] = {
    "critical": "critical",
    "high": "error",
    "medium": "warning",
    "low": "info",
    "info": "info",
}
PAGERDUTY_SUMMARY_MAX = 1024
WEBHOOK_SCHEMA = "aitrail.alert/v1"


class Destination(Protocol):
    @property
    def name(self) -> str: ...

    async def send(self, session: aiohttp.ClientSession, alert: Alert) -> DeliveryResult: ...


def _json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, separators=(",", ":"), sort_keys=True).encode()


class _HttpDestination:
    name = "http"

    def render(self, alert: Alert) -> HttpRequest:
        raise NotImplementedError

    async def send(self, session: aiohttp.ClientSession, alert: Alert) -> DeliveryResult:
        return await post(session, self.render(alert))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


class WebhookDestination(_HttpDestination):
    """POST the alert as JSON, signed with HMAC-SHA256 (see :mod:`pipelines.alerts.signing`).

    Each attempt is signed afresh with the current time; the delivery id stays the same.
    """

    name = "webhook"

    def __init__(self, url: str, secret: str | bytes, key_id: str) -> None:
        self._url = url
        self._secret = secret
        self._key_id = key_id

    @staticmethod
    def body(alert: Alert) -> dict[str, Any]:
        return {
            "schema": WEBHOOK_SCHEMA,
            "delivery_id": alert.idempotency_key,
            "dedup_key": alert.dedup_key,
            "alert": alert.model_dump(mode="json"),
        }

    def render(self, alert: Alert, now: float | None = None) -> HttpRequest:
        body = _json(self.body(alert))
        headers = signed_headers(
            body,
            secret=self._secret,
            key_id=self._key_id,
            delivery_id=alert.idempotency_key,
            now=now,
        )
        return HttpRequest(self._url, body, headers)


class SlackDestination(_HttpDestination):
    """A readable message per action; acknowledge and resolve are follow-ups by incident id."""

    name = "slack"

    def __init__(self, webhook_url: str) -> None:
        self._url = webhook_url

    def render(self, alert: Alert) -> HttpRequest:
        return HttpRequest(self._url, _json(render_slack(alert)))


class PagerDutyDestination(_HttpDestination):
    """Events API v2: one PagerDuty alert per incident, keyed by ``dedup_key`` = incident id.

    A trigger carries the PD-CEF payload; acknowledge and resolve carry only the routing key,
    the action and the dedup key, as the API asks (the payload would be ignored). They must use
    the routing key of the trigger, or PagerDuty drops them.
    """

    name = "pagerduty"

    def __init__(self, routing_key: str, url: str = PAGERDUTY_EVENTS_URL) -> None:
        self._routing_key = routing_key
        self._url = url

    def event(self, alert: Alert) -> dict[str, Any]:
        event: dict[str, Any] = {
            "routing_key": self._routing_key,
            "event_action": alert.action,
            "dedup_key": alert.dedup_key,
        }
        if alert.action != "trigger":
            return event
        custom: dict[str, Any] = {
            **alert.details,
            "incident_id": alert.incident_id,
            "revision": alert.revision,
            "aitrail_severity": alert.severity,
            "violations": alert.count,
            "tenant_id": alert.tenant_id,
            "service": alert.service,
            "rule_id": alert.rule_id,
            "first_seen": alert.first_seen.isoformat(),
            "last_seen": alert.last_seen.isoformat(),
        }
        event["payload"] = {
            "summary": clip(f"{alert.title}: {alert.summary}", PAGERDUTY_SUMMARY_MAX),
            "source": f"{alert.tenant_id}/{alert.service}",
            "severity": PAGERDUTY_SEVERITY[alert.severity],
            "timestamp": alert.last_seen.isoformat(),
            "component": alert.service,
            "group": alert.tenant_id,
            "class": alert.rule_id,
            "custom_details": custom,
        }
        event["client"] = "aitrail"
        if alert.url:
            event["client_url"] = alert.url
            event["links"] = [{"href": alert.url, "text": "Incident in aitrail"}]
        return event

    def render(self, alert: Alert) -> HttpRequest:
        return HttpRequest(self._url, _json(self.event(alert)))
