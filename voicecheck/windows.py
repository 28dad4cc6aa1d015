"""Calendar windows and groups of a drift report, and how its sentences name them.

A report cuts dated posts into windows (a day, an ISO week or a month) and, with ``by``, into
groups (source, channel, author). Why apart from the report: the words for a window or a
group ('the week of 2 March 2026', 'la settimana del 2 marzo 2026', "source 'agency'") are
shared by the report's sentences and by the pages that render it (``report_render``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from .errors import InputError
from .wording import article_it, clip, counted, day_span, day_text, how_many, month_span, month_text

__all__ = ["WINDOWS", "MAX_WINDOWS", "BY", "window_start", "window_end", "window_count", "describe_window",
           "window_words", "feminine", "NO_GROUP", "GROUP_CHARS", "group_words", "by_words", "period_words",
           "learned_period_words"]

WINDOWS = ("day", "week", "month")
#: A report holds at most this many windows (2.7 years of days, 19 of weeks): one post dated 0001-01-01
#: among this year's would otherwise fill a report with 24,000 empty months (tens of MB).
MAX_WINDOWS = 1000
BY = ("source", "channel", "author")


def window_start(day: dt.date, window: str) -> dt.date:
    """The first day of the window holding ``day`` (ISO weeks start on Monday)."""
    if window == "day":
        return day
    if window == "week":
        return day - dt.timedelta(days=day.weekday())
    if window == "month":
        return day.replace(day=1)
    raise InputError(f"window must be one of {', '.join(WINDOWS)} (got {window!r})")


def window_end(start: dt.date, window: str) -> dt.date:
    """The first day after the window starting on ``start`` (ends are exclusive)."""
    if window == "day":
        return start + dt.timedelta(days=1)
    if window == "week":
        return start + dt.timedelta(days=7)
    if window == "month":
        return dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    raise InputError(f"window must be one of {', '.join(WINDOWS)} (got {window!r})")


def window_count(first: dt.date, last: dt.date, window: str) -> int:
    """How many windows a report from ``first`` to ``last`` (both days included) holds."""
    a, b = window_start(first, window), window_start(last, window)
    if window == "month":
        return (b.year - a.year) * 12 + b.month - a.month + 1
    return (b - a).days // (7 if window == "week" else 1) + 1


def _latest_start(days: Sequence[dt.date], window: str, hi: dt.date | None) -> dt.date | None:
    """The first day of the latest MAX_WINDOWS windows up to ``hi`` (else the last of ``days``), when ``days``
    span more than MAX_WINDOWS windows; None when they fit."""
    if not days:
        return None
    first, last = min(days), hi or max(days)  # the report runs to until when it is given
    if window_count(first, last, window) <= MAX_WINDOWS:
        return None
    start = window_start(last, window)
    if window == "month":
        months = start.year * 12 + start.month - 1 - (MAX_WINDOWS - 1)
        return dt.date(months // 12, months % 12 + 1, 1)
    return start - dt.timedelta(days=(MAX_WINDOWS - 1) * (7 if window == "week" else 1))


def describe_window(start: dt.date, window: str, lang: str = "en") -> str:
    """'the week of 2 March 2026' ('la settimana del 2 marzo 2026'), 'March 2026', '2 March 2026'.

    Month names come from ``wording``, never from strftime's %B (the machine's locale).
    """
    if window == "month":
        return month_text(start, lang)
    text = day_text(start, lang)
    if window != "week":
        return text
    return f"la settimana {article_it(text, 'di')}" if lang == "it" else f"the week of {text}"


def _since(start: dt.date, window: str, lang: str = "en") -> str:
    """'since the week of 2 March 2026'; in Italian the preposition joins the article: 'dalla settimana del 2 marzo
    2026', 'dal 30 marzo 2026', "dall'8 marzo 2026", 'da marzo 2026'."""
    if lang != "it":
        return f"since {describe_window(start, window)}"
    if window == "month":
        return f"da {month_text(start, lang)}"
    if window == "week":
        return f"dalla settimana {article_it(day_text(start, lang), 'di')}"
    return article_it(day_text(start, lang), "da")


def _describe_span(first: dt.date, last: dt.date, window: str, lang: str = "en") -> str:
    """'June to August 2026', 'the weeks of 2 March to 13 April 2026', '2 to 5 March 2026': windows first to last
    ('da giugno ad agosto 2026', 'le settimane dal 2 marzo al 13 aprile 2026', 'dal 2 al 5 marzo 2026')."""
    if first == last:
        return describe_window(first, window, lang)
    if window == "month":
        return month_span(first, last, lang)
    text = day_span(first, last, lang)
    if window != "week":
        return text
    return f"le settimane {text}" if lang == "it" else f"the weeks of {text}"


#: The windows in Italian: (one, many, feminine); sentences about them agree in gender.
_WINDOW_IT = {"day": ("giorno", "giorni", False), "week": ("settimana", "settimane", True),
              "month": ("mese", "mesi", False)}


def window_words(n: int | None, window: str, lang: str = "en") -> str:
    """'3 weeks' / '3 settimane'; without ``n`` the bare noun ('week' / 'settimana')."""
    if lang != "it":
        return window if n is None else counted(n, window)
    one, many, _ = _WINDOW_IT.get(window, ("periodo", "periodi", False))
    return one if n is None else how_many(n, one, many, lang)


def feminine(window: str) -> bool:
    """Whether the window's Italian noun is feminine (settimana): sentences about windows agree with it."""
    return _WINDOW_IT.get(window, ("", "", False))[2]


#: --by's fields in Italian: the name, and "of the ..." (the preposition joined to the article).
_BY_IT = {"source": ("fonte", "della fonte"), "channel": ("canale", "del canale"), "author": ("autore", "dell'autore")}

#: The group of posts that lack the --by field: its key in the JSON, whatever the language.
NO_GROUP = "(none)"

#: A sentence names a group by at most this many characters, as the chart's legend does: a name of 200
#: characters repeated in every alert buries the sentence. The tables show it whole.
GROUP_CHARS = 30


def group_words(group: str, by: str | None, lang: str = "en") -> str:
    """A group as a sentence names it: "'agency'", a long name cut (``GROUP_CHARS``); the posts without the field:
    '(none)', in Italian '(non indicata)' for a source, '(non indicato)' for a channel or an author."""
    if group != NO_GROUP:
        return f"'{clip(group, GROUP_CHARS)}'"
    if lang == "it":
        return "(non indicata)" if by == "source" else "(non indicato)"
    return NO_GROUP


def by_words(by: str, lang: str = "en", *, of: bool = False) -> str:
    """How a sentence names the --by field: 'source'; in Italian 'fonte', or with ``of`` 'della fonte'."""
    if lang != "it":
        return by
    name, of_it = _BY_IT.get(by, (by, f"di {by}"))
    return of_it if of else name


def _group_of(r: Mapping[str, Any], by: str) -> str:
    """The post's group for ``--by`` (posts without the field form the group '(none)')."""
    return str(r.get(by)) if r.get(by) is not None else NO_GROUP


def period_words(since: str | None, until: str | None, lang: str = "en") -> str:
    """The period asked for, its days in words: '4 March to 1 April 2026', 'from 4 March 2026 on', 'up to 31 March
    2027'; in Italian 'dal 4 marzo al 1º aprile 2026', 'dal 4 marzo 2026 in poi', "dall'inizio al 31 marzo 2027"."""
    lo = dt.date.fromisoformat(since) if since else None
    hi = dt.date.fromisoformat(until) if until else None
    it = lang == "it"
    if lo and hi:
        if lo == hi:
            return article_it(day_text(lo, lang), "") if it else day_text(lo, lang)
        return day_span(lo, hi, lang)
    if lo:
        return f"{article_it(day_text(lo, lang), 'da')} in poi" if it else f"from {day_text(lo, lang)} on"
    if hi:
        return f"dall'inizio {article_it(day_text(hi, lang), 'a')}" if it else f"up to {day_text(hi, lang)}"
    return "dall'inizio alla fine" if it else "the whole period"


def learned_period_words(period: Any, lang: str = "en") -> str:
    """The months of the writing a profile learned from: 'of March 2025 to March 2026' ('da marzo 2025 a marzo
    2026'), 'of March 2026' ('di marzo 2026'); '' when the report does not know them. A review read the day the
    profile was learned as the age of the writing it knew."""
    try:
        first, last = (dt.date.fromisoformat(d) for d in period)
    except (TypeError, ValueError):
        return ""
    if (first.year, first.month) == (last.year, last.month):
        return f"di {month_text(first, lang)}" if lang == "it" else f"of {month_text(first, lang)}"
    return (f"da {month_text(first, lang)} a {month_text(last, lang)}" if lang == "it"
            else f"of {month_text(first, lang)} to {month_text(last, lang)}")
