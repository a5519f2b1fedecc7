"""The PII accuracy instrument: span matching, counting, F2, type mapping, the set loader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import pii_eval
from bench.pii_eval import Counts, Example, Span, f_beta, match, score_example
from pipelines.detection.base import ScanResult
from schemas.records import Finding

ALL = {"PERSON", "LOCATION", "US_SSN", "PHONE_NUMBER", "STREET_ADDRESS", "URL"}


def ex(text: str, *gold: Span, scope: set[str] | None = None) -> Example:
    return Example(text, tuple(gold), frozenset(scope if scope is not None else ALL))


def test_iou() -> None:
    assert Span(0, 10, "X").iou(Span(0, 10, "X")) == 1.0
    assert Span(0, 10, "X").iou(Span(5, 15, "X")) == pytest.approx(5 / 15)
    assert Span(0, 10, "X").iou(Span(10, 20, "X")) == 0.0
    assert Span(0, 10, "X").iou(Span(2, 8, "X")) == pytest.approx(0.6)


def test_match_is_one_to_one_and_prefers_the_best_overlap() -> None:
    gold = [Span(0, 10, "X")]
    pred = [Span(0, 6, "X"), Span(0, 10, "X")]  # IoU 0.6 and 1.0
    assert match(gold, pred) == [(0, 1)]
    # one prediction covering two gold spans matches at most one of them
    assert match([Span(0, 4, "X"), Span(5, 9, "X")], [Span(0, 9, "X")], 0.4) == [(0, 0)]


def test_overlap_at_threshold_is_a_true_positive() -> None:
    # "John Smith" gold, "John Smith," predicted: IoU 10/11
    counts = score_example(ex("John Smith, hi", Span(0, 10, "PERSON")),
                           [Span(0, 11, "PERSON")], ALL)
    c = counts["PERSON"]
    assert (c.tp, c.fp, c.fn, c.exact_tp) == (1, 0, 0, 0)
    # exactly 0.5: gold 0-10, prediction 0-5
    c = score_example(ex("x" * 20, Span(0, 10, "PERSON")), [Span(0, 5, "PERSON")],
                      ALL)["PERSON"]
    assert (c.tp, c.fp, c.fn) == (1, 0, 0)


def test_small_overlap_is_one_false_negative_and_one_false_positive() -> None:
    c = score_example(ex("x" * 30, Span(0, 20, "PERSON")), [Span(15, 25, "PERSON")],
                      ALL)["PERSON"]
    assert (c.tp, c.fp, c.fn) == (0, 1, 1)


def test_wrong_type_counts_against_both_types() -> None:
    counts = score_example(ex("SSN 536-22-8493", Span(4, 15, "US_SSN")),
                           [Span(4, 15, "PHONE_NUMBER")], ALL)
    assert (counts["US_SSN"].tp, counts["US_SSN"].fn) == (0, 1)
    assert (counts["PHONE_NUMBER"].tp, counts["PHONE_NUMBER"].fp) == (0, 1)


def test_split_entity_is_one_tp_and_one_fp() -> None:
    gold = Span(0, 20, "PERSON")
    c = score_example(ex("x" * 20, gold), [Span(0, 12, "PERSON"), Span(13, 20, "PERSON")],
                      ALL)["PERSON"]
    assert (c.tp, c.fp, c.fn) == (1, 1, 0)


def test_negative_text_only_adds_false_positives() -> None:
    counts = score_example(ex("order 123456789 shipped"), [Span(6, 15, "US_SSN")], ALL)
    assert (counts["US_SSN"].tp, counts["US_SSN"].fp, counts["US_SSN"].fn) == (0, 1, 0)
    assert counts["US_SSN"].f2 == 0.0 and counts["US_SSN"].gold == 0
    assert score_example(ex("nothing here"), [], ALL) == {}


def test_out_of_scope_and_unclaimed_types_are_ignored() -> None:
    # a set that annotates only US_SSN: an email found there is neither right nor wrong
    e = ex("a@b.co 536-22-8493", Span(7, 18, "US_SSN"), scope={"US_SSN"})
    counts = score_example(e, [Span(0, 6, "EMAIL_ADDRESS"), Span(7, 18, "US_SSN")], ALL)
    assert set(counts) == {"US_SSN"} and counts["US_SSN"].tp == 1
    # an engine that does not claim PERSON is not charged for missing a name
    e = ex("Ann 536-22-8493", Span(0, 3, "PERSON"), Span(4, 15, "US_SSN"))
    assert set(score_example(e, [Span(4, 15, "US_SSN")], {"US_SSN"})) == {"US_SSN"}


def test_location_inside_an_address_is_neutral() -> None:
    text = "6750 Koskikatu 25, Artilleros, Uruguay"
    gold = Span(0, len(text), "STREET_ADDRESS")
    counts = score_example(ex(text, gold), [Span(31, 38, "LOCATION")], ALL)
    loc = counts["LOCATION"]
    assert (loc.tp, loc.fp, loc.fn, loc.neutral) == (0, 0, 0, 1)
    assert counts["STREET_ADDRESS"].fn == 1
    # outside any address it is an ordinary false positive
    assert score_example(ex("Paris"), [Span(0, 5, "LOCATION")], ALL)["LOCATION"].fp == 1


def test_f2_formula() -> None:
    assert f_beta(0.5, 1.0) == pytest.approx(5 * 0.5 * 1.0 / (4 * 0.5 + 1.0))
    assert f_beta(1.0, 0.5) == pytest.approx(5 * 0.5 / (4 + 0.5))
    assert f_beta(0.0, 0.0) == 0.0
    assert f_beta(0.3, 0.3) == pytest.approx(0.3)
    c = Counts(tp=8, fp=2, fn=8)
    assert (c.precision, c.recall) == (0.8, 0.5)
    assert c.f2 == pytest.approx(5 * 0.8 * 0.5 / (4 * 0.8 + 0.5))
    assert Counts(fn=3).f2 == 0.0 and Counts().precision == 0.0
    c = Counts(tp=2, fp=0, fn=0, exact_tp=1)
    assert c.exact_f2 == pytest.approx(0.5)  # exact P = R = 0.5


def test_totals_add_up_across_sets() -> None:
    a = pii_eval.SetScore("a", {"US_SSN": Counts(1, 2, 3, 1, 0)})
    b = pii_eval.SetScore("b", {"US_SSN": Counts(4, 5, 6, 0, 1), "URL": Counts(tp=1)})
    tot = pii_eval.total([a, b])
    assert tot["US_SSN"] == Counts(5, 7, 9, 1, 1) and tot["URL"].tp == 1


def test_type_mapping() -> None:
    assert pii_eval.canonical_type("GPE") == "LOCATION"
    assert pii_eval.canonical_type("DOMAIN_NAME") == "URL"
    for kept in ("STREET_ADDRESS", "LOCATION", "ORGANIZATION", "DATE_TIME", "NRP", "US_SSN"):
        assert pii_eval.canonical_type(kept) == kept


def test_findings_become_canonical_deduplicated_spans() -> None:
    def finding(t: str, start: int, end: int) -> Finding:
        return Finding(entity_type=t, start=start, end=end, score=0.9, detector="r",
                       detector_version="v")

    results = [ScanResult((finding("GPE", 0, 5), finding("GPE", 0, 5),
                           finding("US_SSN", 6, 17)), "x"), ScanResult((), "y")]
    spans = pii_eval.spans_from_results(results)
    assert spans == [[Span(0, 5, "LOCATION"), Span(6, 17, "US_SSN")], []]
    assert pii_eval.infer_supported(spans) == {"LOCATION", "US_SSN"}


def test_loader_maps_types_scopes_rows_and_rejects_bad_offsets(tmp_path: Path) -> None:
    rows = [
        {"text": "Ann lives in Oslo", "labels": [
            {"type": "PERSON", "start": 0, "end": 3, "value": "Ann"},
            {"type": "GPE", "start": 13, "end": 17, "value": "Oslo"}], "source": "s", "meta": {}},
        {"text": "no labels", "labels": [], "source": "s", "meta": {}},
        {"text": "1234", "labels": [], "source": "s",
         "meta": {"recognizer_under_test": "US_SSN"}},
    ]
    path = tmp_path / "toy" / "normalized.jsonl"
    path.parent.mkdir()
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    ds = pii_eval.load_set(path)
    assert ds.name == "toy" and len(ds.examples) == 3 and len(ds.sha256) == 64
    assert ds.examples[0].gold == (Span(0, 3, "PERSON"), Span(13, 17, "LOCATION"))
    assert ds.examples[1].scope == {"PERSON", "LOCATION"}
    assert ds.examples[2].scope == {"US_SSN"}
    assert len(pii_eval.load_set(path, limit=1).examples) == 1
    with pytest.raises(ValueError, match="unknown PII sets"):
        pii_eval.load_sets(tmp_path, names=["nope"])

    rows[0]["labels"][0]["end"] = 4  # type: ignore[index]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    with pytest.raises(ValueError, match="does not match"):
        pii_eval.load_set(path)


def test_scoring_needs_one_prediction_list_per_text(tmp_path: Path) -> None:
    path = tmp_path / "toy" / "normalized.jsonl"
    path.parent.mkdir()
    path.write_text(json.dumps({"text": "a", "labels": [], "source": "s", "meta": {}}) + "\n")
    with pytest.raises(ValueError, match="predictions"):
        pii_eval.score_set(pii_eval.load_set(path), [], ALL)


EXPECTED_SETS = {"presidio_analyzer_test_vectors", "presidio_synth_v2",
                 "wnut17_emerging_entities"}


def test_loader_reads_the_three_shared_pii_sets_with_valid_offsets() -> None:
    root = pii_eval.default_root()
    if not root.is_dir():
        pytest.fail(f"PII sets not found at {root}: the checkout needs shared/datasets beside "
                    "it (as in CI), or AITRAIL_PII_DATASETS pointing at shared/datasets/pii",
                    pytrace=False)
    sets = {d.name: d for d in pii_eval.load_sets(root)}
    assert EXPECTED_SETS <= set(sets)
    for name in EXPECTED_SETS:
        d = sets[name]
        raw = [json.loads(line) for line in d.path.read_text().splitlines() if line.strip()]
        assert len(d.examples) == len(raw) > 100
        for row, example in zip(raw, d.examples, strict=True):
            for label in row["labels"]:
                assert row["text"][label["start"]:label["end"]] == label["value"]
            assert len(example.gold) == len(row["labels"])
            assert all(0 <= s.start < s.end <= len(example.text) for s in example.gold)
            assert {s.type for s in example.gold} <= example.scope
        assert any(not e.gold for e in d.examples), f"{name}: negatives expected"
    assert "LOCATION" in sets["presidio_synth_v2"].types  # GPE mapped
    assert "GPE" not in sets["presidio_synth_v2"].types
    assert sets["presidio_analyzer_test_vectors"].examples[0].scope == {"CREDIT_CARD"}
