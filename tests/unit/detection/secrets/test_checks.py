"""The value checks every recognizer shares: entropy against random, fillers, templates."""

from __future__ import annotations

import random
import string

import pytest

from pipelines.detection.secrets._checks import (
    is_filler,
    is_placeholder,
    is_template,
    looks_random,
    random_entropy,
    shannon_entropy,
)

RNG = random.Random(1)


def test_shannon_entropy() -> None:
    assert shannon_entropy("") == 0.0
    assert shannon_entropy("aaaa") == 0.0
    assert shannon_entropy("abcd") == pytest.approx(2.0)


@pytest.mark.parametrize("length", [16, 20, 24, 32, 40, 64, 128])
@pytest.mark.parametrize(
    "alphabet", [string.hexdigits[:16], string.ascii_letters + string.digits + "+/"]
)
def test_random_strings_look_random(length: int, alphabet: str) -> None:
    samples = ["".join(RNG.choice(alphabet) for _ in range(length)) for _ in range(2000)]
    assert sum(looks_random(s) for s in samples) >= 1996  # 99.8%; measured >= 99.96%


@pytest.mark.parametrize(
    "value",
    [
        "bert-base-uncased-whole-word",
        "aaaaaaaabbbbbbbbcccc",
        "correcthorsebatterystaple",
        "deadbeefdeadbeef",
        "0000111122223333",
    ],
)
def test_words_do_not_look_random(value: str) -> None:
    assert not looks_random(value)


def test_random_entropy_grows_with_length_and_alphabet() -> None:
    assert random_entropy(16, 16) < random_entropy(64, 16) < random_entropy(64, 64)


@pytest.mark.parametrize("body", ["x" * 36, "000000aB3", "abcdefghXyZ", "ABABABABABABABAB"])
def test_fillers(body: str) -> None:
    assert is_filler(body)


@pytest.mark.parametrize("value", ["${DB_PASSWORD}", "{{ secret }}", "<your-token>", "%(pw)s",
                                   "$API_TOKEN", "********", "abc...xyz"])
def test_templates(value: str) -> None:
    assert is_template(value)


@pytest.mark.parametrize("value", ["your_api_key_here", "changeme", "REDACTED_TOKEN_1",
                                   "example-secret-123"])
def test_placeholders(value: str) -> None:
    assert is_placeholder(value)


@pytest.mark.parametrize("value", ["Tr0ub4dor&3xyzQ!", "q8Zr2LmN5pW1xYt7", "!Qw3rty#Zx9Lp2Mn"])
def test_real_looking_passwords_are_not_placeholders(value: str) -> None:
    assert not is_placeholder(value) and looks_random(value)
