"""Score drafts against a profile: a calibrated 0-100 score, a verdict, reasons.

The score is calibrated on the brand's own writing: a score of S means S% of the
brand's own posts (scored out-of-fold while learning) look less typical than the
draft. Hence the verdicts: below ``OFF_VOICE_BELOW`` (5) flags about 5% of the
brand's own writing, below ``BORDERLINE_BELOW`` (20) about 15% more.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .documents import Document, as_documents
from .features import Features, extract_features
from .profile import FAMILIES, VoiceProfile
from .errors import InputError, ProfileFormatError
from .results import Reason, ScoreResult

if TYPE_CHECKING:
    from .embedding import Embedder

__all__ = ["score_documents", "score_features", "score_text", "OFF_VOICE_BELOW", "BORDERLINE_BELOW", "MIN_WORDS",
           "HABIT_MARKERS", "habit_rules"]

OFF_VOICE_BELOW = 5.0
BORDERLINE_BELOW = 20.0
#: Habits a brand's style guide writes down ("no exclamation marks", "we never say I"). When a brand with at
#: least ``HABIT_MIN_POSTS`` posts shows one in under ``HABIT_NEVER`` of them, a draft that shows it is less
#: typical, on that habit, than every post the brand wrote: its score is capped accordingly (off-voice).
HABIT_MARKERS = ("exclamation_rate", "emoji_rate", "hashtag_rate", "first_singular_rate", "contraction_rate",
                 "io_rate")
HABIT_MIN_POSTS = 50
HABIT_NEVER = 0.01
#: Drafts with fewer words than this get the verdict ``too-short``.
MIN_WORDS = 4
MAX_REASONS = 6


def score_text(profile: VoiceProfile, text: str, *, id: str = "-", embedder: Embedder | None = None) -> ScoreResult:
    """Score one text (a convenience over ``score_documents``)."""
    return score_documents(profile, [Document(text=text, id=id)], embedder=embedder)[0]


def score_documents(profile: VoiceProfile, documents: Sequence[Document | str], *, embedder: Embedder | None = None,
                    progress: Callable[[int], None] | None = None) -> list[ScoreResult]:
    """Score many drafts; they are embedded together, in batches."""
    from .embedding import load_embedder

    profile._check_fitted()
    docs = as_documents(documents)
    empty = next((d for d in docs if not d.text.strip()), None)
    if empty is not None:  # the CLI and the service refuse it too: nothing to judge is not "too short"
        raise InputError(f"{'' if empty.label == '-' else empty.label + ': '}text is empty", field="text")
    if not docs:
        return []
    if embedder is None:
        embedder = load_embedder(profile.embedding_model_["name"])
    else:
        _check_embedder(profile, embedder)
    feats = extract_features([d.text for d in docs], profile.lang_, embedder, progress=progress)
    return score_features(profile, docs, feats)


def _check_embedder(profile: VoiceProfile, embedder: Any) -> None:
    """Refuse an embedder other than the one the profile learned with.

    Why: the semantic model reads vectors of that one model; another model's vectors (of
    the same size, or cut to it) give confident, meaningless scores. ``load`` checks the
    installed model; an embedder passed in is checked here.
    """
    learned = profile.embedding_model_
    identity = getattr(embedder, "identity", None) or {}
    name = identity.get("name") or getattr(embedder, "name", None)
    sha = identity.get("sha256")
    if name != learned.get("name") or (sha and learned.get("sha256") and sha != learned["sha256"]):
        given = f"{name} (sha256 {sha[:12]})" if sha else f"{name}"
        raise ProfileFormatError(
            f"profile {profile.name!r} was learned with embedding model {learned.get('name')} (sha256 "
            f"{str(learned.get('sha256', ''))[:12]}), but the embedder given is {given}: pass that model's "
            "embedder, or none to load it")


def score_features(profile: VoiceProfile, docs: Sequence[Document], feats: Features) -> list[ScoreResult]:
    """Score drafts whose features are already extracted (row-aligned with ``docs``)."""
    family = profile.family_scores(feats)
    combined = profile.combined_scores(family)
    dims = np.column_stack([profile.calibrate(family[:, j], j) for j in range(len(FAMILIES))])
    final = profile.calibrate(combined, len(FAMILIES))
    tails = style_tails(profile, feats.style)
    explainer = _Explainer(profile)
    flagged: list[list[int]] = [[] for _ in docs]  # per draft, the style features worth a look
    for i, j in zip(*(a.tolist() for a in np.nonzero(tails <= 0.10))):
        flagged[i].append(j)
    tails_rows = tails.tolist()
    # Plain Python numbers from here on: indexing numpy arrays one value at a time costs more than the maths.
    style_rows, final_list, dims_rows = feats.style.tolist(), final.tolist(), dims.tolist()
    results = []
    names = profile.style_names_
    for i, doc in enumerate(docs):
        style = dict(zip(names, style_rows[i]))
        words = int(style.get("words", 0))
        score = round(final_list[i], 1)
        # A habit the brand never breaks is broken however short the draft: "🔥🔥🔥 #sale" for a brand
        # that never writes emoji or hashtags is off-voice, not too short to judge.
        broken = explainer.broken_habits(style)
        if broken:
            score = min(score, round(min(broken.values()), 1))
        dimensions = {fam: round(dims_rows[i][j], 1) for j, fam in enumerate(FAMILIES)}
        short = words < MIN_WORDS
        if short and not broken:
            verdict = "too-short"
        elif score < OFF_VOICE_BELOW:
            verdict = "off-voice"
        elif score < BORDERLINE_BELOW:
            verdict = "borderline"
        else:
            verdict = "on-voice"
        reasons = (explainer.reasons(doc.text, style, dimensions, flagged[i], tails_rows[i])
                   if not short else [])
        if broken:  # the habit that decided the score is the first reason
            reasons = explainer.habit_reasons(style, broken, reasons)
        marked_other = bool(doc.lang) and doc.lang != profile.lang_
        if verdict in ("off-voice", "borderline") or (marked_other and verdict != "too-short"):
            # Detecting the language costs time, so only low scores are checked; a draft marked as another
            # language says so whatever its score (a high score in another language means little).
            other = explainer.other_language(doc.text, style, doc.lang)
            if other is not None:  # the brand language's word lists measure nothing in another language
                reasons = [other, *[r for r in reasons if r.feature not in explainer.word_list_features]]
                reasons = reasons[:MAX_REASONS]
        if short:
            plural = "" if words == 1 else "s"
            judged = ("judged by the brand's rules only; the rest of the voice needs" if broken else
                      "too short to judge a voice reliably (at least")
            note = Reason("words", "style", f"only {words} word{plural}: {judged} {MIN_WORDS}"
                          f"{' words or more' if broken else ' are needed)'}", float(words), float(MIN_WORDS), "info")
            reasons.insert(len(reasons) if broken else 0, note)
        meta = doc.metadata()
        results.append(ScoreResult(id=doc.label, score=score, verdict=verdict, dimensions=dimensions,
                                   reasons=reasons, profile=profile.info, words=words, date=meta["date"],
                                   source=doc.source, channel=doc.channel, author=doc.author, style=style))
    return results


# ---------------------------------------------------------------------- explanations
def _fmt(x: float) -> str:
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}"
    return f"{x:.1f}"


def _count_text(x: float) -> str:
    """A count (words): no decimals."""
    return f"{x:,.0f}"


def _ratio_text(x: float) -> str:
    """A ratio between 0 and 1 (lexical diversity): two decimals, or 1.0 and 0.9 read as a big gap."""
    return f"{x:.2f}"


def _how_rarely(share: float, n_posts: int) -> str:
    """How rarely the brand uses a habit: "never" is said only when it is true."""
    if share <= 0:
        return f"the brand never uses them (in none of its {n_posts} posts)"
    if share < 0.01:
        return "the brand almost never uses them (under 1% of its posts)"
    return f"the brand almost never uses them ({100 * share:.0f}% of its posts)"


def _typical_of(percent: float) -> str:
    """Where a dimension's score puts the draft among the brand's own posts, in words."""
    if percent < 0.5:
        return "less typical than any of its own posts"
    if percent < 1:
        return "more typical than under 1% of its own posts"
    return f"more typical than only {percent:.0f}% of its own posts"


def _severity(tail: float) -> str:
    return "error" if tail <= 0.01 else ("warning" if tail <= 0.05 else "info")


def style_tails(profile: VoiceProfile, style: np.ndarray) -> np.ndarray:
    """How rare each draft's value of each style feature is in the brand's own writing.

    The share of the brand's posts at least as far out on the same side of the median
    (texts x features; ``inf`` at the median). One vectorised pass for a whole batch.

    Beyond the brand's most extreme post, the share keeps falling with the distance past it,
    measured in the width of that half of the brand's range (an exponential tail): so the
    reasons of a draft that leaves the brand's range on several features come in the order of
    how far it leaves it, both ways alike, rather than in the order the features happen to be
    listed. For a rate the brand never reaches, each occurrence in the draft is one step: one
    exclamation mark in a long post is a slip, five are a habit.
    """
    names = list(profile.style_names_)
    # For a rate per 100 words, one occurrence in the draft: the least a step past the range can be.
    one = 100.0 / np.maximum(style[:, names.index("words")], 1.0) if "words" in names else np.ones(len(style))
    tails = np.full(style.shape, np.inf)
    for j in range(style.shape[1]):
        q = profile.style_quantiles_[j]
        x = style[:, j]
        above = (101 - np.searchsorted(q, x, side="left")) / 102.0
        below = (np.searchsorted(q, x, side="right") + 1) / 102.0
        floor = one if names[j].endswith("_rate") else 1e-9
        with np.errstate(divide="ignore", invalid="ignore"):
            past_top = np.where(x > q[100], (x - q[100]) / np.maximum(q[100] - q[50], floor), 0.0)
            past_bottom = np.where(x < q[0], (q[0] - x) / np.maximum(q[50] - q[0], floor), 0.0)
        above = np.where(x > q[100], np.exp(-past_top) / 102.0, above)
        below = np.where(x < q[0], np.exp(-past_bottom) / 102.0, below)
        tails[:, j] = np.where(x > q[50], above, np.where(x < q[50], below, np.inf))
    return tails


def habit_rules(profile: VoiceProfile) -> list[dict[str, Any]]:
    """The habits the brand never breaks, which decide the verdict of a draft that breaks one.

    A habit the brand shows in k of its n posts (n at least ``HABIT_MIN_POSTS``, k under
    ``HABIT_NEVER`` of them), seen in a draft, makes the draft less typical on it than at least
    n - k of them: its score is capped at (k + 1) / (n + 1), the share of the brand's own writing
    that could look as untypical, the score's own meaning. Also a form of address (tu, voi, Lei)
    the brand never leads with, when it leads with one in 95%+ of 20+ posts that address the
    reader. Each rule: ``feature``, ``kind`` ("habit" or "address"), ``cap`` and ``text``.
    """
    from .style import ADDRESS_FORMS, feature

    names = list(profile.style_names_)
    n = profile.n_distinct_
    rules: list[dict[str, Any]] = []
    if n >= HABIT_MIN_POSTS:
        for name in HABIT_MARKERS:
            share = float(profile.style_nonzero_[names.index(name)]) if name in names else 1.0
            if share < HABIT_NEVER:
                k = round(share * n)
                rules.append({"feature": name, "kind": "habit", "cap": 100.0 * (k + 1) / (n + 1),
                              "text": f"no {feature(name).label}"})
    register = profile.register_
    n_addressing = int(register.get("n", 0))
    forms = [f for f in ADDRESS_FORMS if f in register]
    if n_addressing >= 20 and forms and max(register[f] for f in forms) >= 0.95:
        lead = max(forms, key=lambda f: register[f])
        for f in forms:
            if f != lead and register[f] * n_addressing < 0.5:
                rules.append({"feature": f"{f}_rate", "kind": "address", "cap": 100.0 / (n_addressing + 1),
                              "text": f"addresses readers as '{ADDRESS_FORMS[lead]}', never as '{ADDRESS_FORMS[f]}'"})
    return rules


class _Explainer:
    """What explaining needs from a profile, read once per batch as plain Python numbers."""

    def __init__(self, profile: VoiceProfile) -> None:
        from .style import feature

        self.profile = profile
        self.names = list(profile.style_names_)
        self.index = {name: j for j, name in enumerate(self.names)}
        self.rules = habit_rules(profile)
        self.features = [feature(n) for n in self.names]
        # Features counted with the brand language's word lists (pronouns, function words, readability).
        self.word_list_features = frozenset(f.name for f in self.features
                                            if f.langs is not None or f.name == "function_word_share")
        self.medians = profile.style_quantiles_[:, 50].tolist()
        self.means = profile.style_means_.tolist()
        self.nonzero = profile.style_nonzero_.tolist()
        self.unseen_quantiles = profile.unseen_quantiles_.tolist()
        self.by_register = profile.register_.get("n", 0) >= 5
        # Function words of the brand's language, per 100 words: nine in ten of its posts have at least this.
        fw = self.names.index("function_word_share") if "function_word_share" in self.names else None
        self.function_word_floor = profile.style_quantiles_[fw, 10].item() if fw is not None else 0.0

    def broken_habits(self, style: dict[str, float]) -> dict[str, float]:
        """The brand's rules (``habit_rules``) this draft breaks, each with the score it caps the draft at."""
        from .style import ADDRESS_FORMS

        caps: dict[str, float] = {}
        forms = {f: style.get(f"{f}_rate", 0.0) for f in ADDRESS_FORMS if f"{f}_rate" in style}
        lead = max(forms, key=forms.get) if forms and max(forms.values()) > 0 else None
        for rule in self.rules:
            name = rule["feature"]
            if (name == f"{lead}_rate") if rule["kind"] == "address" else style.get(name, 0.0) > 0:
                caps[name] = rule["cap"]
        return caps

    def habit_reasons(self, style: dict[str, float], broken: dict[str, float], reasons: list[Reason]) -> list[Reason]:
        """``reasons`` with the broken habits first, as errors, each said once (made when it was not among them)."""
        from .style import ADDRESS_FORMS

        register = {f"{f}_rate" for f in ADDRESS_FORMS}
        ranked = [r.feature for r in reasons]
        position = {name: next((i for i, f in enumerate(ranked) if f == name or (name in register and f in register)),
                               len(ranked)) for name in broken}
        first: list[Reason] = []
        for name in sorted(broken, key=position.get):  # among the broken habits, the explanations' own order
            if name in register:
                said = next((r for r in reasons if r.feature in register), None)
                message = said.message if said else _register_message(self.profile, style)
            else:
                said = next((r for r in reasons if r.feature == name), None)
                j = self.index[name]
                f = self.features[j]
                message = (said.message if said else
                           f"{_fmt(style[name])} {f.label} {f.unit}; "
                           f"{_how_rarely(self.nonzero[j], self.profile.n_distinct_)}")
            if said is not None:
                reasons = [r for r in reasons if r is not said]
            if message:
                first.append(Reason(name, "style", message, round(style[name], 2),
                                    round(said.voice, 2) if said and isinstance(said.voice, float) else 0.0, "error"))
        return [*first, *reasons][:MAX_REASONS]

    def other_language(self, text: str, style: dict[str, float], marked: str | None = None) -> Reason | None:
        """A reason when the draft is plainly in another language than the brand's.

        Said first because it explains the rest: every other measure then compares writing in
        two languages. A draft marked (``lang``) as another language is taken at its word. A
        draft that uses the brand's language's function words as often as most brand posts do is
        in that language, and is not checked further; otherwise only a clear answer from
        ``detect_language`` (the draft's own words or script) gives a reason.
        """
        from .language import detect_language, language_name

        brand = self.profile.lang_
        if marked and marked != brand:
            return Reason("language", "lexical", f"marked as {language_name(marked)} (lang {marked!r}); the brand "
                          f"writes in {language_name(brand)}", marked, brand, "error")
        if self.function_word_floor > 0 and style.get("function_word_share", 0.0) >= self.function_word_floor:
            return None
        lang = detect_language([text])
        if lang is None or lang == brand:
            return None
        return Reason("language", "lexical", f"written in {language_name(lang)}; the brand writes in "
                      f"{language_name(brand)}", lang, brand, "error")

    def reasons(self, text: str, style: dict[str, float], dimensions: dict[str, float], flagged: Sequence[int],
                tails: Sequence[float]) -> list[Reason]:
        """``flagged``: the features whose tail (in ``tails``, one per feature) is at most 0.10."""
        from .lexical import new_word_rate, vocabulary_words
        from .style import function_words

        profile = self.profile
        # (strength, tie-break, reason): -ln of the tail, capped so that no one style feature outweighs the
        # dimension reasons; past the cap, the farther a feature is from the brand's range still comes first.
        scored: list[tuple[float, float, Reason]] = []
        register_done = False
        for j in flagged:
            name = self.names[j]
            x = style[name]
            median = self.medians[j]
            tail = tails[j]
            if (name == "words" and x < MIN_WORDS) or abs(x - median) < 1e-9:
                continue
            direction = "more" if x > median else "fewer"
            f = self.features[j]
            is_rate = name.endswith("_rate")
            typical = self.means[j] if is_rate else median
            if self.by_register and name in ("tu_rate", "voi_rate", "lei_rate"):
                if register_done:
                    continue
                msg = _register_message(profile, style)
                if msg is None:
                    continue
                register_done = True
                message = msg
            elif is_rate and self.nonzero[j] < 0.02 and direction == "more":
                message = f"{_fmt(x)} {f.label} {f.unit}; {_how_rarely(self.nonzero[j], profile.n_distinct_)}"
            elif is_rate and direction == "fewer" and x == 0:
                message = (f"no {f.label}; the brand uses them in {100 * self.nonzero[j]:.0f}% of its posts "
                           f"({_fmt(typical)} {f.unit} on average)")
            else:
                unit = f" {f.unit}" if f.unit and f.unit != f.label else ""
                show = _count_text if name == "words" else _ratio_text if name == "lexical_diversity" else _fmt
                message = f"{show(x)} {f.label}{unit}; the brand's writing has {show(typical)}"
            scored.append((-math.log(max(tail, 1e-6)), -math.log(max(tail, 1e-300)),
                           Reason(name, "style", message, round(x, 2), round(typical, 2), _severity(tail))))

        lex = dimensions.get("lexical", 100.0)
        words, common = vocabulary_words(text)
        unseen = profile.words_.unseen(common)
        rate = new_word_rate(common, len(words), profile.words_.brand_df_)
        q = self.unseen_quantiles
        tail = (101 - bisect.bisect_left(q, rate)) / 102.0 if rate > q[50] else 1.0
        if unseen and tail <= 0.10:
            # Function words the brand happens not to use ('sui', 'dove') say less than its missing vocabulary.
            plain = function_words(profile.lang_)
            listed = ([w for w in unseen if w not in plain] or unseen)[:5]
            quoted = ", ".join(f"'{w}'" for w in listed)
            message = (f"uses words the brand never uses in its {profile.n_distinct_} posts: {quoted} "
                       f"({rate:.0f} words in 100 the brand has not used; its own later posts typically have {q[50]:.0f})")
            scored.append((-math.log(max(tail, 1e-6)), 0.0, Reason("vocabulary", "lexical", message, round(rate, 1),
                                                             round(q[50], 1), _severity(tail))))
        elif lex < BORDERLINE_BELOW:
            tail = max(lex / 100.0, 1e-4)
            scored.append((-math.log(tail), 0.0, Reason("phrasing", "lexical",
                                                   f"spelling and phrasing are unlike the brand's: {_typical_of(lex)}",
                                                   lex, None, _severity(tail))))
        sem = dimensions.get("semantic", 100.0)
        if sem < BORDERLINE_BELOW:
            tail = max(sem / 100.0, 1e-4)
            scored.append((-math.log(tail), 0.0, Reason("topic_and_tone", "semantic",
                                                   f"topic and tone are unlike the brand's posts: {_typical_of(sem)}",
                                                   sem, None, _severity(tail))))
        scored.sort(key=lambda t: (-t[0], -t[1]))
        return [r for _, _, r in scored[:MAX_REASONS]]


def _register_message(profile: VoiceProfile, style: dict[str, float]) -> str | None:
    """Say how the draft addresses the reader when the brand addresses it otherwise."""
    from .style import ADDRESS_FORMS as names

    shares = {f: profile.register_.get(f, 0.0) for f in names}
    brand = max(names, key=lambda f: shares[f])
    forms = {f: style.get(f"{f}_rate", 0.0) for f in names}
    foreign = [f for f in names if forms[f] > 0 and shares[f] < 0.2 and f != brand]
    if not foreign:
        if forms[brand] <= 0 and max(forms.values()) <= 0:
            return (f"does not address the reader; the brand addresses its readers with '{names[brand]}' "
                    f"(in {profile.register_.get('n', 0):.0f} of its posts)")
        return None
    used = max(foreign, key=lambda f: forms[f])
    return (f"uses '{names[used]}' where the brand writes '{names[brand]}' in {100 * shares[brand]:.0f}% of its "
            "posts that address the reader")
