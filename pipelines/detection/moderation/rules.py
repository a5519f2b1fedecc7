"""Hand-written prompt-injection and jailbreak cues, used as extra features of the linear model.

The rules see the same normalised text as the n-gram features (NFKC, lower case, digits as 0,
single spaces). They are not verdicts on their own: each rule is one binary feature whose
weight the classifier learns, so a weak cue ("simulate", "developer mode") can be outweighed
by a benign context while a strong one ("ignore all previous instructions") dominates. A rule
hit is not diluted by text length, which is what lets an injected sentence inside a long
retrieved document still count. Each rule names anchor substrings, one of which must occur
for the pattern to be tried.

Changing a pattern changes the model: the metadata stores a digest of this table and the
detector refuses to load weights trained with a different one.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from pipelines.detection.prefilter import hyperscan

_W = r"(?:[\w'-]+ ){0,%d}"  # up to N filler words
_OVERRIDE_VERB = (
    r"(?:ignore|disregard|forget|skip|override|overrule|bypass|drop|abandon|"
    r"stop following|do not follow|don't follow|neglect)"
)
_PRIOR = (
    r"(?:previous|prior|preceding|above|earlier|initial|original|old|all|any|every|your|"
    r"the|system|developer|safety|openai'?s?)"
)
_INSTR = (
    r"(?:instructions?|prompts?|directions?|directives?|rules|guidelines|guardrails|"
    r"context|messages?|commands?|programming|restrictions|policies|polic(?:y|ies)|"
    r"constraints|training)"
)

RULES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        "override_instructions",
        (
            "ignore",
            "disregard",
            "forget",
            "skip",
            "overrid",
            "overrul",
            "bypass",
            "drop",
            "abandon",
            "follow",
            "neglect",
        ),
        rf"\b{_OVERRIDE_VERB} {_W % 3}{_PRIOR} {_W % 2}{_INSTR}\b",
    ),
    (
        "new_instructions",
        ("instruction", "directive", "rules", "task", "objective", "prompt"),
        r"\b(?:new|updated|real|actual|true|revised|additional) "
        r"(?:system )?(?:instructions?|directives?|rules|task|objective|prompt) ?(?::|are|is)",
    ),
    (
        "system_prompt_exfil",
        (
            "system",
            "initial",
            "original",
            "hidden",
            "secret",
            "developer",
            "prompt",
            "confidential",
        ),
        r"\b(?:reveal|print|show|repeat|output|display|leak|dump|recite|"
        r"tell me|give me|share|what (?:is|are|was|were)) "
        + _W
        % 4
        + r"(?:system|initial|original|hidden|secret|developer|pre-?prompt|confidential) "
        r"(?:prompt|instructions?|message|rules|configuration)",
    ),
    (
        "words_above",
        ("above", "before", "prior"),
        r"\b(?:repeat|print|output|copy) (?:all )?(?:the )?(?:words|text|"
        r"everything|content) (?:above|before|prior)",
    ),
    (
        "you_are_now",
        ("you are", "you will be", "you shall be", "from now on"),
        r"\byou (?:are|will be|shall be) (?:now|no longer|going to act as|"
        r"going to pretend)\b|\bfrom now on,? (?:you|your|act|respond|answer)",
    ),
    (
        "do_anything_now",
        ("anything now", "mode", "act as dan", "act as a dan"),
        r"\bdo anything now\b|\b(?:dan|stan|dude|aim|anti-?dan) mode\b|"
        r"\bact as (?:a )?dan\b",
    ),
    (
        "mode_enabled",
        ("mode",),
        r"\b(?:developer|dev|god|jailbreak|jailbroken|unrestricted|evil|dan|debug|"
        r"unfiltered|uncensored|admin|sudo|root) ?mode\b",
    ),
    (
        "no_restrictions",
        (
            "restriction",
            "limitation",
            "filter",
            "censor",
            "ethic",
            "moral",
            "guideline",
            "boundar",
            "safeguard",
            "guardrail",
            "polic",
        ),
        r"\b(?:no|without|free (?:of|from)|not bound by|break(?:s)? free of|"
        r"unbound by|beyond|exempt from|ignores?|bypass(?:es)?) (?:any |all |the )?"
        r"(?:typical |usual |ethical |moral |content )?(?:restrictions?|limitations?|filters?|"
        r"filtering|censorship|ethics|morals|morality|guidelines|boundaries|safeguards|"
        r"guardrails|content polic(?:y|ies))\b",
    ),
    (
        "stay_in_character",
        ("character",),
        r"\b(?:stay|remain|keep) in character\b|\bbreak(?:ing)? character\b",
    ),
    (
        "refusal_suppression",
        (
            "refuse",
            "decline",
            "say no",
            "say that",
            "apologi",
            "warning",
            "disclaimer",
            "moraliz",
            "censor",
        ),
        r"\b(?:never|not|don't|do not|cannot|can't|won't|will not) "
        r"(?:ever )?(?:refuse|decline|say (?:no|that you can(?:no|')t)|apologi[sz]e|"
        r"add (?:any )?(?:warnings?|disclaimers?))|\bwithout (?:any )?(?:warnings?|disclaimers?|"
        r"moral(?:izing)?|censor(?:ing|ship)?)\b",
    ),
    ("content_policy", ("polic",), r"\b(?:openai|anthropic|content|usage|safety) polic(?:y|ies)\b"),
    ("jailbreak_word", ("jail",), r"\bjail ?br(?:ea|o)k(?:en|ed|ing|s)?\b"),
    (
        "amoral",
        ("amoral", "unfiltered", "uncensored", "unethical", "immoral", "unrestricted", "unhinged"),
        r"\b(?:amoral|unfiltered|uncensored|unethical|immoral|unrestricted|unhinged)\b",
    ),
    (
        "two_responses",
        ("two ", "🔒", "🔓", "classic", "normal"),
        r"\btwo (?:different |separate )?(?:responses|answers|paragraphs|outputs)"
        r"\b|\[?(?:🔒|🔓)|\b(?:classic|normal) (?:response|output)\b",
    ),
    (
        "pretend_roleplay",
        ("pretend", "imagine", "act ", "role", "simulat", "behave"),
        r"\b(?:pretend|imagine|act|role-?play|simulate|behave) (?:to be |as "
        r"if |like |that |as )?(?:you (?:are|were|have) )?"
        + _W % 4
        + r"(?:ai|chatbot|model|assistant|gpt|bot) (?:with(?:out)?|that (?:has|have) no)",
    ),
    (
        "indirect_addressee",
        (
            "important",
            "attention",
            "urgent",
            "note",
            "notice",
            "instruction",
            "message",
            "assistant",
            "agent",
            "llm",
            "chatbot",
            "ai,",
            "ai:",
            "ai ,",
            "ai :",
            "model,",
            "model:",
            "model :",
            "bot,",
            "bot:",
        ),
        r"\b(?:important|attention|urgent|note|notice|instruction|message)"
        r"(?: to| for)?[:,!]? ?(?:the |all |any )?(?:ai|assistant|model|llm|chatbot|agent|"
        r"language model|bot)s?\b"
        r"|\b(?:assistant|ai|agent|llm|model|chatbot)s? ?[,:] ?(?:ignore|disregard|do not|don't|"
        r"instead|stop|you must|immediately|now)",
    ),
    (
        "exfil_action",
        (
            "send",
            "forward",
            "email",
            "e-mail",
            "post",
            "upload",
            "transmit",
            "exfiltrat",
            "leak",
            "copy",
        ),
        r"\b(?:send|forward|email|e-mail|post|upload|transmit|exfiltrate|leak|"
        r"copy) (?:all |the |every |any |this |my |our |their |your )?(?:user'?s? )?(?:data|"
        r"credentials|passwords?|api keys?|tokens?|secrets?|conversation|chat history|history|"
        r"files|documents|emails|contacts|customer list|database|records) (?:to|at|into)\b",
    ),
    ("markdown_exfil", ("![",), r"!\[[^\]\n]{0,40}\]\(https?://[^)\s]{0,200}[?&=]"),
    (
        "chat_template_tokens",
        (
            "im_start",
            "im_end",
            "endoftext",
            "eot_id",
            "start_header",
            "system>",
            "sys>>",
            "inst]",
            "##",
            "[system",
        ),
        r"<\|?(?:im_start|im_end|system|endoftext|eot_id|start_header_id)"
        r"\|?>|\[/?inst\]|<</?sys>>|(?:^| )#{2,} ?(?:system|instruction)s?\b|\[system\]|</?system>",
    ),
    (
        "disregard_user",
        ("disregard", "ignore", "do not tell", "do not inform", "do not alert", "do not mention"),
        r"\b(?:disregard|ignore) (?:the |what the )?(?:user|human|customer)\b|"
        r"\bdo not (?:tell|inform|alert|mention (?:this )?to) the (?:user|human|customer)\b",
    ),
    (
        "payload_marker",
        ("pwn", "hacked", "say only", "say exactly"),
        r"\b(?:i have been pwned|pwned|hacked by)\b|\bsay (?:only|exactly) "
        r"[\"'][^\"'\n]{1,40}[\"']",
    ),
    (
        "hypothetical_harm",
        ("hypothetical", "fiction", "story", "novel", "educational"),
        r"\b(?:hypothetical(?:ly)?|fictional|in a story|for a novel|purely "
        r"educational|educational purposes)\b",
    ),
    (
        "persona_name",
        ("gpt", "bot"),
        r"\b(?:you are|you're|act as|become|called|named) (?:a |an |the )?"
        r"[\w-]{2,20}(?:gpt|bot)\b",
    ),
    (
        "token_game",
        (
            "token",
            "point",
            "you lose",
            "you will lose",
            "you die",
            "you will die",
            "cease to exist",
        ),
        r"\b(?:tokens?|points?) (?:will be )?(?:deducted|lost|system)\b|"
        r"\byou (?:will )?(?:lose|die|cease to exist)\b",
    ),
    (
        "encoding_trick",
        ("base", "rot", "reverse", "speak", "cipher", "morse"),
        r"\b(?:base ?00|rot ?00|in reverse|reversed|leetspeak|l00tspeak|"
        r"cipher|morse)\b",
    ),
)

_COMPILED = tuple((anchors, re.compile(pattern)) for _, anchors, pattern in RULES)
RULE_NAMES: tuple[str, ...] = tuple(name for name, _, _ in RULES)


def rules_digest() -> str:
    """sha256 of the rule table: names, anchors and patterns, in order."""
    h = hashlib.sha256()
    for name, anchors, pattern in RULES:
        h.update(f"{name}\x1f{'|'.join(anchors)}\x1f{pattern}\x1e".encode())
    return h.hexdigest()


def rule_hits(normalized: Sequence[str]) -> npt.NDArray[np.float32]:
    """``(n_texts, n_rules)`` 0/1 matrix. Python's ``re`` costs about a microsecond per
    character for alternations like these, so each pattern runs only on the texts that contain
    one of its anchor substrings: one Hyperscan pass per text finds every anchor at once (or,
    without Hyperscan, ``str.find`` over the joined batch, anchor by anchor)."""
    out = np.zeros((len(normalized), len(RULES)), dtype=np.float32)
    if not normalized:
        return out
    rows_of_rule = (_ANCHOR_INDEX.rows_of_rules(normalized) if _ANCHOR_INDEX is not None
                    else _rows_by_find(normalized))
    for col, rows in enumerate(rows_of_rule):
        pattern = _COMPILED[col][1]
        for row in sorted(rows):
            if pattern.search(normalized[row]):
                out[row, col] = 1.0
    return out


def _rows_by_find(normalized: Sequence[str]) -> list[set[int]]:
    joined = "\n".join(normalized)
    starts = [0]
    for text in normalized[:-1]:
        starts.append(starts[-1] + len(text) + 1)
    found: dict[str, set[int]] = {}  # anchors shared by several rules are searched once
    rows_of_rule: list[set[int]] = []
    for anchors, _ in _COMPILED:
        rows: set[int] = set()
        for anchor in anchors:
            if anchor not in found:
                found[anchor] = _docs_containing(joined, starts, anchor)
            rows |= found[anchor]
        rows_of_rule.append(rows)
    return rows_of_rule


class _AnchorIndex:
    """Every distinct anchor as a Hyperscan literal, reported once per text."""

    def __init__(self) -> None:
        assert hyperscan is not None
        self.anchors = sorted({a for anchors, _ in _COMPILED for a in anchors})
        position = {a: i for i, a in enumerate(self.anchors)}
        self.rules_of_anchor: list[list[int]] = [[] for _ in self.anchors]
        for col, (anchors, _) in enumerate(_COMPILED):
            for a in set(anchors):
                self.rules_of_anchor[position[a]].append(col)
        self._db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self._db.compile(expressions=[re.escape(a).encode() for a in self.anchors],
                         ids=list(range(len(self.anchors))), elements=len(self.anchors),
                         flags=[hyperscan.HS_FLAG_SINGLEMATCH] * len(self.anchors))
        self._scratch = hyperscan.Scratch(self._db)

    def rows_of_rules(self, normalized: Sequence[str]) -> list[set[int]]:
        rows_of_rule: list[set[int]] = [set() for _ in _COMPILED]
        hit: list[int] = []

        def on_match(anchor: int, _from: int, _to: int, _flags: int, _ctx: object) -> None:
            hit.append(anchor)

        for row, text in enumerate(normalized):
            hit.clear()
            self._db.scan(text.encode("utf-8"), match_event_handler=on_match,
                          scratch=self._scratch)
            for anchor in hit:
                for col in self.rules_of_anchor[anchor]:
                    rows_of_rule[col].add(row)
        return rows_of_rule


def _docs_containing(joined: str, starts: list[int], anchor: str) -> set[int]:
    """Rows whose text contains ``anchor``; at most one ``find`` per row."""
    rows: set[int] = set()
    n_rows = len(starts)
    i = joined.find(anchor)
    while i != -1:
        row = bisect.bisect_right(starts, i) - 1
        rows.add(row)
        if row + 1 >= n_rows:
            break
        i = joined.find(anchor, starts[row + 1])
    return rows


_ANCHOR_INDEX = _AnchorIndex() if hyperscan is not None else None
