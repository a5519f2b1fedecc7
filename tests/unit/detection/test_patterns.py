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
