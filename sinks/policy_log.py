"""The record of which guardrail policy was in force, and every change to it (CC8.1)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from pipelines.policy.changes import PolicyChange, diff
from pipelines.policy.load import load_string
from pipelines.policy.model import Policy
from sinks.clickhouse import Client


def last_recorded(client: Client, policy_name: str) -> tuple[str, str] | None:
    """(version, policy JSON) of the newest recorded change for this policy name."""
    rows = client.query(
        "SELECT new_version, policy_json FROM policy_changes FINAL "
        "WHERE policy_name = {name:String} ORDER BY changed_at DESC LIMIT 1",
        parameters={"name": policy_name},
    ).result_rows
    return (str(rows[0][0]), str(rows[0][1])) if rows else None


def record_if_changed(client: Client, policy: Policy, *, actor: str) -> PolicyChange | None:
    """Compare with the last recorded version; record a change when it differs."""
    last = last_recorded(client, policy.name)
    if last is not None and last[0] == policy.content_version:
        return None
    old = load_string(last[1], source="policy_changes") if last else None
    change = diff(old, policy, actor=actor, changed_at=datetime.now(UTC))
    policy_json = json.dumps(policy.model_dump(mode="json"), sort_keys=True)
    client.insert(
        "policy_changes",
        [[change.change_id, change.policy_name, change.old_version or "", change.new_version,
          change.changed_at, change.actor, change.summary, list(change.rules_added),
          list(change.rules_removed), list(change.rules_changed), policy_json]],
        column_names=["change_id", "policy_name", "old_version", "new_version", "changed_at",
                      "actor", "summary", "added", "removed", "changed", "policy_json"],
    )
    return change
