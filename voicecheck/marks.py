"""The brand's own emoji and hashtags: which ones, not only how many.

A brand that writes ✨ and 🌿 and tags #AtelierNoma has a palette; an agency's 😍🔥 and #ootd are as many
emoji and hashtags, so the rates of style see nothing amiss (a fashion brand's review). What a draft
brings that the brand has never used is named in its reasons, judged, as new words are, against how
often the brand's own later posts bring a new one: a brand that tries a new emoji every other post is
told nothing, one that keeps to five is told of the sixth.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["BrandMarks", "PALETTE_MIN_POSTS", "NEW_AT_MOST"]

#: A brand shows a palette of emoji (or hashtags) once it uses them in this many of its posts; below it, what
#: it uses is too little to say what it would not (a brand that never uses them has the habit rule instead).
PALETTE_MIN_POSTS = 5
#: A new emoji (hashtag) is named when the brand's own later posts bring one at most this often.
NEW_AT_MOST = 0.10


class BrandMarks:
    """Document frequencies of the brand's emoji and hashtags, and how often its own later posts bring new ones.

    ``new_share_[kind]``: the share of the brand's posts that hold an emoji (hashtag) none of its other
    calibration folds holds, the folds contiguous in time for dated writing: how often a new post of the
    brand's brings a new one. Hashtags are told apart whatever their case (#MadeInItaly is #madeinitaly),
    and shown as the brand writes them most.
    """

    KINDS = ("emoji", "hashtags")

    def __init__(self) -> None:
        self.df_: dict[str, dict[str, int]] = {k: {} for k in self.KINDS}
        self.spelling_: dict[str, str] = {}  # a hashtag's key -> how the brand writes it most
        self.new_share_: dict[str, float] = {k: 0.0 for k in self.KINDS}
        self.n_with_: dict[str, int] = {k: 0 for k in self.KINDS}  # the brand's posts holding any
        self.n_posts_ = 0

    def fit(self, texts: Sequence[str], folds: np.ndarray) -> BrandMarks:
        found = [_marks(t) for t in texts]
        self.n_posts_ = len(found)
        written: Counter[str] = Counter()
        for _, tags in found:
            written.update(tags)
        for kind, i in (("emoji", 0), ("hashtags", 1)):
            df: Counter[str] = Counter()
            for marks in found:
                df.update({_key(kind, m) for m in marks[i]})
            self.df_[kind] = dict(sorted(df.items(), key=lambda kv: (-kv[1], kv[0])))
            self.n_with_[kind] = sum(1 for f in found if f[i])
            self.new_share_[kind] = _new_share([{_key(kind, m) for m in f[i]} for f in found], folds)
        spellings: dict[str, Counter[str]] = {}
        for tag, n in written.items():
            spellings.setdefault(tag.casefold(), Counter())[tag] = n
        usual = {k: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for k, c in spellings.items()}
        self.spelling_ = {k: v for k, v in usual.items() if v != k}
        return self

    def palette(self, kind: str) -> bool:
        """Whether the brand uses ``kind`` in enough posts for a new one to say something."""
        return self.n_with_[kind] >= PALETTE_MIN_POSTS

    def new_in(self, text: str) -> dict[str, list[str]]:
        """The emoji and hashtags of ``text`` the brand has never used, each once as written, in the draft's
        order; a kind is left out when the brand shows no palette of it or tries new ones often."""
        emoji, tags = _marks(text)
        out: dict[str, list[str]] = {}
        for kind, marks in (("emoji", emoji), ("hashtags", tags)):
            if not marks or not self.palette(kind) or self.new_share_[kind] > NEW_AT_MOST:
                continue
            new = [m for m in dict.fromkeys(marks) if _key(kind, m) not in self.df_[kind]]
            if kind == "hashtags":  # one spelling of a tag once
                new = list({_key(kind, m): m for m in reversed(new)}.values())[::-1]
            if new:
                out[kind] = new
        return out

    def own(self, kind: str, n: int = 5) -> list[str]:
        """The brand's ``n`` most used emoji (hashtags), as it writes them."""
        return [self.spelling_.get(k, k) for k in list(self.df_[kind])[:n]]

    def to_json(self) -> dict[str, Any]:
        return {"n_posts": self.n_posts_, "n_with": dict(self.n_with_), "df": self.df_, "spelling": self.spelling_,
                "new_share": self.new_share_}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BrandMarks:
        marks = cls()
        marks.n_posts_ = int(data["n_posts"])
        marks.n_with_ = {k: int(data["n_with"][k]) for k in cls.KINDS}
        marks.df_ = {k: {str(m): int(n) for m, n in data["df"][k].items()} for k in cls.KINDS}
        marks.spelling_ = {str(k): str(v) for k, v in data["spelling"].items()}
        marks.new_share_ = {k: float(data["new_share"][k]) for k in cls.KINDS}
        return marks


def _marks(text: str) -> tuple[list[str], list[str]]:
    from .style import emoji_and_hashtags

    return emoji_and_hashtags(text)


def _key(kind: str, mark: str) -> str:
    return mark.casefold() if kind == "hashtags" else mark


def _new_share(sets: Sequence[set[str]], folds: np.ndarray) -> float:
    """The share of posts holding a mark that no post of another fold holds (0 with one fold)."""
    if len(sets) == 0 or len(np.unique(folds)) < 2:
        return 0.0
    new = 0
    for fold in np.unique(folds):
        elsewhere = set().union(*(sets[i] for i in np.flatnonzero(folds != fold)))
        new += sum(1 for i in np.flatnonzero(folds == fold) if sets[i] - elsewhere)
    return new / len(sets)
