# Types of the Rust extension (native/src); maturin ships this stub and a py.typed marker.
from collections.abc import Sequence

class NgramScorer:
    """The moderation model's hashed n-gram logits (twin of features.featurize_padded plus
    ModerationDetector._ngram_logits)."""

    def __init__(self, weights: bytes, n_cat: int, bits: int, char_ngrams: Sequence[int],
                 word_ngrams: Sequence[int], char_weight: float, word_weight: float) -> None: ...
    def logits(self, texts: Sequence[str]) -> bytes:
        """``len(texts) * n_cat`` little-endian float64, row-major."""
