"""``aitrail scan``: the detection engine on JSONL texts, using every core.

Input lines: ``{"id": ..., "text": ...}``. Output lines, in input order:
``{"id": ..., "findings": [{"type", "start", "end", "score", "detector"}], "redacted"?}``.
Lines that are not such objects get ``{"id": ..., "error": "..."}`` and the scan goes on.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from tqdm import tqdm

from aitrail.jsonl import BadLine, count_lines, open_source, read_objects
from pipelines.detection.base import ScanResult
from pipelines.pool import DEFAULT_ENGINE, DetectionPool

BATCH = 512


def _batches(stream: TextIO) -> Iterator[list[tuple[int, dict[str, Any] | BadLine]]]:
    batch: list[tuple[int, dict[str, Any] | BadLine]] = []
    for item in read_objects(stream):
        batch.append(item)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _output(item: dict[str, Any], result: ScanResult | None, redact: bool,
            min_score: float = 0.0) -> dict[str, Any]:
    if result is None:
        return {"id": item.get("id"), "error": "detection failed for this text"}
    line: dict[str, Any] = {
        "id": item.get("id"),
        "findings": [
            {"type": f.entity_type, "start": f.start, "end": f.end, "score": f.score,
             "detector": f.detector}
            for f in result.findings if f.score >= min_score
        ],
    }
    if redact:
        line["redacted"] = result.redacted
    return line


def scan_file(path: str, out: TextIO, *, workers: int, redact: bool, min_score: float = 0.0,
              engine: str = DEFAULT_ENGINE) -> int:
    pool = DetectionPool(workers, engine)
    pool.start()
    errors = 0
    try:
        with open_source(path) as stream:
            bar = tqdm(total=count_lines(path), unit="text", file=sys.stderr)
            for batch in _batches(stream):
                good = [(n, item) for n, item in batch
                        if isinstance(item, dict) and isinstance(item.get("text"), str)]
                results = iter(pool.scan_blocking([item["text"] for _, item in good]))
                good_lines = {n for n, _ in good}
                for n, item in batch:
                    if n in good_lines:
                        assert isinstance(item, dict)
                        line = _output(item, next(results), redact, min_score)
                    else:
                        errors += 1
                        reason = item.reason if isinstance(item, BadLine) else (
                            'needs a string "text" field')
                        line = {"id": item.get("id") if isinstance(item, dict) else None,
                                "line": n, "error": reason}
                    out.write(json.dumps(line, ensure_ascii=False) + "\n")
                bar.update(len(batch))
            bar.close()
    finally:
        pool.close()
    if errors:
        print(f"{errors} lines could not be scanned (see their \"error\")", file=sys.stderr)
    return 1 if errors else 0
