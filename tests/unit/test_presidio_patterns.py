"""The baseline engine: Presidio pattern recognizers, offline, with validation."""

import pytest

from pipelines.detection.presidio_patterns import PresidioPatternDetector


@pytest.fixture(scope="module")
def detector() -> PresidioPatternDetector:
    return PresidioPatternDetector()


@pytest.mark.parametrize(("text", "entity", "value"), [
    ("My SSN is 536-22-8493, thanks", "US_SSN", "536-22-8493"),
    ("card 4111 1111 1111 1111 expires soon", "CREDIT_CARD", "4111 1111 1111 1111"),
    ("write to jane.doe@example.com today", "EMAIL_ADDRESS", "jane.doe@example.com"),
    ("call me on 415-555-0132 please", "PHONE_NUMBER", "415-555-0132"),
    ("IBAN DE89 3704 0044 0532 0130 00 for the refund", "IBAN_CODE",
     "DE89 3704 0044 0532 0130 00"),
    ("request from 10.20.30.40 blocked", "IP_ADDRESS", "10.20.30.40"),
])
def test_finds_and_redacts(detector: PresidioPatternDetector, text: str, entity: str,
                           value: str) -> None:
    (result,) = detector.scan([text])
    assert entity in result.finding_types
    finding = next(f for f in result.findings if f.entity_type == entity)
    assert text[finding.start:finding.end] == value
    assert value not in result.redacted and f"<{entity}>" in result.redacted
    assert finding.detector and finding.detector_version == detector.version


@pytest.mark.parametrize("text", [
    "card 4111 1111 1111 1112 fails the Luhn check",
    "Version 3.8.0 shipped in build 20240102",
    "Summarise the meeting notes from Tuesday.",
])
def test_true_negatives(detector: PresidioPatternDetector, text: str) -> None:
    (result,) = detector.scan([text])
    assert result.findings == () and result.redacted == text


def test_empty_text(detector: PresidioPatternDetector) -> None:
    (result,) = detector.scan([""])
    assert result.findings == () and result.redacted == ""
