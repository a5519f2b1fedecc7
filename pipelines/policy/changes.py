"""Policy changes as records: the evidence of change management (SOC 2 CC8.1).

An auditor asks "who changed the guardrails, when, and what changed?". Every time a worker or
an operator puts a policy with a new content version in force, a ``PolicyChange`` is recorded:
the old and new versions (the same hashes that audit rows and violations carry, so any row can
be tied to the policy text that decided it), the actor, and which rules were added, removed or
changed. Rules are compared by id, which the model keeps unique across the document.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from pipelines.policy.model import Policy, ScopedRule, ScopeKey, scope_label
from pipelines.policy.types import KINDS


class PolicyChange(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    change_id: str = Field(description="Deterministic: name, both versions and time.")
    policy_name: str
    old_version: str | None = Field(description="None when no policy was in force before.")
    new_version: str
    changed_at: AwareDatetime
    actor: str = Field(min_length=1, description="Who put the policy in force.")
    rules_added: tuple[str, ...]
    rules_removed: tuple[str, ...]
    rules_changed: tuple[str, ...] = Field(description="Same id, new match/outcome or scope.")
    order_changed: tuple[str, ...] = Field(
        description="Scopes whose rules kept their ids but not their order (first match wins)."
    )
    settings_changed: tuple[str, ...] = Field(description="e.g. name, description, fallback.")
    summary: str

    @property
    def is_change(self) -> bool:
        return self.old_version != self.new_version


def diff(old: Policy | None, new: Policy, *, actor: str, changed_at: datetime) -> PolicyChange:
    """What changed from ``old`` (None: first policy ever) to ``new``."""
    before = _by_id(old)
    after = _by_id(new)
    added = tuple(i for i in after if i not in before)
    removed = tuple(i for i in before if i not in after)
    changed = tuple(
        i for i in after if i in before and _fingerprint(before[i]) != _fingerprint(after[i])
    )
    reordered = _reordered_scopes(old, new) if old is not None else ()
    settings = _settings_changed(old, new) if old is not None else ()
    old_version = old.content_version if old is not None else None
    parts = [
        _describe("added", added),
        _describe("removed", removed),
        _describe("changed", changed),
        f"order changed in {', '.join(reordered)}" if reordered else "",
        f"{', '.join(settings)} changed" if settings else "",
    ]
    if old is None:
        summary = f"first policy in force: {len(added)} rules"
    elif old_version == new.content_version:
        summary = "no change in meaning (same version)"
    else:
        summary = "; ".join(p for p in parts if p)
    key = "\x00".join([new.name, old_version or "", new.content_version, changed_at.isoformat()])
    return PolicyChange(
        change_id=hashlib.blake2b(key.encode(), digest_size=16).hexdigest(),
        policy_name=new.name,
        old_version=old_version,
        new_version=new.content_version,
        changed_at=changed_at,
        actor=actor,
        rules_added=added,
        rules_removed=removed,
        rules_changed=changed,
        order_changed=reordered,
        settings_changed=settings,
        summary=summary,
    )


def _by_id(policy: Policy | None) -> dict[str, ScopedRule]:
    return {} if policy is None else {r.rule.id: r for r in policy.all_rules()}


def _fingerprint(scoped: ScopedRule) -> tuple[ScopeKey, str]:
    return scoped.key, scoped.rule.model_dump_json()


def _reordered_scopes(old: Policy, new: Policy) -> tuple[str, ...]:
    out = []
    for key, new_rules in new.scopes.items():
        old_ids = [r.rule.id for r in old.scopes.get(key, ())]
        new_ids = [r.rule.id for r in new_rules]
        kept_old = [i for i in old_ids if i in new_ids]
        kept_new = [i for i in new_ids if i in old_ids]
        if kept_old != kept_new:
            out.append(scope_label(*key))
    return tuple(out)


def _settings_changed(old: Policy, new: Policy) -> tuple[str, ...]:
    out = [k for k in ("version", "name", "description") if getattr(old, k) != getattr(new, k)]
    out += [
        f"fallback.{kind}"
        for kind in KINDS
        if old.fallback.for_kind(kind) != new.fallback.for_kind(kind)
    ]
    return tuple(out)


def _describe(verb: str, ids: tuple[str, ...]) -> str:
    return f"{len(ids)} {verb} ({', '.join(ids)})" if ids else ""
