"""Drift over time: has new writing moved away from the brand's frozen voice?

``drift_report`` groups scored, dated posts into calendar windows (day, week or
month), tests each window against the brand's own writing, names the style
features that moved, and raises alerts that say when the drift started. The
result is the DriftReport (docs/reference.md), plain JSON.

Why this test. Scores are calibrated on the brand's own out-of-fold posts, so
the brand's own writing scores ~Uniform(0, 100): mean 50, 5% off-voice. Testing
a window against that distribution *is* testing it against the profile's own
writing, and the reference never moves (the profile is frozen and versioned).
But a brand's own later posts drift a little too (new topics, new campaigns, new
staff): up to ~9% of them score off-voice. A test against the exact uniform (say
a binomial test of the off-voice rate at 5%) would cry wolf on clean windows.

So each window is tested against a *tolerant* null: the brand's later posts may
be a little less typical than its own, P(score < s) = (s/100)^a. The profile
measures a when it learns (``null_exponent``: its latest posts scored by a model
of its earlier ones); a profile that could not measure it (undated writing, too few recent posts)
gets a = 0.8 (9% off-voice, mean score 44). Three one-sided tests share the null
(``typicality_test``): one on the mean *surprise* -ln(score/100), exact (Gamma),
which reacts to a minority of plainly foreign posts piling up near 0; one on the
mean score, which reacts to writing that is everywhere a little less typical; one
on the count of off-voice posts (binomial), which reacts to a share off-voice far
past the tolerance even when the other posts score high (a month of 20 posts, 30%
off-voice and a mean score of 58, had been "no clear drift": a brand manager's
review). The window's p-value is the smallest p, calibrated on windows of its own
size drawn from the null itself (the tests mostly agree, so this costs far less
than Bonferroni's tripling; seeded, so a window always gets the same p).
A window drifts when p < 0.04 (``ALPHA``: with the pooled look below, at most
5% of windows drift when the writing sits exactly at the tolerance) *and* the
effect is large enough to matter (mean surprise >= 1.5, mean score <= 40 or at
least 14% of posts off-voice, about the same change): with many
posts a small, harmless shift would otherwise be "significant". Fewer than
``MIN_POSTS`` scored posts: no test, the window says "too few posts" (too-short
drafts are not counted).

Alert policy: a drifting window raises an alert, and so do two consecutive
windows that pooled give p < 0.01 (a change that touches a third of the posts
may show over two windows before either alone is clear; the pooled test also
has its effect floor). The alert names the first window of the change as the
start, and windows inside an alert are marked as drifting (with ``evidence``
when they needed their neighbour to show it). Windows too small to test
neither break nor extend a run; consecutive ones are pooled until they hold
``MIN_POSTS`` scored posts and tested together, as one window (a weekly report
of an agency posting 3 times a week had never been tested). One alert per run:
a clean tested window ends it.

While an alert is open a drifting window only extends it, so a drift that grows
(an agency mixed into writing already a little off) would go unseen. So a
window is also compared with the report's own earlier windows (``_grew``): a
drifting window against the open alert's windows, or, with none open, a window
leaning away against all the earlier ones. Clearly worse (p < 0.01 and a rise
of the mean surprise of at least 0.5) raises a ``"worse"`` alert that says
what it was compared with; it lasts while the change holds.

Each alert names its least typical posts with their main reason (what to read first). The
tested windows outside every alert are pooled and tested too: clean, when a drift starts
somewhere; not clean, when the writing sits away from the profile throughout and alerts
come and go, which points at a profile that no longer matches the brand's own writing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import numbers
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .documents import LATEST_DAY, day_as_written, missing, period_bound, refuse_data_frame
from .errors import InputError, VoicecheckWarning
from .wording import (article_it, clip, count, day_span, day_text, explain_language, feature_words, fixed,
                      how_many, month_span, month_text)

if TYPE_CHECKING:
    from .profile import VoiceProfile
    from .results import ScoreResult

__all__ = ["drift_report", "window_start", "window_end", "WINDOWS", "BY", "MIN_POSTS", "LOW_POWER_BELOW",
           "ALPHA", "STRONG_P", "NULL_EXPONENT", "MIN_SURPRISE", "MAX_MEAN_SCORE", "typicality_test",
           "summarize_scores", "pool", "p_text", "counted", "window_test", "null_exponent", "moved_features",
           "find_alerts", "note_other_versions", "stored_drift_report", "report_period", "by_words", "window_words",
           "advises_relearning",
           "period_words", "describe_window", "group_words", "NO_GROUP", "MAX_WINDOWS", "window_count", "check_span",
           "GROUP_CHARS", "feminine", "length_words", "learned_period_words"]

WINDOWS = ("day", "week", "month")
#: A report holds at most this many windows (2.7 years of days, 19 of weeks): one post dated 0001-01-01
#: among this year's would otherwise fill a report with 24,000 empty months (tens of MB).
MAX_WINDOWS = 1000
BY = ("source", "channel", "author")
#: Fewer scored posts than this in a window (or group): no test, "too few posts". The test is exact at any
#: size (4% of null windows drift at 5 posts as at 30), so the floor is set by what a reader would call a
#: window, not by the test: a shop posting twice a week gets its months tested, which at 10 it never did.
MIN_POSTS = 5
#: Fewer than this: tested, but marked low-power (a real drift may go unseen).
LOW_POWER_BELOW = 30
#: A window drifts (and raises an alert) below ALPHA; two consecutive windows pooled raise one below STRONG_P.
ALPHA = 0.04
STRONG_P = 0.01
#: The tolerant null when the profile did not measure its own: the brand's later posts may be this much less
#: typical, P(score < s) = (s/100)^0.8, which puts 9% of them off-voice (instead of 5%), mean score 44 (not 50).
NULL_EXPONENT = 0.8
#: Effect-size floor, either of: mean surprise -ln(score/100) (1.0 for the brand's own writing, 1.25 under the
#: null) of 1.5, or a mean score of 40: writing as typical as text with 14% off-voice posts.
MIN_SURPRISE = 1.5
MAX_MEAN_SCORE = 40.0
MIN_OFF_VOICE = 0.14  # or a share of off-voice posts at least this (what a mean surprise of 1.5 goes with)
#: Scores are floored here for the test: one post never weighs more than ~5 typical ones.
SCORE_FLOOR = 0.5
#: The combined p-value is calibrated on windows drawn from the null: of these sizes (a window uses the
#: largest size not above its own; the shape changes slowly with size and hardly at all past 250 posts),
#: NULL_DRAWS of them (fewer for large sizes: at most NULL_SIMULATED_VALUES scores in all).
NULL_SIZES = (10, 15, 22, 33, 50, 60, 75, 110, 170, 250)
#: Up to this many posts a window is calibrated on null windows of its own size (the count's p is discrete).
NULL_EXACT_UP_TO = 60
NULL_DRAWS = 50_000
NULL_SIMULATED_VALUES = 1_000_000
#: The brand's own writing, by construction of the calibrated score.
OFF_VOICE_BELOW = 5.0
REFERENCE = {"mean_score": 50.0, "off_voice_rate": 0.05, "score_band": [25.0, 75.0],
             "off_voice_below": OFF_VOICE_BELOW}
#: Per-feature comparison: Benjamini-Hochberg level, effect floor on the mean percentile, how many to show.
FEATURE_FDR = 0.10
FEATURE_MIN_SHIFT = 0.10
#: ... and a measure (not a rate) must also move by this share of the brand's value to be named.
FEATURE_MIN_RELATIVE = 0.05
MAX_FEATURES = 5
#: Small windows tested together (``_small_pooled``) span at most this many windows, empty ones included.
POOL_SPAN = 4
#: Each alert names this many of its posts that score lowest, with their main reason: what to read first.
MAX_EXAMPLES = 3
#: One example per main reason first, but only among off-voice posts scoring within this of the lowest: variety
#: must not bring in posts that score 2-3 while dozens of others score 0 (those drive the alert).
EXAMPLE_VARIETY_WITHIN = 1.0
MIN_EARLIER_WINDOWS = 2  # a "worse" alert needs at least this many earlier tested windows to compare with
GREW_MIN_SURPRISE = 0.5  # and a rise of the mean surprise at least this large (the drift floor's 1.5 is 0.5 over 1)


# ---------------------------------------------------------------------- windows
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


def check_span(posts: Sequence[tuple[dt.date, str]], window: str, since: Any = None, until: Any = None) -> None:
    """Refuse a report of more than MAX_WINDOWS windows, naming its earliest and latest posts: a wrong date
    (a CMS's 0001-01-01) is the usual cause. ``posts``: (day, what to call the post) pairs.

    Why apart from drift_report: the command line checks before it scores, not after the wait.
    """
    lo, hi = report_period(since, until)
    kept = [(day, name) for day, name in posts if (lo is None or day >= lo) and (hi is None or day <= hi)]
    if not kept:
        return
    earliest, latest = min(kept, key=lambda x: x[0]), max(kept, key=lambda x: x[0])
    first, last = lo or earliest[0], hi or latest[0]
    n = window_count(first, last, window)
    if n > MAX_WINDOWS:
        raise InputError(f"the report would hold {n:,} {window}s, from {first.isoformat()} to {last.isoformat()}; it "
                         f"holds at most {MAX_WINDOWS:,}: choose a period (since, until)"
                         # there is no window longer than a month to suggest (an insurer's review)
                         f"{' or a longer window' if window != 'month' else ', as a month is the longest window'}. The "
                         f"dated posts run from {earliest[1]} ({earliest[0].isoformat()}) to {latest[1]} "
                         f"({latest[0].isoformat()})", field="window")


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


def _note_left_before(report: dict[str, Any], before: Sequence[tuple[dt.date, Mapping[str, Any]]]) -> None:
    """Say in ``report``'s summary how many posts dated before its ``since`` it left out, and the earliest
    (``before``: those posts with their days, earliest first).

    Why: a period chosen by ``keep_latest``, not by the reader, must say what it left out, and how to see it
    (a ``since`` of the reader's own).
    """
    if not before:
        return
    lo = dt.date.fromisoformat(report["since"])
    n, (earliest, first) = len(before), before[0]
    name = _named(first)
    if report.get("explained_in", "en") == "it":
        windows = window_words(MAX_WINDOWS, report["window"], "it")
        said = (f"{how_many(n, 'post', 'post', 'it')} con data anteriore {article_it(day_text(lo, 'it'), 'a')} "
                f"{'resta fuori, datato' if n == 1 else 'restano fuori, il più vecchio datato'} {earliest.isoformat()}"
                f"{name}: un report copre al massimo {windows} (una data come 0001-01-01 è di solito un segnaposto); "
                f"per {'includerlo' if n == 1 else 'includerli'}, chiedere un periodo (since).")
    else:
        left = "is left out, dated" if n == 1 else "are left out, the earliest dated"
        said = (f"{counted(n, 'post')} dated before {day_text(lo, 'en')} {left} {earliest.isoformat()}{name}: a "
                f"report holds at most {MAX_WINDOWS:,} {report['window']}s (a date such as 0001-01-01 is usually a "
                f"placeholder); ask for a period (since) to include {'it' if n == 1 else 'them'}.")
    _add_sentence(report, said)
    report["left_before"] = {"n_posts": n, "earliest": earliest.isoformat()}


def _named(post: Mapping[str, Any]) -> str:
    """' (cms)': a left-out post's id, for the reader to find it; nothing for a post without one."""
    return f" ({post['id']})" if post.get("id") not in (None, "") else ""


def _add_sentence(report: dict[str, Any], said: str) -> None:
    """Append ``said`` to the report's summary, after a full stop."""
    summary = report["summary"].rstrip()
    report["summary"] = f"{summary}{'' if summary.endswith('.') else '.'} {said}"


#: With ``keep_latest`` and no ``until``, posts dated further ahead than this are left out (``left_after``): a
#: year mistyped (2062 for 2026) had made the latest 1,000 windows end in 2062, and the service's default report
#: held that one post and nothing else, its alert gone (an operations review). A post scheduled within a year stays.
AHEAD_AT_MOST_DAYS = 366


def _note_left_after(report: dict[str, Any], after: Sequence[tuple[dt.date, Mapping[str, Any]]],
                     horizon: dt.date) -> None:
    """Say in ``report``'s summary how many posts dated after ``horizon`` it left out, and the latest."""
    if not after:
        return
    n, (latest, last) = len(after), after[-1]
    name = _named(last)
    if report.get("explained_in", "en") == "it":
        left = "resta fuori, datato" if n == 1 else "restano fuori, il più recente datato"
        said = (f"{how_many(n, 'post', 'post', 'it')} con una data a più di un anno da oggi (dopo "
                f"{article_it(day_text(horizon, 'it'))}) {left} {latest.isoformat()}{name}: di solito un anno "
                f"sbagliato; per {'includerlo' if n == 1 else 'includerli'}, chiedere un periodo (until).")
    else:
        left = "is left out, dated" if n == 1 else "are left out, the latest dated"
        said = (f"{counted(n, 'post')} dated more than a year ahead (after {day_text(horizon, 'en')}) {left} "
                f"{latest.isoformat()}{name}: usually a mistyped year; ask for a period (until) to include "
                f"{'it' if n == 1 else 'them'}.")
    _add_sentence(report, said)
    report["left_after"] = {"n_posts": n, "latest": latest.isoformat()}


def _as_day(value: Any, what: str) -> dt.date | None:
    """A date from an ISO string, date or datetime: the day as written.

    Posts reach a report with the dates documents.parse_date gave them, converted to UTC
    when read, so windows are UTC days: a post at 00:30 in Rome on the 1st falls in the
    last UTC day of the month before.
    """
    if missing(value) or value == "":  # a data frame's NaT: undated, as an empty field is
        return None
    try:
        day = day_as_written(value if isinstance(value, (dt.date, str)) else str(value))
    except ValueError as e:  # its message says what is wrong ("February 2026 has 28 days"), after the value
        if " is not an ISO 8601 date" not in str(e):  # "date '2026-W05' is a week, not a day: ..."
            raise InputError(f"{what}: {e}") from None
        why = str(e).split(" is not an ISO 8601 date", 1)[-1]
        raise InputError(f"{what}: {value!r} is not an ISO 8601 date{why}") from None
    if day > LATEST_DAY:
        raise InputError(f"{what}: {day.isoformat()} is after {LATEST_DAY.isoformat()}, the last day a report can "
                         "hold", field="date")
    return day


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


def counted(n: int, noun: str) -> str:
    """'1 post', '3 posts', '1 dated post': reports say how many of a thing without '1 posts'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


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


# ---------------------------------------------------------------------- the posts
def _rows(results: Iterable[Any]) -> list[dict[str, Any]]:
    """Plain dicts from ScoreResult objects or their JSON form, each checked: a post is named in the error.

    Why check: a library caller may hand over rows from a data frame, where a missing score is NaN; taken as
    it is, one NaN made every mean NaN, hid a real alert and wrote invalid JSON.
    """
    from .results import VERDICTS

    refuse_data_frame(results, "results", "pass df.to_dict('records')")
    if not isinstance(results, Iterable) or isinstance(results, (str, bytes, Mapping)):
        raise InputError(f"results must be a list of ScoreResults or their dicts, got {type(results).__name__}",
                         field="results")
    rows = []
    for k, r in enumerate(results, start=1):
        if isinstance(r, Mapping):
            d = r
        elif callable(getattr(r, "to_dict", None)):
            d = r.to_dict(with_style=True)
        else:
            raise InputError(f"post {k}: a ScoreResult or its JSON form (a dict) is needed, got "
                             f"{type(r).__name__}")
        name = f"post {d.get('id')}" if d.get("id") not in (None, "") else f"post {k}"
        verdict = d.get("verdict")
        if verdict not in VERDICTS:
            raise InputError(f"{name}: verdict must be one of {', '.join(VERDICTS)} (got {verdict!r})",
                             field="verdict")
        score = d.get("score")
        # any real number: a data frame's float32 column is one (it was refused as "not a number from 0 to 100")
        if verdict != "too-short" and not (isinstance(score, numbers.Real) and not isinstance(score, bool)
                                           and math.isfinite(score) and 0.0 <= score <= 100.0):
            raise InputError(f"{name}: score must be a number from 0 to 100 (got {score!r})", field="score")
        d = _plain_labels(d, name)
        learned = d.get("learned_from")
        if learned is not None and not isinstance(learned, (bool, np.bool_)):
            # "False" read back from a CSV is truthy: every post was taken as learned, and a report with two
            # alerts said there was nothing to test (an integrator's review)
            raise InputError(f"{name}: learned_from must be true or false (got {learned!r})", field="learned_from")
        rows.append(d)
    if rows and all(not isinstance(d.get("style"), Mapping) for d in rows):
        warnings.warn("no post carries its style figures (ScoreResult.to_dict(with_style=True), or the ScoreResults "
                      "themselves): the report cannot say which habits moved",
                      VoicecheckWarning, stacklevel=3)
    return rows


def _plain_labels(d: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """``d`` with its labels (source, channel, author) as text or None, as a Document has them.

    Why: rows from a data frame carry NaN for a missing source and numbers for numeric ones; the report crashed
    on sorting them with a TypeError a caller's ``except VoicecheckError`` did not catch, and a NaN author became a
    group named 'nan' (a library review).
    """
    changed = {}
    for field in ("source", "channel", "author"):
        value = d.get(field)
        if value is None or isinstance(value, str):
            continue
        if type(value).__name__ in ("NAType", "NaTType"):  # pandas' missing values
            changed[field] = None
            continue
        if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
            if not math.isfinite(value):  # a data frame's missing value
                changed[field] = None
            else:
                changed[field] = str(int(value)) if float(value).is_integer() else str(value)
            continue
        raise InputError(f"{name}: {field} must be text (got {type(value).__name__})", field=field)
    return {**d, **changed} if changed else d


def _scored(rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The posts a test may use: too-short drafts carry no evidence about voice, and the posts the
    profile learned from score higher than new writing would (the models have seen them)."""
    return [r for r in rows if r.get("verdict") != "too-short" and r.get("score") is not None
            and not r.get("learned_from")]


def _learned(rows: Sequence[Mapping[str, Any]]) -> int:
    """How many of ``rows`` are posts the profile learned from (ScoreResult ``learned_from``)."""
    return sum(1 for r in rows if r.get("learned_from"))


# ---------------------------------------------------------------------- statistics
def summarize_scores(scores: Sequence[float]) -> dict[str, float]:
    """What the tests need of a window's scores (so that windows can also be pooled)."""
    s = np.asarray([float(x) for x in scores], dtype=float)
    surprise = -np.log(np.clip(s, SCORE_FLOOR, 100.0) / 100.0)
    return {"n": len(s), "surprise": float(surprise.mean()), "mean": float(s.mean()),
            "sd": float(s.std(ddof=1)) if len(s) > 1 else 0.0,
            "surprise_sd": float(surprise.std(ddof=1)) if len(s) > 1 else 0.0,
            "off_voice": float((s < OFF_VOICE_BELOW).mean()) if len(s) else 0.0}


def _null_expectations(exponent: float) -> dict[str, float]:
    """What a post of the tolerant null, P(score < s) = (s/100)^exponent, gives on average: the three tests'
    statistics (``summarize_scores``'s names), which the tests, the leaning of a window and the report's method
    all take from here."""
    return {"surprise": 1.0 / exponent, "mean": 100.0 * exponent / (1.0 + exponent),
            "off_voice": (OFF_VOICE_BELOW / 100.0) ** exponent}


def _p_values(n: int, surprise, mean, sd, off_voice, exponent: float):
    """The three one-sided p-values (vectorised over windows of ``n`` posts)."""
    from scipy.stats import binom, gamma
    from scipy.stats import t as student

    null = _null_expectations(exponent)
    p_surprise = gamma.sf(np.asarray(surprise) * n, a=n, scale=null["surprise"])
    spread = np.maximum(sd, 100.0 / math.sqrt(12.0))
    p_mean = student.cdf((np.asarray(mean) - null["mean"]) / (spread / math.sqrt(n)), df=max(n - 1, 1))
    low = np.rint(np.asarray(off_voice) * n)
    p_count = binom.sf(low - 1, n, null["off_voice"])  # P(at least this many off-voice)
    return p_surprise, p_mean, p_count


@functools.lru_cache(maxsize=192)  # about 65 sizes and 13 MB per tolerance: a service holds a few
def _null_smaller_p(size: int, exponent: float) -> np.ndarray:
    """The smallest of the three p-values for windows drawn from the null itself, sorted.

    Simulated once per process for each size up to ``NULL_EXACT_UP_TO`` (beyond it, the largest of
    ``NULL_SIZES`` not above it) and exponent (about 25 ms each), and
    seeded by both, so a window always gets the same p-value.
    """
    draws = int(min(NULL_DRAWS, max(2000, NULL_SIMULATED_VALUES // size)))
    rng = np.random.default_rng([size, int(round(exponent * 1000))])
    scores = 100.0 * rng.random((draws, size)) ** (1.0 / exponent)  # P(score < s) = (s/100)^exponent
    surprise = -np.log(np.clip(scores, SCORE_FLOOR, 100.0) / 100.0).mean(axis=1)
    sd = scores.std(axis=1, ddof=1) if size > 1 else np.zeros(draws)
    off_voice = (scores < OFF_VOICE_BELOW).mean(axis=1)
    p = _p_values(size, surprise, scores.mean(axis=1), sd, off_voice, exponent)
    return np.sort(np.minimum.reduce(p))


def typicality_test(stats: Mapping[str, float], exponent: float = NULL_EXPONENT) -> dict[str, float]:
    """One-sided p-values that a window is less typical than the brand's own later writing.

    All three tests share one tolerant null, P(score < s) = (s/100)^NULL_EXPONENT (9%
    off-voice, mean score 44.4), and each catches a kind of drift the other misses:

    - *surprise*: the mean of -ln(score/100), 1 for the brand's own writing. Under
      the null the summed surprise is exactly Gamma(n, 1/NULL_EXPONENT). Posts of
      another voice pile up near 0 and weigh heavily here: it catches a minority
      of plainly foreign posts (scores floored at 0.5, so one post weighs at most
      ~5 typical ones);
    - *mean score*: a t-test against 44.4 whose spread is never taken below the
      uniform's (28.9). It catches writing that is everywhere a little less typical
      without being foreign;
    - *off-voice count*: a binomial test of the posts scoring under 5 against the
      null's share of them. It catches a share off-voice far past the tolerance
      while the other posts score high.

    The window's p-value is how often windows of the same size drawn from the null
    give a smaller p than this one's smallest p (``_null_smaller_p``). The tests
    mostly agree, so this is far less than Bonferroni's tripling would cost (and, the
    t-test being only approximate on 10 posts and the count discrete, Bonferroni would
    not even be exact). Beyond the 0.5% quantile of the null, where a count of draws
    is too coarse, the smallest p is scaled by the null's own factor there.
    """
    n = int(stats["n"])
    p_surprise, p_mean, p_count = (float(x) for x in _p_values(
        n, stats["surprise"], stats["mean"], stats["sd"], stats.get("off_voice", 0.0), exponent))
    smaller = min(p_surprise, p_mean, p_count)
    # Each size its own up to 60 posts: the count's p is discrete, and so unlike at 15 and at 20 posts that windows
    # of 20 tested against the null of 15 drifted 5.7% of the time at the tolerance. Every size up to 250 made a
    # year's report by day with by= ten times slower (711 simulations, a code review).
    size = n if n <= NULL_EXACT_UP_TO else max(s for s in NULL_SIZES if s <= n)
    null = _null_smaller_p(size, round(float(exponent), 3))
    edge = max(10, len(null) // 200)  # below the 0.5% quantile, too few draws to count on
    if smaller >= null[edge]:
        p = (np.searchsorted(null, smaller, side="right") + 1) / (len(null) + 1)
    else:  # deep in the tail: the smaller p times the null's own factor at the edge (continuous there)
        p = smaller * (edge + 1) / (len(null) + 1) / null[edge]
    p = min(1.0, float(p))
    return {"p_value": p, "surprise": p_surprise, "mean_score": p_mean, "off_voice": p_count}


def _big_enough(stats: Mapping[str, float]) -> bool:
    """The effect-size floor: a change large enough to matter to a reader."""
    return (stats["surprise"] >= MIN_SURPRISE or stats["mean"] <= MAX_MEAN_SCORE
            or stats.get("off_voice", 0.0) >= MIN_OFF_VOICE)


def _pooled_sd(a: Mapping[str, float], b: Mapping[str, float], mean: str, sd: str) -> float:
    n = a["n"] + b["n"]
    both = (a["n"] * a[mean] + b["n"] * b[mean]) / n
    ss = ((a["n"] - 1) * a.get(sd, 0.0) ** 2 + (b["n"] - 1) * b.get(sd, 0.0) ** 2
          + a["n"] * (a[mean] - both) ** 2 + b["n"] * (b[mean] - both) ** 2)
    return math.sqrt(ss / max(n - 1, 1))


def pool(a: Mapping[str, float], b: Mapping[str, float]) -> dict[str, float]:
    """The summary of two windows' scores together."""
    n = a["n"] + b["n"]
    return {"n": n, "surprise": (a["n"] * a["surprise"] + b["n"] * b["surprise"]) / n,
            "mean": (a["n"] * a["mean"] + b["n"] * b["mean"]) / n, "sd": _pooled_sd(a, b, "mean", "sd"),
            "surprise_sd": _pooled_sd(a, b, "surprise", "surprise_sd"),
            "off_voice": (a["n"] * a.get("off_voice", 0.0) + b["n"] * b.get("off_voice", 0.0)) / n}


def null_exponent(profile) -> float:
    """How much less typical the brand's own later writing may be: the profile's own measure, if it has one.

    A profile learned from dated writing records ``drift_null_exponent_``,
    measured by scoring the brand's latest posts with a model of its earlier ones
    (frozen with the profile, like everything else). Without it, the default 0.8
    (9% off-voice) holds. It is kept within [0.5, 1]: never stricter than the brand's own writing,
    never so lax that half the posts could be foreign.
    """
    value = getattr(profile, "drift_null_exponent_", None)
    try:
        return NULL_EXPONENT if value is None else min(1.0, max(0.5, float(value)))
    except (TypeError, ValueError):
        return NULL_EXPONENT


def _null_reason(profile) -> str:
    """Where the tolerance came from: "measured", or why the default holds ("undated": the profile learned from
    undated writing; "few-recent": its latest posts were too few to measure it; "unknown": an older profile)."""
    if getattr(profile, "drift_null_exponent_", None) is not None:
        return "measured"
    reason = getattr(profile, "drift_null_reason_", None)
    return reason if reason in ("undated", "few-recent") else "unknown"


def window_test(scores: Sequence[float], verdicts: Sequence[str], exponent: float = NULL_EXPONENT) -> dict[str, Any]:
    """The window's figures and its test against the brand's own writing (see the module docstring)."""
    n = len(scores)
    out: dict[str, Any] = {"n_scored": n, "mean_score": None, "median_score": None,
                           "off_voice_rate": None, "drift": None, "p_value": None}
    if not n:
        out["status"] = "empty"
        return out
    stats = summarize_scores(scores)
    out.update(mean_score=round(stats["mean"], 1), median_score=round(float(np.median(scores)), 1),
               off_voice_rate=round(sum(v == "off-voice" for v in verdicts) / n, 3))
    if n < MIN_POSTS:  # its figures still pool with the small windows next to it (_small_pooled)
        out.update(status="too-few-posts", stats={k: round(v, 4) for k, v in stats.items()})
        return out
    p = typicality_test(stats, exponent)
    out.update(status="low-power" if n < LOW_POWER_BELOW else "tested", p_value=_round_p(p["p_value"]),
               drift=bool(p["p_value"] < ALPHA and _big_enough(stats)),
               tests={"surprise": {"p_value": _round_p(p["surprise"]), "value": round(stats["surprise"], 3)},
                      "mean_score": {"p_value": _round_p(p["mean_score"]), "value": round(stats["mean"], 2)},
                      "off_voice": {"p_value": _round_p(p["off_voice"]), "value": round(stats["off_voice"], 3)}},
               stats={k: round(v, 4) for k, v in stats.items()})
    return out


def _round_p(p: float) -> float:
    return float(f"{p:.3g}") if p >= 1e-12 else 0.0


def p_text(p: float, *, bare: bool = False, lang: str = "en") -> str:
    """'p = 0.003' ('p = 0,003'); under 0.001, 'p < 0.001' ('p < 0,001'): the exact value is in the JSON's
    ``p_value``, and a brand manager reads '5.1e-07' as jargon (a value stored as 0 never reads 'p = 0')."""
    if p < 0.001:
        text = "< 0,001" if lang == "it" else "< 0.001"
        return text if bare else f"p {text}"
    text = f"{p:.2g}".replace(".", ",") if lang == "it" else f"{p:.2g}"
    return text if bare else f"p = {text}"


def _bh(pvalues: Sequence[float], q: float) -> list[bool]:
    """Benjamini-Hochberg: which p-values are discoveries at false discovery rate ``q``."""
    m = len(pvalues)
    order = sorted(range(m), key=lambda i: pvalues[i])
    cutoff = -1
    for rank, i in enumerate(order, start=1):
        if pvalues[i] <= q * rank / m:
            cutoff = rank
    keep = [False] * m
    for rank, i in enumerate(order, start=1):
        keep[i] = rank <= cutoff
    return keep


# ---------------------------------------------------------------------- features
def _digits(x: float, at_least: int = 0) -> int:
    """The decimals a moved feature's value is written with: none when whole or from 10, else one, and under 0.05
    down to its first digit ('0.04', not a '0.0' that reads as none but is not written as 0); a value that is not
    whole gets at least ``at_least``."""
    if not math.isfinite(x) or x.is_integer():
        return 0
    if abs(x) >= 0.05:
        return max(0 if abs(x) >= 10 else 1, at_least)
    digits = -math.floor(math.log10(abs(x)))
    if round(abs(x), digits - 1) >= 10.0 ** (1 - digits):  # 0.0099 is 0.01, not 0.010
        digits -= 1
    return max(digits, at_least)


def _fmt(x: float, lang: str = "en", at_least: int = 0) -> str:
    """A moved feature's value: whole from 10 or when whole (1,234 grouped), else one decimal (0.2; Italian 0,2);
    under 0.05 its first digit (``_digits``)."""
    x = float(x)
    return fixed(x, lang, _digits(x, at_least))


def _fmt_pair(before: float, now: float, lang: str = "en", at_least: int = 0) -> tuple[str, str]:
    """Two values of a feature, written so that they differ about as they really do: 0.93 and 0.95, not '0.9 to
    1.0' (a change five times its size); 12.4 and 12.6, not '12 to 13'.

    A decimal is added while the difference shown is off by more than half the real one, so
    values that already read fine keep their digits (0.2 to 1.4; 10.7 to 11.5 stays '11 to 12').
    """
    before, now = float(before), float(now)
    change = now - before

    def off(at_least: int) -> float:  # how far the change shown is from the real one
        return abs(round(now, _digits(now, at_least)) - round(before, _digits(before, at_least)) - change)

    while math.isfinite(change) and at_least < 6 and off(at_least) > abs(change) / 2:
        at_least += 1
    return _fmt(before, lang, at_least), _fmt(now, lang, at_least)


def moved_features(rows: Sequence[Mapping[str, Any]], profile, *,
                   limit: int | None = MAX_FEATURES, lang: str = "en") -> list[dict[str, Any]]:
    """The style features whose values in ``rows`` moved away from the brand's: first one of the score's rules now
    broken (``_rule_kinds``), then the largest.

    At most ``limit`` of them (None: every one that moved). ``label``, ``unit`` and
    ``message`` are in ``lang``; ``feature`` and ``direction`` are codes, the same in every language.

    Each post's value is placed among the brand's own 101 percentiles (ties split
    evenly, for the many zeros of rate features); under no change these
    positions average 0.5. A z-test on their mean (conservatively using the
    uniform's spread), Benjamini-Hochberg across every feature tested, a floor of 0.10 on
    the shift and, for measures that are not rates, of 5% on the change of the value keep the
    list to real, sizeable changes. Rates are shown as means
    (as the profile's card does), other features as medians (as means where the posts are of several channels the
    profile keeps apart, each placed among its channel's posts: ``_references``). Emoji and hashtags the brand never
    used are tested too (``_new_marks_tested``), in the same family.
    """
    from scipy.stats import binom, norm

    names = list(profile.style_names_)
    kinds = _rule_kinds(profile)
    ruled = frozenset(kinds)
    always = frozenset(f for f, kind in kinds.items() if kind == "always")  # broken by fewer, not more
    n_brand = getattr(profile, "n_distinct_", None) or getattr(profile, "n_documents_", None) or 0
    # Each post against the brand's posts of its own channel where the profile keeps it apart (a newsletter among
    # newsletters), else against all of them: a month with more newsletters is no "longer posts". The figures
    # are read once, as one matrix (NaN where a post lacks one) and one reference per post.
    styled = [r for r in rows if isinstance(r.get("style"), Mapping)]
    refs, ref_of = _references(profile, n_brand, [r.get("channel") for r in styled])
    cells = [[r["style"].get(name) for name in names] for r in styled]
    try:
        table = np.asarray(cells, dtype=float).reshape(len(styled), len(names))  # None is NaN
    except (TypeError, ValueError):  # a figure that is no number (a hand-made row): left out, as a missing one
        table = np.asarray([[_style_value(v) for v in row] for row in cells], dtype=float).reshape(
            len(styled), len(names))
    tested = []  # (j, name, values, shift, p, now, voice, mixed) of every feature measured: Benjamini-Hochberg's family
    for j, name in enumerate(names):
        have = ~np.isnan(table[:, j])
        if int(have.sum()) < MIN_POSTS:
            continue
        values, which = table[have, j], ref_of[have]
        counts = np.bincount(which, minlength=len(refs)).astype(float)
        pos = np.empty(len(values))
        for k in np.flatnonzero(counts):
            at = which == k
            q = refs[k].quantiles[j]
            pos[at] = (np.searchsorted(q, values[at], side="left")
                       + np.searchsorted(q, values[at], side="right")) / (2.0 * len(q))
        shift = float(pos.mean()) - 0.5
        z = shift / (math.sqrt(1.0 / 12.0) / math.sqrt(len(values)))
        p = float(2.0 * norm.sf(abs(z)))
        is_rate = name.endswith("_rate")
        weights = counts / counts.sum()
        # Like with like: a rate's mean against the brand's; a measure's median against the brand's where the
        # posts have one reference, and its mean against the brand's means (weighted by the posts of each channel)
        # where they have several, as a median of posts of two channels is no figure either channel has
        mixed = int(np.count_nonzero(counts)) > 1
        by_mean = is_rate or mixed
        now = float(values.mean()) if by_mean else float(np.median(values))
        voice = float(sum(w * (refs[k].means[j] if by_mean else refs[k].quantiles[j][50])
                          for k, w in enumerate(weights) if w))
        if is_rate and n_brand:
            # A habit (a rate): how many posts show it, against the share of the brand's posts that did ((k + 1) /
            # (n + 1), as a rule's cap). 9 of 60 posts with "!" or "tu" shift the mean position by 0.075, under the
            # floor, and the z-test takes the uniform's spread where the brand's posts sit all at 0: a month whose
            # examples all gave "tu" was said to have drifted by longer sentences (an Italian review). Not only for
            # the score's rules: 4 of 10 agency posts with American spellings, which the brand never wrote, were
            # named nowhere, and "small grammar words" were (a brand manager's review).
            shown = int(np.count_nonzero(values > 0))
            share = float(sum(w * (refs[k].nonzero[j] * refs[k].n_posts + 1.0) / (refs[k].n_posts + 1.0)
                              for k, w in enumerate(weights) if w))
            p = min(p, float(binom.sf(shown - 1, len(values), share))) if shown else p
        tested.append((j, name, values, shift, p, now, voice, mixed))
    marks = _new_marks_tested(rows, profile)
    # Over all the features tested, not only those the filters below let through: run on the 4 of 28 left, the
    # 10% false discovery rate let one feature "move" in 32% of windows of the brand's own writing (an NLP review).
    pvalues = [t[4] for t in tested] + [m["p_value"] for m in marks]
    significant = _bh(pvalues, FEATURE_FDR) if pvalues else []
    found = [m for m, kept in zip(marks, significant[len(tested):]) if kept and m["shift"] >= FEATURE_MIN_SHIFT]
    for m in found:
        m["message"] = _new_marks_message(m, lang)
        m["label"], m["unit"] = _NEW_MARKS_WORDS[lang][m["feature"]]
        m["p_value"] = _round_p(m["p_value"])
    for (j, name, values, shift, p, now, voice, mixed), kept in zip(tested, significant):
        broken = name in ruled and (shift < 0 if name in always else shift > 0)  # the way its rule breaks
        if not kept or (abs(shift) < FEATURE_MIN_SHIFT and not broken):
            continue
        is_rate = name.endswith("_rate")
        direction = "up" if shift > 0 else "down"
        if (now - voice) * shift <= 0 or _fmt(now) == _fmt(voice):
            continue  # the numbers shown would not show the change: say nothing rather than confuse
        if not is_rate and abs(now - voice) < FEATURE_MIN_RELATIVE * abs(voice):
            continue  # "letters per word down from 4.7 to 4.6": real for a tight habit, but no one would notice
        label, unit = feature_words(name, lang)
        found.append({"feature": name, "window": round(now, 2), "voice": round(voice, 2), "direction": direction,
                      "p_value": _round_p(p), "shift": round(shift, 3), "label": label, "unit": unit,
                      "message": _feature_message(label, unit, direction, voice, now, lang,
                                                  2 if name in _RATIOS else 0, mixed=mixed)})
    # A rule of the score's, now broken, comes first whatever its shift: "more 'voi' forms" had headlined an alert
    # while the agency had begun to give 'tu' and exclamation marks (a review). So does a habit the brand shows in
    # under 1% of its posts (hype words, American spellings: as the score's habits, for a brand with posts enough
    # for them), ahead of "small grammar words" (a brand manager's review).
    from .scoring import HABIT_MIN_POSTS, HABIT_NEVER

    shown = getattr(profile, "style_nonzero_", None)
    unusual = ruled | ({n for n, share in zip(names, shown) if n.endswith("_rate") and share < HABIT_NEVER}
                       if shown is not None and n_brand >= HABIT_MIN_POSTS else set())
    # then emoji and hashtags the brand never used: named after the habits it breaks ("exclamation marks up from 0
    # to 2.7" before "emoji new to the brand: ..."), before any other change
    new = {m["feature"] for m in marks}
    # The posts breaking the brand's rules, together, where no rule moved on its own (a window too small for any)
    if not any(f["feature"] in ruled and f["direction"] == ("down" if f["feature"] in always else "up")
               for f in found):
        rules = _rules_broken_tested(rows, profile)
        if rules is not None and rules["p_value"] < RULES_LEVEL and rules["shift"] >= FEATURE_MIN_SHIFT:
            rules["message"] = _rules_broken_message(rules, lang)
            rules["label"], rules["unit"] = _NEW_MARKS_WORDS[lang][RULES_BROKEN]
            rules["p_value"] = _round_p(rules["p_value"])
            found.append(rules)
    found.sort(key=lambda x: (0 if (x["direction"] == "up" and x["feature"] in unusual - always)
                              or (x["direction"] == "down" and x["feature"] in always) or x["feature"] == RULES_BROKEN
                              else 1 if x["feature"] in new else 2, -abs(x["shift"])))
    return found if limit is None else found[:limit]


#: The moved "feature" of the posts that break the brand's rules, counted together (``_rules_broken_tested``).
RULES_BROKEN = "rules_broken"
#: How a window's emoji and hashtags the brand never used, and its posts breaking the brand's rules, are named
#: (label, unit), as a style feature's are.
_NEW_MARKS_WORDS = {
    "en": {"new_emoji": ("emoji new to the brand", "% of posts"),
           "new_hashtags": ("hashtags new to the brand", "% of posts"),
           RULES_BROKEN: ("posts breaking the brand's rules", "% of posts")},
    "it": {"new_emoji": ("emoji nuove per il brand", "% dei post"),
           "new_hashtags": ("hashtag nuovi per il brand", "% dei post"),
           RULES_BROKEN: ("post che infrangono le regole del brand", "% dei post")},
}


def _new_marks_tested(rows: Sequence[Mapping[str, Any]], profile) -> list[dict[str, Any]]:
    """For each kind of mark (emoji, hashtags) the brand keeps to its own (``marks.BrandMarks.palette``): of the
    posts with such marks, how many hold one it never used, against how often its own later posts with them
    bring one (a binomial test, the brand's share counted as a rule's cap is, (k + 1) / (n + 1)). Why: an
    agency's 😍🔥 and #ootd are as many emoji and hashtags as the brand's ✨ and #AtelierNoma, so the rates do not
    move (a fashion brand's review).

    Only posts whose stored form says which were new (``new_marks``; none stored before it was kept) count.
    """
    from scipy.stats import binom

    from .marks import mark_key

    brand = getattr(profile, "marks_", None)
    measured = [r for r in rows if isinstance(r.get("new_marks"), Mapping) and isinstance(r.get("style"), Mapping)]
    if brand is None or len(measured) < MIN_POSTS:
        return []
    out = []
    for kind, rate in (("emoji", "emoji_rate"), ("hashtags", "hashtag_rate")):
        if not brand.palette(kind):
            continue
        seen: dict[str, Counter[str]] = {}  # key -> how the window's posts write it
        holding = using = 0
        for r in measured:
            marks = [m for m in r["new_marks"].get(kind) or () if isinstance(m, str)]
            holding += bool(marks)
            using += bool(marks) or (r["style"].get(rate) or 0) > 0
            for key, m in {mark_key(kind, m): m for m in reversed(marks)}.items():
                seen.setdefault(key, Counter())[m] += 1
        if not using:  # the binomial is exact at any count: a small brand's week has 3 captions (a review)
            continue
        n_brand = brand.n_with_[kind]
        share = (brand.new_share_[kind] * n_brand + 1.0) / (n_brand + 1.0)
        p = float(binom.sf(holding - 1, using, share)) if holding else 1.0
        now = holding / using
        order = sorted(seen, key=lambda k: (-sum(seen[k].values()), k))[:5]
        out.append({"feature": f"new_{kind}", "window": round(100 * now, 1),
                    "voice": round(100 * brand.new_share_[kind], 1), "direction": "up", "p_value": p,
                    "shift": round(now - share, 3), "posts": holding, "of_posts": using,
                    "marks": [min(seen[k].items(), key=lambda kv: (-kv[1], kv[0]))[0] for k in order]})
    return out


#: The level at which the posts breaking the brand's rules, counted together, are said to have moved: one test of
#: its own, not among the features' (at 8 posts a month, no one rule passes Benjamini-Hochberg's bar over 28).
RULES_LEVEL = 0.05


def _rules_broken_tested(rows: Sequence[Mapping[str, Any]], profile) -> dict[str, Any] | None:
    """How many of ``rows`` break one of the brand's rules (``scoring.broken_rules``), two or more, against how many
    of its own posts did ((k + 1) / (n + 1), as a rule's cap); a binomial test. Why: an agency
    posting 8 to 13 times a month whose writer's "!", emoji and contractions went on, one or two posts a month, each
    rule on too few posts to test, was said to have drifted in "exclamation marks ... seen in 1 month" (an agency's
    content operations review)."""
    from scipy.stats import binom

    from .scoring import RARE_AT_LEAST, broken_rules, habit_rules

    if not hasattr(profile, "register_") or not hasattr(profile, "unseen_quantiles_"):
        return None  # a stand-in without what the score reads
    rules = habit_rules(profile)
    styled = [r for r in rows if isinstance(r.get("style"), Mapping)]
    if not rules or len(styled) < MIN_POSTS:
        return None
    broken = broken_rules(profile, [r["style"] for r in styled], [r.get("channel") for r in styled])
    posts = sum(1 for b in broken if b)
    # How often the brand's own posts broke one, as a rule's cap counts it, (k + 1) / (n + 1), k its posts that broke
    # any (at most each rule's k summed). The rules' caps summed instead, one "+1" each, asked 3 posts of 8 of a
    # 130-post brand with 7 rules, none ever broken (an agency's review, again); a single slip is no change, however
    # rare (a code review: one in 8 posts of a 200-post brand), as a rare habit's rule asks for two.
    n = int(getattr(profile, "n_distinct_", 0) or 0)
    share = min(0.5, (sum(rule["broken"] for rule in rules) + 1.0) / (n + 1.0))
    if posts < RARE_AT_LEAST:
        return None
    which = Counter(name for b in broken for name in b)
    return {"feature": RULES_BROKEN, "window": round(100 * posts / len(styled), 1), "voice": round(100 * share, 1),
            "direction": "up", "p_value": float(binom.sf(posts - 1, len(styled), share)),
            "shift": round(posts / len(styled) - share, 3), "posts": posts, "of_posts": len(styled),
            "rules": [name for name, _ in sorted(which.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]}


def _rules_broken_message(m: Mapping[str, Any], lang: str) -> str:
    """'posts breaking the brand's rules (exclamation marks, emoji): 2 of 8, against under 1% of its own'."""
    label = _NEW_MARKS_WORDS[lang][RULES_BROKEN][0]
    named = ", ".join(feature_words(name, lang)[0].split(" (")[0] for name in m["rules"])
    under = m["voice"] < 1  # not "0%" (a code review)
    if lang == "it":
        share = "meno dell'1%" if under else article_it(f"{m['voice']:.0f}%")  # "l'8%", "il 4%"
        return f"{label} ({named}): {m['posts']} su {m['of_posts']}, contro {share} dei suoi"
    share = "under 1%" if under else f"{m['voice']:.0f}%"
    return f"{label} ({named}): {m['posts']} of {m['of_posts']}, against {share} of its own"


def _new_marks_message(m: Mapping[str, Any], lang: str) -> str:
    """'emoji new to the brand: '😍', '🔥' in 12 of 30 posts with emoji, against under 1% of its own posts with
    emoji'; a run's start goes after the label, as for the length of posts (``_add_since``)."""
    shown = ", ".join(f"'{x}'" for x in m["marks"])
    label, voice = _NEW_MARKS_WORDS[lang][m["feature"]][0], m["voice"]
    kind = "emoji" if m["feature"] == "new_emoji" else ("hashtag" if lang == "it" else "hashtags")
    if lang == "it":
        often = "meno dell'1%" if voice < 1 else f"il {voice:.0f}%"
        return (f"{label}: {shown} in {m['posts']} post su {m['of_posts']} con {kind}, contro {often} dei suoi post "
                f"con {kind}")
    often = "under 1%" if voice < 1 else f"{voice:.0f}%"
    return (f"{label}: {shown} in {m['posts']} of {m['of_posts']} posts with {kind}, against {often} of its own "
            f"posts with {kind}")


@dataclasses.dataclass(frozen=True)
class _Reference:
    """The brand's style figures a post is compared with: all its posts', or its channel's (``channels``)."""

    quantiles: np.ndarray
    means: np.ndarray
    nonzero: np.ndarray
    n_posts: int


def _references(profile, n_brand: int, labels: Sequence[Any]) -> tuple[list[_Reference], np.ndarray]:
    """The references the posts of channels ``labels`` are compared with, and each post's index among them: its
    channel's figures where the profile keeps it apart (``VoiceProfile.channel_style``), else the brand's (0)."""
    brand = _Reference(np.asarray(profile.style_quantiles_, dtype=float), np.asarray(profile.style_means_, float),
                       np.asarray(getattr(profile, "style_nonzero_", np.zeros(len(profile.style_names_))), float),
                       n_brand)
    refs, index = [brand], {}
    find = getattr(profile, "channel_style", None)
    of = np.zeros(len(labels), dtype=int)
    for i, label in enumerate(labels):
        if not isinstance(label, str) or not callable(find):
            continue
        if label not in index:
            view = find(label)
            index[label] = 0 if view is None else len(refs)
            if view is not None:
                refs.append(_Reference(view.quantiles, view.means, view.nonzero, view.n_posts))
        of[i] = index[label]
    return refs, of


def _style_value(value: Any) -> float:
    """A stored style figure as a number, NaN where there is none."""
    return float(value) if isinstance(value, numbers.Real) and not isinstance(value, bool) else math.nan


def _rule_kinds(profile) -> dict[str, str]:
    """The features the score makes rules of for this brand, with each rule's kind (``scoring.habit_rules``: a habit
    it never breaks, a form of address it never uses, a mark of its every post); none for a stand-in without what
    the rules are read from."""
    from .scoring import habit_rules

    if not hasattr(profile, "register_"):
        return {}
    return {rule["feature"]: rule["kind"] for rule in habit_rules(profile)}


def length_words(direction: str, lang: str = "en") -> str:
    """'longer posts' / 'shorter posts' ('post più lunghi' / 'post più brevi'): how the length of posts (the feature
    'words', whose label is its unit) is named when it moved, in a sentence and in the pages' grid alike."""
    if lang == "it":
        return "post più lunghi" if direction == "up" else "post più brevi"
    return "longer posts" if direction == "up" else "shorter posts"


#: Features that are a ratio from 0 to 1: "lexical diversity up from 0.9 to 1.0" says every word differs, and
#: another window's "0.92 to 0.98" seemed to contradict it (a user review). They keep two decimals.
_RATIOS = frozenset({"lexical_diversity"})


def _feature_message(label: str, unit: str, direction: str, voice: float, now: float, lang: str = "en",
                     decimals: int = 0, *, mixed: bool = False) -> str:
    """'exclamation marks up from 0.2 to 1.4 per 100 words' ('punti esclamativi in aumento da 0,2 a 1,4 ogni 100
    parole'); the length of posts: 'shorter posts: 31 words against the brand's 38'. ``decimals``: at least so
    many for a value that is not whole."""
    then, later = _fmt_pair(voice, now, lang, decimals)
    if lang == "it":
        if label == unit:  # of posts of several channels, the brand's figure is theirs: not the card's overall one
            return (f"{length_words(direction, lang)}: {later} parole, contro le {then} del brand"
                    + (" per questi canali" if mixed else ""))
        tail = f" {unit}" if unit else ""
        moved = "in aumento" if direction == "up" else "in calo"
        return f"{label} {moved} da {then} a {later}{tail}"
    if label == unit:  # "words": the length of posts
        return (f"{length_words(direction, lang)}: {later} words against the brand's {then}"
                + (" for these channels" if mixed else ""))
    tail = f" {unit}" if unit else ""
    return f"{label} {direction} from {then} to {later}{tail}"


def _add_since(windows: list[dict[str, Any]], window: str, lang: str = "en") -> None:
    """Append 'since <first window>' to each moved feature, for runs of windows where it kept moving.

    ``top_features`` must hold every feature that moved in each window: a feature that keeps
    moving but is outside a window's largest few still continues its run.
    """
    running: dict[tuple[str, str], dt.date] = {}
    for w in windows:
        if w["status"] in ("empty", "learned", "too-few-posts"):
            continue  # no evidence either way: a run goes on through it
        now = {(f["feature"], f["direction"]) for f in w["top_features"]}
        running = {key: start for key, start in running.items() if key in now}
        for f in w["top_features"]:
            key = (f["feature"], f["direction"])
            start = running.setdefault(key, dt.date.fromisoformat(w["start"]))
            f["since"] = start.isoformat()
            since = _since(start, window, lang)
            head, colon, rest = f["message"].partition(": ")
            # "shorter posts since March 2026: 30 words against the brand's 38"; so "emoji new to the brand since"
            if f["feature"] in ("words", "new_emoji", "new_hashtags", RULES_BROKEN) and colon:
                f["message"] = f"{head} {since}{colon}{rest}"
            else:
                f["message"] += f" {since}"


# ---------------------------------------------------------------------- alerts
def find_alerts(windows: Sequence[Mapping[str, Any]], window: str, *, group: str | None = None,
                by: str | None = None, exponent: float = NULL_EXPONENT, lang: str = "en",
                learned_since: str | None = None, first_tested: str | None = None) -> list[dict[str, Any]]:
    """Alerts over a sequence of windows (policy in the module docstring); untested windows are skipped.

    ``windows`` as ``_small_pooled`` gives them: small windows next to each other tested together, each
    such run one window whose starts (``pooled``) the alerts list one by one.

    Each alert lists the starts of its drifting windows in ``window_starts``, and says in
    ``from_first_tested`` whether it starts with the first window that could be tested: such
    a drift may have begun before the report's period, or the profile may no longer match the
    brand's own writing (the report says which to check). ``kind`` is ``"drift"`` (against the
    profile), or ``"worse"`` for windows clearly worse than the report's own earlier ones (those
    of the alert open at the time, or all of them), with their figures in ``before`` and the
    new windows' in ``after``; a window marked ``partial``, or of fewer than ``LOW_POWER_BELOW`` posts, raises
    no "worse" alert alone.
    ``learned_since``: the start of the first window holding posts the profile learned from. An alert
    starting there or later is not ``from_first_tested``: the profile's own writing comes before it (or
    with it), so the drift began after the profile's writing did, and learning again from recent posts
    would learn the drift. ``first_tested``: the report's first tested window, for a group's alerts (default:
    the first of ``windows``): an agency whose posts begin in March, after clean in-house weeks, did not drift
    "from the first window that could be tested".
    """
    alerts: list[dict[str, Any]] = []
    if first_tested is None:
        first_tested = _first_tested(windows)
    earlier: list[Mapping[str, Any]] = []  # the tested windows so far
    current: dict[str, Any] | None = None  # the open alert
    run: list[Mapping[str, Any]] = []  # its windows: what a later window is "worse" than
    baseline: Sequence[Mapping[str, Any]] = ()  # for a "worse" alert: the windows it was compared with

    raising: list[tuple[dict[str, Any], Sequence[Mapping[str, Any]], Mapping[str, Any] | None, bool]] = []

    def open_alert(episode: Sequence[Mapping[str, Any]], raised: Mapping[str, Any], p: float,
                   before: Mapping[str, Any] | None = None) -> dict[str, Any]:
        further = current is not None  # worse than an alert still open, rather than worse than clean weeks
        alert = {"start": episode[0]["start"], "raised": raised["start"], "end": raised["end"],
                 "windows": len(episode), "p_value": p, "kind": "worse" if before else "drift",
                 "from_first_tested": episode[0]["start"] == first_tested and not (
                     learned_since is not None and learned_since <= episode[0]["start"]),
                 "message": "", "window_starts": [x["start"] for x in episode]}
        if before:
            alert["before"] = {k: v for k, v in before.items() if k != "p_value"}
            alert["after"] = _figures(episode)
        if group is not None:
            alert.update(by=by, group=group)
        alerts.append(alert)
        raising.append((alert, episode, before, further))
        return alert

    for w in windows:
        if w.get("drift") is None:
            continue
        prev = earlier[-1] if earlier else None
        pair_p = _pair_p(prev, w, exponent) if prev is not None else 1.0
        leaning = _leaning(w, exponent)  # the window leans the drifting way on its own
        drifting = w["drift"] or (pair_p < STRONG_P and leaning)
        if current is not None and baseline and not drifting and leaning:
            drifting = _grew(w["stats"], baseline) is not None  # a "worse" alert lasts while the change holds
        # Worse than before: a drifting window against the open alert's windows; with none open, a
        # window leaning away against all the earlier ones; then a pair inside an alert.
        # A window cut by --since/--until (``partial``) holds only some of its days' posts, and a low-power one
        # (fewer than LOW_POWER_BELOW posts) swings with two or three low posts: neither raises a "worse" alert
        # on its own, though it may extend one or count in a pair. (Against the report's own windows there is
        # no tolerance, only the rise floor, which a day of 10 posts crosses by chance: a report by day over
        # a year of a brand's own writing raised several such alerts.)
        episode, grew, reference = [w], None, run if current is not None else earlier
        alone = not w.get("partial") and w["n_scored"] >= LOW_POWER_BELOW
        if current is not None and w["drift"] and alone:
            grew = _grew(w["stats"], run)
        elif current is None and leaning and not w["drift"] and alone and len(earlier) >= MIN_EARLIER_WINDOWS:
            grew = _grew(w["stats"], earlier)
        if grew is None and current is not None and drifting and leaning and prev is not None \
                and _leaning(prev, exponent) and prev["start"] > current["raised"] \
                and prev["n_scored"] + w["n_scored"] >= LOW_POWER_BELOW:  # prev not in its raising episode
            reference = [x for x in run if x["start"] < prev["start"]]
            episode, grew = [prev, w], _grew(pool(prev["stats"], w["stats"]), reference)
        if grew is not None:
            if current is not None and len(episode) == 2:  # the pair (prev: the alert's last window) opens the new one
                _cover(current, run[:-1])
            # a copy: ``earlier`` grows with the alert's own windows, which must not become what they are compared with
            current, run, baseline = (open_alert(episode, w, grew["p_value"], before=grew), list(episode),
                                      tuple(reference))
        elif current is not None and drifting:
            run.append(w)
            _cover(current, run)
        elif current is not None:  # a tested window without drift ends the alert
            current = None
        elif drifting:
            episode = [w] if w["drift"] or prev is None or not _leaning(prev, exponent) else [prev, w]
            p = w["p_value"] if w["drift"] else _round_p(pair_p)
            current, run, baseline = open_alert(episode, w, p), list(episode), ()
        earlier.append(w)
    # Only now is each alert's extent known: its figures over all its windows, and its message.
    tested = {w["start"]: w for w in windows if w.get("drift") is not None}
    for alert, episode, before, further in raising:
        covered = [tested[s] for s in alert["window_starts"]]
        alert["overall"] = {**_figures(covered), "windows": len(_each_start(covered))}
        alert["message"] = _alert_message(episode, window, group, by, before=before, further=further,
                                          whole=covered if len(covered) > len(episode) else None, lang=lang)
        # Small windows tested together are each the alert's: its charts, examples and sources read them.
        alert["window_starts"] = _each_start(covered)
        alert["windows"] = len(alert["window_starts"])
        alert["raised"] = tested[alert["raised"]].get("pooled", [alert["raised"]])[-1]
    return alerts


def _first_tested(windows: Sequence[Mapping[str, Any]]) -> str | None:
    """The start of the first tested window (of a run of small ones, its first, clean or not: a drift after clean
    small weeks had been said to be there from the first window tested, and learning again advised: a review)."""
    return next((w.get("run", [w["start"]])[0] for w in windows if w.get("drift") is not None), None)


def _each_start(windows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The starts of ``windows``, those of small windows tested together (``_small_pooled``) each."""
    return [s for w in windows for s in w.get("pooled", [w["start"]])]


def _small_pooled(windows: Sequence[Mapping[str, Any]], exponent: float,
                  features_of: Callable[[Sequence[str]], list[dict[str, Any]]] | None = None,
                  ) -> list[Mapping[str, Any]]:
    """``windows`` with each run of consecutive windows too small to test pooled, as soon as they hold
    ``MIN_POSTS`` scored posts together, into one tested window (``run``: the windows' starts; ``pooled``: those
    of them the window stands for, all but the clean ones before a drift: ``_as_one_window``).

    Why: a weekly report over an agency posting 3 times a week said "too few to test" of every week, all
    off-voice, and dated the drift two months late, when the weeks grew (a brand manager's review). Empty
    windows do not break a run, but a run spans at most ``POOL_SPAN`` windows (the earliest leave it): two
    posts of January are no evidence about November. A tested window, or one of posts the profile learned
    from, breaks it. A run that never reaches ``MIN_POSTS`` stays untested. ``features_of``: the style
    features that moved in the posts of the given windows, for an alert the run raises.
    """
    out: list[Mapping[str, Any]] = []
    run: list[tuple[int, Mapping[str, Any]]] = []
    for i, w in enumerate(windows):
        if w.get("drift") is None and w.get("stats") and w.get("status") == "too-few-posts":
            run = [(j, x) for j, x in run if j > i - POOL_SPAN] + [(i, w)]
            if sum(x["n_scored"] for _, x in run) >= MIN_POSTS:
                out.append(_as_one_window([x for _, x in run], exponent, features_of))
                run = []
            continue
        if w.get("drift") is not None or w.get("status") == "learned":
            run = []
        out.append(w)
    return out


def _as_one_window(run: Sequence[Mapping[str, Any]], exponent: float,
                   features_of: Callable[[Sequence[str]], list[dict[str, Any]]] | None = None) -> dict[str, Any]:
    """Small windows tested together, as ``window_test`` tests one. When they drift, the windows before the first
    that leans away from the voice on its own are left out of it (their posts still count in the test): two
    clean weeks and one off-voice week had dated the drift from the first clean one (a diff review)."""
    whole = functools.reduce(pool, [w["stats"] for w in run])
    p = typicality_test(whole, exponent)["p_value"]
    drift = bool(p < ALPHA and _big_enough(whole))
    tested = [w["start"] for w in run]
    if drift:
        first = next((k for k, w in enumerate(run) if _leaning(w, exponent)), 0)
        run = run[first:]
    stats = functools.reduce(pool, [w["stats"] for w in run])
    starts = [w["start"] for w in run]
    return {"start": starts[0], "end": run[-1]["end"], "partial": any(w.get("partial") for w in run),
            "n_scored": int(stats["n"]), "mean_score": round(stats["mean"], 1),
            "off_voice_rate": round(stats["off_voice"], 3), "stats": stats, "p_value": _round_p(p),
            "drift": drift, "status": "low-power", "pooled": starts, "run": tested,
            "top_features": features_of(starts) if drift and features_of is not None else []}


def _leaning(w: Mapping[str, Any], exponent: float) -> bool:
    """Whether a tested window leans away from the voice on any of the three tests' statistics: a mean surprise
    above the tolerance's, a mean score below it, or a share off-voice above it. Not the window's combined p:
    calibrated over three tests, a window a little worse than the tolerance has one over 0.5, and a week at the
    tolerance's edge after weeks far above it no longer counted as moving away from them. From the statistics,
    which a group's figures keep too."""
    stats = w.get("stats")
    if not stats:
        return w["p_value"] < 0.5
    null = _null_expectations(exponent)
    return (stats["surprise"] > null["surprise"] or stats["mean"] < null["mean"]
            or stats.get("off_voice", 0.0) > null["off_voice"])


def _cover(alert: dict[str, Any], run: Sequence[Mapping[str, Any]]) -> None:
    """Set the alert's windows to ``run``: their starts, the last one's end, how many."""
    alert.update(window_starts=[x["start"] for x in run], end=run[-1]["end"], windows=len(run))


def _grew(stats: Mapping[str, float], earlier: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The figures of the ``earlier`` windows if posts (a window, or two pooled) are clearly worse; else None.

    Inside an open alert a drifting window only extends it, so a drift that grows (an
    agency's posts mixed into writing that was already a little off) would go unseen;
    and a brand writing well above its tolerance can change a lot before crossing it.
    Here the reference is the report's own earlier windows: the posts' summed surprise
    is compared with a Gamma distribution of the same mean and variance as theirs (the
    mean taken one standard error on the tolerant side), at p < ``STRONG_P``, and the
    mean surprise must rise by at least ``GREW_MIN_SURPRISE``.
    """
    if not earlier:
        return None
    from scipy.stats import gamma

    base = functools.reduce(pool, [x["stats"] for x in earlier])
    var = max(base["surprise_sd"] ** 2, 1e-6)
    mean = base["surprise"] + math.sqrt(var / base["n"])
    if stats["surprise"] < base["surprise"] + GREW_MIN_SURPRISE:
        return None
    p = float(gamma.sf(stats["surprise"] * stats["n"], a=stats["n"] * mean ** 2 / var, scale=var / mean))
    if p >= STRONG_P:
        return None
    return {"p_value": _round_p(p), "since": earlier[0]["start"], "windows": len(_each_start(earlier)),
            **_figures(earlier), "window_starts": _each_start(earlier)}


def _figures(run: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Posts, mean score and off-voice share of windows together."""
    n = sum(w["n_scored"] for w in run)
    return {"n_scored": n, "mean_score": round(sum(w["mean_score"] * w["n_scored"] for w in run) / n, 1),
            "off_voice_rate": round(sum(w["off_voice_rate"] * w["n_scored"] for w in run) / n, 3)}


def _pair_p(a: Mapping[str, Any], b: Mapping[str, Any], exponent: float) -> float:
    """The p-value of two consecutive tested windows pooled, or 1 when the pooled change is too small."""
    both = pool(a["stats"], b["stats"])
    return typicality_test(both, exponent)["p_value"] if _big_enough(both) else 1.0


#: The ``evidence`` of a window too small to test alone, drifting when tested with the small windows next to it.
SMALL_TOGETHER = "with the small windows next to it"


def _mark_pooled(windows: Sequence[dict[str, Any]], alerts: Sequence[Mapping[str, Any]],
                 merged: Sequence[Mapping[str, Any]] = (), *, into: Sequence[dict[str, Any]] | None = None) -> None:
    """Windows inside an alert drift, even those that needed their neighbour, or the earlier windows, to show it;
    and the small windows a run tested together (``merged``, as ``_small_pooled`` gives them) are tested, drifting
    when an alert took them, else clean: a clean year of 1 to 4 posts a week had said "too few posts per week to
    test", amber, though twenty runs of them had been tested (a diff review).

    ``evidence`` is a code (the same in every language, as verdicts are): the summaries and pages word it.
    """
    evidence = {s: ("against the earlier windows" if a["kind"] == "worse" else "with the window next to it")
                for a in alerts for s in a["window_starts"]}
    together = {s for m in merged for s in m.get("run", ())}
    for w, target in zip(windows, into if into is not None else windows):
        if w.get("status") == "too-few-posts" and w["start"] in together:  # tested with the small ones next to it
            target["drift"] = w["start"] in evidence
            target["evidence"] = SMALL_TOGETHER
        elif w["start"] in evidence and w.get("drift") is False:  # the summary says "clear together with ..." or
            target["drift"] = True                                    # "clear against ..."
            target["evidence"] = evidence[w["start"]]


def _alert_message(run: Sequence[Mapping[str, Any]], window: str, group: str | None, by: str | None,
                   before: Mapping[str, Any] | None = None, further: bool = False,
                   whole: Sequence[Mapping[str, Any]] | None = None, lang: str = "en") -> str:
    """The alert in words: the figures of the windows that raised it (they justify raising it).

    ``whole``: all its windows, when it ran on past those; their figures follow in one
    clause, since a drift that grows is worse than the windows that raised it.
    """
    first = run[0]
    n, mean, rate = _figures(run).values()
    start = dt.date.fromisoformat(first["start"])
    since = _since(start, window, lang)
    contiguous = before is not None and _contiguous([*before.get("window_starts", ()), first["start"]], window)
    if lang == "it":
        who = f"{by_words(by or '', lang)} {group_words(group, by, lang)}: " if group is not None else ""
        if before:
            k = before["windows"]
            more = " ancora di più" if further else ""
            text = (f"{who}{since} la scrittura si è allontanata{more} dalla voce del brand, con un punteggio medio "
                    f"di {mean:.0f} e {article_it(f'{rate:.0%}')} fuori voce su {count(n, lang)} post, contro "
                    f"{before['mean_score']:.0f} e {article_it(format(before['off_voice_rate'], '.0%'))} "
                    f"{_windows_before_it(k, window, contiguous)} "
                    f"({_since(dt.date.fromisoformat(before['since']), window, lang)}; i testi del brand: 50 e circa "
                    f"il 5%)")
        elif round(mean) >= 50:  # raised by the posts off-voice: the mean, as high as the brand's, comes second
            text = (f"{who}deriva rispetto alla voce del brand {since}: {rate:.0%} fuori voce (i testi del brand: "
                    f"circa il 5%) su {count(n, lang)} post, anche se il punteggio medio è {mean:.0f} (i testi del "
                    f"brand: 50)")
        else:
            text = (f"{who}deriva rispetto alla voce del brand {since}: punteggio medio {mean:.0f} (i testi del brand: "
                    f"50), {rate:.0%} fuori voce (i testi del brand: circa il 5%) su {count(n, lang)} post")
    elif before:
        who = f"{by} {group_words(group, by)}: " if group is not None else ""
        k = before["windows"]
        how = "further from" if further else "away from"
        tested = "" if contiguous else "tested "
        text = (f"{who}the writing moved {how} the brand's voice {since}: "
                f"mean score {mean:.0f}, {rate:.0%} off-voice over {n} posts, against {before['mean_score']:.0f} "
                f"and {before['off_voice_rate']:.0%} in the {k if k > 1 else ''}{' ' if k > 1 else ''}{tested}{window}"
                f"{'' if k == 1 else 's'} before (from "
                f"{describe_window(dt.date.fromisoformat(before['since']), window)}; the brand's own writing: 50 and "
                f"about 5%)")
    else:
        who = f"{by} {group_words(group, by)}: " if group is not None else ""
        if round(mean) >= 50:  # raised by the posts off-voice (a mixed window): they lead, the mean follows
            text = (f"{who}drift from the brand's voice {since}: {rate:.0%} off-voice (the brand's own: about 5%) "
                    f"over {n} posts, though the mean score is {mean:.0f} (the brand's own writing: 50)")
        else:
            text = (f"{who}drift from the brand's voice {since}: mean score {mean:.0f} "
                    f"(the brand's own writing: 50), {rate:.0%} off-voice (the brand's own: about 5%) over {n} posts")
    # The feature clause is the raising windows' (as are the figures before it): it comes before
    # the whole-alert clause, so that it does not read as a figure of the whole alert.
    feats = [_without_since(f, window, lang) for w in run for f in w.get("top_features", [])]
    if feats:
        # a feature's "from" is the brand's figure, not the earlier windows' a "worse" alert compared with
        against = ("rispetto ai testi del brand, " if lang == "it" else "against the brand's own writing, ") if before \
            else ""
        text += "; " + against + feats[0]
    if whole:
        all_n, all_mean, all_rate = _figures(whole).values()
        starts = _each_start(whole)  # small windows tested together count one by one
        span = _describe_span(start, dt.date.fromisoformat(starts[-1]), window, lang)
        if not _contiguous(starts, window):  # windows too small to test lie between
            if lang == "it":
                span += f", {window_words(len(starts), window, lang)} {_examined_it(len(starts), window)}"
            else:
                span += f", {counted(len(starts), f'tested {window}')}"
        if lang == "it":
            text += (f"; nell'intera segnalazione ({span}, {count(all_n, lang)} post): punteggio medio "
                     f"{all_mean:.0f}, {all_rate:.0%} fuori voce")
        else:
            text += (f"; over the whole alert ({span}, {all_n} posts): mean score {all_mean:.0f}, "
                     f"{all_rate:.0%} off-voice")
    return text


def _without_since(f: Mapping[str, Any], window: str, lang: str) -> str:
    """A moved feature's message without the 'since' clause ``_add_since`` gave it (the alert says since when).

    The clause is rebuilt from the feature's ``since`` and cut off the end, so this reads no
    language back. A feature without ``since`` (a group's, or one made by hand) has no clause,
    except an English message made before features kept ``since``: that one is cut at ' since '.
    """
    text = f["message"]
    if f.get("since"):
        clause = " " + _since(dt.date.fromisoformat(f["since"]), window, lang)
        if text.endswith(clause):
            return text[:-len(clause)]
        return text.replace(clause + ": ", ": ", 1)  # the length of posts says it before its figures
    return text.split(" since ")[0] if lang == "en" else text


def _examined_it(n: int, window: str) -> str:
    """'esaminata', 'esaminati'...: the participle agreeing with ``n`` Italian windows."""
    return ("esaminata" if n == 1 else "esaminate") if feminine(window) else ("esaminato" if n == 1 else "esaminati")


def _windows_before_it(k: int, window: str, contiguous: bool) -> str:
    """'nelle 4 settimane precedenti', 'nel mese precedente', 'nelle 4 settimane esaminate in precedenza' (windows
    too small to test lie between them)."""
    one, many, feminine = _WINDOW_IT.get(window, ("periodo", "periodi", False))
    when = ("precedente" if k == 1 else "precedenti") if contiguous else f"{_examined_it(k, window)} in precedenza"
    if k == 1:
        return f"{'nella' if feminine else 'nel'} {one} {when}"
    if feminine:
        return f"nelle {k} {many} {when}"
    return f"{article_it(str(k), 'in', plural=True)} {many} {when}"  # 'nei 4 mesi', 'negli 8 mesi'


def _contiguous(starts: Sequence[str], window: str) -> bool:
    """Whether windows follow one another with none left out (an untested window between them breaks it)."""
    days = [dt.date.fromisoformat(s) for s in starts]
    return all(window_end(a, window) == b for a, b in zip(days, days[1:]))


def _one_spelling(rows: Sequence[Mapping[str, Any]], by: str) -> list[Mapping[str, Any]]:
    """``rows`` with each group named one way: its most common spelling among those that differ only in case.

    Why: two tools seldom write a channel alike ("Instagram" and "instagram"), and a report over both
    exports showed the same writing as two groups, each with half its posts (a user review).
    """
    spellings: dict[str, Counter[str]] = {}
    for r in rows:
        if r.get(by) is not None:
            spellings.setdefault(str(r[by]).casefold(), Counter())[str(r[by])] += 1
    name = {key: forms.most_common(1)[0][0] for key, forms in spellings.items() if len(forms) > 1}
    if not name:
        return list(rows)
    return [{**r, by: name[str(r[by]).casefold()]} if r.get(by) is not None and str(r[by]).casefold() in name
            else r for r in rows]


def _group_of(r: Mapping[str, Any], by: str) -> str:
    """The post's group for ``--by`` (posts without the field form the group '(none)')."""
    return str(r.get(by)) if r.get(by) is not None else NO_GROUP


def _lowest_first(r: Mapping[str, Any]) -> tuple:
    return float(r["score"]), str(r.get("date") or ""), str(r.get("id") or "")


def _between_alerts(windows: Sequence[Mapping[str, Any]], alerts: Sequence[Mapping[str, Any]],
                    exponent: float) -> dict[str, Any] | None:
    """The tested windows outside every alert, pooled and tested: are they clean, or is the writing off throughout?

    A drift that starts somewhere leaves the windows before it clean. When the writing sits
    away from the profile all along (a profile that no longer matches the brand's own
    writing), alerts come and go and the windows between them, pooled, are not clean either.
    No effect-size floor here: this does not raise an alert, it only says what to check.
    """
    if not alerts:
        return None
    covered = {s for a in alerts for s in a["window_starts"]}
    outside = [w for w in windows if w.get("drift") is not None and w["start"] not in covered]
    if len(outside) < 2:
        return None
    p = typicality_test(functools.reduce(pool, [w["stats"] for w in outside]), exponent)["p_value"]
    return {"windows": sum(len(w.get("run", [w["start"]])) for w in outside), "p_value": _round_p(p),
            "drift": bool(p < ALPHA)}


def _examples(alert: Mapping[str, Any], scored_in: Mapping[str, Sequence[Mapping[str, Any]]],
              by: str | None, lang: str = "en") -> list[dict[str, Any]]:
    """The alert's least typical posts (of its group, if any), each with its main reason: what to read first.

    Among the off-voice posts about as low as the lowest (within ``EXAMPLE_VARIETY_WITHIN``
    of its score), one per main reason first (lowest score first), so that the examples show
    the different ways the writing moved rather than three of the same; then the
    lowest-scoring of the rest. Variety never brings in a post that scores clearly higher
    than ones left out: the examples are the posts that drive the alert. A reason stored in
    another language than the report's (``explained_in``) is restated in the report's.
    """
    from .scoring import restate_reason

    group = alert.get("group")
    posts = [r for start in alert["window_starts"] for r in scored_in.get(start, ())
             if group is None or _group_of(r, by) == group]
    posts.sort(key=_lowest_first)

    def main_reason(r: Mapping[str, Any]) -> Mapping[str, Any] | None:
        return next((x for x in r.get("reasons") or () if isinstance(x, Mapping) and x.get("message")), None)

    picked: list[Mapping[str, Any]] = []
    seen: set[Any] = set()
    lowest = float(posts[0]["score"]) if posts else 0.0
    for r in (r for r in posts if float(r["score"]) < min(OFF_VOICE_BELOW, lowest + EXAMPLE_VARIETY_WITHIN)):
        reason = main_reason(r)
        feature = reason.get("feature") if reason else None
        if feature not in seen:
            seen.add(feature)
            picked.append(r)
        if len(picked) == MAX_EXAMPLES:
            break
    chosen = {id(r) for r in picked}
    picked += [r for r in posts if id(r) not in chosen][:MAX_EXAMPLES - len(picked)]
    picked.sort(key=_lowest_first)
    out = []
    for r in picked:
        reason = main_reason(r)
        said = reason.get("message") if reason else None
        if reason and r.get("explained_in") not in (None, lang):
            said = restate_reason(reason, lang)
        example = {"id": r.get("id"), "date": r.get("date"), "score": r["score"], "verdict": r.get("verdict"),
                   "reason": said}
        if by:
            example[by] = r.get(by)
        out.append(example)
    return out


# ---------------------------------------------------------------------- summaries
#: What a window's test says, after its figures; the same verdicts in each language.
_WINDOW_VERDICT = {
    "en": {"worse": "moving away from the brand's voice (clear against the report's earlier windows)",
           "pooled": "drifting from the brand's voice (clear together with the window next to it)",
           "small": "drifting from the brand's voice (clear together with the small windows next to it)",
           "small_clean": "no clear drift from the brand's voice (tested together with the small windows next to it)",
           "drift": "drifting from the brand's voice ({p})",
           "below": "a little below the brand's own writing, not enough to call it drift",
           "none": "no clear drift from the brand's voice",
           "low_power": " (fewer than {n} posts: only a large drift would show)"},
    "it": {"worse": "si sta allontanando dalla voce del brand (lo mostra il confronto con i periodi precedenti del "
                    "report)",
           "pooled": "si allontana dalla voce del brand (evidente insieme al periodo accanto)",
           "small": "si allontana dalla voce del brand (evidente insieme ai periodi piccoli accanto)",
           "small_clean": "nessuna deriva evidente rispetto alla voce del brand (verificato insieme ai periodi piccoli "
                          "accanto)",
           "drift": "si allontana dalla voce del brand ({p})",
           "below": "un po' al di sotto dei testi del brand, ma non abbastanza per parlare di deriva",
           "none": "nessuna deriva evidente rispetto alla voce del brand",
           "low_power": " (meno di {n} post: si vedrebbe solo una deriva ampia)"},
}


def _window_summary(w: Mapping[str, Any], lang: str = "en") -> str:
    """The window in one plain sentence; its posts add up to the window's count, too-short ones and
    those the profile learned from included."""
    status = w["status"]
    learned = w.get("learned", 0)
    short = w.get("too_short", w["n"] - w["n_scored"] - learned)
    if status == "learned":
        return all_learned(learned, short, lang)
    if status == "empty":
        return ("no posts" if lang != "it" else "nessun post") if not w["n"] else all_too_short(w["n"], lang)
    head = _window_head_it(w, short, learned) if lang == "it" else _window_head(w, short, learned)
    if status == "too-few-posts":
        if w.get("evidence") != SMALL_TOGETHER:
            return head
        return f"{head}: {_WINDOW_VERDICT['it' if lang == 'it' else 'en']['small' if w['drift'] else 'small_clean']}"
    if w["drift"]:
        key = ("worse" if w.get("evidence") == "against the earlier windows"
               else "pooled" if w.get("evidence") else "drift")
    else:
        key = "below" if w["p_value"] < ALPHA else "none"
    say = _WINDOW_VERDICT["it" if lang == "it" else "en"]
    text = f"{head}: {say[key].format(p=p_text(w['p_value'], lang=lang))}"
    if status == "low-power" and not w["drift"]:  # said of a drifting window, it read as if the drift were in doubt
        text += say["low_power"].format(n=LOW_POWER_BELOW)
    if w.get("top_features"):
        text += "; " + "; ".join(f["message"] for f in w["top_features"][:2])
    return text


def not_tested(short: int, learned: int, lang: str = "en") -> list[str]:
    """The posts of a window or group that were not tested, and why: ['4 too short to score', '12 the profile
    learned from'] ('3 troppo brevi per essere valutati', '1 già appreso dal profilo'); [] for none."""
    if lang == "it":
        return ([("1 troppo breve per essere valutato" if short == 1
                  else f"{count(short, 'it')} troppo brevi per essere valutati")] * bool(short)
                + [("1 già appreso dal profilo" if learned == 1
                    else f"{count(learned, 'it')} già appresi dal profilo")] * bool(learned))
    return [f"{short} too short to score"] * bool(short) + [f"{learned} the profile learned from"] * bool(learned)


def _window_head(w: Mapping[str, Any], short: int, learned: int = 0) -> str:
    """A window's posts and figures: '30 posts, mean score 52, 7% off-voice' (or why it was not tested)."""
    left = not_tested(short, learned)
    also = f" (and {', '.join(left)})" if left else ""
    posts = counted(w["n_scored"], "scored post" if short else "post")
    if w["status"] == "too-few-posts":
        alone = ("too few to test alone" if w.get("evidence") == SMALL_TOGETHER
                 else f"too few to test (at least {MIN_POSTS} are needed)")
        return f"{counted(w['n_scored'], 'scored post')}{also}: {alone}; mean score {w['mean_score']:.0f}"
    return f"{posts}{also}, mean score {w['mean_score']:.0f}, {w['off_voice_rate']:.0%} off-voice"


def _window_head_it(w: Mapping[str, Any], short: int, learned: int = 0) -> str:
    """``_window_head`` in Italian: its counts agree with their nouns ('1 post valutato', '3 troppo brevi')."""
    left = not_tested(short, learned, "it")
    also = f" (e {', '.join(left)})" if left else ""
    scored = how_many(w["n_scored"], "post valutato", "post valutati", "it")
    if w["status"] == "too-few-posts":
        few = "non basta" if w["n_scored"] == 1 and not also else "troppo pochi"  # not "1 post valutato: troppo pochi"
        together = w.get("evidence") == SMALL_TOGETHER
        alone = (f"{few} per il test da {'solo' if few == 'non basta' else 'soli'}" if together
                 else f"{few} per il test (ne servono almeno {MIN_POSTS})")
        return f"{scored}{also}: {alone}; punteggio medio {w['mean_score']:.0f}"
    return (f"{scored if short else how_many(w['n_scored'], 'post', 'post', 'it')}{also}, punteggio medio "
            f"{w['mean_score']:.0f}, {w['off_voice_rate']:.0%} fuori voce")


def all_learned(learned: int, short: int = 0, lang: str = "en") -> str:
    """What a window or group holding only posts the profile learned from (and too-short ones) says."""
    if lang == "it":
        text = ("1 post già appreso dal profilo" if learned == 1
                else f"{count(learned, lang)} post già appresi dal profilo")
        if short:
            text += " e 1 troppo breve" if short == 1 else f" e {count(short, lang)} troppo brevi"
        return f"{text}: nessun test"
    text = counted(learned, "post") + " the profile learned from"
    if short:
        text += f" and {short} too short to score"
    return f"{text}: not tested"


def all_too_short(n: int, lang: str = "en") -> str:
    """What a window or group whose posts were all too short to score says, rather than 'no posts'."""
    if lang == "it":
        return ("1 post, troppo breve per essere valutato" if n == 1
                else f"{count(n, lang)} post, tutti troppo brevi per essere valutati")
    return "1 post, too short to score" if n == 1 else f"{n} posts, all too short to score"


def _writing(alert: Mapping[str, Any], *, short: bool = False, lang: str = "en") -> str:
    """Which writing an alert is about: 'all posts taken together' ("l'insieme dei post"), or "the posts of source
    'agency'" ("source 'agency'"). Never plain 'all posts', which reads as every post drifting."""
    if "group" not in alert:
        return "l'insieme dei post" if lang == "it" else "all posts taken together"
    name = group_words(alert["group"], alert["by"], lang)
    if short:
        return f"{by_words(alert['by'], lang)} {name}"
    if lang == "it":
        return f"i post {by_words(alert['by'], lang, of=True)} {name}"
    return f"the posts of {alert['by']} {name}"


def _headline(alert: Mapping[str, Any], window: str, lang: str = "en") -> str:
    """'Drift found in all posts taken together since June 2026: mean score 25 ...': the alert's message, saying
    which writing.

    The message's lead ('drift from the brand's voice since June 2026: ') is rebuilt from the
    alert's start and group, in the report's language, and replaced: nothing is read back.
    """
    message = alert["message"]
    who = (f"{by_words(alert['by'], lang)} {group_words(alert['group'], alert['by'], lang)}: " if "group" in alert
           else "")
    if message.startswith(who):
        message = message[len(who):]
    since = _since(dt.date.fromisoformat(alert["start"]), window, lang)
    if lang == "it":
        lead = f"deriva rispetto alla voce del brand {since}: "
        where = ("nell'insieme dei post" if "group" not in alert
                 else f"nei post {by_words(alert['by'], lang, of=True)} {group_words(alert['group'], alert['by'], lang)}")
        if message.startswith(lead):
            return f"Deriva rilevata {where} {since}: {message[len(lead):]}"
        if message.startswith(f"{since} "):  # a "worse" alert says since when first
            return f"Deriva rilevata {where} {since}: {message[len(since) + 1:]}"
        return f"Deriva rilevata {where}: {message}"
    lead = f"drift from the brand's voice {since}: "
    if message.startswith(lead):
        return f"Drift found in {_writing(alert)} {since}: {message[len(lead):]}"
    return f"Drift found in {_writing(alert)}: {message}"


def _listed(items: Sequence[str], lang: str = "en") -> str:
    """'a, b and c' ('a, b e c')."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {'e' if lang == 'it' else 'and'} {items[-1]}"


def _further(alert: Mapping[str, Any], window: str, lang: str = "en") -> str:
    """A "worse" alert as the summary names it: "all posts taken together since July 2026, where the writing moved
    further from the voice (mean score 9, against 27 before)"."""
    since = f"{_writing(alert, short=True, lang=lang)} {_since(dt.date.fromisoformat(alert['start']), window, lang)}"
    now, then = alert["after"]["mean_score"], alert["before"]["mean_score"]
    if lang == "it":
        return (f"{since}, dove la scrittura si è allontanata ancora di più dalla voce (punteggio medio {now:.0f}, "
                f"contro {then:.0f} di prima)")
    return f"{since}, where the writing moved further from the voice (mean score {now:.0f}, against {then:.0f} before)"


def _in_brief(alert: Mapping[str, Any], lang: str = "en") -> str:
    """" (mean score 25, 67% off-voice over 60 posts)": an alert's figures over all its windows, so that the summary
    says how far each writing it names moved ("1 more alert: source 'agency' since July 2026" hid the one fact a
    manager acts on, beside pooled figures that looked harmless: a brand manager's review)."""
    overall = alert.get("overall")
    if not isinstance(overall, Mapping) or overall.get("mean_score") is None:
        return ""
    pct = f"{100 * overall['off_voice_rate']:.0f}%"
    if lang == "it":
        return (f" (punteggio medio {overall['mean_score']:.0f}, {pct} fuori voce su "
                f"{how_many(overall['n_scored'], 'post', 'post', lang)})")
    return f" (mean score {overall['mean_score']:.0f}, {pct} off-voice over {counted(overall['n_scored'], 'post')})"


def _other_alerts(others: Sequence[Mapping[str, Any]], window: str,
                  further: Mapping[str, Any] | None = None, lang: str = "en") -> str:
    """" 4 more alerts: author 'sara' since May 2026, author 'luca' since June 2026, author 'anna' since June 2026 and
    1 other." At most three named by their writing and start, then how many others: the count is of what is named.

    ``further``: one of them, where the writing of the summary's first alert moved further from the voice: named
    after those three, never among the others, with its mean score before and after.
    """
    if not others:
        return ""
    rest = [a for a in others if a is not further]
    named = [f"{_writing(a, short=True, lang=lang)} {_since(dt.date.fromisoformat(a['start']), window, lang)}"
             f"{_in_brief(a, lang)}" for a in rest[:3]]
    if further is not None:
        named.append(_further(further, window, lang))
    hidden = len(rest) - len(rest[:3])  # counted last: "..., A since May and 2 others"
    if hidden and lang == "it":
        named.append("un'altra" if hidden == 1 else f"altre {count(hidden, lang)}")
    elif hidden:
        named.append(counted(hidden, "other"))
    if lang == "it":
        lead = ("C'è un'altra segnalazione" if len(others) == 1
                else f"Ci sono altre {count(len(others), lang)} segnalazioni")
    else:
        lead = counted(len(others), "more alert")
    return f" {lead}: {_listed(named, lang)}."


def _report_summary(report: Mapping[str, Any]) -> str:
    """The report in a few sentences: whether drift was found, in which writing and since when (the earliest alert)."""
    lang = report.get("explained_in", "en")
    windows = report["windows"]
    if not windows:
        return _nothing_to_test(report, lang)
    tested = [w for w in windows if w["drift"] is not None]
    # Small windows tested together are counted apart: "52 with enough posts to test" had been said of a year of
    # weeks of 1 to 4 posts, each "too few to test alone" in the table (a review).
    alone = [w for w in tested if w.get("status") != "too-few-posts"]
    together = len(tested) - len(alone)
    if lang == "it":
        fem = feminine(report["window"])
        none = "nessuna" if fem else "nessuno"  # "in 3 settimane, nessuna con ..."
        new = " nuovi" if report.get("learned") else ""  # the posts the profile learned from are not tested
        head = (f"{how_many(report['n_dated'], 'post con data', 'post con data', lang)} in "
                f"{window_words(len(windows), report['window'], lang)}, "
                f"{count(len(alone), lang) if alone else none} con abbastanza post{new} per il test")
        if together:
            part = ("verificata" if together == 1 else "verificate") if fem else (
                "verificato" if together == 1 else "verificati")
            head += f"; {window_words(together, report['window'], lang)} con meno post, {part} insieme"
    else:
        new = " new" if report.get("learned") else ""
        head = (f"{counted(report['n_dated'], 'dated post')} in {counted(len(windows), report['window'])}, "
                f"{len(alone)} with enough{new} posts to test")
        if together:
            head += f"; {counted(together, report['window'])} with fewer, tested together"
    alerts = _in_lead_order(report["alerts"])
    if alerts:  # the earliest first (_earliest_alert): it answers "since when"
        first, others = alerts[0], alerts[1:]
        further = next((a for a in others if a["kind"] == "worse" and a.get("group") == first.get("group")), None)
        text = (f"{head}. {_headline(first, report['window'], lang)}."
                f"{_other_alerts(others, report['window'], further, lang)}")
        return text + _from_start_advice(first, report)
    if not tested and report.get("learned") and not any(w["n_scored"] for w in windows):
        return f"{head}. {_learned_words(report['learned'], report['n_dated'], lang)}"
    if not tested:  # longer windows gather more posts each: say so
        if lang == "it":
            per = {"day": "al giorno", "week": "a settimana", "month": "al mese"}.get(report["window"], "per periodo")
            longer = {"day": ": prova con periodi settimanali o mensili", "week": ": prova con periodi mensili"}
            return f"{head}. Troppo pochi post {per} per verificare una deriva{longer.get(report['window'], '')}."
        longer = {"day": ": try weekly or monthly windows", "week": ": try monthly windows"}
        return f"{head}. Too few posts per {report['window']} to test for drift{longer.get(report['window'], '')}."
    if lang == "it":
        return f"{head}. Nessuna deriva rispetto alla voce del brand."
    return f"{head}. No drift from the brand's voice."


#: What a report against a profile saved before it kept the digests of its posts says (``learned_texts.npy``).
_UNKNOWN_LEARNED = {
    "en": "This profile was saved by an earlier voicecheck, which did not keep track of the posts it learned from: "
          "any of them in this report are tested as new writing, and score higher than new writing would. Learn "
          "the profile again to leave them out.",
    "it": "Questo profilo è stato salvato da una versione precedente di voicecheck, che non teneva traccia dei post "
          "da cui il profilo ha imparato: se il report ne contiene, sono verificati come testi nuovi e hanno "
          "punteggi più alti di quelli che avrebbero dei testi nuovi. Per escluderli, conviene apprendere di nuovo il "
          "profilo.",
}


def _no_group_field(by: str, lang: str) -> str:
    """The summary's sentence when no post has the field the report is broken down by."""
    if lang == "it":
        return (f"Nessun post ha il campo \"{by}\": la suddivisione per {by_words(by, lang)} ha un solo gruppo, "
                f"{group_words(NO_GROUP, by, lang)}.")
    return f"No post has the field \"{by}\": the breakdown by {by} has one group, {group_words(NO_GROUP, by, lang)}."


def _learned_words(learned: int, n_dated: int, lang: str) -> str:
    """Why the posts the profile learned from are not tested: the sentence the summary adds."""
    if lang == "it":
        why = "un profilo dà punteggi più alti ai testi da cui ha imparato che a quelli nuovi"
        if learned == n_dated:
            every = ("L'unico post è già stato appreso" if learned == 1 else
                     "Entrambi i post sono già stati appresi" if learned == 2 else
                     f"Tutti {article_it(count(learned, lang), plural=True)} post sono già stati appresi")
            return (f"{every} dal profilo, quindi non c'è nulla da verificare: {why}. Il report serve per i testi "
                    "scritti dopo, che il profilo non ha visto.")
        which = ("1 post è già stato appreso" if learned == 1 else
                 f"{count(learned, lang)} post sono già stati appresi")
        return f"{which} dal profilo {'ed è escluso' if learned == 1 else 'e sono esclusi'} dai test: {why}."
    why = "a profile scores the writing it learned from higher than new writing"
    if learned == n_dated:
        every = ("The one post is" if learned == 1 else "Both posts are" if learned == 2
                 else f"All {learned} posts are")
        return (f"{every} among those the profile learned from, so there is nothing to test: {why}. Report on "
                "writing the profile has not seen.")
    which = "1 post is one" if learned == 1 else f"{learned} posts are ones"
    return f"{which} the profile learned from, left out of the tests: {why}."


def _nothing_to_test(report: Mapping[str, Any], lang: str) -> str:
    """The summary of a report without windows: no posts, none dated, or none dated in the period asked for."""
    n, undated = report["n_posts"], report["undated"]
    if lang == "it":
        if not n:
            return "Non ci sono post da analizzare."
        if undated == n:
            which = ("Il post non ha una data" if n == 1 else
                     f"Nessuno {article_it(count(n, lang), 'di', plural=True)} post ha una data")
            return (f"{which}, quindi non c'è nulla da suddividere in periodi: serve una data per ogni post (un "
                    f"campo 'date' in JSON Lines o CSV, in formato ISO 8601).")
        dated = n - undated
        outside = ("l'unico post con data ne resta fuori" if dated == 1 else
                   "entrambi i post con data ne restano fuori" if dated == 2 else
                   f"tutti {article_it(count(dated, lang), plural=True)} post con data ne restano fuori")
        period = period_words(report.get("since"), report.get("until"), lang)
        return f"Nessun post ha una data nel periodo richiesto ({period}): {outside}."
    if not n:
        return "No posts to report on."
    if undated == n:
        which = "The post has no date" if n == 1 else f"None of the {n} posts has a date"
        return (f"{which}, so there is nothing to put in windows: give each post a "
                f"date (a 'date' field in JSON Lines or CSV, ISO 8601).")
    outside = "the one dated post falls" if n - undated == 1 else f"all {n - undated} dated posts fall"
    period = period_words(report.get("since"), report.get("until"), lang)
    return f"No post is dated within the period asked for ({period}): {outside} outside it."


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


def _learned_day(learned: str, lang: str) -> str:
    """The day a profile was learned, as a sentence shows it: 'on 30 June 2025', 'il 30 giugno 2025'."""
    try:
        written = day_text(dt.date.fromisoformat(learned), lang)
    except ValueError:
        return learned
    return article_it(written) if lang == "it" else f"on {written}"


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


def _earliest_alert(report: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The alert the summary leads with (``_in_lead_order``)."""
    alerts = _in_lead_order(report["alerts"])
    return alerts[0] if alerts else None


def _in_lead_order(alerts: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Alerts in the order the summary names them: the earliest first; on the same start, the one group whose
    writing drifted then, then all posts, then the other groups by name.

    Why the group first: with --by source, "drift found in all posts taken together since June" led a report
    whose in-house posts stayed put every month, and the agency's alert came second (a brand manager's review).
    When two or more groups drift from the same start, all posts together say it best, and lead.
    """
    groups_on = Counter(a["start"] for a in alerts if "group" in a)
    return sorted(alerts, key=lambda a: (a["start"], not ("group" in a and groups_on[a["start"]] == 1),
                                         "group" in a, a.get("group") or ""))


def advises_relearning(report: Mapping[str, Any]) -> bool:
    """Whether the summary advises learning a new version of the profile (``relearn_advised`` in the JSON).

    When the earliest alert starts with the first window that could be tested, or the
    windows between the alerts, pooled, drift too: the writing may sit away from the profile
    throughout. Tools read this rather than the summary's words, which are in either language.
    """
    alert = _earliest_alert(report)
    if alert is None or _not_learned_sources(alert, report):
        return False
    between = (report.get("between_alerts") if "group" not in alert
               else (report.get("between_alerts_by") or {}).get(alert["group"]))
    return bool(alert.get("from_first_tested") or (between and between["drift"]))


def _not_learned_sources(alert: Mapping[str, Any], report: Mapping[str, Any]) -> bool:
    """Every post of the alert comes from a source the profile did not learn from (an agency's, when it learned
    the in-house posts): learning again from them would learn the drift itself (a bakery's review)."""
    learned, sources = report["profile"].get("learned_sources"), alert.get("sources")
    # "Inhouse" and "inhouse" are one source, as a report groups them
    return bool(learned and sources and not {s.casefold() for s in sources} & {s.casefold() for s in learned})


def _from_start_advice(alert: Mapping[str, Any], report: Mapping[str, Any]) -> str:
    """What to check when the writing differs from the profile from the first window on, or throughout."""
    lang = report.get("explained_in", "en")
    learned = str(report["profile"].get("learned_at") or "")[:10]
    between = (report.get("between_alerts") if "group" not in alert
               else (report.get("between_alerts_by") or {}).get(alert["group"]))
    period = learned_period_words(report["profile"].get("learned_period"), lang)
    if _not_learned_sources(alert, report):  # no advice to learn from writing the profile was not learned from
        if not alert.get("from_first_tested"):
            return ""
        return (" È presente fin dal primo periodo che si è potuto verificare, quindi potrebbe essere iniziata prima."
                if lang == "it" else " It is there from the first window that could be tested, so it may have begun "
                                     "earlier.")
    if lang == "it":
        when = (f" (appreso dai post {period})" if period
                else f" (appreso {_learned_day(learned, lang)})" if learned else "")
        relearn = (f"questi post sono testi approvati del brand, il profilo{when} non li rispecchia più: conviene "
                   f"apprenderne una nuova versione dai testi recenti.")
        if alert.get("from_first_tested"):
            return (f" È presente fin dal primo periodo che si è potuto verificare, quindi potrebbe essere iniziata "
                    f"prima; oppure, se {relearn}")
        if between and between["drift"]:
            k = between["windows"]
            pooled = p_text(between["p_value"], lang=lang)
            return (f" Neanche {article_it(str(k), plural=True)} periodi verificati fuori dalle segnalazioni sono in "
                    f"linea con il profilo (presi insieme, {pooled}): la scrittura se ne discosta per tutto l'arco del "
                    f"report, non da un certo momento in poi. Se {relearn}")
        return ""
    when = (f" (learned from posts {period})" if period
            else f" (learned {_learned_day(learned, lang)})" if learned else "")
    relearn = (f"these posts are the brand's own approved writing, the profile{when} no longer matches it:"
               f" learn a new version from recent writing.")
    if alert.get("from_first_tested"):
        return (f" It is there from the first window that could be tested, so it may have begun earlier; or, if"
                f" {relearn}")
    if between and between["drift"]:
        return (f" The {between['windows']} tested windows outside the alerts are not clean either (pooled, "
                f"{p_text(between['p_value'])}): the writing sits away from the profile throughout, rather than from "
                f"one point on. If {relearn}")
    return ""


# ---------------------------------------------------------------------- the report
def drift_report(results: Sequence[ScoreResult | Mapping[str, Any]], profile: VoiceProfile, *, window: str = "week",
                 by: str | None = None, since: Any = None, until: Any = None,
                 explain_in: str | None = None, keep_latest: bool = False) -> dict[str, Any]:
    """The DriftReport (docs/reference.md) of scored posts against ``profile``, the frozen reference.

    ``explain_in``: the language of every sentence in it ("en" or "it"; None: the profile's
    language when voicecheck speaks it, else English), said in ``explained_in``. Why: the
    brand's own people read it. Field names, feature names, verdicts, ``evidence``, dates
    and numbers are the same in every language; example reasons are the scores' own, restated
    from their fields when a post was scored in the other language (``explained_in``).

    ``results``: ScoreResult objects or their dicts (``to_dict(with_style=True)``).
    ``since`` and ``until`` (ISO dates, dates or datetimes) keep posts dated from
    ``since`` to ``until``, both days included; each window says in ``partial``
    whether they cut it (such a window does not raise a "worse" alert on its
    own). Undated posts are left out and
    counted in ``undated``. Posts are taken as given: one given twice counts twice (``corpus.distinct_posts``
    drops repeats before scoring, as ``voicecheck report`` does); a row that is not a scored post (a NaN
    score, an unknown verdict) is an ``InputError`` naming it. Posts scored by another version of the profile (their
    ``profile.version``) were judged against another reference: they are left out
    and counted in ``other_versions``, as the service does.

    Posts spanning more than MAX_WINDOWS windows are an ``InputError`` naming the earliest and
    latest (a file with a wrong date can be fixed). With ``keep_latest`` and no ``since``, the
    report keeps the latest MAX_WINDOWS windows instead and says what it left out
    (``left_before``): a service's stored history cannot be edited, and one post stored with a
    placeholder date (a CMS's 0001-01-01) would otherwise make every such report an error. With
    ``keep_latest`` and no ``until``, posts dated more than AHEAD_AT_MOST_DAYS ahead are left out too
    (``left_after``), as one mistyped year would otherwise be the latest window.
    """
    if callable(getattr(profile, "_check_fitted", None)):
        profile._check_fitted()  # a VoiceProfile not learned yet: NotFittedError, as scoring says it
    if not isinstance(getattr(profile, "info", None), Mapping):  # a folder path, or None, where a profile goes
        raise InputError(f"profile must be a VoiceProfile (load one with VoiceProfile.load(path)), got "
                         f"{type(profile).__name__}", field="profile")
    if window not in WINDOWS:
        raise InputError(f"window must be one of {', '.join(WINDOWS)} (got {window!r})")
    if by not in (None, *BY):
        raise InputError(f"by must be one of {', '.join(BY)} (got {by!r})")
    lang = explain_language(explain_in, getattr(profile, "lang_", None) or (getattr(profile, "info", None) or {})
                            .get("lang") or "")
    lo, hi = report_period(since, until)
    exponent = null_exponent(profile)
    rows, others = _this_version(_rows(results), profile.info.get("version"))
    if by:
        rows = _one_spelling(rows, by)
    days = [(_as_day(r.get("date"), f"post {r.get('id', '?')}"), r) for r in rows]
    left_before: list[tuple[dt.date, Mapping[str, Any]]] = []
    left_after: list[tuple[dt.date, Mapping[str, Any]]] = []
    horizon = dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=AHEAD_AT_MOST_DAYS)
    if keep_latest and hi is None:
        left_after = sorted(((d, r) for d, r in days if d is not None and d > horizon), key=lambda x: x[0])
        days = [(d, r) for d, r in days if d is None or d <= horizon]
    if keep_latest and lo is None:
        lo = _latest_start([d for d, _ in days if d is not None and (hi is None or d <= hi)], window, hi)
        if lo is not None:
            left_before = sorted(((d, r) for d, r in days if d is not None and d < lo), key=lambda x: x[0])
    undated = sum(d is None for d, _ in days)
    dated = [(d, r) for d, r in days if d is not None and (lo is None or d >= lo) and (hi is None or d <= hi)]

    about = dict(profile.info)
    if getattr(profile, "learned_at_", None):
        about["learned_at"] = profile.learned_at_
    if getattr(profile, "learned_period_", None):
        about["learned_period"] = list(profile.learned_period_)
    if getattr(profile, "learned_sources_", None):
        about["learned_sources"] = list(profile.learned_sources_)
    report: dict[str, Any] = {
        "profile": about, "explained_in": lang, "window": window, "by": by,
        "since": lo.isoformat() if lo else None, "until": hi.isoformat() if hi else None,
        "n_posts": len(rows), "n_dated": len(dated), "undated": undated,
        "learned": _learned([r for _, r in dated]),
        "reference": dict(REFERENCE),
        "method": {"min_posts": MIN_POSTS, "low_power_below": LOW_POWER_BELOW, "alpha": ALPHA,
                   "strong_p": STRONG_P,
                   "test": _METHOD[lang]["test"],
                   "null_exponent": exponent,
                   "null_measured": getattr(profile, "drift_null_exponent_", None) is not None,
                   "null_reason": _null_reason(profile),
                   "null_off_voice_rate": round(_null_expectations(exponent)["off_voice"], 3),
                   "null_mean_score": round(_null_expectations(exponent)["mean"], 1),
                   "min_effect": {"surprise_at_least": MIN_SURPRISE, "mean_score_at_most": MAX_MEAN_SCORE,
                                  "off_voice_at_least": MIN_OFF_VOICE},
                   "alert": _METHOD[lang]["alert"]},
        "groups": [], "windows": [], "alerts": [], "between_alerts": None, "between_alerts_by": {},
        "untested_off_voice": [], "relearn_advised": False,
    }
    if not dated:
        report["summary"] = _report_summary(report)
        _note_left_after(report, left_after, horizon)
        if others:
            note_other_versions(report, others)
        return report

    first = window_start(lo or min(d for d, _ in dated), window)
    last = hi or max(d for d, _ in dated)
    check_span([(day, f"post {r.get('id', '?')}") for day, r in dated], window, since, until)
    buckets: dict[dt.date, list[Mapping[str, Any]]] = {}
    for day, r in dated:
        buckets.setdefault(window_start(day, window), []).append(r)
    groups = sorted({_group_of(r, by) for _, r in dated}) if by else []
    report["groups"] = groups

    windows: list[dict[str, Any]] = []
    scored_in: dict[str, list[Mapping[str, Any]]] = {}  # window start: the posts its test used
    start = first
    while start <= last:
        end = window_end(start, window)
        posts = buckets.get(start, [])
        scored = scored_in[start.isoformat()] = _scored(posts)
        # partial: --since/--until cut the window (its first or last days lie outside the period)
        partial = bool((lo and start < lo) or (hi and end - dt.timedelta(days=1) > hi))
        learned = _learned(posts)
        w: dict[str, Any] = {"start": start.isoformat(), "end": end.isoformat(), "partial": partial,
                             "n": len(posts), "too_short": len(posts) - len(scored) - learned, "learned": learned}
        w.update(window_test([r["score"] for r in scored], [r["verdict"] for r in scored], exponent))
        if learned and not scored:
            w["status"] = "learned"  # nothing to test but the posts the profile learned from
        if by:
            w["by"] = {}
            for g in groups:
                mine = [r for r in scored if _group_of(r, by) == g]
                part = window_test([r["score"] for r in mine], [r["verdict"] for r in mine], exponent)
                part.pop("tests", None)
                theirs = [r for r in posts if _group_of(r, by) == g]
                w["by"][g] = {"n": len(theirs), "learned": _learned(theirs), **part}
                if w["by"][g]["learned"] and not mine:
                    w["by"][g]["status"] = "learned"
        w["top_features"] = moved_features(scored, profile, limit=None, lang=lang) if len(scored) >= MIN_POSTS else []
        windows.append(w)
        start = end
    _add_since(windows, window, lang)  # over every feature that moved; then the largest few are the window's top
    for w in windows:
        w["top_features"], w["more_features"] = w["top_features"][:MAX_FEATURES], w["top_features"][MAX_FEATURES:]
    learned_since = min((w["start"] for w in windows if w["learned"]), default=None)
    # A group's alerts are those of all posts when it is the only group with posts to test (one group, or the
    # agency beside in-house posts the profile learned from): said once, and named as the group's. They had said
    # "all posts taken together" of the agency's posts alone (a brand manager's review).
    tested_groups = [g for g in groups if any(w["by"][g]["n_scored"] for w in windows)] if by else []
    sole = tested_groups[0] if len(tested_groups) == 1 and tested_groups[0] != NO_GROUP else None
    def features_of(posts: Mapping[str, Sequence[Mapping[str, Any]]]):
        """What moved in the posts of some windows: a run of small windows tested together says it too."""
        return lambda starts: moved_features([r for s in starts for r in posts[s]], profile, lang=lang)

    merged = _small_pooled(windows, exponent, features_of(scored_in))
    first_tested = _first_tested(merged)
    alerts = find_alerts(merged, window, exponent=exponent, lang=lang, learned_since=learned_since,
                         **({"group": sole, "by": by} if sole is not None else {}))
    report["between_alerts"] = _between_alerts(merged, alerts, exponent)
    if sole is not None and alerts and report["between_alerts"] is not None:
        report["between_alerts_by"][sole] = report["between_alerts"]
    _mark_pooled(windows, alerts, merged)
    if sole is not None:  # its by-group figures are those of all posts: marked alike (a diff review)
        series = [{**w["by"][sole], "start": w["start"]} for w in windows]
        _mark_pooled(series, alerts, merged, into=[w["by"][sole] for w in windows])
    for g in tested_groups if len(tested_groups) > 1 else []:
        # The group's own moved features: its alert says what changed in *its* writing (the agency's
        # exclamation marks), not what changed in all posts together.
        mine = {w["start"]: [r for r in scored_in[w["start"]] if _group_of(r, by) == g] for w in windows}
        series = [{**w["by"][g], "start": w["start"], "end": w["end"], "partial": w["partial"],
                   "top_features": moved_features(mine[w["start"]], profile, lang=lang)
                   if len(mine[w["start"]]) >= MIN_POSTS else []} for w in windows]
        merged_g = _small_pooled(series, exponent, features_of(mine))
        found = find_alerts(merged_g, window, group=g, by=by, exponent=exponent, lang=lang,
                            learned_since=learned_since, first_tested=first_tested)
        between = _between_alerts(merged_g, found, exponent)
        if between is not None:
            report["between_alerts_by"][g] = between
        _mark_pooled(series, found, merged_g, into=[w["by"][g] for w in windows])
        alerts += found
    for w in windows:
        w["summary"] = _window_summary(w, lang)
    report["windows"] = windows
    alerts.sort(key=lambda a: (a["start"], a.get("group") or ""))
    for a in alerts:
        a["examples"] = _examples(a, scored_in, by, lang)
        sources = [r.get("source") for s in a["window_starts"] for r in scored_in[s]
                   if "group" not in a or _group_of(r, by) == a["group"]]
        if sources and all(sources):  # where every post of the alert says where it comes from
            a["sources"] = sorted(set(sources))
    report["alerts"] = alerts
    report["untested_off_voice"] = _untested_off_voice(windows, alerts, by, groups if by else [], sole)
    report["summary"] = _report_summary(report)
    if report["untested_off_voice"]:
        report["summary"] += " " + _untested_words(report["untested_off_voice"], window, by, lang)
    if report["learned"] and any(w["n_scored"] for w in windows):
        report["summary"] += " " + _learned_words(report["learned"], report["n_dated"], lang)
    if by and groups == [NO_GROUP]:  # a typo, or a field this writing does not have: say so, not a lone "(none)"
        report["summary"] += " " + _no_group_field(by, lang)
    known = getattr(profile, "learned_texts_", None)
    if known is not None and not len(known):  # saved by a voicecheck that did not keep them
        report["summary"] += " " + _UNKNOWN_LEARNED["it" if lang == "it" else "en"]
    report["relearn_advised"] = advises_relearning(report)
    _note_left_before(report, left_before)
    _note_left_after(report, left_after, horizon)
    if others:
        note_other_versions(report, others)
    return report


#: Posts no test could judge are named in the summary when at least this many of them are off-voice, and at least
#: this share (``_untested_off_voice``): one off-voice post in a few is the brand's own writing 5% of the time.
UNTESTED_NOTE_MIN = 2
UNTESTED_NOTE_SHARE = 0.5


def _untested_off_voice(windows: Sequence[Mapping[str, Any]], alerts: Sequence[Mapping[str, Any]], by: str | None,
                        groups: Sequence[str], sole: str | None) -> list[dict[str, Any]]:
    """The writing (all posts, or with ``by`` each group) whose untested posts after its last alert (all of them,
    without one), from the first off-voice one, are at least half off-voice: how many, how many off-voice, their
    mean score, the windows they span.

    Why: an agency's monthly newsletter, three issues all scoring 1, never made the 5 posts a test needs within 4
    months, and the summary named only the other channels' alerts (a content lead's review); an agency's last two
    weeks, 3 posts scoring 0 after its alert ended, were only in the tables too (a social media lead's review).
    No p-value is claimed: the posts are named for a reader to read, as the tables already show them.
    """
    last_alerted: dict[str | None, str] = {}  # the latest window of each writing's alerts
    for a in alerts:
        for group in (a.get("group"), None) if sole is not None and a.get("group") == sole else (a.get("group"),):
            last_alerted[group] = max([last_alerted.get(group, ""), *a["window_starts"]])

    def untested(group: str | None, ws: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
        left = [w for w in ws if w.get("drift") is None and w.get("n_scored")
                and w["start"] > last_alerted.get(group, "")]
        # from the first that holds an off-voice post: "3 of 6 off-voice since June" had hidden that the 3 were
        # the latest issues
        left = left[next((i for i, w in enumerate(left) if w["off_voice_rate"]), len(left)):]
        n = sum(w["n_scored"] for w in left)
        off = sum(round(w["off_voice_rate"] * w["n_scored"]) for w in left)
        if off < UNTESTED_NOTE_MIN or off < UNTESTED_NOTE_SHARE * n:
            return None
        return {**({"group": group} if group is not None else {}), "n_scored": n, "off_voice": off,
                "mean_score": round(sum(w["mean_score"] * w["n_scored"] for w in left) / n, 1),
                "first": left[0]["start"], "last": left[-1]["start"]}

    found = [f for g in groups if (f := untested(g, [{**w["by"][g], "start": w["start"]} for w in windows]))]
    if not found:  # no group's own, or no breakdown: all posts taken together
        found = [f for f in [untested(None, windows)] if f]
    return found


def _untested_words(found: Sequence[Mapping[str, Any]], window: str, by: str | None, lang: str) -> str:
    """'Too few posts to test, but off-voice: channel 'newsletter', 3 posts (September to November 2026), all
    off-voice, mean score 1.'"""
    said = []
    for f in found:
        n, off = f["n_scored"], f["off_voice"]
        span = _describe_span(dt.date.fromisoformat(f["first"]), dt.date.fromisoformat(f["last"]), window, lang)
        if lang == "it":
            share = ("entrambi" if n == 2 else "tutti") if off == n else f"{count(off, lang)} su {count(n, lang)}"
            who = f"{by_words(by, lang)} {group_words(f['group'], by, lang)}, " if "group" in f else ""
            said.append(f"{who}{how_many(n, 'post', 'post', lang)} ({span}), {share} fuori voce, punteggio medio "
                        f"{f['mean_score']:.0f}")
        else:
            share = ("both" if n == 2 else "all") if off == n else f"{off} of {n}"
            who = f"{by} {group_words(f['group'], by, lang)}, " if "group" in f else ""
            said.append(f"{who}{counted(n, 'post')} ({span}), {share} off-voice, mean score {f['mean_score']:.0f}")
    if lang == "it":
        return "Troppo pochi post per il test, ma fuori voce: " + "; ".join(said) + "."
    return "Too few posts to test, but off-voice: " + "; ".join(said) + "."


#: The method's two sentences in each language (the report's ``method.test`` and ``method.alert``).
_METHOD = {
    "en": {"test": "one-sided tests of the mean surprise -ln(score/100) (exact Gamma), of the mean score (t) and of "
                   "the count of off-voice posts (binomial); the smallest p calibrated on windows drawn from the null",
           "alert": "a drifting window (consecutive windows too small to test are tested together once they hold "
                    f"{MIN_POSTS} posts), two consecutive windows that pooled give p < 0.01, or a window clearly "
                    "worse than the report's earlier windows (p < 0.01)"},
    "it": {"test": "test unilaterali sulla sorpresa media -ln(punteggio/100) (Gamma esatta), sul punteggio medio (t) "
                   "e sul numero di post fuori voce (binomiale); il p più piccolo è calibrato su periodi estratti "
                   "dall'ipotesi nulla",
           # read after "una segnalazione nasce da": each cause with its own "da" (an Italian review)
           "alert": "un periodo in deriva (i periodi consecutivi con troppo pochi post sono valutati insieme "
                    f"appena ne contano {MIN_POSTS}), da due periodi consecutivi che insieme danno p < 0,01 o da un "
                    "periodo nettamente peggiore dei periodi precedenti del report (p < 0,01)"},
}


def report_period(since: Any = None, until: Any = None) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day a report keeps (None where not given), or an InputError saying what is wrong.

    ``drift_report`` checks them this way; the CLI calls it before scoring, so that a bad
    date (2026-02-30) is said at once rather than after every post is scored.
    """
    lo, hi = _as_day(period_bound(since, end=False), "since"), _as_day(period_bound(until, end=True), "until")
    if lo and hi and hi < lo:
        raise InputError(f"until ({hi}) is before since ({lo})", field="until")
    return lo, hi


def _this_version(rows: list[dict[str, Any]],
                  version: str | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows scored by ``version`` of the profile (or that do not say), and a count per other version."""
    mine: list[dict[str, Any]] = []
    others: dict[str, int] = {}
    for r in rows:
        about = r.get("profile")
        scored_by = about.get("version") if isinstance(about, Mapping) else None
        if version is None or scored_by is None or scored_by == version:
            mine.append(r)
        else:
            others[str(scored_by)] = others.get(str(scored_by), 0) + 1
    return mine, [{"version": v, "n_posts": n} for v, n in others.items()]


def stored_drift_report(store: Any, name: str, profile, **kwargs: Any) -> dict[str, Any]:
    """The report over the posts of profile ``name`` that its current version scored, from a history store
    (``voicecheck.store``), with the posts other versions scored counted (``note_other_versions``).

    What the service answers at ``/drift``, and what ``benchmarks/run.py`` times. ``keep_latest``: a stored
    history cannot be edited, so a placeholder date in it (0001-01-01) must not make every report without
    ``since`` an error. ``kwargs`` are ``drift_report``'s (``window``, ``by``, ``since``, ``until``...).
    """
    rows = store.results_for_drift(name, version=profile.version_)
    report = drift_report(rows, profile, keep_latest=True, **kwargs)
    note_other_versions(report, store.versions(name, besides=profile.version_))
    return report


def note_other_versions(report: dict[str, Any], others: Sequence[Mapping[str, Any]]) -> None:
    """Say in ``report`` how many posts other versions of the profile scored, left out of it.

    Why: drift is measured against one version. Posts another version scored were judged
    against another reference (after a relearn, perhaps another language). ``others``:
    ``{"version", "n_posts", ...}`` per version, as a history store counts them.
    """
    n = sum(v["n_posts"] for v in others)
    report["other_versions"] = {"n_posts": n, "versions": list(others)}
    if not n:
        return
    summary = report["summary"].rstrip()
    stop = "" if summary.endswith(".") else "."
    if report.get("explained_in", "en") == "it":
        by = "un'altra versione del profilo" if len(others) == 1 else f"altre {len(others)} versioni del profilo"
        said = ("1 post valutato con {by} è escluso: per includerlo va valutato di nuovo." if n == 1 else
                f"{count(n, 'it')} post valutati con {{by}} sono esclusi: per includerli vanno valutati di nuovo.")
        report["summary"] = f"{summary}{stop} {said.format(by=by)}"
        return
    by = "another version" if len(others) == 1 else f"{len(others)} other versions"
    are, them = ("is", "it") if n == 1 else ("are", "them")
    report["summary"] = (f"{summary}{stop} {counted(n, 'post')} scored by {by} of "
                         f"the profile {are} left out: score {them} again to include {them}.")
