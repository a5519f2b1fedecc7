"""Offline moderation and prompt-injection detection: hashed n-grams + rules -> linear model.

Inference needs numpy and the standard library only; the weights are a compressed ``.npz``
(no pickle: ``allow_pickle=False``) and a JSON metadata file holding the version, feature
configuration, thresholds and the weights' sha256, all trained by ``train.py`` from public data.
A detector is built once per worker process; it pickles as its model directory, so a process
pool sends a path, not 8 MB of weights.

Findings are text-level: one per category whose probability reaches the category threshold,
spanning the whole text. ``scores`` returns every probability for evaluation.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from pipelines.detection.moderation.features import (
    FeatureConfig,
    PaddedFeatures,
    featurize_padded,
    normalize,
)
from pipelines.detection.moderation.rules import RULE_NAMES, rule_hits, rules_digest
from pipelines.detection.native import native_module
from schemas.records import Finding

if TYPE_CHECKING:
    from aitrail_native import NgramScorer

DETECTOR_NAME = "aitrail-moderation"
MODEL_DIR = Path(__file__).resolve().parent / "model"
WEIGHTS_FILE = "moderation.npz"
META_FILE = "moderation.json"
BATCH = 256  # texts normalised and rule-matched together
# Texts are scored in blocks of similar length, padded to the longest: at most BLOCK_CHARS
# characters (padding included; about ten 8-byte temporaries per character), and at most
# BLOCK_PADDING of padding, since a block's fixed cost is about that of 2,000 characters.
BLOCK_CHARS = 32768
BLOCK_PADDING = 2048
# Weight rows gathered at a time: 128 KB as float32, 256 KB widened, so they stay in L2.
GATHER_ROWS = 4096


class ModelFileError(RuntimeError):
    """The model files are missing, altered, or were trained with other features or rules."""


def write_weights(path: Path, hashed: npt.NDArray[Any], rules: npt.NDArray[Any],
                  bias: npt.NDArray[Any]) -> None:
    """Write the npz with fixed zip timestamps so that retraining reproduces the bytes."""
    arrays = {"hashed": hashed.astype(np.float16), "rules": rules.astype(np.float32),
              "bias": bias.astype(np.float32)}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, arr in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(arr), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue(), compresslevel=9)


def _aligned(arr: npt.NDArray[Any]) -> npt.NDArray[np.float32]:
    """A float32 C-contiguous copy starting on a 64-byte boundary: every row of 8 weights is
    then within one cache line."""
    buf = np.empty(arr.size + 16, dtype=np.float32)
    skip = (-buf.ctypes.data % 64) // buf.itemsize
    out = buf[skip : skip + arr.size].reshape(arr.shape)
    out[...] = arr
    return out


def _blocks(lengths: list[int], budget: int, max_padding: int) -> list[list[int]]:
    """Text indices in blocks of similar length, taken in order of length: a block ends before
    the text that would take its padded size (count times the longest length plus one) past
    ``budget``, or its padding (the padded size less the texts' own lengths plus one) past
    ``max_padding``. A longer text is a block of its own."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    blocks: list[list[int]] = []
    block: list[int] = []
    used = 0  # sum of (length + 1) over the block
    for i in order:
        padded = (len(block) + 1) * (lengths[i] + 1)
        if block and (padded > budget or padded - used - lengths[i] - 1 > max_padding):
            blocks.append(block)
            block, used = [], 0
        block.append(i)
        used += lengths[i] + 1
    if block:
        blocks.append(block)
    return blocks


def _rebuild(cls: type[ModerationDetector], model_dir: str, native: bool
             ) -> ModerationDetector:
    return cls(model_dir, native=native)


class ModerationDetector:
    """Scores texts for the eight moderation categories; see docs/MODEL_CARD_moderation.md."""

    name = DETECTOR_NAME

    def __init__(self, model_dir: Path | str = MODEL_DIR, *, native: bool = True) -> None:
        """``native``: score the n-grams with ``aitrail_native`` when it is installed (the same
        logits, bit for bit, as the numpy path used without it)."""
        self.model_dir = Path(model_dir)
        meta_path = self.model_dir / META_FILE
        npz_path = self.model_dir / WEIGHTS_FILE
        try:
            meta = json.loads(meta_path.read_text())
            blob = npz_path.read_bytes()
        except OSError as exc:
            raise ModelFileError(f"cannot read the moderation model in {self.model_dir}: "
                                 f"{exc}; retrain with python -m "
                                 f"pipelines.detection.moderation.train") from exc
        if hashlib.sha256(blob).hexdigest() != meta["weights_sha256"]:
            raise ModelFileError(f"{npz_path} does not match the sha256 in {meta_path}: "
                                 "the files come from different training runs")
        if meta["rules_sha256"] != rules_digest() or list(meta["rules"]) != list(RULE_NAMES):
            raise ModelFileError("rules.py changed since the model was trained: retrain")
        self.meta: dict[str, Any] = meta
        self.version: str = f"{meta['version']}+{meta['weights_sha256'][:12]}"
        self.categories: tuple[str, ...] = tuple(meta["categories"])
        self.config = FeatureConfig.from_json(meta["features"])
        with np.load(io.BytesIO(blob), allow_pickle=False) as npz:
            hashed, rules, bias = npz["hashed"], npz["rules"], npz["bias"]
        if hashed.shape != (1 << self.config.bits, len(self.categories)):
            raise ModelFileError(f"weights shape {hashed.shape} does not match metadata")
        # float32 (8 MB, and the float16 weights are exact in it) plus a row of zeros, the
        # bucket of featurize_padded's padding; gathered rows are summed in float64
        self._hashed = _aligned(np.vstack([hashed, np.zeros((1, hashed.shape[1]))]))
        module = native_module() if native else None
        self._native: NgramScorer | None = None if module is None else module.NgramScorer(
            self._hashed[:-1].tobytes(), len(self.categories), self.config.bits,
            list(self.config.char_ngrams), list(self.config.word_ngrams),
            self.config.char_weight, self.config.word_weight)
        self._rules = rules.astype(np.float64)
        self._bias = bias.astype(np.float64)
        thresholds = meta.get("thresholds") or {}
        self.thresholds = np.array([float(thresholds.get(c, 0.5)) for c in self.categories],
                                   dtype=np.float64)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), str(self.model_dir), self._native is not None))

    def logits(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """``(n_texts, n_categories)`` log-odds: bias + rule weights + the hashed n-grams' sum."""
        out = np.empty((len(texts), len(self.categories)), dtype=np.float64)
        narrow = np.empty((GATHER_ROWS, len(self.categories)), dtype=np.float32)
        gathered = np.empty((GATHER_ROWS, len(self.categories)), dtype=np.float64)
        for start in range(0, len(texts), BATCH):
            norm = [normalize(t, self.config) for t in texts[start : start + BATCH]]
            acc = out[start : start + len(norm)]
            np.matmul(rule_hits(norm), self._rules, out=acc)
            acc += self._bias
            if self._native is not None:
                acc += np.frombuffer(self._native.logits(norm), dtype="<f8").reshape(acc.shape)
                continue
            for rows in _blocks([len(t) for t in norm], BLOCK_CHARS, BLOCK_PADDING):
                feats = featurize_padded([norm[i] for i in rows], self.config)
                acc[rows] += self._ngram_logits(feats, narrow, gathered)
        return out

    def _ngram_logits(self, feats: PaddedFeatures, narrow: npt.NDArray[np.float32],
                      gathered: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Each text's ``scale * (signs @ weights[buckets])`` per family: a gather of weight
        rows into ``narrow`` (as many texts at a time as fit; the buffers are reused so that
        they stay in cache), widened into ``gathered``, and a batched matrix-vector product,
        one BLAS call per text. The float16 weights are multiples of 2**-24, so float64 holds
        every partial sum below 2**29 of them (times +-1) exactly: a text's sums do not depend
        on the order in which BLAS adds, nor on the padding or the other texts of the block."""
        k = len(feats.char_scale)
        n_cat = len(self.categories)
        char = np.zeros((k, 1, n_cat), dtype=np.float64)
        word = np.zeros((k, 1, n_cat), dtype=np.float64)
        for idx, sign, out in ((feats.char_idx, feats.char_sign, char),
                               (feats.word_idx, feats.word_sign, word)):
            width = idx.shape[1]
            if width == 0:
                continue
            step = len(gathered) // width
            if step == 0:  # a text too long for the buffers
                step = 1
                gathered = np.empty((width, n_cat), dtype=np.float64)
                narrow = np.empty((width, n_cat), dtype=np.float32)
            for lo in range(0, k, step):
                part = idx[lo : lo + step]
                got = gathered[: part.size]
                np.take(self._hashed, part.ravel(), axis=0, out=narrow[: part.size],
                        mode="clip")
                got[...] = narrow[: part.size]
                out[lo : lo + step] += np.matmul(sign[lo : lo + step, None, :],
                                                 got.reshape(*part.shape, n_cat))
        char *= feats.char_scale[:, None, None]
        word *= feats.word_scale[:, None, None]
        char += word
        return char[:, 0]

    def scores(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """``(n_texts, n_categories)`` probabilities, columns in ``self.categories`` order."""
        return 1.0 / (1.0 + np.exp(-self.logits(texts)))

    def classify(self, texts: Sequence[str]) -> list[list[Finding]]:
        probs = self.scores(texts)
        out: list[list[Finding]] = [[] for _ in texts]
        # (most texts flag nothing: only the flagged cells are read back from numpy)
        for i, k in zip(*(probs >= self.thresholds).nonzero(), strict=True):
            out[i].append(Finding(entity_type=self.categories[k], start=0, end=len(texts[i]),
                                  score=float(probs[i, k]), detector=self.name,
                                  detector_version=self.version))
        return out
