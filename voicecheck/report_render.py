"""Render a DriftReport as JSON, Markdown or one self-contained HTML page.

The HTML page is meant to be mailed, archived or opened from disk: inline CSS
and SVG charts drawn here, no script, no font or image from the network. Every
piece of text that came from posts, labels or the profile is escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Mapping, Sequence
from typing import Any

from .drift import all_too_short, counted, p_text
from .errors import InputError

__all__ = ["render_report", "FORMATS"]

FORMATS = ("json", "md", "html")

#: Series colours (colour-blind safe, Okabe-Ito), then the fixed meanings.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
DRIFT = "#C0392B"
BAND = "#DCE9F5"
MUTED = "#777777"


def render_report(report: Mapping[str, Any], fmt: str) -> str:
    """The report as ``json`` (pretty), ``md`` (for a manager) or ``html`` (one page, charts inline)."""
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if fmt in ("md", "markdown"):
        return _markdown(report)
    if fmt in ("html", "htm"):
        return _html(report)
    raise InputError(f"format must be one of {', '.join(FORMATS)} (got {fmt!r})", field="format")


# ---------------------------------------------------------------------- shared words
def _title(report: Mapping[str, Any]) -> str:
    return f"Voice drift report: {report['profile'].get('name', 'voice')}"


def _period(report: Mapping[str, Any]) -> str:
    """The period asked for (--since/--until) where given, else the windows' edges ('no dated posts' without
    either)."""
    windows = report.get("windows") or []
    if not windows:
        if not (report.get("since") or report.get("until")):
            return "no dated posts"
        return f"{report.get('since') or 'the start'} to {report.get('until') or 'the end'}, by {report['window']}"
    last = dt.date.fromisoformat(windows[-1]["end"]) - dt.timedelta(days=1)
    start = report.get("since") or windows[0]["start"]
    end = report.get("until") or last.isoformat()
    return f"{start} to {end}, by {report['window']}"


def _partial(report: Mapping[str, Any], w: Mapping[str, Any]) -> bool:
    """Whether the report's --since/--until cut this window (its first or last days lie outside the period).

    The report says so in each window's ``partial``; a report made before it had that field is worked out here.
    """
    if "partial" in w:
        return bool(w["partial"])
    since, until = report.get("since"), report.get("until")
    last = (dt.date.fromisoformat(w["end"]) - dt.timedelta(days=1)).isoformat()
    return bool((since and w["start"] < since) or (until and last > until))


def _start_text(report: Mapping[str, Any], w: Mapping[str, Any]) -> str:
    return f"{w['start']} (partial)" if _partial(report, w) else w["start"]


def _tested_any(report: Mapping[str, Any]) -> bool:
    return any(w.get("drift") is not None for w in report.get("windows") or ())


def _no_test_words(report: Mapping[str, Any]) -> str:
    m = report.get("method") or {}
    return (f"No {report.get('window', 'window')} had enough posts to test (at least {m.get('min_posts', 10)} "
            "scored posts are needed), so no style feature could be compared with the brand's writing.")


_EVIDENCE = {"against the earlier windows": "vs earlier {w}s",
             "with the window next to it": "pooled with the {w} next to it"}


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
    pv = "–" if w.get("p_value") is None else p_text(w["p_value"], bare=True)
    if not (w.get("drift") and w.get("evidence")):
        return ("drift" if w.get("drift") else _drift_word(w)), pv, ""
    how = _EVIDENCE.get(w["evidence"], "{w}s together").format(w=report.get("window", "window"))
    alert = _evidence_alert(report, w)
    if alert is not None and alert.get("raised") == w["start"]:
        test_p = p_text(alert["p_value"], bare=True)
    else:
        test_p = "–"
    return f"drift ({how})", f"{test_p} ({how})", f"against the profile: {pv}"


def _example(x: Mapping[str, Any], by: str | None = None) -> str:
    """'post-17 (2026-06-03, source 'agency', score 0.4): 5.0 exclamation marks per 100 words; ...'.

    With ``by`` (the report's --by), the example's value of that field: which writing it comes from.
    """
    when = f"{str(x.get('date'))[:10]}, " if x.get("date") else ""
    value = x.get(by) if by else None
    who = f"{by} '{'(none)' if value is None else value}', " if by else ""
    reason = f": {x['reason']}" if x.get("reason") else ""
    return f"{x.get('id') or '(no id)'} ({when}{who}score {float(x['score']):.1f}){reason}"


def _num(x: Any, digits: int = 0) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def _pct(x: Any) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


def _drift_word(w: Mapping[str, Any]) -> str:
    if w.get("drift") is None:
        if w.get("status") == "empty":
            return "all too short" if w.get("n") else "no posts"
        return "too few posts"
    return "DRIFT" if w["drift"] else "no"


def _group_cell(b: Mapping[str, Any]) -> str:
    """A group's posts in one window: '16 posts (4 too short to score), score 66, 0% off'; '–' for none."""
    n = b.get("n") or 0
    if not n:
        return "–"
    scored = b.get("n_scored", n)
    if not scored:
        return all_too_short(n)
    short = f" ({n - scored} too short to score)" if scored < n else ""
    return f"{counted(n, 'post')}{short}, score {_num(b.get('mean_score'))}, {_pct(b.get('off_voice_rate'))} off"


def _moved(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each feature that moved, once: its most recent window, with how many windows it moved in.

    ``count``: all the windows where it moved; ``run``: those since its message's "since"
    (its latest stretch of windows), which is fewer when it moved, stopped, and moved again.
    """
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for w in report.get("windows", []):
        for f in _features_of(w):
            key = (f["feature"], f["direction"])
            prior = seen.get(key)
            same_run = prior is not None and prior.get("since") == f.get("since")
            seen[key] = {**f, "last": w["start"], "count": prior["count"] + 1 if prior else 1,
                         "run": prior["run"] + 1 if same_run else 1}
    return sorted(seen.values(), key=lambda f: (-f["count"], f["feature"]))


def _features_of(w: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Every feature that moved in a window: its largest few (``top_features``), then the rest (``more_features``)."""
    return [*w.get("top_features", []), *w.get("more_features", [])]


def _moved_in(f: Mapping[str, Any], window: str) -> str:
    """'moved in 3 weeks', or 'moved in 2 weeks this time, 5 in all' when its latest stretch is not all of them."""
    if f["run"] == f["count"]:
        return f"moved in {counted(f['count'], window)}"
    return f"moved in {counted(f['run'], window)} this time, {f['count']} in all"


def _tolerance(report: Mapping[str, Any]) -> tuple[str, str]:
    """What the test tolerates and where that came from: the reader can tell a stricter test from a laxer one.

    ('up to 7% off-voice and a mean score of 47', 'tolerance exponent 0.86, as measured when the profile learned').
    """
    m = report.get("method") or {}
    where = ("as measured when the profile learned" if m.get("null_measured")
             else "the default for a profile learned from undated writing")
    exponent = f"tolerance exponent {m['null_exponent']:.2f}, " if m.get("null_exponent") is not None else ""
    return (f"up to {_pct(m.get('null_off_voice_rate', 0.09))} off-voice and a mean score of "
            f"{_num(m.get('null_mean_score', 44))}", f"{exponent}{where}")


# ---------------------------------------------------------------------- Markdown
def _md(text: Any) -> str:
    """Text safe inside a Markdown table cell or line (no markup, no HTML).

    Backslash escapes rather than HTML entities: a renderer shows ``\\<`` as ``<`` and
    treats it as text, and the raw file (mailed as is) stays readable.
    """
    s = str(text)
    for ch in "\\`*_[]|#<>&":
        s = s.replace(ch, "\\" + ch)
    return s.replace("\n", " ")


def _learned(p: Mapping[str, Any]) -> str:
    """', learned 2026-03-01' when the report knows when its profile was learned."""
    return f", learned {str(p['learned_at'])[:10]}" if p.get("learned_at") else ""


def _markdown(report: Mapping[str, Any]) -> str:
    p = report["profile"]
    out = [f"# {_md(_title(report))}", "",
           f"Profile **{_md(p.get('name'))}** version `{_md(p.get('version'))}` ({_md(p.get('lang'))}"
           f"{_md(_learned(p))}), the frozen reference. Period: {_md(_period(report))}.", "",
           _md(report.get("summary", "")), ""]
    if report.get("undated"):
        out += [f"{counted(report['undated'], 'post')} without a date {'was' if report['undated'] == 1 else 'were'} "
                f"left out.", ""]
    out += ["## Alerts", ""]
    if report.get("alerts"):
        for a in report["alerts"]:
            out.append(f"- **since {a['start']}** (raised {a.get('raised', a['start'])}, {p_text(a['p_value'])}): "
                       f"{_md(a['message'])}")
            for x in a.get("examples") or ():
                out.append(f"  - least like the brand: {_md(_example(x, report.get('by')))}")
    elif not report.get("windows"):
        asked = report.get("since") or report.get("until")
        out.append(f"None: there are no dated posts{' in the period asked for' if asked else ''} to test.")
    elif not _tested_any(report):
        out.append(f"None could be raised: no {_md(report['window'])} had enough posts to test (at least "
                   f"{(report.get('method') or {}).get('min_posts', 10)} scored posts are needed), so the report "
                   "cannot say whether the writing drifted.")
    else:
        out.append("None: no drift from the brand's voice was found.")
    if not report.get("windows"):  # no table, chart or feature to show: no empty table headers
        out += ["", f"Method: {_md(_method_words(report))}"]
        return "\n".join(out) + "\n"
    tolerated, source = _tolerance(report)
    out += ["", "## Windows", "",
            "The brand's own writing scores 50 on average and about 5% of it is off-voice. Its later posts may "
            f"drift a little, so the test tolerates {_md(tolerated)} ({_md(source)}). A window drifts when its "
            "posts score clearly lower than that or are off-voice clearly more often.", "",
            "| start | end (excl.) | posts | mean score | off-voice | drift | p-value | in words |",
            "|---|---|---:|---:|---:|---|---:|---|"]
    for w in report.get("windows", []):
        word, pv, note = _drift_test(report, w)
        word = "DRIFT" + word[5:] if word.startswith("drift") else word
        pv += f"; {note}" if note else ""
        out.append(f"| {_start_text(report, w)} | {w['end']} | {w['n']} | {_num(w.get('mean_score'))} | "
                   f"{_pct(w.get('off_voice_rate'))} | {word} | {pv} | {_md(w.get('summary', ''))} |")
    groups = report.get("groups") or []
    if report.get("by") and groups:
        out += ["", f"## By {_md(report['by'])}", "",
                "| start | " + " | ".join(_md(g) for g in groups) + " |",
                "|---|" + "---|" * len(groups)]
        for w in report.get("windows", []):
            cells = []
            for g in groups:
                b = (w.get("by") or {}).get(g) or {}
                cells.append(_md(_group_cell(b)) + (" **drift**" if b.get("drift") else ""))
            out.append(f"| {w['start']} | " + " | ".join(cells) + " |")
    moved = _moved(report)
    out += ["", "## What changed in the writing", ""]
    if moved:
        for f in moved:
            out.append(f"- {_md(f['message'])} (latest: {f['last']}; {_moved_in(f, report['window'])})")
    elif not _tested_any(report):
        out.append(_md(_no_test_words(report)))
    else:
        out.append("No style feature moved clearly away from the brand's writing.")
    out += ["", f"Method: {_md(_method_words(report))}"]
    return "\n".join(out) + "\n"


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
.aside{color:#555;font-size:12px;white-space:nowrap}
@media print{body{margin:0;max-width:none;font-size:12px}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 .tag{border:1px solid #555}.tag.drift{border-color:#C0392B;font-weight:bold}
 h2{break-after:avoid;page-break-after:avoid}
 figure,svg,tr,.summary{break-inside:avoid;page-break-inside:avoid}
 .scroll{overflow:visible}.scroll svg,.scroll table{min-width:0}}
"""


def _e(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _html(report: Mapping[str, Any]) -> str:
    p = report["profile"]
    windows = list(report.get("windows", []))
    alerts = list(report.get("alerts", []))
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{_e(_title(report))}</title><style>{_CSS}</style></head><body>",
             f"<h1>{_e(_title(report))}</h1>",
             f'<p class="meta">Profile <b>{_e(p.get("name"))}</b> version <code>{_e(p.get("version"))}</code> '
             f'({_e(p.get("lang"))}{_e(_learned(p))}), the frozen reference &middot; {_e(_subtitle(report))}</p>',
             f'<p class="summary {_box(report)}">{_e(report.get("summary", ""))}</p>']
    if alerts:
        parts.append("<h2>Alerts</h2><ul class=\"alerts\">")
        for a in alerts:
            examples = "".join(f"<li>{_e(_example(x, report.get('by')))}</li>" for x in a.get("examples") or ())
            parts.append(f"<li><b>since {_e(a['start'])}</b> (raised {_e(a.get('raised', a['start']))}, "
                         f"{_e(p_text(a['p_value']))}): {_e(a['message'])}"
                         + (f'<div class="examples">Least like the brand:<ul>{examples}</ul></div>' if examples
                            else "") + "</li>")
        parts.append("</ul>")
    if windows:
        parts += ["<h2>Score over time</h2>", _score_chart(report),
                  "<h2>Share of posts off-voice</h2>", _offvoice_chart(report),
                  "<h2>What changed in the writing</h2>", _features_chart(report),
                  "<h2>Windows</h2>", _scroll(_window_table(report)), _group_table(report)]
    else:
        parts.append("<p>No dated posts to chart.</p>")
    parts.append(f'<p class="meta">Method: {_e(_method_words(report))}</p></body></html>')
    return "\n".join(parts) + "\n"


def _subtitle(report: Mapping[str, Any]) -> str:
    """'2026-03-02 to 2026-04-26, by week · 320 dated posts, 1 undated left out'; without windows or a period
    asked for, 'no dated posts' is said once ('no dated posts · 12 undated posts left out')."""
    undated = report.get("undated") or 0
    if report.get("windows") or report.get("since") or report.get("until"):
        count = counted(report.get("n_dated", 0), "dated post") + (f", {undated} undated left out" if undated else "")
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
    return (f"each {report['window']} with at least {m.get('min_posts', 10)} scored posts is tested against the "
            f"brand's own writing, tolerating the small drift of the brand's own later posts "
            f"({'; '.join(_tolerance(report))}); a window drifts at p < {m.get('alpha', 0.05)} when the change "
            f"is also large enough to matter; an alert is raised by "
            f"{m.get('alert', 'a drifting window, or two consecutive windows that pooled give p < 0.01')}.")


class _Frame:
    """A chart's plot area: maps window index and value to SVG coordinates."""

    def __init__(self, n: int, lo: float, hi: float, *, width: int = 960, height: int = 300,
                 left: int = 56, right: int = 235, top: int = 16, bottom: int = 52) -> None:
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


def _svg_open(f: _Frame, label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {f.width} {f.height}" width="{f.width}" '
            f'height="{f.height}" role="img" aria-label="{_e(label)}"><title>{_e(label)}</title>')


def _x_axis(f: _Frame, windows: Sequence[Mapping[str, Any]]) -> list[str]:
    out = [f'<line x1="{f.left}" y1="{f.top + f.plot_h}" x2="{f.left + f.plot_w}" y2="{f.top + f.plot_h}" '
           f'stroke="#444"/>']
    every = max(1, -(-len(windows) // 12), int(-(-78 // max(f.step, 1))))
    for i, w in enumerate(windows):
        if i % every:
            continue
        x = f.x(i)
        out.append(f'<line x1="{x:.1f}" y1="{f.top + f.plot_h}" x2="{x:.1f}" y2="{f.top + f.plot_h + 4}" '
                   f'stroke="#444"/>')
        out.append(f'<text x="{x:.1f}" y="{f.top + f.plot_h + 18}" font-size="11" text-anchor="middle" '
                   f'fill="#333">{_e(w["start"])}</text>')
    out.append(f'<text x="{f.left + f.plot_w / 2:.1f}" y="{f.height - 8}" font-size="12" text-anchor="middle" '
               f'fill="#333">window start</text>')
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


def _drift_columns(f: _Frame, windows: Sequence[Mapping[str, Any]]) -> list[str]:
    out = []
    for i, w in enumerate(windows):
        if w.get("drift"):
            out.append(f'<rect class="drift-window" x="{f.x(i) - f.step / 2:.1f}" y="{f.top}" width="{f.step:.1f}" '
                       f'height="{f.plot_h}" fill="{DRIFT}" fill-opacity="0.10"><title>{_e(w["start"])}: '
                       f'drifting</title></rect>')
    return out


#: Legend labels longer than this are cut with an ellipsis (the full text in a tooltip): SVG text clips, never wraps.
LEGEND_CHARS = 30


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _legend(f: _Frame, items: Sequence[tuple[str, str]], note: str = "") -> list[str]:
    """Legend to the right of the plot; ``items`` are (svg swatch, label); ``note`` a last line of plain text.

    A label too long for the space is cut with an ellipsis, its full text in a <title>.
    """
    x = f.left + f.plot_w + 16
    out = ['<g class="legend">']
    for k, (swatch, label) in enumerate(items):
        y = f.top + 8 + 20 * k
        out.append(swatch.format(x=x, y=y, x2=x + 22, cy=y - 4))
        short = _clip(label, LEGEND_CHARS)
        tip = f"<title>{_e(label)}</title>" if short != label else ""
        out.append(f'<text x="{x + 28}" y="{y}" font-size="12" fill="#222">{tip}{_e(short)}</text>')
    if note:
        y = f.top + 8 + 20 * len(items)
        out.append(f'<text class="legend-note" x="{x}" y="{y}" font-size="12" fill="{MUTED}">{_e(note)}</text>')
    out.append("</g>")
    return out


_TESTABLE = ("tested", "low-power")


def _series(report: Mapping[str, Any]) -> tuple[list[tuple[str, list[Any], list[bool]]], int]:
    """(name, per-window mean score or None, per-window drift) for all posts and for each group; and how many
    groups did not fit in the palette (the chart says so and points to the table).

    A single group whose figures are those of all posts is not drawn a second time.
    """
    windows = report["windows"]
    out = [("all posts", [w.get("mean_score") if w.get("status") in _TESTABLE else None for w in windows],
            [bool(w.get("drift")) for w in windows])]
    for g in report.get("groups") or []:
        parts = [(w.get("by") or {}).get(g) or {} for w in windows]
        vals = [b.get("mean_score") if b.get("status") in _TESTABLE else None for b in parts]
        if any(v is not None for v in vals):
            out.append((f"{report.get('by')}: {g}", vals, [bool(b.get("drift")) for b in parts]))
    groups = report.get("groups") or []
    if len(groups) == 1 and len(out) == 2 and out[1][1:] == out[0][1:]:
        out = out[:1]
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
    label = "Mean score per window, with the brand's own band"
    svg = [_svg_open(f, label)]
    svg += _drift_columns(f, windows)
    svg.append(f'<rect class="band" x="{f.left}" y="{f.y(band[1]):.1f}" width="{f.plot_w}" '
               f'height="{f.y(band[0]) - f.y(band[1]):.1f}" fill="{BAND}"/>')
    svg += _y_axis(f, [0, 25, 50, 75, 100], "mean score (0-100)")
    svg.append(f'<line class="brand-mean" x1="{f.left}" y1="{f.y(50):.1f}" x2="{f.left + f.plot_w}" '
               f'y2="{f.y(50):.1f}" stroke="{MUTED}" stroke-dasharray="2 3"/>')
    svg.append(f'<line class="off-voice-line" x1="{f.left}" y1="{f.y(cut):.1f}" x2="{f.left + f.plot_w}" '
               f'y2="{f.y(cut):.1f}" stroke="{DRIFT}" stroke-dasharray="6 4" stroke-width="1.5"/>')
    svg += _x_axis(f, windows)
    # Windows with too few posts to test: their mean score greyed, so that a report with nothing
    # tested does not look like an empty, all-clear chart.
    untested = [(i, w) for i, w in enumerate(windows)
                if w.get("status") not in _TESTABLE and w.get("mean_score") is not None]
    for i, w in untested:
        svg.append(f'<circle class="untested" cx="{f.x(i):.1f}" cy="{f.y(w["mean_score"]):.1f}" r="4" '
                   f'fill="{UNTESTED}"><title>{_e(w["start"])}: mean score {w["mean_score"]:.0f} over '
                   f'{_e(counted(w.get("n_scored", w["n"]), "post"))}, too few to test</title></circle>')
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
            svg.append(f'<circle class="point" cx="{f.x(i):.1f}" cy="{f.y(v):.1f}" r="{radius}" '
                       f'fill="{color}"{ring}><title>{_e(name)}, {_e(windows[i]["start"])}: mean score '
                       f'{v:.0f}{" (drifting)" if drifting else ""}</title></circle>')
    items = [(f'<line x1="{{x}}" y1="{{cy}}" x2="{{x2}}" y2="{{cy}}" stroke="{PALETTE[k]}" stroke-width="3"'
              + ("" if k == 0 else f' stroke-dasharray="{GROUP_DASH}"') + "/>", name)
             for k, (name, vals, _) in enumerate(series) if any(v is not None for v in vals)]
    if untested:
        items.append((f'<circle cx="{{x}}" cy="{{cy}}" r="4" transform="translate(11 0)" fill="{UNTESTED}"/>',
                      "too few posts to test"))
    items += [(f'<rect x="{{x}}" y="{{cy}}" width="22" height="10" transform="translate(0 -5)" fill="{BAND}"/>',
               f"brand's middle half ({band[0]:g}-{band[1]:g})"),
              (f'<line x1="{{x}}" y1="{{cy}}" x2="{{x2}}" y2="{{cy}}" stroke="{MUTED}" stroke-dasharray="2 3"/>',
               "brand's own average: 50"),
              (f'<line x1="{{x}}" y1="{{cy}}" x2="{{x2}}" y2="{{cy}}" stroke="{DRIFT}" stroke-dasharray="6 4"/>',
               f"off-voice below {cut:g}")]
    if any(w.get("drift") for w in windows):
        items.append((f'<rect x="{{x}}" y="{{cy}}" width="22" height="10" transform="translate(0 -5)" '
                      f'fill="{DRIFT}" fill-opacity="0.15"/>', "drifting window (all posts)"))
    if any_drift:
        items.append((f'<circle cx="{{x}}" cy="{{cy}}" r="5" transform="translate(11 0)" fill="#fff" '
                      f'stroke="{DRIFT}" stroke-width="2.5"/>', "drifting (that series)"))
    more = f"{left_out} more group{'' if left_out == 1 else 's'}: see the table" if left_out else ""
    svg += _legend(f, items, more)
    svg.append("</svg>")
    caption = ("Mean score of the posts in each window (windows with too few posts to test are drawn grey, "
               "without a line). The brand's own writing averages 50, half of it between 25 and 75.")
    if more:
        caption += f" {more.capitalize()} below."
    return (f'<figure id="score-chart">{_scroll("".join(svg))}<figcaption>{_e(caption)}</figcaption>'
            f'</figure>')


def _offvoice_chart(report: Mapping[str, Any]) -> str:
    windows = report["windows"]
    rates = [w.get("off_voice_rate") for w in windows]
    top = max([0.25] + [r for r in rates if r is not None])
    top = min(1.0, (int(top * 10) + 1) / 10)
    f = _Frame(len(windows), 0, top, height=260)
    label = "Share of posts off-voice per window"
    svg = [_svg_open(f, label)]
    ticks = [t / 100 for t in range(0, int(round(top * 100)) + 1, 10 if top > 0.3 else 5)]
    svg += _y_axis(f, ticks, "share off-voice", lambda v: f"{100 * v:.0f}%")
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
        svg.append(f'<rect class="bar" x="{f.x(i) - bar_w / 2:.1f}" y="{f.y(0) - h:.1f}" width="{bar_w:.1f}" '
                   f'height="{h:.1f}" fill="{color}"><title>{_e(w["start"])}: {100 * r:.0f}% off-voice of '
                   f'{_e(counted(w.get("n_scored", w["n"]), "post"))}</title></rect>')
    svg.append(f'<line x1="{f.left}" y1="{f.y(0.05):.1f}" x2="{f.left + f.plot_w}" y2="{f.y(0.05):.1f}" '
               f'stroke="#222" stroke-dasharray="6 4"/>')
    svg += _x_axis(f, windows)
    items = [(f'<rect x="{{x}}" y="{{cy}}" width="22" height="10" transform="translate(0 -5)" fill="{PALETTE[0]}"/>',
              "tested window")] if "tested" in kinds else []
    if "drift" in kinds:
        items.append((f'<rect x="{{x}}" y="{{cy}}" width="22" height="10" transform="translate(0 -5)" '
                      f'fill="{DRIFT}"/>', "drifting window"))
    if "few" in kinds:
        items.append((f'<rect x="{{x}}" y="{{cy}}" width="22" height="10" transform="translate(0 -5)" '
                      f'fill="{UNTESTED}"/>', "too few posts to test"))
    items += [('<line x1="{x}" y1="{cy}" x2="{x2}" y2="{cy}" stroke="#222" stroke-dasharray="6 4"/>',
               "brand's own: about 5%")]
    svg += _legend(f, items)
    svg.append("</svg>")
    caption = "Share of each window's posts scoring off-voice (below 5). About 5% of the brand's own writing does."
    return (f'<figure id="offvoice-chart">{_scroll("".join(svg))}<figcaption>{_e(caption)}</figcaption>'
            f'</figure>')


#: Rows of the feature grid; the list under it names every feature that moved.
GRID_ROWS = 8
_ARROW = {"up": "▲", "down": "▼"}


def _features_chart(report: Mapping[str, Any]) -> str:
    """A grid: one row per feature that moved, one column per window, coloured and marked up or down.

    The grid has at most ``GRID_ROWS`` rows and says how many more features the list under it names;
    the list names each feature and direction that moved, so that a cell painted "down" has its entry.
    """
    windows = report["windows"]
    moved = _moved(report)
    if not moved:
        if not _tested_any(report):
            return f"<p class=\"untested\">{_e(_no_test_words(report))}</p>"
        return "<p>No style feature moved clearly away from the brand's writing.</p>"
    rows: list[tuple[str, str]] = []
    for f in moved:
        if f["feature"] not in [r[0] for r in rows]:
            rows.append((f["feature"], f["label"]))
    hidden = max(0, len(rows) - GRID_ROWS)
    rows = rows[:GRID_ROWS]
    row_h = 26
    fr = _Frame(len(windows), 0, 1, height=16 + row_h * len(rows) + 52, left=250, right=200)
    label = "Style features that moved, per window"
    svg = [_svg_open(fr, label)]
    colours = {"up": "#D55E00", "down": "#0072B2"}
    used = set()
    for k, (name, lab) in enumerate(rows):
        y = fr.top + k * row_h
        short = _clip(lab, 38)
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
                       f'<title>{_e(w["start"])}: {_e(hit["message"])}</title></rect>')
            if fr.step >= 12:  # the direction as a glyph too, not by colour alone
                svg.append(f'<text class="glyph" x="{cx:.1f}" y="{y + row_h / 2 + 4:.1f}" font-size="11" '
                           f'text-anchor="middle" fill="#fff">{_ARROW[hit["direction"]]}</text>')
    fr.plot_h = row_h * len(rows)
    svg += _x_axis(fr, windows)
    items = [(f'<rect x="{{x}}" y="{{cy}}" width="22" height="10" transform="translate(0 -5)" fill="{c}"/>',
              f"{_ARROW[d]} {d} from the brand's") for d, c in colours.items() if d in used]
    more = f"and {hidden} more: see the list" if hidden else ""
    svg += _legend(fr, items, more)
    svg.append("</svg>")
    window = report["window"]
    lis = "".join(f"<li>{_e(f['message'])} <span class=\"meta\">(latest {_e(f['last'])}; "
                  f"{_e(_moved_in(f, window))})</span></li>" for f in moved)
    caption = ("Coloured cells (▲ up, ▼ down): the windows where a style feature was clearly away from the "
               "brand's own writing.")
    if hidden:
        caption += f" The grid shows {len(rows)} features, and {hidden} more: see the list."
    return (f'<figure id="features-chart">{_scroll("".join(svg))}<figcaption>{_e(caption)}</figcaption></figure>'
            f'<ul class="moved">{lis}</ul>')


def _window_table(report: Mapping[str, Any]) -> str:
    rows = ["<table><thead><tr><th>start</th><th>end (excl.)</th><th>posts</th><th>mean score</th>"
            "<th>off-voice</th><th>drift</th><th>p-value</th><th>in words</th></tr></thead><tbody>"]
    for w in report["windows"]:
        word, pv, note = _drift_test(report, w)
        if w.get("drift"):
            tag = f'<span class="tag drift">{_e(word)}</span>'
        elif w.get("drift") is None:
            tag = f'<span class="tag few">{_e(word)}</span>'
        else:
            tag = '<span class="tag ok">no</span>'
        aside = f'<br><span class="aside">{_e(note)}</span>' if note else ""
        start = _e(w["start"]) + (' <span class="aside">(partial)</span>' if _partial(report, w) else "")
        rows.append(f'<tr class="{"drift" if w.get("drift") else ""}"><td class="day">{start}</td>'
                    f'<td class="day">{_e(w["end"])}</td>'
                    f'<td class="num">{_e(w["n"])}</td><td class="num">{_num(w.get("mean_score"))}</td>'
                    f'<td class="num">{_pct(w.get("off_voice_rate"))}</td><td>{tag}</td><td class="num">{_e(pv)}'
                    f'{aside}</td><td>{_e(w.get("summary", ""))}</td></tr>')
    rows.append("</tbody></table>")
    return "".join(rows)


def _group_table(report: Mapping[str, Any]) -> str:
    """The --by breakdown as a table, as in the Markdown: the chart leaves out groups too small to test."""
    groups = report.get("groups") or []
    if not (report.get("by") and groups):
        return ""
    rows = ['<table class="by"><thead><tr><th>start</th>'
            + "".join(f"<th>{_e(g)}</th>" for g in groups) + "</tr></thead><tbody>"]
    for w in report["windows"]:
        cells = []
        for g in groups:
            b = (w.get("by") or {}).get(g) or {}
            tag = ' <span class="tag drift">drift</span>' if b.get("drift") else ""
            cells.append(f'<td>{_e(_group_cell(b))}{tag}</td>')
        rows.append(f'<tr><td class="day">{_e(w["start"])}</td>{"".join(cells)}</tr>')
    rows.append("</tbody></table>")
    return f'<h2>By {_e(report["by"])}</h2>' + _scroll("".join(rows))
