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
