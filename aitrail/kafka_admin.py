"""Topic creation and consumer-lag checks with confluent-kafka's AdminClient."""

from __future__ import annotations

import time
from dataclasses import dataclass

from confluent_kafka import Consumer, KafkaError, KafkaException, TopicPartition
from confluent_kafka.admin import AdminClient
from confluent_kafka.cimpl import NewTopic

from aitrail import topics
from aitrail.errors import AitrailError, BrokerUnavailable
from aitrail.settings import Settings

# A group coordinator that is still loading or moving after a broker start answers with these;
# librdkafka does not flag all of them retriable for committed().
_TRANSIENT = {
    KafkaError.NOT_COORDINATOR, KafkaError.COORDINATOR_LOAD_IN_PROGRESS,
    KafkaError.COORDINATOR_NOT_AVAILABLE, KafkaError._TIMED_OUT, KafkaError._TRANSPORT,
    KafkaError._WAIT_COORD,
}


def admin(settings: Settings) -> AdminClient:
    return AdminClient(settings.kafka_config())


def wait_for_broker(settings: Settings, timeout_s: float = 15.0) -> None:
    try:
        admin(settings).list_topics(timeout=timeout_s)
    except KafkaException as exc:
        raise BrokerUnavailable(
            f"no Kafka broker answered at {settings.kafka_bootstrap_servers} within "
            f"{timeout_s:.0f}s ({exc.args[0].str() if exc.args else exc}). Start one, or set "
            "AITRAIL_KAFKA_BOOTSTRAP_SERVERS."
        ) from None


@dataclass(frozen=True)
class TopicStatus:
    name: str
    partitions: int
    status: str  # created | exists | exists-with-different-partitions


def create_topics(settings: Settings) -> list[TopicStatus]:
    """Create every topic aitrail uses; safe to run again (existing topics are left alone)."""
    client = admin(settings)
    wait_for_broker(settings)
    existing = client.list_topics(timeout=10).topics
    out: list[TopicStatus] = []
    wanted = []
    names = settings.topics
    for spec in topics.SPECS:
        name = names.name(spec.base)
        if name in existing:
            have = len(existing[name].partitions)
            status = "exists" if have == settings.topic_partitions else (
                "exists-with-different-partitions")
            out.append(TopicStatus(name, have, status))
        else:
            wanted.append(NewTopic(
                name,
                num_partitions=settings.topic_partitions,
                replication_factor=settings.topic_replication_factor,
                config={"retention.ms": str(spec.retention_ms)},
            ))
    if wanted:
        for name, future in client.create_topics(wanted, request_timeout=30).items():
            try:
                future.result()
                out.append(TopicStatus(name, settings.topic_partitions, "created"))
            except KafkaException as exc:
                err = exc.args[0]
                if err.name() == "TOPIC_ALREADY_EXISTS":  # created by a concurrent run
                    out.append(TopicStatus(name, settings.topic_partitions, "exists"))
                    continue
                raise AitrailError(f"could not create topic {name}: {err.str()}") from None
    order = {names.name(spec.base): i for i, spec in enumerate(topics.SPECS)}
    return sorted(out, key=lambda s: order[s.name])


@dataclass(frozen=True)
class Lag:
    end_offsets: int
    committed: int

    @property
    def remaining(self) -> int:
        return self.end_offsets - self.committed


def group_lag(settings: Settings, group: str, topic_names: tuple[str, ...],
              attempts: int = 20) -> Lag:
    """Messages in ``topic_names`` not yet committed by ``group`` (which commits only after the
    rows are stored, so lag 0 means every message so far is in ClickHouse or the DLQ).

    Retries while the broker says a retriable error (a group coordinator still loading)."""
    for attempt in range(attempts):
        try:
            return _group_lag(settings, group, topic_names)
        except KafkaException as exc:
            err = exc.args[0] if exc.args else None
            transient = err is not None and (err.retriable() or err.code() in _TRANSIENT)
            if attempt == attempts - 1 or not transient:
                raise
            time.sleep(0.5)
    raise AssertionError("unreachable")


def _group_lag(settings: Settings, group: str, topic_names: tuple[str, ...]) -> Lag:
    consumer = Consumer({**settings.kafka_config(), "group.id": group,
                         "enable.auto.commit": False})
    try:
        metadata = consumer.list_topics(timeout=10)
        partitions = [
            TopicPartition(name, p)
            for name in topic_names if name in metadata.topics
            for p in metadata.topics[name].partitions
        ]
        committed = consumer.committed(partitions, timeout=10)
        end_total = done_total = 0
        for tp in committed:
            low, high = consumer.get_watermark_offsets(tp, timeout=10)
            end_total += high
            done_total += tp.offset if tp.offset >= 0 else low
        return Lag(end_total, done_total)
    finally:
        consumer.close()
