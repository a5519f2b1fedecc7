"""Speed of the secret recognizers inside Presidio, over 1,000 synthetic ~1 KB messages.

Run: ``python -m tests.unit.detection.secrets.speed``. Not a test (never gate CI on absolute
times); it belongs in ``bench/`` once that can take it. Prints texts per second for Presidio's
``AnalyzerEngine.analyze`` with only the secret recognizers, with and without a tokenizer, and
for the same engine gated by the Hyperscan pre-filter.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from pipelines.detection.secrets import SECRET_ENTITIES
from tests.unit.detection.secrets.analyzer import build_secret_analyzer
from tests.unit.detection.secrets.corpus import corpus, plain_corpus
from tests.unit.detection.secrets.helpers import prefilter_entities

N_TEXTS = 1000
ROUNDS = 3


def _time(label: str, texts: list[str], run: Callable[[str], object]) -> None:
    for text in texts[:50]:
        run(text)  # warm regex caches
    rates = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for text in texts:
            run(text)
        rates.append(len(texts) / (time.perf_counter() - start))
    print(f"{label:<60} {statistics.median(rates):>9,.0f} texts/s")


def main() -> None:
    messages = corpus(N_TEXTS, seed=11)
    planted = sum(len(p) for _, p in messages)
    print(f"with secrets: {planted} planted in {N_TEXTS} texts, plus decoy fields")
    bench([text for text, _ in messages])
    print("\nplain prose: no secrets, no decoy fields")
    bench(plain_corpus(N_TEXTS, seed=12))


def bench(texts: list[str]) -> None:
    print(f"{len(texts)} texts, mean {statistics.mean(len(t) for t in texts):,.0f} chars")
    entities = list(SECRET_ENTITIES)
    for context in (False, True):
        engine = build_secret_analyzer(context=context)
        name = "blank spaCy tokenizer" if context else "NoOpNlpEngine"

        def full(text: str, engine: object = engine) -> object:
            return engine.analyze(text=text, language="en", entities=entities)  # type: ignore[attr-defined]

        def gated(text: str, engine: object = engine) -> object:
            hit = sorted(prefilter_entities(text))
            if not hit:
                return []
            return engine.analyze(text=text, language="en", entities=hit)  # type: ignore[attr-defined]

        _time(f"AnalyzerEngine.analyze, {name}", texts, full)
        _time(f"pre-filter + AnalyzerEngine.analyze, {name}", texts, gated)
    _time("pre-filter alone (Hyperscan)", texts, prefilter_entities)
    gated_share = sum(1 for t in texts if prefilter_entities(t)) / len(texts)
    print(f"texts with at least one pre-filter hit: {gated_share:.0%}")


if __name__ == "__main__":
    main()
