"""Sets of character spans the engine asks overlap questions of, answered by bisection."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate


class TakenSpans:
    """Spans of the findings so far, sorted by start, for a recognizer that yields to them:
    whether one contains a candidate (the largest end among the spans that start at or
    before it), and the ones that reach into a window, relative to it."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]
        # reach[i]: the largest end of spans[:i + 1]
        self.reach = list(accumulate([b for _, b in self.spans], max))

    def contains(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start) - 1
        return i >= 0 and self.reach[i] >= end

    def inside(self, start: int, end: int) -> list[tuple[int, int]]:
        if not self.spans:
            return []
        return [(a - start, b - start)
                for a, b in self.spans[:bisect_left(self.starts, end)] if b > start]


NO_SPANS = TakenSpans([])  # nothing found before: nothing to yield to


class DisjointSpans:
    """Disjoint spans kept sorted, so an overlap test is two neighbours, not a scan."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def is_free(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start)
        return (i == 0 or self.ends[i - 1] <= start) and (
            i == len(self.starts) or end <= self.starts[i])

    def add_if_free(self, start: int, end: int) -> bool:
        if not self.is_free(start, end):
            return False
        i = bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)
        return True
