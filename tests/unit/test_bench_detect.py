"""bench-detect's throughput loop: every timed pass starts with the engine's caches empty."""

from __future__ import annotations

from collections.abc import Sequence

from bench.bench_detect import Engine, measure


class CountingEngine:
    name = "counting"

    def __init__(self) -> None:
        self.events: list[str] = []

    def clear_caches(self) -> None:
        self.events.append("clear")

    def scan(self, texts: Sequence[str]) -> list[object]:
        self.events.append(f"scan {len(texts)}")
        return [None] * len(texts)


def test_caches_are_emptied_before_every_pass() -> None:
    obj = CountingEngine()
    engine = Engine(spec="x:y", obj=obj, name="counting", load_seconds=0.0)
    result = measure(engine, ["a", "b", "c"], batch=2, min_seconds=0.01, warmup=1, label="t")
    passes = result["passes"]
    assert passes >= 1
    assert obj.events[0] == "scan 1"  # warm-up
    assert obj.events[1:] == ["clear", "scan 2", "scan 1"] * passes
