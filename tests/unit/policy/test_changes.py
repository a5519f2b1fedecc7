from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from pipelines.policy.changes import diff
from pipelines.policy.load import load_default, load_string
from pipelines.policy.model import Policy
from tests.unit.policy.samples import POLICY_YAML

AT = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
NEW_RULE = """\
  - id: iban
    match: {types: [IBAN_CODE]}
    action: redact
    severity: high
tenants:"""


def edited(*replacements: tuple[str, str]) -> Policy:
    text = POLICY_YAML
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    return load_string(text)


def test_diff_detects_added_removed_and_changed_rules(policy: Policy) -> None:
    new = edited(
        ("tenants:", NEW_RULE),  # added
        (
            "  - id: injection-confident\n    match: {types: [PROMPT_INJECTION], min_score: 0.8}\n"
            "    action: flag\n    severity: high\n",
            "",
        ),  # removed
        ("severity: low", "severity: medium"),  # changed outcome of 'email'
    )
    change = diff(policy, new, actor="alice@example.com", changed_at=AT)
    assert change.rules_added == ("iban",)
    assert change.rules_removed == ("injection-confident",)
    assert change.rules_changed == ("email",)
    assert change.order_changed == () and change.settings_changed == ()
    assert (change.old_version, change.new_version) == (policy.content_version, new.content_version)
    assert change.is_change and change.actor == "alice@example.com"
    assert change.summary == "1 added (iban); 1 removed (injection-confident); 1 changed (email)"


def test_diff_sees_a_rule_moved_to_another_scope_as_changed(policy: Policy) -> None:
    moved = edited(
        ("      - id: acme-ssn\n", "      - id: acme-ssn-x\n"),
        ("          - id: acme-payments-ssn", "          - id: acme-ssn"),
    )
    change = diff(policy, moved, actor="bob", changed_at=AT)
    assert change.rules_changed == ("acme-ssn",)
    assert change.rules_added == ("acme-ssn-x",)
    assert change.rules_removed == ("acme-payments-ssn",)


def test_diff_sees_reordering_because_first_match_wins(policy: Policy) -> None:
    a = POLICY_YAML.index("  - id: email\n")
    b = POLICY_YAML.index("  - id: ssn\n")
    c = POLICY_YAML.index("  - id: injection-confident")
    swapped = load_string(POLICY_YAML[:a] + POLICY_YAML[b:c] + POLICY_YAML[a:b] + POLICY_YAML[c:])
    change = diff(policy, swapped, actor="carol", changed_at=AT)
    assert change.order_changed == ("default",)
    assert change.rules_added == change.rules_removed == change.rules_changed == ()
    assert change.is_change


def test_diff_reports_settings_and_fallback(policy: Policy) -> None:
    new = edited(
        ("description: Every scope", "description: Each scope"),
        ("defaults:", "fallback:\n  secret: {action: flag, severity: critical}\ndefaults:"),
    )
    change = diff(policy, new, actor="dave", changed_at=AT)
    assert change.settings_changed == ("description", "fallback.secret")


def test_first_policy_and_no_op_change(policy: Policy) -> None:
    first = diff(None, load_default(), actor="deploy", changed_at=AT)
    assert first.old_version is None and len(first.rules_added) == len(load_default().defaults)
    assert first.summary.startswith("first policy in force")
    same = diff(policy, load_string("# a comment\n" + POLICY_YAML), actor="x", changed_at=AT)
    assert not same.is_change and same.summary == "no change in meaning (same version)"


def test_change_id_is_deterministic_and_time_must_be_aware(policy: Policy) -> None:
    new = edited(("severity: low", "severity: medium"))
    one = diff(policy, new, actor="a", changed_at=AT)
    assert one.change_id == diff(policy, new, actor="a", changed_at=AT).change_id
    assert one.change_id != diff(new, policy, actor="a", changed_at=AT).change_id
    with pytest.raises(ValidationError):
        diff(policy, new, actor="a", changed_at=datetime(2026, 12, 1))  # noqa: DTZ001
    with pytest.raises(ValidationError):
        diff(policy, new, actor="", changed_at=AT)
