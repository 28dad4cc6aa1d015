"""Which language a text is in, and what voicecheck can do in it.

English and Italian are first-class: their own style lexicons (person, register,
contractions) and readability formulas. Other languages that the multilingual
embedder knows work with the language-neutral features only.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from .errors import LanguageError

__all__ = ["FIRST_CLASS", "SUPPORTED", "detect_language", "check_language", "language_name"]

FIRST_CLASS = ("en", "it")

#: Languages the multilingual embedder (Universal Sentence Encoder multilingual) covers.
SUPPORTED = ("en", "it", "ar", "de", "es", "fr", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh")

_NAMES = {"en": "English", "it": "Italian", "ar": "Arabic", "de": "German", "es": "Spanish", "fr": "French",
          "ja": "Japanese", "ko": "Korean", "nl": "Dutch", "pl": "Polish", "pt": "Portuguese", "ru": "Russian",
          "th": "Thai", "tr": "Turkish", "zh": "Chinese"}

# Short, frequent function words; chosen to be rare in the other listed languages.
_MARKERS = {
    "en": "the and you your we our is are to of for with this that it be have has not can will on at".split(),
    "it": "il lo la gli le di che non per una un sono è del della con ci vi anche nel ho abbiamo siamo più".split(),
    "es": "el los las que de y en por para una es está son con muy pero también nos".split(),
    "fr": "le les des est et une dans pour pas que qui sur avec nous vous sont très".split(),
    "de": "der die das und ist nicht ein eine mit für wir sie auf den dem zu auch".split(),
    "pt": "o os as que de em um uma para com não você nós está são também muito".split(),
    "nl": "de het een en van is niet wij jij met voor op zijn ook maar".split(),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def language_name(code: str) -> str:
    return _NAMES.get(code, code)


def check_language(code: str) -> str:
    """Return ``code`` normalised, or raise ``LanguageError`` listing what is supported."""
    norm = (code or "").strip().lower().replace("_", "-").split("-")[0]
    if norm not in SUPPORTED:
        raise LanguageError(f"unknown language {code!r}; supported: {', '.join(SUPPORTED)} "
                            f"(first-class: {', '.join(FIRST_CLASS)})")
    return norm


def detect_language(texts: Iterable[str]) -> str | None:
    """Guess the main language of ``texts`` from function words and scripts.

    Returns ``None`` when the texts give no clear answer; callers then ask the
    user for ``--lang`` instead of guessing.
    """
    votes: Counter[str] = Counter()
    script: Counter[str] = Counter()
    for text in texts:
        head = text[:2000]
        for lang, pattern in _SCRIPTS:
            n = len(pattern.findall(head))
            if n:
                script[lang] += n
        for w in _WORD.findall(text):
            for lang in _MARKER_LANGS.get(w.lower(), ()):
                votes[lang] += 1
    if script:
        lang, n = script.most_common(1)[0]
        if n >= 5:
            return "ja" if script["ja"] > 0 and lang == "zh" else lang
    if not votes:
        return None
    (best, n1), *rest = votes.most_common(2) + [("", 0)]
    n2 = rest[0][1]
    if n1 < 3 or n1 < 1.3 * n2:
        return None
    return best


#: Each marker word and the languages it votes for (one dictionary look-up per word of a text).
_MARKER_LANGS: dict[str, tuple[str, ...]] = {}
for _lang, _words in _MARKERS.items():
    for _w in dict.fromkeys(_words):
        _MARKER_LANGS[_w] = (*_MARKER_LANGS.get(_w, ()), _lang)
del _lang, _words, _w
_SCRIPTS = tuple((lang, re.compile(ranges)) for lang, ranges in (
    ("ru", "[\u0400-\u04FF]"), ("ar", "[\u0600-\u06FF]"), ("th", "[\u0E00-\u0E7F]"), ("ja", "[\u3040-\u30FF]"),
    ("ko", "[\uAC00-\uD7AF]"), ("zh", "[\u4E00-\u9FFF]")))
