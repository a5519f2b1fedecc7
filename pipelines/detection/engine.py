"""aitrail's detection engine: Presidio's recognizers, run only where they can match.

1. One Hyperscan pass over each text finds the candidates of every recognizer
   (``pipelines.detection.prefilter``).
2. Each recognizer that has candidates runs on windows around them, not the whole text.
3. Context words (Presidio's rule: a context word in the five words before a hit adds 0.35,
   with a floor of 0.4) and per-recognizer ``keep`` checks adjust scores. As in Presidio,
   weak pattern matches are reported with their low scores (a bare nine-digit number is a
   possible SSN at 0.05) unless a word right before them names another kind of number
   ("order 123456789"); ``CONFIDENT_SCORE`` marks the findings a policy should act on, and
   the default policy allows (records, masks, does not alert on) the ones below it.
   Overlapping confident findings are resolved (higher score, then longer span); weak
   candidates yield to confident ones but not to each other (see ``_resolve_overlaps``).
4. Text-level stages (moderation, names) add their findings; presidio-anonymizer redacts
   PII and secrets as ``<TYPE>``.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Protocol, cast

import regex

from pipelines.detection import offline  # noqa: F401  (before presidio)
from pipelines.detection.base import ScanResult
from pipelines.detection.patterns import (
    PreparedPatterns,
    analyze_patterns,
    prepare,
    uses_presidio_analyze,
)
from pipelines.detection.prefilter import Prefilter, windows
from pipelines.detection.spans import NO_SPANS, DisjointSpans, TakenSpans
from schemas.records import Finding

from presidio_analyzer import (  # noqa: E402  isort: skip
    EntityRecognizer,
    PatternRecognizer,
    RecognizerResult,
)
from presidio_anonymizer.entities import (  # noqa: E402  isort: skip
    RecognizerResult as AnonymizerResult,
)

ENGINE_VERSION = "aitrail-engine/0.1"
CONFIDENT_SCORE = 0.4
WINDOW_MARGIN = 80
CONTEXT_BOOST = 0.35
CONTEXT_FLOOR = 0.4
CONTEXT_WORDS_BEFORE = 5
# Words (letters, digits, "#"), read backwards from a position: the last one first.
_WORD_BACKWARDS = regex.compile(r"(?r)[\p{L}\p{N}#]+")
_PLAIN_WORD = regex.compile(r"[a-z0-9#]+")
# Identifier types whose weak patterns match any run of digits, and the words that, right
# before such a run, say it is another kind of number.
IDENTIFIER_TYPES = frozenset({"US_SSN", "US_ITIN", "US_PASSPORT", "US_BANK_NUMBER",
                              "US_DRIVER_LICENSE"})
OTHER_NUMBER_WORDS = frozenset({
    "order", "invoice", "tracking", "ticket", "confirmation", "reference", "ref", "po", "sku",
    "serial", "part", "item", "shipment", "booking", "reservation", "transaction", "build",
    "version", "port", "pid", "issue", "pr", "commit", "row", "line", "page", "step",
})
OTHER_NUMBER_WORDS_BEFORE = 3

# Candidates for Presidio recognizers that do not declare their own PREFILTER. A leading \b
# where the recognizer's own pattern starts with one: Hyperscan reports a match per start
# offset, and inside a run of digits only the first offset is a word boundary.
PRESIDIO_PREFILTERS: dict[str, tuple[str, ...]] = {
    "EmailRecognizer": (r"[\w\x80-\xff]@[\w\x80-\xff]",),  # josé@..., as Presidio's \w
    # IPv6: compressed forms contain "::", full ones six colons (seven, or six before an
    # IPv4 tail); clock times like 09:15:30 are no candidates.
    "IpRecognizer": (r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}", r"::",
                     r"[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){5}:"),
    "UsBankRecognizer": (r"\b\d{8}",),
    # Presidio matches IGNORECASE. A letter and one or two digits (Q1, V2, M60), which its
    # weakest licence pattern accepts, is deliberately no candidate: in LLM traffic it is
    # a quarter, a version or a model name far more often than a licence number.
    "UsLicenseRecognizer": (r"[A-Za-z]\d{3}", r"\b\d{6}"),
    "UsItinRecognizer": (r"\b9\d{2}[- ]?\d{2}[- ]?\d{4}",),
    "UsPassportRecognizer": (r"\b[A-Za-z]?\d{8}",),
    "CryptoRecognizer": (r"(?:bc1|[13])[a-zA-HJ-NP-Z0-9]{25}",),
    "MacAddressRecognizer": (r"[0-9A-Fa-f]{2}[:-][0-9A-Fa-f]{2}[:-]",
                             r"[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\."),
}

# Recognizers whose every match lies inside the pre-filter hit and the whitespace-delimited
# text around it (one token, or a number the hit already spans): their window is the hit
# widened to whitespace, not WINDOW_MARGIN characters each side. Context words are looked up
# in the whole text, so a small window loses nothing (test_the_prefilter_never_loses_...).
TOKEN_WINDOW = frozenset({
    "UsLicenseRecognizer", "UsBankRecognizer", "UsPassportRecognizer", "EmailRecognizer",
    "CryptoRecognizer", "MacAddressRecognizer", "IpRecognizer", "UsItinRecognizer",
})

TextStage = Callable[[Sequence[str]], list[list[Finding]]]


@dataclass(frozen=True)
class Member:
    recognizer: EntityRecognizer
    entities: list[str]
    context: tuple[str, ...]
    version: str
    margin: int = WINDOW_MARGIN
    reach: int = 0
    plain_patterns: bool = False  # run by pipelines.detection.patterns, same results
    keep: Callable[[str, RecognizerResult, bool], bool] | None = None  # recognizer.keep
    yields: bool = False  # recognizer.YIELDS_TO_EARLIER
    plain_context: bool = False  # every context word is ASCII letters, digits or "#"
    any_context: re.Pattern[str] | None = None  # any context word (plain_context only)
    name: str = ""  # the recognizer's name
    # recognizer.analyze_unexplained: its results without Presidio's AnalysisExplanation
    # objects, which the engine never reads
    unexplained: Callable[[str, list[str]], list[RecognizerResult]] | None = None
    patterns: PreparedPatterns | None = None  # patterns.prepare(recognizer), for plain_patterns

    def analyze(self, text: str, avoid: Sequence[tuple[int, int]] = ()) -> list[RecognizerResult]:
        """``avoid``: spans of confident findings, for a YIELDS_TO_EARLIER recognizer (whose
        ``analyze`` takes them and skips candidates inside)."""
        if self.plain_patterns:
            return analyze_patterns(self.recognizer, text, self.patterns)  # type: ignore[arg-type]
        if avoid:
            return cast(_Yielding, self.recognizer).analyze(text, self.entities, None,
                                                            avoid=avoid)
        if self.unexplained is not None:
            return self.unexplained(text, self.entities)
        found: list[RecognizerResult] = self.recognizer.analyze(
            text, self.entities, None)  # type: ignore[arg-type]
        return found


class _Yielding(Protocol):
    def analyze(self, text: str, entities: list[str], nlp_artifacts: None, *,
                avoid: Sequence[tuple[int, int]]) -> list[RecognizerResult]: ...


def default_recognizers() -> list[EntityRecognizer]:
    from presidio_analyzer.predefined_recognizers import (
        CryptoRecognizer,
        EmailRecognizer,
        IpRecognizer,
        MacAddressRecognizer,
        UsBankRecognizer,
        UsItinRecognizer,
        UsLicenseRecognizer,
        UsPassportRecognizer,
    )

    from pipelines.detection.names.recognizer import NameRecognizer
    from pipelines.detection.pii.credit_card import AitrailCreditCardRecognizer
    from pipelines.detection.pii.iban import AitrailIbanRecognizer
    from pipelines.detection.pii.phone import AitrailPhoneRecognizer
    from pipelines.detection.pii.street_address import address_recognizers
    from pipelines.detection.pii.us_ssn import AitrailUsSsnRecognizer

    recognizers: list[EntityRecognizer] = [
        AitrailCreditCardRecognizer(), AitrailUsSsnRecognizer(),
        AitrailIbanRecognizer(), *address_recognizers(), NameRecognizer(),
        EmailRecognizer(), IpRecognizer(), UsBankRecognizer(), UsLicenseRecognizer(),
        UsItinRecognizer(), UsPassportRecognizer(), CryptoRecognizer(), MacAddressRecognizer(),
        AitrailPhoneRecognizer(),  # last: it yields to the numbers found before it
    ]
    from pipelines.detection.secrets import secret_recognizers

    return recognizers + list(secret_recognizers())


def default_text_stages() -> list[TextStage]:
    """Whole-text classifiers: moderation categories and prompt injection / jailbreak."""
    from pipelines.detection.moderation.classifier import ModerationDetector

    return [ModerationDetector().classify]


class AitrailDetector:
    name = "aitrail-engine"

    def __init__(self, recognizers: Sequence[EntityRecognizer] | None = None,
                 text_stages: Sequence[TextStage] | None = None, *,
                 use_hyperscan: bool = True) -> None:
        from presidio_anonymizer import AnonymizerEngine

        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
        self.members = [_member(r) for r in (recognizers or default_recognizers())]
        if text_stages is None:
            text_stages = default_text_stages()
        patterns = [(i, p) for i, m in enumerate(self.members) for p in _prefilter_of(m)]
        self.prefilter = Prefilter(patterns, use_hyperscan=use_hyperscan)
        self.text_stages = list(text_stages)
        owners = [getattr(stage, "__self__", None) for stage in self.text_stages]
        self.version = "; ".join([ENGINE_VERSION, *[
            f"{getattr(o, 'name', type(o).__name__)}/{getattr(o, 'version', '?')}"
            for o in owners if o is not None]])
        self._anonymizer = AnonymizerEngine()  # type: ignore[no-untyped-call]
        self._versions: dict[object, str] = {}  # a member's version -> a finding's
        self.supported_entities = sorted({e for m in self.members for e in m.entities})

    def scan(self, texts: Sequence[str]) -> list[ScanResult]:
        texts = [_encodable(t) for t in texts]
        if self.text_stages:
            user_texts = [without_system_prompt(t) for t in texts]
            extra = [_whole_text_spans(stage(user_texts), texts) for stage in self.text_stages]
        else:
            extra = []
        out = []
        for i, (text, pii) in enumerate(zip(texts, self.find_all(texts), strict=True)):
            findings = [self._finding(r) for r in pii]
            for stage_findings in extra:
                findings.extend(stage_findings[i])
            out.append(ScanResult(tuple(findings), self._redact(text, pii)))
        return out

    def clear_caches(self) -> None:
        """Drop what recognizers memoize across texts (the names stage plans each distinct
        run of capitalized words once), so a benchmark pass costs what unseen text costs."""
        for member in self.members:
            clear = getattr(member.recognizer, "clear_caches", None)
            if clear is not None:
                clear()

    def find(self, text: str) -> list[RecognizerResult]:
        """PII and secret spans in ``text``, after context, checks, threshold and overlaps."""
        return self.find_all([text])[0]

    def find_all(self, texts: Sequence[str]) -> list[list[RecognizerResult]]:
        """``find`` for each text, one recognizer at a time over all of them: each
        recognizer's patterns, tables and code stay in the CPU's caches while it reads the
        batch (17% less time in ``find`` on dense 1 KB text than each text through every
        recognizer in turn, in a development comparison); a recognizer still sees what the
        ones before it found in the same text."""
        todo: dict[int, list[tuple[int, list[tuple[int, int]]]]] = defaultdict(list)
        for i, text in enumerate(texts):
            if text:
                for index, spans in self.prefilter.hits(text).items():
                    todo[index].append((i, spans))
        results: list[list[RecognizerResult]] = [[] for _ in texts]
        lowered = [lowered_in_place(t) for t in texts]
        for index in sorted(todo):
            member = self.members[index]
            for i, spans in todo[index]:
                self._run(member, texts[i], spans, results[i], lowered[i])
        return [_resolve_overlaps(found) for found in results]

    def _run(self, member: Member, text: str, spans: list[tuple[int, int]],
             results: list[RecognizerResult], lowered: str | None) -> None:
        """``member`` on ``text`` around its pre-filter hits ``spans``; what it finds and
        accepts is added to ``results``, the text's findings so far."""
        taken = NO_SPANS
        if member.yields and results:
            # e.g. a phone candidate inside a card number or IBAN already found (not inside
            # a weak candidate: that is no reading of the digits yet)
            taken = TakenSpans([(r.start, r.end) for r in results
                                 if r.score >= CONFIDENT_SCORE])
            spans = [s for s in spans if not taken.contains(s[0], s[1])]
            if not spans:
                return
        if member.margin >= len(text):  # the whole text (the names stage): no window to cut
            for r in member.analyze(text, avoid=taken.spans):
                if self._accept(member, text, r, lowered):
                    results.append(r)
            return
        for start, end in windows(spans, text, member.margin, member.reach):
            for r in member.analyze(text[start:end], avoid=taken.inside(start, end)):
                r.start += start
                r.end += start
                if self._accept(member, text, r, lowered):
                    results.append(r)

    def _accept(self, member: Member, text: str, result: RecognizerResult,
                lowered: str | None = None) -> bool:
        has_context = bool(member.context) and _has_context(
            text, result.start, member.context, member.plain_context, lowered,
            member.any_context)
        if has_context:
            result.score = min(1.0, max(result.score + CONTEXT_BOOST, CONTEXT_FLOOR))
        keep = member.keep
        if keep is not None and not keep(text, result, has_context):
            return False
        metadata = result.recognition_metadata
        if metadata is None:
            metadata = result.recognition_metadata = {}
        metadata["recognizer_name"] = member.name
        metadata["aitrail_version"] = member.version
        if (not has_context and result.score < CONFIDENT_SCORE
                and result.entity_type in IDENTIFIER_TYPES
                and _names_another_number(text, result.start)):
            return False
        return bool(result.score > 0)

    def _finding(self, r: RecognizerResult) -> Finding:
        meta = r.recognition_metadata or {}
        own = meta.get("aitrail_version", "presidio")
        version = self._versions.get(own)
        if version is None:
            version = self._versions[own] = f"{self.version}; {own}"
        # (the model's validator on a dict: the same validation as Finding(...), without
        # BaseModel.__init__'s keyword handling, which costs as much again)
        finding: Finding = _VALIDATE_FINDING({
            "entity_type": r.entity_type, "start": r.start, "end": r.end,
            "score": round(float(r.score), 4),
            "detector": str(meta.get("recognizer_name", "unknown")),
            "detector_version": version,
        })
        return finding

    def _redact(self, text: str, results: list[RecognizerResult]) -> str:
        """presidio-anonymizer's default ``replace`` (``<TYPE>``). The engine's results never
        overlap except weak candidates sharing a span, so the common case is spliced here
        with the anonymizer's own tie rule (highest score, the last one on a tie); anything
        else goes through ``AnonymizerEngine``. A unit test holds the two equal."""
        if not results:
            return text
        chosen = _disjoint_replacements(results)
        if chosen is None:
            redacted: str = self._anonymizer.anonymize(
                text=text, analyzer_results=[_copy(r) for r in results]).text
            return redacted
        spans: list[tuple[int, int, str]] = []
        for r in chosen:  # like the anonymizer, one token for same-type spans a space apart
            if spans and spans[-1][2] == r.entity_type and _SPACES.match(
                    text, spans[-1][1], r.start):
                spans[-1] = (spans[-1][0], r.end, r.entity_type)
            else:
                spans.append((r.start, r.end, r.entity_type))
        parts: list[str] = []
        position = 0
        for start, end, entity_type in spans:
            parts.append(text[position:start])
            parts.append(f"<{entity_type}>")
            position = end
        parts.append(text[position:])
        return "".join(parts)


def _disjoint_replacements(results: list[RecognizerResult]) -> list[RecognizerResult] | None:
    """One result per span, in text order, when spans are disjoint or identical; else None."""
    chosen: list[tuple[RecognizerResult, int]] = []
    for index, r in sorted(enumerate(results), key=lambda p: (p[1].start, p[1].end, p[0])):
        if chosen and (r.start, r.end) == (chosen[-1][0].start, chosen[-1][0].end):
            if r.score >= chosen[-1][0].score:
                chosen[-1] = (r, index)
        elif chosen and r.start < chosen[-1][0].end:
            return None
        else:
            chosen.append((r, index))
    return [r for r, _ in chosen]


def _copy(r: RecognizerResult) -> AnonymizerResult:
    """The anonymizer's own result type; it merges and trims what it is given in place."""
    return AnonymizerResult(r.entity_type, r.start, r.end, r.score)


_VALIDATE_FINDING = Finding.__pydantic_validator__.validate_python
_SPACES = regex.compile(r" +$")
_SYSTEM = "system: "
_NEXT_ROLE = regex.compile(r"\n(?:user|assistant|tool|function|developer): ")


_LONE_SURROGATE = regex.compile(r"[\ud800-\udfff]")


def _encodable(text: str) -> str:
    """A lone surrogate (from a JSON "\\ud800" escape) becomes U+FFFD, one character for one,
    so offsets hold and no stage fails on a text UTF-8 cannot encode."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return str(_LONE_SURROGATE.sub("\ufffd", text))
    return text


def without_system_prompt(text: str) -> str:
    """The text minus a leading system message, for the whole-text classifiers.

    Requests sent as ``messages`` are audited as ``role: content`` lines
    (``LLMRequestEvent.audited_text``). The system prompt is the operator's own instruction
    ("You are the support assistant for ..."): it reads like role-play to an injection
    classifier, but it is not attacker input, so it is not classified.
    """
    if not text.startswith(_SYSTEM):
        return text
    found = _NEXT_ROLE.search(text)
    return text[found.start() + 1:] if found else ""


def _whole_text_spans(findings: list[list[Finding]], texts: Sequence[str]) -> list[list[Finding]]:
    """Text-level findings span the whole audited text, whatever part was classified."""
    return [[f.model_copy(update={"start": 0, "end": len(t)}) for f in fs]
            for fs, t in zip(findings, texts, strict=True)]


def _member(recognizer: EntityRecognizer) -> Member:
    context = tuple(w.strip().lower() for w in (recognizer.context or []) if w.strip())
    kind = type(recognizer).__name__
    version = f"{kind}/{getattr(recognizer, 'VERSION', 'presidio-2.2.366')}"
    margin = getattr(recognizer, "WINDOW_MARGIN", 0 if kind in TOKEN_WINDOW else WINDOW_MARGIN)
    plain_patterns = uses_presidio_analyze(recognizer)
    plain = all(_PLAIN_WORD.fullmatch(w) for w in context)
    return Member(recognizer, list(recognizer.supported_entities), context, version,
                  margin, getattr(recognizer, "PREFILTER_REACH", 0),
                  plain_patterns, getattr(recognizer, "keep", None),
                  bool(getattr(recognizer, "YIELDS_TO_EARLIER", False)), plain,
                  re.compile("|".join(map(re.escape, context))) if plain and context
                  else None,
                  str(getattr(recognizer, "name", kind)),
                  getattr(recognizer, "analyze_unexplained", None),
                  prepare(cast(PatternRecognizer, recognizer)) if plain_patterns else None)


def _prefilter_of(member: Member) -> tuple[str, ...]:
    own: tuple[str, ...] | None = getattr(member.recognizer, "PREFILTER", None)
    found = own if own is not None else PRESIDIO_PREFILTERS.get(type(member.recognizer).__name__)
    if not found:
        raise ValueError(f"{member.name} has no PREFILTER: the engine would never run it")
    return found


def lowered_in_place(text: str) -> str | None:
    """``text.lower()`` when it keeps every character's offset, else None. Context words are
    looked for in the text lower-cased once: ``lowered[a:b]`` is ``text[a:b].lower()`` as far
    as ASCII words can tell. ``lower()`` never shortens a character, so the same length means
    one character for one; only Greek final sigma depends on its neighbours, and no ASCII
    letter is involved there. (İ becomes two characters, so a text with it is not lowered.)"""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else None


def _has_context(text: str, start: int, context: tuple[str, ...], plain: bool = False,
                 lowered: str | None = None, any_context: re.Pattern[str] | None = None
                 ) -> bool:
    """A context word inside the last ``CONTEXT_WORDS_BEFORE`` words before ``start``.
    ``plain``: every context word is ASCII letters, digits or "#", so it can only be found
    inside one of those words, and not at all when it is nowhere in the lower-cased text
    before them: that cheaper test answers most calls (one search of ``any_context``, the
    words' alternation, in ``lowered``, the text lower-cased once, when the caller has
    them; Python's ``re`` searches a literal alternation about 3x faster than ``regex``).
    The words are read backwards from ``start``, only as many as are needed."""
    if not context:
        return False
    low = max(0, start - 120)
    if plain:
        if lowered is not None and any_context is not None:
            if any_context.search(lowered, low, start) is None:
                return False
        else:
            window = text[low:start].lower()
            if not any(word in window for word in context):
                return False
    words = [m.group() for m in islice(_WORD_BACKWARDS.finditer(text, low, start),
                                       CONTEXT_WORDS_BEFORE)]
    before = " ".join(reversed(words)).lower()
    if any_context is not None:
        return any_context.search(before) is not None
    return any(word in before for word in context)


def _names_another_number(text: str, start: int) -> bool:
    return any(m.group().lower() in OTHER_NUMBER_WORDS for m in islice(
        _WORD_BACKWARDS.finditer(text, max(0, start - 60), start), OTHER_NUMBER_WORDS_BEFORE))


def _resolve_overlaps(results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Among confident findings the higher score wins, then the longer span. A weak candidate
    (under ``CONFIDENT_SCORE``) yields to any confident finding it overlaps but not to other
    weak ones: nothing says whether nine bare digits are an SSN, a passport or a bank account
    number, so each possible reading is kept, as Presidio keeps them."""
    in_order = sorted(results, key=_span)
    end = -1
    for r in in_order:
        if r.start < end:
            break
        end = r.end
    else:  # no two overlap: nothing to resolve
        return sorted(in_order, key=_start_and_type)
    taken = DisjointSpans()
    confident: list[RecognizerResult] = []
    candidates: list[RecognizerResult] = []
    for r in sorted(results, key=lambda r: (-r.score, -(r.end - r.start), r.start)):
        if r.score >= CONFIDENT_SCORE:
            if taken.add_if_free(r.start, r.end):
                confident.append(r)
        else:
            candidates.append(r)
    weak: dict[tuple[int, int, str], RecognizerResult] = {}
    for r in candidates:
        if taken.is_free(r.start, r.end):
            weak.setdefault((r.start, r.end, r.entity_type), r)
    return sorted(confident + list(weak.values()), key=lambda r: (r.start, r.entity_type))


def _span(r: RecognizerResult) -> tuple[int, int]:
    return r.start, r.end


def _start_and_type(r: RecognizerResult) -> tuple[int, str]:
    return r.start, r.entity_type
