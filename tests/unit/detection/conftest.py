"""Fixtures of the detection tests: one engine without the moderation stage, built once."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipelines.detection.engine import AitrailDetector


@pytest.fixture(scope="session")
def pii_detector() -> AitrailDetector:
    return AitrailDetector(text_stages=[])


@pytest.fixture(scope="session")
def values_found(pii_detector: AitrailDetector) -> Callable[[str, str], list[str]]:
    """``values_found(text, entity_type)``: the text of each finding of that type."""

    def values(text: str, entity_type: str) -> list[str]:
        (result,) = pii_detector.scan([text])
        return [text[f.start:f.end] for f in result.findings if f.entity_type == entity_type]

    return values
