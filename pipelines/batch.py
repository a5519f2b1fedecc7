"""One batch from the stream, start to finish: decode → detect → rows → store → dead letters.

The caller acknowledges the batch's offsets only after :meth:`BatchProcessor.process` returns:
rows are in ClickHouse and dead letters are on their topic. A store that is down is retried
with backoff for as long as it takes (the stream waits; nothing is acked or dropped).
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from aitrail import metrics
from aitrail.topics import Topics
from pipelines.decode import InvalidMessage, SourceMessage, decode
from pipelines.detection.base import ScanResult
from pipelines.hashing import KeyedHasher
from pipelines.incidents.security import UserActivity
from pipelines.policy.model import Policy
from pipelines.policy.records import GuardrailViolation
from pipelines.process import access_row, audit_record, dead_letter, utcnow
from schemas.events import AccessEvent, LLMRequestEvent
from schemas.records import DeadLetter
from sinks.writer import AuditWriter, SinkBatch

log = logging.getLogger(__name__)

Scanner = Callable[[Sequence[str]], Awaitable[list[ScanResult | None]]]
DeadLetterPublisher = Callable[[list[DeadLetter]], Awaitable[None]]
ViolationPublisher = Callable[[list[GuardrailViolation]], Awaitable[None]]
ActivityPublisher = Callable[[list[UserActivity]], Awaitable[None]]


async def _discard(_: Sequence[object]) -> None:
    return None


def user_activity(events: Sequence[LLMRequestEvent]) -> list[UserActivity]:
    """One record per (tenant, user) of the batch: when they used an LLM and how often."""
    seen: dict[tuple[str, str], list[LLMRequestEvent]] = {}
    for e in events:
        seen.setdefault((e.tenant_id, e.user_id), []).append(e)
    out = []
    for (tenant, user), mine in seen.items():
        last = max(mine, key=lambda e: e.occurred_at)
        out.append(UserActivity(
            tenant_id=tenant, user_id=user, first_at=min(e.occurred_at for e in mine),
            last_at=last.occurred_at, requests=len(mine), request_id=last.request_id,
            service=last.service,
        ))
    return out


@dataclass
class BatchOutcome:
    events: int = 0
    stored: int = 0
    dead_letters: int = 0
    unscanned: int = 0
    violations: int = 0
    findings: Counter[str] = field(default_factory=Counter)


_CLICKHOUSE_CODE = re.compile(r"Code: (\d+)")
_CLICKHOUSE_NAME = re.compile(r"\(([A-Z][A-Z_]+)\)")


def _error_summary(exc: BaseException) -> str:
    """The exception type and ClickHouse's error code and name, never the message text: a
    parse error quotes the rows it could not read."""
    text = str(exc)
    code, name = _CLICKHOUSE_CODE.search(text), _CLICKHOUSE_NAME.search(text)
    parts = [type(exc).__name__]
    if code:
        parts.append(f"code {code[1]}")
    if name:
        parts.append(name[1])
    return ", ".join(parts)


@dataclass(frozen=True)
class RetryPolicy:
    first_delay_s: float = 0.5
    max_delay_s: float = 30.0

    def delay(self, attempt: int) -> float:
        base: float = min(self.max_delay_s, self.first_delay_s * 2 ** min(attempt, 16))
        return base * random.uniform(0.5, 1.0)  # jitter: workers do not retry in lockstep


class BatchProcessor:
    def __init__(
        self,
        *,
        hasher: KeyedHasher,
        scan: Scanner,
        writer: AuditWriter,
        publish_dead_letters: DeadLetterPublisher,
        engine_version: str,
        policy: Policy,
        publish_violations: ViolationPublisher = _discard,
        publish_activity: ActivityPublisher = _discard,
        store_redacted_text: bool = True,
        retry: RetryPolicy | None = None,
        topic_names: Topics | None = None,
    ) -> None:
        self._topics = topic_names or Topics()
        self._hasher = hasher
        self._scan = scan
        self._writer = writer
        self._publish = publish_dead_letters
        self._publish_violations = publish_violations
        self._publish_activity = publish_activity
        self.policy = policy
        self._engine_version = engine_version
        self._store_redacted_text = store_redacted_text
        self._retry = retry or RetryPolicy()

    async def process(self, messages: Sequence[SourceMessage]) -> BatchOutcome:
        outcome = BatchOutcome(events=len(messages))
        metrics.BATCH_EVENTS.observe(len(messages))
        now = utcnow()
        batch = SinkBatch()
        decoded = [(m, decode(m, self._topics)) for m in messages]

        llm = [(m, e) for m, e in decoded if not isinstance(e, InvalidMessage | AccessEvent)]
        texts = [e.audited_text() for _, e in llm]
        with metrics.BATCH_SECONDS.labels("detect").time():
            scans = await self._scan(texts)
        for (source, event), text, scan in zip(llm, texts, scans, strict=True):
            record = audit_record(
                event, text, scan, hasher=self._hasher, source=source,
                engine_version=self._engine_version,
                store_redacted_text=self._store_redacted_text, now=now, policy=self.policy,
            )
            batch.audit.append(record.row)
            batch.findings.extend(record.findings)
            batch.violations.extend(record.violations)
            outcome.findings.update(f.finding.entity_type for f in record.findings)
            outcome.unscanned += scan is None

        for source, item in decoded:
            if isinstance(item, AccessEvent):
                batch.access.append(access_row(item, source=source, now=now))
            elif isinstance(item, InvalidMessage):
                batch.dead_letters.append(dead_letter(item, hasher=self._hasher, now=now))

        with metrics.BATCH_SECONDS.labels("sink").time():
            await self._store(batch)
        if batch.dead_letters:
            with metrics.BATCH_SECONDS.labels("dead_letters").time():
                await self._publish(batch.dead_letters)
        if batch.violations:
            with metrics.BATCH_SECONDS.labels("violations").time():
                await self._publish_violations(batch.violations)
            for v in batch.violations:
                metrics.VIOLATIONS.labels(v.rule_id, v.action, v.severity).inc()
        requests = [e for _, e in llm if isinstance(e, LLMRequestEvent)]
        if requests:
            await self._publish_activity(user_activity(requests))

        outcome.stored = len(batch.audit) + len(batch.access)
        outcome.dead_letters = len(batch.dead_letters)
        outcome.violations = len(batch.violations)
        self._count(decoded, outcome)
        return outcome

    async def _store(self, batch: SinkBatch) -> None:
        attempt = 0
        while True:
            try:
                report = await asyncio.to_thread(self._writer.write, batch)
            except Exception as exc:
                metrics.SINK_FAILURES.inc()
                wait = self._retry.delay(attempt)
                log.error(
                    "ClickHouse insert failed (%s); retrying in %.1fs. The stream is paused "
                    "and nothing is acknowledged. Check AITRAIL_CLICKHOUSE_DSN and the server.",
                    _error_summary(exc), wait,
                )
                attempt += 1
                await asyncio.sleep(wait)
                continue
            for table, rows in report.rows_by_table.items():
                metrics.SINK_ROWS.labels(table).inc(rows)
            log.debug("stored %d rows in %.3fs", report.rows, report.seconds)
            return

    @staticmethod
    def _count(decoded: Sequence[tuple[SourceMessage, object]], outcome: BatchOutcome) -> None:
        stored_at = utcnow()
        for source, item in decoded:
            outcome_label = "dead_letter" if isinstance(item, InvalidMessage) else "stored"
            metrics.EVENTS.labels(source.topic, outcome_label).inc()
            occurred = getattr(item, "occurred_at", None)
            if occurred is not None:
                metrics.END_TO_END_SECONDS.observe(max(0.0, (stored_at - occurred).total_seconds()))
        for entity, n in outcome.findings.items():
            metrics.FINDINGS.labels(entity).inc(n)
        if outcome.unscanned:
            metrics.UNSCANNED.inc(outcome.unscanned)
