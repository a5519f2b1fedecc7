"""STRIPE_KEY: sk_/rk_ live and test keys, whsec_ webhook secrets; pk_ keys are public."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine

from pipelines.detection.secrets.stripe_key import StripeKeyRecognizer
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

ENTITY = StripeKeyRecognizer.ENTITY
SK_LIVE, RK_LIVE = "sk" + "_live_", "rk" + "_live_"
SK_TEST, RK_TEST = "sk" + "_test_", "rk" + "_test_"
KEY = fakes.stripe_key(SK_LIVE)

POSITIVES: list[Positive] = [
    ("secret-live", f"STRIPE_SECRET_KEY={KEY}", KEY, 0.95),
    ("restricted-live", f"stripe.api_key = '{(k := fakes.stripe_key(RK_LIVE))}'", k, 0.95),
    ("secret-test", f"curl -u {(k := fakes.stripe_key(SK_TEST))}: https://api.stripe.com", k, 0.9),
    ("restricted-test", f'{{"key": "{(k := fakes.stripe_key(RK_TEST))}"}}', k, 0.9),
    ("long-new-style", f"key {(k := fakes.stripe_key(SK_LIVE, 99))} end", k, 0.95),
    ("webhook-secret", f"endpoint_secret = {(k := 'wh' + 'sec_' + fakes.rand(32))}", k, 0.9),
]

NEGATIVES: list[Negative] = [
    ("publishable-live", f"STRIPE_PUBLISHABLE_KEY={fakes.stripe_key('pk' + '_live_')}"),
    ("publishable-test", f"Stripe('{fakes.stripe_key('pk' + '_test_')}')"),
    ("23-chars", f"key {fakes.stripe_key(SK_LIVE, 23)} end"),
    ("unknown-mode", f"key {fakes.stripe_key('sk' + '_prod_')} end"),
    ("inside-word", f"key a{KEY} end"),
    ("filler", f"STRIPE_SECRET_KEY={SK_LIVE}{'x' * 24}"),
    ("openai-style", f"OPENAI_API_KEY=sk-proj-{fakes.rand(48)}"),
    ("prose", "Live secret keys begin with sk_live_ and test keys with sk_test_."),
    ("webhook-short", f"whsec = {'wh' + 'sec_' + fakes.rand(31)}"),
]


@pytest.fixture(scope="module")
def recognizer() -> StripeKeyRecognizer:
    return StripeKeyRecognizer()


@pytest.mark.parametrize(("text", "secret", "score"), positive_params(POSITIVES))
def test_finds_exact_span(
    recognizer: StripeKeyRecognizer, text: str, secret: str, score: float
) -> None:
    assert matches(recognizer, text) == {secret: pytest.approx(score)}


@pytest.mark.parametrize("text", negative_params(NEGATIVES))
def test_ignores_near_misses(recognizer: StripeKeyRecognizer, text: str) -> None:
    assert matches(recognizer, text) == {}


@pytest.mark.parametrize(("text", "secret"), secret_params(POSITIVES))
def test_prefilter_covers(text: str, secret: str) -> None:
    assert_prefilter_covers(StripeKeyRecognizer, text, secret)


@pytest.mark.parametrize(("text", "secret"), secret_params(POSITIVES))
def test_found_inside_presidio(analyzer: AnalyzerEngine, text: str, secret: str) -> None:
    assert secret in presidio_matches(analyzer, text, ENTITY)


@pytest.mark.parametrize("text", negative_params(NEGATIVES))
def test_presidio_ignores_near_misses(analyzer: AnalyzerEngine, text: str) -> None:
    assert presidio_matches(analyzer, text, ENTITY) == {}
