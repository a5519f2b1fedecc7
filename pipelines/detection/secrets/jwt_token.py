"""JSON Web Tokens: base64url segments separated by dots, the first one a JSON header.

A JWS has three segments (header, payload, signature), a JWE five; both are bearer
credentials for as long as they are valid. The header of every JWT is a JSON object, so its
base64url form starts with ``eyJ`` (``{"``); ``validate_result`` decodes it and confirms the
token only if it is a JSON object with an ``alg`` member, which random ``eyJ...`` strings and
other base64 JSON blobs are not. Signed tokens need a real signature (16+ characters); an
unsecured token (``"alg": "none"``) may have an empty one.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import ClassVar

from presidio_analyzer import Pattern

from pipelines.detection.secrets._base import SecretRecognizer

_SEG = r"[A-Za-z0-9_\-]"
MIN_SIGNATURE = 16


def _b64url_json(segment: str) -> object:
    padded = segment + "=" * (-len(segment) % 4)
    try:
        return json.loads(base64.urlsafe_b64decode(padded))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


class JwtRecognizer(SecretRecognizer):
    ENTITY: ClassVar[str] = "JWT"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "jwt",
            rf"(?<!{_SEG})eyJ{_SEG}{{5,4096}}\.{_SEG}{{0,16384}}\.{_SEG}{{0,4096}}"
            rf"(?:\.{_SEG}{{0,16384}}\.{_SEG}{{0,1024}})?(?!{_SEG})",
            0.9,
        ),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("jwt", "bearer", "token", "authorization", "session")
    PREFILTER: ClassVar[tuple[str, ...]] = (rf"eyJ{_SEG}{{5,}}\.{_SEG}*\.",)
    # From the second dot: a signature, or for a JWE an IV, ciphertext and tag.
    PREFILTER_REACH: ClassVar[int] = 4096 + 16384 + 1024 + 2
    VERSION: ClassVar[str] = "1"

    def validate_result(self, pattern_text: str) -> bool | None:
        segments = pattern_text.split(".")
        header = _b64url_json(segments[0])
        if not isinstance(header, dict) or not isinstance(header.get("alg"), str):
            return False
        unsecured = header["alg"].lower() == "none"
        return unsecured or len(segments[2]) >= MIN_SIGNATURE
