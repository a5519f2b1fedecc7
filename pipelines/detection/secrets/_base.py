"""The shape every secret recognizer shares: Presidio's ``PatternRecognizer`` plus pre-filter
metadata.

Why a base class: Presidio reads patterns and context from constructor arguments, and its
default regex flags are ``DOTALL | MULTILINE | IGNORECASE``. Case matters for secrets (``AKIA``
is a key, ``akia`` is not), so every recognizer here matches with :data:`REGEX_FLAGS` and
spells out case-insensitive parts inline as ``(?i:...)``; ``analyze`` passes these flags
explicitly so that a registry configured with other global flags cannot change what matches.

Recognizers whose span must be narrower than what identifies it (the password in a URI, the
value after ``api_key=``) match the key first and reset the match start with ``\K`` (the
``regex`` module, which Presidio uses, reports ``span()`` from there). A lookbehind would say the
same but is tried at every position of the text: 5 to 10 times slower on 1 KB messages.

Pre-filter contract (checked by the tests for every true positive): some regex in
``PREFILTER`` matches at a position ``h`` such that the true positive lies inside
``text[h.start : h.end + PREFILTER_REACH]``. The pre-filter regexes are Hyperscan-compatible
(no lookaround, no back-references); a pre-filter hit means "run this recognizer around here",
never "this is a secret".
"""

from __future__ import annotations

from typing import ClassVar

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

REGEX_FLAGS = re.MULTILINE
VERSION_KEY = "recognizer_version"


class SecretRecognizer(PatternRecognizer):
    """A Presidio pattern recognizer whose configuration lives in class constants."""

    ENTITY: ClassVar[str]
    PATTERNS: ClassVar[tuple[Pattern, ...]]
    CONTEXT: ClassVar[tuple[str, ...]]
    PREFILTER: ClassVar[tuple[str, ...]]
    # Largest distance from the end of a pre-filter hit to the end of the secret it stands for.
    PREFILTER_REACH: ClassVar[int] = 0
    VERSION: ClassVar[str] = "1"
    # The patterns already require the key name (``aws_secret_access_key = ...``). Presidio's
    # context enhancer would add +0.35 for that same word a second time; mark the score as
    # already context-enhanced instead, so it is the same with or without an NLP engine.
    CONTEXT_IN_PATTERN: ClassVar[bool] = False

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name=type(self).__name__,
            supported_language=supported_language,
            # Fresh Pattern objects: Presidio caches the compiled regex on them.
            patterns=[Pattern(p.name, p.regex, p.score) for p in self.PATTERNS],
            context=list(self.CONTEXT),
            global_regex_flags=REGEX_FLAGS,
            version=self.VERSION,
        )

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = super().analyze(
            text, entities, nlp_artifacts, regex_flags=REGEX_FLAGS
        )
        for result in results:
            meta = result.recognition_metadata
            meta[VERSION_KEY] = self.VERSION
            if self.CONTEXT_IN_PATTERN:
                meta[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
        return results
