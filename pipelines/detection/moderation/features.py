"""Hashed character and word n-grams, computed for a whole batch at once with numpy.

Why not scikit-learn's HashingVectorizer: the worker must not need scikit-learn, and its
MurmurHash is fine but its tokenisation runs one Python call per text. Here a batch becomes one
array of code points; every n-gram's hash is a difference of two prefix sums of a polynomial
hash (mod 2**64, so the arithmetic is exact and identical on every machine and in every
process), then a murmur3 finaliser spreads it over ``2**bits`` buckets with a sign bit, as
HashingVectorizer's ``alternate_sign`` does. Python's salted ``hash()`` is never used.

Output is a few (row, bucket, value) chunks with duplicate buckets kept: summing them is what
a dot product does anyway. Each family (char, word) is scaled by
``1/sqrt(count)`` per text so that long and short texts land on the same scale.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

U64 = np.uint64
_MASK = (1 << 64) - 1
_Q = 0x100000001B3  # FNV-64 prime: odd, so invertible mod 2**64
_Q_INV = pow(_Q, -1, 1 << 64)
_BIGRAM_MUL = U64(0x9E3779B97F4A7C15)
_SEED_WORD = 101
_SEED_BIGRAM = 102
_NONZERO_DIGIT = re.compile(r"[1-9]")
_SEP = "\x00"

Int64s = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float32]
Chunk = tuple[Int64s, Int64s, Floats]


@dataclass(frozen=True)
class FeatureConfig:
    """Everything that changes the vector; stored in the model's metadata and checked on load."""

    bits: int = 18
    char_ngrams: tuple[int, ...] = (3, 4, 5)
    word_ngrams: tuple[int, ...] = (1, 2)
    char_weight: float = 1.0
    word_weight: float = 1.0
    head_chars: int = 4500
    tail_chars: int = 1500
    hash_scheme: str = "poly64-fnvprime+murmur3fmix64/v1"

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FeatureConfig:
        kwargs = dict(data)
        kwargs["char_ngrams"] = tuple(data["char_ngrams"])
        kwargs["word_ngrams"] = tuple(data["word_ngrams"])
        return cls(**kwargs)


def normalize(text: str, cfg: FeatureConfig) -> str:
    """NFKC (folds full-width and styled letters), lower case, digits to 0, one space."""
    if len(text) > cfg.head_chars + cfg.tail_chars:
        text = text[: cfg.head_chars] + " " + text[-cfg.tail_chars :]
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    # a C-level substitution: str.translate with a table costs a dict lookup per character
    return " ".join(_NONZERO_DIGIT.sub("0", text.lower()).replace(_SEP, " ").split())


def _fmix64(h: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    h = h ^ (h >> U64(33))
    h = h * U64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> U64(33))
    h = h * U64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> U64(33))


class _Powers:
    """Q**i and Q**-i mod 2**64, grown on demand and shared by every batch in the process."""

    def __init__(self) -> None:
        self.fwd = np.ones(1, dtype=U64)
        self.inv = np.ones(1, dtype=U64)

    def get(self, n: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
        if len(self.fwd) < n:
            size = max(n, 2 * len(self.fwd))
            fwd = np.full(size, _Q, dtype=U64)
            fwd[0] = 1
            inv = np.full(size, _Q_INV, dtype=U64)
            inv[0] = 1
            self.fwd, self.inv = np.cumprod(fwd), np.cumprod(inv)
        return self.fwd[:n], self.inv[:n]


_POWERS = _Powers()


def _ascii_word_table() -> npt.NDArray[np.bool_]:
    table = np.zeros(128, dtype=bool)
    for lo, hi in (("a", "z"), ("0", "9")):
        table[ord(lo) : ord(hi) + 1] = True
    table[ord("'")] = True
    return table


_ASCII_WORD = _ascii_word_table()


def _is_word(cp: npt.NDArray[np.uint64]) -> npt.NDArray[np.bool_]:
    """Letters, digits, apostrophes; any non-ASCII code point except general punctuation and
    the separator (so CJK and emoji count as word characters)."""
    small = np.minimum(cp, U64(127)).view(np.int64)
    general_punct = (cp >= U64(0x2000)) & (cp < U64(0x2070))
    return np.where(cp < U64(128), _ASCII_WORD[small], ~general_punct)


def _bucket(h: npt.NDArray[np.uint64], seed: int, bits: int) -> tuple[Int64s, Floats]:
    m = _fmix64(h ^ U64(seed * 0x9E3779B97F4A7C15 & _MASK))
    idx = (m & U64((1 << bits) - 1)).view(np.int64)
    sign = (m >> U64(63)).astype(np.float32) * np.float32(-2.0) + np.float32(1.0)
    return idx, sign


def featurize(texts: Sequence[str], cfg: FeatureConfig) -> list[Chunk]:
    """One ``(row, bucket, value)`` chunk per n-gram size, each sorted by row. A row's values
    depend on its own text only, never on the rest of the batch."""
    return featurize_normalized([normalize(t, cfg) for t in texts], cfg)


def featurize_normalized(norm: Sequence[str], cfg: FeatureConfig) -> list[Chunk]:
    """:func:`featurize` for texts already passed through :func:`normalize`."""
    n_docs = len(norm)
    lens = np.fromiter((len(t) for t in norm), dtype=np.int64, count=n_docs)
    joined = _SEP.join(norm)
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(U64)
    total = len(cp)
    fwd, inv = _POWERS.get(total + 1)
    prefix = np.zeros(total + 1, dtype=U64)
    np.cumsum(cp * fwd[:total], out=prefix[1:])
    doc_of = np.repeat(np.arange(n_docs, dtype=np.int64), lens + 1)[:total]
    # characters left in the text from each position on (0 on the separators)
    ends = np.cumsum(lens + 1) - 1
    left = np.repeat(ends, lens + 1)[:total] - np.arange(total, dtype=np.int64)

    families: list[tuple[list[Chunk], float]] = []  # (row, bucket, sign) chunks, weight
    char_chunks: list[Chunk] = []
    for n in cfg.char_ngrams:
        if total < n:
            continue
        h = (prefix[n:] - prefix[:-n]) * inv[: total - n + 1]
        keep = left[: total - n + 1] >= n
        idx, sign = _bucket(h[keep], n, cfg.bits)
        char_chunks.append((doc_of[: total - n + 1][keep], idx, sign))
    families.append((char_chunks, cfg.char_weight))

    word = _is_word(cp)
    edge = np.diff(np.concatenate(([0], word.view(np.int8), [0])))
    ws = np.flatnonzero(edge == 1)
    we = np.flatnonzero(edge == -1)
    wdoc = doc_of[ws]
    wh = (prefix[we] - prefix[ws]) * inv[ws]
    word_chunks: list[Chunk] = []
    if 1 in cfg.word_ngrams:
        word_chunks.append((wdoc, *_bucket(wh, _SEED_WORD, cfg.bits)))
    if 2 in cfg.word_ngrams:
        same = wdoc[1:] == wdoc[:-1]
        bh = wh[:-1][same] * _BIGRAM_MUL + wh[1:][same]
        word_chunks.append((wdoc[1:][same], *_bucket(bh, _SEED_BIGRAM, cfg.bits)))
    families.append((word_chunks, cfg.word_weight))
    return _assemble(families, n_docs)


def _assemble(families: list[tuple[list[Chunk], float]], n_docs: int) -> list[Chunk]:
    """Scale each family by ``weight / sqrt(its n-gram count in the row)``."""
    out: list[Chunk] = []
    for chunks, weight in families:
        counts = np.zeros(n_docs, dtype=np.float32)
        for docs, _, _ in chunks:
            counts += np.bincount(docs, minlength=n_docs).astype(np.float32)
        scale = np.float32(weight) / np.sqrt(np.maximum(counts, np.float32(1.0)))
        out.extend((docs, idx, (sign * scale[docs]).astype(np.float32))
                   for docs, idx, sign in chunks)
    return out


def to_coo(chunks: list[Chunk]) -> tuple[Int64s, Int64s, Floats]:
    """All chunks as one (row, column, value) triple, for building a training matrix."""
    if not chunks:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
    return (np.concatenate([c[0] for c in chunks]), np.concatenate([c[1] for c in chunks]),
            np.concatenate([c[2] for c in chunks]))
