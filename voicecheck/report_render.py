"""Render a DriftReport as JSON, Markdown or one self-contained HTML page.

The HTML page is meant to be mailed, archived or opened from disk: inline CSS
and SVG charts drawn here, no script, no font or image from the network. Every
piece of text that came from posts, labels or the profile is escaped.

A report is rendered in the language its sentences were written in (``explained_in``,
English for reports made before it existed), so that headings and sentences agree.
Fixed words are in ``_SAY``; sentences that agree with a count or a window's gender are
built next to their English.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from .drift_summary import all_learned, all_too_short, not_tested
from .errors import InputError
from .moved import length_words
from .typicality import p_text
from .windows import (NO_GROUP, by_words, describe_window, feminine, group_words, learned_period_words, period_words,
                      window_words)
from .wording import article_it, clip, count, counted, day_span, day_text, fixed, how_many, language_name, month_text

__all__ = ["render_report", "FORMATS"]

FORMATS = ("json", "md", "html")

#: Series colours (colour-blind safe, Okabe-Ito), then the fixed meanings.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
DRIFT = "#C0392B"
BAND = "#DCE9F5"
MUTED = "#777777"


def render_report(report: Mapping[str, Any], fmt: str) -> str:
    """The report as ``json`` (pretty), ``md`` (for a manager) or ``html`` (one page, charts inline); any case."""
    fmt = fmt.lower() if isinstance(fmt, str) else fmt  # "HTML" was refused beside "markdown" (a library review)
    if fmt not in (*FORMATS, "markdown", "htm"):
        raise InputError(f"format must be one of {', '.join(FORMATS)} (got {fmt!r})", field="format")
    needed = ("profile", "windows", "alerts", "summary")
    if not isinstance(report, Mapping) or not set(needed) <= report.keys():
        got = (f"a dict without {', '.join(k for k in needed if k not in report)}" if isinstance(report, Mapping)
               else type(report).__name__)
        raise InputError(f"render_report takes a drift report, as drift_report returns it; got {got}", field="report")
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if fmt in ("md", "markdown"):
        return _markdown(report)
    if fmt in ("html", "htm"):
        return _html(report)
    raise InputError(f"format must be one of {', '.join(FORMATS)} (got {fmt!r})", field="format")


# ---------------------------------------------------------------------- shared words
#: The fixed words of the pages, in each language the report may be explained in.
_SAY: dict[str, dict[str, str]] = {
    "en": {
        "title": "Voice drift report: {name}", "voice": "voice",
        "profile": "Profile {name} version {version} ({about}), the frozen reference",
        "period": "Period: {period}.", "no dated posts": "no dated posts",
        "partial": "(partial)", "drift": "drift", "DRIFT": "DRIFT", "no": "no", "(no id)": "(no id)",
        "score": "score", "against the profile": "against the profile: {p}", "all too short": "all too short",
        "learned": "learned from", "learned one": "learned from",
        "no posts": "no posts", "too few posts": "too few posts", "Alerts": "Alerts", "Windows": "Windows",
        "By": "By {by}", "What changed": "What changed in the writing", "Method": "Method: ",
        "nothing moved": "No style feature moved clearly away from the brand's writing.",
        "moved of all": "Of all posts taken together.",
        "moved of groups": "Of all posts taken together; each alert above says what moved in its own posts.",
        "least": "Least like the brand:",
        "none: no posts": "None: there are no dated posts{asked} to test.", "in the period": " in the period asked for",
        "none: no drift": "None: no drift from the brand's voice was found.",
        "latest": "as of {when}",  # the figures are of that window, the "since" of the stretch
        "columns": "start|last day|posts|mean score|off-voice|drift|p-value|in words", "start": "start",
        "Score over time": "Score over time", "Share off-voice": "Share of posts off-voice",
        "nothing to chart": "No dated posts to chart.", "window start": "window start", "drifting": "drifting",
        "all posts": "all posts together", "score chart": "Mean score per window, with the brand's own band",
        "mean score axis": "mean score (0-100)", "too few posts to test": "too few posts to test",
        "learned window": "posts the profile learned from (not tested)",
        "middle half": "brand's middle half ({lo:g}-{hi:g})", "average": "brand's own average: 50",
        "off-voice below": "off-voice below {cut:g}", "drifting window (of)": "drifting window ({of})",
        "drifting (series)": "drifting (for its own series)",
        "group order": "Groups with an alert come first, then those with the lowest mean score.",
        "score caption": "Mean score of the posts in each window (windows with too few posts to test are drawn "
                         "grey, without a line). The brand's own writing averages 50, half of it between 25 and 75.",
        "learned caption": "Shaded grey: windows holding only posts the profile learned from, which are not "
                           "tested (the profile scores them higher than new writing).",
        "offvoice chart": "Share of posts off-voice per window", "share axis": "share off-voice",
        "tested window": "tested window", "drifting window": "drifting window", "brand 5%": "brand's own: about 5%",
        "offvoice caption": "Share of each window's posts scoring off-voice (below 5). About 5% of the brand's own "
                            "writing does.",
        "features chart": "Style features that moved, per window", "up": "{arrow} above the brand's writing",
        "down": "{arrow} below the brand's writing",
        "features caption": "Coloured cells (▲ up, ▼ down): the windows where a style feature was clearly away "
                            "from the brand's own writing.",
    },
    "it": {
        "title": "Report sulla deriva della voce: {name}", "voice": "voce",
        "profile": "Profilo {name}, versione {version} ({about}): il riferimento fisso",
        "period": "Periodo: {period}.", "no dated posts": "nessun post con data",
        "partial": "(parziale)", "drift": "deriva", "DRIFT": "DERIVA", "no": "no", "(no id)": "(senza id)",
        "score": "punteggio", "against the profile": "rispetto al profilo: {p}", "all too short": "tutti troppo brevi",
        "learned": "già appresi", "learned one": "già appreso",
        "no posts": "nessun post", "too few posts": "troppo pochi post", "Alerts": "Segnalazioni",
        "Windows": "Periodi", "By": "Per {by}", "What changed": "Cosa è cambiato nella scrittura",
        "Method": "Metodo: ",
        "nothing moved": "Nessuna caratteristica di stile si è allontanata in modo netto dai testi del brand.",
        "moved of all": "Nell'insieme dei post.",
        "moved of groups": "Nell'insieme dei post; ogni segnalazione qui sopra dice cosa è cambiato nei suoi post.",
        "least": "I post meno simili al brand:",
        "none: no posts": "Nessuna: non ci sono post con data da verificare{asked}.",
        "in the period": " nel periodo richiesto",
        "none: no drift": "Nessuna: non è stata rilevata alcuna deriva rispetto alla voce del brand.",
        "latest": "valori più recenti: {when}",  # not "ultimo: agosto 2026", a label with no noun (a review)
        "columns": "inizio|ultimo giorno|post|punteggio medio|fuori voce|deriva|valore p|in sintesi",
        "start": "inizio",
        "Score over time": "Punteggio nel tempo", "Share off-voice": "Quota di post fuori voce",
        "nothing to chart": "Nessun post con data da mostrare nei grafici.", "window start": "inizio del periodo",
        "drifting": "in deriva", "all posts": "tutti i post insieme",
        "score chart": "Punteggio medio per periodo, con la fascia abituale del brand",
        "mean score axis": "punteggio medio (0-100)", "too few posts to test": "troppo pochi post per il test",
        "learned window": "post già appresi dal profilo (nessun test)",
        "middle half": "fascia abituale ({lo:g}-{hi:g})", "average": "media del brand: 50",
        "off-voice below": "fuori voce: sotto {cut:g}",
        "drifting window (of)": "periodo in deriva ({of})",
        "drifting (series)": "in deriva (per la propria serie)",
        "group order": "Prima i gruppi con una segnalazione, poi quelli con il punteggio medio più basso.",
        "score caption": "Punteggio medio dei post di ogni periodo (i periodi con troppo pochi post per il test "
                         "sono in grigio, senza linea). I testi del brand hanno in media 50, e metà di essi sta tra 25 "
                         "e 75.",
        "learned caption": "Colonne grigie: periodi con soli post già appresi dal profilo, che non vengono "
                           "verificati (il profilo dà loro punteggi più alti che ai testi nuovi).",
        "offvoice chart": "Quota di post fuori voce per periodo", "share axis": "quota fuori voce",
        "tested window": "periodo verificato", "drifting window": "periodo in deriva",
        "brand 5%": "testi del brand: circa il 5%",
        "offvoice caption": "Quota dei post di ogni periodo con un punteggio fuori voce (sotto 5). Nei testi del "
                            "brand è circa il 5%.",
        "features chart": "Caratteristiche di stile che si sono spostate, per periodo",
        "up": "{arrow} sopra il brand", "down": "{arrow} sotto il brand",
        "features caption": "Celle colorate (▲ in aumento, ▼ in calo): i periodi in cui una caratteristica di stile "
                            "era nettamente lontana dai testi del brand.",
    },
}


def _lang(report: Mapping[str, Any]) -> str:
    """The report's language: the one its sentences were written in; English for a report made before it said."""
    return "it" if report.get("explained_in") == "it" else "en"


def _say(report: Mapping[str, Any], key: str, **values: Any) -> str:
    text = _SAY[_lang(report)][key]
    return text.format(**values) if values else text


def _title(report: Mapping[str, Any]) -> str:
    return _say(report, "title", name=report["profile"].get("name", _say(report, "voice")))


def _period(report: Mapping[str, Any]) -> str:
    """The period asked for (--since/--until) where given, else the windows' edges ('no dated posts' without
    either)."""
    windows = report.get("windows") or []
    lang = _lang(report)
    if not windows:
        if not (report.get("since") or report.get("until")):
            return _say(report, "no dated posts")
        return _period_by(period_words(report.get("since"), report.get("until"), lang), report)
    start = report.get("since") or windows[0]["start"]
    end = report.get("until") or _last_day(windows[-1])
    return _period_by(period_words(start, end, lang), report)


def _period_by(period: str, report: Mapping[str, Any]) -> str:
    """'2 March to 26 April 2026, by week' ('dal 2 marzo al 26 aprile 2026, per settimana')."""
    if _lang(report) == "it":
        return f"{period}, per {window_words(None, report['window'], 'it')}"
    return f"{period}, by {report['window']}"


def _partial(report: Mapping[str, Any], w: Mapping[str, Any]) -> bool:
    """Whether the report's --since/--until cut this window (its first or last days lie outside the period).

    The report says so in each window's ``partial``; a report made before it had that field is worked out here.
    """
    if "partial" in w:
        return bool(w["partial"])
    since, until = report.get("since"), report.get("until")
    return bool((since and w["start"] < since) or (until and _last_day(w) > until))


def _last_day(w: Mapping[str, Any]) -> str:
    """A window's last day (its ``end`` is the day after: exclusive ends are for tools, a reader counts days in)."""
    return (dt.date.fromisoformat(w["end"]) - dt.timedelta(days=1)).isoformat()


def _days_shown(report: Mapping[str, Any], w: Mapping[str, Any]) -> tuple[str, str]:
    """The first and last day a table row covers: a window the report's period cuts, within the period ('2026-05-01'
    to '2026-05-31' under --until 2026-05-20 read as all of May: an Italian agency's review)."""
    since, until = report.get("since"), report.get("until")
    first, last = w["start"], _last_day(w)
    return (max(first, since) if since else first), (min(last, until) if until else last)


#: This many consecutive windows of nothing but posts the profile learned from make one row of the windows' table.
LEARNED_RUN_ROWS = 3


def _table_runs(report: Mapping[str, Any]) -> list[list[Mapping[str, Any]]]:
    """The windows a table gives a row each: one window, or a run of ``LEARNED_RUN_ROWS`` or more windows holding
    only posts the profile learned from."""
    windows = list(report.get("windows") or [])
    out: list[list[Mapping[str, Any]]] = []
    i = 0
    while i < len(windows):
        j = i
        while j < len(windows) and windows[j].get("status") == "learned" and not _partial(report, windows[j]):
            j += 1
        if j - i >= LEARNED_RUN_ROWS:
            out.append(windows[i:j])
            i = j
        else:
            out.append([windows[i]])
            i += 1
    return out


def _table_windows(report: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The windows as the table lists them: a run of windows holding only posts the profile learned from is one
    row ('12 months (140 posts the profile learned from: not tested)'). A report over a brand's whole history
    and its agency's months opened with a year of such rows before the first that said anything (a review)."""
    lang = _lang(report)
    out: list[Mapping[str, Any]] = []
    for run in _table_runs(report):
        if len(run) == 1:
            out.append(run[0])
            continue
        learned, short = sum(w.get("learned", 0) for w in run), sum(w.get("too_short", 0) for w in run)
        out.append({**run[0], "end": run[-1]["end"], "n": sum(w["n"] for w in run), "learned": learned,
                    "too_short": short,
                    "summary": f"{window_words(len(run), report['window'], lang)} "
                               f"({all_learned(learned, short, lang)})"})
    return out


def _start_text(report: Mapping[str, Any], w: Mapping[str, Any]) -> str:
    first = _days_shown(report, w)[0]
    return f"{first} {_say(report, 'partial')}" if _partial(report, w) else first


def _tested_any(report: Mapping[str, Any]) -> bool:
    return any(w.get("drift") is not None for w in report.get("windows") or ())


def _compared_any(report: Mapping[str, Any]) -> bool:
    """Whether any window had posts enough for its style features to be compared with the brand's: small windows
    tested together are, but their features are only measured when they drift, so a weekly report of a small shop
    had said "no style feature moved" of features it never compared (a review)."""
    from voicecheck.typicality import MIN_POSTS

    return any(w.get("drift") is not None and w.get("n_scored", 0) >= MIN_POSTS for w in report.get("windows") or ())


def _no_window_words(report: Mapping[str, Any], *, lower: bool = False, alone: bool = False) -> str:
    """'No week had enough posts to test (at least 10 scored posts are needed)' / 'Nessuna settimana aveva ...'
    ('nessuna settimana ...' with ``lower``, inside a sentence); 'no week had posts to test (the profile
    learned from all of them)' when only the posts it learned from kept the windows from a test."""
    m = report.get("method") or {}
    window = report.get("window", "window")
    learned, dated = report.get("learned") or 0, report.get("n_dated") or 0
    only_learned = learned and not any(w.get("n_scored") for w in report.get("windows") or ())
    if _lang(report) == "it":
        noun = window_words(None, window, "it")
        none = ("nessuna" if lower else "Nessuna") if feminine(window) else ("nessun" if lower else "Nessun")
        if only_learned:
            rest = dated - learned  # too short to score
            if not rest:
                which = "il profilo l'ha già appreso" if learned == 1 else "il profilo li ha già appresi tutti"
            else:
                which = (f"{count(learned, 'it')} su {count(dated, 'it')} "
                         f"{'è già stato appreso' if learned == 1 else 'sono già stati appresi'} dal profilo, "
                         + ("l'altro è troppo breve per essere valutato" if rest == 1
                            else "gli altri sono troppo brevi per essere valutati"))
            return f"{none} {noun} aveva post da verificare ({which})"
        by_itself = (" da sola" if feminine(window) else " da solo") if alone else ""
        return (f"{none} {noun} aveva abbastanza post per il test{by_itself} (ne servono almeno "
                f"{m.get('min_posts', 10)} valutati)")
    no = "no" if lower else "No"
    if only_learned:
        rest = dated - learned  # too short to score
        if not rest:
            which = "the profile learned from it" if learned == 1 else "the profile learned from all of them"
        else:
            which = (f"the profile learned from {learned} of the {dated}, and the other "
                     + ("is" if rest == 1 else f"{rest} are") + " too short to score")
        return f"{no} {window} had posts to test ({which})"
    return (f"{no} {window} had enough posts to test{' alone' if alone else ''} (at least {m.get('min_posts', 10)} "
            f"scored posts are needed)")


def _no_test_words(report: Mapping[str, Any]) -> str:
    """Why no window's style was compared; with alerts of windows tested together, where what moved is said: "no
    style feature could be compared" had stood under an alert saying "emoji down from 8.5 to 3.1" (a review)."""
    pooled = bool(report.get("alerts"))
    if _lang(report) == "it":
        if pooled:
            return (f"{_no_window_words(report, alone=True)}: ogni segnalazione qui sopra dice che cosa è cambiato "
                    f"nei post dei periodi valutati insieme.")
        return (f"{_no_window_words(report)}, quindi non è stato possibile confrontare alcuna caratteristica di stile "
                "con i testi del brand.")
    if pooled:
        return (f"{_no_window_words(report, alone=True)}: each alert above says what moved in the posts of the "
                f"{report.get('window', 'window')}s tested together.")
    return f"{_no_window_words(report)}, so no style feature could be compared with the brand's writing."


_EVIDENCE = {"against the earlier windows": "vs earlier {w}s",
             "with the window next to it": "pooled with the {w} next to it",
             "with the small windows next to it": "too few alone; pooled with the small {w}s next to it"}
#: In Italian, by the window's gender: (feminine, masculine).
_EVIDENCE_IT = {"against the earlier windows": ("rispetto alle {ws} precedenti", "rispetto ai {ws} precedenti"),
                "with the window next to it": ("insieme alla {w} accanto", "insieme al {w} accanto"),
                "with the small windows next to it": ("troppo pochi post da soli; insieme alle {ws} piccole accanto",
                                                      "troppo pochi post da soli; insieme ai {ws} piccoli accanto")}


def _evidence_words(report: Mapping[str, Any], evidence: str) -> str:
    """How a table cell names the test that made a window drift: 'vs earlier weeks' / 'rispetto alle settimane
    precedenti'. ``evidence`` is the report's code, the same in every language."""
    window = report.get("window", "window")
    if _lang(report) == "it":
        female, male = _EVIDENCE_IT.get(evidence, ("{ws} insieme", "{ws} insieme"))
        w, ws = window_words(None, window, "it"), window_words(2, window, "it").split(" ", 1)[1]
        return (female if feminine(window) else male).format(w=w, ws=ws)
    return _EVIDENCE.get(evidence, "{w}s together").format(w=window)


def _evidence_alert(report: Mapping[str, Any], w: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The all-posts alert whose windows include ``w`` (the test that made a window drift by its evidence)."""
    return next((a for a in report.get("alerts") or () if "group" not in a
                 and w["start"] in a.get("window_starts", ())), None)


def _drift_test(report: Mapping[str, Any], w: Mapping[str, Any]) -> tuple[str, str, str]:
    """(drift word, p text, note) for a window, saying which test fired ('drift' in lower case: the Markdown
    capitalises it).

    A window that drifts by the comparison with the report's earlier windows (or pooled with
    its neighbour) carries only the p against the profile, which may be large: its cell names
    the test and shows that test's p (the alert's, for the window that raised it), the
    p against the profile only as a labelled aside.
    """
    lang = _lang(report)
    pv = "–" if w.get("p_value") is None else p_text(w["p_value"], bare=True, lang=lang)
    if not (w.get("drift") and w.get("evidence")):
        return (_say(report, "drift") if w.get("drift") else _drift_word(w, lang)), pv, ""
    how = _evidence_words(report, w["evidence"])
    alert = _evidence_alert(report, w)
    if alert is not None and alert.get("raised") == w["start"]:
        test_p = p_text(alert["p_value"], bare=True, lang=lang)
    else:
        test_p = "–"
    return f"{_say(report, 'drift')} ({how})", f"{test_p} ({how})", _say(report, "against the profile", p=pv)


def _example(x: Mapping[str, Any], by: str | None = None, lang: str = "en") -> str:
    """'post-17 (3 June 2026, source 'agency', score 0.4): 5.0 exclamation marks per 100 words; ...'.

    With ``by`` (the report's --by), the example's value of that field: which writing it comes from.
    The reason is the score's own, in the language it was scored in; '(none)' is the group's name. The day
    is in words, as the alert's own ("dal 1º maggio 2026"): an ISO date read oddly beside it (a review).
    """
    say = _SAY[lang]
    when = ""
    if x.get("date"):
        try:
            when = f"{day_text(dt.date.fromisoformat(str(x['date'])[:10]), lang)}, "
        except ValueError:
            when = f"{str(x['date'])[:10]}, "
    value = x.get(by) if by else None
    who = f"{by_words(by, lang)} {group_words(NO_GROUP if value is None else str(value), by, lang)}, " if by else ""
    reason = f": {x['reason']}" if x.get("reason") else ""
    return f"{x.get('id') or say['(no id)']} ({when}{who}{say['score']} {fixed(float(x['score']), lang, 1)}){reason}"


def _num(x: Any, digits: int = 0, lang: str = "en") -> str:
    return "–" if x is None else fixed(x, lang, digits)


def _pct(x: Any) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


def _drift_word(w: Mapping[str, Any], lang: str = "en") -> str:
    say = _SAY[lang]
    if w.get("drift") is None:
        if w.get("status") == "learned":
            return say["learned one" if w.get("learned") == 1 else "learned"]
        if w.get("status") == "empty":
            return say["all too short"] if w.get("n") else say["no posts"]
        return say["too few posts"]
    return say["DRIFT"] if w["drift"] else say["no"]


def _group_cell(b: Mapping[str, Any], lang: str = "en") -> str:
    """A group's posts in one window: '16 posts (4 too short to score), mean score 66, 0% off-voice'; '–' for
    none ('40% off' read as a discount)."""
    n = b.get("n") or 0
    if not n:
        return "–"
    scored, learned = b.get("n_scored", n), b.get("learned", 0)
    if not scored:
        return all_learned(learned, n - learned, lang) if learned else all_too_short(n, lang)
    left = not_tested(n - scored - learned, learned, lang)
    also = f" ({', '.join(left)})" if left else ""
    # said, or "8 posts, mean score 78, 0% off-voice" read as tested and clean (a brand manager's review)
    few = b.get("status") == "too-few-posts"
    together = few and b.get("evidence") is not None  # tested with the small windows next to it (alerts.SMALL_TOGETHER)
    if lang == "it":
        return (f"{how_many(n, 'post', 'post', lang)}{also}, punteggio medio {_num(b.get('mean_score'))}, "
                f"{_pct(b.get('off_voice_rate'))} fuori voce" + (
                    "; troppo pochi da soli, valutati insieme ai periodi piccoli accanto" if together
                    else "; troppo pochi per il test" if few else ""))
    return (f"{counted(n, 'post')}{also}, mean score {_num(b.get('mean_score'))}, {_pct(b.get('off_voice_rate'))} "
            "off-voice" + ("; too few alone, tested with the small windows next to it" if together
                           else "; too few to test" if few else ""))


def _moved(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each feature that moved, once: its most recent window, with how many windows it moved in.

    ``count``: all the windows where it moved; ``run``: those since its message's "since"
    (its latest stretch of windows), which is fewer when it moved, stopped, and moved again.
    Most windows first; among as many, the largest change (``shift``, of the most recent window):
    the grid shows the first few, and a tie is not settled by the feature's name. A feature that moved both
    ways is listed once in that order, its two directions side by side, the more recent first: "words per
    sentence up since June" at the top and "down in May" eleven lines below read as a contradiction (a
    brand manager's review of the demo report).
    """
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for w in report.get("windows", []):
        for f in _features_of(w):
            key = (f["feature"], f["direction"])
            prior = seen.get(key)
            same_run = prior is not None and prior.get("since") == f.get("since")
            seen[key] = {**f, "last": w["start"], "count": prior["count"] + 1 if prior else 1,
                         "run": prior["run"] + 1 if same_run else 1,
                         "starts": [*(prior["starts"] if prior else []), w["start"]]}
    ranked = sorted(seen.values(), key=lambda f: (-f["count"], -abs(f.get("shift") or 0.0), f["feature"]))
    both: dict[str, list[dict[str, Any]]] = {}
    for f in ranked:
        both.setdefault(f["feature"], []).append(f)
    return [f for fs in both.values() for f in sorted(fs, key=lambda f: f["last"], reverse=True)]


def _by_groups(report: Mapping[str, Any]) -> bool:
    """Whether the report breaks the posts down into two or more groups: its list of what changed is then of all
    posts taken together, and a group's alert named a change the list did not ("commas up" in the Stories' alert
    under "no style feature moved": a brand manager's review)."""
    return bool(report.get("by")) and len(report.get("groups") or ()) > 1


def _moved_scope(report: Mapping[str, Any]) -> str:
    """Which sentence says whose changes the list holds: with an alert of a group, where to read the group's."""
    return "moved of groups" if any(a.get("group") for a in report.get("alerts") or ()) else "moved of all"


def _features_of(w: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Every feature that moved in a window: its largest few (``top_features``), then the rest (``more_features``)."""
    return [*w.get("top_features", []), *w.get("more_features", [])]


def _moved_note(report: Mapping[str, Any], f: Mapping[str, Any]) -> str:
    """'as of the week of 2 February 2026; seen in 3 weeks' ('valori più recenti: agosto 2026; scostamento
    rilevato in 4 mesi'): the last window a feature moved in, whose figures the list shows, in words (a
    manager reads it; the JSON keeps the date), and in how many."""
    window, lang = report["window"], _lang(report)
    when = describe_window(dt.date.fromisoformat(f["last"]), window, lang)
    latest = _say(report, "latest", when=when)
    return f"{latest}; {_moved_in(f, window, lang)}"


#: A feature that moved in windows apart, in at most this many, names them.
NAMED_WINDOWS_AT_MOST = 3


def _moved_in(f: Mapping[str, Any], window: str, lang: str = "en") -> str:
    """'seen in 3 weeks', or 'seen in 2 weeks this time, 5 in all' when its latest stretch is not all of them
    ('scostamento rilevato in 5 settimane, l'ultima volta per 2 settimane di fila'); in a few windows apart, which:
    'seen in 2 months: August 2026 and November 2026'. "words per sentence up ... since November (seen in 2 months,
    the latest for 1)" had hidden that August was the first (a gelato chain's review)."""
    starts = f.get("starts") or []
    if f["run"] != f["count"] and len(starts) == f["count"] <= NAMED_WINDOWS_AT_MOST:
        from .drift_summary import _listed

        named = _listed([describe_window(dt.date.fromisoformat(s), window, lang) for s in starts], lang)
        if lang == "it":
            return f"scostamento rilevato in {window_words(f['count'], window, lang)}: {named}"
        return f"seen in {counted(f['count'], window)}: {named}"
    if lang == "it":
        if f["run"] == f["count"]:
            # a noun of its own: "rilevata" agreed with "forme del 'tu'" and not with "punti esclamativi" (an
            # Italian review); "variazione in 4 mesi" read as how long the change took
            return f"scostamento rilevato in {window_words(f['count'], window, lang)}"
        last = window_words(f["run"], window, lang) + (" di fila" if f["run"] > 1 else "")
        return f"scostamento rilevato in {window_words(f['count'], window, lang)}, l'ultima volta per {last}"
    if f["run"] == f["count"]:
        return f"seen in {counted(f['count'], window)}"
    return f"seen in {counted(f['run'], window)} this time, {f['count']} in all"


#: Where the drift test's tolerance came from (the report's ``method.null_reason``).
_TOLERANCE_FROM = {
    "en": {"measured": "as measured when the profile learned",
           "undated": "the default for a profile learned from undated writing",
           "few-recent": "the default: the profile's latest posts were too few to measure it",
           "unknown": "the default: the profile did not measure its own"},
    "it": {"measured": "misurato quando il profilo è stato appreso",
           "undated": "il valore predefinito per un profilo appreso da testi senza data",
           "few-recent": "il valore predefinito: i post più recenti del profilo erano troppo pochi per misurarlo",
           "unknown": "il valore predefinito: il profilo non ha misurato il proprio"},
}


def _tolerance_reason(method: Mapping[str, Any]) -> str:
    """The key of ``_TOLERANCE_FROM``; reports saved before ``null_reason`` only said whether it was measured."""
    reason = method.get("null_reason")
    if reason in _TOLERANCE_FROM["en"]:
        return reason
    return "measured" if method.get("null_measured") else "undated"


def _tolerance(report: Mapping[str, Any]) -> tuple[str, str]:
    """What the test tolerates and where that came from: the reader can tell a stricter test from a laxer one.

    ('up to 7% off-voice and a mean score of 47', 'as measured when the profile learned'). The exponent behind
    them is the JSON's (``method.null_exponent``): "tolerance exponent 0.86" read as jargon (a brand manager's
    review), and the two figures say what it means.
    """
    m = report.get("method") or {}
    if _lang(report) == "it":
        return (f"fino {article_it(_pct(m.get('null_off_voice_rate', 0.09)), 'a')} di post fuori voce e un punteggio "
                f"medio di {_num(m.get('null_mean_score', 44))}", _TOLERANCE_FROM["it"][_tolerance_reason(m)])
    return (f"up to {_pct(m.get('null_off_voice_rate', 0.09))} off-voice and a mean score of "
            f"{_num(m.get('null_mean_score', 44))}", _TOLERANCE_FROM["en"][_tolerance_reason(m)])


# ---------------------------------------------------------------------- Markdown
def _md(text: Any) -> str:
    """Text safe inside a Markdown table cell or line (no markup, no HTML).

    Backslash escapes rather than HTML entities: a renderer shows ``\\<`` as ``<`` and
    treats it as text, and the raw file (mailed as is, or printed by ``voicecheck report``)
    stays readable. ``<`` and ``&`` are escaped only where they could start HTML (a tag, a
    comment, an autolink) or an entity, so "p < 0.001" reads as it is written.
    """
    s = str(text)
    for ch in "\\`*_[]|#>":
        s = s.replace(ch, "\\" + ch)
    s = _MD_HTML_START.sub(r"\\\g<0>", s)
    return s.replace("\n", " ")


#: A ``<`` that could open a tag, a comment or an autolink, or a ``&`` that could open an entity (CommonMark).
_MD_HTML_START = re.compile(r"<(?=[A-Za-z/!?])|&(?=[A-Za-z#])")


def _learned(p: Mapping[str, Any], lang: str = "en") -> str:
    """', learned on 1 March 2026' (', appreso il 1º marzo 2026') when the report knows when its profile was
    learned."""
    period = learned_period_words(p.get("learned_period"), lang)
    period = (f" dai post {period}" if lang == "it" else f" from posts {period}") if period else ""
    if not p.get("learned_at"):
        return ((", appreso" if lang == "it" else ", learned") + period) if period else ""
    day = str(p["learned_at"])[:10]
    try:
        written = day_text(dt.date.fromisoformat(day), lang)
    except ValueError:
        return (f", appreso il {day}" if lang == "it" else f", learned {day}") + period
    return (f", appreso {article_it(written)}" if lang == "it" else f", learned on {written}") + period


def _profile_words(report: Mapping[str, Any], esc) -> tuple[str, str, str]:
    """(name, version, '(en, learned ...)' part) of the profile line, each escaped by ``esc``; Italian names the
    language ('italiano') rather than its code."""
    p = report["profile"]
    lang = _lang(report)
    code = p.get("lang")
    shown = language_name(code, lang) if code else code
    return esc(p.get("name")), esc(p.get("version")), f"{esc(shown)}{esc(_learned(p, lang))}"


def _markdown(report: Mapping[str, Any]) -> str:
    lang = _lang(report)
    say = _SAY[lang]
    name, version, about = _profile_words(report, _md)
    head = (say["profile"].format(name=f"**{name}**", version=f"`{version}`", about=about) + ". "
            + say["period"].format(period=_md(_period(report))))
    out = [f"# {_md(_title(report))}", "", head, "", _md(report.get("summary", "")), ""]
    if report.get("undated"):
        n = report["undated"]
        if lang == "it":
            out += [f"{n} post senza data {'è stato escluso' if n == 1 else 'sono stati esclusi'}.", ""]
        else:
            out += [f"{counted(n, 'post')} without a date {'was' if n == 1 else 'were'} left out.", ""]
    out += [f"## {say['Alerts']}", ""]
    if report.get("alerts"):
        for a in report["alerts"]:
            out.append(f"- **{_alert_since(report, a)}** ({_alert_raised(report, a)}, "
                       f"{_md(p_text(a['p_value'], lang=lang))}): {_md(a['message'])}")
            if a.get("examples"):  # said once above its posts, as the page does (an Italian review)
                out.append(f"  - {say['least']}")
                out += [f"    - {_md(_example(x, report.get('by'), lang))}" for x in a["examples"]]
    elif not report.get("windows"):
        asked = report.get("since") or report.get("until")
        out.append(say["none: no posts"].format(asked=say["in the period"] if asked else ""))
    elif not _tested_any(report):
        if lang == "it":
            out.append(f"Non è stato possibile segnalare nulla: {_md(_no_window_words(report, lower=True))}, quindi il "
                       "report non può dire se la scrittura si sia allontanata dalla voce del brand.")
        else:
            out.append(f"None could be raised: {_md(_no_window_words(report, lower=True))}, so the report "
                       "cannot say whether the writing drifted.")
    else:
        out.append(say["none: no drift"])
    if not report.get("windows"):  # no table, chart or feature to show: no empty table headers
        out += ["", f"{say['Method']}{_md(_method_words(report))}"]
        return "\n".join(out) + "\n"
    tolerated, source = _tolerance(report)
    if lang == "it":
        reading = ("I testi del brand hanno in media un punteggio di 50 e circa il 5% è fuori voce. I suoi post "
                   f"successivi possono discostarsene un po', quindi il test tollera {_md(tolerated)} ({_md(source)}). "
                   "Un periodo è in deriva quando i suoi post hanno punteggi nettamente più bassi o sono fuori voce "
                   "nettamente più spesso.")
    else:
        reading = ("The brand's own writing scores 50 on average and about 5% of it is off-voice. Its later posts may "
                   f"drift a little, so the test tolerates {_md(tolerated)} ({_md(source)}). A window drifts when its "
                   "posts score clearly lower than that or are off-voice clearly more often.")
    out += ["", f"## {say['Windows']}", "", reading, "",
            "| " + " | ".join(say["columns"].split("|")) + " |",
            "|---|---|---:|---:|---:|---|---:|---|"]
    for w in _table_windows(report):
        word, pv, note = _drift_test(report, w)
        if word.startswith(say["drift"]):
            word = say["DRIFT"] + word[len(say["drift"]):]
        pv += f"; {note}" if note else ""
        out.append(f"| {_start_text(report, w)} | {_days_shown(report, w)[1]} | {w['n']} | "
                   f"{_num(w.get('mean_score'))} | {_pct(w.get('off_voice_rate'))} | {word} | {_md(pv)} | "
                   f"{_md(w.get('summary', ''))} |")
    groups = report.get("groups") or []
    if report.get("by") and groups:
        out += ["", f"## {_md(say['By'].format(by=by_words(report['by'], lang)))}"]
        if len(groups) > 1:
            out += ["", say["group order"]]
        for corner, heads, rows in _by_tables(report)[1]:
            out += ["", f"| {_md(corner)} | " + " | ".join(_md(h) for h in heads) + " |", "|---|" + "---|" * len(heads)]
            for head, parts in rows:
                cells = [_md(_group_cell(b, lang)) + (f" **{say['drift']}**" if b.get("drift") else "") for b in parts]
                out.append(f"| {_md(head)} | " + " | ".join(cells) + " |")
    moved = _moved(report)
    out += ["", f"## {say['What changed']}", ""]
    if _by_groups(report):
        out += [say[_moved_scope(report)], ""]
    if moved:
        for f in moved:
            out.append(f"- {_md(f['message'])} ({_md(_moved_note(report, f))})")
    elif not _compared_any(report):
        out.append(_md(_no_test_words(report)))
    else:
        out.append(say["nothing moved"])
    out += ["", f"{say['Method']}{_md(_method_words(report))}"]
    return "\n".join(out) + "\n"


def _alert_since(report: Mapping[str, Any], a: Mapping[str, Any]) -> str:
    """'since 30 March 2026' / 'dal 30 marzo 2026': the start of an alert, before its message, in words (the JSON
    keeps the ISO date; one that does not read as a date is shown as it is)."""
    lang = _lang(report)
    try:
        day = day_text(dt.date.fromisoformat(a["start"]), lang)
    except ValueError:
        day = a["start"]
    return article_it(day, "da") if lang == "it" else f"since {day}"


def _alert_raised(report: Mapping[str, Any], a: Mapping[str, Any]) -> str:
    """'raised in the week of 6 April 2026' / 'segnalata nella settimana del 6 aprile 2026' ('in April 2026' / 'ad
    aprile 2026', 'on 6 April 2026' / 'il 6 aprile 2026'): the window that raised it."""
    raised = a.get("raised", a["start"])
    window = report.get("window")
    it = _lang(report) == "it"
    try:
        day = dt.date.fromisoformat(raised)
    except ValueError:
        return f"segnalata il {raised}" if it else f"raised {raised}"
    if not it:
        return f"raised {'on' if window == 'day' else 'in'} {describe_window(day, window)}"
    if window == "week":
        return f"segnalata nella settimana {article_it(day_text(day, 'it'), 'di')}"
    if window == "month":
        month = describe_window(day, window, 'it')
        return f"segnalata {'ad' if month.startswith('a') else 'a'} {month}"
    return f"segnalata {article_it(day_text(day, 'it'))}"


# ---------------------------------------------------------------------- HTML and SVG
_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#222;
 max-width:1020px;margin:24px auto;padding:0 16px;background:#fff}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#555;margin:0 0 12px}.summary{font-size:16px;padding:10px 14px;border-radius:6px;background:#f3f6f9}
.summary.alert{background:#fdecea;border-left:5px solid #C0392B}.summary.ok{border-left:5px solid #009E73}
.summary.untested{background:#fdf6e3;border-left:5px solid #E69F00}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}.scroll svg{min-width:640px}
.scroll table{min-width:640px}.more{color:#555;font-size:13px;margin:2px 0 8px}
ul.alerts li{margin:4px 0}.examples{color:#444;font-size:13px;margin-top:2px}.examples ul{margin:2px 0}figure{margin:12px 0 20px}figcaption{color:#555;font-size:13px}
svg{display:block;max-width:100%;height:auto}svg text{font-family:inherit}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:4px 6px;border-bottom:1px solid #eee;
 text-align:left;vertical-align:top}td.day{white-space:nowrap}td.num{text-align:right;white-space:nowrap}
tr.drift td{background:#fdf0ee}
.tag{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px}.tag.drift{background:#C0392B;color:#fff}
.tag.few{background:#eee;color:#555}.tag.ok{background:#e3f4ee;color:#0b6b4f}
.aside{color:#555;font-size:12px;white-space:nowrap}table.by th,td.group{overflow-wrap:anywhere;min-width:6em}
@media print{body{margin:0;max-width:none;font-size:12px}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 .tag{border:1px solid #555}.tag.drift{border-color:#C0392B;font-weight:bold}
 h2{break-after:avoid;page-break-after:avoid}
 figure,svg,tr,.summary{break-inside:avoid;page-break-inside:avoid}
 .scroll{overflow:visible}.scroll svg,.scroll table{min-width:0}td.num,.aside{white-space:normal}}
"""


def _e(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _html(report: Mapping[str, Any]) -> str:
    lang = _lang(report)
    say = _SAY[lang]
    windows = list(report.get("windows", []))
    alerts = list(report.get("alerts", []))
    name, version, about = _profile_words(report, _e)
    profile = say["profile"].format(name=f"<b>{name}</b>", version=f"<code>{version}</code>", about=about)
    meta = f'<p class="meta">{profile} &middot; {_e(_subtitle(report))}</p>'
    parts = ["<!DOCTYPE html>", f'<html lang="{lang}"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{_e(_title(report))}</title><style>{_CSS}</style></head><body>",
             f"<h1>{_e(_title(report))}</h1>", meta,
             f'<p class="summary {_box(report)}">{_e(report.get("summary", ""))}</p>']
    if alerts:
        parts.append(f"<h2>{say['Alerts']}</h2><ul class=\"alerts\">")
        for a in alerts:
            examples = "".join(f"<li>{_e(_example(x, report.get('by'), lang))}</li>" for x in a.get("examples") or ())
            parts.append(f"<li><b>{_e(_alert_since(report, a))}</b> ({_e(_alert_raised(report, a))}, "
                         f"{_e(p_text(a['p_value'], lang=lang))}): {_e(a['message'])}"
                         + (f'<div class="examples">{say["least"]}<ul>{examples}</ul></div>' if examples
                            else "") + "</li>")
        parts.append("</ul>")
    if windows:
        parts += [f"<h2>{say['Score over time']}</h2>", _score_chart(report),
                  f"<h2>{say['Share off-voice']}</h2>", _offvoice_chart(report),
                  f"<h2>{_e(say['What changed'])}</h2>",
                  f"<p>{_e(say[_moved_scope(report)])}</p>" if _by_groups(report) else "", _features_chart(report),
                  f"<h2>{say['Windows']}</h2>", _scroll(_window_table(report)), _group_table(report)]
    else:
        parts.append(f"<p>{_e(say['nothing to chart'])}</p>")
    parts.append(f'<p class="meta">{say["Method"]}{_e(_method_words(report))}</p></body></html>')
    return "\n".join(parts) + "\n"


def _subtitle(report: Mapping[str, Any]) -> str:
    """'2026-03-02 to 2026-04-26, by week · 320 dated posts, 1 undated left out'; without windows or a period
    asked for, 'no dated posts' is said once ('no dated posts · 12 undated posts left out')."""
    undated = report.get("undated") or 0
    it = _lang(report) == "it"
    if report.get("windows") or report.get("since") or report.get("until"):
        if it:
            count = how_many(report.get("n_dated", 0), "post con data", "post con data", "it") + (
                f", {undated} senza data {'escluso' if undated == 1 else 'esclusi'}" if undated else "")
        else:
            count = counted(report.get("n_dated", 0), "dated post") + (
                f", {undated} undated left out" if undated else "")
    elif it:
        count = f"{undated} post senza data {'escluso' if undated == 1 else 'esclusi'}" if undated else ""
    else:
        count = f"{counted(undated, 'undated post')} left out" if undated else ""
    return " · ".join(x for x in (_period(report), count) if x)


def _box(report: Mapping[str, Any]) -> str:
    """The summary box's style: red with an alert, green when windows were tested and none drifts, amber
    when no window could be tested (the report cannot say either way, and must not look like an all-clear)."""
    if report.get("alerts"):
        return "alert"
    return "ok" if _tested_any(report) else "untested"


def _scroll(inner: str) -> str:
    """A wide table or chart in a box that scrolls sideways on a narrow screen rather than squeezing its text."""
    return f'<div class="scroll">{inner}</div>'


def _method_words(report: Mapping[str, Any]) -> str:
    m = report.get("method") or {}
    if _lang(report) == "it":
        alpha = str(m.get("alpha", 0.05)).replace(".", ",")
        alert = m.get("alert", "un periodo in deriva, o da due periodi consecutivi che insieme danno p < 0,01")
        return (f"per ogni {window_words(None, report['window'], 'it')} con almeno {m.get('min_posts', 10)} post "
                f"valutati, i post sono confrontati con i testi del brand, tollerando il piccolo scostamento dei post "
                f"successivi del brand stesso ({'; '.join(_tolerance(report))}); un periodo è in deriva con p < "
                f"{alpha} se la variazione è anche abbastanza ampia da contare; una segnalazione nasce da {alert}.")
    return (f"each {report['window']} with at least {m.get('min_posts', 10)} scored posts is tested against the "
            f"brand's own writing, tolerating the small drift of the brand's own later posts "
            f"({'; '.join(_tolerance(report))}); a window drifts at p < {m.get('alpha', 0.05)} when the change "
            f"is also large enough to matter; an alert is raised by "
            f"{m.get('alert', 'a drifting window, or two consecutive windows that pooled give p < 0.01')}.")


class _Frame:
    """A chart's plot area: maps window index and value to SVG coordinates."""

    def __init__(self, n: int, lo: float, hi: float, *, width: int = 960, height: int = 300,
                 left: int = 56, right: int = 250, top: int = 16, bottom: int = 52) -> None:
        self.n, self.lo, self.hi = max(n, 1), lo, hi
        self.width, self.height = width, height
        self.left, self.right, self.top, self.bottom = left, right, top, bottom
        self.plot_w = width - left - right
        self.plot_h = height - top - bottom

    def x(self, i: float) -> float:
        return self.left + (i + 0.5) * self.plot_w / self.n

    def y(self, v: float) -> float:
        return self.top + (self.hi - v) / (self.hi - self.lo) * self.plot_h

    @property
    def step(self) -> float:
        return self.plot_w / self.n


def _svg(f: _Frame, label: str, parts: Sequence[str]) -> str:
    """The chart's SVG around ``parts``, written last: its height is known once the legend has taken what it needs."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {f.width} {f.height}" width="{f.width}" '
            f'height="{f.height}" role="img" aria-label="{_e(label)}"><title>{_e(label)}</title>{"".join(parts)}'
            "</svg>")


#: Room each label of the windows' axis needs (SVG units): an ISO day, or a month over its year ('Jun' / '2026').
_AXIS_LABEL = {"day": 78, "week": 78, "month": 34}


def _x_axis(f: _Frame, report: Mapping[str, Any], label: str = "window start") -> list[str]:
    """The windows' axis, labelled by each window's start; months as a reader names them, 'Jun 2026' ('giu 2026')
    on two lines, narrow enough that every month has its label up to about 20 of them."""
    windows = report["windows"]
    months = report.get("window") == "month"
    bottom = f.top + f.plot_h
    out = [f'<line x1="{f.left}" y1="{bottom}" x2="{f.left + f.plot_w}" y2="{bottom}" stroke="#444"/>']
    every = max(1, 1 if months else -(-len(windows) // 12),
                int(-(-_AXIS_LABEL.get(report.get("window"), 78) // max(f.step, 1))))
    for i, w in enumerate(windows):
        if i % every:
            continue
        x = f.x(i)
        if months:
            day = dt.date.fromisoformat(w["start"])
            text = (f'{_e(month_text(day, _lang(report), year=False)[:3])}'
                    f'<tspan x="{x:.1f}" dy="13">{day.year}</tspan>')
        else:
            text = _e(w["start"])
        out.append(f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 4}" stroke="#444"/>')
        out.append(f'<text x="{x:.1f}" y="{bottom + 18}" font-size="11" text-anchor="middle" fill="#333">{text}</text>')
    out.append(f'<text x="{f.left + f.plot_w / 2:.1f}" y="{bottom + f.bottom - 8}" font-size="12" '
               f'text-anchor="middle" fill="#333">{_e(label)}</text>')
    return out


def _y_axis(f: _Frame, ticks: Sequence[float], label: str, fmt=lambda v: f"{v:g}") -> list[str]:
    out = [f'<line x1="{f.left}" y1="{f.top}" x2="{f.left}" y2="{f.top + f.plot_h}" stroke="#444"/>']
    for v in ticks:
        y = f.y(v)
        out.append(f'<line x1="{f.left}" y1="{y:.1f}" x2="{f.left + f.plot_w}" y2="{y:.1f}" stroke="#eee"/>')
        out.append(f'<text x="{f.left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#333">'
                   f'{_e(fmt(v))}</text>')
    cy = f.top + f.plot_h / 2
    out.append(f'<text x="14" y="{cy:.1f}" font-size="12" text-anchor="middle" fill="#333" '
               f'transform="rotate(-90 14 {cy:.1f})">{_e(label)}</text>')
    return out


def _drift_columns(f: _Frame, report: Mapping[str, Any], drifting: str = "drifting") -> list[str]:
    out = []
    for i, w in enumerate(report["windows"]):
        if w.get("drift"):
            out.append(f'<rect class="drift-window" x="{f.x(i) - f.step / 2:.1f}" y="{f.top}" width="{f.step:.1f}" '
                       f'height="{f.plot_h}" fill="{DRIFT}" fill-opacity="0.10"><title>{_e(_when(report, w))}: '
                       f'{_e(drifting)}</title></rect>')
    return out


def _when(report: Mapping[str, Any], w: Mapping[str, Any], *, first: bool = True) -> str:
    """A chart tooltip's window in words, in the report's language ('The week of 2 March 2026', 'Maggio 2026'; not
    ``first`` in its sentence: 'maggio 2026'): an ISO date was the one thing in an Italian page a reader had to
    decode (a review)."""
    words = describe_window(dt.date.fromisoformat(w["start"]), report["window"], _lang(report))
    return words[:1].upper() + words[1:] if first else words


#: A legend's line holds at most this many characters: SVG text never wraps, so a longer label takes two lines or
#: is cut with an ellipsis (the full text in a tooltip).
LEGEND_CHARS = 30


def _legend_lines(label: str) -> list[str]:
    """A legend label as drawn: in one line of ``LEGEND_CHARS``, or two broken at a space ('in deriva (per la
    propria serie)'); a label that two lines do not hold (a long group name) is cut with an ellipsis."""
    lines = textwrap.wrap(label, LEGEND_CHARS, break_long_words=False, break_on_hyphens=False)
    return lines if len(lines) <= 2 and all(len(x) <= LEGEND_CHARS for x in lines) else [clip(label, LEGEND_CHARS)]


def _legend(f: _Frame, items: Sequence[tuple[str, str]], note: str = "") -> list[str]:
    """Legend to the right of the plot; ``items`` are (svg swatch, label); ``note`` a last line of plain text.

    A label cut with an ellipsis (``_legend_lines``) has its full text in a <title>. The frame
    grows to hold the legend's last line (a chart with many groups has a tall legend).
    """
    x = f.left + f.plot_w + 16
    y = f.top + 8
    out = ['<g class="legend">']
    for swatch, label in items:
        lines = _legend_lines(label)
        out.append(swatch.format(x=x, y=y, x2=x + 22, cy=y - 4))
        tip = f"<title>{_e(label)}</title>" if " ".join(lines) != label else ""
        more = "".join(f'<tspan x="{x + 28}" dy="14">{_e(line)}</tspan>' for line in lines[1:])
        out.append(f'<text x="{x + 28}" y="{y}" font-size="12" fill="#222">{tip}{_e(lines[0])}{more}</text>')
        y += 20 + 14 * (len(lines) - 1)
    if note:
        out.append(f'<text class="legend-note" x="{x}" y="{y}" font-size="12" fill="{MUTED}">{_e(note)}</text>')
        y += 20
    out.append("</g>")
    f.height = max(f.height, y - 8)
    return out


_TESTABLE = ("tested", "low-power")


def _group_order(report: Mapping[str, Any]) -> list[str]:
    """The groups as the chart takes its colours and the tables list them: those with an alert first, then the lowest
    mean score over the report, then by name; groups without a scored post last.

    Why: with more groups than colours, the drifting ones must be drawn, not named among the
    "more groups"; and a reader scans the table from the left or the top.
    """
    alerted = {a.get("group") for a in report.get("alerts") or () if "group" in a}

    def mean(g: str) -> float:
        parts = [(w.get("by") or {}).get(g) or {} for w in report.get("windows") or ()]
        scored = [(b["mean_score"], b.get("n_scored") or 0) for b in parts if b.get("mean_score") is not None]
        n = sum(k for _, k in scored)
        return sum(m * k for m, k in scored) / n if n else float("inf")

    return sorted(report.get("groups") or [], key=lambda g: (g not in alerted, mean(g), g))


def _drawn(w: Mapping[str, Any]) -> float | None:
    """A window's mean score as the chart's line takes it: of a window tested, alone or with the small windows next
    to it (an author whose months were tested two by two raised the report's alert and had no line: an agency's
    content operations review); None for one too small to test, drawn as a grey point."""
    return w.get("mean_score") if w.get("status") in _TESTABLE or w.get("evidence") is not None else None


def _series(report: Mapping[str, Any]) -> tuple[list[tuple[str, list[Any], list[bool]]], int]:
    """(name, per-window mean score or None, per-window drift) for all posts and for each group, in
    ``_group_order``; and how many groups did not fit in the palette (the chart says so and points to the table).

    A single group whose figures are those of all posts is not drawn a second time.
    """
    windows = report["windows"]
    out = [(_say(report, "all posts"), [_drawn(w) for w in windows], [bool(w.get("drift")) for w in windows])]
    for g in _group_order(report):
        parts = [(w.get("by") or {}).get(g) or {} for w in windows]
        vals = [_drawn(b) for b in parts]
        if any(v is not None for v in vals):
            out.append((f"{by_words(report.get('by') or '', _lang(report))}: {_column(g, report)}", vals,
                        [bool(b.get("drift")) for b in parts]))
    if len(out) == 2 and out[1][1:] == out[0][1:]:
        # One group alone has posts to test (the agency beside the in-house posts the profile learned from):
        # its line is that of all posts, drawn once and named as the group's, as its alerts are (a brand
        # manager's review: the agency's line read "all posts together")
        out = [(out[1][0], *out[0][1:])]
    return out[:len(PALETTE)], max(0, len(out) - len(PALETTE))


def _polyline(f: _Frame, vals: Sequence[Any], color: str, width: float, dash: str = "") -> list[str]:
    out, run = [], []
    for i, v in enumerate(list(vals) + [None]):
        if v is None:
            if len(run) > 1:
                pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                out.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="{width}"'
                           + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
            run = []
        else:
            run.append((f.x(i), f.y(v)))
    return out


UNTESTED = "#BBBBBB"
GROUP_DASH = "5 3"


def _score_chart(report: Mapping[str, Any]) -> str:
    windows = report["windows"]
    ref = report.get("reference") or {}
    band = ref.get("score_band", [25, 75])
    cut = ref.get("off_voice_below", 5)
    f = _Frame(len(windows), 0, 100)
    lang = _lang(report)
    say = _SAY[lang]
    svg = _drift_columns(f, report, say["drifting"])
    # Windows whose posts the profile learned from, and nothing else to test: shaded, so that the gap in the
    # line says why (a profile scores its own learning posts higher than new writing; they are not tested).
    learned = [i for i, w in enumerate(windows) if w.get("status") == "learned"]
    for i in learned:
        svg.append(f'<rect class="learned-window" x="{f.x(i) - f.step / 2:.1f}" y="{f.top}" width="{f.step:.1f}" '
                   f'height="{f.plot_h}" fill="{UNTESTED}" fill-opacity="0.18"><title>{_e(_when(report, windows[i]))}: '
                   f'{_e(say["learned window"])}</title></rect>')
    svg.append(f'<rect class="band" x="{f.left}" y="{f.y(band[1]):.1f}" width="{f.plot_w}" '
               f'height="{f.y(band[0]) - f.y(band[1]):.1f}" fill="{BAND}"/>')
    svg += _y_axis(f, [0, 25, 50, 75, 100], say["mean score axis"])
    svg.append(f'<line class="brand-mean" x1="{f.left}" y1="{f.y(50):.1f}" x2="{f.left + f.plot_w}" '
               f'y2="{f.y(50):.1f}" stroke="{MUTED}" stroke-dasharray="2 3"/>')
    svg.append(f'<line class="off-voice-line" x1="{f.left}" y1="{f.y(cut):.1f}" x2="{f.left + f.plot_w}" '
               f'y2="{f.y(cut):.1f}" stroke="{DRIFT}" stroke-dasharray="6 4" stroke-width="1.5"/>')
    svg += _x_axis(f, report, say["window start"])
    # Windows with too few posts to test: their mean score greyed, so that a report with nothing
    # tested does not look like an empty, all-clear chart.
    untested = [(i, w) for i, w in enumerate(windows) if _drawn(w) is None and w.get("mean_score") is not None]
    for i, w in untested:
        n = w.get("n_scored", w["n"])
        tip = (f"punteggio medio {w['mean_score']:.0f} su {how_many(n, 'post', 'post', lang)}, troppo pochi per il test"
               if lang == "it" else f"mean score {w['mean_score']:.0f} over {counted(n, 'post')}, too few to test")
        svg.append(f'<circle class="untested" cx="{f.x(i):.1f}" cy="{f.y(w["mean_score"]):.1f}" r="4" '
                   f'fill="{UNTESTED}"><title>{_e(_when(report, w))}: {_e(tip)}</title></circle>')
    series, left_out = _series(report)
    any_drift = False
    for k, (name, vals, drifts) in enumerate(series):
        color = PALETTE[k]
        width = 3 if k == 0 else 2
        svg += _polyline(f, vals, color, width, "" if k == 0 else GROUP_DASH)
        for i, v in enumerate(vals):
            if v is None:
                continue
            drifting = drifts[i]
            any_drift = any_drift or drifting
            ring = f' stroke="{DRIFT}" stroke-width="2.5"' if drifting else ""
            radius = (4 if k == 0 else 3) + drifting
            mean = "punteggio medio" if lang == "it" else "mean score"
            svg.append(f'<circle class="point" cx="{f.x(i):.1f}" cy="{f.y(v):.1f}" r="{radius}" '
                       f'fill="{color}"{ring}><title>{_e(name)}, {_e(_when(report, windows[i], first=False))}: {mean} '
                       f'{v:.0f}{" (" + say["drifting"] + ")" if drifting else ""}</title></circle>')
    items = [(f'<line x1="{{x}}" y1="{{cy}}" x2="{{x2}}" y2="{{cy}}" stroke="{PALETTE[k]}" stroke-width="3"'
              + ("" if k == 0 else f' stroke-dasharray="{GROUP_DASH}"') + "/>", name)
             for k, (name, vals, _) in enumerate(series) if any(v is not None for v in vals)]
    if untested:
        items.append((f'<circle cx="{{x}}" cy="{{cy}}" r="4" transform="translate(11 0)" fill="{UNTESTED}"/>',
                      say["too few posts to test"]))
    if learned:
        items.append((f'<rect x="{{x}}" y="{{cy}}" width="22" height="10" transform="translate(0 -5)" '
                      f'fill="{UNTESTED}" fill-opacity="0.18"/>', say["learned window"]))
    items += [(f'<rect x="{{x}}" y="{{cy}}" width="22" height="10" transform="translate(0 -5)" fill="{BAND}"/>',
               say["middle half"].format(lo=band[0], hi=band[1])),
              (f'<line x1="{{x}}" y1="{{cy}}" x2="{{x2}}" y2="{{cy}}" stroke="{MUTED}" stroke-dasharray="2 3"/>',
               say["average"]),
              (f'<line x1="{{x}}" y1="{{cy}}" x2="{{x2}}" y2="{{cy}}" stroke="{DRIFT}" stroke-dasharray="6 4"/>',
               say["off-voice below"].format(cut=cut))]
    if any(w.get("drift") for w in windows):
        items.append((f'<rect x="{{x}}" y="{{cy}}" width="22" height="10" transform="translate(0 -5)" '
                      f'fill="{DRIFT}" fill-opacity="0.15"/>', say["drifting window (of)"].format(of=series[0][0])))
    if any_drift:
        items.append((f'<circle cx="{{x}}" cy="{{cy}}" r="5" transform="translate(11 0)" fill="#fff" '
                      f'stroke="{DRIFT}" stroke-width="2.5"/>', say["drifting (series)"]))
    if lang == "it":
        others = "un altro gruppo" if left_out == 1 else f"altri {left_out} gruppi"
        more = f"{others}: vedi la tabella" if left_out else ""
    else:
        more = f"{left_out} more group{'' if left_out == 1 else 's'}: see the table" if left_out else ""
    svg += _legend(f, items, more)
    caption = say["score caption"]
    if learned:
        caption += " " + say["learned caption"]
    if len(series) > 2 or left_out:
        caption += " " + say["group order"]
    if more:
        caption += f" {more.capitalize()} più sotto." if lang == "it" else f" {more.capitalize()} below."
    return (f'<figure id="score-chart">{_scroll(_svg(f, say["score chart"], svg))}<figcaption>{_e(caption)}'
            f'</figcaption></figure>')


def _offvoice_chart(report: Mapping[str, Any]) -> str:
    windows = report["windows"]
    rates = [w.get("off_voice_rate") for w in windows]
    top = max([0.25] + [r for r in rates if r is not None])
    top = min(1.0, (int(top * 10) + 1) / 10)
    f = _Frame(len(windows), 0, top, height=260)
    lang = _lang(report)
    say = _SAY[lang]
    ticks = [t / 100 for t in range(0, int(round(top * 100)) + 1, 10 if top > 0.3 else 5)]
    svg = _y_axis(f, ticks, say["share axis"], lambda v: f"{100 * v:.0f}%")
    bar_w = max(2.0, f.step * 0.7)
    kinds = set()
    for i, w in enumerate(windows):
        r = w.get("off_voice_rate")
        if r is None:
            continue
        testable = w.get("drift") is not None
        kind = "drift" if w.get("drift") else ("tested" if testable else "few")
        kinds.add(kind)
        color = {"drift": DRIFT, "tested": PALETTE[0], "few": UNTESTED}[kind]
        h = max(f.y(0) - f.y(r), 1.0)
        n = w.get("n_scored", w["n"])
        tip = (f"{100 * r:.0f}% fuori voce su {how_many(n, 'post', 'post', lang)}" if lang == "it"
               else f"{100 * r:.0f}% off-voice of {counted(n, 'post')}")
        svg.append(f'<rect class="bar" x="{f.x(i) - bar_w / 2:.1f}" y="{f.y(0) - h:.1f}" width="{bar_w:.1f}" '
                   f'height="{h:.1f}" fill="{color}"><title>{_e(_when(report, w))}: {_e(tip)}</title></rect>')
    svg.append(f'<line x1="{f.left}" y1="{f.y(0.05):.1f}" x2="{f.left + f.plot_w}" y2="{f.y(0.05):.1f}" '
               f'stroke="#222" stroke-dasharray="6 4"/>')
    svg += _x_axis(f, report, say["window start"])
    items = [(f'<rect x="{{x}}" y="{{cy}}" width="22" height="10" transform="translate(0 -5)" fill="{PALETTE[0]}"/>',
              say["tested window"])] if "tested" in kinds else []
    if "drift" in kinds:
        items.append((f'<rect x="{{x}}" y="{{cy}}" width="22" height="10" transform="translate(0 -5)" '
                      f'fill="{DRIFT}"/>', say["drifting window"]))
    if "few" in kinds:
        items.append((f'<rect x="{{x}}" y="{{cy}}" width="22" height="10" transform="translate(0 -5)" '
                      f'fill="{UNTESTED}"/>', say["too few posts to test"]))
    items += [('<line x1="{x}" y1="{cy}" x2="{x2}" y2="{cy}" stroke="#222" stroke-dasharray="6 4"/>',
               say["brand 5%"])]
    svg += _legend(f, items)
    return (f'<figure id="offvoice-chart">{_scroll(_svg(f, say["offvoice chart"], svg))}<figcaption>'
            f'{_e(say["offvoice caption"])}</figcaption></figure>')


#: Rows of the feature grid; the list under it names every feature that moved.
GRID_ROWS = 8
_ARROW = {"up": "▲", "down": "▼"}


def _features_chart(report: Mapping[str, Any]) -> str:
    """A grid: one row per feature that moved, one column per window, coloured and marked up or down.

    The grid has at most ``GRID_ROWS`` rows and says how many more features the list under it names;
    the list names each feature and direction that moved, so that a cell painted "down" has its entry.
    """
    windows = report["windows"]
    lang = _lang(report)
    say = _SAY[lang]
    moved = _moved(report)
    if not moved:
        if not _compared_any(report):
            return f"<p class=\"untested\">{_e(_no_test_words(report))}</p>"
        return f"<p>{say['nothing moved']}</p>"  # fixed words: as they were, unescaped
    rows: list[tuple[str, str]] = []
    for f in moved:
        if f["feature"] not in [r[0] for r in rows]:
            rows.append((f["feature"], _row_label(moved, f, lang)))
    hidden = max(0, len(rows) - GRID_ROWS)
    rows = rows[:GRID_ROWS]
    row_h = 26
    fr = _Frame(len(windows), 0, 1, height=16 + row_h * len(rows) + 52, left=250, right=200)
    svg = []
    colours = {"up": "#D55E00", "down": "#0072B2"}
    used = set()
    for k, (name, lab) in enumerate(rows):
        y = fr.top + k * row_h
        short = clip(lab, 38)
        tip = f"<title>{_e(lab)}</title>" if short != lab else ""
        svg.append(f'<text x="{fr.left - 8}" y="{y + row_h / 2 + 4:.1f}" font-size="12" text-anchor="end" '
                   f'fill="#222">{tip}{_e(short)}</text>')
        svg.append(f'<rect x="{fr.left}" y="{y + 2}" width="{fr.plot_w}" height="{row_h - 4}" fill="#f6f6f6"/>')
        for i, w in enumerate(windows):
            hit = next((t for t in _features_of(w) if t["feature"] == name), None)
            if hit is None:
                continue
            used.add(hit["direction"])
            cx = fr.x(i)
            svg.append(f'<rect class="cell {_e(hit["direction"])}" x="{cx - fr.step / 2 + 1:.1f}" y="{y + 2}" '
                       f'width="{max(fr.step - 2, 1):.1f}" height="{row_h - 4}" fill="{colours[hit["direction"]]}">'
                       f'<title>{_e(_when(report, w))}: {_e(hit["message"])}</title></rect>')
            if fr.step >= 12:  # the direction as a glyph too, not by colour alone
                svg.append(f'<text class="glyph" x="{cx:.1f}" y="{y + row_h / 2 + 4:.1f}" font-size="11" '
                           f'text-anchor="middle" fill="#fff">{_ARROW[hit["direction"]]}</text>')
    fr.plot_h = row_h * len(rows)
    svg += _x_axis(fr, report, say["window start"])
    items = [(f'<rect x="{{x}}" y="{{cy}}" width="22" height="10" transform="translate(0 -5)" fill="{c}"/>',
              say[d].format(arrow=_ARROW[d])) for d, c in colours.items() if d in used]
    if lang == "it":
        more = ("e un'altra: vedi l'elenco" if hidden == 1 else f"e altre {hidden}: vedi l'elenco") if hidden else ""
    else:
        more = f"and {hidden} more: see the list" if hidden else ""
    svg += _legend(fr, items, more)
    lis = "".join(f"<li>{_e(f['message'])} <span class=\"meta\">({_e(_moved_note(report, f))})</span></li>"
                  for f in moved)
    caption = say["features caption"]
    if hidden and lang == "it":
        others = "un'altra è" if hidden == 1 else f"altre {hidden} sono"
        caption += f" La griglia mostra {len(rows)} caratteristiche; {others} nell'elenco."
    elif hidden:
        caption += f" The grid shows {len(rows)} features, and {hidden} more: see the list."
    return (f'<figure id="features-chart">{_scroll(_svg(fr, say["features chart"], svg))}<figcaption>{_e(caption)}'
            '</figcaption></figure>'
            f'<ul class="moved">{lis}</ul>')


def _row_label(moved: Sequence[Mapping[str, Any]], f: Mapping[str, Any], lang: str) -> str:
    """A grid row's name: the feature's label; for the length of posts (whose label is its unit, 'words') what the
    list under the grid says, 'shorter posts' (both ways: 'longer posts / shorter posts')."""
    if f["label"] != f.get("unit"):
        return f["label"]
    return " / ".join(length_words(x["direction"], lang) for x in moved if x["feature"] == f["feature"])


def _window_table(report: Mapping[str, Any]) -> str:
    say = _SAY[_lang(report)]
    rows = ["<table><thead><tr>" + "".join(f"<th>{_e(c)}</th>" for c in say["columns"].split("|"))
            + "</tr></thead><tbody>"]
    for w in _table_windows(report):
        word, pv, note = _drift_test(report, w)
        if w.get("drift"):
            tag = f'<span class="tag drift">{_e(word)}</span>'
        elif w.get("drift") is None:
            tag = f'<span class="tag few">{_e(word)}</span>'
        else:
            tag = f'<span class="tag ok">{_e(say["no"])}</span>'
        aside = f'<br><span class="aside">{_e(note)}</span>' if note else ""
        first, last = _days_shown(report, w)
        start = _e(first) + (f' <span class="aside">{_e(say["partial"])}</span>' if _partial(report, w) else "")
        rows.append(f'<tr class="{"drift" if w.get("drift") else ""}"><td class="day">{start}</td>'
                    f'<td class="day">{_e(last)}</td>'
                    f'<td class="num">{_e(w["n"])}</td><td class="num">{_num(w.get("mean_score"))}</td>'
                    f'<td class="num">{_pct(w.get("off_voice_rate"))}</td><td>{tag}</td><td class="num">{_e(pv)}'
                    f'{aside}</td><td>{_e(w.get("summary", ""))}</td></tr>')
    rows.append("</tbody></table>")
    return "".join(rows)


def _column(group: str, report: Mapping[str, Any]) -> str:
    """A group as a table's column or a chart's legend names it: 'agency'; '(non indicata)' in Italian."""
    return group if group != NO_GROUP else group_words(group, report.get("by"), _lang(report))


#: A --by table has at most this many columns of figures: with more, it would not fit an A4 page or a laptop's screen.
BY_COLUMNS = 6


_ByTable = tuple[str, list[str], list[tuple[str, list[Mapping[str, Any]]]]]


def _by_tables(report: Mapping[str, Any]) -> tuple[bool, list[_ByTable]]:
    """The --by breakdown as tables that fit a page: whether their rows are windows (else groups), and each table's
    (corner, column heads, rows of (row head, a group's figures in a window per column)), groups in
    ``_group_order`` (those with an alert first).

    Windows are rows and groups columns, as in the windows' table; with more groups than
    ``BY_COLUMNS`` and fewer windows than groups, one row per group instead (20 sources over 6
    months: 20 rows of 6 months). Columns beyond ``BY_COLUMNS`` go to the next table, never off the page.
    """
    starts = [w["start"] for w in report["windows"]]
    groups = _group_order(report)
    figures = {(w["start"], g): (w.get("by") or {}).get(g) or {} for w in report["windows"] for g in groups}
    by_window = not (len(groups) > BY_COLUMNS and len(starts) < len(groups))
    if by_window:
        corner, heads = _say(report, "start"), [_column(g, report) for g in groups]
        # a run of windows of posts the profile learned from is one row, as in the windows' table: a brand's year
        # of in-house weeks had taken a row each before the agency's first (a review)
        rows = [(run[0]["start"], [figures[run[0]["start"], g] for g in groups]) if len(run) == 1 else
                (f"{run[0]['start']} ({window_words(len(run), report['window'], _lang(report))})",
                 [_learned_cell([figures[w["start"], g] for w in run]) for g in groups])
                for run in _table_runs(report)]
    else:
        corner, heads = by_words(report["by"], _lang(report)), starts
        rows = [(_column(g, report), [figures[s, g] for s in starts]) for g in groups]
    return by_window, [(corner, heads[k:k + BY_COLUMNS], [(head, cells[k:k + BY_COLUMNS]) for head, cells in rows])
                       for k in range(0, len(heads), BY_COLUMNS)]


def _learned_cell(parts: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """A group's posts over a run of windows of posts the profile learned from, as one window's figures."""
    return {"n": sum(b.get("n") or 0 for b in parts), "n_scored": 0, "learned": sum(b.get("learned", 0) for b in parts)}


def _group_table(report: Mapping[str, Any]) -> str:
    """The --by breakdown as tables (``_by_tables``), as in the Markdown: the chart leaves out groups too small to
    test, or beyond its colours."""
    groups = report.get("groups") or []
    if not (report.get("by") and groups):
        return ""
    lang = _lang(report)
    say = _SAY[lang]
    out = [f'<h2>{_e(say["By"].format(by=by_words(report["by"], lang)))}</h2>']
    if len(groups) > 1:
        out.append(f'<p class="more">{_e(say["group order"])}</p>')
    by_window, tables = _by_tables(report)
    for corner, heads, rows in tables:
        html_rows = [f'<table class="by"><thead><tr><th>{_e(corner)}</th>'
                     + "".join(f"<th>{_e(h)}</th>" for h in heads) + "</tr></thead><tbody>"]
        for head, parts in rows:
            cells = "".join(f'<td>{_e(_group_cell(b, lang))}'
                            + (f' <span class="tag drift">{_e(say["drift"])}</span>' if b.get("drift") else "")
                            + "</td>" for b in parts)
            html_rows.append(f'<tr><td class="{"day" if by_window else "group"}">{_e(head)}</td>{cells}</tr>')
        html_rows.append("</tbody></table>")
        out.append(_scroll("".join(html_rows)))
    return "".join(out)
