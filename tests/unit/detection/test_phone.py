"""The phone recognizer: libphonenumber decides, per region, on candidates cut from one line."""

from __future__ import annotations

import pytest

from pipelines.detection.engine import AitrailDetector


@pytest.fixture(scope="module")
def phones():  # type: ignore[no-untyped-def]
    detector = AitrailDetector(text_stages=[])

    def found(text: str) -> list[str]:
        (result,) = detector.scan([text])
        return [text[f.start:f.end] for f in result.findings if f.entity_type == "PHONE_NUMBER"]

    return found


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
    """The length pre-check and the shared US/CA parse give the verdicts of parsing every
    candidate in every region (the same recognizer with both shortcuts turned off)."""
    import random

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
    verdicts = {c: recognizer._valid(c) for c in candidates}
    assert sum(verdicts.values()) > 100
    monkeypatch.setattr(phone._Region, "may_hold", lambda self, digits: True)
    monkeypatch.setattr(phone._Region, "parse_key", property(lambda self: (self.code,)))
    assert verdicts == {c: recognizer._valid(c) for c in candidates}
