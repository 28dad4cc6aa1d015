"""The brand's habits per channel: a newsletter is compared with the brand's newsletters.

A brand writes 40-word captions and 150-word newsletters. Compared with all its posts, its own new newsletter
was "151 words; the brand's writing has 38", and a Story "3 words" (a skincare and a fashion brand's reviews).
Where the writing learned says its channel (``Document.channel``) and a channel holds enough of the brand's
posts, the profile keeps that channel's percentiles of every style feature, and a draft of that channel is
explained against them: "151 words; the brand's newsletter posts have 149". The score itself is the profile's
(its models learned every channel together); the rules stay the brand's, as they are kept in every post.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["ChannelStyle", "CHANNEL_MIN_POSTS", "channel_key", "learn_channels", "small_channels"]

#: A channel is compared on its own once the brand wrote this many different posts in it: a year of monthly
#: newsletters is 12 (at 30, a fashion brand's newsletters would have been compared with its captions for two
#: and a half years: a review). Its percentiles are coarse, but a newsletter is no caption.
CHANNEL_MIN_POSTS = 10


def channel_key(label: str | None) -> str | None:
    """A channel label as channels are told apart: 'Newsletter' and ' newsletter ' are one channel."""
    if not isinstance(label, str) or not label.strip():
        return None
    return " ".join(label.split()).casefold()


@dataclass(frozen=True)
class ChannelStyle:
    """One channel's share of the brand's writing: its style percentiles (features x 101), means and shares of
    posts showing each feature, as the profile keeps them for all its posts."""

    key: str
    label: str  # as the brand's posts write it most
    n_posts: int
    quantiles: np.ndarray
    means: np.ndarray
    nonzero: np.ndarray

    def to_meta(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "n_posts": self.n_posts,
                "means": [float(x) for x in self.means], "nonzero": [float(x) for x in self.nonzero]}

    @classmethod
    def from_meta(cls, meta: Mapping[str, Any], quantiles: np.ndarray, n_features: int) -> ChannelStyle:
        means = np.asarray(meta["means"], dtype=np.float64)
        nonzero = np.asarray(meta["nonzero"], dtype=np.float64)
        if means.shape != (n_features,) or nonzero.shape != (n_features,) or quantiles.shape != (n_features, 101):
            raise ValueError(f"channel {meta.get('key')!r}: its figures do not hold one value per style feature")
        return cls(str(meta["key"]), str(meta["label"]), int(meta["n_posts"]), quantiles, means, nonzero)


def _channels(labels: Sequence[str | None]) -> list[tuple[str, str, np.ndarray]]:
    """Each channel of ``labels`` (by key, in key order): its key, its label as written most, its rows."""
    keys = [channel_key(label) for label in labels]
    out = []
    for key in sorted({k for k in keys if k is not None}):
        rows = np.asarray([i for i, k in enumerate(keys) if k == key])
        written = Counter(" ".join(labels[i].split()) for i in rows)
        out.append((key, min(written.items(), key=lambda kv: (-kv[1], kv[0]))[0], rows))
    return out


def learn_channels(style: np.ndarray, labels: Sequence[str | None]) -> list[ChannelStyle]:
    """The channels of the brand's posts (``style``: one row per different post, ``labels`` its channel) that hold
    at least ``CHANNEL_MIN_POSTS`` of them, and not all of them (then the brand's figures are the channel's)."""
    out = []
    for key, label, rows in _channels(labels):
        if CHANNEL_MIN_POSTS <= len(rows) < len(labels):
            part = style[rows]
            out.append(ChannelStyle(key, label, len(rows), np.percentile(part, np.arange(101), axis=0).T.copy(),
                                    part.mean(axis=0), (part > 0).mean(axis=0)))
    return out


def small_channels(labels: Sequence[str | None]) -> dict[str, int]:
    """The channels with fewer than ``CHANNEL_MIN_POSTS`` of the brand's posts (as written most, with how many),
    when some channel holds enough: their drafts are explained against all its posts, which learning says."""
    found = _channels(labels)
    if not any(len(rows) >= CHANNEL_MIN_POSTS for _, _, rows in found):
        return {}
    return {label: len(rows) for _, label, rows in found if len(rows) < CHANNEL_MIN_POSTS}
