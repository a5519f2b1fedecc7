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


# Every match of rules.MARKS starts with one of these (a URL with "http" or "www.").
_MARK_STARTS = ("@", "#", "http", "www.")


def marks(text: str) -> list[regex.Match[str]]:
    """``list(rules.MARKS.finditer(text))``, trying the pattern only where a match can start
    (the regex module scans a 1 KB text in about 15 µs, ``str.find`` in well under one).
    ``match`` at a position still sees the characters before it (the lookbehinds)."""
    starts: list[int] = []
    for lit in _MARK_STARTS:
        i = text.find(lit)
        while i >= 0:
            starts.append(i)
            i = text.find(lit, i + 1)
    starts.sort()
    out = []
    end = 0
    for i in starts:
        if i >= end:
            m = rules.MARKS.match(text, i)
            if m is not None:
                out.append(m)
                end = m.end()
    return out


# ASCII characters the separators of NUMBER_BEFORE can hold (\s is these and non-ASCII ones)
_SEPARATORS = " \t\n\v\f\r,>"
_NUMBER_END = frozenset("0123456789-/")  # ASCII \p{N}, "-" and "/"
_BLANKS = frozenset(" \t")


def number_before(text: str, start: int) -> regex.Match[str] | None:
    """``rules.NUMBER_BEFORE`` read back from ``start`` over 12 characters. Both of its
    branches need a number character (ASCII: a digit, "-" or "/") right before blanks, commas,
    line breaks or ">": when the character there is any other ASCII one, there is no match
    and no regex call (most names)."""
    lo = start - 12 if start > 12 else 0
    before = text[lo:start].rstrip(_SEPARATORS)
    if not before or before[-1] < "\x80" and before[-1] not in _NUMBER_END:
        return None
    return rules.NUMBER_BEFORE.match(text, lo, start)


def digit_after(text: str, end: int) -> bool:
    """``rules.DIGIT_AFTER`` at ``end`` (blanks, then a digit), calling the regex only when
    blanks follow and the first character after up to 8 of them is not ASCII or a digit."""
    if text[end:end + 1] not in _BLANKS:
        return False
    after = text[end:end + 8].lstrip(" \t")
    if after and after[0] < "\x80" and not "0" <= after[0] <= "9":
        return False
    return rules.DIGIT_AFTER.match(text, end) is not None


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


def trim(word: str, start: int) -> int:
    """End of a run's word (at ``start``) without a possessive 's or trailing quotes."""
    if word.endswith(("'s", "’s")):
        return start + len(word) - 2
    return start + len(word.rstrip("'’"))


def prev_word(text: str, start: int) -> str:
    """``rules.PREV_WORD``'s word before ``start``, lower-cased ("" if none)."""
    lo = start - 30 if start > 30 else 0
    if start - lo >= 2 and text[start - 1] == " ":
        # "with John": a space, and ASCII letters back to a space or the window's start
        # are the pattern's match (the space is its non-letter part, the letters its word)
        space = text.rfind(" ", lo, start - 1)
        word = text[space + 1 if space >= 0 else lo:start - 1]
        if word.isascii() and word.isalpha():
            return word.lower()
    m = rules.PREV_WORD.match(text, lo, start)
    return m.group(1).lower() if m else ""
