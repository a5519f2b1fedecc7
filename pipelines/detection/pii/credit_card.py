"""Payment card numbers, Luhn-validated.

Presidio's pattern only accepts Mastercard's 51-55 prefixes and misses the 2-series
(2221-2720) issued since 2017; this pattern adds it. Validation (Luhn) is Presidio's.
"""

from __future__ import annotations

from presidio_analyzer import Pattern
from presidio_analyzer.predefined_recognizers import CreditCardRecognizer

_SEP = r"[- ]?"
_MASTERCARD_2 = r"(?:222[1-9]|22[3-9]\d|2[3-6]\d{2}|27[01]\d|2720)"


class AitrailCreditCardRecognizer(CreditCardRecognizer):
    VERSION = "1"
    PATTERNS = [
        Pattern(
            "card (weak until Luhn)",
            r"\b(?!1\d{12}(?!\d))((4\d{3})|(5[0-5]\d{2})|" + _MASTERCARD_2
            + r"|(6\d{3})|(1\d{3})|(3\d{3}))" + _SEP + r"(\d{3,4})" + _SEP + r"(\d{3,4})"
            + _SEP + r"(\d{3,5})\b",
            0.3,
        ),
    ]
    PREFILTER = (r"\b\d{4}[- ]?\d{3,4}[- ]?\d{3,4}[- ]?\d{3,5}",)
    # The pre-filter has the pattern's shape, so a card is the hit itself: the window is the
    # hit widened to whitespace (the engine reads context words in the whole text).
    WINDOW_MARGIN = 0

    def __init__(self) -> None:
        super().__init__(patterns=self.PATTERNS, name="AitrailCreditCardRecognizer")
