"""End-to-end throughput: the aitrail worker against a plain confluent-kafka loop, same events,
same broker, same run.

    make bench-pipeline                       # real Apache Kafka, 4,000 LLM events
    BENCH_EVENTS=20000 make bench-pipeline

The baseline is DESIGN.md's: a consume → produce loop in batches of 500 with a 5 ms linger,
doing no work per event. The worker does everything (validate, Presidio detection in a process
pool, redaction, keyed hashes, Arrow inserts into chDB, commits after the insert). Its rate is
measured from its first committed offset to its last, so process start-up is excluded; start-up
is reported on its own line.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
import uuid
from pathlib import Path

from confluent_kafka import OFFSET_BEGINNING, Consumer, Producer, TopicPartition
from confluent_kafka.cimpl import NewTopic

from aitrail.kafka_admin import admin, create_topics, group_lag
from aitrail.producer import AuditProducer
from aitrail.settings import Settings, load_settings
from aitrail.synthetic import generate
from tests.harness import WorkerProcess


def produce(settings: Settings, n_requests: int) -> tuple[int, int]:
    traffic = generate(n_requests, seed=1, pii_ratio=0.3)
    events = [e for e in traffic.events if e["event_type"] != "access"]
    producer = AuditProducer(settings.kafka_bootstrap_servers, settings.topic_prefix)
    size = 0
    for event in events:
        producer.send_json(event)
        size += len(str(event))
    producer.flush()
    return len(events), size // max(1, len(events))


def baseline_loop(settings: Settings, total: int) -> float:
    """Plain consume → produce, batches of 500, linger 5 ms: events/s."""
    consumer = Consumer({**settings.kafka_config(), "group.id": f"bench-base-{uuid.uuid4().hex}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    producer = Producer({**settings.kafka_config(), "linger.ms": 5})
    # Assigned, not subscribed: a group rebalance in the middle of a short run would be timed.
    metadata = consumer.list_topics(timeout=10)
    consumer.assign([TopicPartition(t, p, OFFSET_BEGINNING) for t in settings.topics.sources
                     for p in metadata.topics[t].partitions])
    sink = settings.topics.name("bench.sink")
    # The broker does not auto-create topics: produce to a missing one waits for a timeout.
    client = admin(settings)
    futures = client.create_topics(
        [NewTopic(sink, settings.topic_partitions, settings.topic_replication_factor)])
    for future in futures.values():
        future.result()
    seen, started = 0, 0.0
    while seen < total:
        batch = consumer.consume(500, timeout=1.0)
        if batch and not started:
            started = time.perf_counter()
        for msg in batch:
            if msg.error() is None:
                producer.produce(sink, msg.value(), msg.key())
                seen += 1
        producer.poll(0)
        if batch:
            consumer.commit(asynchronous=False)
    producer.flush()
    elapsed = time.perf_counter() - started
    consumer.close()
    return total / elapsed


def aitrail_worker(settings: Settings, total: int, workdir: Path) -> tuple[float, float]:
    """Worker events/s (first to last commit) and seconds from start to first commit."""
    worker = WorkerProcess(settings, workdir / "worker.log").start()
    launched = time.perf_counter()
    try:
        first_at = first_done = 0.0
        first_count = 0
        while True:
            lag = group_lag(settings, settings.worker_group, settings.topics.sources)
            now = time.perf_counter()
            if lag.committed and not first_at:
                first_at, first_count = now, lag.committed
                first_done = now - launched
            if lag.committed >= total:
                rate = (lag.committed - first_count) / max(1e-9, now - first_at)
                return rate, first_done
            assert worker.proc is not None and worker.proc.poll() is None, worker.log()[-2000:]
            time.sleep(0.1)
    finally:
        worker.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int,
                        default=int(os.environ.get("BENCH_EVENTS", "4000")) // 2,
                        help="LLM calls (each a request and a response event)")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    bootstrap = os.environ.get("AITRAIL_TEST_KAFKA", "127.0.0.1:39092")
    with tempfile.TemporaryDirectory(prefix="aitrail-bench-") as tmp:
        run = uuid.uuid4().hex[:8]
        settings = load_settings(
            kafka_bootstrap_servers=bootstrap, clickhouse_dsn=f"chdb://{tmp}/ch",
            hash_key=secrets.token_hex(32), topic_prefix=f"bench-{run}.",
            worker_group=f"bench-{run}", worker_data_dir=Path(tmp) / "w", metrics_port=0,
            detection_processes=args.processes,
        )
        create_topics(settings)
        total, avg = produce(settings, args.requests)
        print(f"events: {total:,} LLM events, about {avg:,} bytes of JSON each; "
              f"broker {bootstrap}; detection processes {args.processes}", file=sys.stderr)
        base = baseline_loop(settings, total)
        rate, startup = aitrail_worker(settings, total, Path(tmp))
    print("| pipeline | events/s | vs baseline |")
    print("| --- | ---: | ---: |")
    print(f"| plain confluent-kafka consume → produce (batches of 500, linger 5 ms) "
          f"| {base:,.0f} | 1.00 |")
    print(f"| aitrail worker, full path to chDB | {rate:,.0f} | {rate / base:.3f} |")
    print(f"\nworker start-up to first commit: {startup:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
