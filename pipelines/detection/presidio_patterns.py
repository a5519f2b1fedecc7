"""Presidio's pattern recognizers, fully offline, with no NER model.

This is the baseline engine of the pipeline: each recognizer validates its hits (Luhn for
cards, checksums for IBANs) and Presidio's anonymizer replaces each finding with ``<TYPE>``.
spaCy runs as a blank English tokenizer only (context words still boost scores); nothing is
downloaded. Known limits, fixed by the detection-engine issue: no PERSON or address detection.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pipelines.detection import offline  # noqa: F401  (must precede presidio imports)
from pipelines.detection.base import ScanResult
from schemas.records import Finding

if TYPE_CHECKING:
    from presidio_analyzer import RecognizerResult
    from spacy.tokens import Doc

ENGINE_NAME = "presidio-patterns"
ENGINE_VERSION = "presidio-patterns/2.2.366+aitrail.1"
# Presidio's weakest SSN and phone patterns score 0.05 to 0.4 and fire on any 9-digit number.
SCORE_THRESHOLD = 0.4
PHONE_REGIONS = ("US", "GB", "DE", "FR", "IN", "CA", "AU")
ENTITIES = (
    "CREDIT_CARD",
    "US_SSN",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "IBAN_CODE",
    "IP_ADDRESS",
    "US_BANK_NUMBER",
    "US_PASSPORT",
    "US_ITIN",
    "CRYPTO",
)
LEMMA_COMPONENT = "aitrail_lower_lemma"


class PresidioPatternDetector:
    name = ENGINE_NAME
    version = ENGINE_VERSION

    def __init__(self) -> None:
        import spacy
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import SlimSpacyNlpEngine
        from presidio_analyzer.predefined_recognizers import PhoneRecognizer
        from presidio_anonymizer import AnonymizerEngine

        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
        _register_lower_lemma()

        class _BlankEnglish(SlimSpacyNlpEngine):
            """Tokens and lower-cased lemmas for context words; no model to load."""

            def load(self) -> None:
                nlp = spacy.blank("en")
                nlp.add_pipe(LEMMA_COMPONENT)
                self.nlp = {"en": nlp}  # type: ignore[assignment]

        nlp_engine = _BlankEnglish(models=[{"lang_code": "en", "model_name": "blank"}])
        nlp_engine.load()
        registry = RecognizerRegistry(supported_languages=["en"])
        registry.load_predefined_recognizers(languages=["en"], nlp_engine=nlp_engine)
        registry.remove_recognizer("SpacyRecognizer")
        registry.remove_recognizer("PhoneRecognizer")
        registry.add_recognizer(PhoneRecognizer(supported_regions=PHONE_REGIONS))
        self._analyzer = AnalyzerEngine(
            registry=registry, nlp_engine=nlp_engine, supported_languages=["en"]
        )
        self._anonymizer = AnonymizerEngine()  # type: ignore[no-untyped-call]

    def scan(self, texts: Sequence[str]) -> list[ScanResult]:
        return [self._scan_one(text) for text in texts]

    def _scan_one(self, text: str) -> ScanResult:
        if not text:
            return ScanResult((), "")
        results = _drop_overlaps(self._analyzer.analyze(
            text=text,
            language="en",
            entities=list(ENTITIES),
            score_threshold=SCORE_THRESHOLD,
        ))
        if not results:
            return ScanResult((), text)
        findings = tuple(
            Finding(
                entity_type=r.entity_type,
                start=r.start,
                end=r.end,
                score=round(float(r.score), 4),
                detector=_recognizer_name(r),
                detector_version=self.version,
            )
            for r in results
        )
        redacted = self._anonymizer.anonymize(
            text=text, analyzer_results=results  # type: ignore[arg-type]
        ).text
        return ScanResult(findings, redacted or "")


def _recognizer_name(result: RecognizerResult) -> str:
    meta = result.recognition_metadata or {}
    return str(meta.get("recognizer_name", "unknown"))


def _drop_overlaps(results: Sequence[RecognizerResult]) -> list[RecognizerResult]:
    """Keep the highest-scoring finding where spans overlap (a card number is not also a
    phone number), then order by position."""
    kept: list[RecognizerResult] = []
    for r in sorted(results, key=lambda r: (-r.score, r.start)):
        if all(r.end <= k.start or r.start >= k.end for k in kept):
            kept.append(r)
    return sorted(kept, key=lambda r: r.start)


def _register_lower_lemma() -> None:
    from spacy.language import Language

    if Language.has_factory(LEMMA_COMPONENT):
        return

    def lower_lemma(doc: Doc) -> Doc:
        for token in doc:
            token.lemma_ = token.lower_
        return doc

    Language.component(LEMMA_COMPONENT, func=lower_lemma)
