"""Read JSONL events from a file or stdin, line by line, keeping line numbers for errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO


@dataclass(frozen=True)
class BadLine:
    line_no: int
    reason: str


def open_source(path: str) -> TextIO:
    if path == "-":
        return sys.stdin
    return Path(path).open(encoding="utf-8")


def read_objects(stream: TextIO) -> Iterator[tuple[int, dict[str, Any] | BadLine]]:
    for line_no, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield line_no, BadLine(line_no, f"not JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(value, dict):
            yield line_no, BadLine(line_no, "not a JSON object")
            continue
        yield line_no, value


def count_lines(path: str) -> int | None:
    if path == "-":
        return None
    with Path(path).open("rb") as f:
        return sum(1 for line in f if line.strip())
