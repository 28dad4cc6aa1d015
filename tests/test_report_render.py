"""Rendering a DriftReport: JSON round trip, Markdown for a manager, one self-contained HTML page."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from html.parser import HTMLParser
from types import SimpleNamespace

import numpy as np
import pytest

from voicecheck.drift import drift_report
from voicecheck.report_render import render_report
from voicecheck.typicality import MIN_POSTS, p_text

EVIL = '<script>alert("x")</script> & "quotes"'


def _profile(name="acme"):
    rng = np.random.default_rng(0)
    ref = np.column_stack([rng.normal(20, 5, 500), np.where(rng.random(500) < 0.1, 2.0, 0.0)])
    return SimpleNamespace(info={"name": name, "version": "abc123", "lang": "en"},
                           style_names_=["words", "exclamation_rate"],
                           style_quantiles_=np.percentile(ref, np.arange(101), axis=0).T,
                           style_means_=ref.mean(axis=0), style_nonzero_=(ref > 0).mean(axis=0))


def _report(name="acme", source_b="agency", reason="5.0 exclamation marks per 100 words", explain_in=None):
    """Eight weeks: the in-house team throughout, an agency drifting from week five."""
    rng = np.random.default_rng(4)
    posts = []
    for week in range(8):
        for k in range(40):
            agency = k % 2 == 1
            day = dt.date(2026, 3, 2) + dt.timedelta(days=7 * week + k % 7)
            drifting = agency and week >= 4
            score = float(rng.uniform(0, 6)) if drifting and k % 4 == 1 else float(rng.uniform(0, 100))
            posts.append({"id": f"p{week}-{k}", "score": round(score, 1),
                          "reasons": [{"feature": "exclamation_rate", "message": reason}] if drifting else [],
                          "verdict": "off-voice" if score < 5 else "on-voice", "date": day.isoformat(),
                          "source": source_b if agency else "inhouse", "channel": None, "author": None,
                          "style": {"words": float(rng.normal(20, 5)),
                                    "exclamation_rate": 5.0 if drifting else (2.0 if rng.random() < 0.1 else 0.0)}})
    posts.append({"id": "undated", "score": 50.0, "verdict": "on-voice", "date": None})
    return drift_report(posts, _profile(name), by="source", explain_in=explain_in)


@pytest.fixture(scope="module")
def report():
    return _report()


def test_json_round_trip(report):
    text = render_report(report, "json")
    assert json.loads(text) == report
    assert text.startswith("{\n  ")


def test_unknown_format():
    with pytest.raises(ValueError, match="format"):
        render_report(_report(), "pdf")


def test_markdown_reads_like_a_report(report):
    md = render_report(report, "md")
    assert md.startswith("# Voice drift report: acme")
    assert "version `abc123`" in md
    assert "## Alerts" in md and "- **since 30 March 2026** (raised in the week of 30 March 2026, p = " in md
    assert "| 2026-03-02 | 2026-03-08 |" in md  # a window's last day, not the exclusive end the JSON keeps
    assert "## By source" in md and "agency" in md and "inhouse" in md
    assert "exclamation marks up from" in md
    assert "1 post without a date was left out." in md
    # each alert names its least typical posts, with their main reason, right under it
    assert md.count("\n  - Least like the brand:\n    - ") == sum(1 for a in report["alerts"] if a["examples"])
    examples = [line for line in md.splitlines() if line.startswith("    - ")]
    assert examples and all(", score " in x for x in examples)
    assert any(x.endswith("): 5.0 exclamation marks per 100 words") for x in examples)
    first = next(a for a in report["alerts"] if a["examples"])["examples"][0]
    day = dt.date.fromisoformat(first["date"][:10])  # in words, as the alert's own date (a review)
    assert (f"    - {first['id']} ({day.day} {day:%B %Y}, source '{first['source']}', "
            f"score {first['score']:.1f}): ") in md


def test_examples_say_which_writing_they_come_from():
    """With --by, each example names its group: in an all-posts alert, whose posts to read (the JSON has it)."""
    rep = _report()
    alert = next(a for a in rep["alerts"] if "group" not in a)
    x = alert["examples"][0]
    day = dt.date.fromisoformat(x["date"][:10])
    when = f"{day.day} {day:%B %Y}"
    line = f"{x['id']} ({when}, source 'agency', score {x['score']:.1f}): 5.0 exclamation marks per 100 words"
    assert f"\n    - {line}\n" in render_report(rep, "md")
    assert f"<li>{html.escape(line)}</li>" in render_report(rep, "html")
    x["source"] = None  # a post without the field: the group '(none)'
    assert f"({when}, source (none), score" in render_report(rep, "md")
    plain = drift_report([], _profile())
    plain["alerts"] = [{**alert, "examples": [{k: v for k, v in x.items() if k != "source"}]}]
    assert f"  - Least like the brand:\n    - {x['id']} ({when}, score " in render_report(plain, "md")


def test_html_is_one_self_contained_page(report):
    page = render_report(report, "html")
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert page.count("<html") == 1 and page.rstrip().endswith("</html>")
    assert "<script" not in page.lower()
    # No resource from anywhere: the only URL is the SVG namespace, which is not fetched.
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", page))
    assert urls <= {"http://www.w3.org/2000/svg"}
    assert not re.search(r"<(link|img|iframe|object|embed)\b", page, re.I)
    assert "@import" not in page and "url(" not in page
    assert page.count("<svg") == 3
    for chart in ("score-chart", "offvoice-chart", "features-chart"):
        assert f'id="{chart}"' in page
    assert "brand&#x27;s middle half" in page and "off-voice below 5" in page
    assert page.count('<div class="examples">Least like the brand:') == len(report["alerts"])
    assert "window start" in page and "mean score (0-100)" in page


def test_html_is_well_formed(report):
    class Checker(HTMLParser):
        VOID = {"meta", "br", "hr", "img", "input", "link", "line", "circle", "rect", "polyline", "path"}

        def __init__(self):
            super().__init__()
            self.stack = []

        def handle_starttag(self, tag, attrs):
            if tag not in self.VOID:
                self.stack.append(tag)

        def handle_startendtag(self, tag, attrs):
            pass

        def handle_endtag(self, tag):
            if tag in self.VOID:
                return
            assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
            self.stack.pop()

    c = Checker()
    c.feed(render_report(report, "html"))
    assert c.stack == []


def test_text_is_escaped_everywhere():
    rep = _report(name=EVIL, source_b=EVIL, reason=EVIL)
    assert any(x["reason"] == EVIL for a in rep["alerts"] for x in a["examples"])
    page = render_report(rep, "html")
    assert "<script>" not in page and EVIL not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;" in page
    md = render_report(rep, "md")
    assert "<script>" not in md and "\\<script\\>alert" in md
    assert json.loads(render_report(rep, "json"))["profile"]["name"] == EVIL


@pytest.mark.parametrize("text, markdown", [
    ("p < 0.001", "p < 0.001"),  # '<' then a space: no HTML can start there
    ("3<4 & 5>4", "3<4 & 5\\>4"),
    ("<b>bold</b>", "\\<b\\>bold\\</b\\>"),  # a tag
    ("<!-- x -->", "\\<!-- x --\\>"),  # a comment
    ("<https://example.com>", "\\<https://example.com\\>"),  # an autolink
    ("AT&T &amp; &#60;", "AT\\&T \\&amp; &\\#60;"),  # entities ('&\\#' opens none)
    ("*a* _b_ [c](d) `e` | #f", "\\*a\\* \\_b\\_ \\[c\\](d) \\`e\\` \\| \\#f"),
])
def test_markdown_escapes_what_could_start_markup(text, markdown):
    from voicecheck.report_render import _md

    assert _md(text) == markdown


def test_empty_report_renders():
    rep = drift_report([], _profile())
    for fmt in ("json", "md", "html"):
        assert render_report(rep, fmt)
    assert "No dated posts" in render_report(rep, "html")


def test_tiny_p_values_read_as_a_bound_never_zero(report):
    """A p-value under the stored precision is 0 in the JSON; the reader sees 'p < 0.001' (escaped in HTML), as
    for any p-value under 0.001: '5.1e-07' is jargon to a brand manager."""
    import copy

    rep = copy.deepcopy(report)
    assert rep["alerts"]
    rep["alerts"][0]["p_value"] = 0.0
    tested = next(w for w in rep["windows"] if w["p_value"] is not None)
    tested["p_value"] = 0.0
    md, page = render_report(rep, "md"), render_report(rep, "html")
    # '<' before a space starts no HTML: left as written, so the raw file (and the terminal) reads 'p < 0.001'
    assert "p < 0.001" in md and "\\<" not in md and "p = 0)" not in md and "| < 0.001 |" in md
    assert "p &lt; 0.001" in page and "p = 0)" not in page and ">&lt; 0.001</td>" in page
    assert "p < 0.001" not in page  # never a bare '<' in the page
    assert "e-" not in md.split("## Windows", 1)[1]
    from voicecheck.typicality import p_text

    assert (p_text(5.1e-07), p_text(5.1e-07, lang="it"), p_text(0.0073, lang="it"), p_text(0.001)) == (
        "p < 0.001", "p < 0,001", "p = 0,0073", "p = 0.001")


def test_profile_learning_date_is_shown_when_known():
    report = _report()
    assert "learned" not in render_report(report, "markdown").split("\n")[2]
    report["profile"]["learned_at"] = "2026-01-15T10:00:00+00:00"
    assert "(English, learned on 15 January 2026), the frozen reference" in render_report(report, "markdown")
    assert "(English, learned on 15 January 2026), the frozen reference" in render_report(report, "html")
    report["profile"]["learned_period"] = ["2025-01-06", "2025-12-22"]
    assert ("(English, learned on 15 January 2026 from posts of January 2025 to December 2025), the frozen "
            "reference") in render_report(report, "markdown")


def test_unknown_format_is_an_input_error():
    from voicecheck.errors import InputError

    with pytest.raises(InputError, match="format must be one of json, md, html \\(got 'pdf'\\)"):
        render_report({}, "pdf")


# ---------------------------------------------------------------------- review fixes
def _small_groups_report(source_b="agency"):
    """Four weeks, 4 in-house and 4 agency posts a week: each group too small to test on its own."""
    rng = np.random.default_rng(8)
    posts = []
    for week in range(4):
        for k in range(8):
            agency = k % 2 == 1
            score = round(float(rng.uniform(0, 3) if agency and week >= 2 else rng.uniform(0, 100)), 1)
            posts.append({"id": f"s{week}-{k}", "score": score, "verdict": "off-voice" if score < 5 else "on-voice",
                          "date": (dt.date(2026, 3, 2) + dt.timedelta(days=7 * week + k % 7)).isoformat(),
                          "source": source_b if agency else "inhouse",
                          "style": {"words": 20.0, "exclamation_rate": 0.0}})
    return drift_report(posts, _profile(), by="source")


def test_html_has_the_by_table_and_the_lines_of_groups_tested_with_the_small_windows_next_to_them():
    rep = _small_groups_report()
    # each group's weeks, too small alone, are tested two by two: clean, then the agency's drifting
    assert [[(b["drift"], b["evidence"]) for b in w["by"].values()] for w in rep["windows"]] == \
        [[(False, "with the small windows next to it")] * 2] * 2 + \
        [[(True, "with the small windows next to it"), (False, "with the small windows next to it")]] * 2
    page, md = render_report(rep, "html"), render_report(rep, "md")
    assert "## By source" in md and "<h2>By source</h2>" in page
    assert "<th>agency</th><th>inhouse</th>" in page
    for w in rep["windows"]:
        for g in ("agency", "inhouse"):
            b = w["by"][g]
            cell = (f"4 posts, mean score {b['mean_score']:.0f}, {100 * b['off_voice_rate']:.0f}% off-voice; too few to "
                    "test")  # said: it read as tested and clean (a brand manager's review)
            cell = cell.replace("too few to test", "too few alone, tested with the small windows next to it")
            if b["drift"]:  # the agency's last two weeks, each too small, tested together
                assert f"<td>{cell} <span" in page and f" {cell} **drift** |" in md
                continue
            assert f"<td>{cell}</td>" in page and f" {cell} |" in md
    # tested two by two, each group is drawn: an author whose months were tested so raised the report's alert and
    # had no line (an agency's content operations review)
    chart = page.split('id="score-chart"', 1)[1].split("</svg>", 1)[0]
    assert chart.count("<polyline") == 3 and 'class="untested"' not in chart
    evil = render_report(_small_groups_report(source_b=EVIL), "html")
    assert "<th>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;</th>" in evil
    assert "<script>" not in evil


def test_the_by_table_marks_drifting_groups(report):
    page = render_report(report, "html")
    table = page.split("<h2>By source</h2>", 1)[1].split("</table>", 1)[0]
    drifting = sum(bool(w["by"]["agency"].get("drift")) for w in report["windows"])
    assert drifting and table.count('<span class="tag drift">drift</span>') == drifting


def test_windows_of_too_short_posts_read_as_such():
    posts = [{"id": f"t{i}", "score": 1.0, "verdict": "too-short", "date": "2026-03-03", "source": "a"}
             for i in range(3)]
    posts += [{"id": f"u{i}", "score": 60.0, "verdict": "on-voice", "date": "2026-03-10", "source": "a"}
              for i in range(12)]
    posts += [{"id": f"v{i}", "score": 1.0, "verdict": "too-short", "date": "2026-03-10", "source": "a"}
              for i in range(4)]
    rep = drift_report(posts, _profile(), by="source")
    md, page = render_report(rep, "md"), render_report(rep, "html")
    assert "| 2026-03-02 | 2026-03-08 | 3 | – | – | all too short | – | 3 posts, all too short to score |" in md
    assert "| 2026-03-09 | 2026-03-15 | 16 | 60 | 0% | no | " in md
    assert "| 12 scored posts (and 4 too short to score), mean score 60" in md
    assert "| 2026-03-02 | 3 posts, all too short to score |" in md
    assert "| 2026-03-09 | 16 posts (4 too short to score), mean score 60, 0% off-voice |" in md
    assert "no posts" not in md and "score –" not in md
    assert "<td>3 posts, all too short to score</td>" in page and "all too short</span>" in page


def _window(start, features, status="tested"):
    end = (dt.date.fromisoformat(start) + dt.timedelta(days=7)).isoformat()
    return {"start": start, "end": end, "n": 30, "n_scored": 30, "mean_score": 50.0, "off_voice_rate": 0.05,
            "drift": False, "p_value": 0.5, "status": status, "summary": "", "top_features": features}


def _feature(since, now):
    """A moved feature as drift_report writes it (the length of posts: its "since" before the colon)."""
    from voicecheck.wording import day_text

    when = day_text(dt.date.fromisoformat(since), "en")
    return {"feature": "words", "direction": "up", "label": "words", "unit": "words", "since": since,
            "message": f"longer posts since the week of {when}: {now} words against the brand's 25"}


def test_what_changed_counts_the_windows_of_the_latest_stretch_and_all():
    """Moved in weeks 1-2, stopped in week 3, moved again in weeks 4-5: the message's 'since' is week 4."""
    rep = drift_report([], _profile())
    rep["windows"] = [_window("2026-01-05", [_feature("2026-01-05", 27)]),
                      _window("2026-01-12", [_feature("2026-01-05", 28)]),
                      _window("2026-01-19", []),
                      _window("2026-01-26", [_feature("2026-01-26", 27)]),
                      _window("2026-02-02", [_feature("2026-01-26", 28)])]
    md = render_report(rep, "md")
    assert ("- longer posts since the week of 26 January 2026: 28 words against the brand's 25 (as of the week of 2 "
            "February 2026; seen in 2 weeks this time, 4 in all)") in md
    rep["windows"] = rep["windows"][3:]
    assert "against the brand's 25 (as of the week of 2 February 2026; seen in 2 weeks)" in render_report(
        rep, "md")
    rep["windows"] = rep["windows"][1:]
    assert "(as of the week of 2 February 2026; seen in 1 week)" in render_report(rep, "md")
    # in a few windows apart, which ones: "since the week of 26 January" had hidden that it moved before (a review)
    rep["windows"] = [_window("2026-01-05", [_feature("2026-01-05", 27)]), _window("2026-01-12", []),
                      _window("2026-01-19", [_feature("2026-01-19", 28)])]
    assert ("(as of the week of 19 January 2026; seen in 2 weeks: the week of 5 January 2026 and the week of 19 "
            "January 2026)") in render_report(rep, "md")


def test_markdown_prints_the_tolerance_and_where_it_came_from(report):
    md, page = render_report(report, "md"), render_report(report, "html")
    assert report["method"]["null_reason"] == "unknown"  # a stand-in profile: it says neither why nor a value
    assert ("so the test tolerates up to 9% off-voice and a mean score of 44 (the default: the profile did "
            "not measure its own)") in md and "exponent" not in md
    method = md.rsplit("Method: ", 1)[1]
    assert "(up to 9% off-voice and a mean score of 44; the default" in method
    assert "44; the default: the profile did not measure its own" in page and "exponent" not in page
    assert "p &lt; 0.01; and" not in page and "p < 0.01; and" not in md
    assert ("an alert is raised by a drifting window (consecutive windows too small to test are tested together "
            "once they hold 5 posts), two consecutive windows that pooled give p &lt; 0.01, or a "
            "window clearly worse than the report&#x27;s earlier windows (p &lt; 0.01).</p>") in page
    measured = _profile()
    measured.drift_null_exponent_ = 0.6
    rep = drift_report(_posts(1, 12), measured)
    assert "tolerates up to 17% off-voice and a mean score of 38 (as measured when the profile learned)" in \
        render_report(rep, "md")


@pytest.mark.parametrize("reason, en, it", [
    ("undated", "the default for a profile learned from undated writing",
     "il valore predefinito per un profilo appreso da testi senza data"),
    # dated writing whose latest posts were too few: not "undated" (found by a user review)
    ("few-recent", "the default: the profile's latest posts were too few to measure it",
     "il valore predefinito: i post più recenti del profilo erano troppo pochi per misurarlo"),
])
def test_the_report_says_why_the_tolerance_was_not_measured(reason, en, it):
    profile = _profile()
    profile.drift_null_exponent_, profile.drift_null_reason_ = None, reason
    rep = drift_report(_posts(1, 12), profile)
    assert rep["method"]["null_reason"] == reason and rep["method"]["null_measured"] is False
    assert f"mean score of 44 ({en})" in render_report(rep, "md")
    assert f"punteggio medio di 44 ({it})" in render_report(drift_report(_posts(1, 12), profile,
                                                                                explain_in="it"), "md")
    old = {**rep, "method": {k: v for k, v in rep["method"].items() if k != "null_reason"}}  # saved before it
    assert "the default for a profile learned from undated writing" in render_report(old, "md")


def test_counts_of_one_are_singular_in_the_rendered_reports():
    posts = [{"id": "a", "score": 50.0, "verdict": "on-voice", "date": "2026-03-03", "source": "x"},
             {"id": "b", "score": 50.0, "verdict": "on-voice", "date": None, "source": "x"}]
    rep = drift_report(posts, _profile(), by="source", window="month")
    md, page = render_report(rep, "md"), render_report(rep, "html")
    assert "1 post without a date was left out." in md and "| 2026-03-01 | 1 post, mean score 50, 0% off-voice; too few to test |" in md
    assert "1 dated post in 1 month" in md and "1 dated post, 1 undated left out" in page
    for text in (md, page):
        assert not re.search(r"\b1 (scored |dated )?(posts|weeks|months|days|alerts|windows)\b", text), text


# ---------------------------------------------------------------------- review 6
def _posts(weeks, per_week, start=dt.date(2026, 3, 2), source=lambda k: "inhouse", score=lambda w, k: 60.0):
    return [{"id": f"q{w}-{k}", "score": score(w, k), "verdict": "off-voice" if score(w, k) < 5 else "on-voice",
             "date": (start + dt.timedelta(days=7 * w + k % 7)).isoformat(), "source": source(k),
             "style": {"words": 20.0, "exclamation_rate": 0.0}} for w in range(weeks) for k in range(per_week)]


def test_a_report_with_nothing_tested_is_not_an_all_clear():
    rep = drift_report(_posts(3, 1, score=lambda w, k: 40.0 + k), _profile())  # 3 posts: not even together
    assert all(w["drift"] is None for w in rep["windows"])
    page, md = render_report(rep, "html"), render_report(rep, "md")
    assert 'class="summary untested"' in page and 'class="summary ok"' not in page
    assert page.count('<circle class="untested"') == 3  # the untested windows' mean scores, greyed
    legend = page.split('id="score-chart"', 1)[1].split('<g class="legend">', 1)[1].split("</g>", 1)[0]
    assert "too few posts to test" in legend and "all posts" not in legend  # no empty line in the legend
    assert "tested window" not in page.split('id="offvoice-chart"', 1)[1].split("</figure>", 1)[0]
    words = f"No week had enough posts to test (at least {MIN_POSTS} scored posts are needed)"
    assert words in page and words in md
    assert "No style feature moved" not in page and "No style feature moved" not in md
    # a tested report without moved features still says so
    ok = render_report(drift_report(_posts(2, 12), _profile()), "html")
    assert 'class="summary ok"' in ok and "No style feature moved clearly away" in ok


def _worse_by_earlier(report):
    """A window that drifts only against the report's earlier windows: its p against the profile is 0.34."""
    import copy

    rep = copy.deepcopy(report)
    w = rep["windows"][2]
    w.update(drift=True, evidence="against the earlier windows", p_value=0.34)
    rep["alerts"].append({"start": w["start"], "raised": w["start"], "end": w["end"], "windows": 1,
                          "p_value": 0.004, "kind": "worse", "message": "worse", "window_starts": [w["start"]],
                          "examples": []})
    return rep, w


def _last(w):
    """A window's last day, as the tables show it."""
    return (dt.date.fromisoformat(w["end"]) - dt.timedelta(days=1)).isoformat()


def test_a_window_drifting_against_the_earlier_windows_says_which_test_fired(report):
    rep, w = _worse_by_earlier(report)
    last = _last(w)
    page, md = render_report(rep, "html"), render_report(rep, "md")
    row = page.split(f'<td class="day">{w["start"]}</td><td class="day">{last}', 1)[1].split("</tr>", 1)[0]
    assert '<span class="tag drift">drift (vs earlier weeks)</span>' in row
    assert '<td class="num">0.004 (vs earlier weeks)<br><span class="aside">against the profile: 0.34</span>' in row
    assert (f"| {w['start']} | {last} | 40 | {w['mean_score']:.0f} | {100 * w['off_voice_rate']:.0f}% | "
            f"DRIFT (vs earlier weeks) | 0.004 (vs earlier weeks); against the profile: 0.34 |") in md
    # a window of the alert that did not raise it: no p of that test to show, and never the bare 0.34
    rep["alerts"][-1]["raised"] = "2026-01-01"
    page = render_report(rep, "html")
    row = page.split(f'<td class="day">{w["start"]}</td><td class="day">{last}', 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">– (vs earlier weeks)<br>' in row and '<td class="num">0.34</td>' not in row
    # an ordinary drifting window keeps its own p
    page = render_report(_worse_by_earlier(report)[0], "html")
    plain = next(x for x in report["windows"] if x.get("drift") and not x.get("evidence"))
    row = page.split(f'<td class="day">{plain["start"]}</td><td class="day">{_last(plain)}', 1)[1]
    row = row.split("</tr>")[0]
    assert '<span class="tag drift">drift</span>' in row
    assert f'<td class="num">{html.escape(p_text(plain["p_value"], bare=True))}' in row


def _feat(name, direction, start):
    return {"feature": name, "direction": direction, "label": f"label {name}", "unit": "", "since": start,
            "message": f"{name} {direction} since {start}"}


def test_what_changed_lists_every_feature_and_the_grid_says_how_many_it_left_out():
    rep = drift_report([], _profile())
    names = [f"f{k:02d}" for k in range(10)]
    rep["windows"] = [_window("2026-01-05", [_feat(n, "up", "2026-01-05") for n in names]),
                      _window("2026-01-12", [_feat("f00", "down", "2026-01-12")])]
    page = render_report(rep, "html")
    listed = page.split('<ul class="moved">', 1)[1].split("</ul>", 1)[0]
    for n in names:
        assert f"{n} up since 2026-01-05" in listed
    assert "f00 down since 2026-01-12" in listed  # the cell painted 'down' has its entry
    assert "(as of the week of 5 January 2026; seen in 1 week)" in listed
    assert listed.count("<li>") == 11
    grid = page.split('id="features-chart"', 1)[1].split("</svg>", 1)[0]
    assert "and 2 more: see the list" in grid and "label f07" in grid and "label f08" not in grid
    assert 'class="glyph"' in grid and "▲" in grid and "▼" in grid  # direction not by colour alone


def test_the_period_is_the_one_asked_for_and_cut_windows_are_partial():
    rep = drift_report(_posts(6, 12), _profile(), since="2026-03-04", until="2026-04-01")
    page, md = render_report(rep, "html"), render_report(rep, "md")
    assert "4 March to 1 April 2026, by week" in page and "4 March to 1 April 2026, by week" in md
    # a cut window's row covers the days within the period: "2026-03-30 to 2026-04-05" under until 1 April read as
    # the whole week (an Italian agency's review)
    assert '<td class="day">2026-03-04 <span class="aside">(partial)</span></td><td class="day">2026-03-08</td>' \
        in page
    assert '<td class="day">2026-03-30 <span class="aside">(partial)</span></td><td class="day">2026-04-01</td>' \
        in page
    assert '<td class="day">2026-03-09</td><td class="day">2026-03-15</td>' in page
    assert "| 2026-03-04 (partial) | 2026-03-08 |" in md and "| 2026-03-30 (partial) | 2026-04-01 |" in md
    assert "| 2026-03-09 | 2026-03-15 |" in md
    assert [w["start"] for w in rep["windows"]][::4] == ["2026-03-02", "2026-03-30"]  # the JSON keeps the windows
    whole = render_report(drift_report(_posts(2, 12), _profile()), "html")
    assert "(partial)" not in whole and "2 to 15 March 2026, by week" in whole


def test_the_page_prints_readably(report):
    page = render_report(report, "html")
    css = page.split("@media print{", 1)[1].split("</style>", 1)[0]
    assert "print-color-adjust:exact" in css and ".tag{border:" in css
    assert "break-inside:avoid" in css and "figure" in css and "tr" in css
    assert "h2{break-after:avoid" in css


def test_group_lines_and_their_legend_swatches_are_both_dashed(report):
    page = render_report(report, "html")
    legend = page.split('id="score-chart"', 1)[1].split('<g class="legend">', 1)[1].split("</g>", 1)[0]
    swatches = re.findall(r'<line [^>]*stroke="#E69F00"[^>]*/>', legend)
    assert swatches and all('stroke-dasharray="5 3"' in s for s in swatches)


def _many_groups_report(k, name=lambda g: f"g{g}"):
    return drift_report(_posts(2, 12 * k, source=lambda i: name(i % k)), _profile(), by="source")


def test_groups_beyond_the_palette_are_named_not_dropped():
    rep = _many_groups_report(10)
    page = render_report(rep, "html")
    chart = page.split('id="score-chart"', 1)[1].split("</figure>", 1)[0]
    assert "3 more groups: see the table" in chart  # 10 groups: all posts and 7 groups fit the palette
    assert chart.count('<polyline') == 8


def test_long_group_names_are_cut_with_the_full_name_in_a_title():
    long = "agency-kim-from-the-very-long-named-agency-partnership"
    rep = _many_groups_report(2, name=lambda g: long if g else "inhouse")
    legend = render_report(rep, "html").split('id="score-chart"', 1)[1].split('<g class="legend">', 1)[1]
    legend = legend.split("</g>", 1)[0]
    assert f"<title>source: {long}</title>" in legend and "…</text>" in legend
    assert f">source: {long}</text>" not in legend


def test_a_single_group_identical_to_all_posts_is_drawn_once():
    rep = _many_groups_report(1, name=lambda g: "inhouse")
    chart = render_report(rep, "html").split('id="score-chart"', 1)[1].split("</figure>", 1)[0]
    assert chart.count("<polyline") == 1  # drawn once, named as the group (its alerts name it too)
    assert "source: inhouse" in chart and "all posts together" not in chart


def test_wide_tables_and_charts_scroll_on_narrow_screens(report):
    page = render_report(report, "html")
    assert ".scroll{overflow-x:auto" in page and ".scroll svg{min-width:" in page
    assert page.count('<div class="scroll"><svg') == 3
    assert page.count('<div class="scroll"><table') == 2  # windows, and by source


def test_the_legends_explain_the_50_line_and_leave_out_drift_when_nothing_drifts(report):
    page = render_report(report, "html")
    assert "brand&#x27;s own average: 50" in page and "drifting window" in page
    calm = render_report(drift_report(_posts(2, 12), _profile()), "html")
    assert "brand&#x27;s own average: 50" in calm
    legends = "".join(x.split("</g>", 1)[0] for x in calm.split('<g class="legend">')[1:])
    assert "drifting" not in legends and "drifting" in page.split('<g class="legend">', 1)[1].split("</g>")[0]


def test_the_partial_mark_is_the_report_s_own():
    """Markdown and HTML mark the windows the JSON marks ``partial``; a report without the field: from the dates."""
    rep = drift_report(_posts(6, 12), _profile(), since="2026-03-04", until="2026-04-01")
    assert [w["partial"] for w in rep["windows"]] == [True, False, False, False, True]
    rep["windows"][1]["partial"] = True
    assert "| 2026-03-09 (partial) |" in render_report(rep, "md")
    for w in rep["windows"]:
        del w["partial"]
    md = render_report(rep, "md")
    assert "| 2026-03-04 (partial) |" in md and "| 2026-03-09 |" in md and "| 2026-03-30 (partial) |" in md


# ---------------------------------------------------------------------- review: nothing tested, nothing in the period
def test_markdown_alerts_say_nothing_could_be_tested_rather_than_no_drift():
    """Windows too small to test: 'None: no drift was found' would read as an all-clear the report cannot give."""
    md = render_report(drift_report(_posts(3, 1), _profile()), "md")
    alerts = md.split("## Alerts\n\n", 1)[1].split("\n", 1)[0]
    assert alerts == (f"None could be raised: no week had enough posts to test (at least {MIN_POSTS} scored posts are needed), "
                      "so the report cannot say whether the writing drifted.")
    assert "no drift from the brand's voice was found" not in md
    tested = render_report(drift_report(_posts(2, 12), _profile()), "md")
    assert "## Alerts\n\nNone: no drift from the brand's voice was found.\n" in tested


def test_a_run_of_weeks_the_profile_learned_from_is_one_row_of_the_table():
    """A bakery's review: a report over its whole history and the agency's months opened with a year of 'learned
    from: not tested' rows. Three or more in a row are one row; the JSON keeps every window."""
    history = [{**p, "learned_from": True} for p in _posts(5, 12, score=lambda w, k: 90.0)]
    new = _posts(2, 12, start=dt.date(2026, 4, 6), source=lambda k: "agency")
    rep = drift_report(history + new, _profile())
    assert len(rep["windows"]) == 7
    md, page = render_report(rep, "md"), render_report(rep, "html")
    assert ("| 2026-03-02 | 2026-04-05 | 60 | – | – | learned from | – | 5 weeks (60 posts the profile learned from: "
            "not tested) |") in md
    assert "| 2026-03-09 |" not in md and "| 2026-04-06 | 2026-04-12 | 12 |" in md
    assert page.count('<td class="day">2026-03-02</td><td class="day">2026-04-05</td>') == 1
    it = render_report(drift_report(history + new, _profile(), explain_in="it"), "md")
    assert "| 5 settimane (60 post già appresi dal profilo: nessun test) |" in it
    two = render_report(drift_report(history[:24] + new, _profile()), "md")  # two weeks: rows of their own
    assert "| 2026-03-02 | 2026-03-08 | 12 |" in two and "| 2026-03-09 | 2026-03-15 | 12 |" in two
    # the tables by source too: the in-house weeks had still taken a row each there (a review)
    history = [{**p, "source": "in-house"} for p in history]
    by = drift_report(history + new, _profile(), by="source")
    md, page = render_report(by, "md"), render_report(by, "html")
    table = md.split("## By source", 1)[1].split("## What changed", 1)[0]
    assert "| 2026-03-02 (5 weeks) | – | 60 posts the profile learned from: not tested |" in table
    assert "| 2026-03-09 |" not in table and "| 2026-04-06 | 12 posts, mean score" in table
    assert '<td class="day">2026-03-02 (5 weeks)</td>' in page and '<td class="day">2026-03-09</td>' not in page


def test_windows_of_posts_the_profile_learned_from_are_shaded_and_named():
    """The brand's history, which the profile learned from, then new posts: the history is not tested, and the
    chart says why its line starts late rather than leaving the weeks blank."""
    history = [{**p, "learned_from": True} for p in _posts(2, 12, score=lambda w, k: 90.0)]
    new = _posts(2, 12, start=dt.date(2026, 3, 16), source=lambda k: "agency")
    rep = drift_report(history + new, _profile(), by="source")
    page, md = render_report(rep, "html"), render_report(rep, "md")
    assert page.count('<rect class="learned-window"') == 2
    legend = page.split('id="score-chart"', 1)[1].split('<g class="legend">', 1)[1].split("</g>", 1)[0]
    assert "posts the profile learned from" in legend
    assert "Shaded grey: windows holding only posts the profile learned from" in page  # the caption says so too
    assert "| 2026-03-02 | 2026-03-08 | 12 | – | – | learned from | – | 12 posts the profile learned from: not " \
           "tested |" in md
    assert "| 2026-03-02 | – | 12 posts the profile learned from: not tested |" in md  # the by-source table
    only = render_report(drift_report(history, _profile()), "md")
    assert only.split("## Alerts\n\n", 1)[1].split("\n", 1)[0] == (
        "None could be raised: no week had posts to test (the profile learned from all of them), so the report "
        "cannot say whether the writing drifted.")
    it = render_report(drift_report(history, _profile(), explain_in="it"), "md")
    assert "nessuna settimana aveva post da verificare (il profilo li ha già appresi tutti)" in it
    assert "| 12 | – | – | già appresi | – | 12 post già appresi dal profilo: nessun test |" in it
    one = render_report(drift_report(history[:1], _profile(), explain_in="it"), "md")
    assert "| 1 | – | – | già appreso | – | 1 post già appreso dal profilo: nessun test |" in one
    assert "nessuna settimana aveva post da verificare (il profilo l'ha già appreso)" in one
    assert "no week had posts to test (the profile learned from it)" in render_report(
        drift_report(history[:1], _profile()), "md")
    short = [{**p, "verdict": "too-short"} for p in _posts(1, 4)]
    some = render_report(drift_report(history[:1] + short, _profile()), "md")
    assert "no week had posts to test (the profile learned from 1 of the 5, and the other 4 are too short to " \
           "score)" in some
    some_it = render_report(drift_report(history[:1] + short[:1], _profile(), explain_in="it"), "md")
    assert "(1 su 2 è già stato appreso dal profilo, l'altro è troppo breve per essere valutato)" in some_it


def test_a_period_without_posts_reads_as_sentences_and_shows_the_period_asked_for():
    posts = _posts(3, 8) + [{"id": "u", "score": 50.0, "verdict": "on-voice", "date": None}]
    rep = drift_report(posts, _profile(), window="month", since="2027-01-01", until="2027-03-31")
    md, page = render_report(rep, "md"), render_report(rep, "html")
    summary = ("No post is dated within the period asked for (1 January to 31 March 2027): all 24 dated posts fall "
               "outside it.")
    assert rep["summary"] == summary and summary in md and summary.replace("'", "&#x27;") in page
    assert "Period: 1 January to 31 March 2027, by month." in md and "Period: no dated posts" not in md
    assert "the frozen reference &middot; 1 January to 31 March 2027, by month · 0 dated posts, 1 undated left out</p>" \
        in page
    assert "## Alerts\n\nNone: there are no dated posts in the period asked for to test.\n" in md
    assert "| start |" not in md and "## Windows" not in md and "## What changed" not in md  # no empty tables
    assert md.rstrip().splitlines()[-1].startswith("Method: ")
    nothing = drift_report([], _profile())
    assert "Period: no dated posts." in render_report(nothing, "md")
    assert "None: there are no dated posts to test." in render_report(nothing, "md")
    assert "the frozen reference &middot; no dated posts</p>" in render_report(nothing, "html")
    undated = render_report(drift_report([posts[-1]], _profile()), "html")
    assert "no dated posts · 1 undated post left out</p>" in undated and "0 dated posts" not in undated


# ---------------------------------------------------------------------- review: many groups, words for a manager
def _drifting_groups_report(k, drifting, weeks=2, explain_in=None):
    """``k`` sources of 12 posts a week; those in ``drifting`` score 1 (off-voice) throughout."""
    posts = _posts(weeks, 12 * k, source=lambda i: f"g{i % k}", score=lambda w, i: 1.0 if i % k in drifting else 60.0)
    return drift_report(posts, _profile(), by="source", explain_in=explain_in)


def _chart(page, name="score-chart"):
    return page.split(f'id="{name}"', 1)[1].split("</figure>", 1)[0]


def _by_section(page):
    return page.split("<h2>By source</h2>", 1)[1].split("<p class=\"meta\">Method", 1)[0]


def test_the_list_of_what_changed_says_whose_changes_it_holds():
    """A Stories alert named "commas up" under "No style feature moved clearly away": the list is of all posts
    taken together (a brand manager's review). With groups, it says so, and where the groups' changes are."""
    grouped = _drifting_groups_report(3, {2}, weeks=3)
    assert any(a.get("group") for a in grouped["alerts"])
    for fmt in ("md", "html"):
        changed = render_report(grouped, fmt).split("What changed in the writing", 1)[1]
        assert "Of all posts taken together; each alert above says what moved in its own posts." in changed
    calm = _drifting_groups_report(3, set(), weeks=3)
    assert not calm["alerts"]
    assert "Of all posts taken together.\n" in render_report(calm, "md")
    italian = render_report(_drifting_groups_report(3, {2}, weeks=3, explain_in="it"), "md")
    assert "Nell'insieme dei post; ogni segnalazione qui sopra dice cosa è cambiato nei suoi post." in italian
    alone = render_report(drift_report(_posts(3, 12), _profile()), "md")
    assert "taken together" not in alone.split("What changed in the writing", 1)[1]


def test_groups_with_alerts_take_the_palette_first():
    """Ten sources, two drifting: they must be drawn, not named among the '3 more groups'; then the lowest mean
    score; the legend and the table keep that order, and the page says what it is."""
    rep = _drifting_groups_report(10, {8, 9}, weeks=3)
    rep["windows"][2]["by"]["g0"]["mean_score"] = 50.0  # g0 lower than the other clean groups: it comes next
    page, md = render_report(rep, "html"), render_report(rep, "md")
    assert {a.get("group") for a in rep["alerts"]} >= {"g8", "g9"}
    legend = _chart(page).split('<g class="legend">', 1)[1].split("</g>", 1)[0]
    assert re.findall(r">source: (g\d)<", legend) == ["g8", "g9", "g0", "g1", "g2", "g3", "g4"]
    assert "3 more groups: see the table" in _chart(page)
    assert "Groups with an alert come first, then those with the lowest mean score." in _chart(page)
    order = ["g8", "g9", "g0", "g1", "g2", "g3", "g4", "g5", "g6", "g7"]
    assert re.findall(r'<td class="group">(g\d)</td>', _by_section(page)) == order
    assert "Groups with an alert come first" in _by_section(page)
    assert re.findall(r"^\| (g\d) \|", md.split("## By source", 1)[1], re.M) == order
    assert rep["groups"] == sorted(order)  # the JSON keeps its order


def test_a_breakdown_of_many_groups_fits_a_page():
    """20 sources made a table 1,646 px wide: the columns of the drifting ones fell off a printed page."""
    page, md = (render_report(_drifting_groups_report(20, {17, 18, 19}), fmt) for fmt in ("html", "md"))
    tables = re.findall(r'<table class="by">.*?</table>', _by_section(page))
    assert len(tables) == 1 and tables[0].count("<th>") == 3  # one row per source, a column per week
    assert re.findall(r'<td class="group">(g\d+)</td>', tables[0])[:3] == ["g17", "g18", "g19"]
    assert md.split("## By source", 1)[1].count("\n| g") == 20
    # as many weeks as sources: weeks stay rows, and the sources go to as many tables as it takes
    rep = drift_report(_posts(8, 96, source=lambda i: f"g{i % 8}"), _profile(), by="source")
    page, md = render_report(rep, "html"), render_report(rep, "md")
    heads = [re.findall(r"<th>([^<]*)</th>", t) for t in re.findall(r'<table class="by">.*?</table>', page)]
    assert [len(h) for h in heads] == [7, 3] and sorted(g for h in heads for g in h[1:]) == rep["groups"]
    assert md.count("\n| start | g") == 2
    css = page.split("@media print{", 1)[1]
    assert "td.num,.aside{white-space:normal}" in css and "td.group{overflow-wrap:anywhere" in page


def _feat_shift(name, shift):
    return {**_feat(name, "up", "2026-01-05"), "shift": shift}


def test_features_moved_in_as_many_windows_are_ordered_by_the_size_of_the_change():
    """A tie in windows was broken by the feature's name: hashtags (shift 0.33) hid behind function words (0.13)."""
    rep = drift_report([], _profile())
    moved = [_feat_shift(f"a{k}", 0.2) for k in range(7)]
    moved += [_feat_shift("function_word_share", -0.13), _feat_shift("hashtag_rate", 0.33)]
    rep["windows"] = [_window("2026-01-05", moved)]
    grid = _chart(render_report(rep, "html"), "features-chart").split("</svg>", 1)[0]
    assert "label hashtag_rate" in grid and "label function_word_share" not in grid and "and 1 more" in grid
    listed = render_report(rep, "md").split("## What changed in the writing", 1)[1]
    assert listed.index("hashtag\\_rate up") < listed.index("a0 up") < listed.index("function\\_word\\_share up")


def test_a_feature_that_moved_both_ways_is_listed_in_one_place():
    """Words per sentence "up since June" led the list and "down in May" came eleven lines below: read as a
    contradiction (a brand manager's review of the demo report). Its two directions now sit together, the more
    recent first, where the feature ranks; the grid gives it one row."""
    rep = drift_report([], _profile())
    weeks = ["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26"]
    rep["windows"] = [_window(weeks[0], [_feat_shift("short_posts", 0.1), _feat("sentence_length", "down", weeks[0])]),
                      _window(weeks[1], [_feat_shift("short_posts", 0.1), _feat_shift("tu_rate", 0.3)]),
                      _window(weeks[2], [{**_feat("sentence_length", "up", weeks[2]), "shift": 0.2},
                                         _feat_shift("tu_rate", 0.3)]),
                      _window(weeks[3], [{**_feat("sentence_length", "up", weeks[2]), "shift": 0.2},
                                         _feat_shift("tu_rate", 0.3)])]
    listed = render_report(rep, "md").split("## What changed in the writing", 1)[1]
    lines = [line.split(" ", 2)[1] + " " + line.split(" ", 3)[2] for line in listed.splitlines()
             if line.startswith("- ")]
    assert lines == ["tu\\_rate up", "sentence\\_length up", "sentence\\_length down", "short\\_posts up"]
    grid = _chart(render_report(rep, "html"), "features-chart").split("</svg>", 1)[0]
    assert grid.count("label sentence_length<") == 1 and grid.count('class="cell down"') == 1


def _legend_bottom(svg):
    """The lowest baseline of a chart's legend (a label of two lines: its second)."""
    legend = svg.split('<g class="legend">', 1)[1].split("</g>", 1)[0]
    texts = re.findall(r'<text [^>]*y="([\d.]+)"[^>]*>(.*?)</text>', legend)
    return max(float(y) + 14 * text.count("<tspan") for y, text in texts)


def test_a_tall_legend_makes_its_chart_taller():
    """Eight lines, the untested windows', the brand's, drift for all posts and '7 more groups': the note fell below
    the 300 px chart."""
    rep = _drifting_groups_report(14, {9, 10, 11, 12, 13}, weeks=3)
    rep["windows"][1].update(status="too-few-posts", drift=None)
    assert rep["windows"][2]["drift"]
    page = render_report(rep, "html")
    svg = _chart(page)
    height = float(re.search(r'<svg [^>]*height="([\d.]+)"', svg).group(1))
    assert "7 more groups: see the table" in svg
    assert _legend_bottom(svg) + 4 <= height and height > 300
    assert '>drifting window (all posts<tspan x="' in svg  # a label too long for a line takes two
    assert float(re.search(r'viewBox="0 0 960 ([\d.]+)"', svg).group(1)) == height
    calm = _chart(render_report(drift_report(_posts(2, 12), _profile()), "html"))
    assert 'height="300"' in calm  # a short legend leaves the chart as it was


def test_group_names_are_cut_in_sentences_and_whole_in_the_table():
    """A 200-character source was repeated whole in the summary and under each alert."""
    long = ("agenzia-" + "molto-lunga-" * 16)[:200]
    rep = _report(source_b=long)
    cut = "'agenzia-molto-lunga-molto-lun…'"
    agency = next(a for a in rep["alerts"] if a.get("group"))
    assert cut in rep["summary"] and cut in agency["message"] and long not in rep["summary"] + agency["message"]
    assert agency["group"] == long and long in rep["groups"]  # the JSON's fields keep the name
    assert any(x["source"] == long for a in rep["alerts"] for x in a["examples"])
    md, page = render_report(rep, "md"), render_report(rep, "html")
    assert md.count(long) == 1 and f"| start | {long} | inhouse |" in md  # once, in the table
    assert f"source {cut}, score" in md
    prose = page.split('<h2>Score over time</h2>', 1)[0]
    assert long not in prose and cut.replace("'", "&#x27;") in prose
    assert f"<th>{long}</th>" in _by_section(page)


def _months(n, start=dt.date(2025, 3, 1)):
    days = [dt.date(start.year + (start.month - 1 + m) // 12, (start.month - 1 + m) % 12 + 1, 1) for m in range(n)]
    return [{"id": f"m{m}-{k}", "score": 60.0, "verdict": "on-voice", "date": (day + dt.timedelta(days=k)).isoformat(),
             "style": {"words": 20.0, "exclamation_rate": 0.0}} for m, day in enumerate(days) for k in range(12)]


@pytest.mark.parametrize("lang, first, june", [("en", "Mar", "Jun"), ("it", "mar", "giu")])
def test_month_axes_name_every_month_in_the_report_s_language(lang, first, june):
    """Sixteen months were labelled every other one, by ISO date: 'Jun 2026' ('giu 2026') fits every month."""
    page = render_report(drift_report(_months(16), _profile(), window="month", explain_in=lang), "html")
    for name in ("score-chart", "offvoice-chart"):
        labels = re.findall(r'>(\w+)<tspan x="[\d.]+" dy="13">(\d{4})</tspan>', _chart(page, name))
        assert len(labels) == 16 and labels[0] == (first, "2025") and labels[15] == (june, "2026"), labels
    assert ">2025-03-01</text>" not in page  # weeks and days keep their ISO day
    assert ">2026-03-02</text>" in render_report(drift_report(_posts(2, 12), _profile()), "html")


def test_the_grid_names_the_length_of_posts_as_the_list_does():
    """The list says 'longer posts' ('post più brevi'); the grid's row said just 'words' ('parole')."""
    rep = drift_report([], _profile())
    rep["windows"] = [_window("2026-01-05", [_feature("2026-01-05", 27)])]
    grid = _chart(render_report(rep, "html"), "features-chart")
    assert ">longer posts</text>" in grid and ">words</text>" not in grid
    rep["explained_in"] = "it"
    rep["windows"][0]["top_features"][0].update(label="parole", unit="parole", direction="down")
    assert ">post più brevi</text>" in _chart(render_report(rep, "html"), "features-chart")


def test_pages_give_dates_in_words_and_windows_by_their_last_day():
    """'(ultimo periodo: 2026-08-01; ...)' and an exclusive end ('fine (escl.)': 2026-04-01 for March) were for
    tools: a manager reads 'valori più recenti: agosto 2026' and March's last day."""
    posts = _months(3, dt.date(2026, 6, 1))
    for p in posts[24:]:
        p.update(score=1.0, verdict="off-voice")
    for lang, latest, columns, raised in (
            ("it", "(valori più recenti: agosto 2026; scostamento rilevato in 1 mese)", "| inizio | ultimo giorno | post |",
             "(segnalata ad agosto 2026, "),
            ("en", "(as of August 2026; seen in 1 month)", "| start | last day | posts |",
             "**since 1 August 2026** (raised in August 2026, ")):
        rep = drift_report(posts, _profile(), window="month", explain_in=lang)
        rep["windows"][2]["top_features"] = [{**_feat("x", "up", "2026-08-01"), "message": "x"}]
        md, page = render_report(rep, "md"), render_report(rep, "html")
        assert latest in md and html.escape(latest) in page
        assert columns in md and "| 2026-06-01 | 2026-06-30 |" in md and "| 2026-08-01 | 2026-08-31 |" in md
        assert '<td class="day">2026-07-01</td><td class="day">2026-07-31</td>' in page
        assert raised in md and rep["windows"][0]["end"] == "2026-07-01"  # the JSON keeps its exclusive end
        assert "(escl.)" not in md and "(excl.)" not in md


def test_chart_legends_name_all_posts_together_and_a_series_own_drift():
    """'drifting window (all posts)' / 'deriva di tutti i post' read as every post drifting; 'in deriva (quella
    serie)' is said 'per la propria serie'."""
    for lang, words in (("en", ("all posts together", "drifting (for its own series)")),
                        ("it", ("tutti i post insieme", "in deriva (per la propria serie)"))):
        page = render_report(_report(explain_in=lang), "html")
        legend = " ".join(re.sub(r"<[^>]+>", " ", _chart(page).split('<g class="legend">', 1)[1]).split())
        for w in words:
            assert w in legend, (w, legend)
        assert "deriva di tutti i post" not in page and "(all posts)" not in page


def test_the_only_group_tested_names_the_chart_line():
    """In-house posts the profile learned from beside the agency's: the one line drawn is the agency's, and is
    named so, as its alerts are (a brand manager's review: it read "all posts together")."""
    learned = [{**p, "learned_from": True} for p in _posts(6, 10, source=lambda k: "inhouse")]
    agency = _posts(6, 10, source=lambda k: "agency", score=lambda w, k: 1.0 if w >= 3 and k % 2 else 55.0)
    rep = drift_report(learned + agency, _profile(), by="source")
    assert rep["alerts"] and all(a.get("group") == "agency" for a in rep["alerts"])
    for lang, name, shade in (("en", "source: agency", "drifting window (source: agency)"),
                              ("it", "fonte: agency", "periodo in deriva (fonte: agency)")):
        svg = _chart(render_report({**rep, "explained_in": lang}, "html"))
        legend = " ".join(re.sub(r"<[^>]+>", " ", svg.split('<g class="legend">', 1)[1]).split())
        assert name in legend and shade in legend, legend
        assert "all posts together" not in svg and "tutti i post insieme" not in svg
        assert svg.count("<polyline ") == 1  # drawn once
    # with both groups tested, the thick line is all posts together again
    both = drift_report([{**p, "learned_from": False} for p in learned] + agency, _profile(), by="source")
    legend = _chart(render_report(both, "html")).split('<g class="legend">', 1)[1]
    assert "all posts together" in legend and "source: agency" in legend and "source: inhouse" in legend
