"""Assertions shared by the secret recognizer tests."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from presidio_analyzer import AnalyzerEngine, RecognizerResult

from pipelines.detection.prefilter import Prefilter
from pipelines.detection.secrets import SECRET_RECOGNIZERS, SecretRecognizer

Positive = tuple[str, str, str, float]  # id, text, secret, expected score
Negative = tuple[str, str]  # id, text


def matches(recognizer: SecretRecognizer, text: str) -> dict[str, float]:
    """What the recognizer reports in ``text``: matched text -> score."""
    results = recognizer.analyze(text, [recognizer.ENTITY])
    return {text[r.start : r.end]: r.score for r in results}


def presidio_matches(engine: AnalyzerEngine, text: str, entity: str) -> dict[str, float]:
    results: list[RecognizerResult] = engine.analyze(text=text, language="en", entities=[entity])
    return {text[r.start : r.end]: r.score for r in results}


def assert_prefilter_covers(cls: type[SecretRecognizer], text: str, secret: str) -> None:
    """Some PREFILTER hit, compiled with Hyperscan, starts at or before the secret and reaches
    its end within ``PREFILTER_REACH``: a window cut around the hit would contain it."""
    start = text.index(secret)
    end = start + len(secret)
    hits = _prefilter(cls).hits(text).get(0, [])
    assert any(s <= start and end <= e + cls.PREFILTER_REACH for s, e in hits), (
        f"{cls.__name__}: no pre-filter hit covers [{start}, {end}); hits: {hits}"
    )


@cache
def _prefilter(cls: type[SecretRecognizer]) -> Prefilter:
    """The engine's own pre-filter (pipelines.detection.prefilter), for one recognizer."""
    return Prefilter([(0, regex) for regex in cls.PREFILTER])


@cache
def _all_secrets() -> Prefilter:
    return Prefilter([(i, regex) for i, cls in enumerate(SECRET_RECOGNIZERS)
                      for regex in cls.PREFILTER])


def prefilter_entities(text: str) -> set[str]:
    """The secret entities whose recognizers the engine's pre-filter would run on ``text``."""
    return {SECRET_RECOGNIZERS[i].ENTITY for i in _all_secrets().hits(text)}


def prefilter_spans(text: str, entity: str) -> list[tuple[int, int]]:
    """Character spans of the pre-filter hits of ``entity``'s recognizer in ``text``."""
    hits = _all_secrets().hits(text)
    return [s for i, spans in hits.items() if SECRET_RECOGNIZERS[i].ENTITY == entity
            for s in spans]


def positive_params(cases: list[Positive]) -> list[Any]:
    """pytest params (text, secret, score) whose ids never contain the secret."""
    return [pytest.param(text, secret, score, id=i) for i, text, secret, score in cases]


def secret_params(cases: list[Positive]) -> list[Any]:
    return [pytest.param(text, secret, id=i) for i, text, secret, _ in cases]


def negative_params(cases: list[Negative]) -> list[Any]:
    return [pytest.param(text, id=i) for i, text in cases]
