"""IBANs, validated by the ISO 13616 length of their country and the mod-97 checksum.

Presidio's per-country regexes miss spaced IBANs of some countries (ES, SE, SK, CZ, RO) when
a word follows, because the optional last group swallows the word's first letters. Here a
candidate is read character by character up to its country's exact length, separators
skipped, and accepted only if the checksum holds; what follows it no longer matters.
"""

from __future__ import annotations

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

# Country code → IBAN length (ISO 13616 registry).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
    # Joined the registry since 2020.
    "BI": 27, "DJ": 27, "FK": 18, "LY": 25, "MN": 20, "NI": 28, "OM": 23, "RU": 33, "SD": 18,
    "SO": 23,
}
_START = regex.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2})(\d{2})(?=[ \-]?[A-Za-z0-9])")
_SEPARATORS = " -"


# A letter is read as its number, A = 10 to Z = 35 (ISO 13616); digits stay.
_AS_NUMBER = str.maketrans({chr(c): str(c - 55) for c in range(ord("A"), ord("Z") + 1)})


def mod97_ok(compact: str) -> bool:
    """``compact``: upper-case ASCII letters and digits."""
    return int((compact[4:] + compact[:4]).translate(_AS_NUMBER)) % 97 == 1


class AitrailIbanRecognizer(EntityRecognizer):
    VERSION = "1"
    ENTITY = "IBAN_CODE"
    CONTEXT = ["iban", "bank", "account", "transfer", "wire"]
    PREFILTER = (r"[A-Za-z]{2}\d{2}[ \-]?[A-Za-z0-9]{4}",)
    # An IBAN starts where its pre-filter hit starts and runs at most 34 characters with a
    # separator after each (67), plus the one after it that is read: the window is the hit
    # and what may follow it, widened to whitespace (context words come from the whole text).
    WINDOW_MARGIN = 0
    PREFILTER_REACH = 68
    SCORE = 1.0

    def __init__(self) -> None:
        super().__init__(supported_entities=[self.ENTITY], name="AitrailIbanRecognizer",
                         context=self.CONTEXT)

    def load(self) -> None:
        return None

    def analyze(self, text: str, entities: list[str],
                nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        results = []
        for match in _START.finditer(text):
            country = match.group(1).upper()
            length = IBAN_LENGTHS.get(country)
            if length is None:
                continue
            end = _read_alnum(text, match.start(), length)
            if end is None:
                continue
            # (only ASCII letters and digits and the separators: _read_alnum)
            compact = text[match.start():end].replace(" ", "").replace("-", "").upper()
            if mod97_ok(compact):
                results.append(RecognizerResult(
                    self.ENTITY, match.start(), end, self.SCORE,
                    recognition_metadata={"recognizer_name": type(self).__name__,
                                          "recognizer_identifier": self.id},
                ))
        return results


def _read_alnum(text: str, start: int, count: int) -> int | None:
    """End offset after ``count`` alphanumerics from ``start``, skipping single separators;
    None if the text ends first or the IBAN runs straight into more alphanumerics."""
    seen, i, n = 0, start, len(text)
    while seen < count:
        if i >= n:
            return None
        c = text[i]
        if c.isalnum() and c.isascii():
            seen += 1
        elif c in _SEPARATORS and seen >= 4 and i + 1 < n and text[i + 1].isalnum():
            pass
        else:
            return None
        i += 1
    if i < n and text[i].isalnum():
        return None
    return i
