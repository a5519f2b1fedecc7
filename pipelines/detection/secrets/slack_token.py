"""Slack API tokens and incoming-webhook URLs.

Tokens: ``xoxb-`` (bot), ``xoxp-`` (user), ``xoxa-`` / ``xoxr-`` (app and refresh, older
OAuth), ``xoxs-`` (session), ``xoxe-`` and ``xoxe.xoxb-`` / ``xoxe.xoxp-`` (rotating and
configuration tokens), ``xapp-`` (app-level): dash-separated groups, mostly digits first and a
random group last. Slack has changed these layouts several times, so the pattern takes any
dash-separated alphanumeric groups after a known prefix and the check asks for a realistic
length and digits instead of one exact layout.

Webhooks: ``hooks.slack.com/services/T<team>/B<hook>/<24 characters>``, and the newer
``/workflows/`` and ``/triggers/`` URLs. The whole URL is the credential (anyone holding it can
post), so the span covers it from the scheme, if written, to the end of the secret.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from pipelines.detection.secrets._base import SecretRecognizer
from pipelines.detection.secrets._checks import is_filler

_PREFIXES = r"(?:xoxe\.xox[bp]|xox[abeoprs]|xapp)"
_HOST = r"(?:(?i:https?://))?(?i:hooks\.slack\.com)"
_MIN_TOKEN_LENGTH = 24


class SlackTokenRecognizer(SecretRecognizer):
    ENTITY: ClassVar[str] = "SLACK_TOKEN"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "slack_token",
            rf"(?<![A-Za-z0-9_.\-]){_PREFIXES}-[A-Za-z0-9]{{1,255}}"
            r"(?:-[A-Za-z0-9]{1,255}){0,5}(?![A-Za-z0-9_\-])",
            0.9,
        ),
        Pattern(
            "slack_webhook",
            rf"{_HOST}/services/T[A-Z0-9]{{6,12}}/B[A-Z0-9]{{6,12}}/[A-Za-z0-9]{{20,32}}"
            r"(?![A-Za-z0-9])",
            0.95,
        ),
        Pattern(
            "slack_workflow_webhook",
            rf"{_HOST}/(?:workflows|triggers)/T[A-Z0-9]{{6,12}}/(?:[A-Z0-9]{{6,16}}/)?"
            r"[0-9]{6,24}/[A-Za-z0-9]{20,40}(?![A-Za-z0-9])",
            0.85,
        ),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("slack", "token", "bot", "webhook", "hook", "oauth")
    PREFILTER: ClassVar[tuple[str, ...]] = (
        r"(?:xoxe\.xox[bp]|xox[abeoprs]|xapp)-[A-Za-z0-9]",
        r"(?:(?i:https?://))?(?i:hooks\.slack\.com/)",
    )
    # Six groups of up to 255 characters follow a token prefix; a webhook path is shorter.
    PREFILTER_REACH: ClassVar[int] = 1536
    VERSION: ClassVar[str] = "1"

    def validate_result(self, pattern_text: str) -> bool | None:
        if "hooks." in pattern_text.lower():
            parts = pattern_text.rstrip("/").split("/")
            secret, ids = parts[-1], parts[-3:-1]
            if is_filler(secret) or any(set(i[1:]) <= {"0"} for i in ids):
                return False
            return None
        body = pattern_text.split("-", 1)[1]
        if (
            len(pattern_text) < _MIN_TOKEN_LENGTH
            or not any(c.isdigit() for c in body)
            or is_filler(body.replace("-", ""))
        ):
            return False
        return None
