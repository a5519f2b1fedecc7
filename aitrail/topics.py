"""Every topic aitrail reads or writes, named in one place.

``AITRAIL_TOPIC_PREFIX`` puts a prefix in front of every name (``staging.llm.requests``) so
several environments, or test runs, can share one Kafka cluster.
"""

from __future__ import annotations

from dataclasses import dataclass

LLM_REQUESTS = "llm.requests"
LLM_RESPONSES = "llm.responses"
ACCESS_EVENTS = "access.events"
DEAD_LETTERS = "aitrail.dlq"
VIOLATIONS = "aitrail.violations"
INCIDENTS = "aitrail.incidents"
INCIDENT_COMMANDS = "aitrail.incident-commands"
USER_ACTIVITY = "aitrail.user-activity"
POLICY_CHANGES = "aitrail.policy-changes"

SOURCES: tuple[str, ...] = (LLM_REQUESTS, LLM_RESPONSES, ACCESS_EVENTS)

WEEK_MS = 7 * 24 * 3600 * 1000


@dataclass(frozen=True)
class TopicSpec:
    base: str
    purpose: str
    retention_ms: int


SPECS: tuple[TopicSpec, ...] = (
    TopicSpec(LLM_REQUESTS, "LLM request events from producers", WEEK_MS),
    TopicSpec(LLM_RESPONSES, "LLM response events from producers", WEEK_MS),
    TopicSpec(ACCESS_EVENTS, "SSO, role and provisioning events", WEEK_MS),
    TopicSpec(DEAD_LETTERS, "messages that failed validation, with the reason", 4 * WEEK_MS),
    TopicSpec(VIOLATIONS, "guardrail violations, keyed by tenant/user/rule", 4 * WEEK_MS),
    TopicSpec(INCIDENTS, "incident state changes (opened, escalated, acked, resolved)",
              4 * WEEK_MS),
    TopicSpec(INCIDENT_COMMANDS, "operators' acknowledge/resolve and security signals",
              4 * WEEK_MS),
    TopicSpec(USER_ACTIVITY, "LLM use per user and batch, keyed by tenant/user", WEEK_MS),
    TopicSpec(POLICY_CHANGES, "every new guardrail policy version put in force (CC8.1)",
              -1),
)


@dataclass(frozen=True)
class Topics:
    """Real topic names under a prefix."""

    prefix: str = ""

    def name(self, base: str) -> str:
        return self.prefix + base

    def base(self, topic: str) -> str | None:
        """The base name of a real topic, or None when it is not one of ours."""
        if not topic.startswith(self.prefix):
            return None
        base = topic[len(self.prefix):]
        return base if any(spec.base == base for spec in SPECS) else None

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(self.name(b) for b in SOURCES)

    @property
    def dead_letters(self) -> str:
        return self.name(DEAD_LETTERS)

    @property
    def violations(self) -> str:
        return self.name(VIOLATIONS)

    @property
    def incidents(self) -> str:
        return self.name(INCIDENTS)

    @property
    def incident_commands(self) -> str:
        return self.name(INCIDENT_COMMANDS)

    @property
    def user_activity(self) -> str:
        return self.name(USER_ACTIVITY)

    @property
    def policy_changes(self) -> str:
        return self.name(POLICY_CHANGES)

    @property
    def access_events(self) -> str:
        return self.name(ACCESS_EVENTS)
