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
"""

from __future__ import annotations

from typing import NamedTuple

from pipelines.detection.names import rules as R
from pipelines.detection.names import text as T
from pipelines.detection.names.lexicon import Lexicon

NAME, BREAK, POISON, HON, PART, INITIAL = range(6)  # token classes
# Memo sizes: a plan is a few hundred bytes, a word class about a hundred; cleared when full
# so that a worker stays within its memory budget whatever text it reads.
_PLAN_CACHE_LIMIT = 50_000
_CLASS_CACHE_LIMIT = 200_000


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


class Tagger:
    def __init__(self, lex: Lexicon, *, handles: bool = True, wordnet: bool = True) -> None:
        self.lex = lex
        self.handles = handles
        self.wordnet = wordnet
        self._klass: dict[str, int] = {}
        self._plans: dict[str, tuple[Piece, ...]] = {}
        self._lower_places = frozenset(
            k.encode() for k, (kind, _) in lex.places.items()
            if kind in R.PLACE_SCORES and " " not in k and lex.lower_ratio(k) < 0.5)

    def clear_caches(self) -> None:
        """Forget every planned run and word class (benchmarks measure first sightings)."""
        self._klass.clear()
        self._plans.clear()

    def find(self, text: str) -> list[Span]:
        out: list[Span] = []
        masked: list[tuple[int, int]] = []
        if "@" in text or "#" in text or "/" in text:
            self._marks(text, masked, out)
        m_i = 0
        for run in R.RUN.finditer(text):
            start = run.start()
            if masked:
                while m_i < len(masked) and masked[m_i][1] <= start:
                    m_i += 1
                if m_i < len(masked) and masked[m_i][0] <= start:
                    continue
            plan = self._plans.get(run.group())
            if plan is None:
                plan = self._plan(run.group())
            if plan:
                self._place_in_context(text, start, plan, out)
        if T.mostly_lower(text):
            self._lowercase(text, out)
        else:
            words = text.lower().encode().translate(R.PUNCT_TO_SPACE).split()
            for word in self._lower_places.intersection(words):
                for m in T.exact_word(word.decode()).finditer(text):
                    out.append(Span(m.start(), m.end(), "LOCATION", 0.45, "lower-place"))
        return out

    # ---- marks and lower case ---------------------------------------------------------------

    def _marks(self, text: str, masked: list[tuple[int, int]], out: list[Span]) -> None:
        for m in R.MARKS.finditer(text):
            masked.append(m.span())
            if m.group("handle") and self.handles:
                out.append(Span(m.start("handle"), m.end("handle"), "PERSON", 0.45, "handle"))
            elif m.group("tag"):
                key = " ".join(R.HUMPS.findall(m.group("tag"))).lower()
                place = self.lex.places.get(key)
                if place is not None and (place[0] != "city" or place[1] >= 50_000) and \
                        self.lex.lower_ratio(key) < 0.5:
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

    def klass(self, key: str) -> int:
        k = self._klass.get(key)
        if k is None:
            if len(self._klass) >= _CLASS_CACHE_LIMIT:
                self._klass.clear()
            k = self._klass[key] = self._token_class(key)
        return k

    def _token_class(self, key: str) -> int:
        if key in R.HONORIFICS:
            return HON
        if key in R.PARTICLES:
            return PART
        if key in R.ORG_WORDS:
            return POISON
        if len(key) == 1 and key.isalpha():
            return INITIAL
        if key in R.STOP or key in R.TECH or len(key) < 2:
            return BREAK
        lex = self.lex
        if lex.lower_ratio(key) > 0.5:
            return BREAK  # mostly written in lower case: a common word
        n = lex.ner.get(key)
        if n is not None and sum(n) >= 3 and n[2] + n[3] >= 0.8 * sum(n):
            return BREAK  # capitalized, but the teacher rarely calls it a person or place
        first, last = lex.census(key)
        if self.wordnet and not first and last < 0.002 and key not in lex.places and \
                (n is None or n[0] + n[1] < 2) and lex.is_word(key):
            return BREAK  # an English word nobody is named after
        return NAME

    def _plan(self, run: str) -> tuple[Piece, ...]:
        if len(self._plans) >= _PLAN_CACHE_LIMIT:
            self._plans.clear()
        toks = [(m.start(), m.end(), m.group()) for m in R.TOKEN.finditer(run)]
        keys = [T.key(w) for _, _, w in toks]
        lex = self.lex
        pieces: list[Piece] = []
        seg: list[int] = []
        poisoned = False
        i = 0
        while i < len(toks):
            n = self._place_at(keys, i) if keys[i] not in R.PLACE_WORDS else 0
            if n == 1 and (lex.places[keys[i]][0] == "city" and self._personish(keys[i])
                           or len(keys[i]) <= 3 and toks[i][2].isupper()
                           or i + 1 < len(toks) and lex.first.get(keys[i], 0.0) >= 0.005):
                n = 0  # a city named like a person (Alma, Harrison), an acronym, Sofia Lima
            if n:
                first_tok = i
                if seg and all(keys[j] in R.PLACE_WORDS for j in seg):
                    first_tok, seg = seg[0], []  # the River Rom, Lake Geneva
                self._segment(toks, keys, seg, poisoned, pieces)
                seg, poisoned = [], False
                kind, pop = lex.places[" ".join(keys[i:i + n])]
                if first_tok < i or n > 1 or self._place_word_ok(keys[i], kind):
                    score = R.PLACE_SCORES.get(kind, 0.7 if pop >= 100_000 else 0.55)
                    end = T.trim(toks[i + n - 1])
                    pieces.append(Piece(toks[first_tok][0], end, "place", score, f"place:{kind}"))
                i += n
                continue
            k = self.klass(keys[i])
            if keys[i] in R.PLACE_WORDS and (seg or i + 1 < len(toks)):
                k = NAME  # River Rom, Badlands National Park, Gurez sector
            if k == NAME and R.ODD_CASE.search(toks[i][2]):
                k = BREAK  # CamelCase products and hashtags, random ids
            if k == BREAK and seg and lex.census(keys[i])[1] and (
                    lex.census(keys[seg[-1]])[0] or self.klass(keys[seg[-1]]) == INITIAL):
                k = NAME  # a surname that is also a word, after a first name or initial
            if k in (NAME, PART, INITIAL):
                seg.append(i)
            elif k == POISON:
                seg, poisoned = [], True
            else:
                self._segment(toks, keys, seg, poisoned, pieces)
                seg, poisoned = [], False
            i += 1
        self._segment(toks, keys, seg, poisoned, pieces)
        if len(toks) >= 4 and 2 * sum(1 for k in keys if self.klass(k) == BREAK) >= len(toks):
            # Title Case Headline Of Common Words: only full names survive in it
            pieces = [p for p in pieces if p.kind != "name" or p.n_first and p.n_tok > 1]
        plan = self._plans[run] = tuple(pieces)
        return plan

    def _segment(self, toks: list[tuple[int, int, str]], keys: list[str], seg: list[int],
                 poisoned: bool, pieces: list[Piece]) -> None:
        """A piece for the name-like words ``seg`` (indexes into the run's tokens)."""
        while seg and self.klass(keys[seg[0]]) in (PART, INITIAL) and not (
                len(seg) > 1 and toks[seg[0]][2].endswith(".")):
            seg = seg[1:]
        while seg and self.klass(keys[seg[-1]]) in (PART, INITIAL):
            seg = seg[:-1]
        if not seg or poisoned:
            return
        lex = self.lex
        start, end = toks[seg[0]][0], T.trim(toks[seg[-1]])
        if any(keys[j] in R.PLACE_WORDS for j in seg):
            if len(seg) > 1:
                pieces.append(Piece(start, end, "placeword", 0.6, "placeword", len(seg)))
            return
        census = [lex.census(keys[j]) for j in seg]
        n_first = sum(1 for f, _ in census if f)
        n_last = sum(1 for _, s in census if s)
        caps = all(toks[j][2].isupper() and len(keys[j]) > 1 for j in seg) and (
            not n_first or len(seg) == 1 and len(keys[seg[0]]) <= 3)  # TED, BEN: acronyms
        initial = any(self.klass(keys[j]) == INITIAL for j in seg[1:-1])
        pieces.append(Piece(start, end, "caps" if caps else "initial" if initial else "name",
                            0.0, "", len(seg), n_first, n_last))

    # ---- context ---------------------------------------------------------------------------

    def _place_in_context(self, text: str, offset: int, plan: tuple[Piece, ...],
                          out: list[Span]) -> None:
        spans: list[Span] = []
        for p in plan:
            start, end = offset + p.start, offset + p.end
            if p.kind in ("place", "placeword"):
                spans.append(Span(start, end, "LOCATION", p.score, p.why))
                continue
            cue = T.prev_word(text, start)
            if p.kind == "caps":  # acronyms, unless a place cue says ESPOO is a town
                if cue in R.PLACE_CUES and p.n_tok <= 3:
                    spans.append(Span(start, end, "LOCATION", 0.5, f"placecue:{cue}"))
                continue
            lo = max(0, start - 12)
            if R.DIGIT_BEFORE.match(text, lo, start) or R.DIGIT_AFTER.match(text, end):
                continue  # a street or building name inside an address
            if R.AFTER_NUMBER.match(text, lo, start):
                spans.append(Span(start, end, "LOCATION", 0.5, "after-number"))
                continue  # the town line of an address
            if p.kind == "initial":  # Ken N. Fukuda, Delvis J Carvajal
                spans.append(Span(start, end, "PERSON", 0.85, "middle-initial"))
            elif cue in R.HONORIFICS or cue in R.PERSON_CUES:
                spans.append(Span(start, end, "PERSON", 0.85, f"cue:{cue}"))
            elif p.n_first:
                score = 0.85 if p.n_tok > 1 else 0.7
                spans.append(Span(start, end, "PERSON", score, "first-name"))
            elif cue in R.PLACE_CUES or cue in ("of", "the") and R.PLACE_OF.match(
                    text, max(0, start - 40), start) or self._place_follows(text, end):
                spans.append(Span(start, end, "LOCATION", 0.5, f"placecue:{cue}"))
            elif p.n_last:
                spans.append(Span(start, end, "PERSON", 0.55, "surname"))
            else:
                spans.append(Span(start, end, "PERSON", 0.45, "shape"))
        out.extend(T.merge(text, spans) if len(spans) > 1 else spans)

    def _place_follows(self, text: str, end: int) -> bool:
        m = R.COMMA_WORD.match(text, end)
        if m is None:
            return False
        place = self.lex.places.get(m.group(1).lower())
        return place is not None and place[0] in R.PLACE_SCORES

    def _place_word_ok(self, key: str, kind: str) -> bool:
        """A one-word place is reported unless it is a common word; countries, states and
        capitals only need not to be written in lower case nearly always (Male, Us)."""
        if self.klass(key) == NAME:
            return True
        if kind not in R.PLACE_SCORES or key in R.STOP:
            return False
        return not (self.lex.lower_ratio(key) > 0.8 and self.lex.case[key][0] >= 50)

    def _personish(self, key: str) -> bool:
        return self.lex.first.get(key, 0.0) >= 0.005 or self.lex.last.get(key, 0.0) >= 0.005

    def _place_at(self, keys: list[str], i: int) -> int:
        longest = self.lex.place_len.get(keys[i], 0)
        for n in range(min(longest, len(keys) - i), 0, -1):
            if " ".join(keys[i:i + n]) in self.lex.places:
                return n
        return 0
