"""`aitrail demo` on its embedded parts (noida-db and chDB), as `make demo` runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from aitrail.synthetic import generate, to_jsonl

pytestmark = pytest.mark.integration


def run_demo(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "aitrail", "demo", "--processes", "1", *args],
                          capture_output=True, text=True, timeout=300, check=False)


def test_demo_on_users_events_stores_every_one_and_says_so(tmp_path: Path) -> None:
    traffic = generate(60, seed=3)
    events = tmp_path / "events.jsonl"
    events.write_text(to_jsonl(traffic.events) + "this line is not json\n")
    store = tmp_path / "store"
    done = run_demo("--events", str(events), "--store", str(store))
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"events sent to Kafka      {len(traffic.events):>8,}" in done.stdout
    assert f"rows stored               {len(traffic.events):>8,}" in done.stdout
    assert "every event accounted for      yes" in done.stdout
    assert f"line {len(traffic.events) + 1}: not JSON" in done.stderr
    assert (store / "clickhouse").is_dir()
    key = (store / "hash.key").read_text().strip()
    assert len(key) == 64 and key not in done.stdout + done.stderr

    again = run_demo("--events", str(events), "--store", str(store))
    assert again.returncode == 2 and "--append" in again.stderr


def test_demo_query_commands_it_prints_work(tmp_path: Path) -> None:
    store = tmp_path / "store"
    done = run_demo("--requests", "40", "--store", str(store))
    assert done.returncode == 0, done.stderr[-3000:]
    query = subprocess.run(
        [sys.executable, "-m", "aitrail", "query", "--sql",
         "SELECT count() AS n FROM audit_log FINAL"],
        capture_output=True, text=True, check=False,
        env={"AITRAIL_CLICKHOUSE_DSN": f"chdb://{store / 'clickhouse'}", "PATH": "/usr/bin"},
    )
    assert query.returncode == 0, query.stderr
    assert query.stdout.splitlines()[2].strip() == "80"
