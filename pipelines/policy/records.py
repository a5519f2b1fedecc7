"""The guardrail violation record: one finding the policy did not allow, in one event.

It names the rule, the action and the severity, and identifies the text only by its keyed hash
(the same ``text_hash`` as the event's audit row) and the finding's span: the text itself, or
any part of it, is never stored here. ``text_hash`` is checked to have the keyed-hash shape, so
passing the text by mistake fails loudly instead of leaking it.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from pipelines.hashing import HASH_SCHEME
from pipelines.policy.model import Severity, ViolationAction
from schemas.records import TextField

POLICY_VERSION_PATTERN = r"^sha256:[0-9a-f]{16}$"
KEYED_HASH_PATTERN = rf"^{HASH_SCHEME}:[^:]+:[0-9a-f]{{64}}$"


class GuardrailViolation(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    violation_id: str = Field(description="Deterministic: event id, rule, type and span.")
    occurred_at: datetime
    tenant_id: str
    user_id: str
    service: str
    provider: str
    model: str
    request_id: str
    event_id: str
    text_field: TextField = Field(description="prompt or response, as on the audit row.")
    rule_id: str = Field(description="The rule's id, or fallback:<kind> when no rule matched.")
    entity_type: str
    start: int = Field(ge=0, description="Span of the finding in the audited text.")
    end: int = Field(ge=0)
    score: float = Field(ge=0, le=1)
    action: ViolationAction
    severity: Severity
    policy_version: str = Field(pattern=POLICY_VERSION_PATTERN)
    text_hash: str = Field(pattern=KEYED_HASH_PATTERN, description="Keyed hash of the text.")
    detector: str
    detector_version: str
