"""The drift report's sentences: each window's, and the summary that leads the report.

The summary says whether drift was found, in which writing and since when (the earliest
alert), what else was found, and what to check when the writing differs from the profile
from the first window on (``advises_relearning``). Why apart from the report: the report's
figures are for tools, these sentences for the brand's own people, in English or Italian,
and they are read and changed together.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from .alerts import SMALL_TOGETHER
from .typicality import ALPHA, LOW_POWER_BELOW, MIN_POSTS, p_text
from .windows import NO_GROUP, _since, by_words, feminine, group_words, learned_period_words, period_words, window_words
from .wording import article_it, count, counted, day_text, how_many

__all__ = ["not_tested", "all_learned", "all_too_short", "advises_relearning"]

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


def _learned_day(learned: str, lang: str) -> str:
    """The day a profile was learned, as a sentence shows it: 'on 30 June 2025', 'il 30 giugno 2025'."""
    try:
        written = day_text(dt.date.fromisoformat(learned), lang)
    except ValueError:
        return learned
    return article_it(written) if lang == "it" else f"on {written}"


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
