"""spaCy pipelines: loaded once per process and language, then shared.

Style features need tokens and sentences, not tags: both languages use spaCy's
rule-based tokenizer and sentencizer, so Italian (which has no trained pipeline on
the package registry) and English measure the same things at the same speed.
"""

from __future__ import annotations

import threading
from typing import Any

from .errors import ModelUnavailableError

__all__ = ["load_pipeline"]

_LOCK = threading.Lock()
_CACHE: dict[str, Any] = {}


def load_pipeline(lang: str) -> Any:
    """Return the shared tokenizer + sentencizer pipeline for ``lang``."""
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
            nlp.add_pipe("sentencizer")
            nlp.max_length = 2_000_000
            _CACHE[lang] = nlp
        return nlp
