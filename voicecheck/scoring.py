"""Score drafts against a profile: a calibrated 0-100 score, a verdict, reasons.

The score is calibrated on the brand's own writing: a score of S means S% of the
brand's own posts (scored out-of-fold while learning) look less typical than the
draft. Hence the verdicts: below ``OFF_VOICE_BELOW`` (5) flags about 5% of the
brand's own writing, below ``BORDERLINE_BELOW`` (20) about 15% more.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .documents import Document, as_documents
from .features import Features, extract_features
from .language import UNDETERMINED
from .profile import FAMILIES, VoiceProfile
from .errors import InputError, ProfileFormatError, VoicecheckWarning
from .results import Reason, ScoreResult
from .wording import article_it, count, explain_language, feature_words, fixed, language_name, number, percent_after

if TYPE_CHECKING:
    from .channels import ChannelStyle
    from .embedding import Embedder

__all__ = ["score_documents", "score_features", "score_text", "OFF_VOICE_BELOW", "BORDERLINE_BELOW", "MIN_WORDS",
           "HABIT_MARKERS", "habit_rules", "broken_rules", "restate_reason"]

OFF_VOICE_BELOW = 5.0
BORDERLINE_BELOW = 20.0
#: Habits a brand's style guide writes down ("no exclamation marks", "we never say I"). When a brand with at
#: least ``HABIT_MIN_POSTS`` posts shows one in under ``HABIT_NEVER`` of them, a draft that shows it is less
#: typical, on that habit, than every post the brand wrote: its score is capped accordingly (off-voice).
HABIT_MARKERS = ("exclamation_rate", "emoji_rate", "hashtag_rate", "first_singular_rate", "contraction_rate",
                 "io_rate")
HABIT_MIN_POSTS = 50
HABIT_NEVER = 0.01
#: Marks a playful brand puts in every post: when a brand with at least ``HABIT_MIN_POSTS`` posts shows one in all
#: but ``HABIT_NEVER`` of them, a draft without it is less typical, on that habit, than every post the brand wrote
#: (a gelato chain with emoji in 169 posts of 169: its agency's drafts without any scored 72 and 91, on-voice).
HABIT_ALWAYS_MARKERS = ("exclamation_rate", "emoji_rate", "hashtag_rate")
#: A habit the brand shows in fewer than this share of its posts is rare: a draft showing more of it than any of
#: them (by rate, and at least ``RARE_AT_LEAST`` times) is less typical on it than every post of the brand.
HABIT_RARE = 0.05
RARE_AT_LEAST = 2
#: Word lists a style guide writes down too ("no hype", "British spelling"): a rule only as a rare habit is, even
#: for a brand that never shows them (at least ``RARE_AT_LEAST`` in a draft, beyond any of its posts). A brand's
#: own later posts bring one such word now and then, and any one of them made off-voice had cost accuracy
#: (docs/accuracy.md); a draft with "amazing, incredible, must-have" and "favorite, gray" had stayed on-voice and
#: passed a --fail-under 20 gate while one "!" failed it (a brand manager's review).
WORD_LIST_MARKERS = ("hype_rate", "american_spelling_rate", "british_spelling_rate", "anglicism_rate",
                     "other_language_rate")
SPELLING_SIDES = {"american_spelling_rate": "british_spelling_rate", "british_spelling_rate": "american_spelling_rate"}
#: Drafts with fewer words than this get the verdict ``too-short``.
MIN_WORDS = 4
#: Under this many words, a draft's length, when it is a reason, is among its first three.
LENGTH_FIRST_UNDER = 10
#: Under this many words, a reason gives a rate per 100 words as the count it is ("1 in 4 words").
COUNT_UNDER_WORDS = 50
_RANK = {"error": 2, "warning": 1, "info": 0}  # reasons come in this order of severity
MAX_REASONS = 6


def score_text(profile: VoiceProfile, text: str, *, id: str = "-", channel: str | None = None,
               date: Any = None, source: str | None = None, author: str | None = None,
               markup: str | None = None, embedder: Embedder | None = None,
               explain_in: str | None = None) -> ScoreResult:
    """Score one text (a convenience over ``score_documents``).

    ``channel``, ``date``, ``source`` and ``author`` are a ``Document``'s: a draft's channel
    places it among the brand's posts of that channel when the profile keeps channels apart,
    and its verdict can differ from the same text scored among all the brand's posts.
    ``markup``: ``"markdown"`` or ``"html"`` reads ``text`` as a .md or .html file is read (its
    prose only, its front matter's or <meta> labels where the arguments give none), as the
    service's ``markup`` field does: a Markdown body scored as plain text had its '#' and '-'
    read as words, 13 points under the same file scored by the CLI (a content head's review).
    """
    if markup in (None, "", "text"):
        document = Document(text=text, id=id, channel=channel, date=date, source=source, author=author)
    else:
        from .corpus import documents_from_records

        given = {"id": id, "channel": channel, "date": date, "source": source, "author": author}
        document = documents_from_records([{"text": text, "markup": markup,
                                            **{k: v for k, v in given.items() if v is not None}}], origin="text")[0]
    return score_documents(profile, [document], embedder=embedder, explain_in=explain_in)[0]


def score_documents(profile: VoiceProfile, documents: Sequence[Document | str], *, embedder: Embedder | None = None,
                    progress: Callable[[int], None] | None = None, explain_in: str | None = None,
                    warn: bool = True) -> list[ScoreResult]:
    """Score many drafts; they are embedded together, in batches.

    ``explain_in``: the language of the reasons' messages, ``en`` or ``it`` (default: the
    profile's language when it is one of them, else English; ``wording.explain_language``).
    Results are told apart by id: when several drafts share one, a ``VoicecheckWarning``
    says so and where they are, unless ``warn`` is False (the service, whose batches
    gather the drafts of many requests).
    """
    from .embedding import load_embedder

    from .profile import fitted_profile

    fitted_profile(profile)  # a folder path given where a profile goes is an InputError
    lang = explain_language(explain_in, profile.lang_)  # a bad value is refused before any work
    docs = as_documents(documents)
    empty = next((d for d in docs if not d.text.strip()), None)
    if empty is not None:  # the CLI and the service refuse it too: nothing to judge is not "too short"
        raise InputError(f"{'' if empty.label == '-' else empty.label + ': '}text is empty", field="text")
    if not docs:
        return []
    shared = shared_ids(docs) if warn else None
    if shared:
        warnings.warn(shared, VoicecheckWarning, stacklevel=2)
    if embedder is None:
        embedder = load_embedder(profile.embedding_model_["name"])
    else:
        _check_embedder(profile, embedder)
    feats = extract_features([d.text for d in docs], profile.lang_, embedder, progress=progress,
                             style_names=profile.style_names_)
    return score_features(profile, docs, feats, explain_in=lang)


def shared_ids(docs: Sequence[Document]) -> str | None:
    """What to say when several drafts share an id (results are told apart by it), naming where; else None."""
    seen: dict[str, list[str]] = {}
    for d in docs:
        seen.setdefault(d.label, []).append(d.origin or d.label)
    repeated = {label: where for label, where in seen.items() if len(where) > 1}
    if not repeated:
        return None
    label, where = next(iter(repeated.items()))
    more = f" (and {len(repeated) - 1} more ids)" if len(repeated) > 1 else ""
    return (f"{len(where)} drafts share the id {label!r}: {', '.join(where[:3])}{', ...' if len(where) > 3 else ''}"
            f"{more}; give each an \"id\" to tell their results apart")


def _check_embedder(profile: VoiceProfile, embedder: Any) -> None:
    """Refuse an embedder other than the one the profile learned with.

    Why: the semantic model reads vectors of that one model; another model's vectors (of
    the same size, or cut to it) give confident, meaningless scores. ``load`` checks the
    installed model; an embedder passed in is checked here.
    """
    from .features import check_embedder

    check_embedder(embedder)  # a model's name given for the model had been called a profile error
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


def score_features(profile: VoiceProfile, docs: Sequence[Document], feats: Features, *,
                   explain_in: str | None = None) -> list[ScoreResult]:
    """Score drafts whose features are already extracted (row-aligned with ``docs``)."""
    family = profile.family_scores(feats)
    combined = profile.combined_scores(family)
    words = profile.word_counts(feats.style) if len(docs) else None
    # A draft of a channel the profile keeps apart (a newsletter) is placed among, and explained against, the
    # brand's posts there.
    channels = [profile.channel_style(doc.channel) for doc in docs]
    dims = np.column_stack([profile.calibrate(family[:, j], j, words, channels) for j in range(len(FAMILIES))])
    final = profile.calibrate(combined, len(FAMILIES), words, channels)
    tails = style_tails(profile, feats.style)
    lang = explain_language(explain_in, profile.lang_)
    explainers: dict[str | None, _Explainer] = {None: _Explainer(profile, lang)}
    for view in {c.key: c for c in channels if c is not None}.values():
        rows = [i for i, c in enumerate(channels) if c is view]
        tails[rows] = style_tails(profile, feats.style[rows], view.quantiles)
        explainers[view.key] = _Explainer(profile, lang, channel=view)
    flagged: list[list[int]] = [[] for _ in docs]  # per draft, the style features worth a look
    for i, j in zip(*(a.tolist() for a in np.nonzero(tails <= 0.10))):
        flagged[i].append(j)
    tails_rows = tails.tolist()
    # Plain Python numbers from here on: indexing numpy arrays one value at a time costs more than the maths.
    style_rows, final_list, dims_rows = feats.style.tolist(), final.tolist(), dims.tolist()
    results = []
    names = profile.style_names_
    learned = profile.learned_from([doc.text for doc in docs], [doc.date for doc in docs])
    for i, doc in enumerate(docs):
        explainer = explainers[channels[i].key if channels[i] is not None else None]
        style = dict(zip(names, style_rows[i]))
        words = int(style.get("words", 0))
        score = round(final_list[i], 1)
        # A habit the brand never breaks is broken however short the draft: "🔥🔥🔥 #sale" for a brand
        # that never writes emoji or hashtags is off-voice, not too short to judge.
        quoted = explainer.quoted_address(style, doc.text)  # forms of address met only in straight quotes
        broken = explainer.broken_habits(style, doc.text, quoted=quoted)
        if broken:
            score = min(score, round(min(broken.values()), 1))
        dimensions = {fam: round(dims_rows[i][j], 1) for j, fam in enumerate(FAMILIES)}
        if broken:  # the rules are habits of style: "🔥🔥🔥" read style 100 beside its one reason, the emoji
            dimensions["style"] = min(dimensions["style"], round(min(broken.values()), 1))
        # Words with letters: "1 2 3 4" or four opening times are no writing to judge a voice by (they scored
        # on-voice and passed a --fail-under gate: a code review)
        numbers = round(style.get("number_rate", 0.0) * words / 100.0)
        lettered = words - numbers
        short = lettered < MIN_WORDS
        if short and not broken:
            verdict = "too-short"
        elif score < OFF_VOICE_BELOW:
            verdict = "off-voice"
        elif score < BORDERLINE_BELOW:
            verdict = "borderline"
        else:
            verdict = "on-voice"
        new_marks = explainer.marks.new_in(doc.text) if explainer.marks is not None else None
        reasons = (explainer.reasons(doc.text, style, dimensions, flagged[i], tails_rows[i], new_marks)
                   if not short else [])
        if broken:  # the habit that decided the score is the first reason
            reasons = explainer.habit_reasons(style, broken, reasons, doc.text)
        if reasons and quoted:
            # "usa il 'tu' dove il brand usa il 'voi'" for a customer quoted in straight quotes, on a draft the rule
            # rightly left on-voice (a library review): the quote addresses no one, so no reason says it does
            reasons = [r for r in reasons if r.feature not in _REGISTER_FEATURES]
        if verdict != "too-short":  # (a short draft that breaks a rule is off-voice, and checked too)
            # A draft plainly in another language says so first, whatever its score: a Spanish post on the
            # brand's topic scored 25, on-voice, with Spanish words as its only reason (a user review). Unless it
            # is marked so (a bilingual brand's draft, checked on purpose), it is off-voice: the brand writes in
            # one language, and a draft in another is less typical of it than any of its posts.
            other = explainer.other_language(doc.text, style, doc.lang)
            if other is not None:  # the brand language's word lists measure nothing in another language
                reasons = [other, *[r for r in reasons if r.feature not in explainer.word_list_features]]
                if not doc.lang:
                    score = min(score, round(explainer.never_cap, 1))
                    verdict = "off-voice"
        if words < LENGTH_FIRST_UNDER:
            # The README's promise for a very short draft, whose score is least reliable: its length among the
            # first three reasons (a bakery's 5-word Story had it fifth, after counts per 100 words; a review),
            # unless three reasons of a higher severity come first: reasons stay in order of severity
            at = next((k for k, r in enumerate(reasons) if r.feature == "words"), None)
            if at is not None and at > 2 and _RANK[reasons[2].severity] <= _RANK[reasons[at].severity]:
                reasons = [*reasons[:2], reasons[at], *reasons[2:at], *reasons[at + 1:]]
        reasons = reasons[:MAX_REASONS]
        if verdict == "on-voice":
            # "error" on a draft scoring 91 told an agency's editor to fix its length, and a CI gate on severity
            # failed it (a brand manager's review): on an on-voice draft a reason is at most a warning.
            reasons = [dataclasses.replace(r, severity="warning") if r.severity == "error" else r for r in reasons]
        if short:
            say = _SAY[explainer.lang]
            counted = say["word_count"]["zero" if lettered == 0 else "one" if lettered == 1 else "many"].format(
                n=lettered)
            if numbers:
                counted += say["and_numbers"]["one" if numbers == 1 else "many"].format(n=numbers)
            note = Reason("words", "style", say["short_ruled" if broken else "short"].format(
                count=counted, least=MIN_WORDS), float(lettered), float(MIN_WORDS), "info")
            reasons.insert(len(reasons) if broken else 0, note)
        meta = doc.metadata()
        results.append(ScoreResult(id=doc.label, score=score, verdict=verdict, dimensions=dimensions,
                                   reasons=reasons, profile=profile.info, words=words, date=meta["date"],
                                   source=doc.source, channel=doc.channel, author=doc.author,
                                   learned_from=learned[i], style=style, explained_in=explainer.lang,
                                   new_marks=new_marks))
    return results


# ---------------------------------------------------------------------- explanations
#: Every sentence of a reason, in each language voicecheck explains in (``wording.SPOKEN``).
_SAY: dict[str, dict[str, Any]] = {
    "en": {
        "short": "{count}: too short to judge a voice reliably (at least {least} are needed)",
        "short_ruled": "{count}: judged by the brand's rules only; the rest of the voice needs {least} words or more",
        "word_count": {"zero": "no words", "one": "only 1 word", "many": "only {n} words"},
        "and_numbers": {"one": " (and 1 number)", "many": " (and {n} numbers)"},
        "never": "the brand never uses them (in none of its {n} posts)",
        "almost_never_under_1": "the brand almost never uses them (under 1% of its posts)",
        "almost_never": "the brand almost never uses them ({share}% of its posts)",
        "rare": "{value} {label} {unit}; {how_rarely}",
        "rare_wordless": "{label} and no words; {how_rarely}",
        "rare_counted": "{label}: {n} {words}; {how_rarely}",
        "none": "no {label}; the brand uses them {in_share} of its posts ({typical} {unit} on average)",
        "none_typical": "no {label}; the brand uses them {in_share} of its posts (typically {typical} {unit})",
        "value": "{value} {label}{unit}; the brand's writing has {typical}",
        "value_named": "{label}: {value}{unit}; the brand's writing has {typical}",
        "value_counted": "{label}: {n} {words}{rate}; the brand's writing has {typical} {unit}",
        "words_n": {"one": "in 1 word", "many": "in {n} words"},
        "sentences_n": {"one": "in 1 sentence", "many": "in {n} sentences"},
        "under_0_1": "under {tenth}",
        # The sentences that give the brand's figures, for a draft of a channel the profile keeps apart
        "in_channel": {
            "never": "the brand never uses them in its {channel} posts (in none of its {n})",
            "almost_never_under_1": "the brand almost never uses them (under 1% of its {channel} posts)",
            "almost_never": "the brand almost never uses them ({share}% of its {channel} posts)",
            "none": "no {label}; the brand uses them {in_share} of its {channel} posts ({typical} {unit} on average)",
            "none_typical": "no {label}; the brand uses them {in_share} of its {channel} posts (typically {typical} "
                            "{unit})",
            "value": "{value} {label}{unit}; the brand's {channel} posts have {typical}",
            "value_named": "{label}: {value}{unit}; the brand's {channel} posts have {typical}",
            "value_counted": "{label}: {n} {words}{rate}; the brand's {channel} posts have {typical} {unit}",
        },
        "vocabulary": "uses {which} the brand never uses in its {n} posts: {words} ({rate} the brand has not used; "
                      "its own later posts typically have {typical} in 100)",
        "vocabulary_which": {"one": "a word", "many": "words"},
        "vocabulary_rate": {"one": "1 word in 100", "many": "{rate} words in 100"},
        "vocabulary_count": {"one": "1 word in {words}", "many": "{n} words in {words}"},
        "new_marks": {
            "message": "uses {which} the brand has never used in its {n} posts: {marks} ({own}: {brand}; {often})",
            "emoji": {"one": "an emoji", "many": "emoji", "own": "its own",
                      "often": "it brings in a new one {in_share} of its posts with emoji"},
            "hashtags": {"one": "a hashtag", "many": "hashtags", "own": "its own",
                         "often": "it brings in a new one {in_share} of its posts with hashtags"},
            "under_1": "in under 1%",
        },
        "phrasing": "spelling and phrasing are unlike the brand's: {typical_of}",
        "topic": "topic and tone are unlike the brand's posts: {typical_of}",
        # "less typical than 99% of its own posts": "more typical than only 1%" was hard to parse (a review)
        "typical_none": "less typical than any of its own posts",
        "typical_under_1": "less typical than over 99% of its own posts",
        "typical_only": "less typical than {rest}% of its own posts",
        "marked": "marked as {language} (lang {code!r}); the brand writes in {brand}",
        "written": "written in {language}; the brand writes in {brand}",
        "written_another": "written in another language; the brand writes in {brand}",
        "no_address": "does not address the reader; the brand addresses its readers with '{form}' (in {n} of its "
                      "posts)",
        "other_address": "uses '{used}'{words} where the brand writes '{form}' {in_share} of its posts that "
                         "address the reader",
        "rule_habit": "no {label}",
        "rule_always": "{label} in every post",
        "rule_rare": "{label} rarely: never 2 or more in a post above {most} {unit}",
        "rule_words_never": "no {label}: never 2 or more in a post",
        "rule_address": "addresses readers as '{form}', never as '{other}'",
        "rule_address_lead": "addresses readers mainly as '{form}', never mainly as '{other}'",
        "restated_style": "{label}: {draft}{unit} (the brand's writing: {voice})",
        "restated_vocabulary": "words the brand has not used: {draft} in 100 (its own later posts typically have "
                               "{voice} in 100)",
        "restated_marks": {"new_emoji": "emoji the brand has never used: {draft} (a new one {in_share} of its posts "
                                        "with emoji)",
                           "new_hashtags": "hashtags the brand has never used: {draft} (a new one {in_share} of its "
                                           "posts with hashtags)"},
    },
    "it": {
        "short": "{count}: troppo poco per valutare la voce con sicurezza (ne servono almeno {least})",
        "short_ruled": "{count}: valutato soltanto in base alle regole del brand; per il resto della voce servono "
                       "almeno {least} parole",
        "word_count": {"zero": "nessuna parola", "one": "solo 1 parola", "many": "solo {n} parole"},
        "and_numbers": {"one": " (e 1 numero)", "many": " (e {n} numeri)"},
        "never": "il brand non ne usa mai (in nessuno dei suoi {n} post)",
        "almost_never_under_1": "il brand non ne usa quasi mai (in meno dell'1% dei suoi post)",
        "almost_never": "il brand non ne usa quasi mai ({in_share} dei suoi post)",
        "rare": "{value} {label} {unit}; {how_rarely}",
        "rare_wordless": "{label} e nessuna parola; {how_rarely}",
        "rare_counted": "{label}: {n} {words}; {how_rarely}",
        "none": "niente {label}; il brand ne usa {in_share} dei suoi post (in media {typical} {unit})",
        "none_typical": "niente {label}; il brand ne usa {in_share} dei suoi post (di solito {typical} {unit})",
        "value": "{value} {label}{unit}; nei testi del brand: {typical}",
        "value_named": "{label}: {value}{unit}; nei testi del brand: {typical}",
        "value_counted": "{label}: {n} {words}{rate}; nei testi del brand: {typical} {unit}",
        "words_n": {"one": "in 1 parola", "many": "in {n} parole"},  # "1 punto esclamativo in 22 parole"
        "sentences_n": {"one": "su 1 frase", "many": "su {n} frasi"},  # "4 su 4 frasi"
        "under_0_1": "meno di {tenth}",
        "in_channel": {
            "never": "il brand non ne usa mai nei suoi post {channel} (in nessuno dei {n})",
            "almost_never_under_1": "il brand non ne usa quasi mai (in meno dell'1% dei suoi post {channel})",
            "almost_never": "il brand non ne usa quasi mai ({in_share} dei suoi post {channel})",
            "none": "niente {label}; il brand ne usa {in_share} dei suoi post {channel} (in media {typical} {unit})",
            "none_typical": "niente {label}; il brand ne usa {in_share} dei suoi post {channel} (di solito {typical} "
                            "{unit})",
            "value": "{value} {label}{unit}; nei post {channel} del brand: {typical}",
            "value_named": "{label}: {value}{unit}; nei post {channel} del brand: {typical}",
            "value_counted": "{label}: {n} {words}{rate}; nei post {channel} del brand: {typical} {unit}",
        },
        "vocabulary": "usa {which} che il brand non ha mai usato nei suoi {n} post: {words} ({rate} dal brand; i "
                      "suoi post successivi ne hanno di solito {typical} su 100)",
        "vocabulary_which": {"one": "una parola", "many": "parole"},
        "vocabulary_rate": {"one": "1 parola su 100 mai usata", "many": "{rate} parole su 100 mai usate"},
        "vocabulary_count": {"one": "1 parola su {words} mai usata", "many": "{n} parole su {words} mai usate"},
        "new_marks": {
            "message": "usa {which} che il brand non ha mai usato nei suoi {n} post: {marks} ({own}: {brand}; {often})",
            "emoji": {"one": "un'emoji", "many": "emoji", "own": "le sue",
                      "often": "ne introduce una nuova {in_share} dei suoi post con emoji"},
            "hashtags": {"one": "un hashtag", "many": "hashtag", "own": "i suoi",
                         "often": "ne introduce uno nuovo {in_share} dei suoi post con hashtag"},
            "under_1": "in meno dell'1%",
        },
        "phrasing": "grafia e giri di frase diversi da quelli del brand: {typical_of}",
        "topic": "argomento e tono diversi da quelli dei post del brand: {typical_of}",
        "typical_none": "meno tipico di tutti i suoi post",
        "typical_under_1": "meno dell'1% dei suoi post risulta meno tipico",
        "typical_only": "solo {the_percent} dei suoi post risulta meno tipico",
        "marked": "indicato come {language} (lang {code!r}); il brand scrive in {brand}",
        "written": "scritto in {language}; il brand scrive in {brand}",
        "written_another": "scritto in un'altra lingua; il brand scrive in {brand}",
        "no_address": "non si rivolge al lettore; il brand dà del '{form}' ai lettori (in {n} dei suoi post)",
        "other_address": "usa il '{used}'{words}, mentre il brand dà del '{form}' {in_share} dei post in cui si "
                         "rivolge al lettore",
        "rule_habit": "niente {label}",
        "rule_always": "{label} in ogni post",
        "rule_rare": "{label} di rado: mai 2 o più in un post sopra {most} {unit}",
        "rule_words_never": "niente {label}: mai 2 o più in un post",
        "rule_address": "dà del '{form}' ai lettori, mai del '{other}'",
        "rule_address_lead": "dà quasi sempre del '{form}' ai lettori, mai prevalentemente del '{other}'",
        "restated_style": "{label}: {draft}{unit} (nei testi del brand: {voice})",
        "restated_vocabulary": "parole mai usate dal brand: {draft} su 100 (i suoi post successivi ne hanno di solito "
                               "{voice} su 100)",
        "restated_marks": {"new_emoji": "emoji mai usate dal brand: {draft} (una nuova {in_share} dei suoi post con "
                                        "emoji)",
                           "new_hashtags": "hashtag mai usati dal brand: {draft} (uno nuovo {in_share} dei suoi post "
                                           "con hashtag)"},
    },
}


def _ratio_text(x: float, lang: str = "en") -> str:
    """A ratio between 0 and 1 (lexical diversity): two decimals, or 1.0 and 0.9 read as a big gap."""
    return fixed(x, lang, 2)


def _quoted(words: str) -> str:
    """A draft's own words as a reason quotes them, in single quotes as every other ('passi', 'chiedi')."""
    return f"'{words}'"


def _told_apart(show: Callable[[float, str], str], x: float, typical: float, lang: str) -> tuple[str, str]:
    """The draft's value and the brand's, shown so that they differ when they do: "0.1 brackets per 100 words;
    the brand's blog posts have 0.1" read as no difference at all (a content lead's review); with more decimals,
    0.07 and 0.06."""
    shown = show(x, lang), show(typical, lang)
    if show is not count and shown[0] == shown[1] and max(abs(x), abs(typical)) < 100:
        for digits in (2, 3):
            closer = fixed(x, lang, digits), fixed(typical, lang, digits)
            if closer[0] != closer[1]:
                return closer
    return shown  # as close as three decimals show: the same, as it reads


def _rate_text(x: float, lang: str = "en") -> str:
    """A rate per 100 words: "under 0.1" for a brand that uses something rarely, never a misleading "0.0"."""
    if 0 < x < 0.05:
        return _SAY[lang]["under_0_1"].format(tenth=fixed(0.1, lang, 1))
    return number(x, lang)


def _how_rarely(share: float, n_posts: int, lang: str = "en", say: Mapping[str, Any] | None = None) -> str:
    """How rarely the brand uses a habit: "never" is said only when it is true (``say``: an explainer's sentences,
    which may be those of a channel)."""
    say = _SAY[lang] if say is None else say
    if share <= 0:
        return say["never"].format(n=count(n_posts, lang))
    if share < 0.01:
        return say["almost_never_under_1"]
    return say["almost_never"].format(share=f"{100 * share:.0f}", in_share=percent_after(100 * share, "in", lang))


def _typical_of(percent: float, lang: str = "en") -> str:
    """Where a dimension's score puts the draft among the brand's own posts, in words."""
    say = _SAY[lang]
    if percent < 0.5:
        return say["typical_none"]
    if percent < 1:
        return say["typical_under_1"]
    return say["typical_only"].format(rest=f"{100 - round(percent)}", the_percent=article_it(f"{percent:.0f}%"))


def _severity(tail: float) -> str:
    return "error" if tail <= 0.01 else ("warning" if tail <= 0.05 else "info")


def style_tails(profile: VoiceProfile, style: np.ndarray, quantiles: np.ndarray | None = None) -> np.ndarray:
    """How rare each draft's value of each style feature is in the brand's own writing (``quantiles``: in one
    channel's, ``channels.ChannelStyle.quantiles``).

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
        q = (profile.style_quantiles_ if quantiles is None else quantiles)[j]
        x = style[:, j]
        # mirror images: the percentiles at or past x on its side (one step in from an end: 1/102 either way;
        # the lower side counted one more, a shortfall a severity weaker than the same excess: an NLP review)
        above = (101 - np.searchsorted(q, x, side="left")) / 102.0
        below = np.searchsorted(q, x, side="right") / 102.0
        floor = one if names[j].endswith("_rate") else 1e-9
        with np.errstate(divide="ignore", invalid="ignore"):
            past_top = np.where(x > q[100], (x - q[100]) / np.maximum(q[100] - q[50], floor), 0.0)
            past_bottom = np.where(x < q[0], (q[0] - x) / np.maximum(q[50] - q[0], floor), 0.0)
        above = np.where(x > q[100], np.exp(-past_top) / 102.0, above)
        below = np.where(x < q[0], np.exp(-past_bottom) / 102.0, below)
        tails[:, j] = np.where(x > q[50], above, np.where(x < q[50], below, np.inf))
    return tails


def broken_rules(profile: VoiceProfile, styles: Sequence[Mapping[str, float]],
                 channels: Sequence[str | None] | None = None) -> list[list[str]]:
    """For each measured ``styles`` (a draft's ``style``, as stored), the brand's rules (``habit_rules``) it breaks,
    as the score reads them (a draft's own channel, in ``channels``, exempting it from a mark of every post where
    the profile keeps that channel apart), without the text: quoted forms of address are not told apart. A drift
    report counts them in a window too small for any one rule to show (an agency's review)."""
    explainers: dict[str | None, _Explainer] = {}
    out = []
    for k, style in enumerate(styles):
        label = channels[k] if channels is not None else None
        view = profile.channel_style(label) if isinstance(label, str) and hasattr(profile, "channel_style") else None
        key = label if view is not None else None
        if key not in explainers:
            explainers[key] = _Explainer(profile, "en", view)
        figures = {name: float(v) for name, v in style.items()
                   if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)}
        out.append(sorted(explainers[key].broken_habits(figures, None, quoted=set())))
    return out


def habit_rules(profile: VoiceProfile, explain_in: str | None = None) -> list[dict[str, Any]]:
    """The habits the brand never breaks (or shows only rarely), which decide the verdict of a draft that breaks one.

    A habit the brand shows in k of its n posts (n at least ``HABIT_MIN_POSTS``, k under
    ``HABIT_NEVER`` of them), seen in a draft, makes the draft less typical on it than at least
    n - k of them: its score is capped at (k + 1) / (n + 1), the share of the brand's own writing
    that could look as untypical, the score's own meaning; so, missing from a draft, does a mark the brand shows
    in all but k of them (``HABIT_ALWAYS_MARKERS``, kind "always"). Also a form of address (tu, voi, Lei)
    the brand never leads with, when it leads with one in 95%+ of 20+ posts that address the
    reader: when no post of the brand uses that form at all, a draft that uses it anywhere breaks
    the rule ("Chiedi un assaggio al banco" in a draft otherwise in voi); when some posts use it
    beside the leading form, only a draft led by it does. And a marker the brand shows in under
    ``HABIT_RARE`` of its posts: a draft showing more of it than any of them (per 100 words), at
    least ``RARE_AT_LEAST`` times, is capped at 1 / (n + 1). Each rule: ``feature``, ``kind``
    ("habit", "always", "rare" or "address"), ``cap``, ``broken`` (how many of the brand's posts break it), ``text`` (in ``explain_in``, as the reasons are), for a
    rare one ``most`` (the brand's highest rate), and for an address ``anywhere``.
    """
    from .style import ADDRESS_FORMS

    lang = explain_language(explain_in, profile.lang_)
    say = _SAY[lang]
    names = list(profile.style_names_)
    n = profile.n_distinct_
    rules: list[dict[str, Any]] = []
    if n >= HABIT_MIN_POSTS:
        shares = {name: float(profile.style_nonzero_[j]) for j, name in enumerate(names)}

        def rare(name: str) -> dict[str, Any]:
            # Shown now and then: two posts with an emoji in 152 kept "6 emoji in 24 words" on-voice, where one
            # post fewer made any emoji off-voice (a brand manager's review). More of it than in any of its posts,
            # and at least twice, is less typical on it than every post of the brand.
            most = float(profile.style_quantiles_[names.index(name)][100])
            label, unit = feature_words(name, lang)
            text = (say["rule_words_never"].format(label=label) if most <= 0
                    else say["rule_rare"].format(label=label, most=number(most, lang), unit=unit))
            return {"feature": name, "kind": "rare", "cap": 100.0 / (n + 1), "broken": 0, "most": most, "text": text}

        for name in HABIT_MARKERS:
            share = shares.get(name, 1.0)
            if share < HABIT_NEVER:
                k = round(share * n)
                rules.append({"feature": name, "kind": "habit", "cap": 100.0 * (k + 1) / (n + 1), "broken": k,
                              "text": say["rule_habit"].format(label=feature_words(name, lang)[0])})
            elif share < HABIT_RARE:
                rules.append(rare(name))
        for name in HABIT_ALWAYS_MARKERS:
            share = shares.get(name, 0.0)
            if share > 1.0 - HABIT_NEVER:
                k = n - round(share * n)  # the posts without it
                rules.append({"feature": name, "kind": "always", "cap": 100.0 * (k + 1) / (n + 1), "broken": k,
                              "text": say["rule_always"].format(label=feature_words(name, lang)[0])})
        for name in (m for m in WORD_LIST_MARKERS if m in shares and shares[m] < HABIT_RARE):
            # A spelling is a rule only against the side the brand writes less: the words of the list are rare in
            # any post, so a British brand showed British spellings in 4% of its posts, and had a rule against its
            # own "favourite colour" (a review). A brand that shows neither side has no preference to keep.
            other = SPELLING_SIDES.get(name)
            if other is None or shares.get(other, 0.0) > shares[name]:
                rules.append(rare(name))
    register = profile.register_
    n_addressing = int(register.get("n", 0))
    forms = [f for f in ADDRESS_FORMS if f in register]
    if n_addressing >= 20 and forms and max(register[f] for f in forms) >= 0.95:
        lead = max(forms, key=lambda f: register[f])
        for f in forms:
            if f != lead and register[f] * n_addressing < 0.5:
                j = names.index(f"{f}_rate")
                anywhere = float(profile.style_nonzero_[j]) * n < 0.5
                rules.append({"feature": f"{f}_rate", "kind": "address", "cap": 100.0 / (n_addressing + 1),
                              "broken": 0, "anywhere": anywhere,
                              "text": say["rule_address" if anywhere else "rule_address_lead"].format(
                                  form=ADDRESS_FORMS[lead], other=ADDRESS_FORMS[f])})
    return rules


class _Explainer:
    """What explaining needs from a profile, read once per batch as plain Python numbers."""

    def __init__(self, profile: VoiceProfile, lang: str, channel: ChannelStyle | None = None) -> None:
        from .style import feature

        self.profile = profile
        self.lang = lang
        self.say = _SAY[lang]
        # the brand's figures for the draft's own channel, said so ("the brand's newsletter posts have 149")
        self.channel = channel
        self.n_posts = channel.n_posts if channel is not None else profile.n_distinct_
        if channel is not None:
            shown = channel.label.replace("{", "{{").replace("}", "}}")
            self.say = {**self.say, **{k: v.replace("{channel}", shown)
                                       for k, v in self.say["in_channel"].items()}}
        self.names = list(profile.style_names_)
        self.index = {name: j for j, name in enumerate(self.names)}
        self.rules = habit_rules(profile, lang)
        self.always = {r["feature"] for r in self.rules if r["kind"] == "always"}
        self._labels: dict[tuple[int, str], str] = {}  # ``_label``'s, for the draft being explained
        self.never_cap = 100.0 / (profile.n_distinct_ + 1)  # a score no post of the brand's falls under
        self.features = [feature(n) for n in self.names]
        self.words = [feature_words(n, lang) for n in self.names]  # (label, unit) as the messages say them
        # Features counted with the brand language's word lists (pronouns, function words, readability).
        self.word_list_features = frozenset(f.name for f in self.features
                                            if f.langs is not None or f.name == "function_word_share")
        if channel is not None:
            quantiles, means, nonzero = channel.quantiles, channel.means, channel.nonzero
        else:
            quantiles, means, nonzero = profile.style_quantiles_, profile.style_means_, profile.style_nonzero_
        self.medians, self.means, self.nonzero = quantiles[:, 50].tolist(), means.tolist(), nonzero.tolist()
        self.unseen_quantiles = profile.unseen_quantiles_.tolist()
        self.marks = getattr(profile, "marks_", None)  # None: learned before emoji and hashtags were told apart
        self.by_register = profile.register_.get("n", 0) >= 5
        # Function words of the brand's language, per 100 words: nine in ten of its posts have at least this.
        fw = self.names.index("function_word_share") if "function_word_share" in self.names else None
        self.function_word_floor = profile.style_quantiles_[fw, 10].item() if fw is not None else 0.0

    def new_marks(self, found: Mapping[str, Sequence[str]]) -> list[tuple[float, float, Reason]]:
        """The reasons for a draft's emoji and hashtags the brand has never used (``found``: ``marks_.new_in``):
        'uses emoji the brand has never used in its 152 posts: '😍', '🔥' (its own: ...)', ranked as a style
        feature is, by how rarely the brand's own later posts bring a new one."""
        marks = self.marks
        out = []
        for kind, new in found.items():
            share, n = marks.new_share_[kind], marks.n_with_[kind]
            tail = (share * n + 1.0) / (n + 2.0)
            say = self.say["new_marks"]
            often = say["under_1"] if 100 * share < 1 else percent_after(100 * share, "in", self.lang)
            message = say["message"].format(
                which=say[kind]["one" if len(new) == 1 else "many"], n=count(self.profile.n_distinct_, self.lang),
                marks=", ".join(f"'{m}'" for m in new[:5]), own=say[kind]["own"], brand=", ".join(marks.own(kind)),
                often=say[kind]["often"].format(in_share=often))
            out.append((-math.log(tail), 0.0, Reason(f"new_{kind}", "style", message, ", ".join(new),
                                                     round(100 * share, 1), _severity(tail))))
        return out

    def vocabulary_message(self, listed: Sequence[str], rate: float, typical: float, words: int = 0,
                           new: int | None = None) -> str:
        """'uses a word the brand never uses in its 84 posts: 'delicious' (1 word in 100 ...)'; in a draft of
        under ``COUNT_UNDER_WORDS`` words, the count: '(2 words in 32 the brand has not used; ...)', ``new``
        of the draft's ``words`` as its other reasons count them (a compound once)."""
        if 0 < words < COUNT_UNDER_WORDS:
            n = round(rate * words / 100.0) if new is None else new
            shown_rate = self.say["vocabulary_count"]["one" if n == 1 else "many"].format(n=n, words=words)
        else:
            # "2.6 words in 100", not "3" for 1 word of 38
            shown = f"{rate:.0f}" if rate >= 9.5 or abs(rate - round(rate)) < 0.05 else number(rate, self.lang)
            shown_rate = self.say["vocabulary_rate"]["one" if shown == "1" else "many"].format(rate=shown)
        return self.say["vocabulary"].format(
            n=count(self.profile.n_distinct_, self.lang), words=", ".join(f"'{w}'" for w in listed),
            typical=f"{typical:.0f}", which=self.say["vocabulary_which"]["one" if len(listed) == 1 else "many"],
            rate=shown_rate)

    def _counted(self, j: int, style: Mapping[str, float], *, long: bool = False) -> dict[str, str] | None:
        """In a draft of under ``COUNT_UNDER_WORDS`` words, a rate per 100 words as the count it is.

        "Nuovo lotto di Etiopia!" has 1 exclamation mark in 4 words; "25 per 100 words" is true and misleading.
        ``long``: in a draft of any length (what the brand never does: "1 in 636 words" says a single slip,
        where "0.2 per 100 words" reads as a habit).
        """
        words = int(style.get("words", 0))
        name = self.names[j]
        if name == "lowercase_start" and words > 0 and style.get("sentence_length", 0) > 0:
            # per 100 sentences: "4 in 4 sentences", not "100 sentences starting in lower case per 100 sentences"
            sentences = round(words / style["sentence_length"])
            if not 0 < sentences < COUNT_UNDER_WORDS:
                return None
            return {"n": str(round(style[name] * sentences / 100.0)),
                    "words": self.say["sentences_n"]["one" if sentences == 1 else "many"].format(n=sentences),
                    "rate": ""}
        # all per 100 words; so is the share of small grammar words ("31.2 per 100 words" of a 16-word draft: a review)
        if not 0 < words or (words >= COUNT_UNDER_WORDS and not long) or not (
                name.endswith("_rate") or name == "function_word_share"):
            return None
        n = round(style[name] * words / 100.0)
        return {"n": count(n, self.lang),
                "words": self.say["words_n"]["one" if words == 1 else "many"].format(n=count(words, self.lang)),
                # the draft's own rate beside the brand's, in one unit: "3 in 24 words (12.5 per 100 words)"
                "rate": f" ({_rate_text(style[name], self.lang)} {self.words[j][1]})" if n else ""}

    def _label(self, j: int, text: str | None, style: Mapping[str, float] | None = None) -> str:
        """Feature ``j``'s label; for a word list and for contractions, with the draft's own words in place of the
        label's examples: "hype words ('awesome')", not "hype words (amazing, game-changer)" for a draft that says
        neither; "contractions ('it's')", not "contractions (we're, don't)"; in a long draft, exclamation marks with
        the ends of the sentences they close. Worked out once per draft and feature (the contractions take a parse
        of the draft: only when ``style`` says it holds some)."""
        label = self.words[j][0]
        if not text or (style is not None and style.get(self.names[j], 0.0) <= 0):
            return label
        key = (j, text)
        if key not in self._labels:
            self._labels.clear()  # one draft at a time
            self._labels[key] = self._own_words_label(j, text, label)
        return self._labels[key]

    def _own_words_label(self, j: int, text: str, label: str) -> str:
        from .style import (LEXICON_FEATURES, address_words, contractions_in, exclamations_in, foreign_sentences,
                            lexicon_words, shouted_words)
        from .wording import clip

        name = self.names[j]
        if name in LEXICON_FEATURES or name == "contraction_rate":
            found = (contractions_in(text, self.profile.lang_) if name == "contraction_rate"
                     else lexicon_words(name, text, self.profile.lang_))
            if found:
                return f"{label.split(' (')[0]} ({', '.join(_quoted(w) for w in found[:5])})"
        if name == "other_language_rate":
            found = foreign_sentences(text, self.profile.lang_)
            if found:
                return f"{label} ({', '.join(_quoted(clip(w, 60)) for w in found[:2])})"
        if name == "caps_rate":
            found = shouted_words(text, self.profile.lang_)
            if found:
                return f"{label} ({', '.join(_quoted(w) for w in found[:5])})"
        if name in _PERSON_OF:  # "first person singular words ('mi')": which of the draft's words were counted
            found = address_words(text, self.profile.lang_).get(_PERSON_OF[name])
            if found:
                return f"{label.split(' (')[0]} ({', '.join(_quoted(w) for w in found[:5])})"
        if name == "exclamation_rate" and len(text.split()) >= COUNT_UNDER_WORDS:
            # in a long draft, where: the sentences they end ("exclamation marks ('…in half!')")
            found = exclamations_in(text)
            if found:
                return f"{label} ({', '.join(_quoted(w) for w in found[:2])}{', …' if len(found) > 2 else ''})"
        return label

    def _missing(self, j: int) -> str:
        """'no emoji; the brand uses them in 100% of its posts (typically 7.7 per 100 words)': a habit of every post
        of the brand's (or of the draft's channel) that the draft lacks."""
        label, unit = self._label(j, None), self.words[j][1]
        return self.say["none_typical"].format(label=label, in_share=percent_after(100 * self.nonzero[j], "in",
                                                                                    self.lang),
                                               typical=_rate_text(self.medians[j], self.lang), unit=unit)

    def _rare(self, j: int, style: Mapping[str, float], text: str | None = None, *, whole: bool = False) -> str:
        """'2.5 exclamation marks per 100 words; the brand never uses them (...)'; for a draft of no words
        ("!!!", "🔥🔥🔥") a rate per 100 words means nothing: 'exclamation marks and no words; ...'; in a short
        one, the count: 'exclamation marks: 1 in 4 words; ...'. ``whole``: how rarely in all the brand's posts,
        whatever the draft's channel (a rule is the brand's, kept in every channel)."""
        label, unit = self._label(j, text, style), self.words[j][1]
        if whole or self.channel is None:
            how_rarely = _how_rarely(float(self.profile.style_nonzero_[j]), self.profile.n_distinct_, self.lang)
        else:
            how_rarely = _how_rarely(self.nonzero[j], self.n_posts, self.lang, self.say)
        if style.get("words", 1.0) == 0:
            return self.say["rare_wordless"].format(label=label, how_rarely=how_rarely)
        counted = self._counted(j, style, long=True)
        if counted:
            return self.say["rare_counted"].format(label=label, how_rarely=how_rarely, **counted)
        return self.say["rare"].format(value=number(style[self.names[j]], self.lang), label=label, unit=unit,
                                       how_rarely=how_rarely)

    def broken_habits(self, style: dict[str, float], text: str | None = None, *,
                      quoted: set[str] | None = None) -> dict[str, float]:
        """The brand's rules (``habit_rules``) this draft breaks, each with the score it caps the draft at.

        A form of address the brand never uses, met only inside straight quotes ("Tu sì che sai tostare", ci ha
        scritto una cliente), quotes someone: it breaks no rule, as in curly quotes and guillemets (which
        ``style`` leaves out already; straight ones also mark emphasis, so they are checked here only).
        """
        from .style import ADDRESS_FORMS

        caps: dict[str, float] = {}
        forms = {f: style.get(f"{f}_rate", 0.0) for f in ADDRESS_FORMS if f"{f}_rate" in style}
        top = max(forms.values(), default=0.0)
        leading = [f for f in forms if forms[f] == top]
        lead = leading[0] if top > 0 and len(leading) == 1 else None  # as many 'tu' as 'voi': led by neither
        for rule in self.rules:
            name = rule["feature"]
            if rule["kind"] == "always":
                # in every post of the brand, and of the draft's channel where the profile keeps it apart
                j = self.index[name]
                if style.get(name, 0.0) <= 0 and (self.channel is None or self.nonzero[j] > 1.0 - HABIT_NEVER):
                    caps[name] = rule["cap"]
            elif rule["kind"] == "rare":
                value = style.get(name, 0.0)
                # (rates are per max(words, 1): "🏕️🔥😍" counts its emoji as per one word)
                if value > rule["most"] + 1e-9 and value * max(style.get("words", 0.0), 1.0) / 100.0 \
                        >= RARE_AT_LEAST - 0.01:
                    caps[name] = rule["cap"]
            elif (name == f"{lead}_rate") if rule["kind"] == "address" and not rule.get("anywhere") \
                    else style.get(name, 0.0) > 0:
                caps[name] = rule["cap"]
        quoted = self.quoted_address(style, text) if quoted is None else quoted  # ``quoted``: already worked out
        for name in quoted & {r["feature"] for r in self.rules if r.get("anywhere")}:
            caps.pop(name, None)
        return caps

    def quoted_address(self, style: Mapping[str, float], text: str | None) -> set[str]:
        """The forms of address (``tu_rate``...) the draft uses only inside straight quotes: someone quoted."""
        from .style import ADDRESS_FORMS, measure

        used = [f"{f}_rate" for f in ADDRESS_FORMS if style.get(f"{f}_rate", 0.0) > 0]
        if not used or not text or '"' not in text:
            return set()
        unquoted = measure(_STRAIGHT_QUOTED.sub(" ", text), self.profile.lang_)
        return {name for name in used if unquoted.get(name, 0.0) <= 0}

    def habit_reasons(self, style: dict[str, float], broken: dict[str, float], reasons: list[Reason],
                      text: str | None = None) -> list[Reason]:
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
                message = said.message if said else _register_message(self.profile, style, self.lang, text)
            elif name in self.always:
                said = next((r for r in reasons if r.feature == name), None)
                message = said.message if said else self._missing(self.index[name])
            else:
                said = next((r for r in reasons if r.feature == name), None)
                # a rule is the brand's in every channel: said with the brand's figure, not the channel's
                message = (said.message if said and self.channel is None
                           else self._rare(self.index[name], style, text, whole=True))
            if said is not None:
                reasons = [r for r in reasons if r is not said]
            if message:
                # the brand's figure, as the message gives it (a mark of every post's had been 0)
                voice = (round(said.voice, 2) if said and isinstance(said.voice, float)
                         else round(self.medians[self.index[name]], 2) if name in self.always else 0.0)
                first.append(Reason(name, "style", message, round(style[name], 2), voice, "error"))
        return [*first, *reasons]  # cut to MAX_REASONS by score_features, once the order is final

    def other_language(self, text: str, style: dict[str, float], marked: str | None = None) -> Reason | None:
        """A reason when the draft is plainly in another language than the brand's.

        Said first because it explains the rest: every other measure then compares writing in
        two languages. A draft marked (``lang``) as another language is taken at its word. A
        draft that uses the brand's language's function words as often as most brand posts do is
        in that language, and is not checked further; otherwise only a clear answer from
        ``detect_language`` (the draft's own words or script) gives a reason, or, between the
        two first-class languages, the other one's function words with none of the brand's
        (``_other_first_class``): a short draft has too few marker words for ``detect_language``. When
        those say only that it is not the brand's language, the reason says so without naming one
        (``draft`` is ``und``, undetermined): they had called Spanish Italian and German English.
        """
        from .language import detect_language

        brand = self.profile.lang_
        names = {"brand": language_name(brand, self.lang)}
        if marked and marked != brand:
            return Reason("language", "lexical", self.say["marked"].format(
                language=language_name(marked, self.lang), code=marked, **names), marked, brand, "error")
        if self.function_word_floor > 0 and style.get("function_word_share", 0.0) >= self.function_word_floor:
            return None
        lang = detect_language([text]) or _other_first_class(text, brand)
        if lang is None or lang == brand:
            return None
        if lang == UNDETERMINED:
            return Reason("language", "lexical", self.say["written_another"].format(**names), lang, brand, "error")
        return Reason("language", "lexical", self.say["written"].format(language=language_name(lang, self.lang),
                                                                         **names), lang, brand, "error")

    def reasons(self, text: str, style: dict[str, float], dimensions: dict[str, float], flagged: Sequence[int],
                tails: Sequence[float], new_marks: Mapping[str, Sequence[str]] | None = None) -> list[Reason]:
        """``flagged``: the features whose tail (in ``tails``, one per feature) is at most 0.10; ``new_marks``:
        the draft's emoji and hashtags the brand never used (``marks_.new_in``)."""
        from .lexical import content_words, new_word_rate, vocabulary_words
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
            if name in _SPELLING_TWIN and (direction == "fewer" or self.nonzero[j] >= self.nonzero[
                    self.index[_SPELLING_TWIN[name]]]):
                # Only the other side's spelling is a slip: "American spellings ('colors', 'gray'): 4 in 35 words"
                # led the reasons of a draft in a US brand's own spelling (a brand manager's review), and a draft
                # with none of the list's words differs from the brand in nothing
                continue
            label, unit = self._label(j, text, style), self.words[j][1]
            say, lang = self.say, self.lang
            is_rate = name.endswith("_rate")
            # The voice card's own figure: the median where most posts show the habit ("typically 3.2"),
            # the mean of a habit most posts lack (whose median is 0)
            by_mean = is_rate and self.nonzero[j] <= 0.5
            typical = self.means[j] if by_mean else median
            if is_rate and not by_mean and x > 0 and abs(x - typical) * style.get("words", 0.0) < 100.0 \
                    and name not in _REGISTER_RATES:
                # Less than one mark apart over the draft's length is no difference a writer could make: "0.29
                # dashes per 100 words; the brand's press releases have 0.34" (one dash in a 350-word release)
                # had been a warning on every long draft, pushing its real reasons out (an insurer's review).
                # None at all is: a 17-word caption without the '!' of 85% of the brand's TikTok posts lost 21
                # points with no reason given (a gelato chain's review)
                continue
            if not is_rate and typical and abs(x - typical) < REASON_MIN_RELATIVE * abs(typical):
                # An average within a few percent of the brand's is no difference a reader sees, however rare among
                # the brand's posts (a long text's averages hardly vary): "4.2 letters per word; the brand's blog
                # posts have 4.4" was the main reason, an error, of a faithful blog post (a content head's review)
                continue
            if self.by_register and name in _REGISTER_RATES:
                if register_done:
                    continue
                msg = _register_message(profile, style, self.lang, text)
                if msg is None:
                    continue
                register_done = True
                message = msg
                foreign = _register_tail(profile, style)
                if foreign is not None:  # as rare as the brand's posts that address readers so, and named so
                    name, tail = foreign[0], min(tail, foreign[1])
                    x, typical = style[name], self.means[self.index[name]]
            elif is_rate and self.nonzero[j] < 0.02 and direction == "more":
                message = self._rare(j, style, text)
            elif is_rate and direction == "fewer" and x == 0:
                message = say["none" if by_mean else "none_typical"].format(
                    label=label, in_share=percent_after(100 * self.nonzero[j], "in", self.lang),
                    typical=_rate_text(typical, lang), unit=unit)
            elif counted := self._counted(j, style):
                message = say["value_counted"].format(label=label, unit=unit, **counted,
                                                      typical="0" if typical == 0 else _rate_text(typical, lang))
            else:
                shown = f" {unit}" if unit and unit != label else ""
                show = (count if name == "words" else _ratio_text if name == "lexical_diversity"
                        else _rate_text if is_rate else number)
                if name == "readability":  # Flesch's formula passes 100 on very plain text; its scale is 0-100
                    x = min(max(x, 0.0), 100.0)
                # A score on a scale (readability, diversity) reads "Gulpease: 45" in Italian, not "45 Gulpease".
                named = not unit or name in ("readability", "gulpease")
                value_text, typical_text = _told_apart(show, x, typical, self.lang)
                message = say["value_named" if named else "value"].format(
                    value=value_text, label=label, unit=shown,
                    typical="0" if typical == 0 else typical_text)  # never "0.0": it is none
            scored.append((-math.log(max(tail, 1e-6)), -math.log(max(tail, 1e-300)),
                           Reason(name, "style", message, round(x, 2), round(typical, 2), _severity(tail))))

        foreign = _register_tail(profile, style) if self.by_register and not register_done else None
        if foreign is not None and foreign[1] <= 0.10:
            # A draft in 'voi' for a brand that writes 'tu' in 98% of its posts that address readers had no such
            # reason: some of the brand's posts hold a 'vi' or a 'voi' beside the 'tu', so the rate's tail was not
            # small (a library review). How rarely the brand addresses readers so is the evidence.
            name, tail = foreign
            x = style[name]
            scored.append((-math.log(max(tail, 1e-6)), -math.log(max(tail, 1e-300)), Reason(
                name, "style", _register_message(profile, style, self.lang, text), round(x, 2),
                round(self.means[self.index[name]], 2), _severity(tail))))
        new_marks = new_marks or {}
        scored.extend(self.new_marks(new_marks))
        lex = dimensions.get("lexical", 100.0)
        words, common = vocabulary_words(text)
        if new_marks.get("hashtags"):  # '#ootd' is named as a new hashtag, not again as the new word 'ootd'
            named_tags = {w for tag in new_marks["hashtags"] for w in content_words(tag)}
            common = [w for w in common if w not in named_tags]
        unseen = profile.words_.unseen(common)
        rate = new_word_rate(common, len(words), profile.words_.brand_df_)
        q = self.unseen_quantiles
        tail = (101 - bisect.bisect_left(q, rate)) / 102.0 if rate > q[50] else 1.0
        if unseen and tail <= 0.10:
            # Function words the brand happens not to use ('sui', 'dove') say less than its missing vocabulary.
            plain = function_words(profile.lang_)
            # Counted as the draft's other reasons count: "must-have" once, of its words (a hashtag is none), the
            # words named; "8 words in 22" beside "2 in 20 words", and "4 words" under three named, had read as
            # two drafts (an Italian agency's review)
            named = _whole_compounds([w for w in unseen if w not in plain] or unseen, text)
            message = self.vocabulary_message(named[:5], rate, q[50], int(style.get("words", 0)) or len(words),
                                              new=len(named))
            scored.append((-math.log(max(tail, 1e-6)), 0.0, Reason("vocabulary", "lexical", message, round(rate, 1),
                                                             round(q[50], 1), _severity(tail))))
        elif lex < BORDERLINE_BELOW:
            tail = max(lex / 100.0, 1e-4)
            scored.append((-math.log(tail), 0.0, Reason("phrasing", "lexical",
                                                   self.say["phrasing"].format(typical_of=_typical_of(lex, self.lang)),
                                                   lex, None, _severity(tail))))
        sem = dimensions.get("semantic", 100.0)
        if sem < BORDERLINE_BELOW:
            tail = max(sem / 100.0, 1e-4)
            scored.append((-math.log(tail), 0.0, Reason("topic_and_tone", "semantic",
                                                   self.say["topic"].format(typical_of=_typical_of(sem, self.lang)),
                                                   sem, None, _severity(tail))))
        scored.sort(key=lambda t: (-t[0], -t[1]))
        return [r for _, _, r in scored]  # cut to MAX_REASONS by score_features, once the order is final


_REGISTER_RATES = frozenset(("tu_rate", "voi_rate", "lei_rate"))
#: An average (letters per word, sentence length, variety of words...) this close to the brand's, relatively, is
#: no reason.
REASON_MIN_RELATIVE = 0.05
# The persons a style feature counts (``style.address_words``' keys), whose words a reason quotes: a rule against
# 'io' said "1 in 14 words" of a caption whose one such word was the idiom a reader had to guess (a gelato
# chain's review).
_PERSON_OF = {"first_singular_rate": "i", "first_plural_rate": "we", "second_person_rate": "you", "io_rate": "io",
              "noi_rate": "noi"}

#: The two sides of English spelling: a draft is told of the side the brand writes less, never of its own.
_SPELLING_TWIN = {"british_spelling_rate": "american_spelling_rate", "american_spelling_rate": "british_spelling_rate"}

_COMPOUND = re.compile(r"\w+(?:-\w+)+")


def _whole_compounds(words: Sequence[str], text: str) -> list[str]:
    """``words`` with each piece of a hyphenated compound of ``text`` named as the compound, once: 'game-changer',
    not 'game' and 'changer', which the reader would look for in the draft in vain."""
    whole: dict[str, str] = {}
    for compound in _COMPOUND.findall(text):
        for piece in compound.lower().split("-"):
            whole.setdefault(piece, compound.lower())
    return list(dict.fromkeys(whole.get(w, w) for w in words))


def restate_reason(reason: Mapping[str, Any], lang: str) -> str | None:
    """A stored reason's message in ``lang``, rebuilt from its fields rather than its words.

    Why: the service stores each scored post with its reasons in the language asked for
    then; a drift report in the other language shows its examples' reasons restated, shorter
    (the feature, the draft's and the brand's value), rather than in two languages at once.
    None for a reason this version does not know how to restate.
    """
    from .style import FEATURES

    say = _SAY[lang]
    feature, draft, voice = reason.get("feature"), reason.get("draft"), reason.get("voice")
    if feature in {f.name for f in FEATURES} and isinstance(draft, (int, float)):
        label, unit = feature_words(feature, lang)
        shown = f" {unit}" if unit and unit != label else ""
        brand = number(voice, lang) if isinstance(voice, (int, float)) else "-"
        return say["restated_style"].format(label=label[0].upper() + label[1:], draft=number(draft, lang), unit=shown,
                                            voice=brand)
    if feature == "vocabulary" and isinstance(draft, (int, float)) and isinstance(voice, (int, float)):
        return say["restated_vocabulary"].format(draft=f"{draft:.0f}", voice=f"{voice:.0f}")
    if feature in say["restated_marks"] and isinstance(draft, str) and isinstance(voice, (int, float)):
        often = say["new_marks"]["under_1"] if voice < 1 else percent_after(voice, "in", lang)
        return say["restated_marks"][feature].format(draft=draft, in_share=often)
    if feature in ("phrasing", "topic_and_tone") and isinstance(draft, (int, float)):
        return say["phrasing" if feature == "phrasing" else "topic"].format(typical_of=_typical_of(draft, lang))
    if feature == "language" and draft == UNDETERMINED and isinstance(voice, str):
        return say["written_another"].format(brand=language_name(voice, lang))
    if feature == "language" and isinstance(draft, str) and isinstance(voice, str):
        return say["written"].format(language=language_name(draft, lang), brand=language_name(voice, lang))
    return None


def _other_first_class(text: str, brand: str) -> str | None:
    """The other first-class language when ``text`` uses none of ``brand``'s function words and 3+ different
    ones of its own, or its letters say so clearly (``first_class_by_letters``); ``UNDETERMINED`` when a
    third language's function words come as close (``leads_other_languages``).

    Only words the two lists do not share count ('a' and 'in' are both English and Italian),
    each once and of two letters or more ("e-bikes, e-scooters, e-cargo" is not three Italian
    'e'): "Grazie per averci scritto, ti rispondiamo subito con i dettagli" is Italian
    for an English brand. ``detect_language`` needs more marker words than a short draft has.
    Both tests know English and Italian only: a Spanish draft has Italian's 'la', 'con', 'del' and
    letters, a German one English letters. Such a draft is still not in the brand's language, but
    which language it is in they cannot say (a library review).
    """
    from .language import FIRST_CLASS, first_class_by_letters, leads_other_languages
    from .lexical import content_words
    from .style import function_words

    if brand not in FIRST_CLASS:
        return None
    other = next(code for code in FIRST_CLASS if code != brand)
    own, theirs = function_words(brand), function_words(other)
    words = content_words(text)
    if any(w in own and w not in theirs for w in words):
        return None
    if (len({w for w in words if len(w) > 1 and w in theirs and w not in own}) < 3
            and first_class_by_letters(text) != other):
        return None
    return other if leads_other_languages(text, other) else UNDETERMINED


# A span in straight double quotes on one line: someone quoted, or emphasis.
_STRAIGHT_QUOTED = re.compile(r'"[^"\n]{1,400}"')
_REGISTER_FEATURES = frozenset(("tu_rate", "voi_rate", "lei_rate"))


def _address(profile: VoiceProfile, style: Mapping[str, float]) -> tuple[str, str | None, dict[str, float],
                                                                         dict[str, float]]:
    """How the brand and the draft address readers: the brand's leading form, the form the draft uses most of those
    under 20% of the brand's addressing posts (None: none), the brand's shares and the draft's rates, by form."""
    from .style import ADDRESS_FORMS as names

    shares = {f: profile.register_.get(f, 0.0) for f in names}
    brand = max(names, key=lambda f: shares[f])
    forms = {f: style.get(f"{f}_rate", 0.0) for f in names}
    foreign = [f for f in names if forms[f] > 0 and shares[f] < 0.2 and f != brand]
    return brand, max(foreign, key=lambda f: forms[f]) if foreign else None, shares, forms


def _register_tail(profile: VoiceProfile, style: Mapping[str, float]) -> tuple[str, float] | None:
    """The form of address the draft uses that the brand hardly uses (``_address``), with how rarely the brand's
    posts that address readers use it ((k + 1) / (n + 2)); None when there is none."""
    _, used, shares, _ = _address(profile, style)
    if used is None:
        return None
    n = profile.register_.get("n", 0)
    return f"{used}_rate", (shares[used] * n + 1.0) / (n + 2.0)


def _register_message(profile: VoiceProfile, style: dict[str, float], lang: str,
                      text: str | None = None) -> str | None:
    """Say how the draft addresses the reader when the brand addresses it otherwise, naming the draft's words
    ("uses 'tu' ('hai', 'passa')"): a slip in one clause of a long post is otherwise hard to find."""
    from .style import ADDRESS_FORMS as names, address_words

    brand, used, shares, forms = _address(profile, style)
    if used is None:
        if forms[brand] <= 0 and max(forms.values()) <= 0:
            return _SAY[lang]["no_address"].format(form=names[brand], n=count(profile.register_.get("n", 0), lang))
        return None
    words = address_words(text, profile.lang_).get(used, []) if text else []
    shown = f" ({', '.join(repr(w) for w in words[:5])})" if words else ""
    return _SAY[lang]["other_address"].format(used=names[used], words=shown, form=names[brand],
                                              in_share=percent_after(100 * shares[brand], "in", lang))
