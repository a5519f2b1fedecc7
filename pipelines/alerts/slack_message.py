"""The Slack message for an alert: Block Kit for the channel, ``text`` for the notification.

Incoming webhooks cannot reply in a thread (they return "ok", not a message ts), so an
acknowledge or resolve is a short follow-up message that names the incident id the trigger
showed. Limits from Block Kit's reference: a header's text is at most 150 characters, a
section's text 3000, a section has at most 10 fields of 2000 characters each. Values that came
from producers (tenant, service, rule ids) are escaped as Slack's mrkdwn asks (&, <, >), so an
id cannot open a link or a mention.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pipelines.alerts.model import Alert, AlertAction
from pipelines.policy.model import Severity

SEVERITY_LABELS: dict[Severity, tuple[str, str]] = {
    "critical": (":red_circle:", "CRITICAL"),
    "high": (":large_orange_circle:", "HIGH"),
    "medium": (":large_yellow_circle:", "MEDIUM"),
    "low": (":large_blue_circle:", "LOW"),
    "info": (":white_circle:", "INFO"),
}
ACTION_LABELS: dict[AlertAction, tuple[str, str]] = {
    "trigger": (":rotating_light:", "Triggered"),
    "acknowledge": (":eyes:", "Acknowledged"),
    "resolve": (":white_check_mark:", "Resolved"),
}
HEADER_MAX = 150
SECTION_MAX = 3000
FIELD_MAX = 2000
TEXT_MAX = 3000


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def code(text: str) -> str:
    return "`" + escape(text.replace("`", "'")) + "`"


def when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _violations(count: int) -> str:
    return f"{count} violation" + ("" if count == 1 else "s")


def fallback_text(alert: Alert) -> str:
    """The notification line (and what screen readers get); Slack reads it as mrkdwn too."""
    emoji, label = SEVERITY_LABELS[alert.severity]
    _, verb = ACTION_LABELS[alert.action]
    return clip(
        f"{emoji} [{label}] {verb}: {escape(alert.title)} ({_violations(alert.count)}; tenant "
        f"{escape(alert.tenant_id)}, service {escape(alert.service)}, "
        f"rule {escape(alert.rule_id)})",
        TEXT_MAX,
    )


def _field(label: str, value: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": clip(f"*{label}*\n{value}", FIELD_MAX)}


def _fields(alert: Alert) -> list[dict[str, str]]:
    _, label = SEVERITY_LABELS[alert.severity]
    return [
        _field("Severity", label),
        _field("Violations", str(alert.count)),
        _field("Tenant", code(alert.tenant_id)),
        _field("Service", code(alert.service)),
        _field("Rule", code(alert.rule_id)),
        _field("Incident", code(alert.incident_id)),
        _field("First seen", when(alert.first_seen)),
        _field("Last seen", when(alert.last_seen)),
    ]


def _lead(alert: Alert) -> str:
    if alert.action == "trigger":
        return escape(alert.summary)
    state = "acknowledged" if alert.action == "acknowledge" else "resolved"
    return (
        f"Incident {code(alert.incident_id)} is *{state}* "
        f"({_violations(alert.count)} so far). {escape(alert.summary)}"
    )


def render(alert: Alert) -> dict[str, Any]:
    """The JSON body for an incoming webhook: ``text`` plus ``blocks``."""
    severity_emoji, label = SEVERITY_LABELS[alert.severity]
    action_emoji, verb = ACTION_LABELS[alert.action]
    emoji = severity_emoji if alert.action == "trigger" else action_emoji
    heading = f"{label}: {alert.title}" if alert.action == "trigger" else f"{verb}: {alert.title}"
    context = f"aitrail · incident {code(alert.incident_id)} · revision {alert.revision}"
    if alert.url:
        context += f" · <{escape(alert.url)}|Open the incident>"
    return {
        "text": fallback_text(alert),
        "blocks": [
            {
                "type": "header",
                "text": {
                    "type": "plain_text", "text": clip(f"{emoji} {heading}", HEADER_MAX),
                    "emoji": True,
                },
            },
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": clip(_lead(alert), SECTION_MAX)},
            },
            {"type": "section", "fields": _fields(alert)},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(context, TEXT_MAX)}]},
        ],
    }
