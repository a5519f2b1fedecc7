"""PRIVATE_KEY: PEM / OpenSSH / PGP private key blocks; the span is the whole block."""

from __future__ import annotations

import json

import pytest
from presidio_analyzer import AnalyzerEngine

from pipelines.detection.secrets.private_key import PrivateKeyRecognizer
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

ENTITY = PrivateKeyRecognizer.ENTITY
RSA = fakes.pem("RSA ")
DEK_INFO = f"DEK-Info: AES-128-CBC,{fakes.rand(32, '0123456789ABCDEF')}"
ENCRYPTED_PEM = fakes.pem("RSA ", headers=("Proc-Type: 4,ENCRYPTED", DEK_INFO))
PKCS8 = fakes.pem("")
_flat_lines = fakes.pem("EC ").split("\n")
FLATTENED = " ".join(_flat_lines)
NO_SEPARATORS = _flat_lines[0] + "".join(_flat_lines[1:-1]) + _flat_lines[-1]
INDENTED = fakes.pem("OPENSSH ").replace("\n", "\n    ")
CRLF = fakes.pem("DSA ", newline="\r\n")
_cut = fakes.pem("RSA ").split("\n")
TRUNCATED = "\n".join(_cut[:6])
TRUNCATED_ESCAPED = json.dumps(TRUNCATED)[1:-1]
SERVICE_ACCOUNT_KEY = fakes.pem("")
ESCAPED = json.dumps(SERVICE_ACCOUNT_KEY)[1:-1]  # as it sits inside a JSON document

POSITIVES: list[Positive] = [
    ("rsa", f"here is my key:\n{RSA}\nwhy does ssh reject it?", RSA, 1.0),
    ("pkcs8", f"```\n{PKCS8}\n```", PKCS8, 1.0),
    ("encrypted-pem-headers", f"key.pem:\n{ENCRYPTED_PEM}\n", ENCRYPTED_PEM, 1.0),
    ("encrypted-pkcs8", f"{(k := fakes.pem('ENCRYPTED '))}", k, 1.0),
    ("openssh-indented-yaml", f"deploy:\n  ssh_key: |\n    {INDENTED}\n  host: x", INDENTED, 1.0),
    ("pgp-armor", f"gpg export:\n{(k := fakes.pgp_private_key_block())}\n", k, 1.0),
    ("crlf", f"{CRLF}\r\n", CRLF, 1.0),
    ("flattened-spaces", f"key: {FLATTENED} (pasted from a form)", FLATTENED, 1.0),
    ("no-separators", f"key={NO_SEPARATORS};", NO_SEPARATORS, 1.0),
    (
        "json-escaped",
        f'{{"type": "service_account", "private_key": "{ESCAPED}", "client_email": "x"}}',
        ESCAPED,
        1.0,
    ),
    ("truncated", f"log line: {TRUNCATED}", TRUNCATED, 0.85),
    ("truncated-then-prose", f"{TRUNCATED}\nThanks for looking at this", TRUNCATED, 0.85),
    ("truncated-json", f'{{"key": "{TRUNCATED_ESCAPED}"}}', TRUNCATED_ESCAPED, 0.85),
]

BODY = "\n".join(fakes.pem_body(300))
NEGATIVES: list[Negative] = [
    ("header-in-prose", "The file should start with -----BEGIN RSA PRIVATE KEY----- exactly."),
    ("header-and-footer-only", "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----"),
    (
        "elided-body",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----",
    ),
    ("public-key", f"-----BEGIN PUBLIC KEY-----\n{BODY}\n-----END PUBLIC KEY-----"),
    ("certificate", f"-----BEGIN CERTIFICATE-----\n{BODY}\n-----END CERTIFICATE-----"),
    ("no-dashes", f"BEGIN RSA PRIVATE KEY\n{BODY}"),
    ("lower-case", fakes.pem("RSA ").lower()),
]


@pytest.fixture(scope="module")
def recognizer() -> PrivateKeyRecognizer:
    return PrivateKeyRecognizer()


@pytest.mark.parametrize(("text", "secret", "score"), positive_params(POSITIVES))
def test_finds_whole_block(
    recognizer: PrivateKeyRecognizer, text: str, secret: str, score: float
) -> None:
    assert matches(recognizer, text) == {secret: pytest.approx(score)}


@pytest.mark.parametrize("text", negative_params(NEGATIVES))
def test_ignores_near_misses(recognizer: PrivateKeyRecognizer, text: str) -> None:
    assert matches(recognizer, text) == {}


@pytest.mark.parametrize(("text", "secret"), secret_params(POSITIVES))
def test_prefilter_covers(text: str, secret: str) -> None:
    assert_prefilter_covers(PrivateKeyRecognizer, text, secret)


@pytest.mark.parametrize(("text", "secret"), secret_params(POSITIVES))
def test_found_inside_presidio(analyzer: AnalyzerEngine, text: str, secret: str) -> None:
    assert secret in presidio_matches(analyzer, text, ENTITY)


@pytest.mark.parametrize("text", negative_params(NEGATIVES))
def test_presidio_ignores_near_misses(analyzer: AnalyzerEngine, text: str) -> None:
    assert presidio_matches(analyzer, text, ENTITY) == {}


def test_two_blocks_are_two_findings(recognizer: PrivateKeyRecognizer) -> None:
    first, second = fakes.pem("RSA "), fakes.pem("EC ")
    assert set(matches(recognizer, f"{first}\n\nand\n\n{second}")) == {first, second}
