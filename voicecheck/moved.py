"""Which of the brand's style habits moved in a window, and how a sentence says so.

Each window (and each group's, and each alert's) names the style features whose values
moved away from the brand's own (``moved_features``): a rule of the score's now broken
first, then emoji and hashtags the brand never used, then the largest changes, each with
a message such as 'exclamation marks up from 0.2 to 1.4 per 100 words'. Why apart from the
test of a window: the test says *whether* the writing moved; this says *what* moved, which
is what a writer can act on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import numbers
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .typicality import MIN_POSTS, _bh, _round_p
from .windows import _since
from .wording import article_it, feature_words, fixed

__all__ = ["FEATURE_FDR", "FEATURE_MIN_SHIFT", "FEATURE_MIN_RELATIVE", "MAX_FEATURES", "moved_features",
           "RULES_BROKEN", "RULES_LEVEL", "length_words"]

#: Per-feature comparison: Benjamini-Hochberg level, effect floor on the mean percentile, how many to show.
FEATURE_FDR = 0.10
FEATURE_MIN_SHIFT = 0.10
#: ... and a measure (not a rate) must also move by this share of the brand's value to be named.
FEATURE_MIN_RELATIVE = 0.05
MAX_FEATURES = 5


def _digits(x: float, at_least: int = 0) -> int:
    """The decimals a moved feature's value is written with: none when whole or from 10, else one, and under 0.05
    down to its first digit ('0.04', not a '0.0' that reads as none but is not written as 0); a value that is not
    whole gets at least ``at_least``."""
    if not math.isfinite(x) or x.is_integer():
        return 0
    if abs(x) >= 0.05:
        return max(0 if abs(x) >= 10 else 1, at_least)
    digits = -math.floor(math.log10(abs(x)))
    if round(abs(x), digits - 1) >= 10.0 ** (1 - digits):  # 0.0099 is 0.01, not 0.010
        digits -= 1
    return max(digits, at_least)


def _fmt(x: float, lang: str = "en", at_least: int = 0) -> str:
    """A moved feature's value: whole from 10 or when whole (1,234 grouped), else one decimal (0.2; Italian 0,2);
    under 0.05 its first digit (``_digits``)."""
    x = float(x)
    return fixed(x, lang, _digits(x, at_least))


def _fmt_pair(before: float, now: float, lang: str = "en", at_least: int = 0) -> tuple[str, str]:
    """Two values of a feature, written so that they differ about as they really do: 0.93 and 0.95, not '0.9 to
    1.0' (a change five times its size); 12.4 and 12.6, not '12 to 13'.

    A decimal is added while the difference shown is off by more than half the real one, so
    values that already read fine keep their digits (0.2 to 1.4; 10.7 to 11.5 stays '11 to 12').
    """
    before, now = float(before), float(now)
    change = now - before

    def off(at_least: int) -> float:  # how far the change shown is from the real one
        return abs(round(now, _digits(now, at_least)) - round(before, _digits(before, at_least)) - change)

    while math.isfinite(change) and at_least < 6 and off(at_least) > abs(change) / 2:
        at_least += 1
    return _fmt(before, lang, at_least), _fmt(now, lang, at_least)


def moved_features(rows: Sequence[Mapping[str, Any]], profile, *,
                   limit: int | None = MAX_FEATURES, lang: str = "en") -> list[dict[str, Any]]:
    """The style features whose values in ``rows`` moved away from the brand's: first one of the score's rules now
    broken (``_rule_kinds``), then the largest.

    At most ``limit`` of them (None: every one that moved). ``label``, ``unit`` and
    ``message`` are in ``lang``; ``feature`` and ``direction`` are codes, the same in every language.

    Each post's value is placed among the brand's own 101 percentiles (ties split
    evenly, for the many zeros of rate features); under no change these
    positions average 0.5. A z-test on their mean (conservatively using the
    uniform's spread), Benjamini-Hochberg across every feature tested, a floor of 0.10 on
    the shift and, for measures that are not rates, of 5% on the change of the value keep the
    list to real, sizeable changes. Rates are shown as means
    (as the profile's card does), other features as medians (as means where the posts are of several channels the
    profile keeps apart, each placed among its channel's posts: ``_references``). Emoji and hashtags the brand never
    used are tested too (``_new_marks_tested``), in the same family.
    """
    from scipy.stats import binom, norm

    names = list(profile.style_names_)
    kinds = _rule_kinds(profile)
    ruled = frozenset(kinds)
    always = frozenset(f for f, kind in kinds.items() if kind == "always")  # broken by fewer, not more
    n_brand = getattr(profile, "n_distinct_", None) or getattr(profile, "n_documents_", None) or 0
    # Each post against the brand's posts of its own channel where the profile keeps it apart (a newsletter among
    # newsletters), else against all of them: a month with more newsletters is no "longer posts". The figures
    # are read once, as one matrix (NaN where a post lacks one) and one reference per post.
    styled = [r for r in rows if isinstance(r.get("style"), Mapping)]
    refs, ref_of = _references(profile, n_brand, [r.get("channel") for r in styled])
    cells = [[r["style"].get(name) for name in names] for r in styled]
    try:
        table = np.asarray(cells, dtype=float).reshape(len(styled), len(names))  # None is NaN
    except (TypeError, ValueError):  # a figure that is no number (a hand-made row): left out, as a missing one
        table = np.asarray([[_style_value(v) for v in row] for row in cells], dtype=float).reshape(
            len(styled), len(names))
    tested = []  # (j, name, values, shift, p, now, voice, mixed) of every feature measured: Benjamini-Hochberg's family
    for j, name in enumerate(names):
        have = ~np.isnan(table[:, j])
        if int(have.sum()) < MIN_POSTS:
            continue
        values, which = table[have, j], ref_of[have]
        counts = np.bincount(which, minlength=len(refs)).astype(float)
        pos = np.empty(len(values))
        for k in np.flatnonzero(counts):
            at = which == k
            q = refs[k].quantiles[j]
            pos[at] = (np.searchsorted(q, values[at], side="left")
                       + np.searchsorted(q, values[at], side="right")) / (2.0 * len(q))
        shift = float(pos.mean()) - 0.5
        z = shift / (math.sqrt(1.0 / 12.0) / math.sqrt(len(values)))
        p = float(2.0 * norm.sf(abs(z)))
        is_rate = name.endswith("_rate")
        weights = counts / counts.sum()
        # Like with like: a rate's mean against the brand's; a measure's median against the brand's where the
        # posts have one reference, and its mean against the brand's means (weighted by the posts of each channel)
        # where they have several, as a median of posts of two channels is no figure either channel has
        mixed = int(np.count_nonzero(counts)) > 1
        by_mean = is_rate or mixed
        now = float(values.mean()) if by_mean else float(np.median(values))
        voice = float(sum(w * (refs[k].means[j] if by_mean else refs[k].quantiles[j][50])
                          for k, w in enumerate(weights) if w))
        if is_rate and n_brand:
            # A habit (a rate): how many posts show it, against the share of the brand's posts that did ((k + 1) /
            # (n + 1), as a rule's cap). 9 of 60 posts with "!" or "tu" shift the mean position by 0.075, under the
            # floor, and the z-test takes the uniform's spread where the brand's posts sit all at 0: a month whose
            # examples all gave "tu" was said to have drifted by longer sentences (an Italian review). Not only for
            # the score's rules: 4 of 10 agency posts with American spellings, which the brand never wrote, were
            # named nowhere, and "small grammar words" were (a brand manager's review).
            shown = int(np.count_nonzero(values > 0))
            share = float(sum(w * (refs[k].nonzero[j] * refs[k].n_posts + 1.0) / (refs[k].n_posts + 1.0)
                              for k, w in enumerate(weights) if w))
            p = min(p, float(binom.sf(shown - 1, len(values), share))) if shown else p
        tested.append((j, name, values, shift, p, now, voice, mixed))
    marks = _new_marks_tested(rows, profile)
    # Over all the features tested, not only those the filters below let through: run on the 4 of 28 left, the
    # 10% false discovery rate let one feature "move" in 32% of windows of the brand's own writing (an NLP review).
    pvalues = [t[4] for t in tested] + [m["p_value"] for m in marks]
    significant = _bh(pvalues, FEATURE_FDR) if pvalues else []
    found = [m for m, kept in zip(marks, significant[len(tested):]) if kept and m["shift"] >= FEATURE_MIN_SHIFT]
    for m in found:
        m["message"] = _new_marks_message(m, lang)
        m["label"], m["unit"] = _NEW_MARKS_WORDS[lang][m["feature"]]
        m["p_value"] = _round_p(m["p_value"])
    for (j, name, values, shift, p, now, voice, mixed), kept in zip(tested, significant):
        broken = name in ruled and (shift < 0 if name in always else shift > 0)  # the way its rule breaks
        if not kept or (abs(shift) < FEATURE_MIN_SHIFT and not broken):
            continue
        is_rate = name.endswith("_rate")
        direction = "up" if shift > 0 else "down"
        if (now - voice) * shift <= 0 or _fmt(now) == _fmt(voice):
            continue  # the numbers shown would not show the change: say nothing rather than confuse
        if not is_rate and abs(now - voice) < FEATURE_MIN_RELATIVE * abs(voice):
            continue  # "letters per word down from 4.7 to 4.6": real for a tight habit, but no one would notice
        label, unit = feature_words(name, lang)
        found.append({"feature": name, "window": round(now, 2), "voice": round(voice, 2), "direction": direction,
                      "p_value": _round_p(p), "shift": round(shift, 3), "label": label, "unit": unit,
                      "message": _feature_message(label, unit, direction, voice, now, lang,
                                                  2 if name in _RATIOS else 0, mixed=mixed)})
    # A rule of the score's, now broken, comes first whatever its shift: "more 'voi' forms" had headlined an alert
    # while the agency had begun to give 'tu' and exclamation marks (a review). So does a habit the brand shows in
    # under 1% of its posts (hype words, American spellings: as the score's habits, for a brand with posts enough
    # for them), ahead of "small grammar words" (a brand manager's review).
    from .scoring import HABIT_MIN_POSTS, HABIT_NEVER

    shown = getattr(profile, "style_nonzero_", None)
    unusual = ruled | ({n for n, share in zip(names, shown) if n.endswith("_rate") and share < HABIT_NEVER}
                       if shown is not None and n_brand >= HABIT_MIN_POSTS else set())
    # then emoji and hashtags the brand never used: named after the habits it breaks ("exclamation marks up from 0
    # to 2.7" before "emoji new to the brand: ..."), before any other change
    new = {m["feature"] for m in marks}
    # The posts breaking the brand's rules, together, where no rule moved on its own (a window too small for any)
    if not any(f["feature"] in ruled and f["direction"] == ("down" if f["feature"] in always else "up")
               for f in found):
        rules = _rules_broken_tested(rows, profile)
        if rules is not None and rules["p_value"] < RULES_LEVEL and rules["shift"] >= FEATURE_MIN_SHIFT:
            rules["message"] = _rules_broken_message(rules, lang)
            rules["label"], rules["unit"] = _NEW_MARKS_WORDS[lang][RULES_BROKEN]
            rules["p_value"] = _round_p(rules["p_value"])
            found.append(rules)
    found.sort(key=lambda x: (0 if (x["direction"] == "up" and x["feature"] in unusual - always)
                              or (x["direction"] == "down" and x["feature"] in always) or x["feature"] == RULES_BROKEN
                              else 1 if x["feature"] in new else 2, -abs(x["shift"])))
    return found if limit is None else found[:limit]


#: The moved "feature" of the posts that break the brand's rules, counted together (``_rules_broken_tested``).
RULES_BROKEN = "rules_broken"
#: How a window's emoji and hashtags the brand never used, and its posts breaking the brand's rules, are named
#: (label, unit), as a style feature's are.
_NEW_MARKS_WORDS = {
    "en": {"new_emoji": ("emoji new to the brand", "% of posts"),
           "new_hashtags": ("hashtags new to the brand", "% of posts"),
           RULES_BROKEN: ("posts breaking the brand's rules", "% of posts")},
    "it": {"new_emoji": ("emoji nuove per il brand", "% dei post"),
           "new_hashtags": ("hashtag nuovi per il brand", "% dei post"),
           RULES_BROKEN: ("post che infrangono le regole del brand", "% dei post")},
}


def _new_marks_tested(rows: Sequence[Mapping[str, Any]], profile) -> list[dict[str, Any]]:
    """For each kind of mark (emoji, hashtags) the brand keeps to its own (``marks.BrandMarks.palette``): of the
    posts with such marks, how many hold one it never used, against how often its own later posts with them
    bring one (a binomial test, the brand's share counted as a rule's cap is, (k + 1) / (n + 1)). Why: an
    agency's 😍🔥 and #ootd are as many emoji and hashtags as the brand's ✨ and #AtelierNoma, so the rates do not
    move (a fashion brand's review).

    Only posts whose stored form says which were new (``new_marks``; none stored before it was kept) count.
    """
    from scipy.stats import binom

    from .marks import mark_key

    brand = getattr(profile, "marks_", None)
    measured = [r for r in rows if isinstance(r.get("new_marks"), Mapping) and isinstance(r.get("style"), Mapping)]
    if brand is None or len(measured) < MIN_POSTS:
        return []
    out = []
    for kind, rate in (("emoji", "emoji_rate"), ("hashtags", "hashtag_rate")):
        if not brand.palette(kind):
            continue
        seen: dict[str, Counter[str]] = {}  # key -> how the window's posts write it
        holding = using = 0
        for r in measured:
            marks = [m for m in r["new_marks"].get(kind) or () if isinstance(m, str)]
            holding += bool(marks)
            using += bool(marks) or (r["style"].get(rate) or 0) > 0
            for key, m in {mark_key(kind, m): m for m in reversed(marks)}.items():
                seen.setdefault(key, Counter())[m] += 1
        if not using:  # the binomial is exact at any count: a small brand's week has 3 captions (a review)
            continue
        n_brand = brand.n_with_[kind]
        share = (brand.new_share_[kind] * n_brand + 1.0) / (n_brand + 1.0)
        p = float(binom.sf(holding - 1, using, share)) if holding else 1.0
        now = holding / using
        order = sorted(seen, key=lambda k: (-sum(seen[k].values()), k))[:5]
        out.append({"feature": f"new_{kind}", "window": round(100 * now, 1),
                    "voice": round(100 * brand.new_share_[kind], 1), "direction": "up", "p_value": p,
                    "shift": round(now - share, 3), "posts": holding, "of_posts": using,
                    "marks": [min(seen[k].items(), key=lambda kv: (-kv[1], kv[0]))[0] for k in order]})
    return out


#: The level at which the posts breaking the brand's rules, counted together, are said to have moved: one test of
#: its own, not among the features' (at 8 posts a month, no one rule passes Benjamini-Hochberg's bar over 28).
RULES_LEVEL = 0.05


def _rules_broken_tested(rows: Sequence[Mapping[str, Any]], profile) -> dict[str, Any] | None:
    """How many of ``rows`` break one of the brand's rules (``scoring.broken_rules``), two or more, against how many
    of its own posts did ((k + 1) / (n + 1), as a rule's cap); a binomial test. Why: an agency
    posting 8 to 13 times a month whose writer's "!", emoji and contractions went on, one or two posts a month, each
    rule on too few posts to test, was said to have drifted in "exclamation marks ... seen in 1 month" (an agency's
    content operations review)."""
    from scipy.stats import binom

    from .scoring import RARE_AT_LEAST, broken_rules, habit_rules

    if not hasattr(profile, "register_") or not hasattr(profile, "unseen_quantiles_"):
        return None  # a stand-in without what the score reads
    rules = habit_rules(profile)
    styled = [r for r in rows if isinstance(r.get("style"), Mapping)]
    if not rules or len(styled) < MIN_POSTS:
        return None
    broken = broken_rules(profile, [r["style"] for r in styled], [r.get("channel") for r in styled])
    posts = sum(1 for b in broken if b)
    # How often the brand's own posts broke one, as a rule's cap counts it, (k + 1) / (n + 1), k its posts that broke
    # any (at most each rule's k summed). The rules' caps summed instead, one "+1" each, asked 3 posts of 8 of a
    # 130-post brand with 7 rules, none ever broken (an agency's review, again); a single slip is no change, however
    # rare (a code review: one in 8 posts of a 200-post brand), as a rare habit's rule asks for two.
    n = int(getattr(profile, "n_distinct_", 0) or 0)
    share = min(0.5, (sum(rule["broken"] for rule in rules) + 1.0) / (n + 1.0))
    if posts < RARE_AT_LEAST:
        return None
    which = Counter(name for b in broken for name in b)
    return {"feature": RULES_BROKEN, "window": round(100 * posts / len(styled), 1), "voice": round(100 * share, 1),
            "direction": "up", "p_value": float(binom.sf(posts - 1, len(styled), share)),
            "shift": round(posts / len(styled) - share, 3), "posts": posts, "of_posts": len(styled),
            "rules": [name for name, _ in sorted(which.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]}


def _rules_broken_message(m: Mapping[str, Any], lang: str) -> str:
    """'posts breaking the brand's rules (exclamation marks, emoji): 2 of 8, against under 1% of its own'."""
    label = _NEW_MARKS_WORDS[lang][RULES_BROKEN][0]
    named = ", ".join(feature_words(name, lang)[0].split(" (")[0] for name in m["rules"])
    under = m["voice"] < 1  # not "0%" (a code review)
    if lang == "it":
        share = "meno dell'1%" if under else article_it(f"{m['voice']:.0f}%")  # "l'8%", "il 4%"
        return f"{label} ({named}): {m['posts']} su {m['of_posts']}, contro {share} dei suoi"
    share = "under 1%" if under else f"{m['voice']:.0f}%"
    return f"{label} ({named}): {m['posts']} of {m['of_posts']}, against {share} of its own"


def _new_marks_message(m: Mapping[str, Any], lang: str) -> str:
    """'emoji new to the brand: '😍', '🔥' in 12 of 30 posts with emoji, against under 1% of its own posts with
    emoji'; a run's start goes after the label, as for the length of posts (``_add_since``)."""
    shown = ", ".join(f"'{x}'" for x in m["marks"])
    label, voice = _NEW_MARKS_WORDS[lang][m["feature"]][0], m["voice"]
    kind = "emoji" if m["feature"] == "new_emoji" else ("hashtag" if lang == "it" else "hashtags")
    if lang == "it":
        often = "meno dell'1%" if voice < 1 else f"il {voice:.0f}%"
        return (f"{label}: {shown} in {m['posts']} post su {m['of_posts']} con {kind}, contro {often} dei suoi post "
                f"con {kind}")
    often = "under 1%" if voice < 1 else f"{voice:.0f}%"
    return (f"{label}: {shown} in {m['posts']} of {m['of_posts']} posts with {kind}, against {often} of its own "
            f"posts with {kind}")


@dataclasses.dataclass(frozen=True)
class _Reference:
    """The brand's style figures a post is compared with: all its posts', or its channel's (``channels``)."""

    quantiles: np.ndarray
    means: np.ndarray
    nonzero: np.ndarray
    n_posts: int


def _references(profile, n_brand: int, labels: Sequence[Any]) -> tuple[list[_Reference], np.ndarray]:
    """The references the posts of channels ``labels`` are compared with, and each post's index among them: its
    channel's figures where the profile keeps it apart (``VoiceProfile.channel_style``), else the brand's (0)."""
    brand = _Reference(np.asarray(profile.style_quantiles_, dtype=float), np.asarray(profile.style_means_, float),
                       np.asarray(getattr(profile, "style_nonzero_", np.zeros(len(profile.style_names_))), float),
                       n_brand)
    refs, index = [brand], {}
    find = getattr(profile, "channel_style", None)
    of = np.zeros(len(labels), dtype=int)
    for i, label in enumerate(labels):
        if not isinstance(label, str) or not callable(find):
            continue
        if label not in index:
            view = find(label)
            index[label] = 0 if view is None else len(refs)
            if view is not None:
                refs.append(_Reference(view.quantiles, view.means, view.nonzero, view.n_posts))
        of[i] = index[label]
    return refs, of


def _style_value(value: Any) -> float:
    """A stored style figure as a number, NaN where there is none."""
    return float(value) if isinstance(value, numbers.Real) and not isinstance(value, bool) else math.nan


def _rule_kinds(profile) -> dict[str, str]:
    """The features the score makes rules of for this brand, with each rule's kind (``scoring.habit_rules``: a habit
    it never breaks, a form of address it never uses, a mark of its every post); none for a stand-in without what
    the rules are read from."""
    from .scoring import habit_rules

    if not hasattr(profile, "register_"):
        return {}
    return {rule["feature"]: rule["kind"] for rule in habit_rules(profile)}


def length_words(direction: str, lang: str = "en") -> str:
    """'longer posts' / 'shorter posts' ('post più lunghi' / 'post più brevi'): how the length of posts (the feature
    'words', whose label is its unit) is named when it moved, in a sentence and in the pages' grid alike."""
    if lang == "it":
        return "post più lunghi" if direction == "up" else "post più brevi"
    return "longer posts" if direction == "up" else "shorter posts"


#: Features that are a ratio from 0 to 1: "lexical diversity up from 0.9 to 1.0" says every word differs, and
#: another window's "0.92 to 0.98" seemed to contradict it (a user review). They keep two decimals.
_RATIOS = frozenset({"lexical_diversity"})


def _feature_message(label: str, unit: str, direction: str, voice: float, now: float, lang: str = "en",
                     decimals: int = 0, *, mixed: bool = False) -> str:
    """'exclamation marks up from 0.2 to 1.4 per 100 words' ('punti esclamativi in aumento da 0,2 a 1,4 ogni 100
    parole'); the length of posts: 'shorter posts: 31 words against the brand's 38'. ``decimals``: at least so
    many for a value that is not whole."""
    then, later = _fmt_pair(voice, now, lang, decimals)
    if lang == "it":
        if label == unit:  # of posts of several channels, the brand's figure is theirs: not the card's overall one
            return (f"{length_words(direction, lang)}: {later} parole, contro le {then} del brand"
                    + (" per questi canali" if mixed else ""))
        tail = f" {unit}" if unit else ""
        moved = "in aumento" if direction == "up" else "in calo"
        return f"{label} {moved} da {then} a {later}{tail}"
    if label == unit:  # "words": the length of posts
        return (f"{length_words(direction, lang)}: {later} words against the brand's {then}"
                + (" for these channels" if mixed else ""))
    tail = f" {unit}" if unit else ""
    return f"{label} {direction} from {then} to {later}{tail}"


def _add_since(windows: list[dict[str, Any]], window: str, lang: str = "en") -> None:
    """Append 'since <first window>' to each moved feature, for runs of windows where it kept moving.

    ``top_features`` must hold every feature that moved in each window: a feature that keeps
    moving but is outside a window's largest few still continues its run.
    """
    running: dict[tuple[str, str], dt.date] = {}
    for w in windows:
        if w["status"] in ("empty", "learned", "too-few-posts"):
            continue  # no evidence either way: a run goes on through it
        now = {(f["feature"], f["direction"]) for f in w["top_features"]}
        running = {key: start for key, start in running.items() if key in now}
        for f in w["top_features"]:
            key = (f["feature"], f["direction"])
            start = running.setdefault(key, dt.date.fromisoformat(w["start"]))
            f["since"] = start.isoformat()
            since = _since(start, window, lang)
            head, colon, rest = f["message"].partition(": ")
            # "shorter posts since March 2026: 30 words against the brand's 38"; so "emoji new to the brand since"
            if f["feature"] in ("words", "new_emoji", "new_hashtags", RULES_BROKEN) and colon:
                f["message"] = f"{head} {since}{colon}{rest}"
            else:
                f["message"] += f" {since}"
