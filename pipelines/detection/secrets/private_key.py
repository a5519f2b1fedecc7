"""PEM and OpenPGP private key blocks: ``-----BEGIN [RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP ]
PRIVATE KEY[ BLOCK]-----`` through the matching ``-----END ...-----`` line.

The span covers the whole block, END line included, so redaction removes the key and not just
its header. Prompts carry keys in four layouts, all handled: real newlines (optionally
indented, as in YAML), JSON-escaped ``\\n`` (service-account files pasted into a message),
newlines flattened to spaces, and no separators at all. A block cut off before its END line
(truncated logs and messages) is still reported, up to the last line of key material.

``validate_result`` confirms a complete block (score 1.0), keeps a truncated one that still
holds at least :data:`MIN_BODY` base64 characters, and drops a header with no key material
(``the file starts with -----BEGIN RSA PRIVATE KEY-----``).
"""

from __future__ import annotations

from typing import ClassVar

import regex as re
from presidio_analyzer import Pattern

from pipelines.detection.secrets._base import SecretRecognizer

MIN_BODY = 64
_NL = r"(?:\r?\n|(?:\\r)?\\n)[ \t]{0,16}"
# PEM encryption headers (RFC 1421) and OpenPGP armor headers (RFC 4880).
_HEADER = r"(?:Proc-Type|DEK-Info|Version|Comment|Hash|Charset|MessageID):[^\r\n\\]{0,200}"
_LONG = r"[A-Za-z0-9+/=]{16,1024}(?![A-Za-z0-9+/=])"
_FIRST = r"[A-Za-z0-9+/=]{16,16384}(?![A-Za-z0-9+/=])"
_END = r"-----END (?P=label)PRIVATE KEY(?: BLOCK)?-----"
# A short line is only key material right before the END line (last base64 line, PGP CRC).
_SHORT = rf"[A-Za-z0-9+/=]{{1,15}}(?=(?:{_NL}|[ \t]{{0,4}}){_END})"
_BEGIN = r"-----BEGIN (?P<label>(?:[A-Z0-9]{2,10} ){0,3})PRIVATE KEY(?: BLOCK)?-----"
# An empty line only between lines (PGP puts one after its armor headers), never at the end.
_LINE = rf"{_NL}(?:{_HEADER}|{_LONG}|{_SHORT}|(?={_NL}))|[ \t]{{1,4}}(?:{_LONG}|{_SHORT})"
_BODY = rf"(?:{_FIRST})?(?:{_LINE}){{0,512}}"
_BLOCK = rf"{_BEGIN}{_BODY}(?:(?:{_NL}|[ \t]{{0,4}}){_END})?"

_ARMOR_LINE = re.compile(rf"-----(?:BEGIN|END) [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|{_HEADER}")
_BASE64 = re.compile(r"[A-Za-z0-9+/=]")


class PrivateKeyRecognizer(SecretRecognizer):
    ENTITY: ClassVar[str] = "PRIVATE_KEY"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (Pattern("private_key_block", _BLOCK, 0.85),)
    CONTEXT: ClassVar[tuple[str, ...]] = ("private", "key", "pem", "ssh", "rsa", "pgp", "gpg")
    PREFILTER: ClassVar[tuple[str, ...]] = (r"-----BEGIN (?:[A-Z0-9]{2,10} ){0,3}PRIVATE KEY",)
    # Bounded by the pattern: a 16 KiB first run plus 512 lines of at most ~1 KiB each.
    PREFILTER_REACH: ClassVar[int] = 1 << 20
    VERSION: ClassVar[str] = "1"

    def validate_result(self, pattern_text: str) -> bool | None:
        body = _ARMOR_LINE.sub("", pattern_text).replace("\\n", "").replace("\\r", "")
        if len(_BASE64.findall(body)) < MIN_BODY:
            return False
        return True if "-----END " in pattern_text else None
