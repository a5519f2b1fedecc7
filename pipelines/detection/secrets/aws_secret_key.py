"""AWS secret access keys: 40 base64 characters, recognisable only by the name next to them.

Forty base64 characters are everywhere (hashes, ids, other vendors' keys), so a value is only
reported when an AWS secret key name introduces it: ``aws_secret_access_key = ...`` in
credentials files and env vars, ``"SecretAccessKey": "..."`` in JSON, ``AWS secret key: ...``
in prose, or, with a lower score, ``aws`` and ``secret`` earlier on the same line.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from pipelines.detection.secrets._base import SecretRecognizer
from pipelines.detection.secrets._checks import (
    ASSIGN,
    OPEN_QUOTE,
    char_classes,
    is_filler,
    is_hex,
    looks_random,
)

_SEP = r"[_.\- ]?"
_KEY_NAME = rf"(?i:aws{_SEP}secret(?:{_SEP}access)?(?:{_SEP}key)?|secret{_SEP}access{_SEP}key)"
_VALUE = r"[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"


class AwsSecretKeyRecognizer(SecretRecognizer):
    ENTITY: ClassVar[str] = "AWS_SECRET_KEY"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "aws_secret_key_assignment",
            rf"{_KEY_NAME}{ASSIGN}(?:{OPEN_QUOTE})?\K{_VALUE}",
            0.85,
        ),
        Pattern(
            "aws_secret_key_same_line",
            rf"(?i:aws)[^\n]{{0,30}}(?i:secret)[^\n]{{0,30}}[ \t:=\"']\K{_VALUE}",
            0.7,
        ),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("aws", "secret", "access", "key", "credentials")
    PREFILTER: ClassVar[tuple[str, ...]] = (
        r"(?i:aws[^\n]{0,30}secret)",
        r"(?i:secret[_.\- ]?access[_.\- ]?key)",
    )
    # After "secret": "_access_key" (11) + assignment and quotes (22) + the value (40).
    PREFILTER_REACH: ClassVar[int] = 80
    VERSION: ClassVar[str] = "1"
    CONTEXT_IN_PATTERN: ClassVar[bool] = True

    def validate_result(self, pattern_text: str) -> bool | None:
        """Real keys are random base64: mixed case and digits, high entropy, never pure hex
        (a 40-character hex value is a SHA-1, e.g. a git commit)."""
        if (
            "EXAMPLE" in pattern_text
            or is_hex(pattern_text)
            or is_filler(pattern_text)
            or char_classes(pattern_text) < 2
            or not looks_random(pattern_text)
        ):
            return False
        return None
