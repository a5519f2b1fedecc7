"""What ``aitrail policy check`` and ``aitrail policy explain`` print.

Both return text instead of printing, so ``aitrail/cli.py`` owns the output and exit codes and
the tests read the same strings a user sees. Neither shows the audited text: a finding appears
as its type, span and score, never its value.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped, unused-ignore]  # no stubs pinned
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipelines.policy.errors import ExplainInputError, PolicyError
from pipelines.policy.evaluate import (
    Decision,
    evaluate,
    highest_severity,
    overall_action,
    shadowed_rules,
)
from pipelines.policy.load import load_default, load_path, load_string, locate
from pipelines.policy.model import Policy, dotted
from pipelines.policy.types import KINDS
from schemas.events import LLMRequestEvent, LLMResponseEvent
from schemas.records import Finding, TextField

EXPLAIN_DETECTOR = "explain-input"


def check(path: str | Path) -> tuple[bool, str]:
    """(valid, report). Shadowed rules are warnings: the policy is usable but likely wrong."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return False, f"{source}: cannot read the file: {reason}"
    try:
        policy = load_string(text, source=source)
    except PolicyError as exc:
        return False, f"{exc}\nfix the problems above, then run the check again"
    lines = [f"{source}: ok", *_summary(policy)]
    shadowed = shadowed_rules(policy)
    if shadowed:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        lines.append(f"warnings: {len(shadowed)}")
        for later, earlier in shadowed:
            line, col = locate(root, later.loc)
            lines.append(
                f"  {source}:{line}:{col}: {dotted(later.loc)}: rule '{later.rule.id}' is never "
                f"used: '{earlier.rule.id}' ({dotted(earlier.loc)}) comes first in the same scope "
                "and matches everything it would; move it above or remove it"
            )
    return True, "\n".join(lines)


def _summary(policy: Policy) -> list[str]:
    rules = list(policy.all_rules())
    by_scope = {"default": 0, "tenant": 0, "service": 0}
    for r in rules:
        by_scope[
            "default" if r.tenant is None else "tenant" if r.service is None else "service"
        ] += 1
    tenants = [
        f"{t} (services: {', '.join(p.services)})" if p.services else t
        for t, p in policy.tenants.items()
    ]
    return [
        f"  name:      {policy.name}",
        f"  version:   {policy.content_version}",
        f"  rules:     {len(rules)} ({', '.join(f'{k} {v}' for k, v in by_scope.items())})",
        f"  tenants:   {', '.join(tenants) or 'none'}",
        "  fallback:  "
        + ", ".join(
            f"{kind} {o.action}/{o.severity}"
            for kind, o in ((k, policy.fallback.for_kind(k)) for k in KINDS)
        ),
    ]


class _FindingInput(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    type: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    score: float = Field(1.0, ge=0, le=1)


def explain(
    policy_path: str | Path | None,
    event_json_path: str | Path,
    findings_json: str | Path | None = None,
) -> str:
    """A table of what the policy does to each finding of a sample event.

    ``findings_json`` is a JSON file, or inline JSON when it starts with ``[`` or ``{``, listing
    ``{"type", "start", "end", "score"}``; without it, the Presidio pattern engine scans the
    event's text (slow to start: it loads Presidio).
    """
    policy = load_default() if policy_path is None else load_path(policy_path)
    event = _read_event(event_json_path)
    text = event.audited_text()
    if findings_json is None:
        findings, origin = _detect(text)
    else:
        findings, origin = _read_findings(findings_json, len(text)), "given"
    field: TextField = "prompt" if isinstance(event, LLMRequestEvent) else "response"
    decisions = evaluate(
        policy, findings, field=field, tenant_id=event.tenant_id, service=event.service
    )
    where = "pipelines/policy/default.yaml" if policy_path is None else str(policy_path)
    head = [
        f"policy:   {policy.name} {policy.content_version} ({where})",
        f"event:    {event.event_type} {event.request_id}, tenant {event.tenant_id}, "
        f"service {event.service}, field {field} ({len(text)} characters)",
        f"findings: {len(findings)} ({origin})",
        "",
    ]
    violations = sum(1 for d in decisions if d.is_violation)
    severity = highest_severity(decisions)
    tail = [
        "",
        f"overall action: {overall_action(decisions)}"
        + (f" (highest severity: {severity})" if severity else ""),
        f"violations recorded: {violations}",
    ]
    return "\n".join(head + _table(decisions) + tail)


def _table(decisions: Sequence[Decision]) -> list[str]:
    if not decisions:
        return ["(no findings: nothing for the policy to decide)"]
    header = ("#", "type", "span", "score", "rule", "scope", "action", "severity")
    rows = [
        (
            str(i),
            d.finding.entity_type,
            f"{d.finding.start}-{d.finding.end}",
            f"{d.finding.score:.2f}",
            d.rule_id,
            d.scope,
            d.action,
            d.severity,
        )
        for i, d in enumerate(decisions, 1)
    ]
    widths = [max(len(r[c]) for r in (header, *rows)) for c in range(len(header))]
    return [
        "  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()
        for r in (header, *rows)
    ]


def _read_event(path: str | Path) -> LLMRequestEvent | LLMResponseEvent:
    try:
        payload: Any = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExplainInputError(f"{path}: cannot read the event as JSON: {exc}") from exc
    kind = payload.get("event_type") if isinstance(payload, dict) else None
    contract: type[LLMRequestEvent | LLMResponseEvent]
    if kind == "llm.request":
        contract = LLMRequestEvent
    elif kind == "llm.response":
        contract = LLMResponseEvent
    else:
        raise ExplainInputError(
            f"{path}: event_type is {kind!r}; explain needs an 'llm.request' or 'llm.response' "
            "event (see schemas/examples/)"
        )
    try:
        return contract.model_validate(payload)
    except ValidationError as exc:
        raise ExplainInputError(f"{path}: not a valid {kind} event: {_errors(exc)}") from exc


def _read_findings(source: str | Path, text_chars: int) -> list[Finding]:
    inline = isinstance(source, str) and source.lstrip()[:1] in ("[", "{")
    label = "--findings" if inline else str(source)
    try:
        raw = str(source) if inline else Path(source).read_text(encoding="utf-8")
        payload: Any = json.loads(raw)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExplainInputError(f"{label}: cannot read the findings as JSON: {exc}") from exc
    if not isinstance(payload, list):
        raise ExplainInputError(
            f'{label}: expected a JSON list of {{"type", "start", "end", "score"}} objects'
        )
    findings = []
    for i, item in enumerate(payload):
        try:
            given = _FindingInput.model_validate(item)
        except ValidationError as exc:
            raise ExplainInputError(f"{label}: finding [{i}]: {_errors(exc)}") from exc
        if not given.start <= given.end <= text_chars:
            raise ExplainInputError(
                f"{label}: finding [{i}]: span {given.start}-{given.end} is outside the event's "
                f"text ({text_chars} characters)"
            )
        findings.append(
            Finding(
                entity_type=given.type,
                start=given.start,
                end=given.end,
                score=given.score,
                detector=EXPLAIN_DETECTOR,
                detector_version="0",
            )
        )
    return findings


def _detect(text: str) -> tuple[list[Finding], str]:
    from pipelines.pool import DEFAULT_ENGINE, load_engine

    detector = load_engine(DEFAULT_ENGINE)
    (result,) = detector.scan([text])
    return list(result.findings), f"detected by {detector.version}"


def _errors(exc: ValidationError) -> str:
    errs = exc.errors(include_url=False, include_input=False)
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}" for e in errs)
