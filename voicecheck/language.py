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

__all__ = ["FIRST_CLASS", "SUPPORTED", "UNDETERMINED", "detect_language", "check_language",
           "first_class_by_letters", "language_label", "language_name", "leads_other_languages", "other_languages"]

FIRST_CLASS = ("en", "it")
#: The code (ISO 639-2 and BCP 47 'undetermined') of a draft known not to be in the brand's language, but not
#: known to be in which one.
UNDETERMINED = "und"

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

# Short, frequent function words. A word two languages both use often is in both lists ('la', 'un', 'del' are
# Spanish as much as Italian) and votes for both: kept in the Italian list only, it read a Spanish draft as
# Italian (a library review). A word common in English or Italian writing that their lists leave out ('a', 'e',
# 'o', 'se', 'no', 'do', 'as', 'plus', 'qui') is in no list: it would vote for another language in every English
# or Italian text.
_MARKERS = {
    "en": "the and you your we our is are to of for with this that it be have has not can will on at in".split(),
    "it": ("il lo la gli le di che non per una un sono è del della con ci vi anche nel ho abbiamo siamo più in alla "
           "dei delle degli nella dalla sulla questo questa questi tutti tutto").split(),
    "es": ("el la los las lo un una del de que y en es está por para con pero muy también nos os este esta estos "
           "estas hay ya como más cuando porque todo todos hoy aquí nuestro nuestra nuestros hemos tenemos somos "
           "estamos sin sobre desde hasta").split(),
    "fr": ("le la les un une des du de et est en dans pour pas que sur avec nous vous sont très cette ces "
           "au aux mais ou tout tous notre nos votre vos leur chez aussi où été avons êtes").split(),
    "de": ("der die das den dem des und ist nicht ein eine einen einem mit für wir sie auf zu auch es ich du er "
           "sich von in im bei aus nach wie noch nur oder aber wenn dass uns unser unsere euch ihr sind haben wird "
           "zum zur vom über gibt").split(),
    "pt": ("os um uma de que em para com não você vocês nós está são também muito na nos ao aos pelo pela mais "
           "isso este esta seu nossa nosso já até foi tem temos estamos").split(),
    "nl": "de het een en van is niet wij jij met voor op zijn ook maar in".split(),
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
    found: dict[frozenset[str], int] = {}
    script: Counter[str] = Counter()
    letters = 0.0
    for text in texts:
        clean = LINK.sub(" ", text)  # once: a long text's head had been cleaned twice (a code review)
        head = clean[:2000]
        letters += len(_OTHER_LETTER.findall(head))
        for lang, pattern in _SCRIPTS:
            n = len(pattern.findall(head))
            if n:
                script[lang] += n
                letters += n * _WEIGHT.get(lang, 1)
        _count_markers(clean, found)
    return _script_language(script, letters) or _leading(found)


def leads_other_languages(text: str, lang: str) -> bool:
    """Whether ``lang``'s function words in ``text`` clearly outnumber those of each other language that has words
    of its own there (ones ``lang`` does not share; ``_ahead``). True when no other language has any.

    Why: the letters and word lists that tell English from Italian (``first_class_by_letters``) know
    no third language: a Spanish draft read as Italian, a German one as English (a library review).
    A draft they give to one of the two is that language only if no third language's words say otherwise.
    """
    found: dict[frozenset[str], int] = {}
    _count_markers(LINK.sub(" ", text), found)
    others = {code for langs in found for code in langs} - {lang}
    return all(_ahead(found, lang, other) for other in others if _own(found, other, lang))


def _count_markers(text: str, found: dict[frozenset[str], int]) -> None:
    """Count into ``found`` the marker words of ``text`` (its links left out: 'com' is Portuguese), by the languages
    each votes for."""
    for w in _WORD.findall(text):
        langs = _MARKER_LANGS.get(w.lower())
        if langs is not None:
            found[langs] = found.get(langs, 0) + 1


def _leading(found: dict[frozenset[str], int]) -> str | None:
    """The language with the most marker words (3+) when it is clearly ahead of every other (``_ahead``), else None."""
    votes: dict[str, int] = {}
    for langs, n in found.items():
        for code in langs:
            votes[code] = votes.get(code, 0) + n
    if not votes:
        return None
    best = max(votes, key=votes.__getitem__)
    if votes[best] < 3 or not all(_ahead(found, best, other) for other in votes if other != best):
        return None
    return best


def _ahead(found: dict[frozenset[str], int], lang: str, other: str) -> bool:
    """Whether ``lang`` has more marker words than ``other``, and 1.3 times as many, of those the two do not share.

    Shared words ('la', 'un', 'del' of Spanish and Italian) say nothing between the two: counted in
    both totals, they left Italian posts with a few words of their own too close to call.
    """
    mine, theirs = _own(found, lang, other), _own(found, other, lang)
    return mine > theirs and mine >= _LEAD * theirs


def _own(found: dict[frozenset[str], int], lang: str, other: str) -> int:
    """How many of the marker words counted in ``found`` are ``lang``'s and not ``other``'s."""
    return sum(n for langs, n in found.items() if lang in langs and other not in langs)


#: How many times the other language's marker words the leading language needs.
_LEAD = 1.3


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


#: Each marker word and the languages it votes for (one dictionary look-up per word of a text); one frozenset per
#: group of languages, whose hash is kept, so that counting by group costs no more than counting by language.
_MARKER_LANGS: dict[str, frozenset[str]] = {}
for _w in dict.fromkeys(w for words in _MARKERS.values() for w in words):
    _langs = frozenset(lang for lang, words in _MARKERS.items() if _w in words)
    _MARKER_LANGS[_w] = next((g for g in _MARKER_LANGS.values() if g == _langs), _langs)
del _w, _langs
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
