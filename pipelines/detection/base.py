"""The detection interface the worker, ``aitrail scan`` and the benchmarks call.

An engine takes a batch of texts and returns, for each, its findings and the redacted text.
Engines are plain picklable Python built inside worker processes (see ``pipelines.pool``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from schemas.records import Finding


@dataclass(frozen=True)
class ScanResult:
    findings: tuple[Finding, ...]
    redacted: str

    @property
    def finding_types(self) -> list[str]:
        return sorted({f.entity_type for f in self.findings})


class Detector(Protocol):
    """Scan texts for PII; redact what was found. Must never log or return raw matches."""

    name: str
    version: str

    def scan(self, texts: Sequence[str]) -> list[ScanResult]: ...
