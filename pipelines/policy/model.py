"""The policy document: which findings are acceptable, and what happens to the others.

Layout. Scopes nest: ``defaults`` for everyone, ``tenants.<id>.rules`` for one tenant, and
``tenants.<id>.services.<name>.rules`` for one service of that tenant. We chose this nesting over
a flat list of ``overrides: [{match: {tenant, service}, rules}]`` because the nesting makes the
precedence visible in the document's shape: each scope appears exactly once (YAML mapping keys,
duplicates rejected by the loader), its depth is its specificity, and there is no question of
which of two overlapping overrides wins or whether a service-only override outranks a tenant.

Precedence. For a finding in a field of an event from tenant T and service S, the candidate
rules are, in this order: the rules of T/S, then the rules of T, then ``defaults``. The first
rule whose ``match`` accepts the finding decides its action and severity, so the most specific
scope wins and, inside a scope, the first matching rule wins (put exceptions before general
rules). A finding no rule matches gets the ``fallback`` for its kind (pii, secret, moderation).

Actions, from least to most severe: ``allow`` (expected, nothing recorded), ``redact`` (the
span is masked before storage), ``flag`` (masked, and a reviewer should look), and
``block-recommended`` (as flag, and the caller should not show the text: aitrail is out of band,
so it can only recommend). Every non-allow decision becomes a guardrail violation record.

Version. ``Policy.content_version`` hashes the canonical JSON of the validated model, so
comments, key order and formatting do not change it; any change in meaning does.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from pipelines.policy.types import KNOWN_TYPES, WILDCARD, Kind, kind_of, suggest
from schemas.records import Finding, TextField

PolicyAction = Literal["allow", "redact", "flag", "block-recommended"]
ViolationAction = Literal["redact", "flag", "block-recommended"]
Severity = Literal["info", "low", "medium", "high", "critical"]
ACTION_ORDER: tuple[PolicyAction, ...] = ("allow", "redact", "flag", "block-recommended")
SEVERITY_ORDER: tuple[Severity, ...] = ("info", "low", "medium", "high", "critical")
ALL_FIELDS: tuple[TextField, ...] = ("prompt", "response")
DEFAULT_SCOPE = "default"
FALLBACK_SCOPE = "fallback"

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")


def _identifier(value: str) -> str:
    if not _ID.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a valid id: use letters, digits, '.', '_' and '-' (at most 128), "
            "starting with a letter or digit"
        )
    return value


def _known_type(value: str) -> str:
    if value == WILDCARD or value in KNOWN_TYPES:
        return value
    hint = suggest(value)
    did_you_mean = f" (did you mean {hint!r}?)" if hint else ""
    raise ValueError(
        f"unknown type {value!r}{did_you_mean}; use a name from pipelines/policy/types.py "
        f"or '{WILDCARD}' for every type"
    )


Identifier = Annotated[str, AfterValidator(_identifier)]
TypeName = Annotated[str, AfterValidator(_known_type)]
ScopeName = Annotated[str, Field(min_length=1, max_length=256)]


class _Doc(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Match(_Doc):
    """Which findings a rule applies to. All conditions must hold."""

    types: tuple[TypeName, ...] = Field(description="Type names, or '*'.")
    min_score: float = Field(0.0, ge=0, le=1, description="Findings scoring below are skipped.")
    score_below: float | None = Field(
        None, gt=0, le=1,
        description="Only findings scoring under this, e.g. weak pattern matches without a "
                    "context word; omitted: no upper bound.")
    fields: tuple[TextField, ...] = Field(ALL_FIELDS, description="prompt, response or both.")

    @field_validator("types", "fields", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("types")
    @classmethod
    def _wildcard_alone(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError(f"list at least one type, or '{WILDCARD}' for every type")
        if WILDCARD in value and len(set(value)) > 1:
            raise ValueError(f"'{WILDCARD}' already matches every type; remove the other names")
        return tuple(sorted(set(value)))  # order and repeats carry no meaning

    @field_validator("fields")
    @classmethod
    def _normalise_fields(cls, value: tuple[TextField, ...]) -> tuple[TextField, ...]:
        if not value:
            raise ValueError("list 'prompt', 'response' or both (the default when omitted)")
        return tuple(f for f in ALL_FIELDS if f in value)

    @model_validator(mode="after")
    def _score_range_not_empty(self) -> Match:
        if self.score_below is not None and self.score_below <= self.min_score:
            raise ValueError(f"score_below ({self.score_below}) must be above min_score "
                             f"({self.min_score}): no finding could match")
        return self

    def accepts(self, finding: Finding, field: TextField) -> bool:
        return (
            field in self.fields
            and finding.score >= self.min_score
            and (self.score_below is None or finding.score < self.score_below)
            and (self.types == (WILDCARD,) or finding.entity_type in self.types)
        )

    def covers(self, other: Match) -> bool:
        """True when every finding ``other`` accepts is also accepted by this match."""
        types_ok = self.types == (WILDCARD,) or (
            other.types != (WILDCARD,) and set(other.types) <= set(self.types)
        )
        below_ok = self.score_below is None or (
            other.score_below is not None and other.score_below <= self.score_below)
        return (
            types_ok and below_ok and self.min_score <= other.min_score
            and set(other.fields) <= set(self.fields)
        )


class Outcome(_Doc):
    action: PolicyAction
    severity: Severity


class Rule(_Doc):
    id: Identifier = Field(description="Unique in the document; names the rule in violations.")
    description: str = ""
    match: Match
    action: PolicyAction
    severity: Severity


class Fallback(_Doc):
    """What a finding no rule matches gets, by the kind of its type."""

    pii: Outcome = Outcome(action="redact", severity="low")
    secret: Outcome = Outcome(action="redact", severity="high")
    moderation: Outcome = Outcome(action="flag", severity="medium")

    def for_kind(self, kind: Kind) -> Outcome:
        outcome: Outcome = getattr(self, kind)
        return outcome


class ServicePolicy(_Doc):
    rules: tuple[Rule, ...] = ()


class TenantPolicy(_Doc):
    rules: tuple[Rule, ...] = ()
    services: dict[ScopeName, ServicePolicy] = Field(default_factory=dict)


ScopeKey = tuple[str | None, str | None]  # (tenant, service); (None, None) is the defaults


@dataclass(frozen=True)
class ScopedRule:
    """A rule with the scope it came from and its path in the document."""

    tenant: str | None
    service: str | None
    loc: tuple[str | int, ...]
    rule: Rule

    @property
    def key(self) -> ScopeKey:
        return self.tenant, self.service

    @property
    def scope(self) -> str:
        return scope_label(self.tenant, self.service)


class Policy(_Doc):
    version: Literal[1] = Field(description="Policy format version (not the content version).")
    name: Identifier
    description: str = ""
    fallback: Fallback = Fallback()
    defaults: tuple[Rule, ...] = ()
    tenants: dict[ScopeName, TenantPolicy] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _unique_rule_ids(self) -> Policy:
        seen: dict[str, tuple[str | int, ...]] = {}
        for scoped in self.all_rules():
            first = seen.setdefault(scoped.rule.id, scoped.loc)
            if first != scoped.loc:
                raise PydanticCustomError(
                    "duplicate_rule_id",
                    "rule id '{id}' is already used at {first}; give each rule its own id "
                    "(violations name the rule by id)",
                    {"id": scoped.rule.id, "first": dotted(first), "loc": (*scoped.loc, "id")},
                )
        return self

    def all_rules(self) -> Iterator[ScopedRule]:
        """Every rule of the document, in document order."""
        for i, rule in enumerate(self.defaults):
            yield ScopedRule(None, None, ("defaults", i), rule)
        for tenant_id, tenant in self.tenants.items():
            for i, rule in enumerate(tenant.rules):
                yield ScopedRule(tenant_id, None, ("tenants", tenant_id, "rules", i), rule)
            for service, svc in tenant.services.items():
                for i, rule in enumerate(svc.rules):
                    loc = ("tenants", tenant_id, "services", service, "rules", i)
                    yield ScopedRule(tenant_id, service, loc, rule)

    @cached_property
    def scopes(self) -> dict[ScopeKey, tuple[ScopedRule, ...]]:
        """Rules grouped by scope, each group in document order (built once, then reused)."""
        grouped: dict[ScopeKey, list[ScopedRule]] = {}
        for scoped in self.all_rules():
            grouped.setdefault(scoped.key, []).append(scoped)
        return {key: tuple(rules) for key, rules in grouped.items()}

    def rules_for(self, tenant_id: str, service: str) -> tuple[ScopedRule, ...]:
        """The candidate rules for one tenant and service, most specific scope first."""
        order: tuple[ScopeKey, ...] = ((tenant_id, service), (tenant_id, None), (None, None))
        return tuple(r for key in order for r in self.scopes.get(key, ()))

    def canonical_json(self) -> str:
        return json.dumps(
            self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )

    @cached_property
    def content_version(self) -> str:
        """``sha256:`` + 16 hex digits; recorded on every audit row and violation."""
        digest = hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()
        return f"sha256:{digest[:16]}"

    def fallback_for(self, entity_type: str) -> Outcome:
        return self.fallback.for_kind(kind_of(entity_type))


def scope_label(tenant: str | None, service: str | None) -> str:
    """``default``, ``tenant:acme`` or ``tenant:acme/service:bot``: for people, not for lookups."""
    if tenant is None:
        return DEFAULT_SCOPE
    return f"tenant:{tenant}" if service is None else f"tenant:{tenant}/service:{service}"


def dotted(loc: tuple[str | int, ...]) -> str:
    """``('defaults', 0, 'action')`` → ``defaults[0].action``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"
