"""Findings of one text → a decision per finding → violation records.

Pure functions of their arguments (no clock, no I/O, no globals), so the worker's process pool,
``aitrail scan`` and the tests get the same answers. The precedence is documented in
``pipelines.policy.model``: most specific scope first, first matching rule within a scope,
then the fallback for the finding's kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipelines.ids import stable_id
from pipelines.policy.model import (
    ACTION_ORDER,
    FALLBACK_SCOPE,
    SEVERITY_ORDER,
    Policy,
    PolicyAction,
    ScopedRule,
    Severity,
)
from pipelines.policy.records import GuardrailViolation
from pipelines.policy.types import kind_of
from schemas.events import LLMRequestEvent, LLMResponseEvent, utc
from schemas.records import Finding, TextField


@dataclass(frozen=True)
class Decision:
    """What the policy does with one finding, and which rule (in which scope) said so."""

    finding: Finding
    field: TextField
    rule_id: str
    scope: str
    action: PolicyAction
    severity: Severity
    policy_version: str

    @property
    def is_violation(self) -> bool:
        return self.action != "allow"


def evaluate(
    policy: Policy,
    findings: Sequence[Finding],
    *,
    field: TextField,
    tenant_id: str,
    service: str,
) -> list[Decision]:
    """One decision per finding, in the order of ``findings``."""
    rules = policy.rules_for(tenant_id, service)
    return [_decide(policy, rules, finding, field) for finding in findings]


def _decide(
    policy: Policy, rules: Sequence[ScopedRule], finding: Finding, field: TextField
) -> Decision:
    for scoped in rules:
        rule = scoped.rule
        if rule.match.accepts(finding, field):
            return Decision(
                finding,
                field,
                rule.id,
                scoped.scope,
                rule.action,
                rule.severity,
                policy.content_version,
            )
    outcome = policy.fallback_for(finding.entity_type)
    rule_id = f"{FALLBACK_SCOPE}:{kind_of(finding.entity_type)}"
    return Decision(
        finding,
        field,
        rule_id,
        FALLBACK_SCOPE,
        outcome.action,
        outcome.severity,
        policy.content_version,
    )


def overall_action(decisions: Iterable[Decision]) -> PolicyAction:
    """The most severe action (allow < redact < flag < block-recommended); allow when none."""
    return max((d.action for d in decisions), key=ACTION_ORDER.index, default="allow")


def highest_severity(decisions: Iterable[Decision]) -> Severity | None:
    """The highest severity among violations (allowed findings do not count), or None."""
    found = [d.severity for d in decisions if d.is_violation]
    return max(found, key=SEVERITY_ORDER.index) if found else None


def violation_records(
    decisions: Iterable[Decision],
    *,
    event: LLMRequestEvent | LLMResponseEvent,
    event_id: str,
    text_hash: str,
) -> list[GuardrailViolation]:
    """A ``GuardrailViolation`` for every decision whose action is not ``allow``.

    ``text_hash`` is the keyed hash of the audited text (``KeyedHasher.text``), the same value
    as on the event's audit row; the text itself is never passed in.
    """
    field: TextField = "prompt" if isinstance(event, LLMRequestEvent) else "response"
    records = []
    for d in decisions:
        if d.action == "allow":
            continue
        if d.field != field:
            raise ValueError(
                f"decision for the {d.field} passed with an {event.event_type} event; "
                "evaluate the findings of each event with its own field"
            )
        f = d.finding
        records.append(
            GuardrailViolation(
                violation_id=violation_id(event_id, d.rule_id, f),
                occurred_at=utc(event.occurred_at),
                tenant_id=event.tenant_id,
                user_id=event.user_id,
                service=event.service,
                provider=event.provider,
                model=event.model,
                request_id=event.request_id,
                event_id=event_id,
                text_field=field,
                rule_id=d.rule_id,
                entity_type=f.entity_type,
                start=f.start,
                end=f.end,
                score=f.score,
                action=d.action,
                severity=d.severity,
                policy_version=d.policy_version,
                text_hash=text_hash,
                detector=f.detector,
                detector_version=f.detector_version,
            )
        )
    return records


def violation_id(event_id: str, rule_id: str, finding: Finding) -> str:
    """Deterministic, so a redelivered event replaces its violations instead of doubling them.

    The type is part of the id: two detectors can report different types on the same span.
    """
    return stable_id(event_id, rule_id, finding.entity_type, str(finding.start),
                     str(finding.end))


def shadowed_rules(policy: Policy) -> list[tuple[ScopedRule, ScopedRule]]:
    """(rule, earlier rule of the same scope that accepts everything it would): dead rules.

    First match wins inside a scope, so such a rule never decides anything; usually the two
    were written in the wrong order.
    """
    found = []
    for rules in policy.scopes.values():
        for i, later in enumerate(rules):
            earlier = next((e for e in rules[:i] if e.rule.match.covers(later.rule.match)), None)
            if earlier is not None:
                found.append((later, earlier))
    return found
