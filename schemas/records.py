"""Records aitrail writes: findings, audit rows and dead letters.

These never hold raw prompt or response text: only redacted text, keyed hashes, spans, counts.
We own their producer, so they forbid extra fields.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ScanStatus = Literal["scanned", "unscanned"]
# The policy's action (allow < redact < flag < block-recommended), or withhold when detection
# failed and the text was not stored (fail closed).
Action = Literal["allow", "redact", "flag", "block-recommended", "withhold"]
TextField = Literal["prompt", "response"]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Finding(_Record):
    """One detection in one text. Sample-free: the matched value is never kept."""

    entity_type: str = Field(description="Presidio entity name, e.g. US_SSN, EMAIL_ADDRESS.")
    start: int = Field(ge=0, description="Character offset in the audited text.")
    end: int = Field(ge=0, description="End offset, exclusive.")
    score: float = Field(ge=0, le=1)
    detector: str = Field(description="Recognizer that found it.")
    detector_version: str


class AuditRow(_Record):
    """One LLM event (request or response) as stored in ``audit_log``."""

    event_id: str = Field(description="Deterministic: the same event always gets the same id.")
    event_type: Literal["llm.request", "llm.response"]
    request_id: str
    tenant_id: str
    user_id: str
    service: str
    provider: str
    model: str
    model_version: str
    environment: str
    trace_id: str
    occurred_at: datetime
    ingested_at: datetime
    text_field: TextField
    text_hash: str = Field(description="hmac-sha256:<key id>:<hex> of the audited text.")
    text_chars: int
    text_redacted: str = Field(description="Redacted text; empty when withheld or not kept.")
    scan_status: ScanStatus
    action: Action
    finding_types: list[str]
    finding_count: int
    engine_version: str
    policy_version: str = Field(description="Content hash of the policy that decided.")
    severity: str = Field(description="Highest severity among violations; empty when none.")
    temperature: float | None
    max_tokens: int | None
    seed: int | None
    parameter_names: list[str]
    status: str
    prompt_tokens: int | None
    completion_tokens: int | None
    latency_ms: float | None
    source_topic: str
    source_partition: int
    source_offset: int


class StoredFinding(_Record):
    """A finding joined to its event, as stored in ``findings``."""

    event_id: str
    request_id: str
    tenant_id: str
    service: str
    provider: str
    model: str
    occurred_at: datetime
    text_field: TextField
    finding: Finding
    action: Action
    rule_id: str
    severity: str
    policy_version: str


class AccessRow(_Record):
    """One access event as stored in ``access_log``."""

    event_id: str
    tenant_id: str
    user_id: str
    action: str
    occurred_at: datetime
    ingested_at: datetime
    actor_id: str
    role: str
    system: str
    source_ip: str
    reason: str
    source_topic: str
    source_partition: int
    source_offset: int


class DeadLetter(_Record):
    """A message that could not be processed. It carries no payload: the original stays at
    ``source_topic``/``source_partition``/``source_offset`` for replay, and ``payload_hash``
    proves which bytes were rejected without copying possible PII."""

    dead_letter_id: str
    source_topic: str
    source_partition: int
    source_offset: int
    reason: str
    error_type: str
    payload_hash: str
    payload_bytes: int
    received_at: datetime
