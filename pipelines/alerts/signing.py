"""HMAC signatures for the generic webhook, and the check a receiver runs.

The signature covers the timestamp and the exact body bytes: ``HMAC-SHA256(secret, timestamp +
"." + body)``, sent as ``X-Aitrail-Signature: sha256=<hex>`` next to ``X-Aitrail-Timestamp``
(Unix seconds). Binding the timestamp into the MAC lets a receiver refuse replays older than its
tolerance; we sign again on every retry, so a delivery that waited out a long outage still
verifies. ``X-Aitrail-Key-Id`` names the secret, so receivers can accept the old and the new
secret during a rotation. ``X-Aitrail-Delivery`` is the alert's idempotency key: the same on
every retry of one delivery, for receivers to drop duplicates.

Receivers must verify the raw body as received, before parsing it: re-serialised JSON does not
have the same bytes.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping

from pipelines.alerts.errors import SignatureError

SIGNATURE_HEADER = "X-Aitrail-Signature"
TIMESTAMP_HEADER = "X-Aitrail-Timestamp"
KEY_ID_HEADER = "X-Aitrail-Key-Id"
DELIVERY_HEADER = "X-Aitrail-Delivery"
SCHEME = "sha256="
DEFAULT_TOLERANCE_S = 300.0


def _as_bytes(secret: str | bytes) -> bytes:
    return secret.encode() if isinstance(secret, str) else secret


def compute_signature(secret: str | bytes, timestamp: str, body: bytes) -> str:
    mac = hmac.new(_as_bytes(secret), timestamp.encode() + b"." + body, hashlib.sha256)
    return SCHEME + mac.hexdigest()


def signed_headers(
    body: bytes, *, secret: str | bytes, key_id: str, delivery_id: str, now: float | None = None
) -> dict[str, str]:
    timestamp = str(int(time.time() if now is None else now))
    return {
        SIGNATURE_HEADER: compute_signature(secret, timestamp, body),
        TIMESTAMP_HEADER: timestamp,
        KEY_ID_HEADER: key_id,
        DELIVERY_HEADER: delivery_id,
    }


def verify_signature(
    body: bytes,
    headers: Mapping[str, str],
    secret: str | bytes,
    tolerance_s: float = DEFAULT_TOLERANCE_S,
    *,
    now: float | None = None,
) -> None:
    """Raise :class:`SignatureError` unless ``body`` was signed with ``secret`` recently.

    ``headers`` may be any mapping (header names are matched without regard to case).
    """
    lowered = {name.lower(): value for name, value in headers.items()}
    signature = lowered.get(SIGNATURE_HEADER.lower())
    timestamp = lowered.get(TIMESTAMP_HEADER.lower())
    if not signature or not timestamp:
        raise SignatureError(
            f"missing {SIGNATURE_HEADER} or {TIMESTAMP_HEADER}: the request was not signed by "
            "aitrail"
        )
    if not timestamp.isdigit():
        raise SignatureError(f"{TIMESTAMP_HEADER} is not Unix seconds: {timestamp[:32]!r}")
    expected = compute_signature(secret, timestamp, body)
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        raise SignatureError(
            "signature does not match: the body changed in transit, or the secret is not the "
            f"one named by {KEY_ID_HEADER}"
        )
    skew = abs((time.time() if now is None else now) - int(timestamp))
    if skew > tolerance_s:
        raise SignatureError(
            f"signed {skew:.0f}s from now, beyond the {tolerance_s:.0f}s tolerance: a replay, "
            "or a clock that needs NTP"
        )
