"""Value checks and regex fragments shared by the secret recognizers.

Why these checks exist: a format regex finds the *shape* of a secret; documentation, test
fixtures and prompts are full of things with that shape that are not secrets (``xxxx`` fillers,
``${VAR}`` templates, AWS's own ``...EXAMPLE`` keys, identifiers that happen to be long). Each
recognizer's ``validate_result`` calls the helpers here to drop those, so the rules are the same
everywhere and are tested once.

Entropy is judged against what a *random* string of the same length and alphabet would show,
not against one fixed number: a 16-character random token cannot reach 4.5 bits per character
(the fixed limit some scanners use), while a 40-character English identifier easily passes 3.5.
Entropy alone cannot tell a long identifier from a token; it is one check among several.
"""

from __future__ import annotations

import math
from collections import Counter

import regex as re

# Assignment between a key and its value, as written in env files, YAML, JSON, INI, Python,
# PHP/Ruby hashes and Go: `=`, `:`, `=>`, `:=`; optional (JSON-escaped) quotes around the key
# and the value. Whitespace is bounded so the distance from key to value is bounded too, which
# the pre-filter relies on (see ``SecretRecognizer.PREFILTER_REACH``).
ASSIGN = r"""\\?["']?[ \t]{0,8}(?:=>|:=|=|:)[ \t]{0,8}"""
OPEN_QUOTE = r"""\\?["']"""

# Margin below the entropy a uniformly random string would typically reach, measured by
# simulation (tests/unit/detection/secrets/test_checks.py). Base64/base62 values: 0.75 bits keeps
# >= 99.98% of random strings of 16 to 64 characters. Short hex strings vary more: 1.0 bit keeps
# >= 99.96% of random hex of 16+ characters. Words and names that still pass (dotted module
# paths, UPPER_SNAKE names) are dropped by the recognizers' own shape checks, not by entropy.
BASE64_MARGIN_BITS = 0.75
HEX_MARGIN_BITS = 1.0

_HEX = re.compile(r"[0-9a-fA-F]+")
_UUID = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
_RUN = re.compile(r"(.)\1{5,}")
_TEMPLATE = re.compile(r"^\$[A-Za-z_{(]|\$\{|\{\{|\}\}|^<.*>$|^\[.*\]$|^%\(|^%[sd]$|\.\.\.|…")
_MASK = re.compile(r"^[*xX#•.\-_]+$")
_PLACEHOLDER_WORDS = (
    "xxxx",
    "your",
    "example",
    "sample",
    "dummy",
    "placeholder",
    "changeme",
    "change_me",
    "change-me",
    "redacted",
    "insert",
    "replace",
    "todo",
    "fixme",
)


def shannon_entropy(value: str) -> float:
    """Bits per character of ``value``'s own character distribution."""
    if not value:
        return 0.0
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


def random_entropy(length: int, alphabet: int) -> float:
    """About the entropy a uniformly random string of this length and alphabet shows.

    Uses the expected number of distinct symbols in ``length`` draws; within 0.2 bits of the
    simulated median for 16 to 64 characters over hex and base64 alphabets.
    """
    distinct = alphabet * (1.0 - (1.0 - 1.0 / alphabet) ** length)
    return math.log2(max(distinct, 1.0))


def looks_random(value: str) -> bool:
    """True when ``value`` is about as varied as random hex (if hex) or base64 (otherwise)."""
    if _HEX.fullmatch(value):
        return shannon_entropy(value) >= random_entropy(len(value), 16) - HEX_MARGIN_BITS
    return shannon_entropy(value) >= random_entropy(len(value), 64) - BASE64_MARGIN_BITS


def is_uuid(value: str) -> bool:
    return _UUID.fullmatch(value) is not None


def is_hex(value: str) -> bool:
    return _HEX.fullmatch(value) is not None


def char_classes(value: str) -> int:
    """How many of lower case, upper case and digits occur in ``value``."""
    return sum(
        (
            any(c.islower() for c in value),
            any(c.isupper() for c in value),
            any(c.isdigit() for c in value),
        )
    )


def _has_sequence(value: str, length: int = 8) -> bool:
    """A run like ``12345678`` or ``abcdefgh``: typed by a person, never drawn at random."""
    run = 1
    for a, b in zip(value, value[1:], strict=False):
        run = run + 1 if ord(b) == ord(a) + 1 else 1
        if run >= length:
            return True
    return False


def is_filler(body: str) -> bool:
    """The random part of a prefixed token is a filler: ``xxxxxx``, ``000000``, ``abcdefgh``.

    Safe for real tokens: a random base62 body has six equal characters in a row, or eight
    ascending ones, or fewer than six distinct symbols, with a probability below one in a
    million.
    """
    few_symbols = len(body) >= 16 and len(set(body)) < 6
    return bool(_RUN.search(body)) or _has_sequence(body) or few_symbols


def is_template(value: str) -> bool:
    """``${VAR}``, ``{{ var }}``, ``<your-token>``, ``%(pw)s``, ``$PASSWORD``, ``***``, ``...``."""
    return bool(_TEMPLATE.search(value)) or bool(_MASK.fullmatch(value))


def is_placeholder(value: str) -> bool:
    """A value a person typed to stand for a secret, not a secret.

    Only for values found through a key name (``password=...``): a word list would also hit
    the rare random token that happens to contain ``your`` or ``todo``.
    """
    lowered = value.lower()
    return (
        is_template(value)
        or is_filler(value)
        or any(word in lowered for word in _PLACEHOLDER_WORDS)
    )
