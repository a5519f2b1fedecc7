"""``aitrail demo``: the whole path on embedded parts, then a summary from the store.

Embedded Kafka (noida-db) → topics → a real ``aitrail worker`` process → events produced →
wait until the worker's committed offsets reach the end of every topic (it commits only after
ClickHouse has the rows) → stop the worker → read the summary from chDB.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from aitrail import topics
from aitrail.embedded_broker import EmbeddedKafka
from aitrail.errors import AitrailError
from aitrail.jsonl import BadLine, open_source, read_objects
from aitrail.kafka_admin import create_topics, group_lag
from aitrail.producer import AuditProducer
from aitrail.settings import Settings, load_settings
from aitrail.webhook_receiver import WebhookReceiver
from sinks.clickhouse import open_store


@dataclass
class DemoSummary:
    store: Path
    dsn: str
    sent: int = 0
    rejected_lines: int = 0
    audit_rows: int = 0
    access_rows: int = 0
    dead_letters: int = 0
    redacted_texts: int = 0
    unscanned: int = 0
    findings: dict[str, int] = field(default_factory=dict)
    violations: int = 0
    incidents: dict[str, int] = field(default_factory=dict)
    alerts: int = 0
    alert_url: str = ""
    seconds: float = 0.0

    @property
    def stored(self) -> int:
        return self.audit_rows + self.access_rows

    def render(self) -> str:
        lines = [
            "",
            "aitrail demo: summary",
            f"  events sent to Kafka      {self.sent:>8,}"
            + (f"   ({self.rejected_lines} input line(s) skipped: not JSON objects)"
               if self.rejected_lines else ""),
            f"  rows stored               {self.stored:>8,}   "
            f"(audit_log {self.audit_rows:,}, access_log {self.access_rows:,})",
            f"  dead letters              {self.dead_letters:>8,}   (aitrail.dlq and dead_letters)",
            f"  texts redacted            {self.redacted_texts:>8,}",
            f"  texts unscanned           {self.unscanned:>8,}",
            "  findings by type (PII, secrets, moderation):",
        ]
        for entity, n in sorted(self.findings.items(), key=lambda kv: -kv[1]):
            lines.append(f"    {entity:<22}  {n:>8,}")
        if not self.findings:
            lines.append("    (none)")
        lines.append(f"  guardrail violations      {self.violations:>8,}")
        opened = sum(self.incidents.values())
        by_severity = ", ".join(f"{k} {v}" for k, v in sorted(self.incidents.items()))
        lines.append(f"  incidents opened          {opened:>8,}   ({by_severity or 'none'})")
        lines.append(f"  alerts sent               {self.alerts:>8,}   (to {self.alert_url})")
        balance = "yes" if self.stored + self.dead_letters == self.sent else "NO"
        lines += [
            f"  every event accounted for {balance:>8}   (rows stored + dead letters = sent)",
            f"  time                      {self.seconds:>7.1f}s",
            f"  store                     {self.store}",
            "",
            "Query it:",
            f"  export AITRAIL_CLICKHOUSE_DSN={self.dsn}",
            f"  {_command()} query requests-by-model --since 2026-01-01",
            f"  {_command()} incident list",
            f"  {_command()} query --sql "  # noqa: S608 (a hint for the user, not a query)
            "\"SELECT entity_type, count() FROM findings FINAL GROUP BY entity_type\"",
        ]
        return "\n".join(lines)


def _command() -> str:
    """How to call aitrail again: the venv's script when it is not on PATH."""
    import shutil

    script = Path(sys.executable).parent / "aitrail"
    if shutil.which("aitrail") == str(script) or not script.exists():
        return "aitrail"
    return str(script)


def _hash_key(store: Path) -> str:
    """A demo key kept next to the store (0600), so hashes can be verified later."""
    path = store / "hash.key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    path.write_text(key + "\n")
    path.chmod(0o600)
    return key


def _say(message: str) -> None:
    print(f"==> {message}", file=sys.stderr, flush=True)


def run_demo(*, store: Path, events_file: str | None, requests: int, append: bool,
             processes: int | None) -> DemoSummary:
    store = store.resolve()
    if (store / "clickhouse").exists() and not append:
        raise AitrailError(f"{store} already holds a demo store; pass --append to add to it, or "
                           "choose a new --store directory")
    store.mkdir(parents=True, exist_ok=True)
    dsn = f"chdb://{store / 'clickhouse'}"
    started = time.monotonic()
    broker = EmbeddedKafka(store / "broker")
    receiver_secret = secrets.token_hex(32)
    receiver = WebhookReceiver(receiver_secret).up()
    _say(f"on-call webhook receiver listening on {receiver.url}")
    _say(f"starting embedded Kafka (noida-db) on {broker.bootstrap}")
    with broker:
        overrides: dict[str, object] = dict(
            kafka_bootstrap_servers=broker.bootstrap, clickhouse_dsn=dsn,
            hash_key=_hash_key(store), worker_data_dir=store / "worker", metrics_port=0,
            alert_webhook_url=receiver.url, alert_webhook_secret=receiver_secret,
        )
        if processes:
            overrides["detection_processes"] = processes
        settings = load_settings(**overrides)
        for status in create_topics(settings):
            _say(f"topic {status.name}: {status.status} ({status.partitions} partitions)")
        worker = _start_worker(settings, store / "worker.log")
        try:
            summary = DemoSummary(store=store, dsn=dsn, alert_url=receiver.url)
            _produce(settings, summary, events_file, requests)
            _wait_until_stored(settings, worker, summary.sent)
            _say("waiting for incidents to settle and their alerts to go out")
            _wait_for_alerts(receiver)
        finally:
            _stop_worker(worker)
            receiver.close()
    summary.alerts = len(receiver.alerts)
    _fill_from_store(summary)
    summary.seconds = time.monotonic() - started
    return summary


def _start_worker(settings: Settings, log_path: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, **settings.to_env()}
    _say(f"starting the worker (log: {log_path})")
    return subprocess.Popen(
        [sys.executable, "-m", "aitrail", "worker", "--exit-with-parent"], env=env,
        stdout=log_path.open("ab"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )


def _produce(settings: Settings, summary: DemoSummary, events_file: str | None,
             requests: int) -> None:
    producer = AuditProducer(settings.kafka_bootstrap_servers, settings.topic_prefix)
    if events_file is None:
        from aitrail.synthetic import generate

        traffic = generate(requests)
        carriers = len({p.request_id for p in traffic.planted})
        _say(f"producing {len(traffic.events):,} synthetic events ({carriers} LLM calls carry "
             f"{len(traffic.planted)} planted PII values) and {len(traffic.malformed)} malformed")
        for event in tqdm(traffic.events, unit="ev", desc="produce", file=sys.stderr):
            producer.send_json(event)
        for raw in traffic.malformed:
            producer.send_raw(settings.topics.name(topics.LLM_REQUESTS), raw, key="demo/malformed")
        summary.sent = len(traffic.events) + len(traffic.malformed)
    else:
        _say(f"producing events from {events_file}")
        with open_source(events_file) as stream:
            for line_no, item in tqdm(read_objects(stream), unit="ev", desc="produce",
                                      file=sys.stderr):
                if isinstance(item, BadLine):
                    _say(f"line {line_no}: {item.reason}; skipped")
                    summary.rejected_lines += 1
                    continue
                producer.send_json(item)
                summary.sent += 1
    producer.flush()


def _wait_until_stored(settings: Settings, worker: subprocess.Popen[bytes], sent: int,
                       stall_timeout_s: float = 180.0) -> None:
    """Follow the worker's committed offsets until every message sent is processed."""
    bar = tqdm(total=sent, unit="ev", desc="stored", file=sys.stderr)
    last_progress, last_done = time.monotonic(), -1
    while True:
        if worker.poll() is not None:
            bar.close()
            raise AitrailError(f"the worker exited with code {worker.returncode}; see worker.log "
                               "in the store directory")
        lag = group_lag(settings, settings.worker_group, settings.topics.sources)
        done = lag.committed
        bar.n = min(done, sent)
        bar.refresh()
        if lag.remaining == 0 and lag.end_offsets > 0:
            bar.close()
            return
        if done != last_done:
            last_progress, last_done = time.monotonic(), done
        elif time.monotonic() - last_progress > stall_timeout_s:
            bar.close()
            raise AitrailError(f"no progress for {stall_timeout_s:.0f}s ({lag.remaining} "
                               "messages left); see worker.log in the store directory")
        time.sleep(0.5)


def _wait_for_alerts(receiver: WebhookReceiver, quiet_s: float = 3.0,
                     limit_s: float = 60.0) -> None:
    """Incidents follow violations through their own topic: wait until alerts stop coming."""
    deadline = time.monotonic() + limit_s
    last, quiet_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        if len(receiver.alerts) != last:
            last, quiet_since = len(receiver.alerts), time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_s:
            return
        time.sleep(0.25)


def _stop_worker(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        _say("stopping the worker")
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(60)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _fill_from_store(summary: DemoSummary) -> None:
    client = open_store(summary.dsn)
    try:
        def scalar(sql: str) -> int:
            return int(client.query(sql).result_rows[0][0])

        summary.audit_rows = scalar("SELECT count() FROM audit_log FINAL")
        summary.access_rows = scalar("SELECT count() FROM access_log FINAL")
        summary.dead_letters = scalar("SELECT count() FROM dead_letters FINAL")
        summary.redacted_texts = scalar(
            "SELECT count() FROM audit_log FINAL WHERE action = 'redact'")
        summary.unscanned = scalar(
            "SELECT count() FROM audit_log FINAL WHERE scan_status = 'unscanned'")
        rows = client.query(
            "SELECT entity_type, count() FROM findings FINAL GROUP BY entity_type").result_rows
        summary.findings = {str(k): int(v) for k, v in rows}
        summary.violations = scalar("SELECT count() FROM guardrail_violations FINAL")
        summary.incidents = {str(k): int(v) for k, v in client.query(
            "SELECT initial_severity, count() FROM incidents FINAL GROUP BY initial_severity"
        ).result_rows}
    finally:
        client.close()
