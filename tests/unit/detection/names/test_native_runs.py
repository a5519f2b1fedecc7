"""The native run loop (aitrail_native.NameRuns) against the Python one, span for span.

The fingerprint test in test_fast_paths.py runs both on 11,911 dataset, traffic and edge-case
texts; here, random texts made of the pieces where a hand-written scan can part from the
regex it stands for: initials and name words that backtrack (O'Brien2, J.Smith), particles,
the Mc/Mac/De/La exceptions of ODD_CASE, possessives, numbers and commas before and after
names (streets and towns), "city of", place words, capital sigma (whose lower case depends
on its neighbours), the Kelvin sign and long s (which IGNORECASE folds to k and s),
combining marks, titlecase letters and other scripts.
"""

from __future__ import annotations

import random

import pytest

from pipelines.detection.names import tagger as TG
from pipelines.detection.names.lexicon import Lexicon, load
from pipelines.detection.native import native_module

PIECES = [
    "John", "Smith", "de", "la", "van", "J.", "J.R.", "A.B.C.", "O'Brien", "O’Neil",
    "McDonald", "MacLeod", "DeShawn", "LaToya", "iPhone", "Paris", "France", "paris", "france",
    "in", "of", "the", "city", "City", "Mr", "Dr.", "12", "5", ",", "\n", " ", "  ", "\t", "-",
    "'", "’s", "'s", "2", "@x", "#Tag", "Σ", "ΣΊΣΥΦΟΣ", "Jose\u0301", "Ⅻ", "\u212a", "\u017f",
    "River", "Lake", "New", "York", "Geneva", "Mary-Jane", "Anne-", "X-2", ".", "Smith2", ">",
    "Main", "Street", "St.", "Apt", "İstanbul", "ǅemal", "Ⓐnna", "USA", "TED", "BEN",
    "village", "VILLAGE", "Of", "THE", "Kashmir", "Sonmarg", "Dear", "with", "hello", "café",
    "Ünter", "_", "/", "x", "é", "日本", "\u2019", "Carvajal", "Delvis", "Ken", "N.",
]
SEPARATORS = [" ", " ", " ", "", ", ", "\n", "\t", "  "]


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return load()


def _random_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) + rng.choice(SEPARATORS)
                    for _ in range(rng.randint(1, 14))) for _ in range(n)]


def test_random_texts_give_the_same_spans(lex: Lexicon) -> None:
    python = TG.Tagger(lex, native=False)
    native = TG.Tagger(lex, native=True)
    assert native._native is not None, "aitrail_native is not installed"
    texts = _random_texts(12_000, seed=1)
    differ = [t for t in texts if sorted(python.find(t)) != sorted(native.find(t))]
    assert not differ, differ[:5]
    native.clear_caches()  # first sight again: the plans come out the same when rebuilt
    assert [sorted(native.find(t)) for t in texts[:500]] == \
        [sorted(python.find(t)) for t in texts[:500]]


def test_the_bits_are_the_taggers() -> None:
    module = native_module()
    assert module is not None
    assert module.NAME_BITS == {name: getattr(TG, name) for name in module.NAME_BITS}


def test_character_classes_come_from_python() -> None:
    flags = TG.native_char_flags()
    sigma = TG.char_info("\u03a3")
    assert sigma[0] & flags["LOWER_CONTEXT"] and sigma[0] & flags["LU"] and sigma[1] == "σ"
    assert TG.char_info("\u212a")[2] == "k" and TG.char_info("\u017f")[2] == "s"
    dz = TG.char_info("ǅ")[0]
    assert dz & flags["TITLE"] and not dz & flags["UPPER"]
    assert TG.char_info("\u0301")[0] & flags["M"] and not TG.char_info("\u0301")[0] & flags["L"]
    assert TG.char_info("٣")[0] & flags["DIGIT"]  # Arabic-Indic three: \d, as in the regexes
