"""PERSON and LOCATION spans from capitalization, word lists and a few context rules.

1. ``rules.RUN`` finds runs of capitalized words (initials and name particles inside);
   URLs, @handles and #hashtags are handled first (``rules.MARKS``).
2. A run is *planned* once per distinct string (memoized, it depends on nothing else): it is
   split into place phrases (longest gazetteer match), words that are not names (case
   statistics, spaCy-distilled label counts, WordNet, short stop lists) and name segments.
3. Each planned piece is typed in context: the word before it (Mr, Dear, in, from), digits
   around it (a street or the town line of an address), a known region after a comma.
4. Lower-case countries and capitals anywhere, and lower-case first names in texts typed
   without capitals, are added by set intersection (no per-word Python loop).
5. No span with a digit is returned: spaCy's small model tags git SHAs and version strings
   as PERSON, names have none. A run cannot hold one (``rules.RUN`` has letters, marks,
   quotes, dots, hyphens and blanks only), nor can a lower-case name, so only @handles
   (elessar42), #hashtags and lower-case places are checked.

Speed (the text is usually new: what costs is the first sight of a run and its words):
- what the word lists say about a key (its class, census and place flags, the longest place
  phrase it starts) is precomputed for every listed key into one table of ints (``_key_bits``,
  about 100,000 keys, 6 MB and 0.3 s once per process); a key in no list is a word or not;
- a word as written adds a few flags (upper case, CamelCase, a trailing dot, a possessive)
  and is memoized (``_word``, in ``_klass``), so planning a run is a dict hit per word and
  bit tests; a one-word run (two distinct runs in three) has its own short path;
- regexes run only where they can match: marks at "@", "#", "http" and "www.", the number
  patterns around a piece after a str test of the neighbouring characters, the word before a
  piece by ``str.rfind`` when it is plain ASCII letters.
``tests/unit/detection/names/test_fast_paths.py`` holds the output equal to the
straightforward version this replaced (``reference.py`` there) and each pre-check equal to
its regex.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING, NamedTuple

import regex

from pipelines.detection.names import rules as R
from pipelines.detection.names import text as T
from pipelines.detection.names.lexicon import Lexicon
from pipelines.detection.native import native_module

if TYPE_CHECKING:
    from aitrail_native import NameRuns

NAME, BREAK, POISON, HON, PART, INITIAL = range(6)  # token classes
# Memo sizes: a plan is a few hundred bytes, a word's bits about a hundred; cleared when full
# so that a worker stays within its memory budget whatever text it reads.
_PLAN_CACHE_LIMIT = 50_000
_CLASS_CACHE_LIMIT = 200_000

# The bits of a word as written in a run (``Tagger._word``): its class, then flags.
_CLASS = 0b111
_PW = 1 << 3           # a place word: river, lake, county (rules.PLACE_WORDS)
_FIRST = 1 << 4        # a census first name (O'Connor is read as OCONNOR)
_LAST = 1 << 5         # a census surname
_PLACE = 1 << 6        # a one-word place
_PLACE_OK = 1 << 7     # ... that is reported on its own (not a common word)
_CITY_PERSON = 1 << 8  # ... a city named like a person (Alma, Harrison)
_FIRST5 = 1 << 9       # first-name share >= 0.005 (Sofia Lima: a name before another word)
_UPPER = 1 << 10       # written in upper case
_ODD = 1 << 11         # odd case (rules.ODD_CASE); only set for NAME words and place words
_DOT = 1 << 12         # ends with a dot (an initial: "J.")
_SHORT = 1 << 13       # key of at most 3 characters
_LONG = 1 << 14        # key of more than one character
_EDGE = 1 << 15        # class PART or INITIAL: dropped at the ends of a name segment
_TRIM = 1 << 16        # ends with a quote or a possessive 's (trimmed off a span's end)
_PLACE_LEN = 17        # bits 17+: longest place phrase the word starts (0 for a place word)
_MAY_PLACE = 1 << _PLACE_LEN  # bits >= this: the word may start a place


class Span(NamedTuple):
    start: int
    end: int
    entity: str
    score: float
    why: str


class Piece(NamedTuple):
    """Part of a run, offsets relative to the run; kind: place, placeword (River Rom),
    caps (an acronym unless a place cue), initial (a name with a middle initial) or name."""

    start: int
    end: int
    kind: str
    score: float = 0.0
    why: str = ""
    n_tok: int = 0
    n_first: int = 0
    n_last: int = 0


# NamedTuple construction without the generated Python-level __new__ (less than half the
# cost): _new(Span, (start, end, entity, score, why)), every field given.
_new = tuple.__new__

# The short word lists in one lookup, in the order the class test reads them (an honorific
# before a particle before an organization word; a single letter is an initial before it is
# a stop word: "i").
_SMALL: dict[str, int] = {
    **{w: BREAK for w in R.STOP | R.TECH if not (len(w) == 1 and w.isalpha())},
    **dict.fromkeys(R.ORG_WORDS, POISON), **dict.fromkeys(R.PARTICLES, PART),
    **dict.fromkeys(R.HONORIFICS, HON)}


class Tagger:
    def __init__(self, lex: Lexicon, *, handles: bool = True, wordnet: bool = True,
                 native: bool = True) -> None:
        """``native``: run the run loop (runs, plans, context) in ``aitrail_native`` when it
        is installed; the same spans as this module's loop, which runs without it."""
        self.lex = lex
        self.handles = handles
        self.wordnet = wordnet
        self._klass: dict[str, int] = {}  # word as written in a run -> its bits (``_word``)
        self._plans: dict[str, tuple[Piece, ...]] = {}
        self._table = _key_table(self)
        self._lower_places = frozenset(
            k.encode() for k, (kind, _) in lex.places.items()
            if kind in R.PLACE_SCORES and " " not in k and lex.lower_ratio(k) < 0.5)
        module = native_module() if native else None
        self._native: NameRuns | None = None if module is None else _native_runs(self, module)

    def clear_caches(self) -> None:
        """Forget every planned run and word (benchmarks measure first sightings)."""
        self._klass.clear()
        self._plans.clear()
        if self._native is not None:
            self._native.clear_caches()

    def find(self, text: str) -> list[Span]:
        out: list[Span] = []
        masked: list[tuple[int, int]] = []
        if "@" in text or "#" in text or "/" in text:
            self._marks(text, masked, out)
        if self._native is not None:
            spans, lowercase = self._native.find(text, masked)
            out.extend([_new(Span, s) for s in spans])
            if lowercase:
                self._lowercase(text, out)
            return out
        runs = self._runs(text, masked, out)
        # each run starts with a capital that rules.WORD_CAP counts: four make a text cased
        if runs < 4 and T.mostly_lower(text):
            self._lowercase(text, out)
        else:
            lower_words = text.lower().encode().translate(R.PUNCT_TO_SPACE).split()
            for word in self._lower_places.intersection(lower_words):
                place = word.decode()
                if R.DIGIT.search(place) is None:
                    for m in T.exact_word(place).finditer(text):
                        out.append(Span(m.start(), m.end(), "LOCATION", 0.45, "lower-place"))
        return out

    def _runs(self, text: str, masked: list[tuple[int, int]], out: list[Span]) -> int:
        """The spans of the runs of capitalized words (``aitrail_native.NameRuns.find``'s
        twin); returns how many runs there were."""
        plans = self._plans
        in_context = self._place_in_context
        m_i = runs = 0
        for run in R.RUN.finditer(text):
            runs += 1
            start = run.start()
            if masked:
                while m_i < len(masked) and masked[m_i][1] <= start:
                    m_i += 1
                if m_i < len(masked) and masked[m_i][0] <= start:
                    continue
            words = run.group()
            plan = plans.get(words)
            if plan is None:
                plan = self._plan(words)
            if plan:
                in_context(text, start, plan, out)
        return runs

    # ---- marks and lower case ---------------------------------------------------------------

    def _marks(self, text: str, masked: list[tuple[int, int]], out: list[Span]) -> None:
        for m in T.marks(text):
            masked.append(m.span())
            if m.group("handle") and self.handles:
                if R.DIGIT.search(m.group("handle")) is None:  # elessar42
                    out.append(Span(m.start("handle"), m.end("handle"), "PERSON", 0.45,
                                    "handle"))
            elif m.group("tag"):
                key = " ".join(R.HUMPS.findall(m.group("tag"))).lower()
                place = self.lex.places.get(key)
                if place is not None and (place[0] != "city" or place[1] >= 50_000) and \
                        self.lex.lower_ratio(key) < 0.5 and R.DIGIT.search(m.group("tag")) is None:
                    out.append(Span(m.start("tag"), m.end("tag"), "LOCATION", 0.5, "hashtag"))

    def _lowercase(self, text: str, out: list[Span]) -> None:
        """A text typed without capitals: first names that are not English words, with the
        surname or initial after them; lower-case countries and capitals."""
        lex = self.lex
        for m in R.LOWER_WORD.finditer(text):
            key = m.group()
            if lex.first.get(key, 0.0) >= 0.002 and lex.lower_ratio(key) < 0.2 and \
                    not lex.is_word(key):
                end = m.end()
                nxt = R.LOWER_NEXT.match(text, end)
                if nxt and (nxt.group(1) in lex.last or len(nxt.group(1)) == 1):
                    end = nxt.end()
                    nxt = R.LOWER_NEXT.match(text, end)
                    if nxt and nxt.group(1) in lex.last:
                        end = nxt.end()
                out.append(Span(m.start(), end, "PERSON", 0.45, "lower-first"))
            elif key.encode() in self._lower_places:
                out.append(Span(m.start(), m.end(), "LOCATION", 0.45, "lower-place"))

    # ---- token classes and run plans -------------------------------------------------------

    def _key_bits(self, key: str) -> int:
        """The bits of a key (a lower-cased word) that come from the word lists alone: its
        class (NAME, BREAK, POISON, HON, PART or INITIAL), the flags ``_PW`` to ``_FIRST5``,
        ``_SHORT``, ``_LONG`` and ``_EDGE``, and the longest place phrase it starts.
        Precomputed for every listed key (``_key_table``)."""
        lex = self.lex
        census = key.replace("'", "").replace("’", "") if "'" in key or "’" in key else key
        first = lex.first.get(census, 0.0)  # O'Connor is OCONNOR in the census
        last = lex.last.get(census, 0.0)
        place = lex.places.get(key)
        c = lex.case.get(key)
        k = _SMALL.get(key)
        if k is None:
            if len(key) < 2:
                k = INITIAL if key.isalpha() else BREAK
            else:
                k = NAME
                n = lex.ner.get(key)
                if c is not None and c[0] / (c[0] + c[1] + 1) > 0.5:
                    k = BREAK  # mostly written in lower case: a common word
                elif n is not None and n[0] + n[1] + n[2] + n[3] >= 3 and \
                        n[2] + n[3] >= 0.8 * (n[0] + n[1] + n[2] + n[3]):
                    k = BREAK  # capitalized, but the teacher rarely calls it a person or place
                elif self.wordnet and not first and last < 0.002 and place is None and \
                        (n is None or n[0] + n[1] < 2) and lex.is_word(key):
                    k = BREAK  # an English word nobody is named after
        if key in R.PLACE_WORDS:
            b = k | _PW  # never starts a place (River Rom is a name segment)
        else:
            b = k | lex.place_len.get(key, 0) << _PLACE_LEN
        if first:
            b |= _FIRST
        if last:
            b |= _LAST
        raw_first = first if census is key else lex.first.get(key, 0.0)
        if raw_first >= 0.005:
            b |= _FIRST5
        if place is not None:
            b |= _PLACE
            if place[0] == "city" and (raw_first >= 0.005 or (
                    last if census is key else lex.last.get(key, 0.0)) >= 0.005):
                b |= _CITY_PERSON  # a city named like a person (Alma, Harrison)
            # reported on its own unless a common word; countries, states and capitals
            # only need not to be written in lower case nearly always (Male, Us)
            if k == NAME or place[0] in R.PLACE_SCORES and key not in R.STOP and not (
                    c is not None and c[0] / (c[0] + c[1] + 1) > 0.8 and c[0] >= 50):
                b |= _PLACE_OK
        if len(key) <= 3:
            b |= _SHORT
        if len(key) > 1:
            b |= _LONG
        if k == PART or k == INITIAL:
            b |= _EDGE
        return b

    def _unlisted_bits(self, key: str) -> int:
        """``_key_bits`` of a key in none of the lists the table is built from (WordNet
        excepted): only its length and whether it is a word can matter."""
        if len(key) < 2:
            return INITIAL | _EDGE | _SHORT if key.isalpha() else BREAK | _SHORT
        k = BREAK if self.wordnet and self.lex.is_word(key) else NAME
        return k | _SHORT | _LONG if len(key) <= 3 else k | _LONG

    def _word(self, word: str) -> int:
        """The bits of one word as written in a run (memoized): its key's bits (from the
        precomputed table, or the few that a word in no list can have) and how it is
        written."""
        if word.isalpha():  # no apostrophe or dot: the key is the lower-cased word
            b = self._table.get(word.lower())
            if b is None:
                b = self._unlisted_bits(word.lower())
            if word.isupper():
                b |= _UPPER
            # (an ASCII Titlecase word is not odd: see _odd_case)
            if (b & _CLASS == NAME or b & _PW) and not (
                    word.isascii() and word[1:].islower()) and _odd_case(word):
                b |= _ODD
        else:
            key = T.key(word)
            b = self._table.get(key)
            if b is None:  # O'Connor is OCONNOR in the census: not in the table
                b = self._key_bits(key) if "'" in key or "’" in key else \
                    self._unlisted_bits(key)
            if word.endswith("."):
                b |= _DOT
            elif word.endswith(("'", "’")):  # (and 's: below)
                b |= _TRIM
            if word.endswith(("'s", "’s")):
                b |= _TRIM
            if word.isupper():
                b |= _UPPER
            if (b & _CLASS == NAME or b & _PW) and _odd_case(word):
                b |= _ODD
        self._klass[word] = b
        return b

    def _plan(self, run: str) -> tuple[Piece, ...]:
        plans, memo = self._plans, self._klass
        if len(plans) >= _PLAN_CACHE_LIMIT:
            plans.clear()
        if len(memo) >= _CLASS_CACHE_LIMIT:
            memo.clear()
        if " " not in run and "\t" not in run:  # one word
            if run.isascii() and run.isalpha() and run[1:].islower():
                # Paris: not upper case, not odd, nothing to trim: its bits are its key's
                b = self._table.get(run.lower())
                if b is None:
                    b = self._unlisted_bits(run.lower())
            else:
                b = memo.get(run)
                if b is None:
                    b = self._word(run)
            plan = plans[run] = self._plan_one(run, b)
            return plan
        words = run.split()  # the run's separators are spaces and tabs, its words have none
        n_tok = len(words)
        word_bits = self._word
        bits = [b if (b := memo.get(w)) is not None else word_bits(w) for w in words]
        starts = [0] * n_tok
        if "  " in run or "\t" in run:
            pos = 0
            for j, w in enumerate(words):
                pos = starts[j] = run.index(w, pos)
                pos += len(w)
        else:  # one space between words
            pos = 0
            for j, w in enumerate(words):
                starts[j] = pos
                pos += len(w) + 1
        places = self.lex.places
        keys: list[str] | None = None
        pieces: list[Piece] = []
        seg: list[int] = []
        poisoned = False
        i = 0
        while i < n_tok:
            b = bits[i]
            if b >= _MAY_PLACE:  # the longest place phrase here, or a one-word place
                n = 0
                longest = b >> _PLACE_LEN
                if longest > 1 and i + 1 < n_tok:
                    if keys is None:
                        keys = [w.lower() if w.isalpha() else T.key(w) for w in words]
                    for m in range(min(longest, n_tok - i), 1, -1):
                        if " ".join(keys[i:i + m]) in places:
                            n = m
                            break
                if not n and b & _PLACE and not (
                        b & _CITY_PERSON or b & _SHORT and b & _UPPER or
                        i + 1 < n_tok and b & _FIRST5):
                    n = 1  # (not a city named like a person, an acronym, Sofia Lima)
                if n:
                    first_tok = i
                    if seg and all(bits[j] & _PW for j in seg):
                        first_tok, seg = seg[0], []  # the River Rom, Lake Geneva
                    if seg and not poisoned:
                        _segment(seg, words, bits, starts, pieces)
                    seg, poisoned = [], False
                    if first_tok < i or n > 1 or b & _PLACE_OK:
                        if keys is None:
                            keys = [w.lower() if w.isalpha() else T.key(w) for w in words]
                        kind, pop = places[" ".join(keys[i:i + n])]
                        score = R.PLACE_SCORES.get(kind, 0.7 if pop >= 100_000 else 0.55)
                        pieces.append(_new(Piece, (
                            starts[first_tok], T.trim(words[i + n - 1], starts[i + n - 1]),
                            "place", score, f"place:{kind}", 0, 0, 0)))
                    i += n
                    continue
            k = b & _CLASS
            if b & _PW and (seg or i + 1 < n_tok):
                k = NAME  # River Rom, Badlands National Park, Gurez sector
            if k == NAME and b & _ODD:
                k = BREAK  # CamelCase products and hashtags, random ids
            if k == BREAK and seg and b & _LAST and (
                    bits[seg[-1]] & _FIRST or bits[seg[-1]] & _CLASS == INITIAL):
                k = NAME  # a surname that is also a word, after a first name or initial
            if k == NAME or k == PART or k == INITIAL:
                seg.append(i)
            elif k == POISON:
                seg, poisoned = [], True
            else:
                if seg and not poisoned:
                    _segment(seg, words, bits, starts, pieces)
                seg, poisoned = [], False
            i += 1
        if seg and not poisoned:
            _segment(seg, words, bits, starts, pieces)
        if n_tok >= 4 and 2 * sum(1 for b in bits if b & _CLASS == BREAK) >= n_tok:
            # Title Case Headline Of Common Words: only full names survive in it
            pieces = [p for p in pieces if p.kind != "name" or p.n_first and p.n_tok > 1]
        plan = plans[run] = tuple(pieces)
        return plan

    def _plan_one(self, word: str, b: int) -> tuple[Piece, ...]:
        """``_plan`` of a run of one word."""
        if b >= _MAY_PLACE and b & _PLACE and not (b & _CITY_PERSON or b & _SHORT and b & _UPPER):
            if not b & _PLACE_OK:
                return ()
            kind, pop = self.lex.places[word.lower() if word.isalpha() else T.key(word)]
            score = R.PLACE_SCORES.get(kind, 0.7 if pop >= 100_000 else 0.55)
            return (_new(Piece, (0, T.trim(word, 0), "place", score, f"place:{kind}", 0, 0, 0)),)
        if b & _CLASS != NAME or b & _ODD or b & _PW:
            return ()
        n_first = 1 if b & _FIRST else 0
        caps = b & _UPPER and b & _LONG and (not n_first or b & _SHORT)
        return (_new(Piece, (0, T.trim(word, 0) if b & _TRIM else len(word),
                             "caps" if caps else "name", 0.0, "", 1, n_first,
                             1 if b & _LAST else 0)),)

    # ---- context ---------------------------------------------------------------------------

    def _place_in_context(self, text: str, offset: int, plan: tuple[Piece, ...],
                          out: list[Span]) -> None:
        # pieces of one run are merged (``text.merge``); a single piece goes straight out
        spans: list[Span] = out if len(plan) == 1 else []
        for p_start, p_end, kind, p_score, p_why, n_tok, n_first, n_last in plan:
            start, end = offset + p_start, offset + p_end
            if kind == "place" or kind == "placeword":
                spans.append(_new(Span, (start, end, "LOCATION", p_score, p_why)))
                continue
            if kind == "caps":  # acronyms, unless a place cue says ESPOO is a town
                if n_tok <= 3:
                    cue = T.prev_word(text, start)
                    if cue in R.PLACE_CUES:
                        spans.append(_new(Span, (start, end, "LOCATION", 0.5, f"placecue:{cue}")))
                continue
            number = T.number_before(text, start)
            if number and number.group("street") is not None or T.digit_after(text, end):
                continue  # a street or building name inside an address (a number before or after)
            if number:
                spans.append(_new(Span, (start, end, "LOCATION", 0.5, "after-number")))
                continue  # the town line of an address (after a number and a comma or a line break)
            if kind == "initial":  # Ken N. Fukuda, Delvis J Carvajal
                spans.append(_new(Span, (start, end, "PERSON", 0.85, "middle-initial")))
                continue
            cue = T.prev_word(text, start)
            if cue in R.HONORIFICS or cue in R.PERSON_CUES:
                spans.append(_new(Span, (start, end, "PERSON", 0.85, f"cue:{cue}")))
            elif n_first:
                spans.append(_new(Span, (start, end, "PERSON", 0.85 if n_tok > 1 else 0.7,
                                  "first-name")))
            elif cue in R.PLACE_CUES or cue in ("of", "the") and R.PLACE_OF.match(
                    text, max(0, start - 40), start) or self._place_follows(text, end):
                spans.append(_new(Span, (start, end, "LOCATION", 0.5, f"placecue:{cue}")))
            elif n_last:
                spans.append(_new(Span, (start, end, "PERSON", 0.55, "surname")))
            else:
                spans.append(_new(Span, (start, end, "PERSON", 0.45, "shape")))
        if spans is not out:
            out.extend(T.merge(text, spans) if len(spans) > 1 else spans)

    def _place_follows(self, text: str, end: int) -> bool:
        if not text.startswith(",", end):
            return False
        m = R.COMMA_WORD.match(text, end)
        if m is None:
            return False
        place = self.lex.places.get(m.group(1).lower())
        return place is not None and place[0] in R.PLACE_SCORES



def _segment(seg: list[int], words: list[str], bits: list[int], starts: list[int],
             pieces: list[Piece]) -> None:
    """A piece for the name-like words ``seg`` (indexes into the run's words)."""
    lo, hi = 0, len(seg)
    while lo < hi and bits[seg[lo]] & _EDGE and not (hi - lo > 1 and bits[seg[lo]] & _DOT):
        lo += 1
    while lo < hi and bits[seg[hi - 1]] & _EDGE:
        hi -= 1
    if lo == hi:
        return
    last = seg[hi - 1]
    start = starts[seg[lo]]
    end = T.trim(words[last], starts[last]) if bits[last] & _TRIM else \
        starts[last] + len(words[last])
    n_first = n_last = 0
    caps = True
    for j in seg[lo:hi]:
        b = bits[j]
        if b & _PW:
            if hi - lo > 1:
                pieces.append(_new(Piece, (start, end, "placeword", 0.6, "placeword", hi - lo,
                                           0, 0)))
            return
        if b & _FIRST:
            n_first += 1
        if b & _LAST:
            n_last += 1
        if not (b & _UPPER and b & _LONG):
            caps = False
    if caps and n_first and not (hi - lo == 1 and bits[seg[lo]] & _SHORT):
        caps = False  # TED, BEN: acronyms
    initial = hi - lo > 2 and any(bits[j] & _CLASS == INITIAL for j in seg[lo + 1:hi - 1])
    pieces.append(_new(Piece, (start, end, "caps" if caps else "initial" if initial else "name",
                               0.0, "", hi - lo, n_first, n_last)))


# Key bits of every word in the lists, per lexicon and WordNet setting: built once per process
# (the lexicon is loaded once and shared). A key in no list but WordNet is left out: its
# bits are ``_unlisted_bits`` (a surname the census lists at 0.0% is such a key).
_TABLES: dict[tuple[int, bool], tuple[Lexicon, dict[str, int]]] = {}


def _key_table(tagger: Tagger) -> dict[str, int]:
    lex = tagger.lex
    cached = _TABLES.get((id(lex), tagger.wordnet))
    if cached is not None and cached[0] is lex:
        return cached[1]
    keys = {*lex.first, *(k for k, v in lex.last.items() if v), *lex.places, *lex.case,
            *lex.ner, *lex.place_len, *_SMALL, *R.PLACE_WORDS}
    values: dict[int, int] = {}  # one int object per distinct value
    table = {}
    for key in keys:
        # a run's key has no space; census reads O'Connor as OCONNOR: computed when seen
        if " " not in key and "'" not in key and "’" not in key:
            b = tagger._key_bits(key)
            table[key] = values.setdefault(b, b)
    _TABLES[(id(lex), tagger.wordnet)] = (lex, table)
    return table


def _native_runs(tagger: Tagger, module: object) -> NameRuns:
    """The native run loop with this tagger's word tables, lists and character classes."""
    lex = tagger.lex
    places = [(phrase, R.PLACE_SCORES.get(kind, 0.7 if pop >= 100_000 else 0.55),
               f"place:{kind}", kind in R.PLACE_SCORES)
              for phrase, (kind, pop) in lex.places.items()]
    runs: NameRuns = module.NameRuns(  # type: ignore[attr-defined]
        tagger._table, places, lex.words, list(lex.rules), tagger.wordnet, R.PARTICLES,
        R.HONORIFICS, R.PERSON_CUES, R.PLACE_CUES,
        {w for k in tagger._lower_places if R.DIGIT.search(w := k.decode()) is None},
        char_info, tagger._key_bits)
    return runs


_CHAR_CLASSES = {"LU": r"\p{Lu}", "LL": r"\p{Ll}", "L": r"\p{L}", "M": r"\p{M}",
                 "N": r"\p{N}", "DIGIT": r"\d", "SPACE_RE": r"\s", "WORD_RE": r"\w"}
_CLASS_RX = {name: regex.compile(pattern) for name, pattern in _CHAR_CLASSES.items()}
_FOLD_RX = {a: regex.compile(f"(?i){a}") for a in string.ascii_lowercase}


def char_info(ch: str) -> tuple[int, str, str]:
    """What the native run loop needs to know of a character, from the ``regex`` module and
    ``str`` as the Python tagger uses them: flags (``aitrail_native.NAME_CHAR_FLAGS``),
    ``ch.lower()``, and the ASCII letter it matches under IGNORECASE ("" if none)."""
    bit = native_char_flags()
    flags = 0
    for name, rx in _CLASS_RX.items():
        if rx.fullmatch(ch):
            flags |= bit[name]
    for name, test in (("ALPHA", ch.isalpha()), ("UPPER", ch.isupper()),
                       ("LOWER", ch.islower()), ("TITLE", ch.istitle() and not ch.isupper()),
                       ("SPACE", ch.isspace()), ("LOWER_CONTEXT", ch == "\u03a3")):
        if test:
            flags |= bit[name]  # (str.lower maps capital sigma by its neighbours: Final_Sigma)
    fold = next((a for a, rx in _FOLD_RX.items() if rx.fullmatch(ch)), "")
    return flags, ch.lower(), fold


def native_char_flags() -> dict[str, int]:
    module = native_module()
    assert module is not None
    flags: dict[str, int] = module.NAME_CHAR_FLAGS
    return flags


# Below U+1C80 every \p{Lu} character is str.isupper() and every \p{Ll} is str.islower() (the
# regex module's Unicode is newer than Python's; a unit test checks this).
_CASE_SAFE = "\u1c80"


def _odd_case(word: str) -> bool:
    r"""``rules.ODD_CASE.search(word)``, without the regex for the usual words: each of its
    branches needs a lower-case letter, and all but ``-\p{Ll}`` an upper-case one after the
    first character."""
    if max(word) < _CASE_SAFE and (
            word.isupper() or "-" not in word and word[1:].islower()):
        return False
    return R.ODD_CASE.search(word) is not None
