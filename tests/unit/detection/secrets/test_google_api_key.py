"""GOOGLE_API_KEY: AIza + 35 characters of [0-9A-Za-z_-]."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine

from pipelines.detection.secrets.google_api_key import GoogleApiKeyRecognizer
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

ENTITY = GoogleApiKeyRecognizer.ENTITY
AIZA = "AI" + "za"
KEY = fakes.google_api_key()

POSITIVES: list[Positive] = [
    ("env", f"GOOGLE_API_KEY={KEY}", KEY, 0.9),
    ("url", f"https://maps.googleapis.com/maps/api/geocode/json?address=x&key={KEY}", KEY, 0.9),
    ("json", f'{{"apiKey": "{KEY}", "authDomain": "demo.firebaseapp.com"}}', KEY, 0.9),
    ("header", f"x-goog-api-key: {KEY}", KEY, 0.9),
    ("prose", f"my gemini key is {KEY}, why 403?", KEY, 0.9),
]

NEGATIVES: list[Negative] = [
    ("34-chars", f"key={AIZA}{fakes.rand(34, fakes.BASE64URL)} x"),
    ("36-chars", f"key={AIZA}{fakes.rand(36, fakes.BASE64URL)} x"),
    ("wrong-prefix", f"key={'AI' + 'zb'}{fakes.rand(35, fakes.BASE64URL)} x"),
    ("lower-case", f"key={(AIZA + fakes.rand(35, fakes.BASE62)).lower()} x"),
    ("inside-word", f"key=x{KEY} x"),
    ("filler", f"GOOGLE_API_KEY={AIZA}{'X' * 35}"),
    ("prose", "Google API keys start with AIza and are 39 characters long."),
    ("uuid", f"project {fakes.uuid4()}"),
]


@pytest.fixture(scope="module")
def recognizer() -> GoogleApiKeyRecognizer:
    return GoogleApiKeyRecognizer()


@pytest.mark.parametrize(("text", "secret", "score"), positive_params(POSITIVES))
def test_finds_exact_span(
    recognizer: GoogleApiKeyRecognizer, text: str, secret: str, score: float
) -> None:
    assert matches(recognizer, text) == {secret: pytest.approx(score)}


@pytest.mark.parametrize("text", negative_params(NEGATIVES))
def test_ignores_near_misses(recognizer: GoogleApiKeyRecognizer, text: str) -> None:
    assert matches(recognizer, text) == {}


@pytest.mark.parametrize(("text", "secret"), secret_params(POSITIVES))
def test_prefilter_covers(text: str, secret: str) -> None:
    assert_prefilter_covers(GoogleApiKeyRecognizer, text, secret)


@pytest.mark.parametrize(("text", "secret"), secret_params(POSITIVES))
def test_found_inside_presidio(analyzer: AnalyzerEngine, text: str, secret: str) -> None:
    assert secret in presidio_matches(analyzer, text, ENTITY)


@pytest.mark.parametrize("text", negative_params(NEGATIVES))
def test_presidio_ignores_near_misses(analyzer: AnalyzerEngine, text: str) -> None:
    assert presidio_matches(analyzer, text, ENTITY) == {}
