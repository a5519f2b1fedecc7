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
import codecs
import functools
import hashlib
import re
import warnings
from collections.abc import Sequence
from types import ModuleType
from typing import Any

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
    """``(n_texts, n_rules)`` 0/1 matrix: a rule hits a text that contains one of its anchors
    and matches its pattern (``re.search``).

    Python's ``re`` costs about a microsecond per character for alternations like these, so
    with Hyperscan one pass per text finds every anchor and every place a pattern could match
    (see :class:`_RuleScanner`), and ``re`` confirms only those rules, which rarely hit.
    Without Hyperscan, ``str.find`` over the joined batch finds the anchors, anchor by anchor,
    and ``re`` runs on every text containing one of a rule's anchors."""
    scanner = _rule_scanner()
    return _hits_by_scan(normalized, scanner) if scanner else _hits_by_find(normalized)


def _hits_by_scan(normalized: Sequence[str], scanner: _RuleScanner) -> npt.NDArray[np.float32]:
    out = np.zeros((len(normalized), len(RULES)), dtype=np.float32)
    for row, text in enumerate(normalized):
        for col in scanner.candidates(text):
            if _COMPILED[col][1].search(text):
                out[row, col] = 1.0
    return out


def _hits_by_find(normalized: Sequence[str]) -> npt.NDArray[np.float32]:
    out = np.zeros((len(normalized), len(RULES)), dtype=np.float32)
    if not normalized:
        return out
    for col, rows in enumerate(_rows_by_find(normalized)):
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


# Hyperscan sees an ASCII stand-in of the text: every non-ASCII character becomes _WORD_STAND_IN
# if ``re`` counts it as a word character (``str.isalnum()``), else _OTHER_STAND_IN. Normalised
# text has no upper case, and neither character occurs in a rule.
_WORD_STAND_IN = "Z"
_OTHER_STAND_IN = "~"
_STAND_IN_ERRORS = "aitrail-moderation-stand-in"


def _stand_in_chars(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    run = error.object[error.start : error.end]
    return "".join(_WORD_STAND_IN if c.isalnum() else _OTHER_STAND_IN for c in run), error.end


codecs.register_error(_STAND_IN_ERRORS, _stand_in_chars)


def stand_in(text: str) -> bytes:
    """The ASCII stand-in of ``text`` that :class:`_RuleScanner` scans, one byte per character."""
    return text.encode("ascii", _STAND_IN_ERRORS)


def _stand_in_pattern(pattern: str) -> str | None:
    """``pattern`` with each non-ASCII character replaced by its stand-in, if every match of
    ``pattern`` in a text is then a match of the result in the text's stand-in (at the same
    offsets, since both have one character per character); ``None`` if that is not certain.

    A non-ASCII character of the text can only match an element of the pattern that matches
    its stand-in too: itself as a literal (replaced by the same stand-in), ``\\w`` (a word
    character's stand-in is one), ``\\W``, ``\\S``, ``\\D`` or ``.``, or a negated class that
    excludes neither stand-in and has no non-ASCII member; and ``\\b`` holds at the same places
    since word characters stay word characters. The pattern must not use ``\\d``, ``\\s`` (but
    ``[^\\s]``), non-ASCII ranges, flags, lookarounds or backreferences."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import sre_constants as c
        import sre_parse

    if re.search(r"\\[^\x00-\x7f]|\\[xuUN0-7]|\{,|\[\[[:.=]", pattern):
        # an escaped non-ASCII character would become an escape sequence; an escape for a
        # code point might stand for a non-ASCII one; Hyperscan reads "{,n}" as text and
        # "[[:" as a POSIX class
        return None
    stand_ins = {ord(_WORD_STAND_IN), ord(_OTHER_STAND_IN)}
    positive_categories = {c.CATEGORY_WORD, c.CATEGORY_NOT_WORD, c.CATEGORY_NOT_DIGIT,
                           c.CATEGORY_NOT_SPACE}
    negated_categories = {c.CATEGORY_WORD, c.CATEGORY_NOT_WORD, c.CATEGORY_DIGIT,
                          c.CATEGORY_SPACE}
    positions = {c.AT_BEGINNING, c.AT_BEGINNING_STRING, c.AT_BOUNDARY, c.AT_NON_BOUNDARY}

    def class_ok(items: list[tuple[Any, Any]]) -> bool:
        negated = any(op is c.NEGATE for op, _ in items)
        for op, av in items:
            if op is c.NEGATE:
                continue
            if op is c.LITERAL:
                if negated and (av > 127 or av in stand_ins):
                    return False
            elif op is c.RANGE:
                lo, hi = av
                if hi > 127 or (negated and any(lo <= x <= hi for x in stand_ins)):
                    return False
            elif op is c.CATEGORY:
                if av not in (negated_categories if negated else positive_categories):
                    return False
            else:
                return False
        return True

    def ok(items: Any) -> bool:
        for op, av in items:
            if op is c.LITERAL or op is c.ANY:
                continue
            if op is c.NOT_LITERAL:
                if av > 127 or av in stand_ins:
                    return False
            elif op is c.AT:
                if av not in positions:
                    return False
            elif op is c.IN:
                if not class_ok(av):
                    return False
            elif op is c.BRANCH:
                if not all(ok(branch) for branch in av[1]):
                    return False
            elif op is c.SUBPATTERN:
                if av[1] or av[2] or not ok(av[3]):
                    return False
            elif op is c.MAX_REPEAT or op is c.MIN_REPEAT:
                if not ok(av[2]):
                    return False
            else:
                return False
        return True

    parsed = sre_parse.parse(pattern)
    if parsed.state.flags != sre_parse.SRE_FLAG_UNICODE or not ok(parsed):
        return None
    return "".join(ch if ch.isascii() else (_WORD_STAND_IN if ch.isalnum() else _OTHER_STAND_IN)
                   for ch in pattern)


class _RuleScanner:
    """One Hyperscan pass over a text's ASCII stand-in (:func:`stand_in`) reports which anchors
    occur and which rule patterns could match. Not thread-safe: one Hyperscan scratch space.

    An anchor of ASCII characters other than the stand-ins occurs in the stand-in exactly where
    it occurs in the text; other anchors are looked up in the text itself. A pattern that
    matches the text also matches the stand-in (:func:`_stand_in_pattern`), where Hyperscan,
    with the same semantics as ``re`` on ASCII, finds it; the converse need not hold, so the
    caller confirms with ``re``. Rules whose pattern cannot be checked this way are candidates
    whenever an anchor occurs."""

    def __init__(self, hs: ModuleType) -> None:
        stand_ins = (_WORD_STAND_IN, _OTHER_STAND_IN)
        anchors = sorted({a for anchors, _ in _COMPILED for a in anchors})
        scanned = [a for a in anchors if a.isascii() and not any(x in a for x in stand_ins)]
        rules_of_anchor: dict[str, list[int]] = {a: [] for a in anchors}
        for col, (rule_anchors, _) in enumerate(_COMPILED):
            for a in rule_anchors:
                rules_of_anchor[a].append(col)
        # looked up in every text, and in texts that are not ASCII
        self.looked_up = [(a, _bits(rules_of_anchor[a])) for a in anchors
                          if a not in scanned and a.isascii()]
        self.looked_up_other = [(a, _bits(rules_of_anchor[a])) for a in anchors
                                if not a.isascii()]
        # expression ids: anchors first, then rule patterns as n_anchors + column
        self.bits_of_id = [_bits(rules_of_anchor[a]) for a in scanned]
        self.n_anchors = len(scanned)
        self.unchecked = 0  # rules that are candidates on their anchors alone
        expressions = {i: re.escape(a) for i, a in enumerate(scanned)}
        for col, (_, _, pattern) in enumerate(RULES):
            stand_in_pattern = _stand_in_pattern(pattern)
            if stand_in_pattern is None:
                self.unchecked |= 1 << col
            else:
                expressions[self.n_anchors + col] = stand_in_pattern
        try:
            self._db = _compile(hs, expressions)
        except hs.error:  # leave out the patterns Hyperscan rejects, found one by one
            for expr, pattern in list(expressions.items()):
                if expr >= self.n_anchors and not _compiles(hs, {expr: pattern}):
                    del expressions[expr]
                    self.unchecked |= 1 << (expr - self.n_anchors)
            self._db = _compile(hs, expressions)
        self._scratch = hs.Scratch(self._db)

    def scan(self, text: str) -> tuple[int, int]:
        """Bit sets (bit ``i`` for rule column ``i``) of the rules with a scanned anchor in
        ``text``, and of the rules whose pattern Hyperscan matches in its stand-in."""
        return self._bits_found(self._found(text))

    def _found(self, text: str) -> list[int]:
        """Expression ids Hyperscan reports in ``text``'s stand-in (each once: SINGLEMATCH)."""
        found: list[int] = []
        self._db.scan(stand_in(text), match_event_handler=_collect, context=found,
                      scratch=self._scratch)
        return found

    def _bits_found(self, found: list[int]) -> tuple[int, int]:
        anchored = matched = 0
        for expr in found:
            if expr < self.n_anchors:
                anchored |= self.bits_of_id[expr]
            else:
                matched |= 1 << (expr - self.n_anchors)
        return anchored, matched

    def candidates(self, text: str) -> list[int]:
        """Columns of the rules that contain one of their anchors and might match ``text``."""
        found = self._found(text)
        if not found and not self.looked_up and (not self.looked_up_other or text.isascii()):
            return []  # the usual case, made quick
        anchored, matched = self._bits_found(found)
        for anchor, bits in self.looked_up:
            if anchor in text:
                anchored |= bits
        if self.looked_up_other and not text.isascii():
            for anchor, bits in self.looked_up_other:
                if anchor in text:
                    anchored |= bits
        hits = anchored & (matched | self.unchecked)
        return [col for col in range(len(RULES)) if hits >> col & 1] if hits else []


def _collect(expr: int, _from: int, _to: int, _flags: int, found: list[int]) -> None:
    found.append(expr)


def _bits(cols: Sequence[int]) -> int:
    return sum(1 << col for col in set(cols))


def _compile(hs: ModuleType, expressions: dict[int, str]) -> Any:
    db = hs.Database(mode=hs.HS_MODE_BLOCK)
    db.compile(expressions=[e.encode() for e in expressions.values()],
               ids=list(expressions), elements=len(expressions),
               flags=[hs.HS_FLAG_SINGLEMATCH] * len(expressions))
    return db


def _compiles(hs: ModuleType, expressions: dict[int, str]) -> bool:
    try:
        _compile(hs, expressions)
    except hs.error:
        return False
    return True


@functools.cache
def _rule_scanner() -> _RuleScanner | None:
    """Built on first use: compiling the rule patterns takes Hyperscan about 0.3 s."""
    return _RuleScanner(hyperscan) if hyperscan is not None else None
