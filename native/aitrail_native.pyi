# Types of the Rust extension (native/src); maturin ships this stub and a py.typed marker.
from collections.abc import Callable, Sequence

class NgramScorer:
    """The moderation model's hashed n-gram logits (twin of features.featurize_padded plus
    ModerationDetector._ngram_logits)."""

    def __init__(self, weights: bytes, n_cat: int, bits: int, char_ngrams: Sequence[int],
                 word_ngrams: Sequence[int], char_weight: float, word_weight: float) -> None: ...
    def logits(self, texts: Sequence[str]) -> bytes:
        """``len(texts) * n_cat`` little-endian float64, row-major."""

NAME_BITS: dict[str, int]  # the name tagger's token classes and word bits (tagger.py)
NAME_CHAR_FLAGS: dict[str, int]  # the character flags of tagger.char_info

class NameRuns:
    """The name tagger's run loop (twin of Tagger._runs with _plan and _place_in_context)."""

    def __init__(self, table: dict[str, int], places: Sequence[tuple[str, float, str, bool]],
                 words: frozenset[str], rules: Sequence[tuple[str, str]], wordnet: bool,
                 particles: frozenset[str], honorifics: frozenset[str],
                 person_cues: frozenset[str], place_cues: frozenset[str],
                 lower_places: set[str],
                 char_info: Callable[[str], tuple[int, str, str]],
                 key_bits: Callable[[str], int]) -> None: ...
    def clear_caches(self) -> None: ...
    def find(self, text: str, masked: Sequence[tuple[int, int]]
             ) -> tuple[list[tuple[int, int, str, float, str]], bool]:
        """Spans as (start, end, entity, score, why); True for a text typed without capitals
        (the caller reads its lower-case names)."""
