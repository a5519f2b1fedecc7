from __future__ import annotations

import re

import pytest

from pipelines.detection.engine import AitrailDetector
from pipelines.detection.names.recognizer import NameRecognizer


@pytest.fixture(scope="module")
def recognizer() -> NameRecognizer:
    return NameRecognizer()


def found(recognizer: NameRecognizer, text: str) -> set[tuple[str, str]]:
    return {(r.entity_type, text[r.start:r.end])
            for r in recognizer.analyze(text, ["PERSON", "LOCATION"])}


@pytest.mark.parametrize(("text", "entity", "value"), [
    ("My name is Ruth R Montez and I need a new card.", "PERSON", "Ruth R Montez"),
    ("Please ask Dr. Kowalczyk to call me back.", "PERSON", "Kowalczyk"),
    ("Dear Annemette Iversen, thank you for your order.", "PERSON", "Annemette Iversen"),
    ("The name on the account is Sofia Lima", "PERSON", "Sofia Lima"),
    ("Krisztián Szöllösy listed his top 20 songs.", "PERSON", "Krisztián Szöllösy"),
    ("Send the report to Jaroslava P. Sedláčková today.", "PERSON", "Jaroslava P. Sedláčková"),
    ("I spoke with Mary O'Connor yesterday.", "PERSON", "Mary O'Connor"),
    ("Paul Manafort's lawyer said nothing.", "PERSON", "Paul Manafort"),
    ("they had 6: silvana, pamela and caleb.", "PERSON", "pamela"),
    ("I moved from Poland to Canada last year.", "LOCATION", "Poland"),
    ("I moved from Poland to Canada last year.", "LOCATION", "Canada"),
    ("The offices are in New York and Paris.", "LOCATION", "New York"),
    ("The offices are in New York and Paris.", "LOCATION", "Paris"),
    ("Mr. Leiva flew to LEPPEN on Tuesday morning.", "LOCATION", "LEPPEN"),
    ("avalanche hit the villagers of Mahazgund last night", "LOCATION", "Mahazgund"),
    ("it is cold in canada this week", "LOCATION", "canada"),
    ("The River Rom is a river in Essex.", "LOCATION", "River Rom"),
])
def test_true_positives(recognizer: NameRecognizer, text: str, entity: str, value: str) -> None:
    assert (entity, value) in found(recognizer, text)


@pytest.mark.parametrize("text", [
    "Version 3.8.0",
    "commit 7d8e9f0a1b by Rob Pike2",
    "Upgrade to Python 3.11 and Docker 24 before Friday.",
    "Please restart the Kubernetes cluster and check GitHub Actions.",
    "Thanks, I will check the JSON API and the HTTP logs.",
    "Yesterday the build failed. Tomorrow we retry. However, nothing changed.",
    "The Quick Brown Fox Jumps Over The Lazy Dog",
    "I think I can do it. OK?",
    "Send it to jane.doe@example.com or see https://example.com/Users/JohnSmith",
    "Install PowerPoint, JavaScript and YouTube on the iPhone.",
    "Deploy the 9f8e7d6c5b4a Dockerfile with SHA 1 hashes.",
    "A Canadian-born producer gave three TED talks.",
])
def test_true_negatives_have_no_person(recognizer: NameRecognizer, text: str) -> None:
    assert not {v for e, v in found(recognizer, text) if e == "PERSON"}


@pytest.mark.parametrize("text", [
    "commit 7d8e9f0a1b by Rob Pike2",
    "@ elessar42 and @ bob_99 said hi to R2D2 and Agent007",
    "Ticket ABC123 from User4 about Release 2.0 Candidate",
])
def test_no_person_span_contains_a_digit(recognizer: NameRecognizer, text: str) -> None:
    for entity, value in found(recognizer, text):
        assert not (entity == "PERSON" and re.search(r"\d", value)), value


def test_scores_and_metadata(recognizer: NameRecognizer) -> None:
    text = "Dear Marie Langrová, your parcel left Warsaw, Poland."
    results = recognizer.analyze(text, ["PERSON", "LOCATION"])
    assert results
    for r in results:
        assert 0.4 <= r.score <= 1
        assert r.recognition_metadata["recognizer_version"] == NameRecognizer.VERSION
        assert r.analysis_explanation is not None


def test_entities_filter(recognizer: NameRecognizer) -> None:
    text = "Tom Olsen lives in Oslo."
    assert {r.entity_type for r in recognizer.analyze(text, ["LOCATION"])} == {"LOCATION"}
    assert {r.entity_type for r in recognizer.analyze(text, ["PERSON"])} == {"PERSON"}


def test_spans_do_not_overlap(recognizer: NameRecognizer) -> None:
    results = recognizer.analyze("Paris Hilton met Georgia Smith in Georgia.", [])
    ordered = sorted((r.start, r.end) for r in results)
    assert all(a[1] <= b[0] for a, b in zip(ordered, ordered[1:], strict=False))


@pytest.mark.parametrize("use_hyperscan", [True, False])
def test_in_the_engine_whole_text_window(use_hyperscan: bool) -> None:
    """The pre-filter fires once per text with a letter; the window is the whole text, so
    the word before a name still counts, and texts without letters cost nothing."""
    engine = AitrailDetector([NameRecognizer()], use_hyperscan=use_hyperscan)
    text = ("x" * 300) + " and later I met Ms. Kowalczyk in Gdańsk, Poland. ‼ " + "y" * 300
    (result, empty) = engine.scan([text, "12345 67890 ---"])
    got = {(f.entity_type, text[f.start:f.end]) for f in result.findings}
    assert ("PERSON", "Kowalczyk") in got and ("LOCATION", "Poland") in got
    assert "<PERSON>" in result.redacted and "Kowalczyk" not in result.redacted
    assert empty.findings == ()
    assert engine.prefilter.hits("12345 67890 ---") == {}
    assert len(engine.prefilter.hits("Émile Zola and Victor Hugo")[0]) == 1
