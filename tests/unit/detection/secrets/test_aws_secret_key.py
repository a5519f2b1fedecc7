"""AWS_SECRET_KEY: 40 base64 characters, only when an AWS secret key name introduces them."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine

from pipelines.detection.secrets.aws_secret_key import AwsSecretKeyRecognizer
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

ENTITY = AwsSecretKeyRecognizer.ENTITY
S = fakes.aws_secret_key()

POSITIVES: list[Positive] = [
    ("env", f"export AWS_SECRET_ACCESS_KEY={S}", S, 0.85),
    ("ini", f"[default]\naws_secret_access_key = {S}\nregion = eu-west-1", S, 0.85),
    ("json", f'{{"AccessKeyId": "x", "SecretAccessKey": "{S}"}}', S, 0.85),
    ("yaml", f"aws:\n  secret_access_key: '{S}'\n", S, 0.85),
    ("short-name", f"AWS_SECRET_KEY={S}", S, 0.85),
    ("camel", f'awsSecretKey := "{S}"', S, 0.85),
    ("json-escaped", f'{{\\"aws_secret_access_key\\": \\"{S}\\"}}', S, 0.85),
    ("prose-colon", f"Here is the AWS secret key: {S}", S, 0.85),
    ("same-line", f"AWS creds, the secret is {S} and the id is elsewhere", S, 0.7),
]

NEGATIVES: list[Negative] = [
    ("no-key-name", f"checksum {fakes.aws_secret_key()} attached"),
    ("other-key-name", f"client_secret = {fakes.aws_secret_key()}"),
    ("39-chars", f"aws_secret_access_key = {fakes.rand(39, fakes.BASE64)}"),
    ("41-chars", f"aws_secret_access_key = {fakes.rand(41, fakes.BASE64)}"),
    ("git-sha", f"aws_secret_access_key = {fakes.git_sha()}"),
    ("aws-docs-example", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY"),
    ("filler", f"aws_secret_access_key = {'x' * 40}"),
    ("placeholder", "aws_secret_access_key = <your-secret-access-key-goes-here-please>"),
    ("template", "aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY_FROM_THE_VAULT_X}"),
    ("prose", "Never paste your AWS secret access key into a chat window."),
    ("other-line", f"aws secret rotation done\n{fakes.aws_secret_key()}"),
]


@pytest.fixture(scope="module")
def recognizer() -> AwsSecretKeyRecognizer:
    return AwsSecretKeyRecognizer()


@pytest.mark.parametrize(("text", "secret", "score"), positive_params(POSITIVES))
def test_finds_exact_span(
    recognizer: AwsSecretKeyRecognizer, text: str, secret: str, score: float
) -> None:
    assert matches(recognizer, text) == {secret: pytest.approx(score)}


@pytest.mark.parametrize("text", negative_params(NEGATIVES))
def test_ignores_near_misses(recognizer: AwsSecretKeyRecognizer, text: str) -> None:
    assert matches(recognizer, text) == {}


@pytest.mark.parametrize(("text", "secret"), secret_params(POSITIVES))
def test_prefilter_covers(text: str, secret: str) -> None:
    assert_prefilter_covers(AwsSecretKeyRecognizer, text, secret)


@pytest.mark.parametrize(("text", "secret"), secret_params(POSITIVES))
def test_found_inside_presidio(analyzer: AnalyzerEngine, text: str, secret: str) -> None:
    assert secret in presidio_matches(analyzer, text, ENTITY)


@pytest.mark.parametrize("text", negative_params(NEGATIVES))
def test_presidio_ignores_near_misses(analyzer: AnalyzerEngine, text: str) -> None:
    assert presidio_matches(analyzer, text, ENTITY) == {}


def test_key_name_is_not_counted_twice(context_analyzer: AnalyzerEngine) -> None:
    """The pattern already requires the key name; the context enhancer must not add to it."""
    text = f"aws secret access key = {S}"
    assert presidio_matches(context_analyzer, text, ENTITY) == {S: pytest.approx(0.85)}
