"""``aitrail produce``: JSONL from a file or stdin to Kafka, validated, with a progress bar."""

from __future__ import annotations

import sys
from typing import Annotated

from pydantic import Field, TypeAdapter, ValidationError
from tqdm import tqdm

from aitrail.jsonl import BadLine, count_lines, open_source, read_objects
from aitrail.producer import AuditProducer
from aitrail.settings import Settings
from schemas.events import AccessEvent, LLMRequestEvent, LLMResponseEvent

AnyEvent: TypeAdapter[LLMRequestEvent | LLMResponseEvent | AccessEvent] = TypeAdapter(
    Annotated[LLMRequestEvent | LLMResponseEvent | AccessEvent, Field(discriminator="event_type")]
)


def _problem(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc'][1:]) or 'event'}: {e['msg']}"
        for e in exc.errors(include_input=False, include_url=False)
    )[:400]


def produce_file(settings: Settings, path: str, *, validate: bool) -> int:
    producer = AuditProducer(settings.kafka_bootstrap_servers, settings.topic_prefix)
    sent = skipped = 0
    with open_source(path) as stream:
        bar = tqdm(read_objects(stream), total=count_lines(path), unit="ev", file=sys.stderr)
        for line_no, item in bar:
            if isinstance(item, BadLine):
                print(f"line {line_no}: {item.reason}; skipped", file=sys.stderr)
                skipped += 1
                continue
            if validate:
                try:
                    AnyEvent.validate_python(item)
                except ValidationError as exc:
                    print(f"line {line_no}: {_problem(exc)}; skipped", file=sys.stderr)
                    skipped += 1
                    continue
            producer.send_json(item)
            sent += 1
    producer.flush()
    print(f"sent {sent} events ({producer.delivered} delivered), skipped {skipped} lines",
          file=sys.stderr)
    return 1 if skipped else 0
