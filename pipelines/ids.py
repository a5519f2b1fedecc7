"""Deterministic ids: the same input always gives the same id, so a redelivered event replaces
its rows instead of doubling them."""

from __future__ import annotations

import hashlib


def stable_id(*parts: str) -> str:
    """A 32-hex id; the NUL separator keeps ("a", "bc") apart from ("ab", "c")."""
    return hashlib.blake2b("\x00".join(parts).encode(), digest_size=16).hexdigest()
