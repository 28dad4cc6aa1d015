"""voicecheck: keep a brand's writing voice consistent.

Learn a voice profile from a company's own writing, score drafts for how well they
match it (with plain-language reasons), and report drift over time. Importing this
package loads no model and no heavy library: names are imported on first use.

>>> import voicecheck                                                   # doctest: +SKIP
>>> docs = voicecheck.read_corpus(["corpora/aurora/inhouse.jsonl"])     # doctest: +SKIP
>>> profile = voicecheck.VoiceProfile(name="aurora").fit(docs)          # doctest: +SKIP
>>> voicecheck.score_text(profile, "Scopri il tuo caffè!!! 😍").verdict  # doctest: +SKIP
'off-voice'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # what type checkers and editors see; at run time ``__getattr__`` imports on first use
    from .card import render_card, voice_card
    from .corpus import documents_from_records, read_corpus
    from .documents import Document, documents_between
    from .drift import drift_report
    from .embedding import load_embedder
    from .errors import (InputError, LanguageError, ModelUnavailableError, NotFittedError, ProfileError,
                         ProfileFormatError, ProfileNotFoundError, StorageError, TooLittleDataError, VoicecheckError,
                         VoicecheckWarning)
    from .evaluation import evaluate, mask_signoffs
    from .language import detect_language
    from .profile import VoiceProfile
    from .report_render import render_report
    from .results import Reason, ScoreResult
    from .scoring import score_documents, score_text

_EXPORTS = {
    "Document": "documents",
    "read_corpus": "corpus",
    "documents_from_records": "corpus",
    "documents_between": "documents",
    "VoiceProfile": "profile",
    "score_documents": "scoring",
    "score_text": "scoring",
    "ScoreResult": "results",
    "Reason": "results",
    "voice_card": "card",
    "render_card": "card",
    "evaluate": "evaluation",
    "mask_signoffs": "evaluation",
    "detect_language": "language",
    "load_embedder": "embedding",
    "drift_report": "drift",
    "render_report": "report_render",
    "VoicecheckError": "errors",
    "InputError": "errors",
    "TooLittleDataError": "errors",
    "ProfileError": "errors",
    "ProfileNotFoundError": "errors",
    "ProfileFormatError": "errors",
    "LanguageError": "errors",
    "ModelUnavailableError": "errors",
    "NotFittedError": "errors",
    "StorageError": "errors",
    "VoicecheckWarning": "errors",
}

__all__ = sorted([*_EXPORTS, "__version__"])


if not TYPE_CHECKING:  # hidden from type checkers, which would otherwise take any misspelt name as Any
    def __getattr__(name: str) -> Any:
        module = _EXPORTS.get(name)
        if module is None:
            raise AttributeError(f"module 'voicecheck' has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{module}", __name__), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return __all__
