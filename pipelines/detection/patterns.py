"""Presidio's ``PatternRecognizer.analyze`` without its per-match bookkeeping.

For every match Presidio builds an ``AnalysisExplanation`` (the regex, the pattern name, the
flags), reads the clock twice per pattern and logs at debug level; on dense text that costs
more than the matching. The engine never reads explanations, so for recognizers that do not
override ``analyze`` it runs this loop instead: the same compiled patterns (with the
recognizer's flags and Presidio's regex timeout), the same ``validate_result`` and
``invalidate_result`` rules, the same scores and the same ``remove_duplicates``.
``tests/unit/detection/test_patterns.py`` holds the two equal on every dataset text.

Two shortcuts, from what a pattern's structure guarantees (``pattern_shape``):
- the timeout: Presidio gives every search one, which guards against catastrophic
  backtracking but costs the ``regex`` module about 0.7 µs per search (a clock read each time
  it starts), 5% of the engine's time on dense 1 KB text. A pattern without nested
  repetition backtracks at most polynomially, which on a window of at most ``UNTIMED_CHARS``
  characters is a few thousand steps: such patterns run untimed on such windows, every other
  pattern and every longer window keeps Presidio's timeout;
- a pattern whose every match holds some ASCII punctuation (IPv6's ``:``) is not run on a
  window without it.
"""

from __future__ import annotations

import logging
import weakref
from dataclasses import dataclass

import regex
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.pattern_recognizer import REGEX_TIMEOUT_SECONDS

from pipelines.detection.pattern_shape import has_nested_repeat, required_punctuation

logger = logging.getLogger(__name__)

UNTIMED_CHARS = 256


def uses_presidio_analyze(recognizer: EntityRecognizer) -> bool:
    """True when ``recognizer`` is a plain pattern recognizer (``analyze`` not overridden)."""
    return (isinstance(recognizer, PatternRecognizer)
            and type(recognizer).analyze is PatternRecognizer.analyze
            and not recognizer.deny_list)


def prepare(recognizer: PatternRecognizer) -> PreparedPatterns:
    """What ``analyze_patterns`` reads from ``recognizer``, read once and kept for as long as
    the recognizer lives (callers that call often hold it and pass it back)."""
    prepared = _PREPARED.get(recognizer)
    if prepared is None:
        prepared = _PREPARED[recognizer] = PreparedPatterns.of(recognizer)
    return prepared


def analyze_patterns(recognizer: PatternRecognizer, text: str,
                     prepared: PreparedPatterns | None = None) -> list[RecognizerResult]:
    """``prepared``: ``prepare(recognizer)``, when the caller holds it (a lookup in the
    weak-keyed cache costs about half a microsecond)."""
    if prepared is None:
        prepared = prepare(recognizer)
    entity, metadata, validate, invalidate = (prepared.entity, prepared.metadata,
                                              prepared.validate, prepared.invalidate)
    results: list[RecognizerResult] = []
    short = len(text) <= UNTIMED_CHARS
    for pattern, compiled, untimed, required in prepared.patterns:
        if required and not all(char in text for char in required):
            continue
        try:
            for match in compiled.finditer(
                    text, timeout=None if untimed and short else REGEX_TIMEOUT_SECONDS):
                start, end = match.span()
                if start == end:
                    continue
                score = pattern.score
                if validate or invalidate:
                    value = text[start:end]
                    valid = recognizer.validate_result(value) if validate else None
                    if valid is not None:
                        score = EntityRecognizer.MAX_SCORE if valid else EntityRecognizer.MIN_SCORE
                    if invalidate and recognizer.invalidate_result(value):
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
class PreparedPatterns:
    """What ``analyze_patterns`` reads from a recognizer, read once: its patterns compiled
    with its flags (as Presidio compiles them) and whether each may run untimed on a short
    window, and whether it has validate/invalidate methods of its own (PatternRecognizer's
    accept everything: None and None)."""

    name: str
    entity: str
    metadata: dict[str, str]
    # (pattern, compiled, untimed on a short window, punctuation every match holds)
    patterns: tuple[tuple[Pattern, regex.Pattern[str], bool, frozenset[str]], ...]
    validate: bool  # the recognizer has validate_result / invalidate_result of its own
    invalidate: bool

    @classmethod
    def of(cls, recognizer: PatternRecognizer) -> PreparedPatterns:
        flags = recognizer.global_regex_flags
        patterns = []
        for pattern in getattr(recognizer, "patterns", []):
            compiled: regex.Pattern[str] | None = pattern.compiled_regex
            if compiled is None or pattern.compiled_with_flags != flags:
                compiled = regex.compile(pattern.regex, flags=flags)
                pattern.compiled_with_flags = flags
                pattern.compiled_regex = compiled
            patterns.append((pattern, compiled, not has_nested_repeat(pattern.regex, flags),
                             required_punctuation(pattern.regex, flags)))
        name = str(getattr(recognizer, "name", type(recognizer).__name__))
        kind = type(recognizer)
        return cls(
            name, recognizer.supported_entities[0],
            {RecognizerResult.RECOGNIZER_NAME_KEY: name,
             RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id},
            tuple(patterns),
            kind.validate_result is not PatternRecognizer.validate_result,
            kind.invalidate_result is not PatternRecognizer.invalidate_result,
        )


# recognizer -> its PreparedPatterns, for as long as the recognizer lives (recognizers hash by
# identity, and a PreparedPatterns holds no reference to its recognizer)
_PREPARED: weakref.WeakKeyDictionary[PatternRecognizer, PreparedPatterns] = (
    weakref.WeakKeyDictionary())
