"""AWS_ACCESS_KEY: AKIA/ASIA/ABIA/ACCA + 16 upper-case letters or digits."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine

from pipelines.detection.secrets.aws_access_key import AwsAccessKeyRecognizer
from tests.unit.detection.secrets import fakes
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

ENTITY = AwsAccessKeyRecognizer.ENTITY
AKIA, ASIA = "AK" + "IA", "AS" + "IA"
KEY = fakes.aws_access_key(AKIA)

POSITIVES: list[Positive] = [
    ("env", f"export AWS_ACCESS_KEY_ID={KEY}", KEY, 0.9),
    ("ini", f"[default]\naws_access_key_id = {KEY}\n", KEY, 0.9),
    ("json", f'{{"AccessKeyId": "{KEY}", "Expiration": "2030-01-01"}}', KEY, 0.9),
    ("sts", f"temporary creds {(k := fakes.aws_access_key(ASIA))} expire soon", k, 0.9),
    ("bearer", f"token {(k := fakes.aws_access_key('AB' + 'IA'))}.", k, 0.9),
    ("context", f"({(k := fakes.aws_access_key('AC' + 'CA'))})", k, 0.9),
    ("url", f"https://s3.amazonaws.com/b/o?AWSAccessKeyId={KEY}&Expires=1", KEY, 0.9),
    ("prose", f"I pasted my key {KEY} into the prompt, sorry", KEY, 0.9),
]

NEGATIVES: list[Negative] = [
    ("too-short", f"id {AKIA}{fakes.rand(15, fakes.BASE32)} here"),
    ("too-long", f"id {AKIA}{fakes.rand(17, fakes.BASE32)} here"),
    ("user-id-prefix", f"principal {'AI' + 'DA'}{fakes.rand(16, fakes.BASE32)}"),
    ("role-id-prefix", f"role {'AR' + 'OA'}{fakes.rand(16, fakes.BASE32)}"),
    ("lower-case", f"key {(AKIA + fakes.rand(16, fakes.BASE32)).lower()}"),
    ("inside-word", f"value X{KEY} here"),
    ("aws-docs-example", f"aws_access_key_id = {AKIA}IOSFODNN7EXAMPLE"),
    ("filler", f"aws_access_key_id = {AKIA}{'X' * 16}"),
    ("prose", "Long-term keys start with AKIA and temporary ones with ASIA."),
    ("git-sha", f"commit {fakes.git_sha()}"),
    ("uuid", f"request {fakes.uuid4()}"),
]


@pytest.fixture(scope="module")
def recognizer() -> AwsAccessKeyRecognizer:
    return AwsAccessKeyRecognizer()


@pytest.mark.parametrize(("text", "secret", "score"), positive_params(POSITIVES))
def test_finds_exact_span(
    recognizer: AwsAccessKeyRecognizer, text: str, secret: str, score: float
) -> None:
    assert matches(recognizer, text) == {secret: pytest.approx(score)}


@pytest.mark.parametrize("text", negative_params(NEGATIVES))
def test_ignores_near_misses(recognizer: AwsAccessKeyRecognizer, text: str) -> None:
    assert matches(recognizer, text) == {}


@pytest.mark.parametrize(("text", "secret"), secret_params(POSITIVES))
def test_prefilter_covers(text: str, secret: str) -> None:
    assert_prefilter_covers(AwsAccessKeyRecognizer, text, secret)


@pytest.mark.parametrize(("text", "secret"), secret_params(POSITIVES))
def test_found_inside_presidio(analyzer: AnalyzerEngine, text: str, secret: str) -> None:
    assert secret in presidio_matches(analyzer, text, ENTITY)


@pytest.mark.parametrize("text", negative_params(NEGATIVES))
def test_presidio_ignores_near_misses(analyzer: AnalyzerEngine, text: str) -> None:
    assert presidio_matches(analyzer, text, ENTITY) == {}


def test_context_word_raises_score(context_analyzer: AnalyzerEngine) -> None:
    assert presidio_matches(context_analyzer, f"my aws key is {KEY}", ENTITY) == {KEY: 1.0}
