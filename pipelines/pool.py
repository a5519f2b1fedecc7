"""Detection in worker processes, so the event loop (and faust's consumer) never waits on it.

A batch is cut into one contiguous chunk per process and the results are stitched back in
order. If a chunk fails, its texts come back as ``None`` and are stored unscanned with their
text withheld (fail closed); a broken pool is rebuilt for the next batch.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import logging
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from aitrail.processes import die_with_parent
from pipelines.detection.base import Detector, ScanResult

log = logging.getLogger(__name__)

DEFAULT_ENGINE = "pipelines.detection.engine:AitrailDetector"

_engine: Detector | None = None


def load_engine(path: str) -> Detector:
    module_name, _, attr = path.partition(":")
    factory = getattr(importlib.import_module(module_name), attr)
    engine: Detector = factory()
    return engine


def _init_process(engine_path: str) -> None:
    global _engine
    # A worker killed with SIGKILL cannot shut its pool down: the kernel ends these with it.
    die_with_parent()
    _engine = load_engine(engine_path)
    freeze_loaded_state()


def freeze_loaded_state() -> None:
    """Collect once, then move every object alive now (the engine's word lists, patterns and
    model, the interpreter's modules) out of the cyclic garbage collector's reach: they live
    as long as the process, and otherwise every full collection, triggered by what scanning
    allocates, walks all of them again. What scanning allocates is collected as before."""
    gc.collect()
    gc.freeze()


def _scan_chunk(texts: list[str]) -> list[ScanResult]:
    assert _engine is not None, "detection process started without an engine"
    return _engine.scan(texts)


def _engine_version() -> str:
    assert _engine is not None
    return _engine.version


def chunks(items: Sequence[str], parts: int) -> list[list[str]]:
    """Split into at most ``parts`` contiguous chunks of near-equal size, order kept."""
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        out.append(list(items[start:end]))
        start = end
    return [c for c in out if c]


class DetectionPool:
    def __init__(self, processes: int, engine_path: str = DEFAULT_ENGINE) -> None:
        self.processes = processes
        self.engine_path = engine_path
        self._executor: ProcessPoolExecutor | None = None
        self.engine_version = ""

    def start(self) -> None:
        """Spawn the processes and wait until each has loaded the engine."""
        self._executor = ProcessPoolExecutor(
            max_workers=self.processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_process,
            initargs=(self.engine_path,),
        )
        warm = [self._executor.submit(_engine_version) for _ in range(self.processes)]
        self.engine_version = warm[0].result()
        for f in warm[1:]:
            f.result()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def _submit(self, texts: Sequence[str]) -> list[tuple[int, Future[list[ScanResult]]]]:
        if self._executor is None:
            self.start()
        assert self._executor is not None
        return [
            (len(c), self._executor.submit(_scan_chunk, c)) for c in chunks(texts, self.processes)
        ]

    async def scan(self, texts: Sequence[str]) -> list[ScanResult | None]:
        if not texts:
            return []
        submitted = self._submit(texts)
        results: list[ScanResult | None] = []
        for size, future in submitted:
            try:
                chunk: list[ScanResult] = await asyncio.wrap_future(future)
                results.extend(chunk)
            except Exception as exc:  # fail closed for this chunk, keep the batch moving
                self._on_failure(exc, size)
                results.extend([None] * size)
        return results

    def scan_blocking(self, texts: Sequence[str]) -> list[ScanResult | None]:
        results: list[ScanResult | None] = []
        for size, future in self._submit(texts):
            try:
                results.extend(future.result())
            except Exception as exc:
                self._on_failure(exc, size)
                results.extend([None] * size)
        return results

    def _on_failure(self, exc: BaseException, size: int) -> None:
        # The exception text may quote the input; log its type only.
        log.error("detection failed for %d texts (%s); storing them unscanned, text withheld",
                  size, type(exc).__name__)
        if isinstance(exc, BrokenProcessPool):
            self.close()
