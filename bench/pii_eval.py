"""PII accuracy: load the labelled sets, match predicted spans to gold spans, count, score.

Matching rule (one rule for every engine, every set):
- A prediction is a true positive for a gold span of the SAME type (after ``canonical_type``)
  in the same text when their character IoU (intersection over union) is at least 0.5. Matching
  is one-to-one, greedy by descending IoU, so one prediction never counts for two gold spans and
  a gold span split into two predictions counts one TP and one FP (or FN + 2 FP below 0.5).
  presidio-research's SpanEvaluator also uses character IoU with one-to-one best matches; it
  merges adjacent same-type spans first, which we don't (the test vectors put distinct cards a
  space apart). ``exact_tp`` also counts, for the secondary column, identical boundaries only.
- Unmatched gold spans are false negatives; unmatched predictions are false positives (texts
  with no labels therefore only add FPs), except:
  * out of scope: a set only says what it annotated. Gold and predictions of types the set does
    not annotate are ignored (WNUT-17 labels no emails; an analyzer test vector labels only
    ``meta.recognizer_under_test``, so its scope is that one type);
  * not claimed: types outside the detector's declared ``supported`` set are ignored, so an
    engine is never charged for types it does not claim to find;
  * nested: a LOCATION prediction lying wholly inside a gold STREET_ADDRESS or ZIP_CODE span is
    neutral (counted in ``neutral``): the city in an address is a location and is PII.
- Per type: precision P = TP/(TP+FP), recall R = TP/(TP+FN), F2 = 5PR/(4P+R) (recall weighs
  four times precision: a missed SSN costs more than a redacted order number). Zero
  denominators give 0; a type with no gold spans in a set has no F2, only its FP count.

Type mapping (``CANONICAL``, applied to gold labels and predictions alike): the sets already use
Presidio names except presidio_synth_v2's GPE (→ LOCATION: spaCy's GPE is what Presidio reports
as LOCATION, and presidio-research maps it so) and DOMAIN_NAME (→ URL: Presidio's URL recognizer
matches bare domains). STREET_ADDRESS stays its own type (not folded into LOCATION: Presidio has
no address recognizer, so it is compared only when both engines declare it); ORGANIZATION,
NRP, DATE_TIME, AGE, TITLE, ZIP_CODE and WNUT's GROUP/PRODUCT/CREATIVE_WORK keep their names.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipelines.detection.base import ScanResult

IOU_THRESHOLD = 0.5
CANONICAL: Mapping[str, str] = {
    "GPE": "LOCATION",
    "DOMAIN_NAME": "URL",
    # Raw spaCy / common aliases, in case an engine reports them unmapped.
    "LOC": "LOCATION",
    "FAC": "LOCATION",
    "NORP": "NRP",
    "ORG": "ORGANIZATION",
    "PER": "PERSON",
    "ADDRESS": "STREET_ADDRESS",
}
# prediction type -> gold types it may lie inside without counting as a false positive
NESTED: Mapping[str, frozenset[str]] = {
    "LOCATION": frozenset({"STREET_ADDRESS", "ZIP_CODE"}),
}
UNDER_TEST_KEY = "recognizer_under_test"


def default_root() -> Path:
    """shared/datasets/pii beside the checkout (as in CI), or $AITRAIL_PII_DATASETS."""
    env = os.environ.get("AITRAIL_PII_DATASETS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "shared" / "datasets" / "pii"


def canonical_type(entity_type: str) -> str:
    return CANONICAL.get(entity_type, entity_type)


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int
    type: str

    def iou(self, other: Span) -> float:
        inter = min(self.end, other.end) - max(self.start, other.start)
        if inter <= 0:
            return 0.0
        return inter / ((self.end - self.start) + (other.end - other.start) - inter)

    def within(self, other: Span) -> bool:
        return other.start <= self.start and self.end <= other.end


@dataclass(frozen=True)
class Example:
    text: str
    gold: tuple[Span, ...]
    scope: frozenset[str]  # the types this row is annotated for


@dataclass(frozen=True)
class Dataset:
    name: str
    path: Path
    sha256: str
    examples: tuple[Example, ...]

    @property
    def types(self) -> frozenset[str]:
        return frozenset().union(*(e.scope for e in self.examples))


def load_set(path: Path, limit: int | None = None) -> Dataset:
    """One normalized.jsonl; checks every label's offsets against its value."""
    raw = path.read_bytes()
    rows = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
    if limit is not None:
        rows = rows[:limit]
    golds: list[tuple[Span, ...]] = []
    for lineno, row in enumerate(rows, 1):
        text = row["text"]
        row_spans = []
        for label in row["labels"]:
            start, end = label["start"], label["end"]
            if not (0 <= start < end <= len(text)) or text[start:end] != label["value"]:
                raise ValueError(f"{path}:{lineno}: label {label!r} does not match the text")
            row_spans.append(Span(start, end, canonical_type(label["type"])))
        golds.append(tuple(sorted(row_spans)))
    whole_set = frozenset(s.type for spans in golds for s in spans)
    examples = []
    for row, spans in zip(rows, golds, strict=True):
        under_test = (row.get("meta") or {}).get(UNDER_TEST_KEY)
        scope = frozenset({canonical_type(under_test)}) if under_test else whole_set
        examples.append(Example(row["text"], spans, scope))
    return Dataset(path.parent.name, path, hashlib.sha256(raw).hexdigest(), tuple(examples))


def load_sets(
    root: Path | None = None, names: Collection[str] | None = None, limit: int | None = None
) -> list[Dataset]:
    """Every ``<root>/<name>/normalized.jsonl`` (or the named ones), sorted by name."""
    root = root or default_root()
    paths = sorted(root.glob("*/normalized.jsonl"))
    if not paths:
        raise FileNotFoundError(
            f"no PII sets under {root}: point --datasets (or AITRAIL_PII_DATASETS) at "
            "shared/datasets/pii"
        )
    if names:
        known = {p.parent.name for p in paths}
        unknown = sorted(set(names) - known)
        if unknown:
            raise ValueError(f"unknown PII sets {unknown}; known: {sorted(known)}")
        paths = [p for p in paths if p.parent.name in names]
    return [load_set(p, limit) for p in paths]


def spans_from_results(results: Iterable[ScanResult]) -> list[list[Span]]:
    """A detector's findings as canonical spans, duplicates dropped."""
    return [
        sorted({Span(f.start, f.end, canonical_type(f.entity_type)) for f in r.findings})
        for r in results
    ]


def infer_supported(predictions: Iterable[Iterable[Span]]) -> frozenset[str]:
    """Fallback for an engine that declares nothing: every type it ever reported."""
    return frozenset(s.type for spans in predictions for s in spans)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    exact_tp: int = 0
    neutral: int = 0

    @property
    def gold(self) -> int:
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        return self.tp + self.fp

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.predicted)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.gold)

    @property
    def f2(self) -> float:
        return f_beta(self.precision, self.recall)

    @property
    def exact_f2(self) -> float:
        return f_beta(_ratio(self.exact_tp, self.predicted), _ratio(self.exact_tp, self.gold))

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.exact_tp += other.exact_tp
        self.neutral += other.neutral

    def as_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp, "fp": self.fp, "fn": self.fn, "neutral": self.neutral,
            "precision": self.precision, "recall": self.recall,
            "f2": self.f2 if self.gold else None,
            "exact_tp": self.exact_tp, "exact_f2": self.exact_f2 if self.gold else None,
        }


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def f_beta(precision: float, recall: float, beta: float = 2.0) -> float:
    """F2 when beta=2: 5PR / (4P + R)."""
    b2 = beta * beta
    den = b2 * precision + recall
    return (1 + b2) * precision * recall / den if den else 0.0


def match(gold: Sequence[Span], pred: Sequence[Span], threshold: float = IOU_THRESHOLD
          ) -> list[tuple[int, int]]:
    """One-to-one (gold index, prediction index) pairs of one type, greedy by IoU."""
    pairs = sorted(
        ((g.iou(p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred)),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for iou, gi, pi in pairs:
        if iou < threshold or iou == 0.0:
            break
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def score_example(example: Example, pred: Sequence[Span], supported: Collection[str],
                  threshold: float = IOU_THRESHOLD) -> dict[str, Counts]:
    """Per-type counts for one text (only types both in scope and claimed)."""
    types = example.scope & frozenset(supported)
    out: dict[str, Counts] = {}
    for t in types:
        gold_t = [s for s in example.gold if s.type == t]
        pred_t = [s for s in pred if s.type == t]
        if not gold_t and not pred_t:
            continue
        pairs = match(gold_t, pred_t, threshold)
        matched = {pi for _, pi in pairs}
        c = Counts(tp=len(pairs), fn=len(gold_t) - len(pairs))
        c.exact_tp = sum(1 for gi, pi in pairs if gold_t[gi] == pred_t[pi])
        nest = NESTED.get(t, frozenset())
        for pi, p in enumerate(pred_t):
            if pi in matched:
                continue
            if any(g.type in nest and p.within(g) for g in example.gold):
                c.neutral += 1
            else:
                c.fp += 1
        out[t] = c
    return out


@dataclass
class SetScore:
    """Counts per type for one detector on one set."""

    dataset: str
    by_type: dict[str, Counts] = field(default_factory=dict)


def score_set(dataset: Dataset, predictions: Sequence[Sequence[Span]],
              supported: Collection[str], threshold: float = IOU_THRESHOLD) -> SetScore:
    if len(predictions) != len(dataset.examples):
        raise ValueError(f"{dataset.name}: {len(predictions)} predictions for "
                         f"{len(dataset.examples)} texts")
    result = SetScore(dataset.name)
    for example, pred in zip(dataset.examples, predictions, strict=True):
        for t, c in score_example(example, pred, supported, threshold).items():
            result.by_type.setdefault(t, Counts()).add(c)
    return result


def total(scores: Iterable[SetScore]) -> dict[str, Counts]:
    """Micro totals per type over sets."""
    out: dict[str, Counts] = {}
    for s in scores:
        for t, c in s.by_type.items():
            out.setdefault(t, Counts()).add(c)
    return out
