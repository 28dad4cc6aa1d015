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
    # "X as X": an explicit re-export, which strict type checkers (mypy --no-implicit-reexport) require
    from .card import render_card as render_card
    from .card import voice_card as voice_card
    from .corpus import distinct_posts as distinct_posts
    from .corpus import documents_from_records as documents_from_records
    from .corpus import read_corpus as read_corpus
    from .documents import Document as Document
    from .documents import documents_between as documents_between
    from .drift import drift_report as drift_report
    from .embedding import load_embedder as load_embedder
    from .errors import InputError as InputError
    from .errors import LanguageError as LanguageError
    from .errors import ModelUnavailableError as ModelUnavailableError
    from .errors import NotFittedError as NotFittedError
    from .errors import ProfileError as ProfileError
    from .errors import ProfileFormatError as ProfileFormatError
    from .errors import ProfileNotFoundError as ProfileNotFoundError
    from .errors import ProfileUnreadableError as ProfileUnreadableError
    from .errors import StorageError as StorageError
    from .errors import TooLittleDataError as TooLittleDataError
    from .errors import VoicecheckError as VoicecheckError
    from .errors import VoicecheckWarning as VoicecheckWarning
    from .evaluation import evaluate as evaluate
    from .evaluation import mask_signoffs as mask_signoffs
    from .language import detect_language as detect_language
    from .profile import VoiceProfile as VoiceProfile
    from .report_render import render_report as render_report
    from .results import Reason as Reason
    from .results import ScoreResult as ScoreResult
    from .scoring import score_documents as score_documents
    from .scoring import score_text as score_text

_EXPORTS = {
    "Document": "documents",
    "read_corpus": "corpus",
    "distinct_posts": "corpus",
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
    "ProfileUnreadableError": "errors",
    "LanguageError": "errors",
    "ModelUnavailableError": "errors",
    "NotFittedError": "errors",
    "StorageError": "errors",
    "VoicecheckWarning": "errors",
}

__all__ = ["Document", "InputError", "LanguageError", "ModelUnavailableError", "NotFittedError", "ProfileError",
           "ProfileFormatError", "ProfileNotFoundError", "ProfileUnreadableError", "Reason", "ScoreResult",
           "StorageError",
           "TooLittleDataError", "VoiceProfile", "VoicecheckError", "VoicecheckWarning", "__version__",
           "detect_language", "distinct_posts", "documents_between", "documents_from_records", "drift_report",
           "evaluate", "load_embedder", "mask_signoffs", "read_corpus", "render_card", "render_report",
           "score_documents", "score_text", "voice_card"]  # literal: static tools read it (a test checks it)


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
