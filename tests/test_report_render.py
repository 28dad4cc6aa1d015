"""Rendering a DriftReport: JSON round trip, Markdown for a manager, one self-contained HTML page."""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from types import SimpleNamespace

import numpy as np
import pytest

from voicecheck.drift import drift_report
from voicecheck.report_render import render_report

EVIL = '<script>alert("x")</script> & "quotes"'


def _profile(name="acme"):
    rng = np.random.default_rng(0)
    ref = np.column_stack([rng.normal(20, 5, 500), np.where(rng.random(500) < 0.1, 2.0, 0.0)])
    return SimpleNamespace(info={"name": name, "version": "abc123", "lang": "en"},
                           style_names_=["words", "exclamation_rate"],
                           style_quantiles_=np.percentile(ref, np.arange(101), axis=0).T,
                           style_means_=ref.mean(axis=0), style_nonzero_=(ref > 0).mean(axis=0))


def _report(name="acme", source_b="agency", reason="5.0 exclamation marks per 100 words"):
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
    return drift_report(posts, _profile(name), by="source")


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
    assert "## Alerts" in md and "since 2026-03-30" in md
    assert "| 2026-03-02 | 2026-03-09 |" in md
    assert "## By source" in md and "agency" in md and "inhouse" in md
    assert "exclamation marks up from" in md
    assert "1 posts without a date were left out" in md or "posts without a date" in md
    # each alert names its least typical posts, with their main reason, right under it
    examples = [line for line in md.splitlines() if line.startswith("  - least like the brand: ")]
    assert examples and all(", score " in x for x in examples)
    assert any(x.endswith("): 5.0 exclamation marks per 100 words") for x in examples)
    first = next(a for a in report["alerts"] if a["examples"])["examples"][0]
    assert f"  - least like the brand: {first['id']} ({first['date']}, score {first['score']:.1f}): " in md


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
    assert "<script>" not in md
    assert json.loads(render_report(rep, "json"))["profile"]["name"] == EVIL


def test_empty_report_renders():
    rep = drift_report([], _profile())
    for fmt in ("json", "md", "html"):
        assert render_report(rep, fmt)
    assert "No dated posts" in render_report(rep, "html")


def test_tiny_p_values_read_as_a_bound_never_zero(report):
    """A p-value under the stored precision is 0 in the JSON; the reader sees 'p < 1e-12' (escaped in HTML)."""
    import copy

    rep = copy.deepcopy(report)
    assert rep["alerts"]
    rep["alerts"][0]["p_value"] = 0.0
    tested = next(w for w in rep["windows"] if w["p_value"] is not None)
    tested["p_value"] = 0.0
    md, page = render_report(rep, "md"), render_report(rep, "html")
    assert "p < 1e-12" in md and "p = 0)" not in md and "| < 1e-12 |" in md
    assert "p &lt; 1e-12" in page and "p = 0)" not in page and ">&lt; 1e-12</td>" in page
    assert "p < 1e-12" not in page  # never a bare '<' in the page


def test_profile_learning_date_is_shown_when_known():
    report = _report()
    assert "learned" not in render_report(report, "markdown").split("\n")[2]
    report["profile"]["learned_at"] = "2026-01-15T10:00:00+00:00"
    assert "(en, learned 2026-01-15), the frozen reference" in render_report(report, "markdown")
    assert "(en, learned 2026-01-15), the frozen reference" in render_report(report, "html")


def test_unknown_format_is_an_input_error():
    from voicecheck.errors import InputError

    with pytest.raises(InputError, match="format must be one of json, md, html \\(got 'pdf'\\)"):
        render_report({}, "pdf")
