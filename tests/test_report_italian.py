"""Drift reports in Italian: the JSON's sentences, the Markdown and the HTML page (synthetic posts, no models).

The first customers write in Italian: an Italian profile's report speaks Italian unless
``explain_in`` asks for English, and no English template word may leak into what a person reads.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import re

import numpy as np
import pytest
from test_drift import exact_week, inhouse_and_drifting_agency, post, profile, uniform_stream, weeks_of  # noqa: F401

from voicecheck.drift import drift_report, note_other_versions
from voicecheck.errors import InputError
from voicecheck.report_render import render_report
from voicecheck.typicality import MIN_POSTS

#: Words of the English templates: none may appear in an Italian report's prose.
ENGLISH = ("the brand", "posts", "week of", " since ", "off-voice", "drift from", "mean score", "drifting", "alert",
           "window", "scored", "too few", "learned", "to", "none", "brand's", "least like", "what changed",
           "period", "partial", "p-value", "in words", "moved", "score", "clean", "worse", "and", "the", "of")
#: Fields that hold codes, ids, dates, names or the scores' own words, not the report's sentences.
NOT_PROSE = {"feature", "direction", "verdict", "status", "start", "end", "raised", "since", "until", "date", "id",
             "window", "by", "kind", "evidence", "source", "channel", "author", "name", "version", "lang",
             "explained_in", "learned_at", "window_starts", "groups", "reason"}
MONTHS_IT = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
             "ottobre", "novembre", "dicembre")


@pytest.fixture()
def it_profile(profile):
    """The drift tests' stand-in profile, learned from Italian writing."""
    profile.info = {**profile.info, "lang": "it"}
    profile.lang_ = "it"
    return profile


def prose(value, key=None):
    """Every sentence of a report: its string values, less the codes, ids, dates and example reasons."""
    if key in NOT_PROSE:
        return
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from prose(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from prose(v, key)


def english_in(text: str) -> list[str]:
    """The English template words in ``text``, as whole words ('period' is not in 'periodi')."""
    low = text.lower()
    return [w for w in ENGLISH if re.search(rf"(?<!\w){re.escape(w.strip())}(?!\w)", low)]


def injected_shift():
    """Eight clean weeks, then four where half the posts score under 6 with many exclamation marks."""
    rng = np.random.default_rng(11)
    posts = uniform_stream(rng, 8)
    start = dt.date(2026, 1, 5) + dt.timedelta(weeks=8)
    for w in range(4):
        for k in range(30):
            score = float(rng.uniform(0, 100)) if k % 2 else float(rng.uniform(0, 6))
            posts.append(post(start + dt.timedelta(days=7 * w + k % 7), round(score, 1), i=1000 + 30 * w + k,
                              style={"words": 20.0, "exclamation_rate": 4.0, "comma_rate": 5.0}))
    return posts


def worse_after_a_gap():
    """An alert over weeks 1, 2, 4, 5 (week 3: too few posts), then two weeks clearly worse."""
    posts = [p for w, e in enumerate((0.5, 0.5, 0.5, 0.5, 0.5, 0.2, 0.2)) for p in exact_week(w, e)]
    return [p for p in posts if not ("2026-01-19" <= p["date"] < "2026-01-26")] + exact_week(2, 0.5, per_week=3)


def stale_profile():
    return weeks_of(*(1.0 if w == 0 else {1: 0.25, 8: 0.25}.get(w, 0.65) for w in range(14)))


SCENARIOS = {
    "agency": (inhouse_and_drifting_agency, {"by": "source"}),
    "shift": (injected_shift, {}),
    "worse": (worse_after_a_gap, {}),
    "stale": (stale_profile, {}),
    "months": (stale_profile, {"window": "month"}),
    "days": (lambda: weeks_of(1.0, 0.3), {"window": "day", "since": "2026-01-08"}),
    "untested": (lambda: [post("2026-03-03", 50, i=i) for i in range(4)] + [post(None, 50, i=9)], {}),
    "undated": (lambda: [post(None, 50, i=1), post(None, 40, i=2)], {}),
    "outside": (lambda: [post("2026-03-03", 50, i=i) for i in range(3)], {"since": "2027-01-01",
                                                                        "until": "2027-03-31"}),
    "nothing": (lambda: [], {}),
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_no_english_word_in_an_italian_report(it_profile, name):
    make, options = SCENARIOS[name]
    it_profile.learned_at_ = "2025-06-30T09:00:00+00:00"
    rep = drift_report(make(), it_profile, **options)
    note_other_versions(rep, [{"version": "v-old", "n_posts": 3}])
    assert rep["explained_in"] == "it"
    sentences = list(prose(rep))
    assert any(k == "summary" for k, _ in sentences)
    for key, text in sentences:
        assert not english_in(text), (key, text, english_in(text))
    for fmt in ("md", "html"):
        text = _reader_text(render_report(rep, fmt)) if fmt == "html" else render_report(rep, fmt)
        assert not english_in(text), (fmt, english_in(text))


def test_an_italian_report_reads_in_italian(it_profile):
    rep = drift_report(injected_shift(), it_profile)
    assert rep["explained_in"] == "it"
    (alert,) = rep["alerts"]
    assert alert["start"] == "2026-03-02"
    summary = rep["summary"]
    assert summary.startswith("360 post con data in 12 settimane, 12 con abbastanza post per il test. ")
    assert "Deriva rilevata nell'insieme dei post dalla settimana del 2 marzo 2026: punteggio medio " in summary
    assert alert["message"].startswith("deriva rispetto alla voce del brand dalla settimana del 2 marzo 2026: "
                                       "punteggio medio ")
    assert "fuori voce (i testi del brand: circa il 5%) su 30 post" in alert["message"]
    # the feature clause: decimal comma, and without its own "since" (the alert says since when)
    assert re.search(r"; punti esclamativi in aumento da 0,\d a 4 ogni 100 parole(;|$)", alert["message"])
    excl = next(f for f in rep["windows"][9]["top_features"] if f["feature"] == "exclamation_rate")
    assert (excl["label"], excl["unit"], excl["direction"]) == ("punti esclamativi", "ogni 100 parole", "up")
    assert excl["message"].endswith("a 4 ogni 100 parole dalla settimana del 2 marzo 2026")
    assert excl["since"] == "2026-03-02" and excl["window"] == 4.0  # numbers and dates stay as they are
    assert rep["windows"][8]["summary"].startswith("30 post, punteggio medio ")
    assert "fuori voce: si allontana dalla voce del brand (p < 0,001)" in rep["windows"][8]["summary"]
    assert rep["method"]["alert"].endswith("(p < 0,01)")
    assert [w["drift"] for w in rep["windows"]] == [w["drift"] for w in drift_report(injected_shift(), it_profile,
                                                                                    explain_in="en")["windows"]]


def test_chart_tooltips_name_their_window_in_words(it_profile):
    """An ISO date was the one thing in an Italian page a reader had to decode (a review)."""
    rep = drift_report(injected_shift(), it_profile)
    tips = re.findall(r"<title>([^<]*)</title>", render_report(rep, "html"))
    assert "La settimana del 2 marzo 2026: in deriva" in tips
    assert any(t.startswith("tutti i post insieme, la settimana del 2 marzo 2026: punteggio medio ") for t in tips)
    assert not [t for t in tips if re.search(r"\d{4}-\d{2}-\d{2}", t)]
    monthly = re.findall(r"<title>([^<]*)</title>", render_report(drift_report(injected_shift(), it_profile,
                                                                               window="month"), "html"))
    assert any(t.startswith("Marzo 2026: ") for t in monthly)
    english = re.findall(r"<title>([^<]*)</title>", render_report(drift_report(injected_shift(), it_profile,
                                                                               explain_in="en"), "html"))
    assert "The week of 2 March 2026: drifting" in english


def test_italian_dates_agree_with_their_article(it_profile):
    """'dal 1º marzo', "dall'8 marzo", 'da marzo 2026', 'le settimane dal ... al ...': Italian as it is written."""
    day = drift_report([post("2026-03-08", 0.5, i=i, verdict="off-voice") for i in range(12)], it_profile,
                       window="day")
    assert "Deriva rilevata nell'insieme dei post dall'8 marzo 2026: " in day["summary"]
    month = drift_report([post("2026-08-03", 0.5, i=i, verdict="off-voice") for i in range(12)], it_profile,
                         window="month")
    assert "Deriva rilevata nell'insieme dei post da agosto 2026: " in month["summary"]
    grew = drift_report(weeks_of(1.0, 1.0, 0.35, 0.3, 0.28), it_profile)
    assert ("; nell'intera segnalazione (le settimane dal 19 gennaio al 2 febbraio 2026, 90 post): punteggio medio "
            in grew["alerts"][0]["message"])
    worse = drift_report(worse_after_a_gap(), it_profile)["alerts"][1]
    assert worse["kind"] == "worse"
    assert worse["message"].startswith("dalla settimana del 9 febbraio 2026 la scrittura si è allontanata ancora di "
                                       "più dalla voce del brand, con un punteggio medio di ")
    assert "nelle 4 settimane esaminate in precedenza (dalla settimana del 5 gennaio 2026;" in worse["message"]
    first = drift_report(worse_after_a_gap(), it_profile)["alerts"][0]
    assert "(le settimane dal 5 gennaio al 2 febbraio 2026, 4 settimane esaminate, 120 post)" in first["message"]


def test_italian_summaries_without_windows_and_counts_of_one(it_profile):
    assert drift_report([], it_profile)["summary"] == "Non ci sono post da analizzare."
    assert drift_report([post("2026-03-03", 50)], it_profile, since="2026-04-01")["summary"] == (
        "Nessun post ha una data nel periodo richiesto (dal 1º aprile 2026 in poi): l'unico post con data ne resta "
        "fuori.")
    one = drift_report([post("2026-03-03", 50, i=1), post(None, 50, i=2)], it_profile, window="month")
    assert one["summary"] == ("1 post con data in 1 mese, nessuno con abbastanza post per il test. Troppo pochi post "
                              "al mese per verificare una deriva.")
    assert one["windows"][0]["summary"].startswith("1 post valutato: non basta per il test")
    note_other_versions(one, [{"version": "v-old", "n_posts": 1}])
    assert one["summary"].endswith(" 1 post valutato con un'altra versione del profilo è escluso: per includerlo va "
                                   "valutato di nuovo.")
    for n, said in ((8, "Nessuno degli 8 post ha una data"), (11, "Nessuno degli 11 post ha una data"),
                    (12, "Nessuno dei 12 post ha una data")):
        assert drift_report([post(None, 50, i=i) for i in range(n)], it_profile)["summary"].startswith(said)
    for n, said in ((8, "tutti gli 8 post con data ne restano fuori"), (12, "tutti i 12 post con data")):
        assert said in drift_report([post("2026-03-03", 50, i=i) for i in range(n)], it_profile,
                                    since="2026-04-01")["summary"]
    short = drift_report([post("2026-03-03", 1.0, i=i, verdict="too-short") for i in range(3)], it_profile)
    assert short["windows"][0]["summary"] == "3 post, tutti troppo brevi per essere valutati"
    weekly = drift_report([post(f"2026-03-{d:02d}", 50, i=d) for d in range(2, 30, 9)], it_profile, window="week")
    assert weekly["summary"].endswith("Troppo pochi post a settimana per verificare una deriva: prova con periodi "
                                      "mensili.")  # a longer window gathers them


def test_a_group_alert_names_its_group_in_italian(it_profile):
    rep = drift_report(inhouse_and_drifting_agency(), it_profile, by="source")
    agency = next(a for a in rep["alerts"] if a.get("group") == "agency")
    assert agency["by"] == "source" and agency["message"].startswith("fonte 'agency': deriva rispetto alla voce")
    # the one group that drifted leads the summary; all posts together follow (a brand manager's review)
    assert "Deriva rilevata nei post della fonte 'agency' dalla settimana del 19 gennaio 2026: punteggio medio 3" \
        in rep["summary"]
    assert ("C'è un'altra segnalazione: l'insieme dei post dalla settimana del 19 gennaio 2026 (punteggio medio 30, "
            "31% fuori voce su 200 post).") in rep["summary"]
    assert "È presente fin dal primo periodo" not in rep["summary"]  # the agency began after clean weeks


def test_explain_in_english_gives_today_s_report_for_an_italian_profile(profile):
    posts = inhouse_and_drifting_agency(reasons=True)
    english = drift_report(posts, profile, by="source")
    assert english["explained_in"] == "en"
    italian_profile = copy.copy(profile)
    italian_profile.info, italian_profile.lang_ = {**profile.info, "lang": "it"}, "it"
    asked = drift_report(posts, italian_profile, by="source", explain_in="en")
    assert asked["explained_in"] == "en" and asked["profile"]["lang"] == "it"
    assert {k: v for k, v in asked.items() if k != "profile"} == {k: v for k, v in english.items() if k != "profile"}
    assert asked["summary"].startswith("260 dated posts in 6 weeks") and "Drift found" in asked["summary"]
    assert render_report(asked, "md").startswith("# Voice drift report: acme")
    # and the other way: Italian for an English profile, when asked
    assert drift_report(posts, profile, by="source", explain_in="it")["summary"].startswith("260 post con data")


def test_explain_in_another_language_is_an_input_error(profile):
    with pytest.raises(InputError, match="explain_in 'fr'") as err:
        drift_report([post("2026-03-03", 50)], profile, explain_in="fr")
    assert err.value.field == "explain_in"


# ---------------------------------------------------------------------- the pages
def _reader_text(page: str) -> str:
    """What a reader of the page sees or hears: its text, tooltips and aria labels (no CSS, no markup)."""
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    labels = " ".join(re.findall(r'aria-label="([^"]*)"', page))
    return html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + labels)


@pytest.fixture()
def italian_report(it_profile):
    return drift_report(inhouse_and_drifting_agency(), it_profile, by="source")


def test_markdown_in_italian(italian_report):
    md = render_report(italian_report, "md")
    assert md.startswith("# Report sulla deriva della voce: acme\n")
    assert ("Profilo **acme**, versione `v123` (italiano): il riferimento fisso. Periodo: dal 5 gennaio al 15 febbraio "
            "2026, per settimana.") in md
    for heading in ("## Segnalazioni", "## Periodi", "## Per fonte", "## Cosa è cambiato nella scrittura"):
        assert f"\n{heading}\n" in md
    assert "- **dal 19 gennaio 2026** (segnalata nella settimana del 19 gennaio 2026, p < 0,001)" in md
    assert "| inizio | ultimo giorno | post | punteggio medio | fuori voce | deriva | valore p | in sintesi |" in md
    assert "| DERIVA |" in md and "fuori voce **deriva** |" in md
    assert "tollera fino al 9% di post fuori voce e un punteggio medio di 44 (il valore predefinito" in md
    assert f"\nMetodo: per ogni settimana con almeno {MIN_POSTS} post valutati" in md
    assert any(m in md for m in MONTHS_IT)
    assert not english_in(md), english_in(md)


def test_html_in_italian(italian_report):
    page = render_report(italian_report, "html")
    assert '<html lang="it">' in page
    text = _reader_text(page)
    for words in ("Report sulla deriva della voce: acme", "Segnalazioni", "Punteggio nel tempo",
                  "Quota di post fuori voce", "Cosa è cambiato nella scrittura", "Periodi", "Per fonte",
                  "inizio del periodo", "punteggio medio (0-100)", "fascia abituale (25-75)", "media del brand: 50",
                  "I post meno simili al brand:", "dal 19 gennaio 2026", "fonte: agency"):
        assert words in text, words
    assert 'aria-label="Punteggio medio per periodo, con la fascia abituale del brand"' in page
    assert not english_in(text), english_in(text)


def test_the_pages_word_the_evidence_codes_in_italian(italian_report):
    rep = copy.deepcopy(italian_report)
    w = rep["windows"][2]
    w.update(drift=True, evidence="against the earlier windows", p_value=0.34)
    md = render_report(rep, "md")
    assert re.search(r"\| DERIVA \(rispetto alle settimane precedenti\) \| (< \S+|[^<\s]+) \(rispetto alle settimane "
                     r"precedenti\); rispetto al profilo: 0,34 \|", md)
    w["evidence"] = "with the window next to it"
    rep["window"] = "month"
    assert "DERIVA (insieme al mese accanto)" in render_report(rep, "md")


def test_a_stored_report_without_explained_in_renders_in_english(italian_report):
    """Reports stored before ``explained_in`` existed were English: their pages stay English."""
    old = {k: v for k, v in italian_report.items() if k != "explained_in"}
    assert render_report(old, "md").startswith("# Voice drift report: acme")
    assert '<html lang="en">' in render_report(old, "html")


# ---------------------------------------------------------------------- wording's helpers
def test_italian_articles_before_numbers_and_spans_of_days():
    from voicecheck.wording import article_it, day_span, month_span

    assert [article_it(x) for x in ("9%", "8%", "11%", "1%", "18%", "80%", "1º marzo")] == [
        "il 9%", "l'8%", "l'11%", "l'1%", "il 18%", "l'80%", "il 1º marzo"]
    assert [article_it(x, "da") for x in ("2 marzo", "8 marzo", "1º marzo")] == ["dal 2 marzo", "dall'8 marzo",
                                                                                "dal 1º marzo"]
    assert article_it("8", "in", plural=True) == "negli 8" and article_it("4", "in", plural=True) == "nei 4"
    d = dt.date
    assert day_span(d(2026, 3, 2), d(2026, 3, 5), "it") == "dal 2 al 5 marzo 2026"
    assert day_span(d(2026, 3, 1), d(2026, 4, 8), "it") == "dal 1º marzo all'8 aprile 2026"
    assert day_span(d(2025, 12, 29), d(2026, 1, 5), "it") == "dal 29 dicembre 2025 al 5 gennaio 2026"
    assert day_span(d(2026, 3, 2), d(2026, 4, 13), "en") == "2 March to 13 April 2026"
    assert month_span(d(2026, 6, 1), d(2026, 8, 1), "it") == "da giugno ad agosto 2026"
    assert month_span(d(2025, 12, 1), d(2026, 2, 1), "it") == "da dicembre 2025 a febbraio 2026"
    assert month_span(d(2026, 6, 1), d(2026, 8, 1), "en") == "June to August 2026"


def test_italian_articles_before_numbers_and_months(it_profile, fake_profile):
    """'segnalata ad aprile', 'degli 84 post': the article changes before a vowel sound, as an Italian reader expects."""
    from voicecheck.card import voice_card

    rng = np.random.default_rng(1)
    posts = [post(f"2026-03-{1 + k % 28:02d}", round(float(rng.uniform(0, 100)), 1), i=k) for k in range(30)]
    posts += [post(f"2026-04-{1 + k % 28:02d}", 0.5, i=100 + k, verdict="off-voice") for k in range(30)]
    rep = drift_report(posts, it_profile, window="month")
    assert rep["alerts"] and "segnalata ad aprile 2026" in render_report(rep, "md")
    card = voice_card(fake_profile)  # its posts that address the reader: "dei 48" or "degli 8x"
    n = card["register"]["posts"]
    article = "degli" if str(n).startswith("8") or n in (8, 11) else "dei"
    assert f"{article} {n} post che si rivolgono a loro" in card["register"]["text"]


def test_reasons_stored_in_the_other_language_are_restated(it_profile):
    """The service stores posts scored in English (?explain_in=en); an Italian report restates their reasons."""
    posts = inhouse_and_drifting_agency()
    kinds = [{"feature": "exclamation_rate", "message": "5.0 exclamation marks per 100 words; the brand never uses "
              "them (in none of its 60 posts)", "draft": 5.0, "voice": 0.0, "severity": "error"},
             {"feature": "vocabulary", "message": "uses words the brand never uses in its 60 posts: 'sale' (40 words in "
              "100 the brand has not used; its own later posts typically have 3)", "draft": 40.0, "voice": 3.0,
              "severity": "error"},
             {"feature": "topic_and_tone", "message": "topic and tone are unlike the brand's posts: more typical than "
              "only 2% of its own posts", "draft": 2.0, "voice": None, "severity": "warning"},
             {"feature": "language", "message": "written in English; the brand writes in Italian", "draft": "en",
              "voice": "it", "severity": "error"}]
    for k, p in enumerate(x for x in posts if x["source"] == "agency"):
        p["reasons"], p["explained_in"] = [kinds[k % len(kinds)]], "en"
    rep = drift_report(posts, it_profile, by="source")
    said = [e["reason"] for a in rep["alerts"] for e in a["examples"] if e["reason"]]
    assert said and not [s for s in said if english_in(s)], said
    restated = {"Punti esclamativi: 5,0 ogni 100 parole (nei testi del brand: 0,0)",
                "parole mai usate dal brand: 40 su 100 (i suoi post successivi ne hanno di solito 3 su 100)",
                "argomento e tono diversi da quelli dei post del brand: solo il 2% dei suoi post risulta meno tipico",
                "scritto in inglese; il brand scrive in italiano"}
    assert set(said) <= restated and len(set(said)) >= 2, said
    # Reasons stored in the report's own language (or before the language was recorded) are shown as written.
    for p in posts:
        p["explained_in"] = "it" if p.get("explained_in") else None
    kept = [e["reason"] for a in drift_report(posts, it_profile, by="source")["alerts"] for e in a["examples"]
            if e["reason"]]
    assert kept and set(kept) <= {k["message"] for k in kinds}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_relearn_advice_is_a_field_in_every_language(it_profile, profile, name):
    """Tools (and the drift benchmark) read relearn_advised, not the summary's words, which are in either language."""
    make, options = SCENARIOS[name]
    english = drift_report(make(), profile, explain_in="en", **options)
    assert english["relearn_advised"] == ("no longer matches" in english["summary"]), english["summary"]
    italian = drift_report(make(), it_profile, **options)
    assert italian["explained_in"] == "it" and italian["relearn_advised"] == english["relearn_advised"]
    assert italian["relearn_advised"] == ("non li rispecchia più" in italian["summary"]), italian["summary"]


def test_a_stale_profile_is_advised_to_be_learned_again(profile):
    assert drift_report(stale_profile(), profile)["relearn_advised"] is True
    assert drift_report(injected_shift(), profile)["relearn_advised"] is False


def test_posts_without_the_by_field_are_named_in_italian(it_profile):
    """The agency's posts carry no source: their group is '(none)' in the JSON, for tools; a person reads
    '(non indicata)' in Italian (and '(none)' in English), in the alerts, the tables and the chart."""
    posts = [{k: v for k, v in p.items() if not (k == "source" and v == "agency")}
             for p in inhouse_and_drifting_agency(reasons=True)]
    rep = drift_report(posts, it_profile, by="source")
    assert rep["groups"] == ["(none)", "inhouse"]
    assert any(a.get("group") == "(none)" for a in rep["alerts"])
    for fmt in ("md", "html"):
        page = render_report(rep, fmt)
        assert "(none)" not in page and "(non indicata)" in page, fmt
    english = drift_report(posts, it_profile, by="source", explain_in="en")
    assert "source (none)" in render_report(english, "md") and "'(none)'" not in render_report(english, "md")


# ---------------------------------------------------------------------- review: agreement and wording
@pytest.mark.parametrize("window, none", [("week", "nessuna"), ("month", "nessuno"), ("day", "nessuno")])
def test_the_summary_agrees_with_the_window_s_gender(it_profile, window, none):
    """'1 post con data in 1 settimana, nessuno con ...': settimana is feminine."""
    rep = drift_report([post("2026-03-03", 50, i=1)], it_profile, window=window)
    noun = {"week": "settimana", "month": "mese", "day": "giorno"}[window]
    assert rep["summary"].startswith(f"1 post con data in 1 {noun}, {none} con abbastanza post per il test. ")


def test_italian_pages_say_all_posts_together_and_a_series_own_drift(italian_report):
    """'Deriva rilevata in tutti i post' read as every post drifting; the legend's 'in deriva (quella serie)'."""
    assert "l'insieme dei post dalla settimana del " in italian_report["summary"]
    text = _reader_text(render_report(italian_report, "html"))
    assert "in deriva (per la propria serie)" in " ".join(text.split()) and "quella serie" not in text
    assert "tutti i post insieme" in text and "deriva di tutti i post" not in text


def test_a_feature_that_moved_again_is_said_in_plain_italian():
    """Not "variazione in 1 mese di fila quest'ultima volta, 3 in tutto" (an Italian reviewer's find)."""
    from voicecheck.report_render import _moved_in

    assert _moved_in({"run": 1, "count": 3}, "month", "it") == "scostamento rilevato in 3 mesi, l'ultima volta per 1 mese"
    assert _moved_in({"run": 2, "count": 5}, "week", "it") == (
        "scostamento rilevato in 5 settimane, l'ultima volta per 2 settimane di fila")
    assert _moved_in({"run": 3, "count": 3}, "week", "it") == "scostamento rilevato in 3 settimane"
    # in a few windows apart, which ones ("da novembre" had hidden that it moved in August too: a gelato chain's review)
    assert _moved_in({"run": 1, "count": 2, "starts": ["2026-08-01", "2026-11-01"]}, "month", "it") == (
        "scostamento rilevato in 2 mesi: agosto 2026 e novembre 2026")
