"""The secret recognizer package as a whole: registry, shared shape, Presidio integration."""

from __future__ import annotations

import pickle

import hyperscan as hs
import pytest
import regex as re
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import NoOpNlpEngine

from pipelines.detection.secrets import (
    SECRET_ENTITIES,
    SECRET_RECOGNIZERS,
    SecretRecognizer,
    secret_recognizers,
)
from tests.unit.detection.secrets import fakes
from tests.unit.detection.secrets.helpers import prefilter_entities, prefilter_spans

CLASSES = [c for c in SECRET_RECOGNIZERS if issubclass(c, SecretRecognizer)]


def test_registry_lists_every_recognizer_once() -> None:
    assert len(CLASSES) == len(SECRET_RECOGNIZERS) == 10
    assert len(set(SECRET_ENTITIES)) == 10
    assert [type(r) for r in secret_recognizers()] == list(SECRET_RECOGNIZERS)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.ENTITY)
def test_recognizer_shape(cls: type[SecretRecognizer]) -> None:
    assert cls.ENTITY.isupper() and cls.VERSION == "1"
    assert cls.PATTERNS and all(0 < p.score <= 1 for p in cls.PATTERNS)
    assert cls.CONTEXT and cls.PREFILTER and cls.PREFILTER_REACH >= 0
    recognizer = cls()
    assert recognizer.supported_entities == [cls.ENTITY]
    assert vars(recognizer)["name"] == cls.__name__ and recognizer.version == cls.VERSION


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.ENTITY)
def test_prefilter_regexes_compile_in_hyperscan(cls: type[SecretRecognizer]) -> None:
    """Each one alone, so a failure names its recognizer (no lookaround, no back-reference)."""
    for regex in cls.PREFILTER:
        db = hs.Database(mode=hs.HS_MODE_BLOCK)
        db.compile(expressions=[regex.encode("ascii")], ids=[0], elements=1,
                   flags=[hs.HS_FLAG_SOM_LEFTMOST])


def test_prefilter_is_silent_on_plain_text() -> None:
    text = "Please summarise the report and translate it into French, thank you."
    assert prefilter_entities(text) == set()


def test_prefilter_offsets_are_characters_not_bytes() -> None:
    key = fakes.aws_access_key()
    text = f"clé d’accès — {key}"
    (hit,) = prefilter_spans(text, "AWS_ACCESS_KEY")
    assert text[hit[0] : hit[1]] == key


def test_recognizers_pickle_for_process_pools() -> None:
    for recognizer in secret_recognizers():
        recognizer.analyze("warm the regex cache", recognizer.supported_entities)
        clone = pickle.loads(pickle.dumps(recognizer))  # noqa: S301  (our own object)
        assert type(clone) is type(recognizer)


def test_case_rules_hold_under_a_case_insensitive_registry() -> None:
    """Presidio's default flags include IGNORECASE; ``akia...`` must still not be a key."""
    registry = RecognizerRegistry(
        recognizers=secret_recognizers(), global_regex_flags=re.IGNORECASE | re.DOTALL
    )
    engine = AnalyzerEngine(
        registry=registry, nlp_engine=NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "x"}])
    )
    key = fakes.aws_access_key()
    text = f"a {key.lower()} b {key}"
    results = engine.analyze(text=text, language="en")
    assert [(r.entity_type, r.start) for r in results] == [("AWS_ACCESS_KEY", text.index(key))]


def test_every_result_names_its_recognizer_and_version(analyzer: AnalyzerEngine) -> None:
    text = f"GITHUB_TOKEN={fakes.github_token()}\nAuthorization: Bearer {fakes.jwt()}"
    results = analyzer.analyze(text=text, language="en", return_decision_process=True)
    assert results
    for r in results:
        assert r.recognition_metadata["recognizer_name"].endswith("Recognizer")
        assert r.recognition_metadata["recognizer_version"] == "1"
        assert r.analysis_explanation is not None and r.analysis_explanation.pattern_name
