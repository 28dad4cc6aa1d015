"""The documentation against the code: docs/reference.md names every JSON field, and links between pages resolve.

A field added to a ScoreResult or a DriftReport without a line in the reference fails here, as does a link to a
page or a heading that was renamed.
"""

from __future__ import annotations

import re
import typing
from dataclasses import fields
from pathlib import Path

import pytest

from voicecheck.typicality import LOW_POWER_BELOW, MIN_POSTS
from voicecheck.results import Reason, ScoreResult
from voicecheck.style import feature_names

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "benchmarks" / "README.md"]


def _named(name: str) -> bool:
    return f"`{name}`" in REFERENCE


def test_every_score_result_and_reason_field_is_described():
    result = ScoreResult(id="x", score=50.0, verdict="on-voice", dimensions={}, reasons=[], profile={})
    missing = [k for k in result.to_dict(with_style=True) if not _named(k)]
    missing += [f.name for f in fields(Reason) if not _named(f.name)]
    assert not missing, missing


@pytest.mark.parametrize("lang", ["en", "it", "fr"])
def test_every_style_feature_is_listed(lang):
    missing = [n for n in feature_names(lang) if not _named(n)]
    assert not missing, missing


def test_every_drift_report_field_is_described():
    from voicecheck_api import schemas

    models = [schemas.DriftReportOut, schemas.DriftWindow, schemas.DriftAlert, schemas.GroupFigures,
              schemas.AlertExample, schemas.MovedFeature, schemas.AlertFigures, schemas.PooledFigures,
              schemas.LeftBefore, schemas.OtherVersions, schemas.VersionCount, schemas.ReportProfile,
              schemas.Reference, schemas.Method, schemas.MinEffect]
    missing = [f"{m.__name__}.{name}" for m in models for name in m.model_fields if not _named(name)]
    assert not missing, missing
    statuses = typing.get_args(schemas.WindowStatus)
    assert set(statuses) == {"tested", "low-power", "too-few-posts", "learned", "empty"}
    assert all(_named(s) for s in statuses)
    # the thresholds as the code has them
    assert f"under {MIN_POSTS}, not tested" in REFERENCE and f"under {LOW_POWER_BELOW} posts" in REFERENCE
    assert f"`min_posts` ({MIN_POSTS}:" in REFERENCE


def test_every_voice_card_field_is_described():
    from voicecheck_api import schemas

    models = [schemas.VoiceCardOut, schemas.CardLearnedFrom, schemas.CardRegister, schemas.CardHabit,
              schemas.CardRule]
    missing = [f"{m.__name__}.{name}" for m in models for name, f in m.model_fields.items()
               if not _named(f.alias or name)]
    assert not missing, missing


def _anchors(text: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens."""
    out = set()
    for heading in re.findall(r"^#{1,6} +(.+?) *$", text, flags=re.M):
        out.add(re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-"))
    return out


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_between_pages_resolve(page):
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.S)  # code blocks hold no links
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            broken.append(target)
        elif anchor and file.suffix == ".md" and anchor not in _anchors(file.read_text(encoding="utf-8")):
            broken.append(target)
    assert not broken, broken
