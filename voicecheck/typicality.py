"""The test of a window: is its writing less typical than the brand's own later writing?

Why this test. Scores are calibrated on the brand's own out-of-fold posts, so
the brand's own writing scores ~Uniform(0, 100): mean 50, 5% off-voice. Testing
a window against that distribution *is* testing it against the profile's own
writing, and the reference never moves (the profile is frozen and versioned).
But a brand's own later posts drift a little too (new topics, new campaigns, new
staff): up to ~9% of them score off-voice. A test against the exact uniform (say
a binomial test of the off-voice rate at 5%) would cry wolf on clean windows.

So each window is tested against a *tolerant* null: the brand's later posts may
be a little less typical than its own, P(score < s) = (s/100)^a. The profile
measures a when it learns (``null_exponent``: its latest posts scored by a model
of its earlier ones); a profile that could not measure it (undated writing, too few recent posts)
gets a = 0.8 (9% off-voice, mean score 44). Three one-sided tests share the null
(``typicality_test``): one on the mean *surprise* -ln(score/100), exact (Gamma),
which reacts to a minority of plainly foreign posts piling up near 0; one on the
mean score, which reacts to writing that is everywhere a little less typical; one
on the count of off-voice posts (binomial), which reacts to a share off-voice far
past the tolerance even when the other posts score high (a month of 20 posts, 30%
off-voice and a mean score of 58, had been "no clear drift": a brand manager's
review). The window's p-value is the smallest p, calibrated on windows of its own
size drawn from the null itself (the tests mostly agree, so this costs far less
than Bonferroni's tripling; seeded, so a window always gets the same p).
A window drifts when p < 0.04 (``ALPHA``: with the pooled look of ``alerts``, at most
5% of windows drift when the writing sits exactly at the tolerance) *and* the
effect is large enough to matter (mean surprise >= 1.5, mean score <= 40 or at
least 14% of posts off-voice, about the same change): with many
posts a small, harmless shift would otherwise be "significant". Fewer than
``MIN_POSTS`` scored posts: no test, the window says "too few posts" (too-short
drafts are not counted).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["MIN_POSTS", "LOW_POWER_BELOW", "ALPHA", "STRONG_P", "NULL_EXPONENT", "MIN_SURPRISE", "MAX_MEAN_SCORE",
           "MIN_OFF_VOICE", "SCORE_FLOOR", "NULL_SIZES", "NULL_EXACT_UP_TO", "NULL_DRAWS", "NULL_SIMULATED_VALUES",
           "OFF_VOICE_BELOW", "REFERENCE", "summarize_scores", "typicality_test", "pool", "null_exponent",
           "window_test", "p_text"]

#: Fewer scored posts than this in a window (or group): no test, "too few posts". The test is exact at any
#: size (4% of null windows drift at 5 posts as at 30), so the floor is set by what a reader would call a
#: window, not by the test: a shop posting twice a week gets its months tested, which at 10 it never did.
MIN_POSTS = 5
#: Fewer than this: tested, but marked low-power (a real drift may go unseen).
LOW_POWER_BELOW = 30
#: A window drifts (and raises an alert) below ALPHA; two consecutive windows pooled raise one below STRONG_P.
ALPHA = 0.04
STRONG_P = 0.01
#: The tolerant null when the profile did not measure its own: the brand's later posts may be this much less
#: typical, P(score < s) = (s/100)^0.8, which puts 9% of them off-voice (instead of 5%), mean score 44 (not 50).
NULL_EXPONENT = 0.8
#: Effect-size floor, either of: mean surprise -ln(score/100) (1.0 for the brand's own writing, 1.25 under the
#: null) of 1.5, or a mean score of 40: writing as typical as text with 14% off-voice posts.
MIN_SURPRISE = 1.5
MAX_MEAN_SCORE = 40.0
MIN_OFF_VOICE = 0.14  # or a share of off-voice posts at least this (what a mean surprise of 1.5 goes with)
#: Scores are floored here for the test: one post never weighs more than ~5 typical ones.
SCORE_FLOOR = 0.5
#: The combined p-value is calibrated on windows drawn from the null: of these sizes (a window uses the
#: largest size not above its own; the shape changes slowly with size and hardly at all past 250 posts),
#: NULL_DRAWS of them (fewer for large sizes: at most NULL_SIMULATED_VALUES scores in all).
NULL_SIZES = (10, 15, 22, 33, 50, 60, 75, 110, 170, 250)
#: Up to this many posts a window is calibrated on null windows of its own size (the count's p is discrete).
NULL_EXACT_UP_TO = 60
NULL_DRAWS = 50_000
NULL_SIMULATED_VALUES = 1_000_000
#: The brand's own writing, by construction of the calibrated score.
OFF_VOICE_BELOW = 5.0
REFERENCE = {"mean_score": 50.0, "off_voice_rate": 0.05, "score_band": [25.0, 75.0],
             "off_voice_below": OFF_VOICE_BELOW}


def summarize_scores(scores: Sequence[float]) -> dict[str, float]:
    """What the tests need of a window's scores (so that windows can also be pooled).

    Sorted first: a float sum depends on its order, and a mean landing on .x5 was rounded 56.5 by the service (its
    history read newest first) and 56.6 by ``voicecheck report`` for the same posts (an integrator's review)."""
    s = np.sort(np.asarray([float(x) for x in scores], dtype=float))
    surprise = -np.log(np.clip(s, SCORE_FLOOR, 100.0) / 100.0)
    return {"n": len(s), "surprise": float(surprise.mean()), "mean": float(s.mean()),
            "sd": float(s.std(ddof=1)) if len(s) > 1 else 0.0,
            "surprise_sd": float(surprise.std(ddof=1)) if len(s) > 1 else 0.0,
            "off_voice": float((s < OFF_VOICE_BELOW).mean()) if len(s) else 0.0}


def _null_expectations(exponent: float) -> dict[str, float]:
    """What a post of the tolerant null, P(score < s) = (s/100)^exponent, gives on average: the three tests'
    statistics (``summarize_scores``'s names), which the tests, the leaning of a window and the report's method
    all take from here."""
    return {"surprise": 1.0 / exponent, "mean": 100.0 * exponent / (1.0 + exponent),
            "off_voice": (OFF_VOICE_BELOW / 100.0) ** exponent}


def _p_values(n: int, surprise, mean, sd, off_voice, exponent: float):
    """The three one-sided p-values (vectorised over windows of ``n`` posts)."""
    from scipy.stats import binom, gamma
    from scipy.stats import t as student

    null = _null_expectations(exponent)
    p_surprise = gamma.sf(np.asarray(surprise) * n, a=n, scale=null["surprise"])
    spread = np.maximum(sd, 100.0 / math.sqrt(12.0))
    p_mean = student.cdf((np.asarray(mean) - null["mean"]) / (spread / math.sqrt(n)), df=max(n - 1, 1))
    low = np.rint(np.asarray(off_voice) * n)
    p_count = binom.sf(low - 1, n, null["off_voice"])  # P(at least this many off-voice)
    return p_surprise, p_mean, p_count


@functools.lru_cache(maxsize=192)  # about 65 sizes and 13 MB per tolerance: a service holds a few
def _null_smaller_p(size: int, exponent: float) -> np.ndarray:
    """The smallest of the three p-values for windows drawn from the null itself, sorted.

    Simulated once per process for each size up to ``NULL_EXACT_UP_TO`` (beyond it, the largest of
    ``NULL_SIZES`` not above it) and exponent (about 25 ms each), and
    seeded by both, so a window always gets the same p-value.
    """
    draws = int(min(NULL_DRAWS, max(2000, NULL_SIMULATED_VALUES // size)))
    rng = np.random.default_rng([size, int(round(exponent * 1000))])
    scores = 100.0 * rng.random((draws, size)) ** (1.0 / exponent)  # P(score < s) = (s/100)^exponent
    surprise = -np.log(np.clip(scores, SCORE_FLOOR, 100.0) / 100.0).mean(axis=1)
    sd = scores.std(axis=1, ddof=1) if size > 1 else np.zeros(draws)
    off_voice = (scores < OFF_VOICE_BELOW).mean(axis=1)
    p = _p_values(size, surprise, scores.mean(axis=1), sd, off_voice, exponent)
    return np.sort(np.minimum.reduce(p))


def typicality_test(stats: Mapping[str, float], exponent: float = NULL_EXPONENT) -> dict[str, float]:
    """One-sided p-values that a window is less typical than the brand's own later writing.

    All three tests share one tolerant null, P(score < s) = (s/100)^NULL_EXPONENT (9%
    off-voice, mean score 44.4), and each catches a kind of drift the other misses:

    - *surprise*: the mean of -ln(score/100), 1 for the brand's own writing. Under
      the null the summed surprise is exactly Gamma(n, 1/NULL_EXPONENT). Posts of
      another voice pile up near 0 and weigh heavily here: it catches a minority
      of plainly foreign posts (scores floored at 0.5, so one post weighs at most
      ~5 typical ones);
    - *mean score*: a t-test against 44.4 whose spread is never taken below the
      uniform's (28.9). It catches writing that is everywhere a little less typical
      without being foreign;
    - *off-voice count*: a binomial test of the posts scoring under 5 against the
      null's share of them. It catches a share off-voice far past the tolerance
      while the other posts score high.

    The window's p-value is how often windows of the same size drawn from the null
    give a smaller p than this one's smallest p (``_null_smaller_p``). The tests
    mostly agree, so this is far less than Bonferroni's tripling would cost (and, the
    t-test being only approximate on 10 posts and the count discrete, Bonferroni would
    not even be exact). Beyond the 0.5% quantile of the null, where a count of draws
    is too coarse, the smallest p is scaled by the null's own factor there.
    """
    n = int(stats["n"])
    p_surprise, p_mean, p_count = (float(x) for x in _p_values(
        n, stats["surprise"], stats["mean"], stats["sd"], stats.get("off_voice", 0.0), exponent))
    smaller = min(p_surprise, p_mean, p_count)
    # Each size its own up to 60 posts: the count's p is discrete, and so unlike at 15 and at 20 posts that windows
    # of 20 tested against the null of 15 drifted 5.7% of the time at the tolerance. Every size up to 250 made a
    # year's report by day with by= ten times slower (711 simulations, a code review).
    size = n if n <= NULL_EXACT_UP_TO else max(s for s in NULL_SIZES if s <= n)
    null = _null_smaller_p(size, round(float(exponent), 3))
    edge = max(10, len(null) // 200)  # below the 0.5% quantile, too few draws to count on
    if smaller >= null[edge]:
        p = (np.searchsorted(null, smaller, side="right") + 1) / (len(null) + 1)
    else:  # deep in the tail: the smaller p times the null's own factor at the edge (continuous there)
        p = smaller * (edge + 1) / (len(null) + 1) / null[edge]
    p = min(1.0, float(p))
    return {"p_value": p, "surprise": p_surprise, "mean_score": p_mean, "off_voice": p_count}


def _big_enough(stats: Mapping[str, float]) -> bool:
    """The effect-size floor: a change large enough to matter to a reader."""
    return (stats["surprise"] >= MIN_SURPRISE or stats["mean"] <= MAX_MEAN_SCORE
            or stats.get("off_voice", 0.0) >= MIN_OFF_VOICE)


def _pooled_sd(a: Mapping[str, float], b: Mapping[str, float], mean: str, sd: str) -> float:
    n = a["n"] + b["n"]
    both = (a["n"] * a[mean] + b["n"] * b[mean]) / n
    ss = ((a["n"] - 1) * a.get(sd, 0.0) ** 2 + (b["n"] - 1) * b.get(sd, 0.0) ** 2
          + a["n"] * (a[mean] - both) ** 2 + b["n"] * (b[mean] - both) ** 2)
    return math.sqrt(ss / max(n - 1, 1))


def pool(a: Mapping[str, float], b: Mapping[str, float]) -> dict[str, float]:
    """The summary of two windows' scores together."""
    n = a["n"] + b["n"]
    return {"n": n, "surprise": (a["n"] * a["surprise"] + b["n"] * b["surprise"]) / n,
            "mean": (a["n"] * a["mean"] + b["n"] * b["mean"]) / n, "sd": _pooled_sd(a, b, "mean", "sd"),
            "surprise_sd": _pooled_sd(a, b, "surprise", "surprise_sd"),
            "off_voice": (a["n"] * a.get("off_voice", 0.0) + b["n"] * b.get("off_voice", 0.0)) / n}


def null_exponent(profile) -> float:
    """How much less typical the brand's own later writing may be: the profile's own measure, if it has one.

    A profile learned from dated writing records ``drift_null_exponent_``,
    measured by scoring the brand's latest posts with a model of its earlier ones
    (frozen with the profile, like everything else). Without it, the default 0.8
    (9% off-voice) holds. It is kept within [0.5, 1]: never stricter than the brand's own writing,
    never so lax that half the posts could be foreign.
    """
    value = getattr(profile, "drift_null_exponent_", None)
    try:
        return NULL_EXPONENT if value is None else min(1.0, max(0.5, float(value)))
    except (TypeError, ValueError):
        return NULL_EXPONENT


def _null_reason(profile) -> str:
    """Where the tolerance came from: "measured", or why the default holds ("undated": the profile learned from
    undated writing; "few-recent": its latest posts were too few to measure it; "unknown": an older profile)."""
    if getattr(profile, "drift_null_exponent_", None) is not None:
        return "measured"
    reason = getattr(profile, "drift_null_reason_", None)
    return reason if reason in ("undated", "few-recent") else "unknown"


def window_test(scores: Sequence[float], verdicts: Sequence[str], exponent: float = NULL_EXPONENT) -> dict[str, Any]:
    """The window's figures and its test against the brand's own writing (see the module docstring)."""
    n = len(scores)
    out: dict[str, Any] = {"n_scored": n, "mean_score": None, "median_score": None,
                           "off_voice_rate": None, "drift": None, "p_value": None}
    if not n:
        out["status"] = "empty"
        return out
    stats = summarize_scores(scores)
    out.update(mean_score=round(stats["mean"], 1), median_score=round(float(np.median(scores)), 1),
               off_voice_rate=round(sum(v == "off-voice" for v in verdicts) / n, 3))
    if n < MIN_POSTS:  # its figures still pool with the small windows next to it (_small_pooled)
        out.update(status="too-few-posts", stats={k: round(v, 4) for k, v in stats.items()})
        return out
    p = typicality_test(stats, exponent)
    out.update(status="low-power" if n < LOW_POWER_BELOW else "tested", p_value=_round_p(p["p_value"]),
               drift=bool(p["p_value"] < ALPHA and _big_enough(stats)),
               tests={"surprise": {"p_value": _round_p(p["surprise"]), "value": round(stats["surprise"], 3)},
                      "mean_score": {"p_value": _round_p(p["mean_score"]), "value": round(stats["mean"], 2)},
                      "off_voice": {"p_value": _round_p(p["off_voice"]), "value": round(stats["off_voice"], 3)}},
               stats={k: round(v, 4) for k, v in stats.items()})
    return out


def _round_p(p: float) -> float:
    return float(f"{p:.3g}") if p >= 1e-12 else 0.0


def p_text(p: float, *, bare: bool = False, lang: str = "en") -> str:
    """'p = 0.003' ('p = 0,003'); under 0.001, 'p < 0.001' ('p < 0,001'): the exact value is in the JSON's
    ``p_value``, and a brand manager reads '5.1e-07' as jargon (a value stored as 0 never reads 'p = 0')."""
    if p < 0.001:
        text = "< 0,001" if lang == "it" else "< 0.001"
        return text if bare else f"p {text}"
    text = f"{p:.2g}".replace(".", ",") if lang == "it" else f"{p:.2g}"
    return text if bare else f"p = {text}"


def _bh(pvalues: Sequence[float], q: float) -> list[bool]:
    """Benjamini-Hochberg: which p-values are discoveries at false discovery rate ``q``."""
    m = len(pvalues)
    order = sorted(range(m), key=lambda i: pvalues[i])
    cutoff = -1
    for rank, i in enumerate(order, start=1):
        if pvalues[i] <= q * rank / m:
            cutoff = rank
    keep = [False] * m
    for rank, i in enumerate(order, start=1):
        keep[i] = rank <= cutoff
    return keep
