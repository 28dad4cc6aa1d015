"""The brand's habits per channel: a newsletter is compared with the brand's newsletters.

A brand writes 40-word captions and 150-word newsletters. Compared with all its posts, its own new newsletter
was "151 words; the brand's writing has 38", and a Story "3 words" (a skincare and a fashion brand's reviews).
Where the writing learned says its channel (``Document.channel``) and a channel holds enough of the brand's
posts, the profile keeps that channel's percentiles of every style feature, and a draft of that channel is
explained against them: "151 words; the brand's newsletter posts have 149". The models are the profile's (they
learned every channel together), but a draft of such a channel is placed among the brand's posts of that channel
(``calibration``): scored out of fold, the demo roaster's own newsletters sat at a mean percentile of 77 among all
its posts and its Facebook posts at 40 (10% of them off-voice), so "about 5% of the brand's own writing
off-voice" held for neither. The rules stay the brand's, as they are kept in every post.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

__all__ = ["ChannelStyle", "CHANNEL_MIN_POSTS", "channel_key", "learn_channels", "small_channels",
           "with_calibrations"]

#: A channel is compared on its own once the brand wrote this many different posts in it: a year of monthly
#: newsletters is 12 (at 30, a fashion brand's newsletters would have been compared with its captions for two
#: and a half years: a review). Its percentiles are coarse, but a newsletter is no caption.
CHANNEL_MIN_POSTS = 10


def channel_key(label: str | None) -> str | None:
    """A channel label as channels are told apart: 'Newsletter' and ' newsletter ' are one channel."""
    if not isinstance(label, str) or not label.strip():
        return None
    return " ".join(label.split()).casefold()


#: The brand's posts of a channel are placed among, at most, this many of their out-of-fold scores (evenly spaced
#: in rank): a channel of 20,000 posts keeps 1,001 figures in profile.json, not 20,000.
CALIBRATION_POINTS = 1001


@dataclass(frozen=True)
class ChannelStyle:
    """One channel's share of the brand's writing: its style percentiles (features x 101), means and shares of
    posts showing each feature, as the profile keeps them for all its posts; and ``calibration``, the out-of-fold
    scores of its posts, each family's then the combined one (a row each, sorted; None in a profile learned before
    channels were calibrated)."""

    key: str
    label: str  # as the brand's posts write it most
    n_posts: int
    quantiles: np.ndarray
    means: np.ndarray
    nonzero: np.ndarray
    calibration: np.ndarray | None = None

    @property
    def weight(self) -> float:
        """How much a draft's place among the channel's posts counts, against its place among all the brand's
        posts: n / (n + CHANNEL_MIN_POSTS), a half for a channel of 10 posts, 0.8 for one of 40."""
        return self.n_posts / (self.n_posts + CHANNEL_MIN_POSTS)

    def to_meta(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "n_posts": self.n_posts,
                "means": [float(x) for x in self.means], "nonzero": [float(x) for x in self.nonzero],
                **({"calibration": [[float(x) for x in row] for row in self.calibration]}
                   if self.calibration is not None else {})}

    @classmethod
    def from_meta(cls, meta: Mapping[str, Any], quantiles: np.ndarray, n_features: int,
                  n_scales: int = 4) -> ChannelStyle:
        """A channel as ``to_meta`` wrote it; ``n_scales``: the rows its calibration must have (the profile's
        families, then the combined score)."""
        means = np.asarray(meta["means"], dtype=np.float64)
        nonzero = np.asarray(meta["nonzero"], dtype=np.float64)
        if means.shape != (n_features,) or nonzero.shape != (n_features,) or quantiles.shape != (n_features, 101):
            raise ValueError(f"channel {meta.get('key')!r}: its figures do not hold one value per style feature")
        calibration = meta.get("calibration")  # absent in profiles learned before channels were calibrated
        if calibration is not None:
            try:
                calibration = np.asarray(calibration, dtype=np.float64)
            except (TypeError, ValueError):  # rows of different lengths, or not numbers
                calibration = np.zeros(0)
            if (calibration.ndim != 2 or calibration.shape[0] != n_scales
                    or not 1 <= calibration.shape[1] <= CALIBRATION_POINTS
                    or not np.all(np.isfinite(calibration)) or np.any(np.diff(calibration, axis=1) < 0)):
                raise ValueError(f"channel {meta.get('key')!r}: its calibration must be {n_scales} rows of 1 to "
                                 f"{CALIBRATION_POINTS} finite scores each, in increasing order")
        return cls(str(meta["key"]), str(meta["label"]), int(meta["n_posts"]), quantiles, means, nonzero,
                   calibration)


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


def with_calibrations(kept: Sequence[ChannelStyle], labels: Sequence[str | None],
                      scores: np.ndarray) -> list[ChannelStyle]:
    """``kept`` with each channel's calibration: the out-of-fold ``scores`` of its posts (posts x scales; ``labels``,
    one per post, as ``learn_channels`` was given them), each scale sorted, at most ``CALIBRATION_POINTS`` of them,
    evenly spaced in rank."""
    rows = {key: found for key, _, found in _channels(labels)}
    out = []
    for c in kept:
        own = np.sort(np.asarray(scores, dtype=np.float64)[rows[c.key]].T, axis=1)
        if own.shape[1] > CALIBRATION_POINTS:
            own = own[:, np.linspace(0, own.shape[1] - 1, CALIBRATION_POINTS).round().astype(int)]
        out.append(replace(c, calibration=own))
    return out
