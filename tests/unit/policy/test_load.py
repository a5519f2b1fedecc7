import pickle
from pathlib import Path

import pytest

from pipelines.policy.errors import PolicyError
from pipelines.policy.load import load_default, load_path, load_string, policy_version
from tests.unit.policy.samples import POLICY_YAML

BAD_ACTION_ON_LINE_7 = """\
version: 1
name: broken
# a comment, so the line count is not trivially the rule's position
defaults:
  - id: ssn
    match: {types: [US_SSN]}
    action: obliterate
    severity: high
"""


def problems(text: str) -> list[str]:
    with pytest.raises(PolicyError) as info:
        load_string(text, source="p.yaml")
    return [str(p) for p in info.value.problems]


def test_bad_action_error_points_at_line_7(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BAD_ACTION_ON_LINE_7)
    with pytest.raises(PolicyError) as info:
        load_path(path)
    [problem] = info.value.problems
    assert (problem.line, problem.column) == (7, 13)
    assert problem.path == "defaults[0].action"
    message = str(info.value)
    assert f"{path}:7:13: defaults[0].action: 'obliterate' is not a valid action" in message
    assert "'allow', 'redact', 'flag' or 'block-recommended'" in message


def test_unknown_type_suggests_the_closest_name() -> None:
    text = POLICY_YAML.replace(
        "types: [US_SSN]}\n    action: redact", "types: [US_SNN]}\n    action: redact"
    )
    [problem] = problems(text)
    assert problem.startswith("p.yaml:14:21: defaults[2].match.types[0]: unknown type 'US_SNN'")
    assert "did you mean 'US_SSN'?" in problem


def test_every_problem_is_reported_with_its_own_line() -> None:
    text = """\
version: 1
name: many
defaults:
  - id: a
    match: {types: [EMAIL], min_score: 1.5}
    action: redact
    severty: high
  - id: a
    match: {types: [US_SSN, "*"]}
    action: flag
    severity: high
"""
    found = problems(text)
    assert found[0].startswith("p.yaml:4:5: defaults[0]: missing required key 'severity'")
    assert "p.yaml:5:21: defaults[0].match.types[0]: unknown type 'EMAIL'" in found[1]
    assert "did you mean 'EMAIL_ADDRESS'?" in found[1]
    assert found[2].startswith("p.yaml:5:40: defaults[0].match.min_score:")
    assert found[3].startswith("p.yaml:7:5: defaults[0].severty: unknown key 'severty'")
    assert "did you mean 'severity'?" in found[3]
    assert found[4].startswith("p.yaml:9:13: defaults[1].match.types:")
    assert "'*' already matches every type" in found[4]
    assert len(found) == 5


def test_duplicate_rule_ids_point_at_the_second_one() -> None:
    rule = "  - {id: same, match: {types: '*'}, action: redact, severity: low}\n"
    [problem] = problems("version: 1\nname: dup\ndefaults:\n" + rule + rule)
    assert problem.startswith("p.yaml:5:10: defaults[1].id: rule id 'same' is already used at")


def test_duplicate_yaml_keys_are_errors_not_silently_dropped() -> None:
    text = """\
version: 1
name: dup-keys
tenants:
  acme:
    rules: []
  acme:
    rules: []
"""
    [problem] = problems(text)
    assert problem.startswith("p.yaml:6:3: tenants.acme: duplicate key 'acme' (first on line 4)")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "p.yaml:1:1: the file is empty"),
        ("version: 1\nname: [unclosed\n", "p.yaml:3:1: not valid YAML"),
        ("- just\n- a list\n", "p.yaml:1:1: (document): expected a mapping"),
        ("version: 2\nname: x\n", "p.yaml:1:10: version: 2 is not a valid version; use 1"),
        ("version: 1\n", "p.yaml:1:1: (document): missing required key 'name'"),
        ("version: 1\nname: x\ntenants:\n  123: {}\n", "p.yaml:4:3: tenants[123]: expected text"),
        ("version: 1\nname: has space\n", "p.yaml:2:7: name: 'has space' is not a valid id"),
    ],
)
def test_document_level_problems(text: str, expected: str) -> None:
    assert problems(text)[0].startswith(expected)


def test_unreadable_file_is_a_policy_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="cannot read the file"):
        load_path(tmp_path / "missing.yaml")


def test_policy_error_survives_pickling() -> None:
    with pytest.raises(PolicyError) as info:
        load_string(BAD_ACTION_ON_LINE_7)
    clone = pickle.loads(pickle.dumps(info.value))  # noqa: S301 (our own bytes)
    assert str(clone) == str(info.value) and clone.problems == info.value.problems


REFORMATTED = """\
# Same meaning, different text: flow vs block style, comments, key order, quoting, list order,
# and defaults written out.
name: "test-policy"
version: 1
description: Every scope, a threshold, a field filter and a wildcard.
tenants:
  acme:
    services:
      payments:
        rules:
          - {id: acme-payments-ssn, match: {types: [US_SSN]}, action: block-recommended,
             severity: critical}
    rules:
      - id: acme-ssn
        severity: critical
        action: flag
        match:
          types:
            - US_SSN
defaults:
  - id: email-in-prompt-allowed
    match: {types: EMAIL_ADDRESS, fields: prompt, min_score: 0}
    action: allow
    severity: info
  - {id: email, match: {types: [EMAIL_ADDRESS, EMAIL_ADDRESS]}, action: redact, severity: low}
  - {id: ssn, match: {types: [US_SSN], fields: [response, prompt]}, action: redact, severity: high}
  - id: injection-confident
    match: {types: [PROMPT_INJECTION], min_score: 0.80}
    action: flag
    severity: high
  - id: anything-in-response
    match: {types: ["*"], fields: [response]}
    action: flag
    severity: medium
fallback: {pii: {action: redact, severity: low}}
"""


def test_version_is_stable_under_reformatting() -> None:
    original = load_string(POLICY_YAML)
    reformatted = load_string(REFORMATTED)
    assert reformatted == original
    assert policy_version(reformatted) == policy_version(original)
    assert policy_version(original).startswith("sha256:") and len(policy_version(original)) == 23


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    severity: low\n", "    severity: medium\n"),  # an outcome
        ("min_score: 0.8}", "min_score: 0.7}"),  # a threshold
        ("fields: [prompt]}", "fields: [prompt, response]}"),  # a field filter
        ("types: [US_SSN]}\n    action: redact", "types: [US_SSN, US_ITIN]}\n    action: redact"),
        ("name: test-policy", "name: test-policy-2"),
    ],
)
def test_version_changes_with_meaning(old: str, new: str) -> None:
    assert old in POLICY_YAML
    edited = POLICY_YAML.replace(old, new, 1)
    assert policy_version(load_string(edited)) != policy_version(load_string(POLICY_YAML))


def test_version_changes_when_rules_are_reordered() -> None:
    first, second = "  - id: email-in-prompt-allowed", "  - id: email\n"
    a = POLICY_YAML.index(first)
    b = POLICY_YAML.index(second)
    c = POLICY_YAML.index("  - id: ssn")
    swapped = POLICY_YAML[:a] + POLICY_YAML[b:c] + POLICY_YAML[a:b] + POLICY_YAML[c:]
    assert load_string(swapped).defaults[0].id == "email"
    assert policy_version(load_string(swapped)) != policy_version(load_string(POLICY_YAML))


def test_default_policy_loads() -> None:
    policy = load_default()
    assert policy.name == "aitrail-default"
    assert len(policy.defaults) >= 10
    assert policy_version(policy) == load_default().content_version
