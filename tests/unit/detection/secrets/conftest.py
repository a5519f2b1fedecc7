"""Presidio engines holding only the secret recognizers, built once per test session."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine

from tests.unit.detection.secrets.analyzer import build_secret_analyzer


@pytest.fixture(scope="session")
def analyzer() -> AnalyzerEngine:
    """No NLP (``NoOpNlpEngine``): scores are the recognizers' own."""
    return build_secret_analyzer(context=False)


@pytest.fixture(scope="session")
def context_analyzer() -> AnalyzerEngine:
    """A blank spaCy tokenizer, so Presidio's context enhancer sees the CONTEXT words."""
    return build_secret_analyzer(context=True)
