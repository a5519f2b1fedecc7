"""What a regex's structure guarantees, read once per pattern with Python's ``re`` parser.

The engine runs Presidio's patterns on small windows with the ``regex`` module; two facts
about a pattern let it skip work there without changing a result:

- ``has_nested_repeat``: catastrophic backtracking needs a repetition inside a repetition
  (``(\\w+[-.])*``). A pattern without one backtracks at most polynomially, so on a short
  window it needs no timeout (``patterns.UNTIMED_CHARS``).
- ``required_punctuation``: ASCII punctuation every match contains (the ``:`` of an IPv6
  address, the ``-`` of ``\\d{5}-\\d{4}``). A window without one of them holds no match, so
  the pattern is not run on it.

Both answer conservatively: a pattern ``re`` cannot read (``regex``-only syntax such as
``\\p{L}``, or anything ``re`` warns about, such as a POSIX class ``[[:alpha:]]`` that the two
modules read differently) is taken to have nested repetition and to require nothing.
"""

from __future__ import annotations

import functools
import re
import sre_constants as sre  # (the deprecated names of re._constants and re._parser, which
import sre_parse  # have type stubs; Python hides their DeprecationWarning outside __main__)
import warnings
from typing import Any

_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE  # the same bits in regex
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


@functools.lru_cache(maxsize=1024)
def _items(pattern: str, flags: int) -> list[tuple[Any, Any]] | None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # FutureWarning: a nested set, read otherwise by regex
        try:
            return list(sre_parse.parse(pattern, flags & _FLAGS).data)
        except (re.error, Warning, OverflowError, RecursionError):
            return None


def has_nested_repeat(pattern: str, flags: int | None = 0) -> bool:
    """True when ``pattern`` repeats something that itself holds a repetition (or when
    ``re`` cannot read it)."""
    items = _items(pattern, flags or 0)
    return items is None or _nested(items, inside=False)


def required_punctuation(pattern: str, flags: int | None = 0) -> frozenset[str]:
    """ASCII punctuation characters that every match of ``pattern`` contains."""
    items = _items(pattern, flags or 0)
    return frozenset() if items is None else frozenset(_required(items))


def _nested(items: list[tuple[Any, Any]], inside: bool) -> bool:
    for op, arg in items:
        if op in _REPEATS:
            _, high, body = arg
            repeats = high > 1
            if (inside and repeats) or _nested(body.data, inside or repeats):
                return True
        elif op in (sre.SUBPATTERN, sre.ATOMIC_GROUP):
            if _nested((arg[-1] if op == sre.SUBPATTERN else arg).data, inside):
                return True
        elif op == sre.BRANCH:
            if any(_nested(branch.data, inside) for branch in arg[1]):
                return True
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            if _nested(arg[1].data, inside):
                return True
        elif op == sre.GROUPREF_EXISTS:
            if any(b is not None and _nested(b.data, inside) for b in arg[1:]):
                return True
    return False


def _required(items: list[tuple[Any, Any]]) -> set[str]:
    """Literal punctuation on every path through ``items`` (a sequence): the union over the
    sequence, the intersection over a branch's alternatives, nothing from an optional part,
    a character class or a lookaround."""
    out: set[str] = set()
    for op, arg in items:
        if op == sre.LITERAL:
            char = chr(arg)
            if char.isascii() and not char.isalnum() and not char.isspace():
                out.add(char)
        elif op == sre.SUBPATTERN:
            out |= _required(arg[-1].data)
        elif op == sre.ATOMIC_GROUP:
            out |= _required(arg.data)
        elif op in _REPEATS:
            low, _, body = arg
            if low >= 1:
                out |= _required(body.data)
        elif op == sre.BRANCH:
            branches = [_required(branch.data) for branch in arg[1]]
            out |= set.intersection(*branches) if branches else set()
    return out
