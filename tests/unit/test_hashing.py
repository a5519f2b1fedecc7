import hashlib
import hmac

import pytest

from pipelines.hashing import KeyedHasher


def test_hash_is_hmac_sha256_with_key_id() -> None:
    hasher = KeyedHasher(b"k" * 32, "2026-11")
    expected = hmac.new(b"k" * 32, b"536-22-8493", hashlib.sha256).hexdigest()
    assert hasher.text("536-22-8493") == f"hmac-sha256:2026-11:{expected}"


def test_different_keys_give_different_hashes_and_verify_needs_the_right_key() -> None:
    a, b = KeyedHasher(b"a" * 32, "a"), KeyedHasher(b"b" * 32, "b")
    stored = a.text("hello")
    assert a.verify("hello", stored)
    assert not b.verify("hello", stored)
    assert not a.verify("hello!", stored)


def test_plain_sha256_is_not_what_we_store() -> None:
    assert hashlib.sha256(b"hello").hexdigest() not in KeyedHasher(b"a" * 32, "a").text("hello")


def test_repr_never_shows_the_key() -> None:
    assert "secret" not in repr(KeyedHasher(b"secret" * 8, "k1"))


@pytest.mark.parametrize("key_id", ["", "a:b"])
def test_key_id_must_be_parseable(key_id: str) -> None:
    with pytest.raises(ValueError):
        KeyedHasher(b"a" * 32, key_id)
