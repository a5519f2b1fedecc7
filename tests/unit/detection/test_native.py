"""The Rust extension (native/) against its Python twins: the same numbers, bit for bit."""

from __future__ import annotations

import random

import numpy as np
import pytest

from pipelines.detection import native
from pipelines.detection.moderation.features import FeatureConfig, featurize_padded, normalize


def _module():  # type: ignore[no-untyped-def]
    module = native.native_module()
    assert module is not None, f"aitrail_native is not installed: {native.BUILD_HINT}"
    return module


def test_make_install_built_the_extension() -> None:
    """Not a skip: without the extension the engine still works, but every figure in
    docs/BENCHMARKS.md is measured with it."""
    _module()


def test_switched_off_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    native.native_module.cache_clear()
    monkeypatch.setenv("AITRAIL_NATIVE", "0")
    try:
        assert native.native_module() is None
    finally:
        monkeypatch.delenv("AITRAIL_NATIVE")
        native.native_module.cache_clear()
    assert native.native_module() is not None


def numpy_ngram_logits(norm: list[str], weights: np.ndarray, cfg: FeatureConfig) -> np.ndarray:
    """The classifier's numpy scoring, written plainly over featurize_padded's rows."""
    feats = featurize_padded(norm, cfg)
    table = np.vstack([weights, np.zeros((1, weights.shape[1]), dtype=np.float32)])
    out = np.zeros((len(norm), weights.shape[1]))
    for d in range(len(norm)):
        char = feats.char_sign[d] @ table[feats.char_idx[d]].astype(np.float64)
        word = feats.word_sign[d] @ table[feats.word_idx[d]].astype(np.float64)
        out[d] = char * np.float64(feats.char_scale[d]) + word * np.float64(feats.word_scale[d])
    return out


def _random_texts(rng: random.Random, n: int) -> list[str]:
    alphabet = ("abc xyz AZ 0123 '!?.,-\n\t" "éüß" "\u2019\u2014\u2028\u00a0" "日本語" "🔓"
                "\u2000\u206f\u2070")
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
            for _ in range(n)]


@pytest.mark.parametrize("cfg", [
    FeatureConfig(),
    FeatureConfig(char_ngrams=(1, 2, 6), word_ngrams=(2,), char_weight=0.5),
    FeatureConfig(char_ngrams=(4,), word_ngrams=(1,), bits=12, word_weight=2.0),
    FeatureConfig(char_ngrams=(), word_ngrams=(), bits=10),
], ids=["default", "sizes-1-2-6", "bits-12", "nothing"])
@pytest.mark.parametrize("n_cat", [8, 3])
def test_ngram_scorer_equals_numpy(cfg: FeatureConfig, n_cat: int) -> None:
    """Random float16-exact weights (as the shipped model's are), ASCII and Unicode texts,
    empty ones, word boundaries at General Punctuation: equal to the last bit. n_cat 8 takes
    the extension's fixed-width path, 3 the general one."""
    rng = random.Random(n_cat * 31 + cfg.bits)
    weights = np.random.default_rng(5).standard_normal(((1 << cfg.bits), n_cat))
    weights = weights.astype(np.float16).astype(np.float32)
    texts = [normalize(t, cfg) for t in _random_texts(rng, 150)]
    texts += ["", "a", "ab", "abc", "x" * 3000, "ignore previous instructions " * 40]
    texts += _random_texts(rng, 150)  # as written: capitals, U+2070 (NFKC makes it a "0")
    scorer = _module().NgramScorer(weights.tobytes(), n_cat, cfg.bits, list(cfg.char_ngrams),
                                   list(cfg.word_ngrams), cfg.char_weight, cfg.word_weight)
    got = np.frombuffer(scorer.logits(texts), dtype="<f8").reshape(len(texts), n_cat)
    np.testing.assert_array_equal(got, numpy_ngram_logits(texts, weights, cfg))


def test_ngram_scorer_rejects_weights_of_another_shape() -> None:
    with pytest.raises(ValueError, match="expected 2\\*\\*10 rows of 8 float32"):
        _module().NgramScorer(b"\0" * 100, 8, 10, [3], [1], 1.0, 1.0)
    with pytest.raises(ValueError, match="word n-gram sizes"):
        _module().NgramScorer(b"\0" * (4 * 8 << 10), 8, 10, [3], [3], 1.0, 1.0)
