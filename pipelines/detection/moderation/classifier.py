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
from typing import Any

import numpy as np
import numpy.typing as npt

from pipelines.detection.moderation.features import (
    FeatureConfig,
    featurize_normalized,
    normalize,
)
from pipelines.detection.moderation.rules import RULE_NAMES, rule_hits, rules_digest
from schemas.records import Finding

DETECTOR_NAME = "aitrail-moderation"
MODEL_DIR = Path(__file__).resolve().parent / "model"
WEIGHTS_FILE = "moderation.npz"
META_FILE = "moderation.json"
BATCH = 256  # texts per numpy pass: bounds the (n-grams x categories) temporary to ~50 MB


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


class ModerationDetector:
    """Scores texts for the eight moderation categories; see docs/MODEL_CARD_moderation.md."""

    name = DETECTOR_NAME

    def __init__(self, model_dir: Path | str = MODEL_DIR) -> None:
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
            self._hashed = npz["hashed"].astype(np.float32)
            self._rules = npz["rules"].astype(np.float32)
            self._bias = npz["bias"].astype(np.float32)
        if self._hashed.shape != (1 << self.config.bits, len(self.categories)):
            raise ModelFileError(f"weights shape {self._hashed.shape} does not match metadata")
        thresholds = meta.get("thresholds") or {}
        self.thresholds = np.array([float(thresholds.get(c, 0.5)) for c in self.categories],
                                   dtype=np.float64)

    def __reduce__(self) -> tuple[type[ModerationDetector], tuple[str]]:
        return (type(self), (str(self.model_dir),))

    def logits(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        out = np.empty((len(texts), len(self.categories)), dtype=np.float64)
        for start in range(0, len(texts), BATCH):
            batch = texts[start : start + BATCH]
            norm = [normalize(t, self.config) for t in batch]
            acc = rule_hits(norm) @ self._rules + self._bias
            for docs, idx, val in featurize_normalized(norm, self.config):
                if len(docs) == 0:
                    continue
                # each chunk is sorted by row: sum each present row's slice in one pass
                rows = np.flatnonzero(np.bincount(docs, minlength=len(batch)))
                bounds = np.searchsorted(docs, rows)
                contrib = np.take(self._hashed, idx, axis=0)
                np.multiply(contrib, val[:, None], out=contrib)
                acc[rows] += np.add.reduceat(contrib, bounds, axis=0)
            out[start : start + len(batch)] = acc
        return out

    def scores(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """``(n_texts, n_categories)`` probabilities, columns in ``self.categories`` order."""
        return 1.0 / (1.0 + np.exp(-self.logits(texts)))

    def classify(self, texts: Sequence[str]) -> list[list[Finding]]:
        probs = self.scores(texts)
        flagged = probs >= self.thresholds
        out: list[list[Finding]] = []
        for text, row, flags in zip(texts, probs, flagged, strict=True):
            out.append([
                Finding(entity_type=cat, start=0, end=len(text), score=float(row[k]),
                        detector=self.name, detector_version=self.version)
                for k, cat in enumerate(self.categories) if flags[k]
            ])
        return out
