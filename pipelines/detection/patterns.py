"""Presidio's ``PatternRecognizer.analyze`` without its per-match bookkeeping.

For every match Presidio builds an ``AnalysisExplanation`` (the regex, the pattern name, the
flags), reads the clock twice per pattern and logs at debug level; on dense text that costs
more than the matching. The engine never reads explanations, so for recognizers that do not
override ``analyze`` it runs this loop instead: the same compiled patterns (with the
recognizer's flags and Presidio's regex timeout), the same ``validate_result`` and
``invalidate_result`` rules, the same scores and the same ``remove_duplicates``.
``tests/unit/detection/test_patterns.py`` holds the two equal on every dataset text.
"""

from __future__ import annotations

import logging

import regex
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.pattern_recognizer import REGEX_TIMEOUT_SECONDS

logger = logging.getLogger(__name__)


def uses_presidio_analyze(recognizer: EntityRecognizer) -> bool:
    """True when ``recognizer`` is a plain pattern recognizer (``analyze`` not overridden)."""
    return (isinstance(recognizer, PatternRecognizer)
            and type(recognizer).analyze is PatternRecognizer.analyze
            and not recognizer.deny_list)


def analyze_patterns(recognizer: PatternRecognizer, text: str) -> list[RecognizerResult]:
    flags = recognizer.global_regex_flags
    entity = recognizer.supported_entities[0]
    name = str(getattr(recognizer, "name", type(recognizer).__name__))
    metadata_name = {RecognizerResult.RECOGNIZER_NAME_KEY: name,
                     RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id}
    patterns: list[Pattern] = getattr(recognizer, "patterns", [])
    results: list[RecognizerResult] = []
    for pattern in patterns:
        compiled: regex.Pattern[str] | None = pattern.compiled_regex
        if compiled is None or pattern.compiled_with_flags != flags:
            compiled = regex.compile(pattern.regex, flags=flags)
            pattern.compiled_with_flags = flags  # type: ignore[assignment]
            pattern.compiled_regex = compiled
        try:
            for match in compiled.finditer(text, timeout=REGEX_TIMEOUT_SECONDS):
                start, end = match.span()
                if start == end:
                    continue
                value = text[start:end]
                score = pattern.score
                valid = recognizer.validate_result(value)
                if valid is not None:
                    score = EntityRecognizer.MAX_SCORE if valid else EntityRecognizer.MIN_SCORE
                if recognizer.invalidate_result(value):
                    score = EntityRecognizer.MIN_SCORE
                if score > EntityRecognizer.MIN_SCORE:
                    results.append(RecognizerResult(
                        entity_type=entity, start=start, end=end, score=score,
                        recognition_metadata=dict(metadata_name)))
        except TimeoutError:
            logger.warning("pattern %r of %s timed out after %s s, skipped", pattern.name,
                           name, REGEX_TIMEOUT_SECONDS)
    if len(results) < 2:  # what remove_duplicates returns for these
        return results
    return list(EntityRecognizer.remove_duplicates(results))
