"""Canned compliance queries, each a named, parameterised SQL statement.

They read ``FINAL`` so that a redelivered event counts once. Analysts can run anything else
with ``aitrail query --sql``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sinks.clickhouse import Client


@dataclass(frozen=True)
class CannedQuery:
    name: str
    summary: str
    sql: str
    needs: tuple[str, ...] = ()


CANNED: dict[str, CannedQuery] = {q.name: q for q in (
    CannedQuery(
        "user-requests",
        "One user's LLM calls in a time window, with hashes, findings and action (CC7.2, P1-P8).",
        """
        SELECT occurred_at, request_id, service, provider, model, action,
               arrayStringConcat(finding_types, ',') AS findings,
               substring(input_hash, 1, 28) AS input_hash,
               substring(output_hash, 1, 28) AS output_hash
        FROM audit_requests
        WHERE user_id = {user:String}
          AND occurred_at >= parseDateTime64BestEffort({since:String}, 3, 'UTC')
          AND occurred_at < parseDateTime64BestEffort({until:String}, 3, 'UTC')
        ORDER BY occurred_at
        LIMIT {limit:UInt32}
        """,
        ("user",),
    ),
    CannedQuery(
        "findings-by-day",
        "Findings per day and type, with the texts affected and how many scored at least 0.4 "
        "(the rest are weak pattern matches the default policy records without acting on) "
        "(C1.1, P4).",
        """
        SELECT toDate(occurred_at) AS day, entity_type, count() AS findings,
               countIf(score >= 0.4) AS confident,
               uniqExact(event_id) AS texts, round(avg(score), 2) AS avg_score
        FROM findings FINAL
        WHERE occurred_at >= parseDateTime64BestEffort({since:String}, 3, 'UTC')
          AND occurred_at < parseDateTime64BestEffort({until:String}, 3, 'UTC')
        GROUP BY day, entity_type
        ORDER BY day, findings DESC
        LIMIT {limit:UInt32}
        """,
    ),
    CannedQuery(
        "requests-by-model",
        "LLM calls per provider and model, with the share that carried PII (model inventory).",
        """
        SELECT provider, model, count() AS requests, uniqExact(user_id) AS users,
               countIf(finding_count > 0) AS with_findings,
               round(100 * with_findings / requests, 1) AS pct_with_findings
        FROM audit_requests
        WHERE occurred_at >= parseDateTime64BestEffort({since:String}, 3, 'UTC')
          AND occurred_at < parseDateTime64BestEffort({until:String}, 3, 'UTC')
        GROUP BY provider, model
        ORDER BY requests DESC
        LIMIT {limit:UInt32}
        """,
    ),
    CannedQuery(
        "dead-letters",
        "Messages rejected by validation: where they are and why (PI1.2).",
        """
        SELECT received_at, source_topic, source_partition, source_offset, error_type,
               substring(reason, 1, 90) AS reason
        FROM dead_letters FINAL
        WHERE received_at >= parseDateTime64BestEffort({since:String}, 3, 'UTC')
          AND received_at < parseDateTime64BestEffort({until:String}, 3, 'UTC')
        ORDER BY received_at
        LIMIT {limit:UInt32}
        """,
    ),
)}


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]


def run(client: Client, sql: str, parameters: dict[str, Any] | None = None) -> QueryResult:
    result = client.query(sql, parameters=parameters or {})
    return QueryResult(list(result.column_names), [tuple(r) for r in result.result_rows])


def format_table(result: QueryResult, max_width: int = 60) -> str:
    """A plain fixed-width table: readable in a terminal, a ticket and an evidence pack."""
    def cell(value: Any) -> str:
        if isinstance(value, datetime):
            text = value.isoformat(sep=" ", timespec="seconds")
        elif isinstance(value, list):
            text = ",".join(str(v) for v in value)
        else:
            text = str(value).replace("\n", "⏎")
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    cells = [[cell(v) for v in row] for row in result.rows]
    widths = [len(c) for c in result.columns]
    for row in cells:
        widths = [max(w, len(v)) for w, v in zip(widths, row, strict=True)]
    def line(values: list[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()
    out = [line(result.columns), line(["-" * w for w in widths])]
    out += [line(row) for row in cells]
    out.append(f"({len(cells)} rows)")
    return "\n".join(out)
