"""spaCy pipelines: loaded once per process and language, then shared.

Style features need tokens and sentences, not tags: both languages use spaCy's
rule-based tokenizer, so Italian (which has no trained pipeline on the package
registry) and English measure the same things at the same speed. Sentences are cut
by spaCy's Sentencizer rule, applied by ``style`` to the token arrays
(``sentence_end_marks`` gives its punctuation): the Sentencizer component itself
builds a Python Token object per token, which cost a fifth of all style measuring.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from .errors import ModelUnavailableError

__all__ = ["load_pipeline", "sentence_end_marks"]

_LOCK = threading.Lock()
_CACHE: dict[str, Any] = {}


def load_pipeline(lang: str) -> Any:
    """Return the shared tokenizer-only pipeline for ``lang``."""
    with _LOCK:
        nlp = _CACHE.get(lang)
        if nlp is None:
            try:
                import spacy
            except ImportError as e:  # pragma: no cover - spaCy is a core dependency
                raise ModelUnavailableError("spaCy is not installed: pip install spacy") from e
            try:
                nlp = spacy.blank(lang)
            except Exception:
                nlp = spacy.blank("xx")
            nlp.max_length = 2_000_000
            _CACHE[lang] = nlp
        return nlp


@functools.cache
def sentence_end_marks() -> frozenset[str]:
    """The tokens after which spaCy's Sentencizer starts a new sentence (. ! ? and other scripts' marks)."""
    from spacy.pipeline.sentencizer import Sentencizer

    return frozenset(Sentencizer.default_punct_chars)
