"""AWS access key IDs: a four-letter type prefix and 16 upper-case letters or digits.

Prefixes (AWS IAM unique-identifier table): ``AKIA`` long-term user keys, ``ASIA`` temporary
STS keys, ``ABIA`` STS service bearer tokens, ``ACCA`` context-specific credentials. The other
IAM prefixes (``AIDA`` users, ``AROA`` roles, ``AGPA`` groups, ...) name principals and are not
credentials, so they are not reported. An access key ID alone grants nothing, but it identifies
the account and is half of a key pair, and it is the one half with an unambiguous format.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from pipelines.detection.secrets._base import SecretRecognizer
from pipelines.detection.secrets._checks import is_filler


class AwsAccessKeyRecognizer(SecretRecognizer):
    ENTITY: ClassVar[str] = "AWS_ACCESS_KEY"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "aws_access_key_id",
            r"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])",
            0.9,
        ),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("aws", "access", "key", "iam", "credentials", "sts")
    PREFILTER: ClassVar[tuple[str, ...]] = (r"(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}",)
    PREFILTER_REACH: ClassVar[int] = 0
    VERSION: ClassVar[str] = "1"

    def validate_result(self, pattern_text: str) -> bool | None:
        """Drop AWS's documentation keys (``...EXAMPLE``) and fillers; otherwise keep the
        pattern score: the format has no checksum to confirm."""
        body = pattern_text[4:]
        if body.endswith("EXAMPLE") or is_filler(body):
            return False
        return None
