"""Alert delivery errors. Configuration mistakes are :class:`aitrail.errors.ConfigError`."""

from __future__ import annotations

from aitrail.errors import AitrailError


class AlertError(AitrailError):
    """Base class for alert delivery errors."""


class SignatureError(AlertError):
    """A webhook body failed verification: wrong secret, tampered body, or too old."""


class DispatcherClosed(AlertError):
    """submit() after stop(): build a new dispatcher, or submit before stopping."""
