"""Alerts over a report's windows: when did the writing start to drift, and which posts to read first.

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

import datetime as dt
import functools
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .typicality import (ALPHA, LOW_POWER_BELOW, MIN_POSTS, NULL_EXPONENT, OFF_VOICE_BELOW, STRONG_P, _big_enough,
                         _null_expectations, _round_p, pool, typicality_test)
from .windows import (_WINDOW_IT, _describe_span, _group_of, _since, by_words, describe_window, feminine, group_words,
                      window_end, window_words)
from .wording import article_it, count, counted

__all__ = ["POOL_SPAN", "MAX_EXAMPLES", "EXAMPLE_VARIETY_WITHIN", "MIN_EARLIER_WINDOWS", "GREW_MIN_SURPRISE",
           "SMALL_TOGETHER", "find_alerts"]

#: Small windows tested together (``_small_pooled``) span at most this many windows, empty ones included.
POOL_SPAN = 4
#: Each alert names this many of its posts that score lowest, with their main reason: what to read first.
MAX_EXAMPLES = 3
#: One example per main reason first, but only among off-voice posts scoring within this of the lowest: variety
#: must not bring in posts that score 2-3 while dozens of others score 0 (those drive the alert).
EXAMPLE_VARIETY_WITHIN = 1.0
MIN_EARLIER_WINDOWS = 2  # a "worse" alert needs at least this many earlier tested windows to compare with
GREW_MIN_SURPRISE = 0.5  # and a rise of the mean surprise at least this large (the drift floor's 1.5 is 0.5 over 1)


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
