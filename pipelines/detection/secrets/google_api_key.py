"""Google API keys: ``AIza`` followed by 35 characters of ``[0-9A-Za-z_-]`` (39 in all).

Used by Maps, Firebase, Gemini and most other Google Cloud APIs. Browser keys are meant to be
restricted by referrer, not kept secret, but an unrestricted key is billable by anyone who has
it and the text does not say which kind it is.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from pipelines.detection.secrets._base import SecretRecognizer
from pipelines.detection.secrets._checks import is_filler


class GoogleApiKeyRecognizer(SecretRecognizer):
    ENTITY: ClassVar[str] = "GOOGLE_API_KEY"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "google_api_key",
            r"(?<![A-Za-z0-9_\-])AIza[0-9A-Za-z_\-]{35}(?![A-Za-z0-9_\-])",
            0.9,
        ),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("google", "api", "key", "gcp", "firebase", "gemini")
    PREFILTER: ClassVar[tuple[str, ...]] = (r"AIza[0-9A-Za-z_\-]{35}",)
    PREFILTER_REACH: ClassVar[int] = 0
    VERSION: ClassVar[str] = "1"

    def validate_result(self, pattern_text: str) -> bool | None:
        return False if is_filler(pattern_text[4:]) else None
