"""Stripe secret keys ``sk_live_`` / ``sk_test_``, restricted keys ``rk_live_`` / ``rk_test_``
(24 to 247 base62 characters after the prefix), and webhook signing secrets ``whsec_``.

Publishable keys (``pk_live_``, ``pk_test_``) are public by design, embedded in web pages, and
are not reported. Test-mode keys cannot move money but read and write test data and are
still secrets, so they are reported, just below live keys.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from pipelines.detection.secrets._base import SecretRecognizer
from pipelines.detection.secrets._checks import is_filler

_LEFT = r"(?<![A-Za-z0-9_])"
_RIGHT = r"(?![A-Za-z0-9_])"


class StripeKeyRecognizer(SecretRecognizer):
    ENTITY: ClassVar[str] = "STRIPE_KEY"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("stripe_live_key", rf"{_LEFT}[sr]k_live_[A-Za-z0-9]{{24,247}}{_RIGHT}", 0.95),
        Pattern("stripe_test_key", rf"{_LEFT}[sr]k_test_[A-Za-z0-9]{{24,247}}{_RIGHT}", 0.9),
        Pattern("stripe_webhook_secret", rf"{_LEFT}whsec_[A-Za-z0-9]{{32,128}}{_RIGHT}", 0.9),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("stripe", "secret", "key", "api", "webhook", "payment")
    PREFILTER: ClassVar[tuple[str, ...]] = (
        r"[sr]k_(?:live|test)_[A-Za-z0-9]{24}",
        r"whsec_[A-Za-z0-9]{32}",
    )
    # The longest key runs 247 - 24 characters past the hit.
    PREFILTER_REACH: ClassVar[int] = 223
    VERSION: ClassVar[str] = "1"

    def validate_result(self, pattern_text: str) -> bool | None:
        body = pattern_text.rsplit("_", 1)[1]
        return False if is_filler(body) else None
