import json

import pytest

from aitrail.topics import Topics
from pipelines.decode import InvalidMessage, SourceMessage, decode
from schemas.events import AccessEvent, LLMRequestEvent

GOOD = {
    "event_type": "llm.request", "request_id": "r1", "tenant_id": "t", "user_id": "u",
    "service": "s", "provider": "p", "model": "m", "occurred_at": "2026-11-30T09:00:00Z",
    "prompt": "hello",
}


def msg(value: bytes | None, topic: str = "llm.requests") -> SourceMessage:
    return SourceMessage(topic, 2, 41, value)


def test_valid_request_decodes() -> None:
    assert isinstance(decode(msg(json.dumps(GOOD).encode())), LLMRequestEvent)


def test_access_event_decodes_on_its_topic() -> None:
    raw = {"event_id": "e", "tenant_id": "t", "user_id": "u", "action": "sso_login",
           "occurred_at": "2026-11-30T09:00:00Z"}
    assert isinstance(decode(msg(json.dumps(raw).encode(), "access.events")), AccessEvent)


def test_prefixed_topics_resolve_to_their_contract() -> None:
    event = decode(msg(json.dumps(GOOD).encode(), "staging.llm.requests"), Topics("staging."))
    assert isinstance(event, LLMRequestEvent)


@pytest.mark.parametrize(("value", "error_type"), [
    (None, "empty"),
    (b"", "empty"),
    (b"{not json", "not_json"),
    (b"\xff\xfe", "not_json"),
    (b"[1, 2]", "not_object"),
    (json.dumps({**GOOD, "tenant_id": ""}).encode(), "schema"),
])
def test_bad_input_becomes_an_invalid_message(value: bytes | None, error_type: str) -> None:
    result = decode(msg(value))
    assert isinstance(result, InvalidMessage)
    assert result.error_type == error_type
    assert result.source.partition == 2 and result.source.offset == 41


def test_unknown_topic_is_invalid() -> None:
    result = decode(msg(json.dumps(GOOD).encode(), "other.topic"))
    assert isinstance(result, InvalidMessage) and result.error_type == "unknown_topic"


def test_reason_names_the_field_and_never_echoes_the_payload() -> None:
    ssn = "536-22-8493"
    bad = {**GOOD, "prompt": f"my ssn is {ssn}", "occurred_at": "not a date", "temperature": ssn}
    result = decode(msg(json.dumps(bad).encode()))
    assert isinstance(result, InvalidMessage)
    assert "occurred_at" in result.reason and "temperature" in result.reason
    assert ssn not in result.reason and "not a date" not in result.reason
