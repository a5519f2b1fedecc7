"""SLACK_TOKEN: xox*/xapp tokens and hooks.slack.com webhook URLs (the whole URL)."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine

from pipelines.detection.secrets.slack_token import SlackTokenRecognizer
from tests.unit.detection.secrets import fakes
from tests.unit.detection.secrets.fakes import DIGITS, HEX, rand
from tests.unit.detection.secrets.helpers import (
    Negative,
    Positive,
    assert_prefilter_covers,
    matches,
    negative_params,
    positive_params,
    presidio_matches,
    secret_params,
)

ENTITY = SlackTokenRecognizer.ENTITY
XOX = "xo" + "x"
BOT = fakes.slack_bot_token()
HOOK = fakes.slack_webhook()
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

LEGACY_BOT = XOX + "b-" + rand(11, DIGITS) + "-" + rand(24)
APP_OAUTH = XOX + "a-2-" + rand(12, DIGITS) + "-" + rand(32, HEX)
REFRESH = XOX + "r-" + rand(12, DIGITS) + "-" + rand(40)
SESSION = XOX + "s-" + rand(12, DIGITS) + "-" + rand(12, DIGITS) + "-" + rand(64, HEX)
ROTATING = XOX + "e-1-" + rand(140)
CONFIG = XOX + "e." + XOX + "p-1-" + rand(160)
APP_LEVEL = "xa" + "pp-1-A" + rand(10, UPPER) + "-" + rand(13, DIGITS) + "-" + rand(64, HEX)
SLACK = "https://hooks.slack.com"
WORKFLOW = f"{SLACK}/workflows/T{rand(9, UPPER)}/A{rand(10, UPPER)}/{rand(18, DIGITS)}/{rand(32)}"
TRIGGER = f"{SLACK}/triggers/T{rand(9, UPPER)}/{rand(13, DIGITS)}/{rand(32, HEX)}"
SHORT_HOOK = f"{SLACK}/services/T{rand(9, UPPER)}/B{rand(9, UPPER)}/{rand(19)}"

POSITIVES: list[Positive] = [
    ("bot-env", f"SLACK_BOT_TOKEN={BOT}", BOT, 0.9),
    ("user", f'client = WebClient(token="{(t := fakes.slack_user_token())}")', t, 0.9),
    ("legacy-bot", f"token: {LEGACY_BOT}", LEGACY_BOT, 0.9),
    ("app-oauth", f"{APP_OAUTH} x", APP_OAUTH, 0.9),
    ("refresh", f"refresh {REFRESH}", REFRESH, 0.9),
    ("session", f"d cookie {SESSION}", SESSION, 0.9),
    ("rotating", ROTATING, ROTATING, 0.9),
    ("config", f"export SLACK_CONFIG_TOKEN={CONFIG}", CONFIG, 0.9),
    ("app-level", f"SLACK_APP_TOKEN={APP_LEVEL}", APP_LEVEL, 0.9),
    ("webhook", f"curl -X POST -d @msg.json {HOOK}", HOOK, 0.95),
    ("webhook-http", f"url: {(h := fakes.slack_webhook('http://'))}", h, 0.95),
    ("webhook-no-scheme", f"post to {(h := fakes.slack_webhook(''))} please", h, 0.95),
    ("workflow-webhook", f"POST {WORKFLOW}", WORKFLOW, 0.85),
    ("trigger-webhook", f"{TRIGGER}\n", TRIGGER, 0.85),
]

NEGATIVES: list[Negative] = [
    ("prefix-only", f"tokens look like {XOX}b- followed by digits"),
    ("too-short", f"token {XOX}b-12345-abc"),
    ("wrong-prefix", f"token {XOX}z-{rand(11, DIGITS)}-{rand(12, DIGITS)}-{rand(24)}"),
    ("underscore", f"API_KEY = {XOX}b_slack_key12"),
    ("no-digits-placeholder", f"SLACK_BOT_TOKEN={XOX}b-your-bot-token-goes-here"),
    ("filler", f"SLACK_BOT_TOKEN={XOX}b-{'1' * 11}-{'1' * 12}-{'x' * 24}"),
    ("inside-word", f"token a{BOT}"),
    ("webhook-docs-example", f"{SLACK}/services/T00000000/B00000000/" + "X" * 24),
    ("webhook-short-secret", f"{SHORT_HOOK} x"),
    ("webhook-no-ids", "Send messages with https://hooks.slack.com/services/ URLs."),
    ("prose", "Create a bot token in the Slack app settings and keep it secret."),
    ("uuid", f"channel {fakes.uuid4()}"),
]


@pytest.fixture(scope="module")
def recognizer() -> SlackTokenRecognizer:
    return SlackTokenRecognizer()


@pytest.mark.parametrize(("text", "secret", "score"), positive_params(POSITIVES))
def test_finds_exact_span(
    recognizer: SlackTokenRecognizer, text: str, secret: str, score: float
) -> None:
    assert matches(recognizer, text) == {secret: pytest.approx(score)}


@pytest.mark.parametrize("text", negative_params(NEGATIVES))
def test_ignores_near_misses(recognizer: SlackTokenRecognizer, text: str) -> None:
    assert matches(recognizer, text) == {}


@pytest.mark.parametrize(("text", "secret"), secret_params(POSITIVES))
def test_prefilter_covers(text: str, secret: str) -> None:
    assert_prefilter_covers(SlackTokenRecognizer, text, secret)


@pytest.mark.parametrize(("text", "secret"), secret_params(POSITIVES))
def test_found_inside_presidio(analyzer: AnalyzerEngine, text: str, secret: str) -> None:
    assert secret in presidio_matches(analyzer, text, ENTITY)


@pytest.mark.parametrize("text", negative_params(NEGATIVES))
def test_presidio_ignores_near_misses(analyzer: AnalyzerEngine, text: str) -> None:
    assert presidio_matches(analyzer, text, ENTITY) == {}
