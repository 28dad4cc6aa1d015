"""Drift over time: has new writing moved away from the brand's frozen voice?

``drift_report`` groups scored, dated posts into calendar windows (day, week or
month), tests each window against the brand's own writing, names the style
features that moved, and raises alerts that say when the drift started. The
result is the DriftReport (docs/reference.md), plain JSON.

This module assembles the report; each of its parts is a module of its own:
``windows`` (the calendar windows and groups, and their words), ``typicality`` (the
test of a window against the brand's own writing: why this test), ``moved`` (the style
features that moved), ``alerts`` (the alert policy) and ``drift_summary`` (the report's
sentences). Their public names are importable from here too, as they always were.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .alerts import _between_alerts, _examples, _first_tested, _mark_pooled, _small_pooled, find_alerts
from .documents import LATEST_DAY, day_as_written, missing, period_bound, refuse_data_frame
from .drift_summary import (_UNKNOWN_LEARNED, _learned_words, _no_group_field, _report_summary, _window_summary,
                            advises_relearning)
from .errors import InputError, VoicecheckWarning
from .moved import MAX_FEATURES, _add_since, length_words, moved_features
from .typicality import (ALPHA, LOW_POWER_BELOW, MAX_MEAN_SCORE, MIN_OFF_VOICE, MIN_POSTS, MIN_SURPRISE,
                         NULL_EXPONENT, REFERENCE, STRONG_P, _null_expectations, _null_reason, null_exponent, pool,
                         p_text, summarize_scores, typicality_test, window_test)
from .windows import (BY, GROUP_CHARS, MAX_WINDOWS, NO_GROUP, WINDOWS, _describe_span, _group_of, _latest_start,
                      by_words, describe_window, feminine, group_words, learned_period_words, period_words,
                      window_count, window_end, window_start, window_words)
from .wording import article_it, count, counted, day_text, explain_language, how_many

# Some of these names are only re-exported (``__all__``): ``from voicecheck.drift import ...`` goes on working.

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


# ---------------------------------------------------------------------- the period
def check_span(posts: Sequence[tuple[dt.date, str]], window: str, since: Any = None, until: Any = None) -> None:
    """Refuse a report of more than MAX_WINDOWS windows, naming its earliest and latest posts: a wrong date
    (a CMS's 0001-01-01) is the usual cause. ``posts``: (day, what to call the post) pairs.

    Why apart from drift_report: the command line checks before it scores, not after the wait.
    """
    lo, hi = report_period(since, until)
    if lo is not None and hi is not None and (n := window_count(lo, hi, window)) > MAX_WINDOWS:
        # whatever posts lie in it: the service says so before a report waits for its turn, with no posts to read
        raise InputError(f"from {lo.isoformat()} to {hi.isoformat()} is {n:,} {window}s; a report holds at most "
                         f"{MAX_WINDOWS:,}: choose a shorter period{' or a longer window' if window != 'month' else ''}",
                         field="window")
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


def report_period(since: Any = None, until: Any = None) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day a report keeps (None where not given), or an InputError saying what is wrong.

    ``drift_report`` checks them this way; the CLI calls it before scoring, so that a bad
    date (2026-02-30) is said at once rather than after every post is scored.
    """
    lo, hi = _as_day(period_bound(since, end=False), "since"), _as_day(period_bound(until, end=True), "until")
    if lo and hi and hi < lo:
        raise InputError(f"until ({hi}) is before since ({lo})", field="until")
    return lo, hi


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
    horizon = _ahead_horizon()
    if keep_latest and hi is None:
        left_after = sorted(((d, r) for d, r in days if d is not None and d > horizon), key=lambda x: x[0])
        days = [(d, r) for d, r in days if d is None or d <= horizon]
    stray = False  # whether the posts left before are a stray few, a year before the rest
    if keep_latest and lo is None:
        kept = [d for d, _ in days if d is not None and (hi is None or d <= hi)]
        lo = _latest_start(kept, window, hi)
        after_gap = after_stray_posts(kept)
        if after_gap is not None and (lo is None or window_start(after_gap, window) > lo):
            lo, stray = window_start(after_gap, window), True
        if lo is not None:
            left_before = sorted(((d, r) for d, r in days if d is not None and d < lo), key=lambda x: x[0])
    undated = sum(d is None for d, _ in days)
    dated = [(d, r) for d, r in days if d is not None and (lo is None or d >= lo) and (hi is None or d <= hi)]
    # In one order whatever order they came in: float sums depend on it, and the service (its history) and
    # `voicecheck report` (a file) gave 56.5 and 56.6 for the same posts (an integrator's review)
    dated.sort(key=_post_order)

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
    _note_left_before(report, left_before, stray=stray)
    _note_left_after(report, left_after, horizon)
    if others:
        note_other_versions(report, others)
    return report


#: With ``keep_latest`` and no ``until``, posts dated further ahead than this are left out (``left_after``): a
#: year mistyped (2062 for 2026) had made the latest 1,000 windows end in 2062, and the service's default report
#: held that one post and nothing else, its alert gone (an operations review). A post scheduled within a year stays.
AHEAD_AT_MOST_DAYS = 366


#: At most this many posts dated before STRAY_BEFORE and more than STRAY_GAP_DAYS before all the others are a
#: placeholder (a CMS's 0001-01-01, the epoch's 1970-01-01), which a report that chooses its own period leaves out:
#: one such post had made the service's monthly page 1,000 windows from 1943, 994 of them empty (an integrator's
#: review). Real posts of an earlier year are kept (a code review: two posts of 2024 had been left out as strays).
STRAY_POSTS = 2
STRAY_GAP_DAYS = 366
STRAY_BEFORE = dt.date(2000, 1, 1)


def after_stray_posts(days: Sequence[dt.date]) -> dt.date | None:
    """The first day after a stray few posts (``STRAY_POSTS`` at most, dated before ``STRAY_BEFORE``) that lie more
    than ``STRAY_GAP_DAYS`` before all the others, or None."""
    ds = sorted(days)
    for k in range(1, min(STRAY_POSTS, len(ds) - 1) + 1):
        if ds[k - 1] < STRAY_BEFORE and (ds[k] - ds[k - 1]).days > STRAY_GAP_DAYS:
            return ds[k]
    return None


def _ahead_horizon() -> dt.date:
    """The last day a report asked without ``until`` keeps: a year from today (later is a mistyped year)."""
    return dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=AHEAD_AT_MOST_DAYS)


def left_out_unasked(days: Sequence[dt.date], since: Any = None, until: Any = None) -> list[bool]:
    """Which of ``days`` a report asked without ``since`` or ``until`` leaves out (``keep_latest``): past a year
    ahead, without ``until`` (a mistyped year); a stray placeholder (``after_stray_posts``), without ``since``.

    Why apart: ``voicecheck report`` checks a file's span before it scores, and must not refuse a file for a post
    the report would leave out (one post of 2062 in weekly windows had been an error: a code review)."""
    horizon = _ahead_horizon()
    ahead = [until is None and d > horizon for d in days]
    after = after_stray_posts([d for d, out in zip(days, ahead) if not out]) if since is None else None
    return [out or (after is not None and d < after) for d, out in zip(days, ahead)]


def _note_left_before(report: dict[str, Any], before: Sequence[tuple[dt.date, Mapping[str, Any]]], *,
                      stray: bool = False) -> None:
    """Say in ``report``'s summary how many posts dated before its ``since`` it left out, and the earliest
    (``before``: those posts with their days, earliest first); ``stray``: left out as a stray few, more than a
    year before all the others (``_after_stray_posts``), not for the report's length.

    Why: a period chosen by ``keep_latest``, not by the reader, must say what it left out, and how to see it
    (a ``since`` of the reader's own).
    """
    if not before:
        return
    lo = dt.date.fromisoformat(report["since"])
    n, (earliest, first) = len(before), before[0]
    name = _named(first)
    if report.get("explained_in", "en") == "it":
        placeholder = "una data come 0001-01-01 è di solito un segnaposto"
        what, why = (("di oltre un anno prima di tutti gli altri", placeholder) if stray else
                     (f"con data anteriore {article_it(day_text(lo, 'it'), 'a')}",
                      f"un report copre al massimo {window_words(MAX_WINDOWS, report['window'], 'it')} ({placeholder})"))
        said = (f"{how_many(n, 'post', 'post', 'it')} {what} "
                f"{'resta fuori, datato' if n == 1 else 'restano fuori, il più vecchio datato'} {earliest.isoformat()}"
                f"{name}: {why}; per {'includerlo' if n == 1 else 'includerli'}, chiedere un periodo (since).")
    else:
        placeholder = "a date such as 0001-01-01 is usually a placeholder"
        what, why = (("dated more than a year before all the others", placeholder) if stray else
                     (f"dated before {day_text(lo, 'en')}",
                      f"a report holds at most {MAX_WINDOWS:,} {report['window']}s ({placeholder})"))
        left = "is left out, dated" if n == 1 else "are left out, the earliest dated"
        said = (f"{counted(n, 'post')} {what} {left} {earliest.isoformat()}{name}: {why}; ask for a period (since) "
                f"to include {'it' if n == 1 else 'them'}.")
    _add_sentence(report, said)
    report["left_before"] = {"n_posts": n, "earliest": earliest.isoformat()}


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


def _named(post: Mapping[str, Any]) -> str:
    """' (cms)': a left-out post's id, for the reader to find it; nothing for a post without one."""
    return f" ({post['id']})" if post.get("id") not in (None, "") else ""


def _add_sentence(report: dict[str, Any], said: str) -> None:
    """Append ``said`` to the report's summary, after a full stop."""
    summary = report["summary"].rstrip()
    report["summary"] = f"{summary}{'' if summary.endswith('.') else '.'} {said}"


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


def _post_order(dated: tuple[dt.date, Mapping[str, Any]]) -> tuple:
    """A post's place in a report's one order: its day, then what tells posts of a day apart."""
    day, r = dated
    return (day, str(r.get("date") or ""), str(r.get("id") or ""), float(r.get("score") or 0.0),
            *(str(r.get(k) or "") for k in ("source", "channel", "author")))


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
