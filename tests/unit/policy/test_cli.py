import json
import re
from pathlib import Path

import pytest

from pipelines.policy.cli import check, explain
from pipelines.policy.errors import ExplainInputError, PolicyError
from pipelines.policy.load import load_default
from tests.unit.policy.samples import POLICY_YAML
from tests.unit.policy.test_load import BAD_ACTION_ON_LINE_7

EXAMPLES = Path(__file__).parents[3] / "schemas" / "examples"
DEFAULT = Path(__file__).parents[3] / "pipelines" / "policy" / "default.yaml"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_check_default_policy() -> None:
    ok, report = check(DEFAULT)
    assert ok
    assert f"version:   {load_default().content_version}" in report
    assert f"rules:     {len(load_default().defaults)} (default " in report
    assert "warnings" not in report


def test_check_reports_rule_counts_per_scope(tmp_path: Path) -> None:
    ok, report = check(write(tmp_path, "p.yaml", POLICY_YAML))
    assert ok
    assert "rules:     7 (default 5, tenant 1, service 1)" in report
    assert "tenants:   acme (services: payments)" in report


def test_check_reports_problems_with_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.yaml", BAD_ACTION_ON_LINE_7)
    ok, report = check(path)
    assert not ok
    assert f"{path}:7:13: defaults[0].action: 'obliterate' is not a valid action" in report
    assert "run the check again" in report


def test_check_missing_file(tmp_path: Path) -> None:
    ok, report = check(tmp_path / "nope.yaml")
    assert not ok and "cannot read the file" in report


def test_check_warns_about_a_rule_that_can_never_match(tmp_path: Path) -> None:
    text = POLICY_YAML.replace(
        "  - id: ssn\n",
        "  - {id: all, match: {types: '*'}, action: redact, severity: low}\n  - id: ssn\n",
    )
    ok, report = check(write(tmp_path, "p.yaml", text))
    assert ok
    assert "warnings: 3" in report  # ssn, injection-confident and anything-in-response
    assert "p.yaml:14:5: defaults[3]: rule 'ssn' is never used: 'all' (defaults[2])" in report


def test_explain_with_given_findings_from_a_file(tmp_path: Path) -> None:
    findings = [
        {"type": "EMAIL_ADDRESS", "start": 57, "end": 77, "score": 1.0},
        {"type": "US_SSN", "start": 0, "end": 11, "score": 0.85},
        {"type": "TOXICITY", "start": 0, "end": 10, "score": 0.1},
    ]
    path = write(tmp_path, "findings.json", json.dumps(findings))
    out = explain(None, EXAMPLES / "llm_response.json", path)
    assert "event:    llm.response req-7f3a9c1e, tenant acme, service support-bot" in out
    lines = out.splitlines()
    row = {line.split()[1]: line.split() for line in lines if line[:1].isdigit()}
    assert row["EMAIL_ADDRESS"][4:] == ["email-and-ip", "default", "redact", "low"]
    assert row["US_SSN"][4:] == [
        "response-leaks-ssn-or-card",
        "default",
        "block-recommended",
        "critical",
    ]
    assert row["TOXICITY"][4:] == ["low-confidence-moderation", "default", "allow", "info"]
    assert "overall action: block-recommended (highest severity: critical)" in out
    assert "violations recorded: 2" in out
    assert "jane.doe" not in out  # spans only, never the text


def test_explain_with_inline_findings_and_a_tenant_override(tmp_path: Path) -> None:
    policy = write(tmp_path, "p.yaml", POLICY_YAML)
    event = json.loads((EXAMPLES / "llm_request_prompt.json").read_text())
    event["service"] = "payments"
    event_path = write(tmp_path, "event.json", json.dumps(event))
    out = explain(policy, event_path, '[{"type": "US_SSN", "start": 0, "end": 8, "score": 0.9}]')
    assert "acme-payments-ssn  tenant:acme/service:payments  block-recommended  critical" in out


def test_explain_without_findings_runs_the_detection_engine() -> None:
    out = explain(None, EXAMPLES / "llm_request_messages.json")
    assert "detected by aitrail-engine" in out
    assert "US_SSN" in out and "government-and-financial-ids" in out
    assert "536-22-8493" not in out


def test_explain_with_no_findings(tmp_path: Path) -> None:
    out = explain(None, EXAMPLES / "llm_response.json", "[]")
    assert "(no findings" in out and "overall action: allow" in out


@pytest.mark.parametrize(
    ("event", "findings", "error"),
    [
        ("access_role_granted.json", "[]", "needs an 'llm.request' or 'llm.response'"),
        (
            "llm_response.json",
            '[{"type": "US_SSN", "start": 0}]',
            "finding [0]: end: Field required",
        ),
        ("llm_response.json", '[{"type": "US_SSN", "start": 0, "end": 999}]', "outside the event"),
        ("llm_response.json", '{"type": "US_SSN"}', "expected a JSON list"),
        ("llm_response.json", "missing.json", "cannot read the findings"),
    ],
)
def test_explain_input_errors(event: str, findings: str, error: str) -> None:
    with pytest.raises(ExplainInputError, match=re.escape(error)):
        explain(None, EXAMPLES / event, findings)


def test_explain_rejects_an_invalid_event(tmp_path: Path) -> None:
    event = json.loads((EXAMPLES / "llm_response.json").read_text())
    del event["tenant_id"]
    with pytest.raises(ExplainInputError, match="tenant_id: Field required"):
        explain(None, write(tmp_path, "e.json", json.dumps(event)), "[]")


def test_explain_with_a_broken_policy_raises_policy_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match=":7:13:"):
        explain(
            write(tmp_path, "b.yaml", BAD_ACTION_ON_LINE_7), EXAMPLES / "llm_response.json", "[]"
        )
