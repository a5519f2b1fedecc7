"""Instructions a detection engine executes per text, counted by valgrind's callgrind.

    python -m bench.instructions                          # aitrail's engine, all three samples
    python -m bench.instructions --samples packed --without NameRecognizer  # names' share
    python -m bench.instructions --without moderation AitrailPhoneRecognizer
    PYTHONPATH=/tmp/old python -m bench.instructions --engine old.detection.engine:AitrailDetector

Wall-clock throughput on this shared machine moves by 10-30% between runs (docs/BENCHMARKS.md),
too much to see a 5% change. Instruction counts do not depend on what else the machine is
doing: the same code on the same texts gives the same count to within about 0.1%. So a change
to the engine is measured here first (fewer instructions is not always less time: cache misses
are not counted), and its speed against stock Presidio with ``make bench-detect``.

How: each sample runs in a child process under ``valgrind --tool=callgrind --instr-atstart=no``
(the interpreter runs about 50 times slower; loading the engine and the texts is not
counted). When the child has loaded and warmed up the engine it says so on its stdout; the
parent turns counting on with ``callgrind_control -i on``, lets the child scan the sample
(``--passes`` passes, caches emptied before each, as bench-detect does), turns counting off
and reads the total from callgrind's output file. The samples are bench-detect's: the same
seeded dataset texts, the same packed texts, the same synthetic LLM traffic. Needs valgrind
(Debian's package); about 40 s per sample.
"""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import pii_eval
from bench.bench_detect import DEFAULT_CANDIDATE, llm_traffic, samples

SAMPLES = ("dataset", "packed", "traffic")


def sample_texts(name: str, n_raw: int = 300, n_packed: int = 60, pack_bytes: int = 1024,
                 n_traffic: int = 120) -> list[str]:
    """bench-detect's samples, by short name (its defaults)."""
    if name == "traffic":
        return llm_traffic(n_traffic)
    found = samples(pii_eval.load_sets(), n_raw, n_packed, pack_bytes)
    texts = found["dataset texts"] if name == "dataset" else next(
        v for k, v in found.items() if k.startswith("packed"))
    return texts


def build(engine_spec: str, without: Sequence[str] = ()) -> Any:
    """The engine; ``without``: recognizer class names, or ``moderation``, to leave out (an
    engine built like AitrailDetector, from its module's ``default_recognizers``)."""
    module_name, _, cls = engine_spec.partition(":")
    module = importlib.import_module(module_name)
    if not without:
        return getattr(module, cls)()
    recognizers = [r for r in module.default_recognizers() if type(r).__name__ not in without]
    stages = [] if "moderation" in without else None
    return getattr(module, cls)(recognizers, stages)


def child(engine_spec: str, sample: str, passes: int, batch: int,
          without: Sequence[str] = ()) -> None:
    """Load, warm up, say ``ready``; on ``go`` scan; say ``done``; exit on ``stop``."""
    engine = build(engine_spec, without)
    texts = sample_texts(sample)
    engine.scan(texts)
    clear = getattr(engine, "clear_caches", None)
    print("ready", len(texts), sum(len(t.encode()) for t in texts), flush=True)
    sys.stdin.readline()
    for _ in range(passes):
        if clear is not None:
            clear()
        for i in range(0, len(texts), batch):
            engine.scan(texts[i:i + batch])
    print("done", flush=True)
    sys.stdin.readline()


def count(engine_spec: str, sample: str, passes: int, batch: int,
          without: Sequence[str] = ()) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        proc = subprocess.Popen(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no",
             f"--callgrind-out-file={out}", sys.executable, "-m", "bench.instructions",
             "--child", "--engine", engine_spec, "--samples", sample,
             "--passes", str(passes), "--batch-size", str(batch),
             *(["--without", *without] if without else [])],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONHASHSEED": "0"})
        assert proc.stdin is not None and proc.stdout is not None
        started = time.perf_counter()
        line = proc.stdout.readline().split()
        if not line or line[0] != "ready":
            _, err = proc.communicate()
            raise SystemExit(f"the child under valgrind failed before scanning:\n{err[-3000:]}")
        n_texts, n_bytes = int(line[1]), int(line[2])
        _control(proc.pid, "on")
        proc.stdin.write("go\n")
        proc.stdin.flush()
        if proc.stdout.readline().strip() != "done":
            _, err = proc.communicate()
            raise SystemExit(f"the child under valgrind failed while scanning:\n{err[-3000:]}")
        _control(proc.pid, "off")
        proc.communicate("stop\n")
        totals = [line for line in out.read_text().splitlines() if line.startswith("totals:")]
        if proc.returncode != 0 or not totals:
            raise SystemExit(f"valgrind exited with {proc.returncode} and no totals in {out}")
        instructions = int(totals[-1].split()[1])
    per_text = instructions / (n_texts * passes)
    return {"sample": sample, "texts": n_texts, "bytes": n_bytes, "passes": passes,
            "instructions": instructions, "per_text": per_text,
            "per_byte": instructions / (n_bytes * passes),
            "seconds": time.perf_counter() - started}


def _control(pid: int, state: str) -> None:
    subprocess.run(["callgrind_control", "-i", state, str(pid)], check=True,
                   capture_output=True)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.instructions", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--engine", default=DEFAULT_CANDIDATE, metavar="MODULE:CLASS")
    p.add_argument("--samples", nargs="+", choices=SAMPLES, default=list(SAMPLES))
    p.add_argument("--passes", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=256)
    p.add_argument("--without", nargs="+", default=[], metavar="NAME",
                   help="leave out these recognizers (class names) or 'moderation', to see "
                        "what they cost: the difference from a full run")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        child(args.engine, args.samples[0], args.passes, args.batch_size, args.without)
        return 0
    without = f" --without {' '.join(args.without)}" if args.without else ""
    print(f"`python -m bench.instructions --engine {args.engine} --samples "
          f"{' '.join(args.samples)} --passes {args.passes}{without}`\n")
    print("| sample | texts | bytes/text | instructions/text | instructions/byte |")
    print("|---|---:|---:|---:|---:|")
    for sample in args.samples:
        r = count(args.engine, sample, args.passes, args.batch_size, args.without)
        print(f"| {sample} | {r['texts']} | {r['bytes'] / r['texts']:,.0f} | "
              f"{r['per_text']:,.0f} | {r['per_byte']:,.0f} |", flush=True)
        print(f"[{sample}: {r['instructions']:,} instructions in the counted region, "
              f"{r['seconds']:.0f} s under valgrind]", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
