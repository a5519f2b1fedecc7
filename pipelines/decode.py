"""Bytes from Kafka → a validated event, or the reason it is not one.

Reasons never echo the payload: pydantic's messages are rebuilt without ``input_value`` so a
rejected prompt full of PII does not leak into the dead-letter topic or the logs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError

from aitrail import topics
from schemas.events import AccessEvent, LLMRequestEvent, LLMResponseEvent

MAX_REASON_CHARS = 1000

CONTRACTS: dict[str, type[BaseModel]] = {
    topics.LLM_REQUESTS: LLMRequestEvent,
    topics.LLM_RESPONSES: LLMResponseEvent,
    topics.ACCESS_EVENTS: AccessEvent,
}

Event = LLMRequestEvent | LLMResponseEvent | AccessEvent


@dataclass(frozen=True)
class SourceMessage:
    """A Kafka record as the pipeline sees it, independent of the client library."""

    topic: str
    partition: int
    offset: int
    value: bytes | None


@dataclass(frozen=True)
class InvalidMessage:
    source: SourceMessage
    error_type: str
    reason: str


_UNPREFIXED = topics.Topics()


def decode(message: SourceMessage, names: topics.Topics = _UNPREFIXED) -> Event | InvalidMessage:
    base = names.base(message.topic)
    contract = CONTRACTS.get(base) if base else None
    if contract is None:
        return InvalidMessage(message, "unknown_topic", f"no contract for topic {message.topic!r}")
    if not message.value:
        return InvalidMessage(message, "empty", "message has no value (tombstone or empty)")
    try:
        payload = json.loads(message.value)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f" at position {exc.pos}" if isinstance(exc, json.JSONDecodeError) else ""
        return InvalidMessage(message, "not_json", f"value is not UTF-8 JSON{where}")
    if not isinstance(payload, dict):
        return InvalidMessage(message, "not_object", "value must be a JSON object")
    try:
        event = contract.model_validate(payload)
    except ValidationError as exc:
        return InvalidMessage(message, "schema", _describe(exc, contract.__name__))
    assert isinstance(event, LLMRequestEvent | LLMResponseEvent | AccessEvent)
    return event


def _describe(exc: ValidationError, contract: str) -> str:
    parts = []
    for err in exc.errors(include_input=False, include_url=False, include_context=False):
        where = ".".join(str(p) for p in err["loc"]) or "(event)"
        parts.append(f"{where}: {err['msg']}")
    reason = f"{contract} v1: " + "; ".join(parts)
    return reason[:MAX_REASON_CHARS]
