"""Keyed hashes of audited text.

A plain SHA-256 of a short prompt or an SSN falls to brute force, so every hash is an
HMAC-SHA-256 under a secret key. The key id travels with the hash so that an auditor holding the
text and the right key can recompute it, and keys can rotate.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

HASH_SCHEME = "hmac-sha256"


@dataclass(frozen=True)
class KeyedHasher:
    key: bytes
    key_id: str

    def __post_init__(self) -> None:
        if ":" in self.key_id or not self.key_id:
            raise ValueError("hash key id must be non-empty and contain no ':'")

    def __repr__(self) -> str:  # never print the key
        return f"KeyedHasher(key_id={self.key_id!r})"

    def text(self, text: str) -> str:
        """``hmac-sha256:<key id>:<hex digest>`` of the UTF-8 text."""
        return self.digest(text.encode("utf-8"))

    def digest(self, payload: bytes) -> str:
        mac = hmac.new(self.key, payload, hashlib.sha256).hexdigest()
        return f"{HASH_SCHEME}:{self.key_id}:{mac}"

    def verify(self, text: str, stored: str) -> bool:
        """True when ``stored`` is this key's hash of ``text`` (constant-time compare)."""
        return hmac.compare_digest(self.text(text), stored)
