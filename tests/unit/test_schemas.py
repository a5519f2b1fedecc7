import json
from pathlib import Path

import jsonschema
import pytest
from pydantic import ValidationError

from schemas import generate
from schemas.events import AccessEvent, LLMRequestEvent, LLMResponseEvent

EXAMPLES = sorted((Path(generate.__file__).parent / "examples").glob("*.json"))
CONTRACT_FILE = {
    "llm.request": "llm.request.v1.json",
    "llm.response": "llm.response.v1.json",
    "access": "access.v1.json",
}
BASE = {
    "request_id": "r1", "tenant_id": "t", "user_id": "u", "service": "s", "provider": "p",
    "model": "m", "occurred_at": "2026-11-30T09:00:00Z",
}


@pytest.mark.parametrize("filename", list(generate.CONTRACTS))
def test_json_schema_files_are_current(filename: str) -> None:
    committed = (generate.OUT / filename).read_text()
    assert committed == generate.render(generate.CONTRACTS[filename], filename), (
        f"schemas/json/{filename} is stale: run `make schemas` and commit the result"
    )


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_validate_against_published_json_schema(path: Path) -> None:
    payload = json.loads(path.read_text())
    schema = json.loads((generate.OUT / CONTRACT_FILE[payload["event_type"]]).read_text())
    jsonschema.validate(payload, schema)


def test_request_needs_exactly_one_of_prompt_or_messages() -> None:
    with pytest.raises(ValidationError, match="exactly one"):
        LLMRequestEvent.model_validate(BASE)
    with pytest.raises(ValidationError, match="exactly one"):
        LLMRequestEvent.model_validate(
            {**BASE, "prompt": "hi", "messages": [{"role": "user", "content": "hi"}]})


def test_timestamps_must_carry_a_timezone() -> None:
    with pytest.raises(ValidationError, match="timezone"):
        LLMResponseEvent.model_validate({**BASE, "occurred_at": "2026-11-30T09:00:00",
                                         "response": "ok"})


def test_unknown_fields_from_producers_are_ignored() -> None:
    event = LLMResponseEvent.model_validate({**BASE, "response": "ok", "x_custom": 1})
    assert "x_custom" not in event.model_dump()


def test_messages_are_audited_as_role_prefixed_lines() -> None:
    event = LLMRequestEvent.model_validate({**BASE, "messages": [
        {"role": "system", "content": "be brief"}, {"role": "user", "content": "hello"}]})
    assert event.audited_text() == "system: be brief\nuser: hello"


def test_access_action_is_a_closed_vocabulary() -> None:
    with pytest.raises(ValidationError):
        AccessEvent.model_validate({"event_id": "e", "tenant_id": "t", "user_id": "u",
                                    "action": "logged_in", "occurred_at": "2026-11-30T09:00:00Z"})
