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
from collections.abc import Callable
from dataclasses import dataclass

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
    prepared = _PREPARED.get(id(recognizer))
    if prepared is None or prepared.recognizer is not recognizer:
        prepared = _PREPARED[id(recognizer)] = _Prepared.of(recognizer)
    entity, metadata, validate, invalidate = (prepared.entity, prepared.metadata,
                                              prepared.validate, prepared.invalidate)
    results: list[RecognizerResult] = []
    for pattern, compiled in prepared.patterns:
        try:
            for match in compiled.finditer(text, timeout=REGEX_TIMEOUT_SECONDS):
                start, end = match.span()
                if start == end:
                    continue
                score = pattern.score
                if validate is not None or invalidate is not None:
                    value = text[start:end]
                    valid = validate(value) if validate is not None else None
                    if valid is not None:
                        score = EntityRecognizer.MAX_SCORE if valid else EntityRecognizer.MIN_SCORE
                    if invalidate is not None and invalidate(value):
                        score = EntityRecognizer.MIN_SCORE
                if score > EntityRecognizer.MIN_SCORE:
                    results.append(RecognizerResult(entity, start, end, score,
                                                    recognition_metadata=dict(metadata)))
        except TimeoutError:
            logger.warning("pattern %r of %s timed out after %s s, skipped", pattern.name,
                           prepared.name, REGEX_TIMEOUT_SECONDS)
    if len(results) < 2:  # what remove_duplicates returns for these
        return results
    return list(EntityRecognizer.remove_duplicates(results))


@dataclass(frozen=True)
class _Prepared:
    """What ``analyze_patterns`` reads from a recognizer, read once: its patterns compiled
    with its flags (as Presidio compiles them), and its validate/invalidate methods unless
    they are PatternRecognizer's own, which accept everything (None and False)."""

    recognizer: PatternRecognizer
    name: str
    entity: str
    metadata: dict[str, str]
    patterns: tuple[tuple[Pattern, regex.Pattern[str]], ...]
    validate: Callable[[str], bool | None] | None
    invalidate: Callable[[str], bool | None] | None

    @classmethod
    def of(cls, recognizer: PatternRecognizer) -> _Prepared:
        flags = recognizer.global_regex_flags
        patterns = []
        for pattern in getattr(recognizer, "patterns", []):
            compiled: regex.Pattern[str] | None = pattern.compiled_regex
            if compiled is None or pattern.compiled_with_flags != flags:
                compiled = regex.compile(pattern.regex, flags=flags)
                pattern.compiled_with_flags = flags
                pattern.compiled_regex = compiled
            patterns.append((pattern, compiled))
        name = str(getattr(recognizer, "name", type(recognizer).__name__))
        kind = type(recognizer)
        return cls(
            recognizer, name, recognizer.supported_entities[0],
            {RecognizerResult.RECOGNIZER_NAME_KEY: name,
             RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id},
            tuple(patterns),
            None if kind.validate_result is PatternRecognizer.validate_result
            else recognizer.validate_result,
            None if kind.invalidate_result is PatternRecognizer.invalidate_result
            else recognizer.invalidate_result,
        )


# id(recognizer) -> its _Prepared (which holds the recognizer, so the id stays its own)
_PREPARED: dict[int, _Prepared] = {}
