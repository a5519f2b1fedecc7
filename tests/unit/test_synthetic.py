"""The synthetic traffic generator: valid contracts, determinism, and honest planted PII.

The demo and the no-PII-in-storage tests rely on these properties: if a planted value were
invalid (bad Luhn, bad IBAN) the detector would rightly skip it and the tests would prove
nothing; if a value were not really in its text, "never reaches storage" would be vacuous.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import BaseModel

from aitrail.synthetic import (
    PlantedValue,
    SyntheticTraffic,
    generate,
    iban_ok,
    luhn_ok,
    to_jsonl,
)
from schemas.events import AccessEvent, LLMRequestEvent, LLMResponseEvent

CONTRACTS: dict[str, type[BaseModel]] = {
    "llm.request": LLMRequestEvent, "llm.response": LLMResponseEvent, "access": AccessEvent}


@pytest.fixture(scope="module")
def traffic() -> SyntheticTraffic:
    return generate(300)


def _by_type(t: SyntheticTraffic, event_type: str) -> list[dict[str, object]]:
    return [e for e in t.events if e["event_type"] == event_type]


def _texts(t: SyntheticTraffic) -> dict[tuple[str, str], str]:
    """(request_id, field) -> the raw text a planted value must occur in."""
    out: dict[tuple[str, str], str] = {}
    for e in t.events:
        if e["event_type"] == "llm.request":
            if "prompt" in e:
                text = str(e["prompt"])
            else:
                messages = e["messages"]
                assert isinstance(messages, list)
                text = "\n".join(str(m["content"]) for m in messages)
            out[(str(e["request_id"]), "prompt")] = text
        elif e["event_type"] == "llm.response":
            out[(str(e["request_id"]), "response")] = str(e["response"])
    return out


def test_every_event_validates_against_its_contract(traffic: SyntheticTraffic) -> None:
    counts = Counter(e["event_type"] for e in traffic.events)
    assert counts["llm.request"] == counts["llm.response"] == 300
    assert 10 <= counts["access"] <= 20
    for event in traffic.events:
        model = CONTRACTS[str(event["event_type"])].model_validate(event)
        assert model.model_dump()["event_type"] == event["event_type"]
    json.dumps(traffic.events)  # JSON-ready: no datetimes or other objects


def test_same_seed_same_output_other_seed_other_output() -> None:
    a, b, c = generate(120, seed=3), generate(120, seed=3), generate(120, seed=4)
    assert a == b
    assert to_jsonl(a.events) == to_jsonl(b.events)
    assert a.events != c.events
    assert [p.value for p in a.planted] != [p.value for p in c.planted]


def test_global_random_state_is_neither_used_nor_disturbed() -> None:
    import random

    random.seed(1)
    expected = random.random()
    random.seed(1)
    first = generate(50)
    assert random.random() == expected
    random.seed(99)
    assert generate(50) == first


def test_requests_and_responses_pair_up(traffic: SyntheticTraffic) -> None:
    requests = _by_type(traffic, "llm.request")
    ids = [r["request_id"] for r in requests]
    assert len(set(ids)) == len(ids)
    responses = Counter(r["request_id"] for r in _by_type(traffic, "llm.response"))
    assert responses == Counter(ids)  # exactly one response each
    position = {(e["event_type"], e.get("request_id")): i for i, e in enumerate(traffic.events)}
    shared = ("tenant_id", "user_id", "service", "provider", "model")
    by_id = {r["request_id"]: r for r in requests}
    for response in _by_type(traffic, "llm.response"):
        request = by_id[response["request_id"]]
        assert all(request[k] == response[k] for k in shared)
        assert str(response["occurred_at"]) > str(request["occurred_at"])
        assert position[("llm.response", response["request_id"])] > position[
            ("llm.request", response["request_id"])]


def test_events_are_interleaved_and_in_time_order(traffic: SyntheticTraffic) -> None:
    times = [str(e["occurred_at"]) for e in traffic.events]
    assert times == sorted(times)
    assert all(t.endswith("Z") for t in times)
    assert times[0] >= "2026-11-30T09:00:00" and times[-1] < "2026-11-30T14:00:00"
    users = [e["user_id"] for e in traffic.events[:40]]
    assert len(set(users)) > 3
    assert len({e["tenant_id"] for e in traffic.events}) == 3


def test_realistic_variety(traffic: SyntheticTraffic) -> None:
    requests = _by_type(traffic, "llm.request")
    with_prompt = sum("prompt" in r for r in requests)
    assert 0.35 < with_prompt / len(requests) < 0.65
    assert any(r["messages"][0]["role"] == "system" for r in requests  # type: ignore[index]
               if "messages" in r)
    assert len({r["service"] for r in requests}) >= 5
    assert len({(r["provider"], r["model"]) for r in requests}) >= 6
    assert {r.get("environment") for r in requests} == {"production", "staging"}
    for field in ("model_version", "temperature", "max_tokens", "seed", "trace_id"):
        assert 0 < sum(field in r for r in requests) < len(requests), field
    for r in requests:
        text = r["prompt"] if "prompt" in r else r["messages"][-1]["content"]  # type: ignore[index]
        assert 300 <= len(str(text)) <= 1500
    responses = _by_type(traffic, "llm.response")
    statuses = Counter(r["status"] for r in responses)
    assert statuses["ok"] > 0.85 * len(responses) and len(statuses) > 1
    for r in responses:
        assert 200 <= len(str(r["response"])) <= 1500
        assert int(str(r["prompt_tokens"])) > 0 and float(str(r["latency_ms"])) > 0
    actions = {a["action"] for a in _by_type(traffic, "access")}
    assert {"sso_login", "login_failed"} <= actions


def test_each_planted_value_occurs_in_its_text(traffic: SyntheticTraffic) -> None:
    texts = _texts(traffic)
    assert traffic.planted
    for p in traffic.planted:
        assert p.field in ("prompt", "response")
        assert p.value in texts[(p.request_id, p.field)], p
    values = [p.value for p in traffic.planted]
    assert len(set(values)) == len(values)
    # No value shows up in any other request's text, so a storage search is unambiguous.
    owners = {p.value: (p.request_id, p.field) for p in traffic.planted}
    for key, text in texts.items():
        for value, owner in owners.items():
            if owner != key:
                assert value not in text, (value, key)


def test_pii_ratio_is_roughly_respected() -> None:
    for ratio in (0.0, 0.3, 0.8):
        t = generate(400, pii_ratio=ratio, seed=5)
        with_pii = {p.request_id for p in t.planted if p.field == "prompt"}
        assert abs(len(with_pii) / 400 - ratio) < 0.07, ratio
    t = generate(400, pii_ratio=0.5)
    assert any(p.field == "response" for p in t.planted)
    assert {p.request_id for p in t.planted if p.field == "response"} <= {
        p.request_id for p in t.planted if p.field == "prompt"}


def test_all_entity_types_are_planted_and_valid() -> None:
    t = generate(600, seed=2)
    by_type: dict[str, list[PlantedValue]] = {}
    for p in t.planted:
        by_type.setdefault(p.entity_type, []).append(p)
    assert set(by_type) == {"US_SSN", "CREDIT_CARD", "EMAIL_ADDRESS", "PHONE_NUMBER",
                            "IBAN_CODE", "IP_ADDRESS"}
    for p in by_type["US_SSN"]:
        assert re.fullmatch(r"\d{3}-\d{2}-\d{4}", p.value)
        area, group, serial = (int(x) for x in p.value.split("-"))
        assert 1 <= area <= 899 and area != 666
        assert 1 <= group <= 99 and 1 <= serial <= 9999
        assert p.value not in ("078-05-1120", "123-45-6789")
    for p in by_type["CREDIT_CARD"]:
        digits = re.sub(r"[ -]", "", p.value)
        assert digits.isdigit() and luhn_ok(digits)
        assert re.fullmatch(r"4\d{15}|5[1-5]\d{14}|3[47]\d{13}", digits)
        assert re.fullmatch(r"(\d{4}([ -])\d{4}\2\d{4}\2\d{4})|(\d{4}([ -])\d{6}\4\d{5})",
                            p.value)
    for p in by_type["IBAN_CODE"]:
        assert iban_ok(p.value)
        assert re.fullmatch(r"(DE\d{2}( \d{4}){4} \d{2})|(GB\d{2} [A-Z]{4}( \d{4}){3} \d{2})",
                            p.value), p.value
    for p in by_type["EMAIL_ADDRESS"]:
        assert re.fullmatch(r"[a-z]+\.[a-z]+\d*@[a-z-]+\.(com|org|net)", p.value)
    for p in by_type["PHONE_NUMBER"]:
        assert re.fullmatch(r"\(\d{3}\) \d{3}-\d{4}|\d{3}-\d{3}-\d{4}", p.value)
    for p in by_type["IP_ADDRESS"]:
        assert all(0 <= int(o) <= 255 for o in p.value.split(".")) and p.value.count(".") == 3


def test_checksum_helpers_reject_bad_values() -> None:
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert iban_ok("DE89 3704 0044 0532 0130 00") and not iban_ok("DE88 3704 0044 0532 0130 00")
    assert iban_ok("GB82 WEST 1234 5698 7654 32")


def test_malformed_messages() -> None:
    assert generate(0).malformed == [] and generate(0).events == []
    assert len(generate(1).malformed) == 1
    bad = generate(1500).malformed
    assert len(bad) == 3
    kinds = []
    for raw in bad:
        assert isinstance(raw, bytes)
        try:
            obj = json.loads(raw)
        except ValueError:
            kinds.append("truncated" if raw.startswith(b"{") else "not-json")
            continue
        kinds.append("missing-tenant")
        assert "tenant_id" not in obj
        assert re.search(r"\b\d{3}-\d{2}-\d{4}\b", obj["prompt"])
        with pytest.raises(ValueError):
            LLMRequestEvent.model_validate(obj)
    assert sorted(kinds) == ["missing-tenant", "not-json", "truncated"]
    assert b"not json at all" in bad


def test_start_and_shape_arguments() -> None:
    start = datetime(2025, 1, 2, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    t = generate(40, start=start, tenants=5, users_per_tenant=2)
    first = datetime.fromisoformat(str(t.events[0]["occurred_at"]).replace("Z", "+00:00"))
    assert first >= start.astimezone(UTC)
    assert first < start + timedelta(hours=5)
    assert len({e["user_id"] for e in t.events}) <= 10
    with pytest.raises(ValueError):
        generate(10, start=datetime(2025, 1, 1))  # naive on purpose
    with pytest.raises(ValueError):
        generate(10, pii_ratio=1.5)


def test_to_jsonl_round_trips(traffic: SyntheticTraffic) -> None:
    text = to_jsonl(traffic.events[:20])
    lines = text.splitlines()
    assert len(lines) == 20 and text.endswith("\n")
    assert [json.loads(line) for line in lines] == traffic.events[:20]
    assert to_jsonl([]) == ""
