"""Street addresses: a house number, one to four name words, and a street type, optionally
followed by a unit, a city, a state and a ZIP code. Presidio has no address recognizer.

US-style and common English street types only; addresses in other formats are missed
(documented in docs/DETECTION.md).
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer

STREET_TYPES = (
    "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|"
    "Terrace|Ter|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Square|Sq|Trail|Trl|Alley|Plaza|Loop|"
    "Crescent|Close|Row|Walk|Crossing|Xing|Expressway|Fwy|Freeway|Pike|Ridge|Run|Path|Mall"
)
_NAME_WORD = r"(?:[A-Z][A-Za-z'\-]+|\d{1,3}(?:st|nd|rd|th))"
_DIRECTION = r"(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\b\.?)?"
_UNIT = r"(?:,?\s+(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|#|Floor|Fl\.?)\s*[A-Za-z0-9\-]+)?"
_CITY_STATE_ZIP = (
    r"(?:,?\s+[A-Z][A-Za-z .'\-]{1,30},?\s+(?:[A-Z]{2}|[A-Z][a-z]+)\.?\s+\d{5}(?:-\d{4})?)?"
)


class StreetAddressRecognizer(PatternRecognizer):
    VERSION = "2"
    ENTITY = "STREET_ADDRESS"
    PATTERNS = [
        Pattern(
            "number + street name + type",
            r"\b\d{1,6}[A-Za-z]?\s+(?:" + _NAME_WORD + r"\s+){1,4}(?:" + STREET_TYPES
            + r")\b\.?" + _DIRECTION + _UNIT + _CITY_STATE_ZIP,
            0.6,
        ),
        Pattern("PO box", r"\b(?:P\.?\s?O\.?\s?Box|Post Office Box)\s+\d{1,6}\b", 0.5),
    ]
    CONTEXT = ["address", "street", "live", "lives", "located", "ship", "mail", "deliver"]
    PREFILTER = (r"\b(?:" + STREET_TYPES + r")\b", r"Box\s+\d")

    def __init__(self) -> None:
        # Case matters: a street name is capitalized (Presidio's default flags ignore case,
        # which let any lowercase words before "street" form an address).
        super().__init__(supported_entity=self.ENTITY, patterns=self.PATTERNS,
                         context=self.CONTEXT, name="StreetAddressRecognizer",
                         global_regex_flags=re.DOTALL | re.MULTILINE)
