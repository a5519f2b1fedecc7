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

Inference uses :func:`featurize_padded` instead: the same hashes, laid out as one padded row per
text (n-gram buckets, signs, and the two family scales), so that a block of texts is scored with
one gather and one batched matrix-vector product per family instead of a scatter of chunks.
"""

from __future__ import annotations

import functools
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


# Byte tables for normalize: digits 1-9 to 0, and the batch separator and every character
# str.split() treats as ASCII whitespace to a space. The ASCII table also lower-cases, which is
# all str.lower() does to an ASCII string.
_ASCII_SPACES = b"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "
_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_DIGIT_SPACE_FROM = b"123456789" + _SEP.encode() + _ASCII_SPACES
_DIGIT_SPACE_TO = b"000000000" + b" " * (1 + len(_ASCII_SPACES))
_ASCII_TABLE = bytes.maketrans(_DIGIT_SPACE_FROM + _ASCII_UPPER,
                               _DIGIT_SPACE_TO + _ASCII_UPPER.lower())
_UTF8_TABLE = bytes.maketrans(_DIGIT_SPACE_FROM, _DIGIT_SPACE_TO)  # only ASCII bytes change
# The characters above 0x7f for which str.isspace() is true (a test checks the list).
NON_ASCII_SPACES = "\x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + (
    "\u2028\u2029\u202f\u205f\u3000")
# those that NFKC leaves as they are (it maps the others to a space); an NFKC-normalised text
# contains no others
_SPACES_AFTER_NFKC = tuple(c for c in NON_ASCII_SPACES if unicodedata.normalize("NFKC", c) == c)


def _has_non_ascii_space(nfkc_text: str) -> bool:
    for space in _SPACES_AFTER_NFKC:  # a few C-level scans beat one regex character class
        if space in nfkc_text:
            return True
    return False


def _single_spaced(data: bytes) -> bytes:
    """``b" ".join(data.split())`` for data whose only whitespace is the space; a long text
    goes faster by halving runs of spaces than by splitting it into words."""
    if len(data) < 128:
        return b" ".join(data.split())
    while b"  " in data:
        data = data.replace(b"  ", b" ")
    return data.strip(b" ")


def normalize(text: str, cfg: FeatureConfig) -> str:
    """NFKC (folds full-width and styled letters), lower case, digits to 0, one space.

    Equal to ``" ".join(re.sub("[1-9]", "0", nfkc(text).lower()).replace("\\x00", " ")
    .split())``, computed on bytes: ``bytes.translate`` (one C table lookup per byte) maps
    digits and every ASCII whitespace character (in UTF-8 a byte below 0x80 is always a whole
    ASCII character), then runs of spaces are squeezed. A text with whitespace above 0x7f
    left after NFKC takes ``str.split()``."""
    if len(text) > cfg.head_chars + cfg.tail_chars:
        text = text[: cfg.head_chars] + " " + text[-cfg.tail_chars :]
    if text.isascii():
        return _single_spaced(text.encode("ascii").translate(_ASCII_TABLE)).decode("ascii")
    text = unicodedata.normalize("NFKC", text).lower()
    if text.isascii():
        return _single_spaced(text.encode("ascii").translate(_ASCII_TABLE)).decode("ascii")
    mapped = text.encode("utf-8", "surrogatepass").translate(_UTF8_TABLE)
    if _has_non_ascii_space(text):
        return " ".join(mapped.decode("utf-8", "surrogatepass").split())
    return _single_spaced(mapped).decode("utf-8", "surrogatepass")


_FMIX_MUL = (U64(0xFF51AFD7ED558CCD), U64(0xC4CEB9FE1A85EC53))
_SHIFT = U64(33)
_FMIX_CHUNK = 16384  # hashes finalised per pass: two 128 KB arrays


def _fmix64_into(h: npt.NDArray[np.uint64], tmp: npt.NDArray[np.uint64]) -> None:
    """murmur3's 64-bit finaliser, in place, with ``tmp`` (same shape) as scratch: no
    temporaries."""
    for mul in (*_FMIX_MUL, None):
        np.right_shift(h, _SHIFT, out=tmp)
        np.bitwise_xor(h, tmp, out=h)
        if mul is not None:
            np.multiply(h, mul, out=h)


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


_GENERAL_PUNCT = (0x2000, 0x2070)


def _word_table() -> npt.NDArray[np.bool_]:
    """Word-ness of code points 0..0x2070; every code point above 0x2070 is a word character."""
    table = np.ones(_GENERAL_PUNCT[1] + 1, dtype=bool)
    table[:128] = _ASCII_WORD
    table[_GENERAL_PUNCT[0] : _GENERAL_PUNCT[1]] = False
    return table


_WORD_TABLE = _word_table()


def _is_word(cp: npt.NDArray[np.uint8] | npt.NDArray[np.uint32] | npt.NDArray[np.uint64]
             ) -> npt.NDArray[np.bool_]:
    """Letters, digits, apostrophes; any non-ASCII code point except general punctuation (so
    CJK and emoji count as word characters); not the separator. A lookup in ``_WORD_TABLE``,
    whose last entry stands for every code point above it."""
    if cp.dtype == np.uint8:
        return np.take(_WORD_TABLE, cp)
    top = np.minimum(cp, cp.dtype.type(_GENERAL_PUNCT[1]))
    return np.take(_WORD_TABLE, top.astype(np.intp, copy=False))


def _seed(seed: int) -> np.uint64:
    return U64(seed * 0x9E3779B97F4A7C15 & _MASK)


def _bucket(h: npt.NDArray[np.uint64], seed: int, bits: int) -> tuple[Int64s, Floats]:
    m = h ^ _seed(seed)
    _fmix64_into(m, np.empty_like(m))
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
        scale = _family_scale(counts, weight)
        out.extend((docs, idx, (sign * scale[docs]).astype(np.float32))
                   for docs, idx, sign in chunks)
    return out


def _family_scale(counts: npt.NDArray[np.float32], weight: float | Floats) -> Floats:
    """``weight / sqrt(max(count, 1))`` in float32, as the model was trained."""
    root: Floats = np.sqrt(np.maximum(counts, np.float32(1.0)))
    return np.divide(np.asarray(weight, dtype=np.float32), root, dtype=np.float32)


Float64s = npt.NDArray[np.float64]
_SIGN_BIT = U64(1 << 63)
_ONE_BITS = U64(0x3FF0000000000000)  # the float64 1.0; with the sign bit set, -1.0
# bytes.translate table: 1 for the ASCII word characters of _is_word, 0 for the rest
_ASCII_WORD_BYTES = bytes(int(_WORD_TABLE[c]) for c in range(256))


@dataclass(frozen=True)
class PaddedFeatures:
    """The n-grams of a block of texts, one padded row per text; see :func:`featurize_padded`.

    Text ``d`` adds ``char_scale[d] * (char_sign[d] @ w[char_idx[d]]) + word_scale[d] *
    (word_sign[d] @ w[word_idx[d]])`` to a linear model ``w`` that has a row of zeros appended
    (bucket ``2**bits``): the same sum as its entries in :func:`featurize_normalized`'s
    chunks. Padding has that bucket, and any sign."""

    char_idx: Int64s  # (texts, sizes * stride): bucket of the n-gram of each size at each offset
    char_sign: Float64s  # same shape: +1.0 or -1.0
    word_idx: Int64s  # (texts, word slots): unigrams, then bigrams, each packed to the front
    word_sign: Float64s
    char_scale: Floats  # (texts,) char_weight / sqrt(char n-gram count)
    word_scale: Floats


@functools.cache
def _padded_constants(cfg: FeatureConfig) -> tuple[Int64s, npt.NDArray[np.uint64], Floats]:
    """The char n-gram sizes, their seeds (as a column), and the family weights."""
    return (np.array(cfg.char_ngrams, dtype=np.int64),
            np.array([[_seed(n)] for n in cfg.char_ngrams], dtype=U64).reshape(-1, 1),
            np.array([cfg.char_weight, cfg.word_weight], dtype=np.float32))


def featurize_padded(norm: Sequence[str], cfg: FeatureConfig) -> PaddedFeatures:
    """:func:`featurize_normalized`'s n-grams, hashes and scales, laid out for scoring.

    The texts are padded with separators to one stride (the longest text plus one), so every
    array has a row per text and padding costs as much as text: pass texts of similar length.
    Row ``d`` of the char arrays holds, for each n-gram size in turn, the n-grams of text ``d``
    at their start offsets (offsets past the last full n-gram are padding); the word unigrams
    and bigrams are packed to the front of their sections of ``word_idx``. A row depends on its
    own text only.

    The hashes are :func:`featurize_normalized`'s, computed differently: a char n-gram's
    ``sum(cp[p + i] * Q**i)`` grows by one term per size instead of coming from prefix sums,
    and every hash of the block goes through the finaliser in one buffer, in place."""
    k = len(norm)
    lens_list = [len(t) for t in norm]
    stride = max(lens_list, default=0) + 1  # at least one separator after every text
    lens = np.array(lens_list, dtype=np.int64)
    n_pos = k * stride
    sizes = cfg.char_ngrams
    n_sizes = len(sizes)
    n_max = max(sizes, default=1)
    bits = U64((1 << cfg.bits) - 1)
    padded = "".join([t.ljust(stride, _SEP) for t in norm])
    # code points, then n_max zeros so that every size's shifted view exists; word[i + 1] is
    # whether code point i is a word character (word[0], before the block, is not)
    cp = np.zeros(n_pos + n_max, dtype=U64)
    if padded.isascii():
        raw = padded.encode("ascii")
        cp[:n_pos] = np.frombuffer(raw, dtype=np.uint8)
        word = np.frombuffer(b"\x00" + raw.translate(_ASCII_WORD_BYTES), dtype=bool)
    else:
        cp32 = np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32)
        cp[:n_pos] = cp32
        word = np.zeros(n_pos + 1, dtype=bool)
        word[1:] = _is_word(cp32)
    fwd, inv = _POWERS.get(max(n_pos, n_max))

    # words: runs of word characters; the padding ends every text's last word
    prefix = np.empty(n_pos + 1, dtype=U64)
    prefix[0] = 0
    np.multiply(cp[:n_pos], fwd[:n_pos], out=prefix[1:])
    np.add.accumulate(prefix[1:], out=prefix[1:])
    flips = np.not_equal(word[1:], word[:-1]).nonzero()[0]
    ws, we = flips[0::2], flips[1::2]
    wh = prefix.take(we)
    wh -= prefix.take(ws)
    wh *= inv.take(ws)
    wdoc = ws // stride
    first = ws.searchsorted(np.arange(0, (k + 1) * stride, stride, dtype=np.int64))
    n_words = first[1:] - first[:-1]
    max_words = int(np.maximum.reduce(n_words, initial=0))
    uni_slots = max_words if 1 in cfg.word_ngrams else 0
    bi_slots = max(max_words - 1, 0) if 2 in cfg.word_ngrams else 0
    word_width = uni_slots + bi_slots
    # slot of each unigram in the flat (k, word_width) array; the bigram of words (i-1, i)
    # sits in the bigram section at word i's rank minus one
    slot = np.arange(len(ws), dtype=np.int64)
    slot -= first.take(wdoc)
    slot += wdoc * word_width
    word_hashes: list[tuple[npt.NDArray[np.uint64], np.uint64]] = []
    word_slots: list[Int64s] = []
    if uni_slots:
        word_hashes.append((wh, _seed(_SEED_WORD)))
        word_slots.append(slot)
    if bi_slots:
        same = (wdoc[1:] == wdoc[:-1]).nonzero()[0]
        bigram = wh.take(same)
        bigram *= _BIGRAM_MUL
        bigram += wh.take(same + 1)
        word_hashes.append((bigram, _seed(_SEED_BIGRAM)))
        word_slots.append(slot.take(same + 1) + (uni_slots - 1))

    # every hash of the block in one buffer: char n-grams as (text, size, offset), then words
    n_char = n_sizes * n_pos
    buf = np.empty(n_char + sum(len(h) for h, _ in word_hashes), dtype=U64)
    tmp = np.empty(max(len(buf), 2 * n_pos), dtype=U64)
    chars = buf[:n_char].reshape(k, n_sizes, stride)
    shorter = tmp[:n_pos].reshape(k, stride)  # sizes that are not features
    term = tmp[n_pos : 2 * n_pos].reshape(k, stride)
    h = cp[:n_pos].reshape(k, stride)  # the 1-gram hashes
    for n in range(2, n_max + 1):
        longer = chars[:, sizes.index(n)] if n in sizes else shorter
        np.multiply(cp[n - 1 : n - 1 + n_pos].reshape(k, stride), fwd[n - 1], out=term)
        np.add(h, term, out=longer)
        h = longer
    if 1 in sizes:
        chars[:, sizes.index(1)] = cp[:n_pos].reshape(k, stride)
    size_array, char_seeds, weights = _padded_constants(cfg)
    np.bitwise_xor(chars, char_seeds, out=chars)
    at = n_char
    for hashes, seed in word_hashes:
        np.bitwise_xor(hashes, seed, out=buf[at : at + len(hashes)])
        at += len(hashes)
    for lo in range(0, len(buf), _FMIX_CHUNK):  # a slice at a time, while it is in cache
        _fmix64_into(buf[lo : lo + _FMIX_CHUNK], tmp[lo : min(lo + _FMIX_CHUNK, len(buf))])
    idx = np.bitwise_and(buf, bits, out=tmp[: len(buf)]).view(np.int64)
    np.bitwise_and(buf, _SIGN_BIT, out=buf)
    np.bitwise_or(buf, _ONE_BITS, out=buf)
    sign = buf.view(np.float64)

    # an n-gram of size n starting at offset p of a text of length L is real iff p + n <= L;
    # the rest of each (size, text) row is padding, whose bucket becomes 2**bits (a bucket
    # past the model's, which scores as zero)
    real = lens[:, None] - size_array
    real += 1
    np.maximum(real, 0, out=real)  # (text, size)
    pad_len = (stride - real).ravel()
    pad_start = real.ravel() + np.arange(0, n_char, stride, dtype=np.int64)
    pad_start[1:] -= pad_len.cumsum()[:-1]
    pad = pad_start.repeat(pad_len)
    pad += np.arange(len(pad), dtype=np.int64)
    idx[pad] = 1 << cfg.bits

    word_idx = np.full(k * word_width, 1 << cfg.bits, dtype=np.int64)
    word_sign = np.zeros(k * word_width, dtype=np.float64)
    if word_slots:
        dest = np.concatenate(word_slots) if len(word_slots) > 1 else word_slots[0]
        word_idx[dest] = idx[n_char:]
        word_sign[dest] = sign[n_char:]
    counts = np.zeros((k, 2), dtype=np.float32)  # n-grams per text: char, word
    counts[:, 0] = real.sum(axis=1)
    if 1 in cfg.word_ngrams:
        counts[:, 1] = n_words
    if 2 in cfg.word_ngrams:
        counts[:, 1] += np.maximum(n_words - 1, 0)
    scales = _family_scale(counts, weights)
    return PaddedFeatures(
        char_idx=idx[:n_char].reshape(k, n_char // max(k, 1)),
        char_sign=sign[:n_char].reshape(k, n_char // max(k, 1)),
        word_idx=word_idx.reshape(k, word_width), word_sign=word_sign.reshape(k, word_width),
        char_scale=scales[:, 0], word_scale=scales[:, 1],
    )


def to_coo(chunks: list[Chunk]) -> tuple[Int64s, Int64s, Floats]:
    """All chunks as one (row, column, value) triple, for building a training matrix."""
    if not chunks:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
    return (np.concatenate([c[0] for c in chunks]), np.concatenate([c[1] for c in chunks]),
            np.concatenate([c[2] for c in chunks]))
