"""The phone recognizer: libphonenumber decides, per region, on candidates cut from one line."""

from __future__ import annotations

import functools
from collections.abc import Callable

import pytest


@pytest.fixture(scope="module")
def phones(values_found: Callable[[str, str], list[str]]) -> Callable[[str], list[str]]:
    return functools.partial(values_found, entity_type="PHONE_NUMBER")


@pytest.mark.parametrize("number", [
    "(415) 555-0132", "+1 415 555 0132", "+44 (20) 7123 4567", "+49 30 1234567",
    "+33 1 42 68 53 00", "+30 21 0 1234567", "020 7123 4567",
])
def test_valid_numbers_with_context_are_found(phones, number: str) -> None:  # type: ignore[no-untyped-def]
    assert phones(f"call me on {number} tomorrow") == [number]


@pytest.mark.parametrize("text", [
    "shipped on 1/23/2024 as planned",
    "the run started 2024-01-23 10 minutes late",
    "invoice date 23.01.2024 please",
])
def test_dates_are_not_phone_numbers(phones, text: str) -> None:  # type: ignore[no-untyped-def]
    assert phones(text) == []


def test_a_number_never_runs_across_a_line_break(phones) -> None:  # type: ignore[no-untyped-def]
    text = "phone: (415) 555-0132\n7 items"
    assert phones(text) == ["(415) 555-0132"]


def test_skipping_impossible_regions_changes_no_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    """The length and shape pre-checks, the shared US/CA parse and the numbers read without a
    parse (``_Region.read_as_is``) give the verdicts of parsing every candidate in every
    region (the same recognizer with the shortcuts turned off), on the dataset candidates,
    random digits, and libphonenumber's own example numbers of every type for every region
    with their last digits changed (valid and invalid neighbours)."""
    import random

    import phonenumbers

    from bench import pii_eval
    from pipelines.detection.pii import phone
    from pipelines.detection.pii.phone import _CANDIDATE, AitrailPhoneRecognizer

    recognizer = AitrailPhoneRecognizer()

    texts = [e.text for d in pii_eval.load_sets() for e in d.examples]
    candidates = {m.group() for t in texts for m in _CANDIDATE.finditer(t)}
    rng = random.Random(7)
    for _ in range(3000):
        body = "".join(rng.choice("0123456789") for _ in range(rng.randint(7, 13)))
        prefix = rng.choice(["", "", "0", "1", "011", "011 44 ", "0011 ", "44 ", "91"])
        sep = rng.choice(["", " ", "-", "."])
        candidates.add(prefix + sep.join([body[:3], body[3:6], body[6:]]).strip(sep))
    for region in recognizer.REGIONS:
        for kind in phonenumbers.PhoneNumberType.values():
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            for style in (phonenumbers.PhoneNumberFormat.NATIONAL,
                          phonenumbers.PhoneNumberFormat.INTERNATIONAL):
                written = phonenumbers.format_number(example, style)
                for _ in range(40):
                    digits = [i for i, c in enumerate(written) if c.isdigit()]
                    chars = list(written)
                    for i in rng.sample(digits[-6:], rng.randint(1, 3)):
                        chars[i] = rng.choice("0123456789")
                    candidates.add("".join(chars))
    candidates.update(("415\t555 0132", "(415)\t555-0132", "(415) 555-0132"))  # no tab in its
    # punctuation: libphonenumber does not read the first two at all
    # Arabic-Indic digits, which libphonenumber reads as 415 555 0132 and 030 1234567
    candidates.update(("\u0664\u0661\u0665 \u0665\u0665\u0665 \u0660\u0661\u0663\u0662",
                       "\u0660\u0663\u0660 \u0661\u0662\u0663\u0664\u0665\u0666\u0667"))
    verdicts = {c: recognizer._valid(c) for c in candidates}
    assert sum(verdicts.values()) > 100
    # the numbers read without a parse after their trunk prefix are among them
    stripped = sum(1 for c in candidates for region in phone._regions(recognizer.REGIONS)
                   if (nsn := region.read_as_is(c, phone._NOT_DIGIT.sub("", c) or "0"))
                   and nsn != phone._NOT_DIGIT.sub("", c))
    assert stripped > 500
    monkeypatch.setattr(phone._Region, "may_hold", lambda self, digits: True)
    monkeypatch.setattr(phone._Region, "parse_key", property(lambda self: (self.code,)))
    monkeypatch.setattr(phone, "FAST_NATIONAL", False)
    assert verdicts == {c: recognizer._valid(c) for c in candidates}
    monkeypatch.setattr(phone, "FAST_NATIONAL", True)
    monkeypatch.setattr(phone, "FAST_TRUNK", False)
    assert verdicts == {c: recognizer._valid(c) for c in candidates}
