"""HIGH_ENTROPY_SECRET: random-looking values under secret-sounding keys."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine

from pipelines.detection.secrets.high_entropy_secret import HighEntropySecretRecognizer
from tests.unit.detection.secrets import fakes
from tests.unit.detection.secrets.fakes import BASE64, HEX, rand
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

ENTITY = HighEntropySecretRecognizer.ENTITY
V = rand(32)
UUID = fakes.uuid4()
PASSWORD = rand(6) + "!" + rand(4) + "#" + rand(5)

POSITIVES: list[Positive] = [
    ("env", f"export API_KEY={V}", V, 0.6),
    ("json", f'{{"client_secret": "{V}", "client_id": "abc"}}', V, 0.6),
    ("yaml", f"db:\n  password: {PASSWORD}\n  host: db", PASSWORD, 0.6),
    ("python-kwarg", f'connect(host="x", auth_token="{V}")', V, 0.6),
    ("php-array", f"'apikey' => '{V}',", V, 0.6),
    ("go-assign", f'secret := "{V}"', V, 0.6),
    ("bearer-header", f"Authorization: Bearer {V}", V, 0.6),
    ("api-key-header", f"curl -H 'X-Api-Key: {V}' https://api.example.com", V, 0.6),
    ("json-escaped", f'{{\\"access_token\\": \\"{V}\\"}}', V, 0.6),
    ("camel-case-key", f'{{"refreshToken": "{V}"}}', V, 0.6),
    ("credentials", f"CREDENTIALS={(v := rand(24, BASE64))}", v, 0.6),
    ("private-key-value", f"private_key = {(v := rand(44, BASE64))}", v, 0.6),
    ("hex-secret", f"WEBHOOK_SECRET={(v := rand(32, HEX))}", v, 0.6),
    ("uuid-under-api-key", f"HEROKU_API_KEY={UUID}", UUID, 0.5),
    ("uuid-under-password", f'"password": "{UUID}"', UUID, 0.5),
]

NEGATIVES: list[Negative] = [
    ("llm-usage", '{"usage": {"prompt_tokens": 1234, "max_tokens": 4096}}'),
    ("tokenizer", 'tokenizer: "bert-base-uncased-whole-word"'),
    ("author", f'author: "{rand(20)}"'),
    ("uuid-under-token", f'{{"token": "{fakes.uuid4()}"}}'),
    ("uuid-under-id", f"request_id={fakes.uuid4()}"),
    ("client-id", f'auth_client_id: "{rand(24)}"'),
    ("token-url", 'token_url: "https://login.example.com/oauth2/v2.0/token"'),
    ("pagination", f'{{"nextToken": "{rand(40, BASE64)}"}}'),
    ("idempotency", f"Idempotency-Token: {rand(32)}"),
    ("filler", 'password: "xxxxxxxxxxxxxxxxxxxx"'),
    ("angle-placeholder", 'api_key: "<your-api-key-goes-here>"'),
    ("your-placeholder", "API_KEY=your_api_key_goes_here_123"),
    ("changeme", "SECRET=changeme-changeme-123"),
    ("env-template", 'secret: "${APP_SECRET_FROM_ENVIRONMENT}"'),
    ("shell-variable", "export TOKEN=$GITHUB_PERSONAL_ACCESS_TOKEN"),
    ("jinja", "api_key: {{ vault_api_key_for_production }}"),
    ("dotted-name", 'auth_backend: "myapp.auth.backends.TokenBackend"'),
    ("identifier", "SECRET_NAME=MY_SECRET_VARIABLE_NAME"),
    ("passphrase", "password: correcthorsebatterystaple"),
    ("short", "token=abc123"),
    ("prose", "The token was rejected because it expired yesterday, please rotate it."),
    ("git-sha-no-key", f"commit {fakes.git_sha()} rotates the secret"),
    ("path", 'credentials_file: "/home/app/.config/gcloud/credentials.json"'),
]


@pytest.fixture(scope="module")
def recognizer() -> HighEntropySecretRecognizer:
    return HighEntropySecretRecognizer()


@pytest.mark.parametrize(("text", "secret", "score"), positive_params(POSITIVES))
def test_finds_value_only(
    recognizer: HighEntropySecretRecognizer, text: str, secret: str, score: float
) -> None:
    assert matches(recognizer, text) == {secret: pytest.approx(score)}


@pytest.mark.parametrize("text", negative_params(NEGATIVES))
def test_ignores_near_misses(recognizer: HighEntropySecretRecognizer, text: str) -> None:
    assert matches(recognizer, text) == {}


@pytest.mark.parametrize(("text", "secret"), secret_params(POSITIVES))
def test_prefilter_covers(text: str, secret: str) -> None:
    assert_prefilter_covers(HighEntropySecretRecognizer, text, secret)


@pytest.mark.parametrize(("text", "secret"), secret_params(POSITIVES))
def test_found_inside_presidio(analyzer: AnalyzerEngine, text: str, secret: str) -> None:
    assert secret in presidio_matches(analyzer, text, ENTITY)


@pytest.mark.parametrize("text", negative_params(NEGATIVES))
def test_presidio_ignores_near_misses(analyzer: AnalyzerEngine, text: str) -> None:
    assert presidio_matches(analyzer, text, ENTITY) == {}


def test_score_is_not_raised_by_its_own_key(context_analyzer: AnalyzerEngine) -> None:
    assert presidio_matches(context_analyzer, f"api_key={V}", ENTITY) == {V: pytest.approx(0.6)}
