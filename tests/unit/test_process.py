import json
from datetime import UTC, datetime
from pathlib import Path

from pipelines.decode import InvalidMessage, SourceMessage, decode
from pipelines.detection.base import ScanResult
from pipelines.hashing import KeyedHasher
from pipelines.policy.load import load_default
from pipelines.process import audit_record, dead_letter, stable_id
from schemas.events import LLMRequestEvent, LLMResponseEvent
from schemas.records import Finding

EXAMPLES = Path(__file__).parents[2] / "schemas" / "examples"
HASHER = KeyedHasher(b"k" * 32, "k1")
POLICY = load_default()
NOW = datetime(2026, 12, 1, tzinfo=UTC)
SRC = SourceMessage("llm.requests", 1, 7, b"{}")


def request() -> LLMRequestEvent:
    event = LLMRequestEvent.model_validate_json((EXAMPLES / "llm_request_prompt.json").read_text())
    return event


def scan_with_card(text: str) -> ScanResult:
    start = text.index("4111")
    finding = Finding(entity_type="CREDIT_CARD", start=start, end=start + 19, score=1.0,
                      detector="CreditCardRecognizer", detector_version="v")
    return ScanResult((finding,), text[:start] + "<CREDIT_CARD>" + text[start + 19:])


def record(event: LLMRequestEvent | LLMResponseEvent, scan: ScanResult | None,
           keep_text: bool = True):  # type: ignore[no-untyped-def]
    text = event.audited_text()
    return audit_record(event, text, scan, hasher=HASHER, source=SRC, engine_version="e1",
                        store_redacted_text=keep_text, now=NOW, policy=POLICY)


def test_event_id_is_deterministic_and_separates_request_from_response() -> None:
    event = request()
    first, again = record(event, None).row, record(event, None).row
    assert first.event_id == again.event_id
    response = LLMResponseEvent.model_validate_json((EXAMPLES / "llm_response.json").read_text())
    assert record(response, None).row.event_id != first.event_id


def test_stable_id_separates_parts() -> None:
    assert stable_id("a", "bc") != stable_id("ab", "c")


def test_redacted_row_keeps_no_raw_value_and_records_findings() -> None:
    event = request()
    rec = record(event, scan_with_card(event.audited_text()))
    assert rec.row.action == "redact"
    assert "4111" not in rec.row.model_dump_json()
    assert rec.row.finding_types == ["CREDIT_CARD"]
    assert rec.row.text_hash == HASHER.text(event.audited_text())
    assert [f.finding.entity_type for f in rec.findings] == ["CREDIT_CARD"]
    assert rec.row.source_partition == 1 and rec.row.source_offset == 7
    assert rec.row.occurred_at.tzinfo is not None


def test_policy_decides_action_severity_and_violations() -> None:
    event = request()
    rec = record(event, scan_with_card(event.audited_text()))
    assert rec.row.policy_version == POLICY.content_version
    assert rec.row.action == "redact" and rec.row.severity == "high"
    (violation,) = rec.violations
    assert violation.rule_id == "government-and-financial-ids"
    assert violation.text_hash == rec.row.text_hash
    assert "4111" not in violation.model_dump_json()
    response = LLMResponseEvent.model_validate_json((EXAMPLES / "llm_response.json").read_text())
    text = "Your card 4111 1111 1111 1111 is fine"
    leaked = audit_record(response, text, scan_with_card(text), hasher=HASHER, source=SRC,
                          engine_version="e1", store_redacted_text=True, now=NOW, policy=POLICY)
    assert leaked.row.action == "block-recommended" and leaked.row.severity == "critical"


def test_failed_detection_fails_closed() -> None:
    rec = record(request(), None)
    assert rec.row.scan_status == "unscanned"
    assert rec.row.action == "withhold"
    assert rec.row.text_redacted == ""
    assert rec.row.engine_version == "unscanned"
    assert rec.row.text_hash.startswith("hmac-sha256:k1:")


def test_hashes_only_mode_drops_redacted_text() -> None:
    event = request()
    rec = record(event, scan_with_card(event.audited_text()), keep_text=False)
    assert rec.row.text_redacted == ""


def test_dead_letter_carries_coordinates_and_a_keyed_hash_not_the_payload() -> None:
    raw = json.dumps({"prompt": "ssn 536-22-8493"}).encode()
    invalid = decode(SourceMessage("llm.requests", 0, 99, raw))
    assert isinstance(invalid, InvalidMessage)
    letter = dead_letter(invalid, hasher=HASHER, now=NOW)
    assert (letter.source_topic, letter.source_partition, letter.source_offset) == (
        "llm.requests", 0, 99)
    assert letter.payload_hash == HASHER.digest(raw)
    assert "536-22-8493" not in letter.model_dump_json()


def test_sink_errors_are_logged_without_their_message() -> None:
    from pipelines.batch import _error_summary

    leaked = RuntimeError("Code: 27. DB::Exception: Cannot parse input: 'my SSN is 536-22-8493' "
                          "(CANNOT_PARSE_INPUT_ASSERTION_FAILED)")
    summary = _error_summary(leaked)
    assert summary == "RuntimeError, code 27, CANNOT_PARSE_INPUT_ASSERTION_FAILED"
    assert "536" not in summary
