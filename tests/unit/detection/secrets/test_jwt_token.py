"""JWT: eyJ header that decodes to a JSON object with "alg", then payload and signature."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine

from pipelines.detection.secrets.jwt_token import JwtRecognizer
from tests.unit.detection.secrets import fakes
from tests.unit.detection.secrets.fakes import BASE64URL, b64url_json, rand
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

ENTITY = JwtRecognizer.ENTITY
TOKEN = fakes.jwt()
RS256 = fakes.jwt({"alg": "RS256", "kid": rand(16), "typ": "JWT"}, signature_length=342)
UNSECURED = f"{b64url_json({'alg': 'none'})}.{b64url_json({'sub': '1'})}."
JWE = ".".join(
    [b64url_json({"alg": "RSA-OAEP", "enc": "A256GCM"}), rand(342, BASE64URL), rand(16, BASE64URL),
     rand(120, BASE64URL), rand(22, BASE64URL)]
)

POSITIVES: list[Positive] = [
    ("bearer-header", f"Authorization: Bearer {TOKEN}", TOKEN, 1.0),
    ("rs256", f"id_token={RS256}&state=abc", RS256, 1.0),
    ("json", f'{{"access_token": "{TOKEN}", "token_type": "Bearer"}}', TOKEN, 1.0),
    ("cookie", f"Cookie: session={TOKEN}; theme=dark", TOKEN, 1.0),
    ("sentence-end", f"The token was {TOKEN}.", TOKEN, 1.0),
    ("unsecured-alg-none", f"jwt {UNSECURED} accepted?!", UNSECURED, 1.0),
    ("jwe-five-parts", f"encrypted token {JWE}", JWE, 1.0),
]

NOT_JSON = "eyJ" + rand(30, BASE64URL)
HS256 = b64url_json({"alg": "HS256"})
NO_ALG = b64url_json({"typ": "JWT"})
CLAIMS = b64url_json({"a": 1})
NEGATIVES: list[Negative] = [
    ("header-not-json", f"value {NOT_JSON}.{rand(40, BASE64URL)}.{rand(43, BASE64URL)}"),
    ("header-without-alg", f"x {NO_ALG}.{CLAIMS}.{rand(43, BASE64URL)}"),
    ("two-segments", f"x {HS256}.{CLAIMS} y"),
    ("short-signature", f"x {HS256}.{CLAIMS}.{rand(8, BASE64URL)}"),
    ("base64-json-blob", f"data {b64url_json({'foo': 'bar', 'n': 1})} end"),
    ("prose", "JWTs start with eyJ because every header is a JSON object."),
    ("version-number", "upgrade from 1.2.3 to eyJ.4.5"),
    ("uuid", f"jti {fakes.uuid4()}"),
]


@pytest.fixture(scope="module")
def recognizer() -> JwtRecognizer:
    return JwtRecognizer()


@pytest.mark.parametrize(("text", "secret", "score"), positive_params(POSITIVES))
def test_finds_exact_span(recognizer: JwtRecognizer, text: str, secret: str, score: float) -> None:
    assert matches(recognizer, text) == {secret: pytest.approx(score)}


@pytest.mark.parametrize("text", negative_params(NEGATIVES))
def test_ignores_near_misses(recognizer: JwtRecognizer, text: str) -> None:
    assert matches(recognizer, text) == {}


@pytest.mark.parametrize(("text", "secret"), secret_params(POSITIVES))
def test_prefilter_covers(text: str, secret: str) -> None:
    assert_prefilter_covers(JwtRecognizer, text, secret)


@pytest.mark.parametrize(("text", "secret"), secret_params(POSITIVES))
def test_found_inside_presidio(analyzer: AnalyzerEngine, text: str, secret: str) -> None:
    assert secret in presidio_matches(analyzer, text, ENTITY)


@pytest.mark.parametrize("text", negative_params(NEGATIVES))
def test_presidio_ignores_near_misses(analyzer: AnalyzerEngine, text: str) -> None:
    assert presidio_matches(analyzer, text, ENTITY) == {}
