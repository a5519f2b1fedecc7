"""Assertions shared by the secret recognizer tests."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from presidio_analyzer import AnalyzerEngine, RecognizerResult

from pipelines.detection.secrets import SecretRecognizer
from pipelines.detection.secrets.prefilter import SecretPrefilter

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
    hits = _prefilter(cls).hits(text)
    assert any(h.start <= start and end <= h.end + h.reach for h in hits), (
        f"{cls.__name__}: no pre-filter hit covers [{start}, {end}); hits: "
        f"{[(h.start, h.end) for h in hits]}"
    )


@cache
def _prefilter(cls: type[SecretRecognizer]) -> SecretPrefilter:
    return SecretPrefilter([cls])


def positive_params(cases: list[Positive]) -> list[Any]:
    """pytest params (text, secret, score) whose ids never contain the secret."""
    return [pytest.param(text, secret, score, id=i) for i, text, secret, score in cases]


def secret_params(cases: list[Positive]) -> list[Any]:
    return [pytest.param(text, secret, id=i) for i, text, secret, _ in cases]


def negative_params(cases: list[Negative]) -> list[Any]:
    return [pytest.param(text, id=i) for i, text in cases]
