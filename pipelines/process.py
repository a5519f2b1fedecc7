"""Turn a validated event and its scan result into the rows that get stored.

Pure functions: no I/O, no clock but the one passed in. The event id is derived from what
identifies the event (tenant, request id, event type), so a redelivered message produces the
same row and ReplacingMergeTree keeps one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from pipelines.decode import InvalidMessage, SourceMessage
from pipelines.detection.base import ScanResult
from pipelines.hashing import KeyedHasher
from schemas.events import AccessEvent, LLMRequestEvent, LLMResponseEvent, utc
from schemas.records import AccessRow, Action, AuditRow, DeadLetter, StoredFinding

UNSCANNED_ENGINE = "unscanned"


@dataclass(frozen=True)
class AuditRecord:
    row: AuditRow
    findings: tuple[StoredFinding, ...]


def stable_id(*parts: str) -> str:
    """A short deterministic id; the NUL separator keeps ("a","bc") apart from ("ab","c")."""
    return hashlib.blake2b("\x00".join(parts).encode(), digest_size=16).hexdigest()


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
) -> AuditRecord:
    """``scan`` is None when detection failed: the row is kept (nothing lost) but marked
    unscanned and its text withheld (fail closed)."""
    event_id = stable_id(event.tenant_id, event.request_id, event.event_type)
    is_request = isinstance(event, LLMRequestEvent)
    action: Action
    if scan is None:
        action, redacted, finding_types = "withhold", "", []
    else:
        action = "redact" if scan.findings else "allow"
        redacted = scan.redacted if store_redacted_text else ""
        finding_types = scan.finding_types
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
        text_field="prompt" if is_request else "response",
        text_hash=hasher.text(text),
        text_chars=len(text),
        text_redacted=redacted,
        scan_status="unscanned" if scan is None else "scanned",
        action=action,
        finding_types=finding_types,
        finding_count=0 if scan is None else len(scan.findings),
        engine_version=UNSCANNED_ENGINE if scan is None else engine_version,
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
            finding=f,
            action=action,
        )
        for f in (scan.findings if scan else ())
    )
    return AuditRecord(row, findings)


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
