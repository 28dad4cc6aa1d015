"""The words voicecheck says things in: English or Italian.

Why: the first customers write in Italian, and what a person reads (the reasons of a
score, the voice card, a drift report) is read by the brand's own people. So it is
written in the profile's language when voicecheck speaks it, else in English, unless
``explain_in`` asks for the other. Only sentences change: field names, feature names,
verdicts and the numbers in JSON are the same in every language, for tools to read.

This module holds what every sentence needs in both languages (numbers with the
right decimal mark, month names, the style features' names); each module keeps its
own sentences next to the English ones, so that the two are read and changed together.
"""

from __future__ import annotations

import datetime as dt

from .errors import InputError

__all__ = ["SPOKEN", "explain_language", "number", "count", "fixed", "feature_words", "day_text", "month_text",
           "language_name", "percent_after", "how_many", "counted", "article_it", "day_span", "month_span"]

#: The languages voicecheck explains in.
SPOKEN = ("en", "it")


def explain_language(requested: str | None, profile_lang: str) -> str:
    """The language to explain in: ``requested`` when given, else the profile's when spoken, else English."""
    if requested is None or requested == "":
        return profile_lang if profile_lang in SPOKEN else "en"
    code = str(requested).strip().lower()
    if code not in SPOKEN:  # "it-IT", "Italian": as a document's lang reads them (a library review)
        from .language import language_label

        try:
            code = language_label(str(requested))
        except ValueError:
            pass
    if code not in SPOKEN:
        raise InputError(f"explain_in {requested!r}: voicecheck explains in {' or '.join(SPOKEN)}", field="explain_in")
    return code


def fixed(x: float, lang: str, decimals: int = 1) -> str:
    """``x`` with ``decimals`` decimals and thousands grouped: 1,234.5 in English, 1.234,5 in Italian."""
    text = f"{x:,.{decimals}f}"
    if lang == "it":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def number(x: float, lang: str) -> str:
    """A measured value as a sentence shows it: whole from 100, one decimal below (none when whole from 10, as it
    is shown: 94.95 is "95", not "95.0" beside another's "79", a review)."""
    shown = round(float(x), 1)
    if abs(shown) >= 100 or (abs(shown) >= 10 and shown.is_integer()):
        return fixed(x, lang, 0)
    return fixed(x, lang, 1)


def count(x: float, lang: str) -> str:
    """A count: no decimals, thousands grouped."""
    return fixed(x, lang, 0)


# (label, unit) of each style feature in Italian; the English ones are ``style.FEATURES``'.
_FEATURES_IT = {
    "words": ("parole", "parole"),
    "sentence_length": ("parole per frase", "in media"),
    "word_length": ("lettere per parola", "in media"),
    "exclamation_rate": ("punti esclamativi", "ogni 100 parole"),
    "question_rate": ("punti interrogativi", "ogni 100 parole"),
    "ellipsis_rate": ("puntini di sospensione (...)", "ogni 100 parole"),
    "emoji_rate": ("emoji", "ogni 100 parole"),
    "hashtag_rate": ("hashtag", "ogni 100 parole"),
    "mention_rate": ("menzioni (@)", "ogni 100 parole"),
    "link_rate": ("link", "ogni 100 parole"),
    "caps_rate": ("parole in maiuscolo", "ogni 100 parole"),
    "number_rate": ("numeri", "ogni 100 parole"),
    "comma_rate": ("virgole", "ogni 100 parole"),
    "colon_rate": ("segni di due punti e punto e virgola", "ogni 100 parole"),  # not "3,7 due punti"
    "dash_rate": ("trattini", "ogni 100 parole"),
    "paren_rate": ("parentesi", "ogni 100 parole"),
    "quote_rate": ("virgolette", "ogni 100 parole"),
    "lowercase_start": ("frasi con l'iniziale minuscola", "su 100"),
    "lexical_diversity": ("varietà delle parole (quota di parole diverse, da 0 a 1)", ""),
    "function_word_share": ("parole grammaticali (articoli, preposizioni, pronomi)", "ogni 100 parole"),
    "hype_rate": ("parole enfatiche (pazzesco, imperdibile)", "ogni 100 parole"),
    "first_singular_rate": ("parole di prima persona singolare (I, me, my)", "ogni 100 parole"),
    "first_plural_rate": ("parole di prima persona plurale (we, us, our)", "ogni 100 parole"),
    "second_person_rate": ("parole di seconda persona (you, your)", "ogni 100 parole"),
    "contraction_rate": ("contrazioni (we're, don't)", "ogni 100 parole"),
    "british_spelling_rate": ("grafie britanniche (colour, organise)", "ogni 100 parole"),
    "american_spelling_rate": ("grafie americane (color, organize)", "ogni 100 parole"),
    "readability": ("leggibilità Flesch", "punti (più alto = più facile)"),
    "anglicism_rate": ("anglicismi d'azienda (customer, feedback, touchpoint)", "ogni 100 parole"),
    "other_language_rate": ("frasi in un'altra lingua", "ogni 100 parole"),
    "io_rate": ("forme di prima persona singolare (io, mi, mio)", "ogni 100 parole"),
    "noi_rate": ("forme di prima persona plurale (noi, nostro, -iamo)", "ogni 100 parole"),
    "tu_rate": ("forme del 'tu' (tu, ti, tuo, verbi come 'scopri')", "ogni 100 parole"),
    "voi_rate": ("forme del 'voi' (voi, vi, vostro, verbi come 'scoprite')", "ogni 100 parole"),
    "lei_rate": ("forme di cortesia del 'Lei' (Lei, Suo, La ringraziamo)", "ogni 100 parole"),
    "gulpease": ("leggibilità Gulpease", "punti (più alto = più facile)"),
}


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the last an ellipsis (30: 'agenzia-molto-lunga-molto-lun…'): a name in
    a sentence, a legend or a terminal's column."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def feature_words(name: str, lang: str) -> tuple[str, str]:
    """The (label, unit) a sentence uses for style feature ``name``: ("exclamation marks", "per 100 words")."""
    if lang == "it":
        return _FEATURES_IT[name]
    from .style import feature

    f = feature(name)
    return f.label, f.unit


_MONTHS_IT = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
              "ottobre", "novembre", "dicembre")
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")


def month_text(day: dt.date, lang: str, *, year: bool = True) -> str:
    """'March 2026' / 'marzo 2026' (the month's name whatever the machine's locale)."""
    name = (_MONTHS_IT if lang == "it" else _MONTHS_EN)[day.month - 1]
    return f"{name} {day.year}" if year else name


def day_text(day: dt.date, lang: str, *, month: bool = True, year: bool = True) -> str:
    """'30 March 2026' / '30 marzo 2026', '1 March' / '1º marzo' without the year."""
    first = "1º" if lang == "it" and day.day == 1 else str(day.day)
    if not month:
        return first
    return f"{first} {month_text(day, lang, year=year)}"


def learned_day_text(learned: str | None, lang: str) -> str:
    """A profile's learning time ('2026-11-28T00:49:57+00:00') as the day a reader says: '28 November 2026'.

    The JSON keeps the ISO time for tools; an unreadable value is shown as it is rather than lost.
    """
    try:
        return day_text(dt.date.fromisoformat(str(learned)[:10]), lang)
    except ValueError:
        return str(learned)


_LANGUAGES_IT = {"en": "inglese", "it": "italiano", "ar": "arabo", "de": "tedesco", "es": "spagnolo",
                 "fr": "francese", "ja": "giapponese", "ko": "coreano", "nl": "olandese", "pl": "polacco",
                 "pt": "portoghese", "ru": "russo", "th": "thailandese", "tr": "turco", "zh": "cinese"}


def language_name(code: str, lang: str) -> str:
    """The name of language ``code`` in language ``lang``: 'Italian' / 'italiano'."""
    if lang == "it":
        return _LANGUAGES_IT.get(code, code)
    from .language import language_name as english

    return english(code)


def counted(n: int, noun: str) -> str:
    """'1 post', '3 posts', '1 dated post': reports say how many of a thing without '1 posts'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def how_many(n: int, one: str, many: str, lang: str) -> str:
    """'1 settimana', '3 settimane', '1.200 post': a count and its noun, singular or plural."""
    return f"{count(n, lang)} {one if n == 1 else many}"


def _italian_vowel_sound(text: str) -> bool:
    """Whether the number ``text`` starts with is read with a vowel first in Italian (uno, otto, undici, ottanta)."""
    digits = ""
    for ch in text:
        if ch.isdigit():
            digits += ch
        elif ch == "." and digits:  # thousands grouped: 8.000
            continue
        else:
            if ch == "º":  # 1º: "primo"
                return False
            break
    if not digits:
        return False
    n = int(digits)
    while n >= 1000:  # 8.000 "ottomila", 11.000 "undicimila"; 1.000 "mille"
        if n < 2000:
            return False
        n //= 1000
    return n in (1, 8, 11) or 80 <= n <= 89 or 800 <= n <= 899


_ARTICLED_IT = {"": ("il", "l'"), "di": ("del", "dell'"), "da": ("dal", "dall'"), "a": ("al", "all'"),
                "in": ("nel", "nell'"), "su": ("sul", "sull'")}
_ARTICLED_ZERO_IT = {"": "lo", "di": "dello", "da": "dallo", "a": "allo", "in": "nello", "su": "sullo"}
_ARTICLED_PLURAL_IT = {"": ("i", "gli"), "di": ("dei", "degli"), "da": ("dai", "dagli"), "a": ("ai", "agli"),
                       "in": ("nei", "negli"), "su": ("sui", "sugli")}


def article_it(text: str, prep: str = "", *, plural: bool = False) -> str:
    """Italian's masculine article (joined to ``prep``: di, da, a, in, su) before a number: 'il 9%', "l'8%",
    'lo 0%', 'dal 2 marzo', "dall'11 marzo", 'dal 1º marzo'; ``plural``: 'i 4', 'gli 8', 'negli 11'.

    Why: an Italian date, percentage or count is read with its article, changed before a
    vowel, and a report that gets it wrong reads as machine-made.
    """
    if plural:
        plain, before_vowel = _ARTICLED_PLURAL_IT[prep]
        return f"{before_vowel if _italian_vowel_sound(text) else plain} {text}"
    if text.startswith("0") and not text[1:2].isdigit():  # read "zero": 'lo 0%', 'nello 0,5%'
        return f"{_ARTICLED_ZERO_IT[prep]} {text}"
    plain, elided = _ARTICLED_IT[prep]
    return f"{elided}{text}" if _italian_vowel_sound(text) else f"{plain} {text}"


def day_span(first: dt.date, last: dt.date, lang: str) -> str:
    """'2 to 5 March 2026' / 'dal 2 al 5 marzo 2026', '2 March to 13 April 2026' / 'dal 2 marzo al 13 aprile 2026':
    the month and year said once when the two days share them."""
    if first.year != last.year:
        head = day_text(first, lang)
    elif first.month != last.month:
        head = day_text(first, lang, year=False)
    else:
        head = day_text(first, lang, month=False)
    tail = day_text(last, lang)
    if lang == "it":
        return f"{article_it(head, 'da')} {article_it(tail, 'a')}"
    return f"{head} to {tail}"


def month_span(first: dt.date, last: dt.date, lang: str) -> str:
    """'June to August 2026' / 'da giugno ad agosto 2026', 'December 2025 to February 2026'."""
    head = month_text(first, lang, year=first.year != last.year)
    tail = month_text(last, lang)
    if lang == "it":
        return f"da {head} {'ad' if tail.startswith('a') else 'a'} {tail}"
    return f"{head} to {tail}"


def percent_after(percent: float, preposition: str, lang: str) -> str:
    """A whole percentage after a preposition: 'in 60%'; in Italian with its article, 'nel 60%', "nell'80%".

    ``preposition`` is the English one, 'in' or 'of' (Italian 'in' and 'di').
    """
    value = f"{percent:.0f}%"
    if lang != "it":
        return f"{preposition} {value}"
    return article_it(value, {"in": "in", "of": "di"}[preposition])
