"""Detection engines against stock Presidio: throughput on one core, and F2 per PII type.

    python -m bench.bench_detect                       # candidate: aitrail's engine
    python -m bench.bench_detect --engine mod:Class=CREDIT_CARD,US_SSN   # declare its types
    python -m bench.bench_detect --limit 100 --sets presidio_synth_v2 --json out.json

Throughput: every engine runs in this process, pinned to one core (``--cpu``), on the same
texts: a fixed seeded sample of the PII sets' texts as they are (about 70 bytes each); the same
texts packed into texts of at least ``--pack-bytes`` (1 KB, the size DESIGN.md's figures use;
nearly every line holds an entity, the engine's worst case); and ``--traffic-texts`` prompts and
responses of aitrail's synthetic LLM traffic (what the worker sees). Each engine is warmed up,
then ``scan()`` is timed in turns (``measure``): stock Presidio scans a fifteenth of the sample,
then every candidate scans all of it in batches of ``--batch-size`` (caches emptied first),
again and again until stock Presidio has scanned the sample once and each candidate for
``--min-seconds``. The engines share the machine's good and bad seconds, so the ratios move
far less between runs than when each engine had its own stretch of time. Throughput is
re-measured every run.

Accuracy: both engines scan every text of every set. Stock Presidio's predictions are cached
under ``$AITRAIL_CACHE/bench-cache/stock-presidio`` keyed by the set file's sha256 and the
versions of presidio, spaCy and the model (bench/stock_presidio.py), so reruns skip its slow
pass. Matching, scoping and the type mapping are documented in bench/pii_eval.py. Only types
both engines claim are compared: an engine's claim is ``--engine mod:Class=T1,T2``, else its
``supported_entities`` attribute, else (flagged in the output) every type it ever reported.

Output: markdown on stdout (ready for docs/BENCHMARKS.md), progress and phase times on stderr,
every number in ``--json PATH``. Times are for comparison within one run only: this machine is
shared and noisy; nothing here gates CI.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import platform
import random
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tqdm import tqdm

from bench import pii_eval, stock_presidio
from bench.pii_eval import Counts, Dataset, Span
from pipelines.pool import freeze_loaded_state

DEFAULT_CANDIDATE = "pipelines.detection.engine:AitrailDetector"
STOCK_SPEC = "bench.stock_presidio:StockPresidioDetector"
TARGET_RATIO = 100.0
_T0 = time.perf_counter()


def log(msg: str) -> None:
    print(f"[{time.perf_counter() - _T0:7.1f}s] {msg}", file=sys.stderr, flush=True)


def bar(total: int, desc: str) -> tqdm:
    return tqdm(total=total, desc=desc, unit="text", file=sys.stderr, leave=False,
                mininterval=0.2 if sys.stderr.isatty() else 5.0)


@dataclass
class Engine:
    spec: str
    obj: Any
    name: str
    load_seconds: float
    supported: frozenset[str] | None = None
    supported_source: str = ""
    predictions: dict[str, list[list[Span]]] = field(default_factory=dict)
    scan_seconds: float = 0.0


def build_engine(spec: str) -> Engine:
    path, _, types = spec.partition("=")
    module, _, cls = path.partition(":")
    if not cls:
        raise SystemExit(f"--engine {spec!r}: expected module:Class (optionally =TYPE,TYPE)")
    started = time.perf_counter()
    obj = getattr(importlib.import_module(module), cls)()
    loaded = time.perf_counter() - started
    name = str(getattr(obj, "name", cls))
    engine = Engine(spec, obj, name, loaded)
    if types:
        engine.supported = frozenset(pii_eval.canonical_type(t) for t in types.split(","))
        engine.supported_source = "declared on the command line"
    elif getattr(obj, "supported_entities", None):
        engine.supported = frozenset(
            pii_eval.canonical_type(t) for t in obj.supported_entities)
        engine.supported_source = "declared by the engine (supported_entities)"
    log(f"{name}: loaded in {loaded:.1f}s")
    return engine


def pin_to_one_core(cpu: int | None) -> int:
    allowed = sorted(os.sched_getaffinity(0))
    chosen = allowed[-1] if cpu is None else cpu
    os.sched_setaffinity(0, {chosen})
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    return chosen


# ---- throughput ----------------------------------------------------------------------------

def samples(datasets: Sequence[Dataset], n_raw: int, n_packed: int, pack_bytes: int
            ) -> dict[str, list[str]]:
    """Seeded shuffle of all texts: the first n_raw as they are, then n_packed texts made by
    joining consecutive shuffled texts with newlines until each has at least pack_bytes."""
    texts = [e.text for d in datasets for e in d.examples]
    random.Random(20240917).shuffle(texts)
    out = {"dataset texts": texts[:n_raw]}
    if n_packed and pack_bytes:
        packed: list[str] = []
        current: list[str] = []
        size = 0
        for text in texts * 4:  # cycles when --limit leaves too few texts
            current.append(text)
            size += len(text.encode()) + 1
            if size >= pack_bytes:
                packed.append("\n".join(current))
                current, size = [], 0
                if len(packed) == n_packed:
                    break
        out[f"packed to ≥{pack_bytes:,} bytes"] = packed
    return out


def llm_traffic(n_texts: int) -> list[str]:
    """Prompts and responses as the worker sees them: aitrail's synthetic traffic (business
    prompts and answers of 300-1,500 characters, a third of the calls with planted PII),
    flattened exactly as the audit path does."""
    from aitrail.synthetic import generate
    from schemas.events import LLMRequestEvent, LLMResponseEvent

    texts: list[str] = []
    for event in generate(max(1, n_texts // 2 + 1), seed=11).events:
        if event["event_type"] == "llm.request":
            texts.append(LLMRequestEvent.model_validate(event).audited_text())
        elif event["event_type"] == "llm.response":
            texts.append(LLMResponseEvent.model_validate(event).audited_text())
    return texts[:n_texts]


@dataclass
class _Timing:
    texts: int = 0
    bytes: int = 0
    wall: float = 0.0
    cpu: float = 0.0

    def add(self, texts: list[str], started: tuple[float, float]) -> None:
        self.wall += time.perf_counter() - started[1]
        self.cpu += time.process_time() - started[0]
        self.texts += len(texts)
        self.bytes += sum(len(t.encode()) for t in texts)

    def result(self, sample: list[str]) -> dict[str, Any]:
        return {"texts": len(sample),
                "avg_bytes": sum(len(t.encode()) for t in sample) / len(sample),
                "passes": round(self.texts / len(sample), 1), "seconds": self.wall,
                "texts_per_s": self.texts / self.wall, "mb_per_s": self.bytes / self.wall / 1e6,
                "cpu_over_wall": self.cpu / self.wall}


def _clock() -> tuple[float, float]:
    return time.process_time(), time.perf_counter()


def measure(engines: Sequence[Engine], texts: list[str], batch: int, min_seconds: float,
            warmup: int, label: str, chunks: int = 15) -> dict[str, dict[str, Any]]:
    """Texts/s of every engine on ``texts``, measured in turns so that they share the
    machine's moods: the first engine (stock Presidio, the slow reference) scans one of
    ``chunks`` slices of the sample, then each other engine scans the whole sample (one or
    more passes, in batches of ``batch``), and again, until the reference has scanned the
    whole sample once and every other engine for ``min_seconds``. A machine that slows down
    for a second slows all engines in that second, instead of the one being timed.

    Memo caches (the names stage plans each distinct capitalized run once) are emptied before
    every pass, untimed: repeating the same texts must not make later passes cheap."""
    reference, *others = engines
    for engine in engines:
        engine.obj.scan(texts[:warmup])
    # What the engines loaded lives as long as this process: frozen, as a detection process
    # freezes its engine (pipelines.pool), so that a full collection triggered by one engine's
    # allocations does not walk every model loaded here (stock's spaCy pipeline included).
    freeze_loaded_state()
    size = max(1, -(-len(texts) // chunks))
    slices = [texts[i:i + size] for i in range(0, len(texts), size)]
    timing = {e.name: _Timing() for e in engines}
    per_round = dict.fromkeys((e.name for e in others), 1)
    progress = bar(len(texts), f"{reference.name} throughput ({label})")
    turn = 0
    while turn < len(slices) or any(timing[e.name].wall < min_seconds for e in others):
        part = slices[turn % len(slices)]
        started = _clock()
        reference.obj.scan(part)
        timing[reference.name].add(part, started)
        if turn < len(slices):
            progress.update(len(part))
        for engine in others:
            clear_caches = getattr(engine.obj, "clear_caches", None)
            for _ in range(per_round[engine.name]):
                if clear_caches is not None:
                    clear_caches()
                started = _clock()
                for i in range(0, len(texts), batch):
                    engine.obj.scan(texts[i:i + batch])
                timing[engine.name].add(texts, started)
            if turn == 0:  # enough passes per turn to reach min_seconds in one reference pass
                per_round[engine.name] = max(1, int(min_seconds / max(
                    timing[engine.name].wall, 1e-9) / len(slices)) + 1)
        turn += 1
    progress.close()
    results = {e.name: timing[e.name].result(texts) for e in engines}
    for name, r in results.items():
        log(f"{name} throughput ({label}): {r['texts_per_s']:,.1f} texts/s "
            f"over {r['passes']} pass(es), {r['seconds']:.1f}s")
    return results


# ---- accuracy ------------------------------------------------------------------------------

def scan_all(engine: Engine, dataset: Dataset, batch: int, start: int = 0) -> list[list[Span]]:
    texts = [e.text for e in dataset.examples[start:]]
    out: list[list[Span]] = []
    progress = bar(len(texts), f"{engine.name} on {dataset.name}")
    t0 = time.perf_counter()
    for i in range(0, len(texts), batch):
        out.extend(pii_eval.spans_from_results(engine.obj.scan(texts[i:i + batch])))
        progress.update(len(texts[i:i + batch]))
    progress.close()
    engine.scan_seconds += time.perf_counter() - t0
    return out


def stock_predictions(engine: Engine, dataset: Dataset, cache_dir: Path | None, batch: int
                      ) -> list[list[Span]]:
    """Cached by (set file sha256, presidio/spaCy/model versions); computes only missing rows."""
    key = {"dataset_sha256": dataset.sha256, **stock_presidio.versions(),
           "type_map": sorted(pii_eval.CANONICAL.items())}
    cached: list[list[Span]] = []
    path = None
    if cache_dir is not None:
        digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()
        path = cache_dir / f"{dataset.name}-{digest[:16]}.json"
        if path.exists():
            rows = json.loads(path.read_text())["predictions"]
            cached = [[Span(s, e, t) for s, e, t in row] for row in rows]
    need = len(dataset.examples)
    if len(cached) >= need:
        log(f"{engine.name} on {dataset.name}: {need} predictions from the cache {path}")
        return cached[:need]
    t0 = time.perf_counter()
    fresh = cached + scan_all(engine, dataset, batch, start=len(cached))
    log(f"{engine.name} on {dataset.name}: scanned {need - len(cached)} texts in "
        f"{time.perf_counter() - t0:.1f}s")
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        rows_out = [[[s.start, s.end, s.type] for s in row] for row in fresh]
        tmp.write_text(json.dumps({"key": key, "predictions": rows_out}))
        tmp.replace(path)
    return fresh


# ---- report --------------------------------------------------------------------------------

def fmt(x: float) -> str:
    return f"{x:.3f}"


def verdict(stock: Counts | None, cand: Counts | None, shared: bool) -> bool | None:
    if not shared or stock is None or cand is None or not cand.gold:
        return None
    return cand.f2 >= stock.f2 - 1e-12


def counts_cells(c: Counts | None, claimed: bool) -> list[str]:
    if not claimed or c is None:
        return ["—"] * 4
    f2 = fmt(c.f2) if c.gold else "—"
    return [f"{c.tp}/{c.fp}/{c.fn}", fmt(c.precision), fmt(c.recall), f2]


def accuracy_table(rows: list[tuple[str, dict[str, Counts], dict[str, Counts]]],
                   stock_types: frozenset[str], cand_types: frozenset[str], cand: str
                   ) -> tuple[list[str], list[dict[str, Any]]]:
    head = ["set", "type", "gold", "stock TP/FP/FN", "P", "R", "F2", f"{cand} TP/FP/FN",
            "P", "R", "F2", "exact F2 stock → cand", "F2 ≥ stock"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * 3 + "---:|" * (len(head) - 3)]
    records = []
    for set_name, s, c in rows:
        for t in sorted(set(s) | set(c)):
            sc, cc = s.get(t), c.get(t)
            shared = t in stock_types and t in cand_types
            ok = verdict(sc, cc, shared)
            gold = (sc or cc or Counts()).gold
            exact = (f"{fmt(sc.exact_f2) if sc and gold else '—'} → "
                     f"{fmt(cc.exact_f2) if cc and gold else '—'}")
            flag = ("yes" if ok else "**NO**") if ok is not None else (
                "n/a (no gold)" if shared else ("stock only" if t in stock_types else
                                                "candidate only"))
            cells = [set_name, t, str(gold), *counts_cells(sc, t in stock_types),
                     *counts_cells(cc, t in cand_types), exact, flag]
            lines.append("| " + " | ".join(cells) + " |")
            records.append({"set": set_name, "type": t, "shared": shared, "f2_ok": ok,
                            "stock": sc.as_dict() if sc else None,
                            "candidate": cc.as_dict() if cc else None})
    return lines, records


def throughput_table(results: dict[str, dict[str, dict[str, Any]]], stock: str) -> list[str]:
    lines = []
    for label, by_engine in results.items():
        base = by_engine[stock]["texts_per_s"]
        lines += [f"**{label}** ({by_engine[stock]['texts']} texts, about "
                  f"{by_engine[stock]['avg_bytes']:,.0f} bytes each)", "",
                  "| engine | passes | seconds | texts/s | MB/s | CPU/wall | × stock |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for name, r in by_engine.items():
            r["ratio_vs_stock"] = r["texts_per_s"] / base
            lines.append(f"| {name} | {r['passes']} | {r['seconds']:.2f} | "
                         f"{r['texts_per_s']:,.1f} | {r['mb_per_s']:.3f} | "
                         f"{r['cpu_over_wall']:.2f} | {r['ratio_vs_stock']:,.1f}× |")
        lines.append("")
    return lines


def git_rev() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], capture_output=True,
                               text=True, check=True).stdout.strip()
        return rev + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.bench_detect", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--engine", action="append", metavar="MODULE:CLASS[=TYPE,...]",
                   help=f"candidate engine, repeatable (default {DEFAULT_CANDIDATE})")
    p.add_argument("--sets", nargs="+", metavar="NAME", help="PII sets (default: all)")
    p.add_argument("--limit", type=int, help="first N texts of each set")
    p.add_argument("--datasets", type=Path, default=None, help="folder of PII sets")
    p.add_argument("--cpu", type=int, help="core to pin to (default: the last allowed one)")
    p.add_argument("--batch-size", type=int, default=256)
    p.add_argument("--throughput-texts", type=int, default=300)
    p.add_argument("--packed-texts", type=int, default=60)
    p.add_argument("--pack-bytes", type=int, default=1024)
    p.add_argument("--traffic-texts", type=int, default=120,
                   help="texts of synthetic LLM traffic in the third sample (0: skip it)")
    p.add_argument("--min-seconds", type=float, default=3.0)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--cache-dir", type=Path, default=Path(os.environ.get(
        "AITRAIL_CACHE", Path.home() / ".cache" / "aitrail")) / "bench-cache" / "stock-presidio")
    p.add_argument("--no-cache", action="store_true", help="recompute stock predictions")
    p.add_argument("--json", type=Path, help="write every number here")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    command = shlex.join(["python", "-m", "bench.bench_detect",
                          *(sys.argv[1:] if argv is None else argv)])
    phases: dict[str, float] = {}

    @contextmanager
    def phase(name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        yield
        phases[name] = phases.get(name, 0.0) + time.perf_counter() - t0

    cpu = pin_to_one_core(args.cpu)
    log(f"pinned to core {cpu}")
    with phase("load sets"):
        datasets = pii_eval.load_sets(args.datasets, args.sets, args.limit)
    n_texts = sum(len(d.examples) for d in datasets)
    log(f"loaded {n_texts} texts from {', '.join(d.name for d in datasets)}")

    with phase("load engines"):
        stock = build_engine(STOCK_SPEC)
        candidates = [build_engine(s) for s in (args.engine or [DEFAULT_CANDIDATE])]
    names = [stock.name] + [c.name for c in candidates]
    if len(set(names)) != len(names):
        raise SystemExit(f"engine names must differ: {names}")

    throughput: dict[str, dict[str, dict[str, Any]]] = {}
    sets = samples(datasets, args.throughput_texts, args.packed_texts, args.pack_bytes)
    if args.traffic_texts:
        sets["synthetic LLM traffic (aitrail.synthetic)"] = llm_traffic(args.traffic_texts)
    for label, texts in sets.items():
        with phase("throughput (all engines in turns)"):
            throughput[label] = measure([stock, *candidates], texts, args.batch_size,
                                        args.min_seconds, args.warmup, label)

    cache = None if args.no_cache else args.cache_dir
    for d in datasets:
        with phase("accuracy: stock (cache or scan)"):
            stock.predictions[d.name] = stock_predictions(stock, d, cache, args.batch_size)
        for c in candidates:
            with phase(f"accuracy: {c.name}"):
                c.predictions[d.name] = scan_all(c, d, args.batch_size)
    for c in candidates:
        if c.supported is None:
            c.supported = pii_eval.infer_supported(
                s for preds in c.predictions.values() for s in preds)
            c.supported_source = ("INFERRED from the types it reported: declare "
                                  "`supported_entities` on the engine or pass =TYPE,... ")
        log(f"{c.name}: accuracy scan of {n_texts} texts in {c.scan_seconds:.1f}s")

    out = [f"`{command}`", "",
           f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {git_rev()}, "
           f"Python {platform.python_version()}, pinned to core {cpu} of {os.cpu_count()}; "
           "Engines: " + "; ".join(f"{e.name} = `{e.spec}` ({getattr(e.obj, 'version', '?')})"
                                   for e in [stock, *candidates]) + ".", "",
           "Sets: " + ", ".join(f"{d.name} ({len(d.examples)} texts, sha256 {d.sha256[:12]})"
                                for d in datasets) + ".", "",
           "### Throughput (one core, same texts, same process)", "",
           *throughput_table(throughput, stock.name)]
    for c in candidates:
        ratios = {label: r[c.name]["ratio_vs_stock"] for label, r in throughput.items()}
        met = all(x >= TARGET_RATIO for x in ratios.values())
        out.append(f"- {c.name}: " + "; ".join(f"{x:,.1f}× stock on {label}"
                                                for label, x in ratios.items())
                   + f" (target ≥ {TARGET_RATIO:.0f}×: {'met' if met else 'NOT met'}); "
                   f"its accuracy scan of all {n_texts} texts took {c.scan_seconds:.1f}s.")
    out.append("")

    accuracy: dict[str, Any] = {}
    stock_types = stock.supported or frozenset()
    for c in candidates:
        cand_types = c.supported or frozenset()
        s_scores = [pii_eval.score_set(d, stock.predictions[d.name], stock_types)
                    for d in datasets]
        c_scores = [pii_eval.score_set(d, c.predictions[d.name], cand_types)
                    for d in datasets]
        shared = sorted(stock_types & cand_types)
        per_set = [(s.dataset, s.by_type, cs.by_type)
                   for s, cs in zip(s_scores, c_scores, strict=True)]
        tot_lines, tot_records = accuracy_table(
            [("all", pii_eval.total(s_scores), pii_eval.total(c_scores))],
            stock_types, cand_types, c.name)
        set_lines, set_records = accuracy_table(per_set, stock_types, cand_types, c.name)
        failing = sorted(r["type"] for r in tot_records if r["f2_ok"] is False)
        compared = [r["type"] for r in tot_records if r["f2_ok"] is not None]
        set_failing = sorted(f"{r['type']} ({r['set']})" for r in set_records
                             if r["f2_ok"] is False)
        out += [f"### Accuracy: {c.name} vs stock Presidio", "",
                f"Claimed types: stock {sorted(stock_types)} ({stock.supported_source}); "
                f"{c.name} {sorted(cand_types)} ({c.supported_source}). "
                f"Both: {shared}.", "",
                f"**F2 ≥ stock on {len(compared) - len(failing)} of {len(compared)} shared "
                f"types with gold spans (all sets together)**"
                + (f"; below stock: {', '.join(failing)}." if failing else "."),
                "Per set, below stock: " + (", ".join(set_failing) or "none") + ".", "",
                "All sets together (micro):", "", *tot_lines, "", "Per set:", "", *set_lines,
                ""]
        accuracy[c.name] = {"shared_types": shared, "candidate_supported": sorted(cand_types),
                            "candidate_supported_source": c.supported_source,
                            "stock_supported": sorted(stock_types),
                            "below_stock_total": failing, "below_stock_per_set": set_failing,
                            "total": tot_records, "per_set": set_records}
    out += ["Matching: same type, character IoU ≥ 0.5, one-to-one; TP/FP/FN counted per set "
            "over the types it annotates and the engine claims; GPE→LOCATION, "
            "DOMAIN_NAME→URL; LOCATION inside a gold address is neutral (bench/pii_eval.py). "
            "F2 = 5PR/(4P+R); `exact` = identical boundaries.", "",
            "Phase times: " + ", ".join(f"{k} {v:.1f}s" for k, v in phases.items())
            + f"; total {time.perf_counter() - _T0:.1f}s."]
    print("\n".join(out))

    if args.json:
        report = {"command": command, "commit": git_rev(), "cpu": cpu,
                  "stock_versions": stock_presidio.versions(),
                  "sets": [{"name": d.name, "path": str(d.path), "sha256": d.sha256,
                            "texts": len(d.examples)} for d in datasets],
                  "engines": {e.name: {"spec": e.spec, "load_seconds": e.load_seconds,
                                       "accuracy_scan_seconds": e.scan_seconds}
                              for e in [stock, *candidates]},
                  "throughput": throughput, "accuracy": accuracy, "phases_seconds": phases}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2))
        log(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
