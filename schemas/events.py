"""Events that services send to aitrail, version 1.

Tolerant of extra fields (producers are other teams' code: unknown fields are ignored and never
stored), strict about the fields we need. A request and its response share ``request_id``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = 1

Identifier = Annotated[str, Field(min_length=1, max_length=256)]
Name = Annotated[str, Field(min_length=1, max_length=128)]


class _Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=True)

    schema_version: Literal[1] = Field(1, description="Contract version of this event.")


class _LLMEvent(_Event):
    request_id: Identifier = Field(description="Unique per LLM call; joins request and response.")
    tenant_id: Identifier = Field(description="Customer or business unit the call belongs to.")
    user_id: Identifier = Field(description="End user or service account behind the call.")
    service: Name = Field(description="The service that called the model.")
    provider: Name = Field(description="LLM provider, e.g. openai, anthropic, azure-openai.")
    model: Name = Field(description="Model name as sent to the provider.")
    occurred_at: AwareDatetime = Field(description="When the call happened, with a timezone.")
    model_version: Name | None = None
    environment: Name | None = Field(None, description="e.g. production, staging.")
    trace_id: Identifier | None = None


class ChatMessage(BaseModel):
    """One OpenAI-style chat message; only the text content is audited."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    role: Name
    content: str = Field(max_length=1_000_000)


class LLMRequestEvent(_LLMEvent):
    """A prompt sent to a model: either ``prompt`` or ``messages``, never both."""

    event_type: Literal["llm.request"] = "llm.request"
    prompt: str | None = Field(None, max_length=1_000_000)
    messages: list[ChatMessage] | None = Field(None, min_length=1, max_length=10_000)
    temperature: float | None = Field(None, ge=0, le=10)
    top_p: float | None = Field(None, ge=0, le=1)
    max_tokens: int | None = Field(None, ge=0)
    seed: int | None = None
    parameters: dict[str, Any] | None = Field(
        None, description="Other provider parameters; kept out of storage except their names."
    )

    @model_validator(mode="after")
    def _one_prompt(self) -> LLMRequestEvent:
        if (self.prompt is None) == (self.messages is None):
            raise ValueError("send exactly one of 'prompt' (a string) or 'messages' (a list)")
        return self

    def audited_text(self) -> str:
        """The text that is scanned, redacted and hashed.

        Messages are flattened as ``role: content`` lines, so a finding's span and the keyed
        hash both refer to this one string.
        """
        if self.prompt is not None:
            return self.prompt
        assert self.messages is not None
        return "\n".join(f"{m.role}: {m.content}" for m in self.messages)


class LLMResponseEvent(_LLMEvent):
    """A model's answer to the request with the same ``request_id``."""

    event_type: Literal["llm.response"] = "llm.response"
    response: str = Field(max_length=1_000_000)
    status: Literal["ok", "error", "filtered", "timeout"] = "ok"
    prompt_tokens: int | None = Field(None, ge=0)
    completion_tokens: int | None = Field(None, ge=0)
    latency_ms: float | None = Field(None, ge=0)
    finish_reason: Name | None = None

    def audited_text(self) -> str:
        return self.response


AccessAction = Literal[
    "sso_login",
    "login_failed",
    "role_granted",
    "role_revoked",
    "user_provisioned",
    "user_deprovisioned",
]


class AccessEvent(_Event):
    """Who got in, who was refused, who gained or lost a role (SOC 2 CC6)."""

    event_type: Literal["access"] = "access"
    event_id: Identifier = Field(description="Unique id from the identity provider or app.")
    tenant_id: Identifier
    user_id: Identifier = Field(description="The subject: the user who logged in or changed.")
    action: AccessAction
    occurred_at: AwareDatetime
    actor_id: Identifier | None = Field(None, description="Who made the change, if not the user.")
    role: Name | None = Field(None, description="Role granted or revoked.")
    system: Name | None = Field(None, description="The application or IdP, e.g. okta.")
    source_ip: Annotated[str, Field(max_length=64)] | None = None
    reason: Annotated[str, Field(max_length=512)] | None = None


def utc(value: datetime) -> datetime:
    """Normalise a timezone-aware datetime to UTC for storage."""
    from datetime import UTC

    return value.astimezone(UTC)
