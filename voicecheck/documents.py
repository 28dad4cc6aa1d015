"""The Document: one piece of writing plus the metadata drift reports group by."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import numbers
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Document", "as_documents", "parse_date", "day_as_written", "period_bound", "documents_between",
           "plain_spaces", "group_label", "same_text", "unicode_problem", "length_problem", "METADATA_FIELDS",
           "MAX_TEXT_CHARS"]

_SURROGATE = re.compile("[\ud800-\udfff]")


def unicode_problem(text: str) -> str | None:
    """What is wrong when ``text`` holds a lone surrogate (a broken ``\\ud83d`` escape in JSON), else None.

    Such a string is not text: the tokenizer and the history database both refuse it.
    """
    bad = _SURROGATE.search(text)
    if bad is None:
        return None
    return (f"holds a lone surrogate (U+{ord(bad.group()):04X}) at character {bad.start() + 1}: "
            "not valid Unicode (a broken \\u escape?)")


# Spaces other than the space (no-break, narrow, thin: what a CMS or a word processor pastes) and invisible
# characters inside words (zero-width space, word joiner, soft hyphen, a stray byte order mark). The zero-width
# joiner stays: it binds emoji sequences.
_OTHER_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile("[\u200b\u2060\u00ad\ufeff]")
# A typographic apostrophe after a letter (it’s, un’altra, po’: what "smart punctuation", Word and WordPress type)
# is the apostrophe: the same post with either scored up to 10 points apart. Quotation marks are left alone.
_TYPOGRAPHIC_APOSTROPHE = re.compile(r"(?<=[^\W\d_])[\u2019\u02bc]")


def plain_spaces(text: str) -> str:
    """``text`` with every kind of space written as a space, invisible characters removed, line endings
    written as "\n", accents composed (Unicode NFC) and a typographic apostrophe after a letter as "'".

    Why: "miele\u00a0di\u00a0acacia" pasted from a CMS is the brand's "miele di acacia"; read as it
    is, its character n-grams matched none of the brand's (a post scored 25 instead of 100). A draft
    saved on Windows ("\r\n") scored up to 9 points away from the same draft saved on a Mac. An "è"
    pasted on a Mac as e + U+0300 scored 44.5 where the same draft typed scored 65, and "it’s" 10
    points under "it's" (an integrator's review).
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():
        return text
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return _TYPOGRAPHIC_APOSTROPHE.sub("'", _INVISIBLE.sub("", _OTHER_SPACES.sub(" ", text)))


def same_text(text: str) -> str:
    """What counts as the same text: equal once spaces are collapsed and case is ignored."""
    return " ".join(text.split()).casefold()


def group_label(value: str) -> str | None:
    """A source, channel or author in one form: other spaces as spaces, invisible characters dropped, runs of
    spaces as one, the ends trimmed (None when nothing is left).

    Why: " agency ", "agency\u00a0" (pasted from a CMS) and "ag\u200bency" were three groups in a drift
    report; a history filter goes through the same step, so it finds what was stored.
    """
    return " ".join(plain_spaces(value).split()) or None


#: Longest text accepted, in characters. About 30,000 words: far past any post, newsletter or blog article,
#: short of a book pasted by mistake. Checked by Document itself, so every door refuses it.
MAX_TEXT_CHARS = 200_000


def length_problem(text: str) -> str | None:
    """What is wrong with a text over ``MAX_TEXT_CHARS``, or None (the readers add the file and line)."""
    if len(text) <= MAX_TEXT_CHARS:
        return None
    return (f"text is {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,} per document (split long writing "
            "into posts or articles)")


#: The last day a drift report can put in a window: every window (day, ISO week, month) holding a later
#: day ends past 9999-12-31, which ``datetime`` cannot hold. Reports refuse later dates, naming the post.
LATEST_DAY = dt.date(9999, 11, 30)

#: Fields with a meaning of their own; any other field is kept in ``Document.meta``.
METADATA_FIELDS = ("id", "date", "source", "channel", "author", "lang")


@dataclass(frozen=True)
class Document:
    """A text with its optional id, date and labels.

    ``origin`` says where it was read from (``path:line`` or a file name), so that
    every later message about it can point back to the input.
    """

    text: str
    id: str | None = None
    date: dt.datetime | None = None
    source: str | None = None
    channel: str | None = None
    author: str | None = None
    lang: str | None = None
    origin: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Check the text and bring any date (UTC), language and group label to one form, as the corpus readers
        give them.

        Why: the library is a door too; a date given as a string, a ``date`` or a naive
        ``datetime`` must give the same results as the same post read from a file.
        """
        from .errors import InputError

        if not isinstance(self.text, str):
            raise InputError(f"text must be a string, got {type(self.text).__name__}", path=self.origin,
                             field="text")
        object.__setattr__(self, "text", plain_spaces(self.text))
        too_long = length_problem(self.text)  # every door: the corpus readers say the file and line first
        if too_long:
            raise InputError(too_long, path=self.origin, field="text")
        from .corpus import check_label

        for key in ("id", "source", "channel", "author", "date", "lang"):
            if missing(getattr(self, key)):  # a data frame's empty cell: not given
                object.__setattr__(self, key, None)
        for key in ("id", "source", "channel", "author"):
            value = getattr(self, key)
            # id=5, as the readers take it: "5"; a data frame's numpy integer too (it was refused: a library review)
            if isinstance(value, numbers.Integral) and not isinstance(value, bool) and type(value).__name__ != "bool_":
                value = str(int(value))
                object.__setattr__(self, key, value)
            if value is not None and not isinstance(value, str):
                raise InputError(f"{key} must be a string, got {type(value).__name__}", path=self.origin, field=key)
            if isinstance(value, str):  # a NUL or a line break in a label, as the readers refuse it
                check_label(value, key, self.origin)
            if key != "id" and isinstance(value, str):
                object.__setattr__(self, key, group_label(value))
        if type(self.date).__name__ == "datetime64":  # a data frame's date column, as drift reports take it
            object.__setattr__(self, "date", self.date.astype("datetime64[us]").item())
        if self.date is not None:
            try:
                object.__setattr__(self, "date", parse_date(self.date))
            except ValueError as e:
                raise InputError(str(e), path=self.origin, field="date") from None
        if self.lang is not None:  # one form, so that "it-IT", "IT" and "it" are the same language
            from .language import language_label

            try:
                object.__setattr__(self, "lang", language_label(self.lang))
            except ValueError as e:
                raise InputError(str(e), path=self.origin, field="lang") from None

    @property
    def label(self) -> str:
        """The name results use: the given id, else where it came from."""
        return self.id or self.origin or "-"

    def metadata(self) -> dict[str, Any]:
        """The labelled metadata as plain JSON values (for storage and results)."""
        return {
            "id": self.label,
            "date": self.date.isoformat() if self.date else None,
            "source": self.source,
            "channel": self.channel,
            "author": self.author,
        }


def missing(value: Any) -> bool:
    """A data frame's empty cell: None, NaN, pandas' NA and NaT, numpy's NaT. Why: a post exported with pandas
    has NaN for a missing author and NaT for a missing date; each door takes them as "not given", as a file
    reader takes an empty field (a library review found a NaN label refused and a NaT date crashing a report)."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return True
    try:
        return bool(value != value)  # NaN and numpy's NaT are the values unequal to themselves
    except (TypeError, ValueError):
        return False


def refuse_data_frame(items: Any, what: str, hint: str) -> None:
    """An ``InputError`` for a pandas DataFrame given where a list goes: iterated, it gives its column names, which
    were scored as two drafts ("id", "text") or learned as "6 documents (6 words)" (a library review)."""
    from .errors import InputError

    if type(items).__name__ == "DataFrame" and hasattr(items, "columns"):
        raise InputError(f"{what} must be a list, got a pandas DataFrame (iterated, it gives its column names); "
                         f"{hint}", field="text")


def as_documents(items: Sequence[Document | str]) -> list[Document]:
    """Documents as given, and plain strings as documents named ``#1``, ``#2``... by position.

    Anything else (``None``, a number) is refused rather than scored as its printed form,
    and so is one bare string: iterated, it would be one "document" per character.
    """
    from .errors import InputError

    if isinstance(items, (str, bytes)):
        raise InputError("expected a list of texts or Documents, got a single string; wrap it in a list "
                         "(or use score_text for one draft)", field="text")
    if not isinstance(items, Iterable):  # None: a bare TypeError escaped the exception tree (a library review)
        raise InputError(f"expected a list of texts or Documents, got {type(items).__name__}", field="text")
    refuse_data_frame(items, "the texts", "pass df['text'].tolist(), or [Document(**row) for row in "
                                           "df.to_dict('records')] to keep ids, dates and labels")
    if isinstance(items, Mapping):  # iterated, {id: text} gives its ids: each scored as a draft (a library review)
        raise InputError(f"expected a list of texts or Documents, got a {type(items).__name__}; for {{id: text}}, "
                         "pass [Document(text=t, id=i) for i, t in items.items()]", field="text")
    docs = []
    for i, item in enumerate(items):
        if isinstance(item, Document):
            # one without an id or an origin is named by its place, as a string is: every such result was '-'
            docs.append(item if item.id or item.origin else dataclasses.replace(item, id=f"#{i + 1}"))
        elif isinstance(item, str):
            docs.append(Document(text=item, id=f"#{i + 1}"))
        else:
            raise InputError(f"item #{i + 1} is a {type(item).__name__}, not a text or a Document", field="text")
    return docs


_NUMERIC_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T](\d{1,2})[:.](\d{2}))?")


_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?")


def _calendar_hint(text: str) -> str:
    """For 2026-02-30: written as ISO 8601, but no such day; say why rather than blame the format."""
    m = _ISO_DAY.fullmatch(text)
    if m is None:
        return ""
    year, month, day = (int(g) for g in m.groups())
    if not 1 <= month <= 12:
        return f": there is no month {month}"
    if year < 1:
        return ": there is no year 0"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        from .wording import month_text  # English month names, whatever the machine's locale

        return f": {month_text(dt.date(year, month, 1), 'en')} has {days} days"
    return ""


def _day_first_hint(text: str) -> str:
    """For 03/11/2026 (as Excel writes dates in Italy and most of Europe): the ISO date to write.

    Why: the date is not guessed (03/11 is 3 November in Rome and 11 March in New York),
    but the user is shown what to write, both ways when both are dates.
    """
    m = _NUMERIC_DATE.fullmatch(text)
    if m is None:
        return ""
    a, b, year = int(m.group(1)), int(m.group(3)), m.group(4)
    time = f"T{int(m.group(5)):02d}:{m.group(6)}" if m.group(5) else ""
    ways: dict[str, list[str]] = {}
    for day, month, what in ((a, b, "the day comes first"), (b, a, "the month comes first")):
        if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(int(year), month)[1]:  # 31/02: no such day
            ways.setdefault(f"{year}-{month:02d}-{day:02d}{time}", []).append(what)
    if not ways:
        return ""
    if len(ways) == 1:
        return f"; write {next(iter(ways))}"
    return "; write " + " or ".join(f"{iso} if {whats[0]}" for iso, whats in ways.items())


_YEAR_FIRST = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})")
_MONTHS = {name: k for k, names in enumerate((
    "january gennaio gen jan", "february febbraio feb", "march marzo mar", "april aprile apr", "may maggio mag",
    "june giugno giu jun", "july luglio lug jul", "august agosto ago aug", "september settembre set sep sept",
    "october ottobre ott oct", "november novembre nov", "december dicembre dic dec"), start=1)
    for name in names.split()}
_IN_WORDS = re.compile(r"(?:(\d{1,2})(?:º|°|st|nd|rd|th)?\s+([^\W\d_]+)\.?,?\s+(\d{4})"
                       r"|([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}))", re.IGNORECASE)


def _written_date_hint(text: str) -> str:
    """For 2026/03/07 or 7 marzo 2026 (March 7, 2026): the ISO date to write. Unambiguous, so it is said
    plainly; still not guessed, as a file's other dates may be written another way."""
    m = _YEAR_FIRST.fullmatch(text)
    if m:
        year, month, day = (int(g) for g in m.groups())
    else:
        m = _IN_WORDS.fullmatch(text)
        if m is None:
            return ""
        day_s, month_s, year_s = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(5), m.group(4),
                                                                                         m.group(6))
        month = _MONTHS.get(month_s.lower())
        if month is None:
            return ""
        year, day = int(year_s), int(day_s)
    if year < 1 or not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return ""
    return f"; write {year:04d}-{month:02d}-{day:02d}"


def _timestamp_hint(value: Any) -> str:
    """For 1735913100 (a Unix timestamp, as APIs and some exports write dates): the ISO date to write.

    Why: a number alone may be a timestamp in seconds or milliseconds, or something else; it is not
    guessed, but a plausible one (2001 to 2100) is shown as the date it would be.
    """
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if not text.isdigit() or len(text) not in (10, 13):
        return ""
    seconds = int(text) / (1000 if len(text) == 13 else 1)
    if not 978307200 <= seconds < 4102444800:
        return ""
    when = dt.datetime.fromtimestamp(seconds, dt.timezone.utc).replace(microsecond=0)
    unit = "milliseconds" if len(text) == 13 else "seconds"
    return f"; if it is a Unix timestamp (in {unit}), write {when.strftime('%Y-%m-%dT%H:%M:%SZ')}"


_WEEK = re.compile(r"\d{4}-?W\d{2}")


def _refuse_week(value: Any, text: str) -> None:
    """A week ("2026-W05") is no day: Python reads it as its Monday, and a post dated so had been put on the
    Monday without a word while "2026-05" was refused (an integrator's review). As since/until a week is a
    period, which ``period_bound`` turns into its first or last day before this is reached."""
    if _WEEK.fullmatch(text):
        try:
            monday = dt.date.fromisoformat(text)
        except ValueError:  # "2025-W53", "2026-W00": no such week, whatever it is given as
            raise ValueError(f"date {value!r} names no week: ISO weeks run from W01 to W52, or W53 in some years") \
                from None
        raise ValueError(f"date {value!r} is a week, not a day: write the day (YYYY-MM-DD); its Monday is "
                         f"{monday.isoformat()}")


def parse_date(value: Any) -> dt.datetime:
    """Parse an ISO 8601 date or datetime; naive values are taken as UTC.

    Raises ``ValueError`` with the offending value when it is not ISO 8601.
    """
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        _refuse_week(value, text)
        try:
            parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
        except ValueError:
            raise ValueError(f"date {value!r} is not an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)"
                             f"{_day_first_hint(text) or _calendar_hint(text) or _written_date_hint(text)}"
                             f"{_timestamp_hint(text)}") from None
    else:
        raise ValueError(f"date {value!r} is not an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)"
                         f"{_timestamp_hint(value)}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
    try:
        return parsed.astimezone(dt.timezone.utc)
    except OverflowError:  # 0001-01-01T00:00+01:00 has no UTC time
        raise ValueError(f"date {value!r} is out of range once converted to UTC") from None


def day_as_written(value: Any) -> dt.date:
    """The day of a ``since``/``until`` bound as written (its own time zone, not converted to UTC).

    Why: "since 2026-01-03T00:30+01:00" means the 3rd to whoever wrote it; ``learn``,
    ``report`` and the service read bounds alike. Raises ``ValueError`` as ``parse_date`` does.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        text = value.strip()
        _refuse_week(value, text)
        try:
            return dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text).date()
        except ValueError:
            raise ValueError(f"date {value!r} is not an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)"
                             f"{_day_first_hint(text) or _calendar_hint(text) or _written_date_hint(text)}") from None
    raise ValueError(f"date {value!r} is not an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)")


def period_bound(value: Any, *, end: bool) -> Any:
    """A month (``2026-05``) or ISO week (``2026-W18``) given as a since/until bound: its first day, or for an
    until (``end``) its last, as ``YYYY-MM-DD``. Anything else is returned as it is, for the date parser.

    Why: a brand manager asks for "since May" or "until week 18". ``2026-05`` was refused while ``2026-W18``
    was read as its Monday, so an until of a week left out six of its seven days.
    """
    if type(value).__name__ == "datetime64" and not missing(value):  # a data frame's date, as a post's date is
        return value.astype("datetime64[us]").item()
    if not isinstance(value, str):
        return value
    text = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}", text):
            year, month = int(text[:4]), int(text[5:])
            first = dt.date(year, month, 1)
            if not end:
                return first.isoformat()
            following = dt.date(year, month + 1, 1) if month < 12 else dt.date(year + 1, 1, 1)
            return (following - dt.timedelta(days=1)).isoformat()
        if _WEEK.fullmatch(text):  # 2026-W18, or 2026W18 as ISO 8601's basic format writes it
            monday = dt.date.fromisoformat(text)
            return (monday + dt.timedelta(days=6 if end else 0)).isoformat()
    except (ValueError, OverflowError):  # 2026-13, 2026-W60, 9999-12 as an until: the parser's error says why
        if end and text == "9999-12":
            return "9999-12-31"
    return value


def documents_between(docs: Sequence[Document], since: Any = None, until: Any = None) -> list[Document]:
    """The documents dated from ``since`` to ``until``, both days included, as reports read them.

    A bound is the day as written in it; a post's day is its UTC day.

    Why: a profile that no longer matches the brand's writing is learned again from its
    recent posts (the drift report says when). Every document must be dated, or the
    choice would silently drop or keep the undated ones.
    """
    from .errors import InputError

    docs = as_documents(docs)  # None, or plain strings (no date to choose by): an InputError, not a TypeError
    if since is None and until is None:
        return docs
    bounds = {}
    since, until = (None if missing(v) else v for v in (since, until))
    if since is None and until is None:
        return docs
    for name, value in (("since", since), ("until", until)):
        if value is not None:
            try:
                bounds[name] = day_as_written(period_bound(value, end=name == "until"))
            except ValueError as e:
                raise InputError(str(e), field=name) from None
    lo, hi = bounds.get("since"), bounds.get("until")
    if lo and hi and hi < lo:
        raise InputError(f"until ({hi}) is before since ({lo})", field="until")
    undated = [d for d in docs if d.date is None]
    if undated:
        raise InputError(f"choosing by date needs dated documents, but {len(undated)} of the {len(docs)} have no "
                         f"date (the first: {undated[0].label})", field="date")
    kept = [d for d in docs if (lo is None or d.date.date() >= lo) and (hi is None or d.date.date() <= hi)]
    if not kept and docs:
        first, last = min(d.date for d in docs).date(), max(d.date for d in docs).date()
        raise InputError(f"no documents dated from {lo or 'the start'} to {hi or 'the end'}: the {len(docs)} "
                         f"documents run from {first} to {last}", field="since" if lo else "until")
    return kept
