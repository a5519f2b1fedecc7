import json
import pickle
from pathlib import Path

import pytest
from pydantic import ValidationError

from pipelines.hashing import KeyedHasher
from pipelines.policy.evaluate import (
    Decision,
    evaluate,
    highest_severity,
    overall_action,
    shadowed_rules,
    violation_records,
)
from pipelines.policy.load import load_default, load_string
from pipelines.policy.model import Policy
from pipelines.policy.records import GuardrailViolation
from schemas.events import LLMRequestEvent, LLMResponseEvent
from schemas.records import TextField
from tests.unit.policy.samples import finding

EXAMPLES = Path(__file__).parents[3] / "schemas" / "examples"
HASHER = KeyedHasher(b"k" * 32, "k1")


def decide(
    policy: Policy,
    entity_type: str,
    *,
    field: TextField = "prompt",
    tenant: str = "globex",
    service: str = "bot",
    score: float = 0.9,
) -> Decision:
    (decision,) = evaluate(
        policy, [finding(entity_type, score)], field=field, tenant_id=tenant, service=service
    )
    return decision


@pytest.mark.parametrize(
    ("tenant", "service", "rule", "action", "scope"),
    [
        (
            "acme",
            "payments",
            "acme-payments-ssn",
            "block-recommended",
            "tenant:acme/service:payments",
        ),
        ("acme", "support", "acme-ssn", "flag", "tenant:acme"),
        ("globex", "payments", "ssn", "redact", "default"),
    ],
)
def test_most_specific_scope_wins(
    policy: Policy, tenant: str, service: str, rule: str, action: str, scope: str
) -> None:
    d = decide(policy, "US_SSN", tenant=tenant, service=service)
    assert (d.rule_id, d.action, d.scope) == (rule, action, scope)


def test_service_name_alone_does_not_select_another_tenants_override(policy: Policy) -> None:
    assert decide(policy, "US_SSN", tenant="globex", service="payments").rule_id == "ssn"


def test_tenant_override_falls_through_to_defaults_for_other_types(policy: Policy) -> None:
    d = decide(policy, "EMAIL_ADDRESS", field="response", tenant="acme", service="payments")
    assert (d.rule_id, d.action) == ("email", "redact")


def test_first_matching_rule_in_a_scope_wins(policy: Policy) -> None:
    assert decide(policy, "EMAIL_ADDRESS", field="prompt").rule_id == "email-in-prompt-allowed"
    # in a response the exception does not match, so the next rule decides
    assert decide(policy, "EMAIL_ADDRESS", field="response").rule_id == "email"


def test_min_score_is_inclusive_and_lower_scores_fall_through(policy: Policy) -> None:
    assert decide(policy, "PROMPT_INJECTION", score=0.8).rule_id == "injection-confident"
    weak = decide(policy, "PROMPT_INJECTION", score=0.79)
    assert (weak.rule_id, weak.action, weak.severity) == ("fallback:moderation", "flag", "medium")


def test_fields_limit_a_rule_to_prompt_or_response(policy: Policy) -> None:
    assert decide(policy, "IP_ADDRESS", field="response").rule_id == "anything-in-response"
    assert decide(policy, "IP_ADDRESS", field="prompt").rule_id == "fallback:pii"


def test_wildcard_matches_any_type_even_unknown_ones(policy: Policy) -> None:
    for entity_type in ("CREDIT_CARD", "AWS_ACCESS_KEY", "SOME_FUTURE_TYPE"):
        assert decide(policy, entity_type, field="response").rule_id == "anything-in-response"


@pytest.mark.parametrize(
    ("entity_type", "rule", "action", "severity"),
    [
        ("PERSON", "fallback:pii", "redact", "low"),
        ("GITHUB_TOKEN", "fallback:secret", "redact", "high"),
        ("HATE", "fallback:moderation", "flag", "medium"),
        ("SOME_FUTURE_TYPE", "fallback:pii", "redact", "low"),  # unknown types fail closed
    ],
)
def test_fallback_by_kind_when_no_rule_matches(
    policy: Policy, entity_type: str, rule: str, action: str, severity: str
) -> None:
    d = decide(policy, entity_type, field="prompt")
    assert (d.rule_id, d.scope, d.action, d.severity) == (rule, "fallback", action, severity)


def test_fallback_can_be_configured() -> None:
    strict = load_string(
        "version: 1\nname: strict\nfallback:\n  pii: {action: block-recommended, severity: high}\n"
    )
    assert decide(strict, "PERSON").action == "block-recommended"
    assert decide(strict, "HATE").action == "flag"  # other kinds keep their defaults


def test_every_decision_carries_the_policy_version(policy: Policy) -> None:
    assert decide(policy, "US_SSN").policy_version == policy.content_version


def test_overall_action_orders_allow_redact_flag_block(policy: Policy) -> None:
    def d(action: str) -> Decision:
        return Decision(finding("X"), "prompt", "r", "default", action, "low", "v")  # type: ignore[arg-type]

    assert overall_action([]) == "allow"
    assert overall_action([d("allow"), d("redact")]) == "redact"
    assert overall_action([d("flag"), d("redact"), d("allow")]) == "flag"
    assert overall_action([d("redact"), d("block-recommended"), d("flag")]) == "block-recommended"
    assert highest_severity([d("allow")]) is None


def test_default_policy_blocks_an_ssn_in_a_response() -> None:
    d = decide(load_default(), "US_SSN", field="response", tenant="any", service="any")
    assert (d.rule_id, d.action, d.severity) == (
        "response-leaks-ssn-or-card",
        "block-recommended",
        "critical",
    )


@pytest.mark.parametrize(
    ("entity_type", "field", "score", "action", "severity"),
    [
        ("US_SSN", "prompt", 0.85, "redact", "high"),
        ("CREDIT_CARD", "response", 1.0, "block-recommended", "critical"),
        ("IBAN_CODE", "prompt", 1.0, "redact", "high"),
        ("AWS_SECRET_KEY", "prompt", 0.9, "redact", "critical"),
        ("PRIVATE_KEY", "response", 0.9, "redact", "critical"),
        ("EMAIL_ADDRESS", "prompt", 1.0, "redact", "low"),
        ("PHONE_NUMBER", "prompt", 0.4, "redact", "medium"),
        ("IP_ADDRESS", "response", 0.9, "redact", "low"),
        ("PROMPT_INJECTION", "prompt", 0.9, "flag", "high"),
        ("JAILBREAK", "response", 0.9, "flag", "critical"),
        ("SELF_HARM", "prompt", 0.4, "flag", "high"),
        ("TOXICITY", "response", 0.7, "flag", "medium"),
        ("TOXICITY", "response", 0.2, "allow", "info"),
        ("PERSON", "prompt", 0.9, "redact", "low"),
        # weak pattern matches (no context word) are recorded and masked, never violations
        ("US_SSN", "prompt", 0.05, "allow", "info"),
        ("US_SSN", "response", 0.05, "allow", "info"),
        ("US_DRIVER_LICENSE", "prompt", 0.3, "allow", "info"),
        ("US_BANK_NUMBER", "prompt", 0.4, "redact", "high"),
        ("US_SSN", "response", 0.4, "block-recommended", "critical"),
    ],
)
def test_default_policy_decisions(
    entity_type: str, field: TextField, score: float, action: str, severity: str
) -> None:
    d = decide(load_default(), entity_type, field=field, score=score)
    assert (d.action, d.severity) == (action, severity)


def test_score_below_is_exclusive_and_higher_scores_fall_through() -> None:
    policy = load_string("""\
version: 1
name: t
defaults:
  - id: weak
    match: {types: [US_SSN], score_below: 0.4}
    action: allow
    severity: info
  - id: ssn
    match: {types: [US_SSN]}
    action: redact
    severity: high
""")
    assert decide(policy, "US_SSN", score=0.39).rule_id == "weak"
    assert decide(policy, "US_SSN", score=0.4).rule_id == "ssn"
    assert shadowed_rules(policy) == []


def test_default_policy_has_no_dead_rules() -> None:
    assert shadowed_rules(load_default()) == []


def test_shadowed_rule_is_reported() -> None:
    text = """\
version: 1
name: shadow
defaults:
  - {id: all-pii, match: {types: "*"}, action: redact, severity: low}
  - {id: ssn, match: {types: [US_SSN], fields: [response]}, action: flag, severity: high}
"""
    [(later, earlier)] = shadowed_rules(load_string(text))
    assert (later.rule.id, earlier.rule.id) == ("ssn", "all-pii")


def response_event() -> LLMResponseEvent:
    return LLMResponseEvent.model_validate_json((EXAMPLES / "llm_response.json").read_text())


def test_violation_records_hold_no_text_and_skip_allowed_findings() -> None:
    event = response_event()
    text = event.audited_text()
    start = text.index("jane.doe@example.com")
    findings = [
        finding("EMAIL_ADDRESS", 1.0, start, start + 20),
        finding("TOXICITY", 0.1, 0, 10),  # allowed by low-confidence-moderation
    ]
    decisions = evaluate(
        load_default(), findings, field="response", tenant_id="acme", service="support-bot"
    )
    records = violation_records(
        decisions, event=event, event_id="ev-1", text_hash=HASHER.text(text)
    )
    [record] = records
    assert (record.rule_id, record.action, record.severity) == ("email-and-ip", "redact", "low")
    assert (record.tenant_id, record.user_id, record.model) == ("acme", "u-1042", "gpt-4o")
    assert record.text_field == "response" and record.policy_version.startswith("sha256:")
    dumped = record.model_dump_json()
    assert "jane" not in dumped and "example.com" not in dumped and "refunded" not in dumped
    assert HASHER.verify(text, record.text_hash)
    assert record.occurred_at.utcoffset() is not None


def test_violation_id_is_deterministic_and_distinguishes_spans_and_types() -> None:
    event = response_event()
    findings = [
        finding("US_SSN", start=0, end=5),
        finding("US_SSN", start=6, end=11),
        finding("US_BANK_NUMBER", start=0, end=5),
    ]
    decisions = evaluate(load_default(), findings, field="response", tenant_id="a", service="b")
    first = violation_records(decisions, event=event, event_id="e", text_hash=HASHER.text("x"))
    again = violation_records(decisions, event=event, event_id="e", text_hash=HASHER.text("x"))
    assert [v.violation_id for v in first] == [v.violation_id for v in again]
    assert len({v.violation_id for v in first}) == 3


def test_violation_refuses_raw_text_as_hash() -> None:
    decisions = evaluate(
        load_default(), [finding("US_SSN")], field="response", tenant_id="a", service="b"
    )
    with pytest.raises(ValidationError, match="text_hash"):
        violation_records(
            decisions, event=response_event(), event_id="e", text_hash="SSN 536-22-8493"
        )


def test_violation_refuses_decisions_for_the_other_field() -> None:
    decisions = evaluate(
        load_default(), [finding("US_SSN")], field="prompt", tenant_id="a", service="b"
    )
    with pytest.raises(ValueError, match="own field"):
        violation_records(decisions, event=response_event(), event_id="e", text_hash="h")


def test_violation_record_forbids_a_text_field_and_has_none() -> None:
    assert not {"text", "value", "prompt", "response", "sample"} & set(
        GuardrailViolation.model_fields
    )
    request = LLMRequestEvent.model_validate(
        json.loads((EXAMPLES / "llm_request_prompt.json").read_text())
    )
    decisions = evaluate(
        load_default(), [finding("US_SSN")], field="prompt", tenant_id="a", service="b"
    )
    [record] = violation_records(decisions, event=request, event_id="e", text_hash=HASHER.text("t"))
    with pytest.raises(ValidationError, match="Extra inputs"):
        GuardrailViolation.model_validate({**record.model_dump(), "text": "leak"})


def test_policy_and_decisions_survive_pickling_for_the_process_pool(policy: Policy) -> None:
    clone = pickle.loads(pickle.dumps(policy))  # noqa: S301 (our own bytes)
    assert clone == policy and clone.content_version == policy.content_version
    findings = [finding("US_SSN"), finding("EMAIL_ADDRESS")]
    kwargs = {"field": "response", "tenant_id": "acme", "service": "payments"}
    assert evaluate(clone, findings, **kwargs) == evaluate(policy, findings, **kwargs)  # type: ignore[arg-type]
    decisions = evaluate(policy, findings, field="prompt", tenant_id="a", service="b")
    assert pickle.loads(pickle.dumps(decisions)) == decisions  # noqa: S301
