"""One pass over the text to find where each recognizer could possibly match.

Every recognizer declares ``PREFILTER`` regexes that match inside each of its true positives.
They are compiled together into one Hyperscan database (or, where Hyperscan is unavailable,
one ``regex`` alternation per recognizer) and the text is scanned once. The engine then runs
only the recognizers that were hit, only on windows around the hits.
"""

from __future__ import annotations

import codecs
from collections import defaultdict
from collections.abc import Sequence
from types import ModuleType

import regex

hyperscan: ModuleType | None
try:
    import hyperscan
except ImportError:  # pragma: no cover - exercised on platforms without the wheel
    hyperscan = None

Span = tuple[int, int]


class Prefilter:
    """Maps a text to ``{member index: [(start, end), ...]}`` in character offsets."""

    def __init__(self, patterns: Sequence[tuple[int, str]], *, use_hyperscan: bool = True
                 ) -> None:
        self.patterns = list(patterns)
        self.backend = "hyperscan" if (use_hyperscan and hyperscan is not None) else "regex"
        if self.backend == "hyperscan":
            assert hyperscan is not None
            self._db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            self._db.compile(
                expressions=[_latin1(p) for _, p in self.patterns],
                ids=list(range(len(self.patterns))),
                elements=len(self.patterns),
                flags=[hyperscan.HS_FLAG_SOM_LEFTMOST] * len(self.patterns),
            )
            self._scratch = hyperscan.Scratch(self._db)
        else:
            by_member: dict[int, list[str]] = defaultdict(list)
            for member, pattern in self.patterns:
                by_member[member].append(f"(?:{pattern})")
            self._compiled = {m: regex.compile("|".join(ps)) for m, ps in by_member.items()}

    def hits(self, text: str) -> dict[int, list[Span]]:
        if self.backend == "regex":
            return {
                m: spans for m, rx in self._compiled.items()
                if (spans := [mt.span() for mt in rx.finditer(text)])
            }
        # One byte per character, so Hyperscan's offsets are character offsets: Latin-1 for
        # what it can encode, and a letter for anything else (a CJK or Cyrillic character is
        # a word character to Python's \b, as "x" is). Patterns only match ASCII classes
        # (and \x80-\xff as "a letter"), so this never loses a candidate; a test checks it.
        data = text.encode("latin-1", errors=_ONE_LETTER)
        # Hyperscan reports every end offset of a match; one span per start is enough.
        found: dict[int, dict[int, int]] = defaultdict(dict)

        def on_match(pattern_id: int, start: int, end: int, _flags: int, _ctx: object) -> None:
            ends = found[self.patterns[pattern_id][0]]
            if end > ends.get(start, -1):
                ends[start] = end

        self._db.scan(data, match_event_handler=on_match, scratch=self._scratch)
        return {m: sorted(ends.items()) for m, ends in found.items()}


def _latin1(pattern: str) -> bytes:
    """A pattern as the bytes it must match in the Latin-1 text ``hits`` scans: "ä" in a
    pattern is the byte E4 there, as in the text (UTF-8 would make it two bytes that never
    occur)."""
    try:
        return pattern.encode("latin-1")
    except UnicodeEncodeError as exc:
        raise ValueError(f"pre-filter pattern {pattern!r} has a character beyond Latin-1 "
                         f"({exc.object[exc.start]!r}): the text scanned has 'x' there; "
                         "write the pattern without it") from exc


def _one_letter_each(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeEncodeError)
    return "x" * (error.end - error.start), error.end


_ONE_LETTER = "aitrail-one-letter"
codecs.register_error(_ONE_LETTER, _one_letter_each)


def windows(spans: Sequence[Span], text: str, margin: int, reach: int = 0) -> list[Span]:
    """Merge hit spans widened by ``margin`` (and by ``reach`` to the right, for recognizers
    whose match may run that far past the hit, like a private key block after its header),
    snapped outwards to whitespace so that a window never cuts a token in half. (Called for
    every recognizer and text with hits, so written for speed: plain ints, no min/max.)"""
    n = len(text)
    grow = margin if margin > reach else reach
    merged: list[Span] = []
    ws = we = -1
    for start, end in spans if len(spans) < 2 else sorted(spans):
        low = start - margin if start > margin else 0
        high = end + grow
        if high > n:
            high = n
        if low <= we:  # overlaps or touches the window so far
            if high > we:
                we = high
            continue
        if we >= 0:
            merged.append((ws, we))
        ws, we = low, high
    if we >= 0:
        merged.append((ws, we))
    out: list[Span] = []
    for ws, we in merged:
        if ws > 0 and not text[ws - 1].isspace():
            found = _LAST_SPACE.search(text, 0, ws)
            ws = found.end() if found else 0
        if we < n and not text[we].isspace():
            found = _NEXT_SPACE.search(text, we)
            we = found.start() if found else n
        if out and ws <= out[-1][1]:
            if we > out[-1][1]:
                out[-1] = (out[-1][0], we)
        else:
            out.append((ws, we))
    return out


_LAST_SPACE = regex.compile(r"(?r)\s")  # searches backwards from the end position
_NEXT_SPACE = regex.compile(r"\s")
