"""Which language a text is in, and what voicecheck can do in it.

English and Italian are first-class: their own style lexicons (person, register,
contractions) and readability formulas. Other languages that the multilingual
embedder knows work with the language-neutral features only.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from .errors import InputError, LanguageError
from .links import LINK  # links are not words of any language (and are mostly Latin letters)

__all__ = ["FIRST_CLASS", "SUPPORTED", "detect_language", "check_language", "first_class_by_letters",
           "language_label", "language_name", "other_languages"]

FIRST_CLASS = ("en", "it")

#: Italian words written elided before a vowel: the articles and articulated prepositions ("l'olio",
#: "dell'azienda", "un'amica", "quest'anno"), which no reader takes for part of the next word, and the
#: pronouns and adverbs ("c'è", "t'aspetto", "anch'io").
ITALIAN_ELIDED_ARTICLES = ("l", "dell", "nell", "sull", "all", "dall", "coll", "pell", "un", "d", "quest", "quell",
                           "gl")
ITALIAN_ELIDED_OTHERS = ("c", "s", "m", "t", "v", "n", "anch", "com", "dov")

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


#: Language names a ``lang`` field may hold instead of a code (English and Italian names).
_NAMED = {**{name.lower(): code for code, name in _NAMES.items()},
          "italiano": "it", "inglese": "en", "francese": "fr", "tedesco": "de", "spagnolo": "es",
          "portoghese": "pt", "olandese": "nl", "ita": "it", "eng": "en"}
_CODE = re.compile(r"[a-z]{2,3}(?:[-_][a-z0-9]{1,8})*")


def language_label(value: str) -> str:
    """A document's ``lang`` field as a bare language code: ``it-IT``, ``IT``, ``ita`` and ``Italian`` give ``it``.

    Any language is a valid label (a Swedish post in an Italian corpus is marked ``sv``), but
    it must look like one: raises ``ValueError`` saying so otherwise.
    """
    text = value.strip().lower() if isinstance(value, str) else ""
    if text in _NAMED:
        return _NAMED[text]
    if not _CODE.fullmatch(text):
        raise ValueError(f"lang {value!r} is not a language code (such as en, it or it-IT)")
    return _NAMED.get(text.replace("_", "-").split("-")[0], text.replace("_", "-").split("-")[0])


def check_language(code: str) -> str:
    """Return ``code`` normalised ('it-IT', 'Italian' and 'italiano' are 'it', as in a document's ``lang``), or
    raise ``LanguageError`` listing what is supported."""
    try:
        norm = language_label(code)
    except ValueError:
        norm = (code or "").strip().lower().replace("_", "-").split("-")[0] if isinstance(code, str) else ""
    if norm not in SUPPORTED:
        raise LanguageError(f"unknown language {code!r}; supported: {', '.join(SUPPORTED)} "
                            f"(first-class: {', '.join(FIRST_CLASS)})")
    return norm


def detect_language(texts: Iterable[str] | str) -> str | None:
    """Guess the main language of ``texts`` (or of one text) from their scripts, else their function words.

    A script (Cyrillic, CJK, ...) decides only when it holds more than half of the letters of
    all texts together, so a name or a place in another script (Сергей, 東京) inside
    Latin-script writing does not switch the language. Returns ``None`` when the texts give
    no clear answer; callers then ask the user for ``--lang`` instead of guessing.
    """
    if isinstance(texts, str):  # one text, not one text per character
        texts = [texts]
    if not isinstance(texts, Iterable) or isinstance(texts, (bytes, Mapping)):
        raise InputError(f"texts must be a text or a list of texts, got {type(texts).__name__}", field="texts")
    texts = list(texts)
    bad = next((i for i, t in enumerate(texts) if not isinstance(t, str)), None)
    if bad is not None:  # None or a number among them: a TypeError escaped the exception tree (a library review)
        raise InputError(f"texts #{bad + 1}: expected a text, got {type(texts[bad]).__name__}", field="texts")
    votes: Counter[str] = Counter()
    script: Counter[str] = Counter()
    letters = 0.0
    for text in texts:
        head = LINK.sub(" ", text[:2000])
        letters += len(_OTHER_LETTER.findall(head))
        for lang, pattern in _SCRIPTS:
            n = len(pattern.findall(head))
            if n:
                script[lang] += n
                letters += n * _WEIGHT.get(lang, 1)
        for w in _WORD.findall(text):
            for lang in _MARKER_LANGS.get(w.lower(), ()):
                votes[lang] += 1
    lang = _script_language(script, letters)
    if lang:
        return lang
    if not votes:
        return None
    (best, n1), *rest = votes.most_common(2) + [("", 0)]
    n2 = rest[0][1]
    if n1 < 3 or n1 < 1.3 * n2:
        return None
    return best


#: How clearly the letters must say English or Italian: the natural log of the likelihood ratio. Four
#: words of Italian pass it ("Nuovo lotto in arrivo": 56), a 240-post English check never came within 20.
LETTERS_SURE = 30.0
_LETTERS_LOCK = threading.Lock()
_LETTERS: dict[str, dict[str, float]] = {}


def first_class_by_letters(text: str) -> str | None:
    """English or Italian by the letter sequences of ``text`` when they say so clearly; else None.

    Function words decide most texts (``detect_language``), but a short draft may hold none that
    only one of the two uses ("Abbiamo rifornito i guanti invernali in tre taglie": "i" and "in"
    are English words too). Sequences of one to three letters, counted in the background writing
    shipped for each language (a naive Bayes model, built once per process), tell the two apart
    in a few words.
    """
    model = _letter_model()
    if not model:
        return None
    en, it = model["en"], model["it"]
    unseen_en, unseen_it = en[""], it[""]
    ratio = sum(it.get(g, unseen_it) - en.get(g, unseen_en) for g in _letter_grams(text))
    return "it" if ratio >= LETTERS_SURE else "en" if ratio <= -LETTERS_SURE else None


def _letter_grams(text: str):
    for word in _WORD.findall(LINK.sub(" ", text).lower()):
        padded = f" {word} "
        for n in (1, 2, 3):
            for i in range(len(padded) - n + 1):
                gram = padded[i:i + n]
                if gram != " ":
                    yield gram


def _letter_model() -> dict[str, dict[str, float]]:
    """Log-probabilities of letter sequences in each first-class language (add-one smoothed; "" for unseen)."""
    with _LETTERS_LOCK:
        if not _LETTERS:
            from .background import background_texts

            counts = {lang: Counter(g for t in background_texts(lang) for g in _letter_grams(t))
                      for lang in FIRST_CLASS}
            if all(counts.values()):
                vocabulary = set().union(*counts.values())
                for lang, c in counts.items():
                    total = math.log(sum(c.values()) + len(vocabulary))
                    _LETTERS[lang] = {g: math.log(c[g] + 1) - total for g in vocabulary}
                    _LETTERS[lang][""] = -total
        return _LETTERS


def other_languages(texts: Iterable[str], lang: str, *, min_share: float = 0.1, min_texts: int = 5,
                    found: Sequence[str | None] | None = None) -> dict[str, float]:
    """Languages other than ``lang`` that a real share of the texts are clearly written in.

    Why: a profile learns one language. A corpus that is a third English and two thirds
    Italian is learned as Italian without a word; the English posts then blur the voice.
    Texts whose language is unclear (short ones) count for no language, and the share is
    taken among the texts whose language is clear: in a corpus of tweets half the short
    ones are undecided, and counting them as the brand's language hid a fifth of posts in
    another. A language needs ``min_texts`` clear texts and ``min_share`` of the clear ones.
    Returns each such language's share of all the texts (what the warning reports). ``found``: each
    text's ``detect_language``, when the caller has it already.
    """
    counts: Counter[str] = Counter()
    n = decided = 0
    for code in (found if found is not None else (detect_language([t]) for t in texts)):
        n += 1
        if code:
            decided += 1
            if code != lang:
                counts[code] += 1
    return {k: c / n for k, c in counts.most_common() if c >= min_texts and c / decided >= min_share}


def _script_language(script: Counter[str], letters: float) -> str | None:
    """The language of the leading script when it is a real share of ``letters``, else ``None``.

    Kana and Han count as one script (Japanese mixes them); it is Japanese when kana is a real
    share of them (Japanese sentences need it), not for one stylistic の in Chinese writing.
    """
    groups = Counter(script)
    groups["zh"] += groups.pop("ja", 0)
    (lang, n), = groups.most_common(1)
    if n < 5 or n * _WEIGHT.get(lang, 1) <= _SCRIPT_SHARE * letters:
        return None
    return "ja" if lang == "zh" and script["ja"] >= _KANA_SHARE * n else lang


#: Each marker word and the languages it votes for (one dictionary look-up per word of a text).
_MARKER_LANGS: dict[str, tuple[str, ...]] = {}
for _lang, _words in _MARKERS.items():
    for _w in dict.fromkeys(_words):
        _MARKER_LANGS[_w] = (*_MARKER_LANGS.get(_w, ()), _lang)
del _lang, _words, _w
_RANGES = (("ru", "\u0400-\u04FF"), ("ar", "\u0600-\u06FF"), ("th", "\u0E00-\u0E7F"), ("ja", "\u3040-\u30FF"),
           ("ko", "\uAC00-\uD7AF"), ("zh", "\u4E00-\u9FFF"))
_SCRIPTS = tuple((lang, re.compile(f"[{r}]")) for lang, r in _RANGES)
#: Letters in none of the scripts above (Latin, Greek, ...): what a script's share is measured against.
_OTHER_LETTER = re.compile(f"(?![{''.join(r for _, r in _RANGES)}])" r"[^\W\d_]")
#: A kana, Hangul or Han character stands for a syllable: about two Latin letters.
_WEIGHT = {"ja": 2, "ko": 2, "zh": 2}
#: A script decides the language only when it holds more than this share of all letters (weighted as above).
_SCRIPT_SHARE = 0.5
#: Of the kana and Han characters, the share of kana from which a text is Japanese rather than Chinese.
_KANA_SHARE = 0.1
