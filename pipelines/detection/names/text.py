"""Small text helpers of the name tagger (boundaries, keys, the word before a span)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import regex

from pipelines.detection.names import rules

if TYPE_CHECKING:
    from pipelines.detection.names.tagger import Span


@lru_cache(maxsize=1024)
def exact_word(word: str) -> regex.Pattern[str]:
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}_@#/.-]){regex.escape(word)}"
                         r"(?![\p{L}\p{N}_@]|\.\p{L})")


def mostly_lower(text: str) -> bool:
    """Typed without capitals (one capital in twenty words, from a URL or code, is allowed)."""
    caps = 0
    for _ in rules.WORD_CAP.finditer(text):
        caps += 1
        if caps > 3:
            return False
    words = text.count(" ") + text.count("\n") + 1
    return words >= 4 and caps <= words // 20


def merge(text: str, spans: list[Span]) -> list[Span]:
    """A place word next to a person name in one run is part of the name (Sofia Lima)."""
    out = [spans[0]]
    for s in spans[1:]:
        p = out[-1]
        gap = text[p.end:s.start]
        if {p.entity, s.entity} == {"PERSON", "LOCATION"} and gap.isspace() and "\n" not in gap:
            out[-1] = p._replace(end=s.end, entity="PERSON", score=max(p.score, s.score),
                                 why=p.why + "+" + s.why)
        else:
            out.append(s)
    return out


def key(word: str) -> str:
    w = word.lower()
    if w.endswith(("'s", "’s")):
        w = w[:-2]
    return w.rstrip("'’.")


def trim(tok: tuple[int, int, str]) -> int:
    """End of a token without a possessive 's or trailing quotes."""
    start, end, w = tok
    if w.endswith(("'s", "’s")):
        return end - 2
    return end - (len(w) - len(w.rstrip("'’")))


def prev_word(text: str, start: int) -> str:
    m = rules.PREV_WORD.match(text, max(0, start - 30), start)
    return m.group(1).lower() if m else ""
