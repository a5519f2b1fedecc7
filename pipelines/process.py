"""Turn a validated event and its scan result into the rows that get stored.

Pure functions: no I/O, no clock but the one passed in. The event id is derived from what
identifies the event (tenant, request id, event type), so a redelivered message produces the
same row and ReplacingMergeTree keeps one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from pipelines.decode import InvalidMessage, SourceMessage
from pipelines.detection.base import ScanResult
from pipelines.hashing import KeyedHasher
from pipelines.ids import stable_id
from pipelines.policy.evaluate import (
    Decision,
    evaluate,
    highest_severity,
    overall_action,
    violation_records,
)
from pipelines.policy.model import Policy
from pipelines.policy.records import GuardrailViolation
from schemas.events import AccessEvent, LLMRequestEvent, LLMResponseEvent, utc
from schemas.records import AccessRow, Action, AuditRow, DeadLetter, StoredFinding, TextField

UNSCANNED_ENGINE = "unscanned"


@dataclass(frozen=True)
class AuditRecord:
    row: AuditRow
    findings: tuple[StoredFinding, ...]
    violations: tuple[GuardrailViolation, ...]


def audit_record(
    event: LLMRequestEvent | LLMResponseEvent,
    text: str,
    scan: ScanResult | None,
    *,
    hasher: KeyedHasher,
    source: SourceMessage,
    engine_version: str,
    store_redacted_text: bool,
    now: datetime,
    policy: Policy,
) -> AuditRecord:
    """``scan`` is None when detection failed: the row is kept (nothing lost) but marked
    unscanned and its text withheld (fail closed).

    PII and secrets are masked in the stored text whatever the policy says; the policy decides
    the action, the severity and which findings are guardrail violations."""
    event_id = stable_id(event.tenant_id, event.request_id, event.event_type)
    is_request = isinstance(event, LLMRequestEvent)
    field: TextField = "prompt" if is_request else "response"
    action: Action
    decisions: list[Decision] = []
    if scan is None:
        action, redacted, finding_types = "withhold", "", []
    else:
        decisions = evaluate(policy, scan.findings, field=field, tenant_id=event.tenant_id,
                             service=event.service)
        action = overall_action(decisions)
        redacted = scan.redacted if store_redacted_text else ""
        finding_types = scan.finding_types
    text_hash = hasher.text(text)
    row = AuditRow(
        event_id=event_id,
        event_type=event.event_type,
        request_id=event.request_id,
        tenant_id=event.tenant_id,
        user_id=event.user_id,
        service=event.service,
        provider=event.provider,
        model=event.model,
        model_version=event.model_version or "",
        environment=event.environment or "",
        trace_id=event.trace_id or "",
        occurred_at=utc(event.occurred_at),
        ingested_at=now,
        text_field=field,
        text_hash=text_hash,
        text_chars=len(text),
        text_redacted=redacted,
        scan_status="unscanned" if scan is None else "scanned",
        action=action,
        finding_types=finding_types,
        finding_count=0 if scan is None else len(scan.findings),
        engine_version=UNSCANNED_ENGINE if scan is None else engine_version,
        policy_version=policy.content_version,
        severity=highest_severity(decisions) or "",
        temperature=event.temperature if isinstance(event, LLMRequestEvent) else None,
        max_tokens=event.max_tokens if isinstance(event, LLMRequestEvent) else None,
        seed=event.seed if isinstance(event, LLMRequestEvent) else None,
        parameter_names=(
            sorted(event.parameters or {}) if isinstance(event, LLMRequestEvent) else []
        ),
        status=event.status if isinstance(event, LLMResponseEvent) else "",
        prompt_tokens=event.prompt_tokens if isinstance(event, LLMResponseEvent) else None,
        completion_tokens=(
            event.completion_tokens if isinstance(event, LLMResponseEvent) else None
        ),
        latency_ms=event.latency_ms if isinstance(event, LLMResponseEvent) else None,
        source_topic=source.topic,
        source_partition=source.partition,
        source_offset=source.offset,
    )
    findings = tuple(
        StoredFinding(
            event_id=event_id,
            request_id=event.request_id,
            tenant_id=event.tenant_id,
            service=event.service,
            provider=event.provider,
            model=event.model,
            occurred_at=row.occurred_at,
            text_field=row.text_field,
            finding=d.finding,
            action=d.action,
            rule_id=d.rule_id,
            severity=d.severity,
            policy_version=d.policy_version,
        )
        for d in decisions
    )
    violations = violation_records(decisions, event=event, event_id=event_id,
                                   text_hash=text_hash)
    return AuditRecord(row, findings, tuple(violations))


def access_row(event: AccessEvent, *, source: SourceMessage, now: datetime) -> AccessRow:
    return AccessRow(
        event_id=stable_id(event.tenant_id, event.event_id),
        tenant_id=event.tenant_id,
        user_id=event.user_id,
        action=event.action,
        occurred_at=utc(event.occurred_at),
        ingested_at=now,
        actor_id=event.actor_id or "",
        role=event.role or "",
        system=event.system or "",
        source_ip=event.source_ip or "",
        reason=event.reason or "",
        source_topic=source.topic,
        source_partition=source.partition,
        source_offset=source.offset,
    )


def dead_letter(invalid: InvalidMessage, *, hasher: KeyedHasher, now: datetime) -> DeadLetter:
    src = invalid.source
    payload = src.value or b""
    return DeadLetter(
        dead_letter_id=stable_id(src.topic, str(src.partition), str(src.offset)),
        source_topic=src.topic,
        source_partition=src.partition,
        source_offset=src.offset,
        reason=invalid.reason,
        error_type=invalid.error_type,
        payload_hash=hasher.digest(payload),
        payload_bytes=len(payload),
        received_at=now,
    )


def utcnow() -> datetime:
    return datetime.now(UTC)
