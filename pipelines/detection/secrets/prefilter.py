"""One Hyperscan database over every secret recognizer's ``PREFILTER`` regexes.

Why: Presidio runs every recognizer's regexes one after another over the whole text; Hyperscan
scans all pre-filter regexes in a single pass, so a text with no hit skips secret recognition
entirely and a text with hits runs only the recognizers that were hit (``entities()``, passed as
``AnalyzerEngine.analyze(entities=...)``). This gating is tested to change no result.

Windows: a caller that runs recognizers on ``text[hit.start - margin : hit.end + reach]``
instead of the whole text must keep a left margin of a few characters (64 is plenty), because
the recognizers look one character back to check that a token does not start mid-word.

Compile flags, the same for every pattern:

* ``HS_FLAG_SOM_LEFTMOST``: report where a hit starts, not only where it ends, so a caller can
  cut a window ``text[hit.start - margin : hit.end + PREFILTER_REACH]``. (Hyperscan refuses
  ``HS_FLAG_SINGLEMATCH`` together with it; duplicate hits are cheap.)
* no ``HS_FLAG_CASELESS``: case is part of most formats (``AKIA`` but not ``akia``); patterns that
  are case-insensitive say so inline, ``(?i:password)``.
* no ``HS_FLAG_UTF8``: the patterns are ASCII; scanning UTF-8 bytes can only make a negated
  class such as ``[^\\n]`` match more, never less, which is the safe direction for a pre-filter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import hyperscan as hs

from pipelines.detection.secrets import SECRET_RECOGNIZERS
from pipelines.detection.secrets._base import SecretRecognizer

FLAGS = hs.HS_FLAG_SOM_LEFTMOST


@dataclass(frozen=True)
class PrefilterHit:
    entity: str
    start: int
    end: int
    reach: int


class SecretPrefilter:
    """Which secret recognizers could match a text, and where (character offsets)."""

    def __init__(self, recognizers: Sequence[type[SecretRecognizer]] | None = None) -> None:
        classes = recognizers if recognizers is not None else _secret_classes()
        self._by_id: list[tuple[str, int]] = []
        expressions: list[bytes] = []
        for cls in classes:
            for regex in cls.PREFILTER:
                self._by_id.append((cls.ENTITY, cls.PREFILTER_REACH))
                expressions.append(regex.encode("ascii"))
        self._db = hs.Database(mode=hs.HS_MODE_BLOCK)
        self._db.compile(
            expressions=expressions,
            ids=list(range(len(expressions))),
            elements=len(expressions),
            flags=[FLAGS] * len(expressions),
        )
        self._scratch = hs.Scratch(self._db)

    def hits(self, text: str) -> list[PrefilterHit]:
        data = text.encode("utf-8")
        spans: list[tuple[int, int, int]] = []

        def on_match(pattern_id: int, start: int, end: int, flags: int, context: object) -> None:
            spans.append((pattern_id, start, end))

        self._db.scan(data, match_event_handler=on_match, scratch=self._scratch)
        to_char = _identity if text.isascii() else _char_offsets(data)
        return [
            PrefilterHit(self._by_id[i][0], to_char(start), to_char(end), self._by_id[i][1])
            for i, start, end in spans
        ]

    def entities(self, text: str) -> set[str]:
        """The entities whose recognizers should run on ``text``; empty means none."""
        return {hit.entity for hit in self.hits(text)}


def _secret_classes() -> list[type[SecretRecognizer]]:
    return [cls for cls in SECRET_RECOGNIZERS if issubclass(cls, SecretRecognizer)]


def _identity(offset: int) -> int:
    return offset


def _char_offsets(data: bytes) -> _ByteToChar:
    return _ByteToChar(data)


class _ByteToChar:
    """Byte offset in the UTF-8 encoding -> character offset in the text."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def __call__(self, offset: int) -> int:
        return len(self._data[:offset].decode("utf-8", errors="ignore"))
