"""One POST and what its outcome means for the retry loop.

Every destination renders an alert into an :class:`HttpRequest` (pure, tested without a
network) and sends it through :func:`post`, which never raises for HTTP or network trouble: it
returns a :class:`DeliveryResult` that says whether to retry, and after how long the receiver
asked us to wait. The rule is the one PagerDuty documents for its Events API and Slack follows
for incoming webhooks: 2xx is done; 408, 429, 5xx and network errors are worth retrying; any
other 4xx will fail the same way again, so it is permanent. Redirects are not followed (a signed
body must not be replayed to another host) and count as permanent: the URL needs fixing.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Literal

import aiohttp

FailureReason = Literal[
    "timeout", "connection", "rate_limited", "server_error", "client_error", "redirect", "error"
]
RETRYABLE_4XX = frozenset({408, 429})


@dataclass(frozen=True)
class HttpRequest:
    url: str = field(repr=False)  # Slack's and some webhooks' URLs hold a token
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DeliveryResult:
    ok: bool
    status: int | None = None
    retry_after: float | None = None
    permanent: bool = False
    reason: FailureReason | None = None

    def describe(self) -> str:
        """For dead-letter records and logs: what happened, without the URL."""
        if self.ok:
            return f"HTTP {self.status}"
        return f"{self.reason}" + (f" (HTTP {self.status})" if self.status is not None else "")


def delivered(status: int) -> DeliveryResult:
    return DeliveryResult(ok=True, status=status)


def classify(status: int, headers: Mapping[str, str], now: float | None = None) -> DeliveryResult:
    """Turn a response status (and its Retry-After) into a retry decision."""
    if 200 <= status < 300:
        return delivered(status)
    retry_after = parse_retry_after(headers.get("Retry-After"), now)
    if status == 429:
        return DeliveryResult(False, status, retry_after, reason="rate_limited")
    if status in RETRYABLE_4XX or status >= 500:
        reason: FailureReason = "timeout" if status == 408 else "server_error"
        return DeliveryResult(False, status, retry_after, reason=reason)
    if 300 <= status < 400:
        return DeliveryResult(False, status, permanent=True, reason="redirect")
    return DeliveryResult(False, status, permanent=True, reason="client_error")


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP-date (RFC 9110 10.2.3)."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # an HTTP-date is always GMT
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


async def post(session: aiohttp.ClientSession, request: HttpRequest) -> DeliveryResult:
    """POST once; map every outcome, network errors included, to a DeliveryResult."""
    headers = {"Content-Type": "application/json", **request.headers}
    try:
        async with session.post(
            request.url, data=request.body, headers=headers, allow_redirects=False
        ) as response:
            await response.read()  # let the connection go back to the pool
            return classify(response.status, response.headers)
    except TimeoutError:
        return DeliveryResult(False, reason="timeout")
    except aiohttp.ClientError:
        return DeliveryResult(False, reason="connection")

