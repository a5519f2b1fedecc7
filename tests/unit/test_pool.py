import asyncio

import pytest

from pipelines.pool import DetectionPool, chunks


@pytest.mark.parametrize(("n", "parts"), [(0, 2), (1, 4), (7, 2), (10, 3), (3, 3)])
def test_chunks_keep_order_and_cover_everything(n: int, parts: int) -> None:
    items = [str(i) for i in range(n)]
    out = chunks(items, parts)
    assert [x for c in out for x in c] == items
    assert len(out) <= parts and all(out)
    if out:
        assert max(map(len, out)) - min(map(len, out)) <= 1


class Exploding:
    name = "exploding"
    version = "x"

    def scan(self, texts: list[str]) -> list[object]:
        raise RuntimeError("boom")


def test_pool_keeps_order_across_processes() -> None:
    pool = DetectionPool(2)
    try:
        texts = [f"call 415-555-01{i:02d} now" if i % 3 == 0 else f"plain text {i}"
                 for i in range(30)]
        results = asyncio.run(pool.scan(texts))
        assert len(results) == 30
        for i, result in enumerate(results):
            assert result is not None
            assert bool(result.findings) == (i % 3 == 0), i
    finally:
        pool.close()


def test_a_failing_engine_fails_closed_with_none() -> None:
    pool = DetectionPool(1, engine_path="tests.unit.test_pool:Exploding")
    try:
        assert pool.scan_blocking(["a", "b"]) == [None, None]
    finally:
        pool.close()


def test_what_a_detection_process_loaded_is_frozen() -> None:
    """Full collections in a detection process skip the engine's tables: they are frozen
    once loaded (and anything allocated afterwards is collected as usual)."""
    import gc

    from pipelines.pool import freeze_loaded_state

    before = gc.get_freeze_count()
    try:
        freeze_loaded_state()
        assert gc.get_freeze_count() > before
        assert gc.isenabled()
    finally:
        gc.unfreeze()
