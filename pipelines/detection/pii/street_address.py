"""Street addresses. Presidio has no address recognizer.

- US and English style: a house number, one to four name words and a street type, optionally
  followed by a unit, a city, and a state and ZIP code, a Canadian province and postal code
  or a UK postcode; PO boxes; US military mail (PSC 1234, Box 5678 / APO AE 09123).
- Continental European style: the street type before the name or after it (as a word or as
  the end of the name word) and the house number after, or the French order with the number
  first; optionally a unit, and a postcode and town after a comma on the same line.

Towns, countries and postcodes on the lines after a street are left to the names stage (they
are LOCATIONs there; the scorer's gold keeps them apart too); addresses with no street type
word (Dašická 688) are missed (docs/DETECTION.md).
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
# A town, then a US state and ZIP code, a Canadian province and postal code (ON M5V 2T6) or
# a UK postcode (SW1A 2AA)
_CITY_STATE_ZIP = (
    r"(?:,?\s+[A-Z][A-Za-z .'\-]{1,30},?\s+(?:(?:[A-Z]{2}|[A-Z][a-z]+)\.?\s+\d{5}(?:-\d{4})?"
    r"|(?:[A-Z]{2}\s+)?[A-Z]\d[A-Z][ ]?\d[A-Z]\d|[A-Z]{1,2}\d[A-Z\d]?[ ]?\d[A-Z]{2})\b)?"
)


# Continental European forms: the street type before the name (Rue de Rivoli 12, Via Roma 1,
# ul. Miła 53), after it as a word (Rákóczi út 66, Király u. 15) or as the end of one word
# (Hauptstraße 5, Hammarvägen 15, Koskikatu 25), with the house number after the name; and
# the French order with the number first (12 rue de Rivoli, 5 Avenue Foch). Type words are
# case-sensitive: "via", "route" and "place" are English words, "Gate" and "Way" too.
PREFIX_TYPES = (
    "Rue|rue|Avenue|Av\\.|Boulevard|Bd\\.|Chemin|Allée|Quai|Impasse|Via|Viale|Piazza|"
    "Piazzale|Corso|Vicolo|Calle|Avenida|Avda\\.|Paseo|Carrer|Rua|Travessa|Praça|ul\\.|"
    "ulica|Aleja|Ulitsa|Rruga|Odos"
)
NUMBER_FIRST_TYPES = "Rue|rue|Avenue|Av\\.|Boulevard|Bd\\.|Chemin|Allée|Quai|Impasse"
WORD_TYPES = "út|útja|utca|u\\.|tér|körút|sétány"
SUFFIX_TYPES = (
    "straße|strasse|str\\.|weg|gasse|platz|allee|damm|ufer|vägen|väg|gatan|gata|gränd|vej|"
    "veien|vegen|gaten|stien|stræti|braut|katu|kuja|polku|laan|straat|gracht|plein|kade|"
    "singel|utca|ulica|cesta|vænget|stræde|torv|tie"
)
_PARTICLE = (r"(?:de|del|della|delle|dei|degli|di|da|do|dos|das|des|du|la|le|les|el|al|von|"
             r"van|der|den|het)")
_EU_NAME_WORD = r"(?:\p{Lu}[\p{L}'’\-]*|[dl]['’]\p{Lu}[\p{L}'’\-]*)"
_EU_NAME = rf"(?:(?:{_PARTICLE}|{_EU_NAME_WORD})\s+){{0,4}}{_EU_NAME_WORD}"
_HOUSE = r"\d{1,5}[A-Za-z]?\b\.?"
_UNIT_EU = r"(?:,?\s+(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|#)\s*[A-Za-z0-9\-]+){0,2}"
# On the same line after a comma: a postcode of four or five digits and the town
# (Hauptstraße 5, 10115 Berlin; Via Roma 1, 00184 Roma)
_POSTCODE_TOWN = (r"(?:,[ \t]*(?:[A-Z]{1,2}-)?\d{4,5}[ \t]+\p{Lu}[\p{L}\-]+"
                  r"(?:[ \t]+\p{Lu}[\p{L}\-]+)?)?")
# A building number before the street, as in "25615 Tawastintie 72"
_LEAD = r"(?:\d{1,6}[ \t]+)?"
_START = r"(?<![\p{L}\p{N}])"


class _AddressPatterns(PatternRecognizer):
    """STREET_ADDRESS patterns with their own pre-filter: the engine runs a recognizer's
    patterns on the windows its pre-filter finds, so each form of address is its own
    recognizer and a window with "St" or "Dr" in it does not run the European patterns."""

    VERSION = "1"
    ENTITY = "STREET_ADDRESS"
    PATTERNS: list[Pattern] = []
    CONTEXT = ["address", "street", "live", "lives", "located", "ship", "mail", "deliver"]

    def __init__(self) -> None:
        # Case matters: a street name is capitalized (Presidio's default flags ignore case,
        # which let any lowercase words before "street" form an address).
        super().__init__(supported_entity=self.ENTITY, patterns=self.PATTERNS,
                         context=self.CONTEXT, name=type(self).__name__,
                         global_regex_flags=re.DOTALL | re.MULTILINE)


class StreetAddressRecognizer(_AddressPatterns):
    """US, Canadian and UK style, and PO boxes."""

    VERSION = "3"
    PATTERNS = [
        Pattern(
            "number + street name + type",
            r"\b\d{1,6}[A-Za-z]?\s+(?:" + _NAME_WORD + r"\s+){1,4}(?:" + STREET_TYPES
            + r")\b\.?" + _DIRECTION + _UNIT + _CITY_STATE_ZIP,
            0.6,
        ),
        Pattern("PO box", r"\b(?:P\.?\s?O\.?\s?Box|Post Office Box)\s+\d{1,6}\b", 0.5),
    ]
    PREFILTER = (r"\b(?:" + STREET_TYPES + r")\b", r"Box\s+\d")


class StreetTypeFirstAddressRecognizer(_AddressPatterns):
    """Rue de Rivoli 12, Via Roma 1, ul. Miła 53; 12 rue de Rivoli."""

    PATTERNS = [
        Pattern("street type + name + number",
                rf"{_START}{_LEAD}(?:{PREFIX_TYPES})\s+{_EU_NAME},?\s+{_HOUSE}{_UNIT_EU}{_POSTCODE_TOWN}",
                0.6),
        Pattern("number + street type + name",
                rf"\b{_LEAD}\d{{1,5}}[A-Za-z]?,?\s+(?:{NUMBER_FIRST_TYPES})\s+{_EU_NAME}{_UNIT_EU}",
                0.6),
    ]
    PREFILTER = (r"\b(?:" + PREFIX_TYPES + r")\s",)
    # a building number and house number before the type word, the name and number after it
    WINDOW_MARGIN = 16
    PREFILTER_REACH = 100


class StreetTypeAfterAddressRecognizer(_AddressPatterns):
    """Rákóczi út 66, Király u. 15, Hauptstraße 5, Hammarvägen 15, Koskikatu 25."""

    PATTERNS = [
        Pattern("name + street type word + number",
                rf"{_START}{_LEAD}(?:{_EU_NAME_WORD}\s+){{1,3}}(?:{WORD_TYPES})\s+{_HOUSE}{_UNIT_EU}"
                rf"{_POSTCODE_TOWN}",
                0.6),
        # the whole word, then a look back at its end: no retrying each suffix at each letter
        Pattern("name ending in a street type + number",
                rf"{_START}{_LEAD}(?:{_EU_NAME_WORD}\s+){{0,2}}\p{{Lu}}\p{{L}}*+\.?"
                rf"(?<=(?:{SUFFIX_TYPES}))\s+{_HOUSE}{_UNIT_EU}{_POSTCODE_TOWN}", 0.6),
    ]
    PREFILTER = (r"\s(?:" + WORD_TYPES + r")\s+\d", r"(?:" + SUFFIX_TYPES + r")\s+\d")
    # up to three name words and a building number before the type, a unit after it
    WINDOW_MARGIN = 60
    PREFILTER_REACH = 40


class MilitaryMailAddressRecognizer(_AddressPatterns):
    """US military mail: PSC 1234, Box 5678 / Unit 1234 Box 5678 / USNS Name, then APO, FPO
    or DPO and AA, AE or AP with a ZIP code."""

    PATTERNS = [
        Pattern("military mail",
                r"(?i:\b(?:PSC|Unit|CMR)\s+\d{3,5},?\s+Box\s+\d{1,5}|\bUS[NC]?S[GC]*\s+\p{Lu}"
                r"[\p{L}\-]+)\s*\n?\s*(?i:[AFD]PO\s+A[AEP])\s+\d{5}\b", 0.7),
    ]
    PREFILTER = (r"(?i)\b[AFD]PO\s+A[AEP]\s+\d",)  # (the window reaches back to the box)


def address_recognizers() -> list[PatternRecognizer]:
    return [StreetAddressRecognizer(), StreetTypeFirstAddressRecognizer(),
            StreetTypeAfterAddressRecognizer(), MilitaryMailAddressRecognizer()]
