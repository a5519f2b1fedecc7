"""What flows: the event contracts producers send and the records aitrail stores.

Producers in any language use the JSON Schema files in ``schemas/json/`` (generated from these
models by ``python -m schemas.generate``; a test fails when they are stale).
"""

from schemas.events import (
    AccessEvent,
    ChatMessage,
    LLMRequestEvent,
    LLMResponseEvent,
)
from schemas.records import AuditRow, DeadLetter, Finding

__all__ = [
    "AccessEvent",
    "AuditRow",
    "ChatMessage",
    "DeadLetter",
    "Finding",
    "LLMRequestEvent",
    "LLMResponseEvent",
]
