"""Secrets with no vendor format, found by their key name and their randomness.

A value is reported when (1) a key whose name suggests a secret introduces it — ``token``,
``secret``, ``password``/``passwd``, ``api_key``/``apikey``/``api-key``, ``auth``/
``authorization``, ``credential(s)``, ``private`` — in ``key=value``, ``key: value``,
``"key": "value"``, ``key => 'value'`` or ``Authorization: Bearer value`` form; (2) the value is
16 to 256 characters; and (3) it is about as varied as a random string of its length
(:func:`pipelines.detection.secrets._checks.looks_random`).

What is deliberately not reported:

* placeholders and templates: ``xxxxxxxx``, ``<your-token>``, ``changeme``, ``${VAR}``,
  ``{{ secret }}``, ``$GITHUB_TOKEN``, ``***``;
* identifiers that merely sit under a secret-sounding key: keys ending in ``id``, ``name``,
  ``type``, ``url``, ``path`` and the like (``auth_client_id``, ``token_url``), pagination
  cursors (``nextToken``, ``page_token``) and idempotency keys;
* words and dotted or dashed names (``bert-base-uncased-whole-word``,
  ``myapp.auth.backends.TokenBackend``), URLs, paths and e-mail addresses;
* UUIDs, unless the key says ``password``, ``secret``, ``api key``, ``private`` or
  ``credential``. Under ``token`` or ``auth`` keys UUIDs are overwhelmingly request, session and
  idempotency ids; under the stronger names they are real secrets often enough (Heroku API keys,
  generated passwords) to keep, with a lower score.

Keys like ``tokenizer``, ``author`` or ``secretary`` do not match: the keyword must not be
followed by a lower-case letter. (``max_tokens`` does match; its numbers are far below 16
characters.) The score is modest (0.6, UUIDs 0.5): the key and the entropy are evidence, not
proof.
"""

from __future__ import annotations

from typing import ClassVar

import regex as re
from presidio_analyzer import Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from pipelines.detection.secrets._base import SecretRecognizer
from pipelines.detection.secrets._checks import (
    ASSIGN,
    OPEN_QUOTE,
    char_classes,
    is_placeholder,
    is_uuid,
    looks_random,
)

_KEYWORD = (
    r"(?i:authorization|auth|tokens?|secret|passw(?:or)?d|api[_.\-]?key|credentials?|private)"
    # Not followed by a lower-case letter: ``author``, ``tokenizer``, ``secretary`` stay out.
    r"(?:[A-Z0-9_.\-][A-Za-z0-9_.\-]{0,40})?"
)
_SCHEME = r"(?:(?i:bearer|basic|token)[ \t]{1,8})?"
# Possessive ({m,n}+): the class excludes the characters that may end a value, so giving back
# characters can never produce a match; without it, 100 KB of "token=token=..." takes 0.7 s.
_QUOTED_VALUE = r"[^\s\"'`\\]{16,256}+(?=\\?[\"'`])"
_BARE_VALUE = r"[^\s\"'`,;<>(){}\[\]\\&|]{16,256}+(?![^\s\"'`,;<>(){}\[\]\\&|])"

UUID_SCORE = 0.5
# The key (text before the value) and the value's assignment, read back from the value.
_KEY_BEFORE = re.compile(
    rf"([A-Za-z0-9_.\-]{{1,80}}){ASSIGN}(?:{OPEN_QUOTE})?{_SCHEME}\Z"
)
_NOT_SECRET_KEY = re.compile(
    r"(?:ids?|uuid|name|type|kind|url|uri|link|path|file|dir|endpoint|host|port|method|mode"
    r"|version|format|header|provider|scheme|length|len|count|size|ttl|expiry|expires|expiresat"
    r"|expiresin|limit|hint|field|prefix|suffix|algorithm|alg|region|location|user|username"
    r"|email|enabled|required|label|description|policy|usage)$"
    r"|next|page|cursor|continuation|pagination|idempotency|marker"
)
_STRONG_KEY = re.compile(r"passw|secret|apikey|private|credential")
_URLISH = re.compile(r"://|^[~.]?/|^[A-Za-z]:\\|^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_WORDISH = re.compile(r"[A-Za-z]+(?:[._\-/][A-Za-z]+)+")


class HighEntropySecretRecognizer(SecretRecognizer):
    ENTITY: ClassVar[str] = "HIGH_ENTROPY_SECRET"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "secret_key_quoted_value",
            rf"{_KEYWORD}{ASSIGN}{OPEN_QUOTE}{_SCHEME}\K{_QUOTED_VALUE}",
            0.6,
        ),
        Pattern("secret_key_bare_value", rf"{_KEYWORD}{ASSIGN}{_SCHEME}\K{_BARE_VALUE}", 0.6),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "token", "secret", "password", "passwd", "api_key", "apikey", "auth", "credential",
        "private",
    )
    # The keyword, the rest of the key name and the first character of the assignment: the
    # same prefix every match starts with, minus the lookahead Hyperscan cannot express.
    PREFILTER: ClassVar[tuple[str, ...]] = (
        r"(?i:auth|token|secret|passw(?:or)?d|api[_.\-]?key|credential|private)"
        r"[A-Za-z0-9_.\-]{0,41}\\?[\"']?[ \t]{0,8}[=:]",
    )
    # From "=" or ":": rest of the operator and spaces (9), quote (2), "Bearer  " (14), value.
    PREFILTER_REACH: ClassVar[int] = 288
    VERSION: ClassVar[str] = "1"
    CONTEXT_IN_PATTERN: ClassVar[bool] = True

    def validate_result(self, pattern_text: str) -> bool | None:
        """Drop what is not random enough to be a generated secret; a pass keeps the pattern
        score (None) rather than confirming (True would mean score 1.0 in Presidio)."""
        value = pattern_text
        if is_placeholder(value) or _URLISH.search(value):
            return False
        if is_uuid(value):
            return None  # judged by its key in ``analyze``
        if _WORDISH.fullmatch(value) or char_classes(value) < 2 or not looks_random(value):
            return False
        return None

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Judge each value by its key too, which ``validate_result`` cannot see."""
        kept: list[RecognizerResult] = []
        for result in super().analyze(text, entities, nlp_artifacts, regex_flags):
            match = _KEY_BEFORE.search(text, max(0, result.start - 160), result.start)
            key = _normalise(match.group(1)) if match else ""
            if _NOT_SECRET_KEY.search(key):
                continue
            if is_uuid(text[result.start : result.end]):
                if not _STRONG_KEY.search(key):
                    continue
                result.score = min(result.score, UUID_SCORE)
            kept.append(result)
        return kept


def _normalise(key: str) -> str:
    """``next_page-Token`` -> ``nextpagetoken``: compare key names without case or separators."""
    return str(re.sub(r"[^a-z0-9]", "", key.lower()))
