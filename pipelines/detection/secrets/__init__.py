"""Secret recognizers: API keys, tokens, private keys and passwords in LLM traffic.

Each recognizer is a Presidio ``PatternRecognizer`` in its own module, configured by class
constants (``ENTITY``, ``PATTERNS``, ``CONTEXT``, ``PREFILTER``, ``VERSION``). Build them with
:func:`secret_recognizers` inside the process that uses them (they cache compiled regexes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# Runs before any submodule (a package's __init__ always does), so before their presidio imports.
from pipelines.detection import offline  # noqa: F401
from pipelines.detection.secrets._base import SecretRecognizer
from pipelines.detection.secrets.aws_access_key import AwsAccessKeyRecognizer
from pipelines.detection.secrets.aws_secret_key import AwsSecretKeyRecognizer
from pipelines.detection.secrets.connection_string_password import (
    ConnectionStringPasswordRecognizer,
)
from pipelines.detection.secrets.github_token import GithubTokenRecognizer
from pipelines.detection.secrets.google_api_key import GoogleApiKeyRecognizer
from pipelines.detection.secrets.high_entropy_secret import HighEntropySecretRecognizer
from pipelines.detection.secrets.jwt_token import JwtRecognizer
from pipelines.detection.secrets.private_key import PrivateKeyRecognizer
from pipelines.detection.secrets.slack_token import SlackTokenRecognizer
from pipelines.detection.secrets.stripe_key import StripeKeyRecognizer

if TYPE_CHECKING:
    from presidio_analyzer import PatternRecognizer

_CLASSES: tuple[type[SecretRecognizer], ...] = (
    AwsAccessKeyRecognizer,
    AwsSecretKeyRecognizer,
    GithubTokenRecognizer,
    SlackTokenRecognizer,
    StripeKeyRecognizer,
    GoogleApiKeyRecognizer,
    PrivateKeyRecognizer,
    JwtRecognizer,
    ConnectionStringPasswordRecognizer,
    HighEntropySecretRecognizer,
)
SECRET_RECOGNIZERS: tuple[type[PatternRecognizer], ...] = _CLASSES
SECRET_ENTITIES: tuple[str, ...] = tuple(cls.ENTITY for cls in _CLASSES)


def secret_recognizers() -> list[PatternRecognizer]:
    """One fresh instance of every secret recognizer."""
    return [cls() for cls in _CLASSES]


__all__ = [
    "SECRET_ENTITIES",
    "SECRET_RECOGNIZERS",
    "SecretRecognizer",
    "secret_recognizers",
]
