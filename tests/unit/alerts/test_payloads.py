"""Payload shapes against what Slack (incoming webhooks, Block Kit) and PagerDuty (Events API
v2) document: field names, allowed values and length limits."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from pipelines.alerts.destinations import (
    PAGERDUTY_EVENTS_URL,
    PagerDutyDestination,
    SlackDestination,
)
from pipelines.alerts.model import Alert
from tests.unit.alerts.samples import make_alert

ROUTING_KEY = "R0123456789abcdef0123456789abcde"
SLACK_URL = "https://hooks.slack.com/services/T000/B000/XXXXXXXX"


def slack(alert: Alert) -> dict[str, Any]:
    request = SlackDestination(SLACK_URL).render(alert)
    assert request.url == SLACK_URL
    document: dict[str, Any] = json.loads(request.body)
    return document


def pagerduty(alert: Alert) -> dict[str, Any]:
    request = PagerDutyDestination(ROUTING_KEY).render(alert)
    assert request.url == PAGERDUTY_EVENTS_URL == "https://events.pagerduty.com/v2/enqueue"
    document: dict[str, Any] = json.loads(request.body)
    return document


def check_block_kit_limits(message: dict[str, Any]) -> None:
    assert set(message) == {"text", "blocks"}
    assert message["text"]
    for block in message["blocks"]:
        if block["type"] == "header":
            assert block["text"]["type"] == "plain_text"
            assert len(block["text"]["text"]) <= 150
        elif block["type"] == "section":
            if "text" in block:
                assert 1 <= len(block["text"]["text"]) <= 3000
            for field in block.get("fields", []):
                assert field["type"] == "mrkdwn"
                assert len(field["text"]) <= 2000
            assert len(block.get("fields", [])) <= 10
        else:
            assert block["type"] == "context"


def all_text(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False)


def test_slack_trigger_reads_severity_title_counts_and_ids() -> None:
    message = slack(make_alert(severity="critical", count=12))
    check_block_kit_limits(message)
    header = message["blocks"][0]["text"]["text"]
    assert header == ":red_circle: CRITICAL: AWS key in prompts"
    assert message["text"].startswith(":red_circle: [CRITICAL] Triggered: AWS key in prompts")
    fields = [f["text"] for f in message["blocks"][2]["fields"]]
    assert "*Violations*\n12" in fields
    assert "*Tenant*\n`tenant-a`" in fields
    assert "*Service*\n`support-bot`" in fields
    assert "*Rule*\n`secrets.aws`" in fields
    assert "*Incident*\n`tenant-a/user-7/secrets.aws`" in fields
    assert "*First seen*\n2026-03-01 12:00:00 UTC" in fields


@pytest.mark.parametrize(
    ("action", "header"),
    [
        ("acknowledge", ":eyes: Acknowledged: AWS key in prompts"),
        ("resolve", ":white_check_mark: Resolved: AWS key in prompts"),
    ],
)
def test_slack_follow_ups_name_the_incident(action: str, header: str) -> None:
    message = slack(make_alert(action=action))
    check_block_kit_limits(message)
    assert message["blocks"][0]["text"]["text"] == header
    state = "acknowledged" if action == "acknowledge" else "resolved"
    lead = message["blocks"][1]["text"]["text"]
    assert lead.startswith(f"Incident `tenant-a/user-7/secrets.aws` is *{state}* (3 violations")


def test_slack_escapes_ids_and_clips_to_block_kit_limits() -> None:
    alert = make_alert(
        title="T" * 150, tenant_id="<!channel>&co", summary="x" * 1024,
        url="https://aitrail.example/i/1",
    )
    message = slack(alert)
    check_block_kit_limits(message)
    assert message["blocks"][0]["text"]["text"].endswith("…")
    text = all_text(message)
    assert "<!channel>" not in text and "&lt;!channel&gt;&amp;co" in text
    assert "<https://aitrail.example/i/1|Open the incident>" in message["blocks"][3]["elements"][0][
        "text"
    ]


@pytest.mark.parametrize(
    ("severity", "expected"),
    [("critical", "critical"), ("high", "error"), ("medium", "warning"), ("low", "info"),
     ("info", "info")],
)
def test_pagerduty_trigger_is_a_pd_cef_event(severity: str, expected: str) -> None:
    alert = make_alert(severity=severity, details={"users": 2})
    event = pagerduty(alert)
    assert set(event) == {"routing_key", "event_action", "dedup_key", "payload", "client"}
    assert event["routing_key"] == ROUTING_KEY
    assert event["event_action"] == "trigger"
    assert event["dedup_key"] == alert.incident_id
    payload = event["payload"]
    assert set(payload) == {
        "summary", "source", "severity", "timestamp", "component", "group", "class",
        "custom_details",
    }
    assert payload["severity"] == expected
    assert payload["severity"] in {"critical", "error", "warning", "info"}
    assert payload["summary"] == f"AWS key in prompts: {alert.summary}"
    assert payload["source"] == "tenant-a/support-bot"
    assert payload["component"] == "support-bot"
    assert payload["group"] == "tenant-a"
    assert payload["class"] == "secrets.aws"
    assert datetime.fromisoformat(payload["timestamp"]) == alert.last_seen
    details = payload["custom_details"]
    assert details["violations"] == 3 and details["users"] == 2
    assert details["aitrail_severity"] == severity and details["revision"] == 0


def test_pagerduty_limits_and_links() -> None:
    alert = make_alert(summary="y" * 1024, url="https://aitrail.example/i/1")
    event = pagerduty(alert)
    assert len(event["payload"]["summary"]) == 1024
    assert len(event["dedup_key"]) <= 255
    assert event["client_url"] == "https://aitrail.example/i/1"
    link = {"href": "https://aitrail.example/i/1", "text": "Incident in aitrail"}
    assert event["links"] == [link]


@pytest.mark.parametrize("action", ["acknowledge", "resolve"])
def test_pagerduty_acknowledge_and_resolve_carry_only_the_key(action: str) -> None:
    event = pagerduty(make_alert(action=action))
    assert event == {
        "routing_key": ROUTING_KEY,
        "event_action": action,
        "dedup_key": "tenant-a/user-7/secrets.aws",
    }


def test_pagerduty_url_can_be_overridden_and_the_key_stays_out_of_repr() -> None:
    destination = PagerDutyDestination(ROUTING_KEY, url="http://127.0.0.1:9/v2/enqueue")
    assert destination.render(make_alert()).url == "http://127.0.0.1:9/v2/enqueue"
    assert ROUTING_KEY not in repr(destination)
    assert "XXXXXXXX" not in repr(SlackDestination(SLACK_URL))
