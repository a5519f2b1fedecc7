"""The engine's pattern loop gives what Presidio's ``PatternRecognizer.analyze`` gives."""

from __future__ import annotations

from bench import pii_eval
from bench.bench_detect import llm_traffic
from pipelines.detection.engine import default_recognizers
from pipelines.detection.patterns import analyze_patterns, uses_presidio_analyze


def test_same_results_as_presidio_on_every_dataset_text() -> None:
    recognizers = [r for r in default_recognizers() if uses_presidio_analyze(r)]
    assert len(recognizers) >= 10
    texts = [e.text for d in pii_eval.load_sets() for e in d.examples] + llm_traffic(200)
    compared = 0
    for recognizer in recognizers:
        for text in texts:
            ours = analyze_patterns(recognizer, text)  # type: ignore[arg-type]
            theirs = recognizer.analyze(text, recognizer.supported_entities, None)  # type: ignore[arg-type]
            key = sorted((r.entity_type, r.start, r.end, r.score) for r in ours)
            assert key == sorted((r.entity_type, r.start, r.end, r.score) for r in theirs), (
                type(recognizer).__name__, text)
            compared += len(theirs)
    assert compared > 500


def test_what_is_read_once_per_recognizer_does_not_keep_it_alive() -> None:
    """Engines built and dropped (tests, reloads) leave nothing behind in the pattern cache."""
    import gc

    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    from pipelines.detection import patterns

    recognizer = EmailRecognizer()
    assert [r.entity_type for r in analyze_patterns(recognizer, "mail a@b.com")] == [
        "EMAIL_ADDRESS"]
    assert recognizer in patterns._PREPARED
    before = len(patterns._PREPARED)
    del recognizer
    gc.collect()
    assert len(patterns._PREPARED) == before - 1


def test_only_patterns_without_nested_repetition_run_untimed() -> None:
    """Catastrophic backtracking needs a repetition inside a repetition; those patterns, and
    the ones Python's ``re`` cannot read, keep Presidio's timeout on every window."""
    import regex

    from pipelines.detection.pattern_shape import has_nested_repeat

    flags = regex.DOTALL | regex.MULTILINE | regex.IGNORECASE
    for nested in (r"(a+)+$", r"(\w+[-.])*\w+@", r"(?:x|(?:ab)*)+", r"((\d{1,3})\.){3}",
                   r"(?=(a*)*)b", r"[\p{L}]+ \d+"):  # the last: regex-only syntax
        assert has_nested_repeat(nested, flags), nested
    for flat in (r"\b\d{9}\b", r"\b([0-9]{3})([- .])([0-9]{2})\2([0-9]{4})\b",
                 r"\b(?!1\d{12}(?!\d))((4\d{3})|(5[0-5]\d{2}))[- ]?(\d{3,4})\b",
                 r"(?:ab)?c+d*"):
        assert not has_nested_repeat(flat, flags), flat


def test_required_punctuation_is_on_every_path_through_the_pattern() -> None:
    """A window without it holds no match; optional parts, classes, lookarounds and the
    alternatives one branch lacks require nothing, and patterns ``re`` reads otherwise than
    ``regex`` (a POSIX class) or not at all require nothing either."""
    from pipelines.detection.pattern_shape import required_punctuation

    cases = {
        r"\b\d{5}-\d{4}\b": {"-"},
        r"[\w.]+@\w+\.\w+": {"@", "."},
        r"(?:\d{1,3}\.){3}\d{1,3}(?:/\d+)?": {"."},  # the optional "/" is not required
        r"a:b|c:d": {":"},
        r"a:b|c-d": set(),
        r"\d+(?:-\d+)*": set(),
        r"(?=.*#)\w+": set(),
        r"[:-]\d": set(),
        r"\d[[:punct:]]\d": set(),  # a nested set to re, a POSIX class to regex
        r"\p{L}+:": set(),
        r"A B": set(),  # letters and spaces are never required punctuation
    }
    for pattern, expected in cases.items():
        assert required_punctuation(pattern) == expected, pattern
