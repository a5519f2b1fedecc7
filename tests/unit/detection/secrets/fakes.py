"""Synthetic secrets, built at run time from a prefix and seeded random characters.

No real-looking secret is written in the source (GitHub push protection and secret scanners
would flag it, and a real one must never be committed); every value here is generated, so it
has the right shape and authenticates nowhere. Prefixes are split (``"gh" + "p_"``) for the same
reason.
"""

from __future__ import annotations

import base64
import json
import random
import string
import textwrap

RNG = random.Random(20240611)
BASE62 = string.ascii_letters + string.digits
BASE64 = BASE62 + "+/"
BASE64URL = BASE62 + "-_"
BASE32 = string.ascii_uppercase + "234567"
HEX = "0123456789abcdef"
DIGITS = string.digits


def rand(n: int, alphabet: str = BASE62) -> str:
    return "".join(RNG.choice(alphabet) for _ in range(n))


def aws_access_key(prefix: str = "AK" + "IA") -> str:
    return prefix + rand(16, BASE32)


def aws_secret_key() -> str:
    return rand(40, BASE64)


def github_token(kind: str = "p", length: int = 36) -> str:
    return "gh" + kind + "_" + rand(length)


def github_fine_grained() -> str:
    return "github" + "_pat_" + rand(22) + "_" + rand(59)


def slack_bot_token() -> str:
    return "xo" + "xb-" + rand(11, DIGITS) + "-" + rand(12, DIGITS) + "-" + rand(24)


def slack_user_token() -> str:
    parts = [rand(12, DIGITS), rand(12, DIGITS), rand(12, DIGITS), rand(32, HEX)]
    return "xo" + "xp-" + "-".join(parts)


def slack_webhook(scheme: str = "https://") -> str:
    team, hook = "T" + rand(9, string.ascii_uppercase), "B" + rand(9, string.ascii_uppercase)
    return f"{scheme}hooks.slack.com/services/{team}/{hook}/{rand(24)}"


def stripe_key(prefix: str = "sk" + "_live_", length: int = 24) -> str:
    return prefix + rand(length)


def google_api_key() -> str:
    return "AI" + "za" + rand(35, BASE64URL)


def b64url_json(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def jwt(header: object | None = None, signature_length: int = 43) -> str:
    header = {"alg": "HS256", "typ": "JWT"} if header is None else header
    payload = {"sub": rand(8, DIGITS), "name": "Test User", "iat": 1700000000}
    return f"{b64url_json(header)}.{b64url_json(payload)}.{rand(signature_length, BASE64URL)}"


def pem_body(n_bytes: int = 600) -> list[str]:
    """Base64 of random bytes, wrapped at 64 columns like every PEM writer does."""
    return textwrap.wrap(base64.b64encode(RNG.randbytes(n_bytes)).decode(), 64)


def pem(label: str = "RSA ", headers: tuple[str, ...] = (), newline: str = "\n") -> str:
    begin = f"-----BEGIN {label}PRIVATE KEY-----"
    end = f"-----END {label}PRIVATE KEY-----"
    lines = [begin, *headers, *([""] if headers else []), *pem_body(), end]
    return newline.join(lines)


def pgp_private_key_block() -> str:
    lines = [
        "-----BEGIN PGP PRIVATE KEY BLOCK-----",
        "Version: GnuPG v2",
        "Comment: synthetic test key",
        "",
        *pem_body(900),
        "=" + rand(4, BASE64),
        "-----END PGP PRIVATE KEY BLOCK-----",
    ]
    return "\n".join(lines)


def uuid4() -> str:
    h = rand(32, HEX)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def git_sha() -> str:
    return rand(40, HEX)
