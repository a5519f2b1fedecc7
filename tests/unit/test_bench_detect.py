"""bench-detect's throughput loop: engines take turns, and every timed pass of a candidate
starts with its caches empty."""

from __future__ import annotations

from collections.abc import Sequence

from bench.bench_detect import Engine, measure


class CountingEngine:
    def __init__(self, name: str, log: list[str]) -> None:
        self.name = name
        self.log = log

    def clear_caches(self) -> None:
        self.log.append(f"{self.name} clear")

    def scan(self, texts: Sequence[str]) -> list[object]:
        self.log.append(f"{self.name} scan {len(texts)}")
        return [None] * len(texts)


def _engine(name: str, log: list[str]) -> Engine:
    return Engine(spec="x:y", obj=CountingEngine(name, log), name=name, load_seconds=0.0)


def test_engines_take_turns_and_every_candidate_pass_starts_with_empty_caches() -> None:
    log: list[str] = []
    texts = ["a", "b", "c", "d", "e"]
    results = measure([_engine("stock", log), _engine("fast", log)], texts, batch=2,
                      min_seconds=0.0, warmup=1, label="t", chunks=3)
    assert log[:2] == ["stock scan 1", "fast scan 1"]  # warm-up
    turns = log[2:]
    # the reference scans slices of 2, 2 and 1 texts; after each, the candidate one full pass
    pass_ = ["fast clear", "fast scan 2", "fast scan 2", "fast scan 1"]
    assert turns == ["stock scan 2", *pass_, "stock scan 2", *pass_, "stock scan 1", *pass_]
    assert results["stock"]["passes"] == 1.0
    assert results["fast"]["passes"] == 3.0
    assert results["fast"]["texts"] == 5


def test_turns_go_on_until_every_candidate_has_had_its_minimum_time() -> None:
    log: list[str] = []
    results = measure([_engine("stock", log), _engine("fast", log)], ["a", "b"], batch=2,
                      min_seconds=0.05, warmup=1, label="t", chunks=2)
    assert results["fast"]["seconds"] >= 0.05
    assert results["stock"]["passes"] >= 1.0


def test_instruction_counts_use_bench_detects_samples() -> None:
    """bench.instructions counts the texts bench-detect times, by their short names."""
    from bench import pii_eval
    from bench.bench_detect import samples
    from bench.instructions import sample_texts

    found = samples(pii_eval.load_sets(), 300, 60, 1024)
    assert sample_texts("dataset") == found["dataset texts"]
    assert sample_texts("packed") == found["packed to ≥1,024 bytes"]
    assert all(len(t.encode()) >= 1024 for t in sample_texts("packed"))
