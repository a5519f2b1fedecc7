"""The word lists behind the name recognizer, loaded once per process.

``data/gazetteer.json.gz`` is built by ``build_gazetteer.py`` (sources and licences there).
Everything is keyed by the lower-cased word or phrase; lookups are plain dict hits.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "gazetteer.json.gz"


@dataclass(frozen=True)
class Lexicon:
    first: dict[str, float]             # census percentage of people with this first name
    last: dict[str, float]              # census percentage of people with this surname
    places: dict[str, tuple[str, int]]  # phrase -> (kind, population)
    case: dict[str, tuple[int, int, int]]  # word -> (lower, Title mid-sentence, UPPER) counts
    ner: dict[str, tuple[int, int, int, int]]  # Word -> spaCy's (PERSON, place, other, none)
    words: frozenset[str] = frozenset()  # English (WordNet) lemmas and irregular forms
    rules: tuple[tuple[str, str], ...] = ()  # WordNet suffix rules (inflection -> lemma)
    place_len: dict[str, int] = field(default_factory=dict)  # first word -> longest phrase
    # ``rules`` by suffix length, then suffix: (length, {suffix: lemma endings}), longest first;
    # and the last letters of the suffixes (most names end with none of them)
    _by_suffix: tuple[tuple[int, dict[str, tuple[str, ...]]], ...] = field(
        init=False, repr=False, compare=False)
    _suffix_ends: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_len: dict[int, dict[str, tuple[str, ...]]] = {}
        for suf, rep in self.rules:
            if suf:
                ends = by_len.setdefault(len(suf), {})
                ends[suf] = (*ends.get(suf, ()), rep)
        object.__setattr__(self, "_by_suffix", tuple(sorted(by_len.items(), reverse=True)))
        object.__setattr__(self, "_suffix_ends", frozenset(s[-1] for s, _ in self.rules if s))

    def is_word(self, key: str) -> bool:
        """An English dictionary word or a regular inflection of one (some rule ``(suffix,
        ending)`` maps it to a word: the rules are looked up by the key's last characters,
        one dict hit per suffix length, instead of trying each rule)."""
        words = self.words
        if key in words:
            return True
        if key[-1:] not in self._suffix_ends:
            return False
        for n, ends in self._by_suffix:
            reps = ends.get(key[-n:])
            if reps is not None:
                stem = key[:-n]
                for rep in reps:
                    if stem + rep in words:
                        return True
        return False

    def census(self, key: str) -> tuple[float, float]:
        """(first-name, surname) census percentages; O'Connor is OCONNOR in the census."""
        if "'" in key or "’" in key:
            key = key.replace("'", "").replace("’", "")
        return self.first.get(key, 0.0), self.last.get(key, 0.0)

    def lower_ratio(self, key: str) -> float:
        """Share of a word's mid-sentence uses that are lower case (0 when never seen)."""
        c = self.case.get(key)
        if c is None:
            return 0.0
        return c[0] / (c[0] + c[1] + 1)


@lru_cache(maxsize=4)
def load(path: Path = DATA, faker: bool = False) -> Lexicon:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        raw = json.load(f)
    first = dict(raw["first"])
    last = dict(raw["last"])
    if faker:
        first.update(dict.fromkeys(raw.get("faker_first", []), 0.0005))
        last.update(dict.fromkeys(raw.get("faker_last", []), 0.0005))
    places = {k: (v[0], int(v[1])) for k, v in raw["places"].items()}
    case = {k: (v[0], v[1], v[2]) for k, v in raw["case"].items()}
    ner = {k: (v[0], v[1], v[2], v[3]) for k, v in raw["ner"].items()}
    place_len: dict[str, int] = {}
    for phrase in places:
        words = phrase.split()
        place_len[words[0]] = max(place_len.get(words[0], 1), len(words))
    for k, (per, loc, other, none) in ner.items():
        # places spaCy's teacher labels GPE/LOC in the corpus (regions: Catalonia, Kashmir)
        c = case.get(k, (0, 0, 0))
        if k not in places and loc >= 3 and loc > per and 2 * loc >= per + loc + other + none \
                and c[0] < 0.3 * (c[0] + c[1] + c[2]) + 1:
            places[k] = ("region", 0)
            place_len.setdefault(k, 1)
    wn = raw["words"]
    words = frozenset(w for ws in wn["index"].values() for w in ws) | frozenset(wn["exc"])
    rules = tuple(sorted({(a, b) for rs in wn["rules"].values() for a, b in rs}))
    return Lexicon(first, last, places, case, ner, words, rules, place_len)
