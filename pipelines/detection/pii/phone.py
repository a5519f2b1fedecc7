"""Phone numbers: a candidate regex, then Google's libphonenumber (``phonenumbers``) decides.

Presidio runs libphonenumber's matcher over the whole text once per region (eight by
default); on number-heavy text that is most of the scan time, and over eight regions it
accepts SSNs, IPv4 addresses and order numbers. Here each candidate string is parsed once per
region (or once, when it carries a ``+`` country code) and kept if libphonenumber says it is a
valid number for that region (checking the one region is much cheaper than asking which of
the 25 regions sharing +1 a number belongs to); candidates shaped like an SSN, a dotted quad
or a date are dropped, a candidate never runs across a line break, and a bare run of digits
needs a phone context word.

Parsing is most of this recognizer's time (about 30 µs a parse), so it is skipped where the
answer is known without it: a region is not tried when no reading of the digits has one of its
lengths and the shape of one of its number types (``_Region.may_hold``), and a number that
libphonenumber would take as it is (no country code or call prefix to strip), or with only its
trunk prefix stripped (the 0 of 030 1234567), is validated against the region's number
descriptions directly (``_Region.read_as_is``, ``_Region.is_valid``). On the 429 candidates
of the dataset texts this cut parses from 1,116 to 154 (before the trunk prefixes; on the
1 KB sample of bench-detect, region parses per pass went from 29 to 5 with them); a test
holds every verdict equal to parsing in every region.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import phonenumbers
import regex
from phonenumbers.phonenumberutil import ValidationResult, _test_number_length
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

_CANDIDATE = regex.compile(
    r"(?<![\w+])(?:(?:\+|00)\d{1,3}[ \t.\-]?)?(?:\(\d{1,5}\)[ \t.\-]?)?\d{1,5}"
    r"(?:[ \t.\-/]?\d{1,5}){1,5}(?:[ \t]*(?:x|ext\.?|extension)[ \t]*\d{1,6})?(?![\w])"
)
_SSN_SHAPE = re.compile(r"^\d{3}[- .]\d{2}[- .]\d{4}$")
_IP_SHAPE = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
# 1/23/2024, 2024-01-23, 23.01.2024, optionally followed by an hour
_DATE_SHAPE = re.compile(
    r"^(?:\d{1,2}([/.\-])\d{1,2}\1\d{2,4}|\d{4}([/.\-])\d{1,2}\2\d{1,2})(?: \d{1,2})?$")
_BARE_DIGITS = re.compile(r"^\d+$")
_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension)\s*\d{1,6}$", re.IGNORECASE)
_NOT_DIGIT = re.compile(r"\D")  # (a candidate's digits are decimal digits: \d, as str.isdigit)


def _without_extension(candidate: str) -> str:
    """The candidate without a trailing extension (every extension has an x)."""
    return _EXTENSION.sub("", candidate) if "x" in candidate or "X" in candidate else candidate


MAX_STRIPPED = 6


@dataclass(frozen=True)
class _Region:
    """What libphonenumber's metadata says about a region's national numbers."""

    code: str
    country_code: int
    lengths: frozenset[int]  # possible lengths of a national significant number
    national_prefix: str  # national prefix for parsing, e.g. the trunk 0 or 1
    international_prefix: re.Pattern[str]
    # Up to MAX_STRIPPED leading digits, then a number of one of the region's types: a valid
    # number's national significant number matches one of them (libphonenumber's number
    # type is UNKNOWN otherwise), so a string of digits this misses cannot be valid here.
    shape: re.Pattern[str]
    national_prefix_pattern: re.Pattern[str]  # matched at the start, as libphonenumber does
    general: _Desc  # the general description, then the number types (_NUMBER_TYPES)
    types: tuple[_Desc, ...]
    metadata: phonenumbers.PhoneMetadata

    @property
    def country_code_digits(self) -> str:
        return str(self.country_code)

    @property
    def parse_key(self) -> tuple[int, str, str]:
        return (self.country_code, self.national_prefix, self.international_prefix.pattern)

    def may_hold(self, digits: str) -> bool:
        """False only when no reading of ``digits`` (ASCII) as dialled here has a possible
        length and the shape of a number of one of the region's types."""
        if self.international_prefix.match(digits):
            return True
        # Parsing may drop a country code without its +, a trunk prefix, a carrier code:
        # up to MAX_STRIPPED leading digits in all, never more (a test compares verdicts).
        return len(digits) in self.holdable and self.shape.fullmatch(digits) is not None

    @functools.cached_property
    def holdable(self) -> frozenset[int]:
        """Digit counts that leave a possible length once up to MAX_STRIPPED are dropped."""
        return frozenset(n + k for n in self.lengths for k in range(MAX_STRIPPED + 1))

    def read_as_is(self, number: str, digits: str) -> str | None:
        """The national significant number ``phonenumbers.parse(number, self.code)`` would
        read, without parsing: ASCII digits and the separators libphonenumber skips, neither
        an international call prefix nor the country code, and then either no national
        prefix and no leading 0 (the digits as they are) or a plain national (trunk) prefix
        it strips (``_without_trunk``). None otherwise (then parse)."""
        if not (FAST_NATIONAL and number.isascii()
                and _PLAIN_NATIONAL.fullmatch(number) is not None
                and not digits.startswith(self.country_code_digits)
                and self.international_prefix.match(digits) is None):
            return None
        trunk = self.national_prefix_pattern.match(digits)
        if trunk is None:
            return digits if digits[0] != "0" else None
        return self._without_trunk(digits, trunk)

    def _without_trunk(self, digits: str, trunk: re.Match[str]) -> str | None:
        """The national significant number after libphonenumber strips the national (trunk)
        prefix ``trunk`` matched, as ``_maybe_strip_national_prefix_carrier_code`` and
        ``parse`` do it: the digits after the prefix, unless the number was viable as
        written and is not without it, or what is left has no possible length. None where
        that is not plain (a transformation rule, a carrier code, nothing left, a zero left
        at the start, or no stripping): then parse."""
        rest = digits[trunk.end():]
        if not (FAST_TRUNK and rest and rest[0] != "0" and trunk.end() > 0
                and not self.metadata.national_prefix_transform_rule
                and all(group is None for group in trunk.groups())):
            return None
        general = self.general[1]
        if general.fullmatch(digits) is not None and general.fullmatch(rest) is None:
            return None  # viable as written, not without the prefix: not stripped
        if _test_number_length(rest, self.metadata) in _TOO_SHORT_TO_STRIP:
            return None  # not stripped either
        return rest

    def is_valid(self, nsn: str) -> bool:
        """``phonenumbers.is_valid_number_for_region`` for a number of this region with the
        national significant number ``nsn``: it matches the general description and one of
        the number types (length, then pattern, as libphonenumber tests each)."""
        n = len(nsn)
        return _matches(self.general, n, nsn) and any(_matches(t, n, nsn) for t in self.types)


# Whether _Region.read_as_is may skip the parse, and whether it may for a number written
# with its trunk prefix (a test turns them off to compare verdicts).
FAST_NATIONAL = True
FAST_TRUNK = True
# What libphonenumber's parse does not strip a national prefix to (phonenumberutil.parse).
_TOO_SHORT_TO_STRIP = frozenset((ValidationResult.TOO_SHORT,
                                 ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
                                 ValidationResult.INVALID_LENGTH))
# Digits with the separators the candidate regex allows and libphonenumber ignores (not a
# tab: libphonenumber's punctuation has none, so it does not read "415\t555 0132" at all).
_PLAIN_NATIONAL = re.compile(r"\(?[0-9][0-9 ().\-/]*")


def _parse(number: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None


@functools.cache
def _regions(codes: tuple[str, ...]) -> tuple[_Region, ...]:
    out = []
    for code in codes:
        meta = phonenumbers.PhoneMetadata.metadata_for_region(code)
        if meta is None or meta.general_desc is None:
            raise ValueError(f"libphonenumber has no metadata for region {code!r}")
        out.append(_Region(
            code, phonenumbers.country_code_for_region(code),
            frozenset(meta.general_desc.possible_length),
            meta.national_prefix_for_parsing or "",
            re.compile(meta.international_prefix or "(?!)"),
            re.compile(rf"\d{{0,{MAX_STRIPPED}}}(?:{'|'.join(_type_patterns(meta)) or '(?!)'})"),
            re.compile(meta.national_prefix_for_parsing or "(?!)"),
            _desc(meta.general_desc) or (frozenset(), re.compile("(?!)")),
            tuple(d for name in _NUMBER_TYPES if (d := _desc(getattr(meta, name, None)))),
            meta,
        ))
    return tuple(out)


# The number types libphonenumber's ``number_type`` tries; a number is valid for a region
# when one of them matches its national significant number.
_NUMBER_TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number",
                 "pager", "uan", "voicemail", "fixed_line", "mobile")


def _type_patterns(meta: phonenumbers.PhoneMetadata) -> list[str]:
    out = []
    for name in _NUMBER_TYPES:
        desc = getattr(meta, name, None)
        if desc is not None and desc.national_number_pattern:
            out.append(f"(?:{desc.national_number_pattern})")
    return out


# A number description: its possible lengths (empty: any) and its national number pattern.
_Desc = tuple[frozenset[int], re.Pattern[str]]


def _desc(desc: phonenumbers.PhoneNumberDesc | None) -> _Desc | None:
    """None where libphonenumber's _match_national_number is always False."""
    if desc is None or not desc.national_number_pattern:
        return None
    return frozenset(desc.possible_length or ()), re.compile(desc.national_number_pattern)


def _matches(desc: _Desc, n: int, nsn: str) -> bool:
    lengths, pattern = desc
    return (not lengths or n in lengths) and pattern.fullmatch(nsn) is not None


class AitrailPhoneRecognizer(EntityRecognizer):
    VERSION = "3"
    ENTITY = "PHONE_NUMBER"
    REGIONS = ("US", "GB", "DE", "FR", "IN", "CA", "AU")
    CONTEXT = ["phone", "number", "telephone", "tel", "cell", "cellphone", "mobile", "call",
               "fax", "contact", "reach", "dial", "text"]
    # Seven digits from a word boundary, at most two separators apart: bounded, so Hyperscan
    # reports one hit per digit group instead of one per end offset; the window and
    # PREFILTER_REACH cover the rest of a long number.
    PREFILTER = (r"\b\d(?:[ \t\-.()/]{0,2}\d){6}",)
    WINDOW_MARGIN = 12
    PREFILTER_REACH = 28
    # Run after cards, SSNs and IBANs: a candidate inside one of those is not parsed.
    YIELDS_TO_EARLIER = True
    SCORE = 0.4

    def __init__(self) -> None:
        super().__init__(supported_entities=[self.ENTITY], name="AitrailPhoneRecognizer",
                         context=self.CONTEXT)

    def load(self) -> None:
        return None

    def analyze(self, text: str, entities: list[str],
                nlp_artifacts: NlpArtifacts | None = None,
                avoid: Sequence[tuple[int, int]] = ()) -> list[RecognizerResult]:
        """``avoid``: spans already found by an earlier recognizer (a card, an IBAN); a
        candidate inside one is not parsed."""
        results = []
        for match in _CANDIDATE.finditer(text):
            if avoid and any(a <= match.start() and match.end() <= b for a, b in avoid):
                continue
            candidate = match.group()
            number = _without_extension(candidate)
            digits = _NOT_DIGIT.sub("", number)
            if not 7 <= len(digits) <= 15 or _never_a_phone(candidate) or \
                    not self._valid_number(number, digits):
                continue
            results.append(RecognizerResult(
                self.ENTITY, match.start(), match.end(), self.SCORE,
                recognition_metadata={"recognizer_name": type(self).__name__},
            ))
        return results

    def _valid(self, candidate: str) -> bool:
        """Valid for one of ``REGIONS`` (or, with a + or an international call prefix, for
        the country it names). Regions whose numbers can never have this many digits are not
        parsed, and regions that parse alike (US and CA) share one parse."""
        number = _without_extension(candidate)
        return self._valid_number(number, _NOT_DIGIT.sub("", number))

    def _valid_number(self, number: str, digits: str) -> bool:
        """``_valid`` of a candidate without its extension, whose digits are ``digits``."""
        if number.startswith("00"):
            number = "+" + number[2:]
        if number.startswith("+"):
            try:
                return bool(phonenumbers.is_valid_number(phonenumbers.parse(number, None)))
            except phonenumbers.NumberParseException:
                return False
        if not digits.isascii():  # libphonenumber reads any decimal digit as its ASCII one
            digits = "".join(str(int(c)) for c in digits)
        # per parse key: the number read as is (its national significant number), or parsed
        parses: dict[tuple[int, str, str], str | phonenumbers.PhoneNumber | None] = {}
        for region in _regions(self.REGIONS):
            if not region.may_hold(digits):
                continue
            if region.parse_key not in parses:
                parses[region.parse_key] = region.read_as_is(number, digits) or _parse(
                    number, region.code)
            parsed = parses[region.parse_key]
            if parsed is None:
                continue
            if isinstance(parsed, str):
                if region.is_valid(parsed):
                    return True
                continue
            if parsed.country_code == region.country_code:
                if phonenumbers.is_valid_number_for_region(parsed, region.code):
                    return True
            elif phonenumbers.is_valid_number(parsed):  # an international call prefix
                return True
        return False

    def keep(self, text: str, result: RecognizerResult, has_context: bool) -> bool:
        """A bare run of digits is a phone number only with a phone word before it (the
        shapes that are never phones were dropped in ``analyze``)."""
        value = text[result.start:result.end].strip()
        return not (_BARE_DIGITS.match(value) and not has_context)


def _never_a_phone(value: str) -> bool:
    """SSN, dotted-quad and date shapes: dropped before libphonenumber is asked."""
    value = value.strip()
    return bool(_SSN_SHAPE.match(value) or _IP_SHAPE.match(value) or _DATE_SHAPE.match(value))
