"""Presidio's pattern recognizers, fully offline, with no NER model.

This is the baseline engine of the pipeline: each recognizer validates its hits (Luhn for
cards, checksums for IBANs) and Presidio's anonymizer replaces each finding with ``<TYPE>``.
spaCy runs as a blank English tokenizer only (context words still boost scores); nothing is
downloaded. Known limits, fixed by the detection-engine issue: no PERSON or address detection.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from pipelines.detection import offline  # noqa: F401  (must precede presidio imports)
from pipelines.detection.base import ScanResult
from schemas.records import Finding

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

        class _BlankEnglish(SlimSpacyNlpEngine):  # type: ignore[misc]
            """Tokens and lower-cased lemmas for context words; no model to load."""

            def load(self) -> None:
                nlp = spacy.blank("en")
                nlp.add_pipe("aitrail_lower_lemma")
                self.nlp = {"en": nlp}

        _register_lower_lemma()
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
        self._anonymizer = AnonymizerEngine()
        self._recognizer_versions = {
            r.name: getattr(r, "version", "0") for r in registry.recognizers
        }

    def scan(self, texts: Sequence[str]) -> list[ScanResult]:
        return [self._scan_one(text) for text in texts]

    def _scan_one(self, text: str) -> ScanResult:
        if not text:
            return ScanResult((), "")
        results = self._analyzer.analyze(
            text=text,
            language="en",
            entities=list(ENTITIES),
            score_threshold=SCORE_THRESHOLD,
        )
        results = _drop_overlaps(results)
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
        if not results:
            return ScanResult((), text)
        redacted = self._anonymizer.anonymize(text=text, analyzer_results=results).text
        return ScanResult(findings, redacted)


def _recognizer_name(result: object) -> str:
    meta = getattr(result, "recognition_metadata", None) or {}
    return str(meta.get("recognizer_name", "unknown"))


def _drop_overlaps(results: list[object]) -> list:  # type: ignore[type-arg]
    """Keep the highest-scoring finding where spans overlap (a card number is not also a
    phone number), then order by position."""
    ordered = sorted(results, key=lambda r: (-r.score, r.start))  # type: ignore[attr-defined]
    kept: list = []  # type: ignore[type-arg]
    for r in ordered:
        if all(r.end <= k.start or r.start >= k.end for k in kept):  # type: ignore[attr-defined]
            kept.append(r)
    return sorted(kept, key=lambda r: r.start)  # type: ignore[attr-defined]


def _register_lower_lemma() -> None:
    from spacy.language import Language

    if "aitrail_lower_lemma" in Language.factories:
        return

    @Language.component("aitrail_lower_lemma")  # type: ignore[untyped-decorator]
    def lower_lemma(doc):  # type: ignore[no-untyped-def]
        for token in doc:
            token.lemma_ = token.lower_
        return doc
