"""US Social Security numbers.

Presidio's patterns include "very weak" ones (5-4 and 3-6 digit groups, any nine digits)
scored 0.05 that fire on order numbers and phone fragments. Here grouped SSNs score 0.5; the
weak shapes keep Presidio's 0.05, so they are reported as possible SSNs (masked, not acted on
by the default policy) and reach the engine's confident score only with a context word
("ssn", "social security") nearby; the engine drops them after words such as "order" or
"invoice". Presidio's invalidation (000 and 666 areas, repeated digits, published sample
numbers) is kept, and 9xx areas (ITINs, never SSNs) are dropped.
"""

from __future__ import annotations

from presidio_analyzer import Pattern
from presidio_analyzer.predefined_recognizers import UsSsnRecognizer


class AitrailUsSsnRecognizer(UsSsnRecognizer):
    VERSION = "1"
    PATTERNS = [
        Pattern("SSN grouped", r"\b([0-9]{3})([- .])([0-9]{2})\2([0-9]{4})\b", 0.5),
        Pattern("SSN bare (needs context)", r"\b[0-9]{9}\b", 0.05),
        Pattern("SSN 5-4 (needs context)", r"\b[0-9]{5}-[0-9]{4}\b", 0.05),
        Pattern("SSN 3-6 (needs context)", r"\b[0-9]{3}-[0-9]{6}\b", 0.05),
    ]
    PREFILTER = (r"\b\d{3}[- .]\d{2}[- .]\d{4}", r"\b\d{9}", r"\b\d{5}-\d{4}", r"\b\d{3}-\d{6}")
    # Each pre-filter has its pattern's shape: an SSN is the hit itself, so the window is the
    # hit widened to whitespace (context words are read in the whole text).
    WINDOW_MARGIN = 0

    def __init__(self) -> None:
        super().__init__(patterns=self.PATTERNS, name="AitrailUsSsnRecognizer")

    def invalidate_result(self, pattern_text: str) -> bool:
        """Also drop area numbers 900-999: the SSA never issues them (they are ITINs)."""
        digits = "".join(c for c in pattern_text if c.isdigit())
        return digits.startswith("9") or bool(super().invalidate_result(pattern_text))
