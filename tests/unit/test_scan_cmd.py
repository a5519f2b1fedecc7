"""`aitrail scan`: JSONL in, one JSONL line per input out, in order, through real detection
processes."""

from __future__ import annotations

import json
from pathlib import Path

from aitrail.cli import main


def scan(tmp_path: Path, lines: list[str], *args: str) -> tuple[int, list[dict[str, object]]]:
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code = main(["scan", str(source), "--workers", "1", "-o", str(out), *args])
    return code, [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_one_line_out_per_line_in_with_findings_and_redaction(tmp_path: Path) -> None:
    code, out = scan(tmp_path, [
        json.dumps({"id": "a", "text": "my SSN is 536-22-8493, mail jo@example.com"}),
        json.dumps({"id": "b", "text": "nothing to see here"}),
    ], "--redact")
    assert code == 0
    assert [line["id"] for line in out] == ["a", "b"]
    assert [(f["type"], f["start"], f["end"]) for f in out[0]["findings"]] == [  # type: ignore[union-attr]
        ("US_SSN", 10, 21), ("EMAIL_ADDRESS", 28, 42)]
    assert out[0]["redacted"] == "my SSN is <US_SSN>, mail <EMAIL_ADDRESS>"
    assert out[1]["findings"] == []


def test_min_score_leaves_out_weak_candidates(tmp_path: Path) -> None:
    lines = [json.dumps({"id": 1, "text": "the value 078051121 and ssn 536-22-8493"})]
    _, every = scan(tmp_path, lines)
    _, confident = scan(tmp_path, lines, "--min-score", "0.4")
    weak = [f for f in every[0]["findings"] if f["score"] < 0.4]  # type: ignore[union-attr]
    assert {f["type"] for f in weak} >= {"US_PASSPORT", "US_BANK_NUMBER"}
    assert [f["type"] for f in confident[0]["findings"]] == ["US_SSN"]  # type: ignore[union-attr]


def test_a_bad_line_gets_an_error_line_and_exit_code_1(tmp_path: Path) -> None:
    code, out = scan(tmp_path, ['{"id": 1, "text": "fine"}', "{not json", '{"id": 3}'])
    assert code == 1
    assert [line.get("error") is None for line in out] == [True, False, False]
    assert out[1]["line"] == 2 and out[2]["id"] == 3
