"""The Python producer client for services that call LLMs.

    from aitrail.producer import AuditProducer
    with AuditProducer("kafka:9092") as producer:
        producer.send(LLMRequestEvent(...))

Idempotent (no duplicates from retries), ``acks=all``, retried by librdkafka for up to two
minutes, keyed by ``tenant_id/request_id`` so a request and its response share a partition.
Delivery failures are counted and raised by :meth:`AuditProducer.flush`.
"""

from __future__ import annotations

import json
from types import TracebackType
from typing import Any

from confluent_kafka import KafkaError, Message, Producer

from aitrail import topics
from aitrail.errors import AitrailError
from schemas.events import AccessEvent, LLMRequestEvent, LLMResponseEvent

TOPIC_BY_EVENT_TYPE = {
    "llm.request": topics.LLM_REQUESTS,
    "llm.response": topics.LLM_RESPONSES,
    "access": topics.ACCESS_EVENTS,
}

Event = LLMRequestEvent | LLMResponseEvent | AccessEvent


class DeliveryFailed(AitrailError):
    pass


class AuditProducer:
    def __init__(self, bootstrap_servers: str, topic_prefix: str = "", **config: Any) -> None:
        self._topics = topics.Topics(topic_prefix)
        self._producer = Producer({
            "bootstrap.servers": bootstrap_servers,
            "enable.idempotence": True,
            "acks": "all",
            "linger.ms": 5,
            "delivery.timeout.ms": 120_000,
            "client.id": "aitrail-producer",
            # The Java client's and faust's partitioner: a key lands on the same partition
            # whichever client produced it, which keyed tables rely on.
            "partitioner": "murmur2_random",
            **config,
        })
        self.delivered = 0
        self.failed = 0
        self.last_error: str | None = None

    def _on_delivery(self, err: KafkaError | None, _msg: Message) -> None:
        if err is None:
            self.delivered += 1
        else:
            self.failed += 1
            self.last_error = err.str()

    def send(self, event: Event) -> None:
        """Queue one event on its topic; returns at once (delivery is asynchronous)."""
        if isinstance(event, AccessEvent):
            key = f"{event.tenant_id}/{event.user_id}"
        else:
            key = f"{event.tenant_id}/{event.request_id}"
        self.send_raw(self._topics.name(TOPIC_BY_EVENT_TYPE[event.event_type]),
                      event.model_dump_json().encode(), key)

    def send_json(self, payload: dict[str, Any], topic: str | None = None) -> None:
        """Send a JSON object as is (validated by the workers, not here)."""
        event_type = str(payload.get("event_type", ""))
        base = TOPIC_BY_EVENT_TYPE.get(event_type)
        topic = topic or (self._topics.name(base) if base else None)
        if topic is None:
            raise AitrailError(
                f"cannot route event_type {event_type!r}: use one of "
                f"{sorted(TOPIC_BY_EVENT_TYPE)} or pass a topic"
            )
        subject = payload.get("request_id") or payload.get("user_id", "")
        key = f"{payload.get('tenant_id', '')}/{subject}"
        self.send_raw(topic, json.dumps(payload, separators=(",", ":")).encode(), key)

    def send_raw(self, topic: str, value: bytes, key: str | None = None) -> None:
        while True:
            try:
                self._producer.produce(
                    topic, value=value, key=key.encode() if key else None,
                    on_delivery=self._on_delivery,
                )
                break
            except BufferError:  # local queue full: let deliveries drain, then retry
                self._producer.poll(0.1)
        self._producer.poll(0)

    def flush(self, timeout_s: float = 60.0) -> None:
        remaining = self._producer.flush(timeout_s)
        if remaining:
            raise DeliveryFailed(
                f"{remaining} events still undelivered after {timeout_s:.0f}s; is Kafka up?"
            )
        if self.failed:
            raise DeliveryFailed(
                f"{self.failed} events were not delivered (last error: {self.last_error})"
            )

    def __enter__(self) -> AuditProducer:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            self.flush()
        else:
            self._producer.flush(5)
