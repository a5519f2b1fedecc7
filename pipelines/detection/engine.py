"""aitrail's detection engine: Presidio's recognizers, run only where they can match.

1. One Hyperscan pass over each text finds the candidates of every recognizer
   (``pipelines.detection.prefilter``).
2. Each recognizer that has candidates runs on windows around them, not the whole text.
3. Context words (Presidio's rule: a context word in the five words before a hit adds 0.35,
   with a floor of 0.4) and per-recognizer ``keep`` checks adjust scores; findings under
   ``SCORE_THRESHOLD`` are dropped and overlaps resolved (higher score, then longer span).
4. Text-level stages (moderation, names) add their findings; presidio-anonymizer redacts
   PII and secrets as ``<TYPE>``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import regex

from pipelines.detection import offline  # noqa: F401  (before presidio)
from pipelines.detection.base import ScanResult
from pipelines.detection.prefilter import Prefilter, windows
from schemas.records import Finding

from presidio_analyzer import EntityRecognizer, RecognizerResult  # noqa: E402  isort: skip

ENGINE_VERSION = "aitrail-engine/0.1"
SCORE_THRESHOLD = 0.4
WINDOW_MARGIN = 80
CONTEXT_BOOST = 0.35
CONTEXT_FLOOR = 0.4
CONTEXT_WORDS_BEFORE = 5
_WORD = regex.compile(r"[\p{L}\p{N}#]+")

# Candidates for Presidio recognizers that do not declare their own PREFILTER.
PRESIDIO_PREFILTERS: dict[str, tuple[str, ...]] = {
    "EmailRecognizer": (r"\w@\w",),
    "IpRecognizer": (r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}",
                     r"[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:"),
    "UsBankRecognizer": (r"\d{8}",),
    "UsLicenseRecognizer": (r"[A-Z]\d{3}", r"\d{6}"),
    "UsItinRecognizer": (r"9\d{2}[- ]?\d{2}[- ]?\d{4}",),
    "UsPassportRecognizer": (r"\d{8}",),
    "CryptoRecognizer": (r"(?:bc1|[13])[a-zA-HJ-NP-Z0-9]{25}",),
    "MacAddressRecognizer": (r"[0-9A-Fa-f]{2}[:-][0-9A-Fa-f]{2}[:-]",
                             r"[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\."),
}

TextStage = Callable[[Sequence[str]], list[list[Finding]]]


@dataclass(frozen=True)
class Member:
    recognizer: EntityRecognizer
    entities: list[str]
    context: tuple[str, ...]
    version: str

    @property
    def name(self) -> str:
        return str(getattr(self.recognizer, "name", type(self.recognizer).__name__))


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
    from pipelines.detection.pii.street_address import StreetAddressRecognizer
    from pipelines.detection.pii.us_ssn import AitrailUsSsnRecognizer

    recognizers: list[EntityRecognizer] = [
        AitrailCreditCardRecognizer(), AitrailUsSsnRecognizer(),
        AitrailIbanRecognizer(), StreetAddressRecognizer(), NameRecognizer(),
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
        self.supported_entities = sorted({e for m in self.members for e in m.entities})

    def scan(self, texts: Sequence[str]) -> list[ScanResult]:
        if self.text_stages:
            user_texts = [without_system_prompt(t) for t in texts]
            extra = [_whole_text_spans(stage(user_texts), texts) for stage in self.text_stages]
        else:
            extra = []
        out = []
        for i, text in enumerate(texts):
            pii = self.find(text)
            findings = [self._finding(r) for r in pii]
            for stage_findings in extra:
                findings.extend(stage_findings[i])
            out.append(ScanResult(tuple(findings), self._redact(text, pii)))
        return out

    def find(self, text: str) -> list[RecognizerResult]:
        """PII and secret spans in ``text``, after context, checks, threshold and overlaps."""
        if not text:
            return []
        results: list[RecognizerResult] = []
        for index, spans in sorted(self.prefilter.hits(text).items()):
            member = self.members[index]
            if getattr(member.recognizer, "YIELDS_TO_EARLIER", False) and results:
                # e.g. a phone candidate inside a card number or IBAN already found
                spans = [s for s in spans
                         if not any(r.start <= s[0] and s[1] <= r.end for r in results)]
                if not spans:
                    continue
            margin = getattr(member.recognizer, "WINDOW_MARGIN", WINDOW_MARGIN)
            reach = getattr(member.recognizer, "PREFILTER_REACH", 0)
            for start, end in windows(spans, text, margin, reach):
                found = member.recognizer.analyze(
                    text[start:end], member.entities, None  # type: ignore[arg-type]
                )
                for r in found:
                    r.start += start
                    r.end += start
                    if self._accept(member, text, r):
                        results.append(r)
        return _resolve_overlaps(results)

    def _accept(self, member: Member, text: str, result: RecognizerResult) -> bool:
        has_context = _has_context(text, result.start, member.context)
        if has_context:
            result.score = min(1.0, max(result.score + CONTEXT_BOOST, CONTEXT_FLOOR))
        keep = getattr(member.recognizer, "keep", None)
        if keep is not None and not keep(text, result, has_context):
            return False
        if result.recognition_metadata is None:
            result.recognition_metadata = {}
        result.recognition_metadata["recognizer_name"] = member.name
        result.recognition_metadata["aitrail_version"] = member.version
        return bool(result.score >= SCORE_THRESHOLD)

    def _finding(self, r: RecognizerResult) -> Finding:
        meta = r.recognition_metadata or {}
        return Finding(
            entity_type=r.entity_type, start=r.start, end=r.end, score=round(float(r.score), 4),
            detector=str(meta.get("recognizer_name", "unknown")),
            detector_version=f"{self.version}; {meta.get('aitrail_version', 'presidio')}",
        )

    def _redact(self, text: str, results: list[RecognizerResult]) -> str:
        if not results:
            return text
        redacted: str = self._anonymizer.anonymize(
            text=text, analyzer_results=results  # type: ignore[arg-type]
        ).text
        return redacted


_SYSTEM = "system: "
_NEXT_ROLE = regex.compile(r"\n(?:user|assistant|tool|function|developer): ")


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
    version = f"{type(recognizer).__name__}/{getattr(recognizer, 'VERSION', 'presidio-2.2.366')}"
    return Member(recognizer, list(recognizer.supported_entities), context, version)


def _prefilter_of(member: Member) -> tuple[str, ...]:
    own: tuple[str, ...] | None = getattr(member.recognizer, "PREFILTER", None)
    found = own if own is not None else PRESIDIO_PREFILTERS.get(type(member.recognizer).__name__)
    if not found:
        raise ValueError(f"{member.name} has no PREFILTER: the engine would never run it")
    return found


def _has_context(text: str, start: int, context: tuple[str, ...]) -> bool:
    if not context:
        return False
    before = _WORD.findall(text[max(0, start - 120):start])[-CONTEXT_WORDS_BEFORE:]
    return any(word in token.lower() for token in before for word in context)


def _resolve_overlaps(results: list[RecognizerResult]) -> list[RecognizerResult]:
    kept: list[RecognizerResult] = []
    for r in sorted(results, key=lambda r: (-r.score, -(r.end - r.start), r.start)):
        if all(r.end <= k.start or r.start >= k.end for k in kept):
            kept.append(r)
    return sorted(kept, key=lambda r: r.start)
