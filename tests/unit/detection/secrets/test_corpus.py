"""End to end over synthetic messages: every planted secret is found with its exact span, the
filler produces nothing, and gating by the Hyperscan pre-filter changes no result."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine, RecognizerResult

from pipelines.detection.secrets import SECRET_ENTITIES
from tests.unit.detection.secrets.corpus import Planted, corpus
from tests.unit.detection.secrets.helpers import prefilter_entities

MESSAGES = corpus(150)


def _analyze(engine: AnalyzerEngine, text: str, entities: list[str]) -> list[RecognizerResult]:
    if not entities:
        return []
    results: list[RecognizerResult] = engine.analyze(text=text, language="en", entities=entities)
    return results


def _spans(text: str, results: list[RecognizerResult]) -> set[tuple[str, str]]:
    return {(r.entity_type, text[r.start : r.end]) for r in results}


@pytest.mark.parametrize(("text", "planted"), MESSAGES)
def test_finds_every_planted_secret_and_nothing_else(
    analyzer: AnalyzerEngine, text: str, planted: list[Planted]
) -> None:
    found = _spans(text, _analyze(analyzer, text, list(SECRET_ENTITIES)))
    assert {(p.entity, p.secret) for p in planted} <= found
    # Anything else found must be the same secret seen by a second recognizer.
    assert {value for _, value in found} <= {p.secret for p in planted}


@pytest.mark.parametrize(("text", "planted"), MESSAGES)
def test_prefilter_gating_changes_nothing(
    analyzer: AnalyzerEngine, text: str, planted: list[Planted]
) -> None:
    gated = _analyze(analyzer, text, sorted(prefilter_entities(text)))
    full = _analyze(analyzer, text, list(SECRET_ENTITIES))
    assert _spans(text, gated) == _spans(text, full)
