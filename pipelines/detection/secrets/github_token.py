"""GitHub tokens: ``ghp_`` (personal), ``gho_`` (OAuth), ``ghu_`` (user-to-server), ``ghs_``
(server-to-server), ``ghr_`` (refresh) plus 36 base62 characters, and fine-grained personal
tokens ``github_pat_`` + 22 + ``_`` + 59 base62 characters.

GitHub has said classic tokens may grow up to 255 characters; longer bodies are reported with
a lower score so a format change degrades the score instead of hiding the token. The last six
characters of a classic token are a CRC32 checksum, but GitHub has not published its exact
encoding and it cannot be checked here without a real token, so it is not verified: an
unverified checksum used as a gate would drop real tokens.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern

from pipelines.detection.secrets._base import SecretRecognizer
from pipelines.detection.secrets._checks import is_filler

_LEFT = r"(?<![A-Za-z0-9_])"
_RIGHT = r"(?![A-Za-z0-9_])"


class GithubTokenRecognizer(SecretRecognizer):
    ENTITY: ClassVar[str] = "GITHUB_TOKEN"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "github_fine_grained_pat",
            rf"{_LEFT}github_pat_[A-Za-z0-9]{{22}}_[A-Za-z0-9]{{59}}{_RIGHT}",
            0.95,
        ),
        Pattern("github_token", rf"{_LEFT}gh[pousr]_[A-Za-z0-9]{{36}}{_RIGHT}", 0.9),
        Pattern("github_token_longer", rf"{_LEFT}gh[pousr]_[A-Za-z0-9]{{37,251}}{_RIGHT}", 0.5),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("github", "token", "pat", "gh", "git")
    PREFILTER: ClassVar[tuple[str, ...]] = (
        r"gh[pousr]_[A-Za-z0-9]{36}",
        r"github_pat_[A-Za-z0-9]{22}_",
    )
    # A longer classic token (255) runs 219 past the 40-character hit; a fine-grained one 59.
    PREFILTER_REACH: ClassVar[int] = 219
    VERSION: ClassVar[str] = "1"

    def validate_result(self, pattern_text: str) -> bool | None:
        prefix = "github_pat_" if pattern_text.startswith("github_pat_") else "ghp_"
        body = pattern_text[len(prefix) :].replace("_", "")
        return False if is_filler(body) else None
