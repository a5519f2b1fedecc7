"""Violations → incidents → one alert each, through real Kafka, a real worker and a real HTTP
receiver; the lifecycle driven by the CLI; security incidents from access events."""

from __future__ import annotations

import secrets
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from aitrail.kafka_admin import create_topics
from aitrail.producer import AuditProducer
from aitrail.settings import Settings, load_settings
from aitrail.webhook_receiver import WebhookReceiver
from sinks.clickhouse import open_store
from tests.harness import WorkerProcess

pytestmark = pytest.mark.integration
T0 = datetime.now(UTC).replace(microsecond=0)


def request(user: str, n: int, text: str, at: datetime = T0) -> dict[str, object]:
    return {"event_type": "llm.request", "request_id": f"{user}-{n}", "tenant_id": "acme",
            "user_id": user, "service": "support-bot", "provider": "openai", "model": "gpt-4o",
            "occurred_at": (at + timedelta(milliseconds=n)).isoformat(), "prompt": text}


def access(user: str, action: str, at: datetime) -> dict[str, object]:
    return {"event_type": "access", "event_id": f"{user}-{action}", "tenant_id": "acme",
            "user_id": user, "action": action, "occurred_at": at.isoformat(), "system": "okta"}


@pytest.fixture()
def alerting(settings: Settings):  # type: ignore[no-untyped-def]
    secret = secrets.token_hex(32)
    receiver = WebhookReceiver(secret).up()
    configured = load_settings(**{
        **settings.model_dump(exclude={"hash_key"}),
        "hash_key": settings.require_hash_key().decode(),
        "alert_webhook_url": receiver.url, "alert_webhook_secret": secret,
        # the age limit, not the attempt count, ends a delivery here: 10 attempts at a 1 s
        # cap run out in about 3 s, a race with the 2 s the receiver is kept down
        "alert_retry_base_s": 0.2, "alert_retry_cap_s": 1.0, "alert_retry_max_age_s": 300.0,
        "alert_retry_max_attempts": 1000,
    })
    yield configured, receiver
    receiver.close()


def produce(settings: Settings, events: list[dict[str, object]]) -> None:
    with AuditProducer(settings.kafka_bootstrap_servers, settings.topic_prefix) as producer:
        for event in events:
            producer.send_json(event)


def cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([sys.executable, "-m", "aitrail", *args], capture_output=True,
                          text=True, timeout=60, check=False,
                          env={**os.environ, **settings.to_env()})


def triggers(alerts: list[dict[str, object]]) -> Counter[object]:
    return Counter(a["incident_id"] for a in alerts if a["action"] == "trigger")


def test_burst_is_one_incident_one_alert_and_resolve_is_sent(alerting, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings, receiver = alerting
    create_topics(settings)
    worker = WorkerProcess(settings, tmp_path / "worker.log").start()
    try:
        burst = [request("u-burst", i, f"my SSN is 536-22-{8400 + i:04d}, fix my W-4")
                 for i in range(50)]
        other = [request("u-other", 0, "card 4111 1111 1111 1111 was charged twice")]
        produce(settings, burst + other)
        worker.wait_committed(51)
        alerts = receiver.wait_for(lambda a: len(triggers(a)) >= 2)
        time.sleep(3)  # anything more would be a second alert for the same incident
        assert sorted(triggers(receiver.alerts).values()) == [1, 1]
        by_user = {a["details"]["user_id"]: a for a in alerts if a["action"] == "trigger"}
        assert set(by_user) == {"u-burst", "u-other"}
        burst_id = by_user["u-burst"]["incident_id"]

        done = cli(settings, "incident", "resolve", str(burst_id), "--by", "alice",
                   "--note", "user retrained")
        assert done.returncode == 0, done.stderr
        receiver.wait_for(lambda a: any(x["action"] == "resolve" and
                                        x["incident_id"] == burst_id for x in a))
    finally:
        assert worker.stop() == 0, worker.log()[-3000:]

    client = open_store(settings.clickhouse_dsn)
    try:
        rows = client.query("SELECT user_id, status, count, resolved_by, severity "
                            "FROM incidents FINAL ORDER BY user_id").result_rows
        assert rows[0][:4] == ("u-burst", "resolved", 50, "alice")
        assert rows[0][4] == "critical"  # high, escalated by the burst
        assert rows[1][:2] == ("u-other", "open")
        changes = [r[0] for r in client.query(
            "SELECT change FROM incident_events FINAL WHERE incident_id = {id:String} "
            "ORDER BY revision", parameters={"id": burst_id}).result_rows]
        assert changes[0] == "opened" and changes[-1] == "resolved"
        assert "escalated" in changes
    finally:
        client.close()
    assert "536-22-84" not in str(receiver.alerts)


def test_alerts_wait_for_a_receiver_that_is_down_while_events_keep_flowing(  # type: ignore[no-untyped-def]
    alerting, tmp_path: Path
) -> None:
    settings, receiver = alerting
    receiver.down()
    create_topics(settings)
    worker = WorkerProcess(settings, tmp_path / "worker.log").start()
    try:
        produce(settings, [request("u-down", i, f"SSN 536-22-{8500 + i:04d} please")
                           for i in range(20)])
        worker.wait_committed(20)  # stored while the receiver is down
        time.sleep(2)
        assert receiver.alerts == []
        receiver.up()
        receiver.wait_for(lambda a: len(triggers(a)) == 1)
        time.sleep(2)
        assert sum(triggers(receiver.alerts).values()) == 1
    finally:
        assert worker.stop() == 0, worker.log()[-3000:]
    client = open_store(settings.clickhouse_dsn)
    try:
        assert client.query("SELECT count() FROM audit_log FINAL").result_rows[0][0] == 20
    finally:
        client.close()


def test_llm_use_by_a_deprovisioned_user_opens_a_security_incident(  # type: ignore[no-untyped-def]
    alerting, tmp_path: Path
) -> None:
    settings, receiver = alerting
    create_topics(settings)
    worker = WorkerProcess(settings, tmp_path / "worker.log").start()
    try:
        produce(settings, [access("u-gone", "user_deprovisioned", T0 - timedelta(hours=1))])
        time.sleep(2)
        produce(settings, [request("u-gone", 0, "summarise the Q3 report")])
        alerts = receiver.wait_for(lambda a: any(
            x["rule_id"] == "security.llm-after-deprovision" for x in a))
        (alert,) = [a for a in alerts if a["rule_id"] == "security.llm-after-deprovision"]
        assert alert["severity"] == "critical" and alert["details"]["user_id"] == "u-gone"
    finally:
        assert worker.stop() == 0, worker.log()[-3000:]
