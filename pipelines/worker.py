"""The faust worker: a thin agent over :class:`pipelines.batch.BatchProcessor`.

The agent takes batches without acknowledging them (``noack_take``), hands them to the batch
processor, and acknowledges only after the rows are in ClickHouse and dead letters are on their
topic. faust then commits those offsets. A crash at any point redelivers the unacknowledged
batch, and deterministic row ids make the second insert replace the first.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import faust

from aitrail import metrics
from aitrail.kafka_admin import group_lag
from aitrail.producer import AuditProducer
from aitrail.settings import Settings
from pipelines.batch import BatchProcessor
from pipelines.decode import SourceMessage
from pipelines.hashing import KeyedHasher
from pipelines.incidents.agents import install as install_incidents
from pipelines.incidents.alerting import install_alerts
from pipelines.incidents.security import UserActivity
from pipelines.policy.load import load_default, load_path
from pipelines.policy.records import GuardrailViolation
from pipelines.pool import DetectionPool
from schemas.records import DeadLetter
from sinks.clickhouse import describe, open_store
from sinks.incident_writer import IncidentStateReader, IncidentWriter
from sinks.migrate import migrate
from sinks.policy_log import record_if_changed
from sinks.writer import AuditWriter

log = logging.getLogger("aitrail.worker")

EXIT_CRASHED = 70
LAG_CHECK_S = 15.0


def incident_key(v: GuardrailViolation) -> str:
    """What makes violations one incident: the same tenant, user and rule."""
    return f"{v.tenant_id}/{v.user_id}/{v.rule_id}"


class WorkerState:
    crashed = False


@dataclass(frozen=True)
class Publishers:
    """Where a batch's by-products go, each keyed for whoever consumes it."""

    dead_letters: Callable[[list[DeadLetter]], Awaitable[None]]
    violations: Callable[[list[GuardrailViolation]], Awaitable[None]]
    activity: Callable[[list[UserActivity]], Awaitable[None]]


def _publisher(app: faust.App, topic: str, key_of: Callable[[Any], str]
               ) -> Callable[[list[Any]], Awaitable[None]]:
    channel = app.topic(topic, value_serializer="raw", key_serializer="raw")

    async def publish(records: list[Any]) -> None:
        pending = [
            await channel.send(key=key_of(r).encode(), value=r.model_dump_json().encode())
            for r in records
        ]
        await asyncio.gather(*pending)  # delivered before the batch is acknowledged

    return publish


def build_app(settings: Settings,
              make_processor: Callable[[Publishers], BatchProcessor]) -> faust.App:
    app = faust.App(
        settings.worker_group,
        broker="kafka://" + settings.kafka_bootstrap_servers.replace(",", ";kafka://"),
        value_serializer="raw",
        key_serializer="raw",
        web_enabled=False,
        datadir=str(settings.worker_data_dir),
        topic_partitions=settings.topic_partitions,
        topic_replication_factor=settings.topic_replication_factor,
        consumer_auto_offset_reset="earliest",
        producer_linger=0.01,
        producer_acks=-1,
        broker_commit_interval=1.0,
        broker_session_timeout=30.0,
        broker_heartbeat_interval=3.0,
        stream_buffer_maxsize=max(4096, settings.batch_size * 2),
    )
    names = settings.topics
    source = app.topic(*names.sources, value_serializer="raw", key_serializer="raw")
    processor = make_processor(Publishers(
        dead_letters=_publisher(
            app, names.dead_letters,
            lambda d: f"{d.source_topic}/{d.source_partition}/{d.source_offset}"),
        # Keyed by what groups violations into one incident, so one incident agent sees them.
        violations=_publisher(app, names.violations, incident_key),
        activity=_publisher(app, names.user_activity, lambda a: f"{a.tenant_id}/{a.user_id}"),
    ))

    @app.agent(source)
    async def audit(stream: Any) -> None:
        async for events in stream.noack_take(settings.batch_size, within=settings.batch_timeout_s):
            messages = [
                SourceMessage(e.message.topic, e.message.partition, e.message.offset, e.value)
                for e in events
            ]
            try:
                outcome = await processor.process(messages)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("batch failed; stopping the worker without acknowledging it")
                WorkerState.crashed = True
                os.kill(os.getpid(), signal.SIGTERM)
                raise
            for event in events:
                await stream.ack(event)
            found = ", ".join(f"{k}={v}" for k, v in sorted(outcome.findings.items())) or "none"
            log.info(
                "batch: %d events, %d stored, %d dead letters, %d unscanned, %d violations; "
                "findings: %s", outcome.events, outcome.stored, outcome.dead_letters,
                outcome.unscanned, outcome.violations, found,
            )

    @app.timer(interval=LAG_CHECK_S)  # type: ignore[untyped-decorator]
    async def report_lag() -> None:
        try:
            lag = await asyncio.to_thread(group_lag, settings, settings.worker_group,
                                          names.sources, 1)
        except Exception as exc:  # a metric must never stop the worker
            log.warning("could not read consumer lag (%s)", type(exc).__name__)
            return
        metrics.CONSUMER_LAG.set(lag.remaining)

    return app


def publish_policy_change(settings: Settings, value: bytes, key: str) -> None:
    """The change as an event on aitrail.policy-changes (the producer is closed afterwards)."""
    with AuditProducer(settings.kafka_bootstrap_servers, settings.topic_prefix) as producer:
        producer.send_raw(settings.topics.policy_changes, value, key)


def run_worker(settings: Settings) -> int:
    """Apply migrations, start detection processes, then run the faust worker until stopped."""
    hasher = KeyedHasher(settings.require_hash_key(), settings.hash_key_id)
    store = open_store(settings.clickhouse_dsn)
    applied = migrate(store)
    log.info("store %s ready (%d migrations applied now)", describe(settings.clickhouse_dsn),
             len(applied))
    policy = load_path(settings.policy_file) if settings.policy_file else load_default()
    change = record_if_changed(store, policy, actor=settings.policy_actor)
    if change is not None:
        publish_policy_change(settings, change.model_dump_json().encode(), change.policy_name)
    log.info("policy %s %s in force%s", policy.name, policy.content_version,
             f" (recorded change: {change.summary})" if change else "")
    pool = DetectionPool(settings.detection_processes)
    log.info("starting %d detection processes", settings.detection_processes)
    pool.start()
    log.info("detection engine %s ready", pool.engine_version)

    lock = threading.Lock()  # chDB runs in this process: one statement at a time

    def make_processor(publish: Publishers) -> BatchProcessor:
        return BatchProcessor(
            hasher=hasher,
            scan=pool.scan,
            writer=AuditWriter(store, lock),
            publish_dead_letters=publish.dead_letters,
            publish_violations=publish.violations,
            publish_activity=publish.activity,
            engine_version=pool.engine_version,
            policy=policy,
            store_redacted_text=settings.store_redacted_text,
            topic_names=settings.topics,
        )

    app = build_app(settings, make_processor)
    holder: dict[str, Any] = {}  # the alert dispatcher, once its app task has started it
    incident_writer = IncidentWriter(store, lock)
    install_incidents(app, settings, lambda: incident_writer, lambda: holder.get("alerts"),
                      IncidentStateReader(store, lock))
    install_alerts(app, settings, holder, incident_writer)
    if settings.metrics_port:
        from prometheus_client import start_http_server

        start_http_server(settings.metrics_port, addr="0.0.0.0")  # noqa: S104
        log.info("metrics on :%d/metrics", settings.metrics_port)

    worker = faust.Worker(app, loglevel="WARNING", quiet=True)
    worker.spinner = None  # terminal escape codes would litter log files
    try:
        worker.execute_from_commandline()
    except SystemExit:
        pass
    finally:
        pool.close()
        store.close()
    return EXIT_CRASHED if WorkerState.crashed else 0
