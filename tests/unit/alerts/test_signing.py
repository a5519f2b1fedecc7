from __future__ import annotations

import hashlib
import hmac
import json
import secrets

import pytest

from pipelines.alerts.destinations import WebhookDestination, verify_signature
from pipelines.alerts.errors import SignatureError
from pipelines.alerts.signing import (
    DELIVERY_HEADER,
    KEY_ID_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    compute_signature,
    signed_headers,
)
from tests.unit.alerts.samples import make_alert

SECRET = secrets.token_hex(32)
NOW = 1_770_000_000.0


def signed(body: bytes = b'{"a":1}', now: float = NOW) -> dict[str, str]:
    return signed_headers(body, secret=SECRET, key_id="k2", delivery_id="i:trigger:0", now=now)


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    body = b'{"a":1}'
    headers = signed(body)
    expected = hmac.new(SECRET.encode(), b"1770000000." + body, hashlib.sha256).hexdigest()
    assert headers == {
        SIGNATURE_HEADER: f"sha256={expected}",
        TIMESTAMP_HEADER: "1770000000",
        KEY_ID_HEADER: "k2",
        DELIVERY_HEADER: "i:trigger:0",
    }


def test_round_trip_with_headers_in_any_case() -> None:
    headers = {name.lower(): value for name, value in signed().items()}
    verify_signature(b'{"a":1}', headers, SECRET, tolerance_s=300, now=NOW + 299)
    verify_signature(b'{"a":1}', signed(), SECRET.encode(), now=NOW)


@pytest.mark.parametrize(
    ("body", "change", "problem"),
    [
        (b'{"a":2}', {}, "does not match"),
        (b'{"a":1} ', {}, "does not match"),
        (b'{"a":1}', {TIMESTAMP_HEADER: "1770000001"}, "does not match"),
        (b'{"a":1}', {SIGNATURE_HEADER: "sha256=" + "0" * 64}, "does not match"),
        (b'{"a":1}', {SIGNATURE_HEADER: ""}, "missing"),
        (b'{"a":1}', {TIMESTAMP_HEADER: "soon"}, "Unix seconds"),
    ],
)
def test_tampering_is_detected(body: bytes, change: dict[str, str], problem: str) -> None:
    with pytest.raises(SignatureError, match=problem):
        verify_signature(body, {**signed(), **change}, SECRET, now=NOW)


def test_a_wrong_secret_fails() -> None:
    with pytest.raises(SignatureError, match="does not match"):
        verify_signature(b'{"a":1}', signed(), secrets.token_hex(32), now=NOW)


def test_old_signatures_are_replays() -> None:
    with pytest.raises(SignatureError, match="tolerance"):
        verify_signature(b'{"a":1}', signed(now=NOW), SECRET, tolerance_s=300, now=NOW + 301)
    with pytest.raises(SignatureError, match="tolerance"):
        verify_signature(b'{"a":1}', signed(now=NOW + 400), SECRET, tolerance_s=300, now=NOW)


def test_unsigned_requests_are_refused() -> None:
    with pytest.raises(SignatureError, match="not signed"):
        verify_signature(b"{}", {"Content-Type": "application/json"}, SECRET)


def test_webhook_request_is_signed_json_with_the_delivery_id() -> None:
    alert = make_alert(revision=2, url="https://aitrail.example/incidents/1")
    request = WebhookDestination("https://hooks.example/aitrail", SECRET, "k2").render(
        alert, now=NOW
    )
    verify_signature(request.body, request.headers, SECRET, now=NOW)
    assert request.headers[DELIVERY_HEADER] == "tenant-a/user-7/secrets.aws:trigger:2"
    assert request.headers[KEY_ID_HEADER] == "k2"
    body = json.loads(request.body)
    assert body["schema"] == "aitrail.alert/v1"
    assert body["delivery_id"] == alert.idempotency_key
    assert body["dedup_key"] == alert.incident_id
    assert body["alert"] == json.loads(alert.model_dump_json())
    assert compute_signature(SECRET, "1", b"x") != compute_signature(SECRET, "2", b"x")


def test_secrets_stay_out_of_repr() -> None:
    destination = WebhookDestination("https://hooks.example/t0k3n", SECRET, "k2")
    assert SECRET not in repr(destination)
    assert "t0k3n" not in repr(destination.render(make_alert()))
