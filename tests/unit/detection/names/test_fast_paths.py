"""The name tagger's fast paths give what the straightforward version gave.

When the tagger was rewritten for speed (precomputed word bits, string pre-checks), its output
was compared with the previous implementation, run side by side, on the texts below: every
dataset text as written, in upper case, Title Case and lower case, dense 1 KB packs of them,
LLM traffic and edge cases, 11,911 texts and 7,062 spans, identical. ``OUTPUT_SHA256`` is the
fingerprint of that output; the tagger must keep giving it on first sight (caches cleared)
and from its caches. A deliberate change of behaviour records a new fingerprint in the same
commit, with the bench-detect F2 table that justifies it. The str-method pre-checks are held
equal to the regexes they skip, position by position.
"""

from __future__ import annotations

import hashlib
import random

import pytest
import regex

from pipelines.detection.names import rules as R
from pipelines.detection.names import tagger as TG
from pipelines.detection.names import text as T
from pipelines.detection.names.lexicon import Lexicon, load
from pipelines.detection.names.recognizer import NameRecognizer

OUTPUT_SHA256 = "32d2229b10e9646cd4d8479f81b0b2a81f4e57e7ad1f45c335f3661b9ede2244"

EDGE_CASES = [
    "@ elessar42 and @bob_99 and @Alice said #Paris2024 #NewYork #newyork #Canada #Kashmir",
    "in canada and france, méxico or ilana1 today; ilana1 lives in ilana1",
    "https : / / t . co / abc Mr. Smith, www.example.com John Smith http://x.org/Users/Jo",
    "J. R. R. Tolkien and O'Connor's and D'Angelo’s pizza; Paul''' and Ann’",
    "221 Baker Street, 56, Studenec\n 12 Main St\n> Springfield\n\n 7 -  Oak Road 9/11 Elm",
    "The River Rom and Lake Geneva near Badlands National Park, the villagers of Mahazgund",
    "Sofia Lima, Alma Harrison and TED, BEN; MARY SMITH AND JOHN O'NEILL IN NEW YORK",
    "Ken N. Fukuda met Delvis J Carvajal; iPhone McDonald DeShawn LaToya Canadian-born",
    "Mr.Smith\tand  Jones\t\tPaul   Anka, Café Ünter Ärger ΣΊΣΥΦΟΣ İstanbul ǅemal Ⅻ Ⓐnna",
    "they had 6: silvana, pamela and caleb. it is cold in canada this week",
    "The Quick Brown Fox Jumps Over The Lazy Dog With John Smith In New York City",
]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    from bench import pii_eval
    from bench.bench_detect import llm_traffic, samples

    sets = pii_eval.load_sets()
    raw = [e.text for d in sets for e in d.examples]
    packed = samples(sets, 0, 60, 1024)["packed to ≥1,024 bytes"]
    return [*raw, *(t.upper() for t in raw), *(t.title() for t in raw),
            *(t.lower() for t in raw), *packed, *(t.title() for t in packed),
            *llm_traffic(200), *EDGE_CASES]


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return load()


def fingerprint(spans_per_text: list[list[TG.Span]]) -> str:
    h = hashlib.sha256()
    for i, spans in enumerate(spans_per_text):
        for s in spans:
            h.update(f"{i}\x1f{s.start}\x1f{s.end}\x1f{s.entity}\x1f{s.score!r}\x1f{s.why}\x1e"
                     .encode())
    return h.hexdigest()


@pytest.mark.parametrize("native", [True, False], ids=["native", "python"])
def test_same_output_as_before_the_speed_work_cold_and_warm(texts: list[str], native: bool
                                                           ) -> None:
    """Both run loops: aitrail_native's (make install builds it) and the Python one."""
    ours = NameRecognizer(native=native)
    assert (ours.tagger._native is not None) == native, "aitrail_native is not installed"
    ours.clear_caches()
    cold = [ours.find(t) for t in texts]  # every run and word seen first here
    assert fingerprint(cold) == OUTPUT_SHA256
    assert [ours.find(t) for t in texts] == cold  # warm: every plan from the memo
    for t, spans in zip(texts[::7], cold[::7], strict=True):
        ours.clear_caches()
        assert ours.find(t) == spans, t


def test_analyze_builds_the_same_results_as_keyword_construction() -> None:
    from presidio_analyzer import AnalysisExplanation, RecognizerResult

    recognizer = NameRecognizer()
    text = "Dear Marie Langrová, your parcel left Warsaw, Poland. Ask Dr. Kowalczyk."
    results = recognizer.analyze(text, ["PERSON", "LOCATION"])
    assert len(results) >= 4
    for r, s in zip(results, recognizer.find(text), strict=True):
        expected = RecognizerResult(
            entity_type=s.entity, start=s.start, end=s.end, score=s.score,
            analysis_explanation=AnalysisExplanation(
                recognizer="NameRecognizer", original_score=s.score, textual_explanation=s.why),
            recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: "NameRecognizer",
                                  RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
                                  "recognizer_version": NameRecognizer.VERSION})
        assert r.analysis_explanation is not None and expected.analysis_explanation is not None
        assert vars(r.analysis_explanation) == vars(expected.analysis_explanation)
        assert {k: v for k, v in vars(r).items() if k != "analysis_explanation"} == \
            {k: v for k, v in vars(expected).items() if k != "analysis_explanation"}


def test_key_table_holds_the_bits_the_word_lists_give(lex: Lexicon) -> None:
    for wordnet in (True, False):
        tagger = TG.Tagger(lex, wordnet=wordnet)
        assert len(tagger._table) > 90_000
        for key, bits in tagger._table.items():
            assert bits == tagger._key_bits(key), key


def test_unlisted_words_get_the_bits_the_word_lists_give(texts: list[str], lex: Lexicon) -> None:
    """A key outside the table is in no list but WordNet: ``_unlisted_bits`` is enough."""
    keys = {T.key(w) for t in texts for m in R.RUN.finditer(t) for w in m.group().split()}
    keys |= {k + suffix for k in list(lex.words)[:3000] for suffix in ("s", "ed", "ing", "ies")}
    keys |= {"", "x", "é", "'", "zzqx", "walked", "boxes", "churches"}
    for wordnet in (True, False):
        tagger = TG.Tagger(lex, wordnet=wordnet)
        unlisted = [k for k in keys if k not in tagger._table and "'" not in k and "’" not in k]
        assert len(unlisted) > 1000
        for key in unlisted:
            assert tagger._unlisted_bits(key) == tagger._key_bits(key), key


def test_is_word_equals_trying_every_rule(lex: Lexicon) -> None:
    rng = random.Random(7)
    keys = rng.sample(sorted(lex.words), 5000) + rng.sample(sorted(lex.last), 5000)
    keys += [k + s for k in keys[:2000] for s in ("s", "es", "ed", "ing", "ies", "men", "ches")]
    keys += ["", "s", "es", "ing", "ches", "xes"]
    for key in keys:
        assert lex.is_word(key) == (key in lex.words or any(
            key.endswith(suf) and key[:len(key) - len(suf)] + rep in lex.words
            for suf, rep in lex.rules if suf)), key


def test_case_tests_agree_with_the_regex_below_the_safe_bound() -> None:
    """``_odd_case`` trusts str.isupper/islower below U+1C80 for \\p{Lu}/\\p{Ll}."""
    lu, ll = regex.compile(r"\p{Lu}"), regex.compile(r"\p{Ll}")
    for c in map(chr, range(ord(TG._CASE_SAFE))):
        assert not lu.match(c) or c.isupper(), hex(ord(c))
        assert not ll.match(c) or c.islower(), hex(ord(c))


def test_odd_case_equals_the_regex(texts: list[str]) -> None:
    words = {w for t in texts for m in R.RUN.finditer(t) for w in m.group().split()}
    words |= {"McDonald", "MacArthur", "DeShawn", "LaToya", "iPhone", "GitHub", "ABc", "A-b",
              "Canadian-born", "ΣΊΣΥΦΟΣ", "Ⓐnna", "ǅemal", "Ⅻ", "Ǆ", "X\u1c89", "X\ua7cb"}
    for word in words:
        assert TG._odd_case(word) == (R.ODD_CASE.search(word) is not None), word


def _positions(texts: list[str]) -> list[tuple[str, int]]:
    rng = random.Random(11)
    alphabet = "0123456789 \t,\n>-/a'’.é٣½\u00a0\u2003\x85\x1cXy"
    noise = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
             for _ in range(10_000)]
    return [(t, i) for t in [*texts[:3000], *texts[-300:], *noise] for i in range(len(t) + 1)]


# NUMBER_BEFORE's two alternatives on their own: a street's number, a number before a town
DIGIT_BEFORE = regex.compile(rf"(?r){R._STREET}")
AFTER_NUMBER = regex.compile(rf"(?r){R._TOWN}")


def test_context_pre_checks_equal_the_regexes(texts: list[str]) -> None:
    for text, i in _positions(texts):
        m = R.PREV_WORD.match(text, max(0, i - 30), i)
        assert T.prev_word(text, i) == (m.group(1).lower() if m else ""), (text, i)
        lo = max(0, i - 12)
        street, town = DIGIT_BEFORE.match(text, lo, i), AFTER_NUMBER.match(text, lo, i)
        number = T.number_before(text, i)
        assert (number is not None) == bool(street or town), (text, i)
        assert number is None or (number.group("street") is not None) == bool(street)
        assert T.digit_after(text, i) == (R.DIGIT_AFTER.match(text, i) is not None), (text, i)


def test_marks_equal_the_scan(texts: list[str]) -> None:
    extra = ["@@a_b #x#y http://x/y https : / / a . b www.www.x @ bob #tag&#x hhttp://a",
             "a@b.c @@@ ##ab # www. http", "#" * 50 + "@" * 50]
    for text in [*texts, *extra]:
        assert [(m.span(), m.groupdict()) for m in T.marks(text)] == \
            [(m.span(), m.groupdict()) for m in R.MARKS.finditer(text)], text


def test_four_runs_make_a_text_cased(texts: list[str]) -> None:
    """``Tagger.find`` skips ``mostly_lower`` after four runs: each starts with a capital
    that ``rules.WORD_CAP`` counts."""
    for text in texts:
        if len(R.RUN.findall(text)) >= 4:
            assert not T.mostly_lower(text), text


def test_factored_particles_match_the_particle_list() -> None:
    import itertools

    letters = sorted(set("".join(R.PARTICLES)))
    pattern = regex.compile(R._PARTICLE)
    for n in range(1, 6):
        for chars in itertools.product(letters, repeat=n):
            word = "".join(chars)
            assert (pattern.fullmatch(word) is not None) == (word in R.PARTICLES), word


def test_runs_equal_the_plain_particle_list_pattern(texts: list[str]) -> None:
    plain = "(?:" + "|".join(
        "de da di do dos das del della der den van von la le du bin ibn al el y".split()) + ")"
    assert frozenset(plain[3:-1].split("|")) == R.PARTICLES
    run = regex.compile(R.RUN.pattern.replace(R._PARTICLE, plain))
    assert run.pattern != R.RUN.pattern
    extra = ["Ana de la Cruz", "Jan van der Berg", "Maria della  Robbia", "Luis del\tRio y Gasset",
             "Ibn al Haytham", "Abu bin Ali", "Dell dela Dos dosx du Du", "A van B dell C"]
    for text in [*texts, *extra]:
        assert [m.span() for m in R.RUN.finditer(text)] == \
            [m.span() for m in run.finditer(text)], text


def test_the_engine_gets_the_same_results_without_explanations() -> None:
    """``analyze_unexplained`` (the engine's call) is ``analyze`` minus the explanations."""
    from bench import pii_eval
    from pipelines.detection.names.recognizer import NameRecognizer

    recognizer = NameRecognizer()
    compared = 0
    for text in [e.text for d in pii_eval.load_sets() for e in d.examples][:1500]:
        explained = recognizer.analyze(text, [])
        plain = recognizer.analyze_unexplained(text, [])
        assert all(r.analysis_explanation is None for r in plain)
        assert [(r.entity_type, r.start, r.end, r.score, r.recognition_metadata)
                for r in plain] == [(r.entity_type, r.start, r.end, r.score,
                                     r.recognition_metadata) for r in explained]
        compared += len(plain)
    assert compared > 500
