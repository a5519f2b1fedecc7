"""For the tests: a Presidio ``AnalyzerEngine`` holding only the secret recognizers, to show
they behave inside stock Presidio as well as in aitrail's engine.

Two NLP set-ups. ``context=False`` (the default) uses Presidio's ``NoOpNlpEngine``: no
tokenizer runs, and scores are the recognizers' own. ``context=True`` tokenizes with a blank
spaCy English pipeline (nothing downloaded) so Presidio's
context enhancer can raise a score by 0.35 when a recognizer's ``CONTEXT`` word is among the
five tokens before a match. For secrets that buys little: format recognizers already score
0.9+, and key-name recognizers mark their score as already context-enhanced.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from pipelines.detection import offline  # noqa: F401  (must precede presidio imports)
from pipelines.detection.secrets import SECRET_ENTITIES, secret_recognizers

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngine
    from spacy.tokens import Doc

LEMMA_COMPONENT = "aitrail_secrets_lower_lemma"


def build_secret_analyzer(context: bool = False) -> AnalyzerEngine:
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NoOpNlpEngine

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    models = [{"lang_code": "en", "model_name": "blank"}]
    nlp_engine: NlpEngine = _blank_english(models) if context else NoOpNlpEngine(models=models)
    nlp_engine.load()
    registry = RecognizerRegistry(recognizers=secret_recognizers(), supported_languages=["en"])
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])


def analyze_secrets(analyzer: AnalyzerEngine, text: str) -> list[object]:
    """Shorthand used by tests and benchmarks: every secret entity, no score threshold."""
    return list(analyzer.analyze(text=text, language="en", entities=list(SECRET_ENTITIES)))


def _blank_english(models: list[dict[str, str]]) -> NlpEngine:
    import spacy
    from presidio_analyzer.nlp_engine import SlimSpacyNlpEngine

    _register_lower_lemma()

    class _BlankEnglish(SlimSpacyNlpEngine):
        """Tokens and lower-cased lemmas for context words; no model to load."""

        def load(self) -> None:
            nlp = spacy.blank("en")
            nlp.add_pipe(LEMMA_COMPONENT)
            self.nlp = {"en": nlp}  # type: ignore[assignment]

    return _BlankEnglish(models=models)


def _register_lower_lemma() -> None:
    from spacy.language import Language

    if Language.has_factory(LEMMA_COMPONENT):
        return

    def lower_lemma(doc: Doc) -> Doc:
        for token in doc:
            token.lemma_ = token.lower_
        return doc

    Language.component(LEMMA_COMPONENT, func=lower_lemma)
