"""Policy errors. Each problem says where (file:line:column) and what to do about it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aitrail.errors import AitrailError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a policy document. ``line`` and ``column`` count from 1; they are
    None when the problem has no place in the file (it could not be read at all)."""

    source: str
    line: int | None
    column: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}:{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class PolicyError(AitrailError):
    """A policy file that cannot be used. ``problems`` lists every problem found, in file order,
    so one run of ``aitrail policy check`` shows them all."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{source}: {count} problem{'s' if count != 1 else ''} in the policy"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))

    def __reduce__(self) -> tuple[type[PolicyError], tuple[str, tuple[Problem, ...]]]:
        return (PolicyError, (self.source, self.problems))  # picklable across the process pool


class ExplainInputError(AitrailError):
    """The sample event or findings given to ``aitrail policy explain`` cannot be read."""
