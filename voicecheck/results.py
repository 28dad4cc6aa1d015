"""ScoreResult and Reason: the one output shape of scoring (docs/reference.md).

The CLI's json/jsonl output and the HTTP service's responses are ``to_dict()`` of
these objects, so the same input gives the same JSON through every door.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Reason", "ScoreResult", "VERDICTS"]

VERDICTS = ("on-voice", "borderline", "off-voice", "too-short")


@dataclass(frozen=True)
class Reason:
    """One difference between a draft and the brand, in plain words."""

    feature: str
    dimension: str
    message: str
    draft: float | str | None
    voice: float | str | None
    severity: str  # "info" | "warning" | "error"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ScoreResult:
    """How well one draft matches the brand's voice."""

    id: str
    score: float
    verdict: str
    dimensions: dict[str, float]
    reasons: list[Reason]
    profile: dict[str, str]
    words: int = 0
    date: str | None = None
    source: str | None = None
    channel: str | None = None
    author: str | None = None
    learned_from: bool = False  # the profile learned from this very text: its score is not a new post's
    style: dict[str, float] = field(default_factory=dict, repr=False, compare=False)
    explained_in: str | None = field(default=None, repr=False, compare=False)  # the language of the messages
    #: the draft's emoji and hashtags the brand never used (``marks.BrandMarks.new_in``); None: not measured
    new_marks: dict[str, list[str]] | None = field(default=None, repr=False, compare=False)

    def to_dict(self, *, with_style: bool = False) -> dict[str, Any]:
        """Plain JSON (docs/reference.md); ``with_style`` adds the measured style features, ``explained_in`` and
        ``new_marks``.

        The stored form (``with_style``) says in which language the reasons were written, so that a
        drift report in the other language can restate them (``scoring.restate_reason``), and which of the
        draft's emoji and hashtags the brand never used, so that a report can count them (texts are not stored).
        """
        out: dict[str, Any] = {
            "id": self.id,
            "score": self.score,
            "verdict": self.verdict,
            "dimensions": dict(self.dimensions),
            "reasons": [r.to_dict() for r in self.reasons],
            "profile": dict(self.profile),
            "words": self.words,
            "date": self.date,
            "source": self.source,
            "channel": self.channel,
            "author": self.author,
            "learned_from": self.learned_from,
        }
        if with_style:
            out["style"] = dict(self.style)
            out["explained_in"] = self.explained_in
            out["new_marks"] = None if self.new_marks is None else {k: list(v) for k, v in self.new_marks.items()}
        return out

    @property
    def off_voice(self) -> bool:
        return self.verdict == "off-voice"
