"""The HTML drift report in a real headless Chromium: the charts must actually render.

Needs the system Chromium (Debian: ``apt-get install -y chromium``) and the
``playwright`` Python package (never ``playwright install``: the system browser is
used). Set ``VOICECHECK_SCREENSHOT=path.png`` to keep the screenshot (the one in
docs/drift-report.png is made this way).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from voicecheck.report_render import render_report

pytestmark = pytest.mark.browser

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _chromium() -> str | None:
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and (path := shutil.which(name)):
            return path
    return None


@pytest.fixture(scope="module")
def page():
    exe = _chromium()
    if exe is None:
        pytest.skip("no Chromium binary found (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=ARGS)
        try:
            pg = browser.new_page(viewport={"width": 1100, "height": 900})
            yield pg
        finally:
            browser.close()


@pytest.mark.parametrize("lang", ["en", "it"])
def test_charts_render_in_chromium(page, tmp_path, lang):
    from test_report_render import _report

    report = _report(explain_in=lang)
    file = tmp_path / "drift.html"
    file.write_text(render_report(report, "html"), encoding="utf-8")
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(file.as_uri())
    page.wait_for_load_state("load")
    assert all(u.startswith("file:") for u in requests), requests  # nothing fetched from anywhere else

    charts = page.eval_on_selector_all(
        "figure svg", "els => els.map(e => {const b = e.getBoundingClientRect(); return [b.width, b.height]})")
    assert len(charts) == 3
    assert all(w > 300 and h > 50 for w, h in charts), charts
    # Marks inside the charts are drawn with a real size, not collapsed.
    for selector in ("#score-chart circle.point", "#score-chart rect.band", "#offvoice-chart rect.bar",
                     "#features-chart rect.cell", "#score-chart line.off-voice-line"):
        boxes = page.eval_on_selector_all(
            selector, "els => els.map(e => {const b = e.getBBox(); return [b.width, b.height]})")
        assert boxes, selector
        assert all(w > 0 or h > 0 for w, h in boxes), (selector, boxes)
    assert page.eval_on_selector("html", "e => e.lang") == lang
    body = page.inner_text("body")
    assert ("Alerts" in body) if lang == "en" else ("Segnalazioni" in body and "Alerts" not in body)
    if lang == "it":  # the charts' own words too: axis titles and legends are drawn text in the SVG
        drawn = " ".join(page.eval_on_selector_all("figure svg text", "els => els.map(e => e.textContent)"))
        assert drawn and "score" not in drawn.lower() and "week" not in drawn.lower(), drawn
        return

    shot = tmp_path / "drift.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
    keep = os.environ.get("VOICECHECK_SCREENSHOT")
    if keep:
        Path(keep).write_bytes(shot.read_bytes())
