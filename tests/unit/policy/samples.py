"""A small policy with every scope, and a finding builder, shared by the policy tests."""

from __future__ import annotations

from schemas.records import Finding

POLICY_YAML = """\
version: 1
name: test-policy
description: Every scope, a threshold, a field filter and a wildcard.
defaults:
  - id: email-in-prompt-allowed        # an exception placed before the general email rule
    match: {types: [EMAIL_ADDRESS], fields: [prompt]}
    action: allow
    severity: info
  - id: email
    match: {types: [EMAIL_ADDRESS]}
    action: redact
    severity: low
  - id: ssn
    match: {types: [US_SSN]}
    action: redact
    severity: high
  - id: injection-confident
    match: {types: [PROMPT_INJECTION], min_score: 0.8}
    action: flag
    severity: high
  - id: anything-in-response
    match: {types: "*", fields: [response]}
    action: flag
    severity: medium
tenants:
  acme:
    rules:
      - id: acme-ssn
        match: {types: [US_SSN]}
        action: flag
        severity: critical
    services:
      payments:
        rules:
          - id: acme-payments-ssn
            match: {types: [US_SSN]}
            action: block-recommended
            severity: critical
"""


def finding(entity_type: str, score: float = 0.9, start: int = 0, end: int = 11) -> Finding:
    return Finding(
        entity_type=entity_type,
        start=start,
        end=end,
        score=score,
        detector="TestRecognizer",
        detector_version="t1",
    )
