"""The brand's own emoji and hashtags: which ones, not only how many.

A brand that writes ✨ and 🌿 and tags #AtelierNoma has a palette; an agency's 😍🔥 and #ootd are as many
emoji and hashtags, so the rates of style see nothing amiss (a fashion brand's review). What a draft
brings that the brand has never used is named in its reasons, judged, as new words are, against how
often the brand's own later posts bring a new one: a brand that tries a new emoji in most posts with
emoji is told nothing, one that keeps to five is told of the sixth.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["BrandMarks", "PALETTE_MIN_POSTS", "NEW_AT_MOST", "mark_key"]

#: A brand shows a palette of emoji (or hashtags) once it uses them in this many of its posts; below it, what
#: it uses is too little to say what it would not (a brand that never uses them has the habit rule instead).
PALETTE_MIN_POSTS = 5
#: A new emoji (hashtag) is named when, of the brand's own later posts with emoji (hashtags), at most this
#: share bring one it had not used before. At 10%, a fashion brand's twelve event tags (#Natale2025, #Brera:
#: 10.3%) had switched the check off (a review); a share this high makes the reason a weak one ('info').
NEW_AT_MOST = 0.25


def mark_key(kind: str, mark: str) -> str:
    """What tells two marks apart: an emoji's sign (its skin tone and presentation selector aside), a hashtag's
    letters whatever their case (#MadeInItaly is #madeinitaly)."""
    from .style import emoji_key

    return mark.casefold() if kind == "hashtags" else emoji_key(mark)


class BrandMarks:
    """Document frequencies of the brand's emoji and hashtags, and how often its own later posts bring new ones.

    ``new_share_[kind]``: of the brand's posts with emoji (hashtags), the share that hold one none of its
    other calibration folds holds (the folds contiguous in time for dated writing): how often a new post of
    the brand's that uses them brings a new one. Marks are shown as the brand writes them most.
    """

    KINDS = ("emoji", "hashtags")

    def __init__(self) -> None:
        self.df_: dict[str, dict[str, int]] = {k: {} for k in self.KINDS}  # key -> posts holding it
        self.spelling_: dict[str, str] = {}  # a key -> how the brand writes it most, where that is not the key
        # the brand's tags that read as numbers (#BL482133), by key: the same in lower case is no new hashtag
        self.numbers_: frozenset[str] = frozenset()
        self.new_share_: dict[str, float] = {k: 0.0 for k in self.KINDS}
        self.n_with_: dict[str, int] = {k: 0 for k in self.KINDS}  # the brand's posts holding any
        self.n_posts_ = 0

    def fit(self, texts: Sequence[str], folds: np.ndarray) -> BrandMarks:
        from .style import emoji_and_hashtags

        found = [emoji_and_hashtags(t) for t in texts]
        self.n_posts_ = len(found)
        written: dict[str, Counter[str]] = {}
        for kind, i in (("emoji", 0), ("hashtags", 1)):
            keys = [{mark_key(kind, m) for m in f[i]} for f in found]
            df = Counter(k for ks in keys for k in ks)
            self.df_[kind] = dict(sorted(df.items(), key=lambda kv: (-kv[1], kv[0])))
            self.n_with_[kind] = sum(1 for ks in keys if ks)
            self.new_share_[kind] = _new_share(keys, folds)
            for f in found:
                for m in f[i]:
                    written.setdefault(mark_key(kind, m), Counter())[m] += 1
        usual = {k: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for k, c in written.items()}
        self.spelling_ = {k: v for k, v in usual.items() if v != k}
        self.numbers_ = frozenset(mark_key("hashtags", m) for f in found for m in f[2])
        return self

    def palette(self, kind: str) -> bool:
        """Whether the brand keeps to marks of its own: it uses ``kind`` in enough posts, and its later posts with
        them seldom bring a new one."""
        return self.n_with_[kind] >= PALETTE_MIN_POSTS and self.new_share_[kind] <= NEW_AT_MOST

    def new_in(self, text: str) -> dict[str, list[str]]:
        """The emoji and hashtags of ``text`` the brand has never used, each once as the draft first writes it, in
        the draft's order; a kind is left out when the brand keeps no palette of it (``palette``)."""
        from .style import emoji_and_hashtags

        emoji, tags, _ = emoji_and_hashtags(text)  # a season's tag in capitals is one (#SS27), an order number not
        out: dict[str, list[str]] = {}
        for kind, marks in (("emoji", emoji), ("hashtags", tags)):
            if not marks or not self.palette(kind):
                continue
            known = self.df_[kind].keys() | (self.numbers_ if kind == "hashtags" else frozenset())
            first = {}
            for m in marks:
                first.setdefault(mark_key(kind, m), m)
            new = sorted((m for key, m in first.items() if key not in known), key=text.find)
            if new:
                out[kind] = new
        return out

    def own(self, kind: str, n: int = 5) -> list[str]:
        """The brand's ``n`` most used emoji (hashtags), as it writes them."""
        return [self.spelling_.get(k, k) for k in list(self.df_[kind])[:n]]

    def listed(self, kind: str, n: int = 10) -> list[str]:
        """What the card lists: the brand's ``n`` most used emoji (hashtags) of those in 2 or more of its posts, once
        it uses them in ``PALETTE_MIN_POSTS`` posts; a one-off is no habit, and 18 of them had been listed in the
        order of their code points (a library review)."""
        if self.n_with_[kind] < PALETTE_MIN_POSTS:
            return []
        return [self.spelling_.get(k, k) for k, df in self.df_[kind].items() if df >= 2][:n]

    def to_json(self) -> dict[str, Any]:
        return {"n_posts": self.n_posts_, "n_with": dict(self.n_with_), "df": self.df_, "spelling": self.spelling_,
                "numbers": sorted(self.numbers_), "new_share": self.new_share_}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BrandMarks:
        marks = cls()
        marks.n_posts_ = int(data["n_posts"])
        marks.n_with_ = {k: int(data["n_with"][k]) for k in cls.KINDS}
        marks.df_ = {k: {str(m): int(n) for m, n in data["df"][k].items()} for k in cls.KINDS}
        marks.spelling_ = {str(k): str(v) for k, v in data["spelling"].items()}
        marks.new_share_ = {k: float(data["new_share"][k]) for k in cls.KINDS}
        if "numbers" not in data:  # learned by the first version, whose share was of all posts: of those with marks
            marks.new_share_ = {k: min(1.0, v * marks.n_posts_ / marks.n_with_[k]) if marks.n_with_[k] else 0.0
                                for k, v in marks.new_share_.items()}
        marks.numbers_ = frozenset(str(x) for x in data.get("numbers", ()))
        return marks


def _new_share(sets: Sequence[set[str]], folds: np.ndarray) -> float:
    """Of the posts holding any mark, the share holding one that no post of another fold holds (0 with one fold
    or none)."""
    holding = [i for i, s in enumerate(sets) if s]
    if not holding or len(np.unique(folds)) < 2:
        return 0.0
    new = 0
    for fold in np.unique(folds):
        elsewhere = set().union(*(sets[i] for i in np.flatnonzero(folds != fold)))
        new += sum(1 for i in np.flatnonzero(folds == fold) if sets[i] - elsewhere)
    return new / len(holding)
