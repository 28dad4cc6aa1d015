"""The VoiceProfile: what voicecheck learned about one brand's writing.

It follows scikit-learn's estimator conventions: ``__init__`` stores parameters,
``fit`` learns and returns ``self``, learned state ends in ``_``. Three families of
evidence are learned, each as a linear model of "the brand" against "everyone
else" (the shipped background plus any contrast writing):

- ``semantic``: sentence embeddings (topic and tone);
- ``style``: measurable habits (sentence length, punctuation, person, register...);
- ``lexical``: hashed character and word n-grams (spelling, phrasing, vocabulary).

Family scores are fused by a small logistic model. Every model is fitted on folds
so that the brand's own posts get honest, out-of-fold scores: those calibrate the
0-100 score ("S% of the brand's own posts look less typical than this draft").

On disk a profile is a folder of JSON and ``.npy`` arrays with a manifest of
SHA-256 digests; loading never unpickles and refuses edited or partial folders.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import numbers
import os
import re
import shutil
import tempfile
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import __version__
from .documents import Document, as_documents, same_text
from .features import Features, extract_features  # noqa: F401 - re-exported
from .errors import (InputError, NotFittedError, ProfileError, ProfileFormatError, ProfileNotFoundError,
                     ProfileUnreadableError, TooLittleDataError, VoicecheckWarning)
from .language import check_language, detect_language, language_name
from .channels import (CHANNEL_MIN_POSTS, ChannelStyle, channel_key, learn_channels, small_channels,
                       with_calibrations)
from .marks import BrandMarks

if TYPE_CHECKING:
    from .embedding import Embedder

__all__ = ["VoiceProfile", "check_profile_target", "restore_interrupted_save", "discard_replaced_copies",
           "FORMAT_VERSION", "MIN_DOCUMENTS", "CONFIDENT_DOCUMENTS", "FAMILIES"]

#: The format a profile is saved in. 2 added the short texts' scale (short_calibration.npy), which a reader of
#: format 1 would drop without a word, scoring short drafts on another scale under the same version; 3 the scale of
#: each channel kept apart (its posts' out-of-fold scores, in profile.json), which a reader of format 2 would drop.
FORMAT_VERSION = 3
#: The formats this voicecheck reads: a format-1 profile scores every draft on the scale of posts, a format-2 one
#: every draft of a channel on the scale of all the brand's posts.
READS_FORMATS = (1, 2, 3)
#: Fewer brand documents than this and ``fit`` refuses to learn.
MIN_DOCUMENTS = 20
#: Fewer than this (or fewer than ``CONFIDENT_WORDS``) and the profile is marked low-confidence.
CONFIDENT_DOCUMENTS = 100
CONFIDENT_WORDS = 2000
#: Share of a brand's documents repeating others word for word from which learning warns.
REPEATS_WORTH_A_WARNING = 0.05
#: The drift test's per-brand tolerance is measured on the latest fold only when it holds this many posts.
LATER_WRITING_MIN = 20
#: ... and never taken stricter than this (6.7% of the brand's later posts off-voice): the latest fold directly
#: follows the posts it is judged against, while new posts come weeks or months after the profile was learned.
LATER_WRITING_MAX = 0.9
FAMILIES = ("semantic", "style", "lexical")

_FILES = ("profile.json", "words.json", "lexical_idf.npy", "lexical_coef.npy", "semantic_coef.npy",
          "style_coef.npy", "style_center.npy", "style_scale.npy", "style_quantiles.npy",
          "calibration.npy")
#: Files a profile may lack: learned before they existed, it works without them.
_OPTIONAL_FILES = ("learned_texts.npy", "short_calibration.npy", "channel_quantiles.npy")
#: Short drafts are placed among the brand's own short texts: the first sentences of its longer posts. Only when
#: there are this many such sentences, and the brand's posts run at least SHORT_RATIO times as long as them.
SHORT_MIN_TEXTS = 20
SHORT_RATIO = 1.5
SHORT_POSTS = 10  # the percentile of the brand's post lengths from which a draft is read as a post
SHORT_MAX_SHARE = 0.6  # a first sentence counts as a short text when it holds at most this share of its post
LONGEST_AT = 99  # the percentile of the brand's post lengths past which a draft is no more like it for its length


class VoiceProfile:
    """A brand's voice, learned from its own writing.

    >>> profile = VoiceProfile(name="acme").fit(documents)      # doctest: +SKIP
    >>> profile.save("models/acme")                               # doctest: +SKIP
    """

    def __init__(self, *, name: str = "voice", lang: str = "auto", folds: int = 5, random_state: int = 0,
                 use_background: bool = True) -> None:
        self.name = name
        self.lang = lang
        self.folds = folds
        self.random_state = random_state
        self.use_background = use_background

    # ------------------------------------------------------------------ learning
    def fit(self, documents: Sequence[Document | str], contrast: Sequence[Document | str] | None = (), *,
            embedder: Embedder | None = None, progress: Callable[[int], None] | None = None,
            warn: bool = True) -> VoiceProfile:
        """Learn the voice of ``documents``; ``contrast`` is writing that is NOT the brand.

        Documents marked (``lang``) as another language than the profile's are left out;
        ``warnings_`` then lists what the user should know about the writing learned (low
        confidence, other languages, habits a few posts keep from being rules). Each is also
        emitted as a ``VoicecheckWarning`` unless ``warn`` is False (the command line and the
        service print or return them instead), and they are saved with the profile.

        Raises ``TooLittleDataError`` (with the numbers) when there is too little
        writing, and ``LanguageError`` when the language is unknown or unclear.
        """
        from .embedding import load_embedder, model_for_language

        # contrast=None is the idiomatic "no contrast writing": it was a TypeError (a library review)
        documents, contrast = as_documents(documents), as_documents(() if contrast is None else contrast)
        # Empty texts (a post of only an image) are no writing: left out and said, as the corpus reader does; they
        # were learned as posts, and the only warning blamed "repeats" (a library review)
        self.n_empty_ = sum(1 for d in documents if not d.text.strip())
        # In one order whatever order they came in: the same posts from a query without ORDER BY gave another
        # version, and every result stored under the first was left out of drift reports (a library review)
        documents = sorted((d for d in documents if d.text.strip()), key=_canonical_order)
        contrast = sorted((d for d in contrast if d.text.strip()), key=_canonical_order)
        _check_name(self.name)
        if isinstance(self.folds, numbers.Integral) and not isinstance(self.folds, bool):
            self.folds = int(self.folds)  # a numpy integer from a configuration table (refused: a library review)
        if isinstance(self.random_state, numbers.Integral) and not isinstance(self.random_state, bool):
            self.random_state = int(self.random_state)
        if isinstance(self.folds, bool) or not isinstance(self.folds, int) or self.folds < 2:
            raise InputError(f"folds must be a whole number of at least 2, got {self.folds!r}", field="folds")
        if not isinstance(self.use_background, (bool, np.bool_)):  # "no" is truthy: it learned with it
            raise InputError(f"use_background must be True or False, got {self.use_background!r}",
                             field="use_background")
        if isinstance(self.random_state, bool) or not isinstance(self.random_state, int) or self.random_state < 0:
            raise InputError(f"random_state must be a whole number of at least 0, got {self.random_state!r}",
                             field="random_state")
        self._check_enough([d.text for d in documents])
        lang = self._resolve_language([d.text for d in documents], [d.lang for d in documents])
        # Posts marked as another language (a bilingual brand's English posts) are not this profile's writing.
        documents, left_out = _in_language(documents, lang)
        contrast, contrast_left_out = _in_language(contrast, lang)
        brand = [d.text for d in documents]
        own = {same_text(t) for t in brand}
        # A text cannot be both the brand and not the brand: given as contrast too (`--contrast` on a folder
        # that also holds the brand's file), it would teach the models to score the brand's writing low.
        kept = [d for d in contrast if same_text(d.text) not in own]
        self.n_contrast_dropped_ = len(contrast) - len(kept)
        contrast, other = kept, [d.text for d in kept]
        self.n_other_language_ = dict(left_out)
        self.n_contrast_other_language_ = sum(contrast_left_out.values())
        if left_out:
            self._check_enough(brand, left_out=sum(left_out.values()))
        if embedder is None:
            embedder = load_embedder(model_for_language(lang))
        feats = extract_features(brand + other, lang, embedder, progress=progress)
        dates = [d.date for d in documents]
        self.fit_features(feats.take(slice(0, len(brand))), feats.take(slice(len(brand), None)),
                          lang=lang, embedder=embedder, dates=dates, sources=[d.source for d in documents],
                          channels=[d.channel for d in documents])
        self.version_ = self._writing_version(documents, contrast)
        self.warnings_ = self._learning_warnings(brand)
        first = _first_of_each(brand)
        self.warnings_ += _near_rules(feats.style[first], self.style_names_, [documents[i].label for i in first],
                                      [brand[i] for i in first], lang)
        if warn:  # a library caller who never reads warnings_ still hears "low confidence"
            for note in self.warnings_:
                warnings.warn(note, VoicecheckWarning, stacklevel=2)
        return self

    def _learning_warnings(self, brand: Sequence[str]) -> list[str]:
        """What the user should know about the writing just learned (the CLI prints them, the service returns them)."""
        from .language import detect_language, other_languages

        notes = []
        if getattr(self, "n_empty_", 0):
            n = self.n_empty_
            notes.append(f"{n} document{' was' if n == 1 else 's were'} empty (a post of only an image?) and "
                         f"{'was' if n == 1 else 'were'} left out")
        if self.n_contrast_dropped_:
            notes.append(f"{self.n_contrast_dropped_} of the contrast documents are also in the brand's writing and "
                         "were left out of the contrast (was the brand's own writing given as contrast too?)")
        if self.n_other_language_:
            n = sum(self.n_other_language_.values())
            which = ", ".join(f"{c} {language_name(code)}" for code, c in self.n_other_language_.items())
            notes.append(f"{n} document{'' if n == 1 else 's'} marked as another language ({which}) "
                         f"{'was' if n == 1 else 'were'} left out: the profile learns {self.language_name} only")
        if getattr(self, "n_contrast_other_language_", 0):
            n = self.n_contrast_other_language_
            notes.append(f"{n} of the contrast documents {'is' if n == 1 else 'are'} marked as another language "
                         f"and {'was' if n == 1 else 'were'} left out of the contrast: the profile learns "
                         f"{self.language_name} only")
        found = [detect_language([t]) for t in brand]  # once, for both warnings
        mixed = other_languages(brand, self.lang_, found=found)
        if mixed:
            what = " and ".join(f"{100 * share:.0f}% of the documents look {language_name(code)}"
                                for code, share in mixed.items())
            advice = ("check the language asked for" if self.lang not in (None, "", "auto")
                      and sum(mixed.values()) > 0.5
                      else "split the writing by language, one profile each, or mark each post's lang")
            notes.append(f"a profile learns one language, but {what}, not {self.language_name}: {advice}")
        few = {code: share for code, share in other_languages(brand, self.lang_, min_share=0.0, min_texts=2,
                                                              found=found).items() if code not in mixed}
        if few:  # too few to blur the voice much, but the user may not know they are there
            n = round(sum(few.values()) * len(brand))
            what = " and ".join(language_name(code) for code in few)
            example = next(t for t, code in zip(brand, found) if code in few)
            notes.append(f"{n} documents look {what}, not {self.language_name} (the first: "
                         f"{_quoted_start(example)}): they were learned as the brand's writing; mark their lang to "
                         "leave them out")
        repeats = self.n_documents_ - self.n_distinct_
        if repeats and repeats >= REPEATS_WORTH_A_WARNING * self.n_documents_:
            notes.append(f"{repeats} of the {self.n_documents_} documents repeat others word for word: the profile "
                         f"counts {self.n_distinct_} different posts (was a file given twice, or are these reposts?)")
        small = getattr(self, "small_channels_", None)
        if small:  # a newsletter compared with captions says "too long" of the brand's own newsletters
            which = ", ".join(f"'{label}' ({n})" for label, n in small.items())
            notes.append(f"channels with fewer than {CHANNEL_MIN_POSTS} different posts: {which}; their drafts are "
                         "scored among and explained against all the brand's posts, not those of their channel")
        if self.low_confidence_:
            documents = (f"{self.n_distinct_} different documents" if repeats else f"{self.n_documents_} documents")
            notes.append(f"low confidence: {documents} and {self.n_words_:,} words; "
                         f"{CONFIDENT_DOCUMENTS}+ documents and {CONFIDENT_WORDS:,}+ words give a reliable profile")
        return notes

    def _check_enough(self, brand: Sequence[str], *, left_out: int = 0) -> None:
        """At least MIN_DOCUMENTS different texts: the same file given twice is not twice the writing."""
        n_words = sum(len(t.split()) for t in brand)
        distinct = len(_first_of_each(brand))
        if distinct < MIN_DOCUMENTS:
            repeated = f", {len(brand) - distinct} of them repeats of others" if distinct < len(brand) else ""
            if left_out:
                repeated += f"; {left_out} more marked as another language were left out"
            raise TooLittleDataError(
                f"too little writing to learn a voice: {len(brand)} document{'' if len(brand) == 1 else 's'} "
                f"({n_words:,} word{'' if n_words == 1 else 's'}{repeated}); "
                f"at least {MIN_DOCUMENTS} different documents are needed and {CONFIDENT_DOCUMENTS}+ "
                f"(about {CONFIDENT_WORDS:,}+ words) give a confident profile")

    def _resolve_language(self, brand: Sequence[str], labels: Sequence[str | None] = ()) -> str:
        """The language asked for; else the one most posts are marked with (when most are); else detected."""
        lang = self.lang
        marked = Counter(label for label in labels if label)
        if lang in (None, "", "auto") and marked and 2 * sum(marked.values()) >= len(brand):
            lang, n = marked.most_common(1)[0]
            try:
                return check_language(lang)
            except ValueError as e:  # the documents' own "lang" is what is wrong, not an argument
                from .errors import LanguageError
                raise LanguageError(f"{n} of the {len(brand)} documents are marked with lang {lang!r} (their "
                                    f"\"lang\" field), which decides the profile's language: {e}; mark them "
                                    "with a supported language or give the language to learn in") from None
        elif lang in (None, "", "auto"):
            lang = detect_language(brand)
            if lang is None:
                from .errors import LanguageError
                raise LanguageError(_unclear_language(brand))
        return check_language(lang)

    def fit_features(self, brand: Features, contrast: Features | None = None, *, lang: str | None = None,
                     embedder, dates: Sequence[dt.datetime | None] | None = None,
                     sources: Sequence[str | None] | None = None,
                     channels: Sequence[str | None] | None = None) -> VoiceProfile:
        """Learn from already extracted features (``fit`` and the evaluation use this).

        ``channels`` (one per brand text, where known): a channel with enough of the brand's posts is kept
        apart too, so that a draft of it is explained against the brand's writing there (``channels``).

        ``sources`` (one per brand text, where known): the ``source`` labels the profile learned from, which
        a drift report reads before it advises learning again from the posts that drifted.

        ``dates`` (one per brand text) make the calibration folds contiguous in time,
        so that the brand's own scores reflect posts written later than the rest.
        """
        from .background import background_features, background_voices
        from .embedding import installed_model_identity
        from .lexical import NgramFeaturizer, WordStats
        from .style import feature_names, measurement_fingerprint

        self._check_enough(brand.texts)
        lang = check_language(lang) if lang else self._resolve_language(brand.texts)
        contrast = contrast if contrast is not None and len(contrast) else None
        bg = background_features(lang, embedder) if self.use_background else None
        neg_parts = [p for p in (contrast, bg) if p is not None]
        neg = Features.concat(neg_parts) if neg_parts else None
        # Who wrote each negative, where known: the background's voices (contrast writing: spread at random;
        # keeping each contrast voice in one fold, as the background's are, was measured and not kept:
        # docs/accuracy.md).
        neg_voices = ([None] * (len(contrast) if contrast is not None else 0)
                      + (list(background_voices(lang)) if bg is not None else []))
        pos = brand

        self.lang_ = lang
        self.embedding_model_ = dict(getattr(embedder, "identity", None) or installed_model_identity(embedder.name))
        self.n_documents_ = len(pos)
        # Repeats are not more writing: confidence, the habit rules and "in none of its N posts" count
        # different posts (a corpus of 40 posts given four times is 40 posts).
        first = _first_of_each(pos.texts)
        self.n_distinct_ = len(first)
        self.n_words_ = sum(len(pos.texts[i].split()) for i in first)
        self.n_contrast_ = len(contrast) if contrast is not None else 0
        self.n_background_ = len(bg) if bg is not None else 0
        self.style_names_ = feature_names(lang)
        self.style_fingerprint_ = measurement_fingerprint(lang)
        self.low_confidence_ = self.n_distinct_ < CONFIDENT_DOCUMENTS or self.n_words_ < CONFIDENT_WORDS
        self.learned_at_ = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
        # The days of the writing it learned from, not of the learning: a report's advice to learn again names them
        days = sorted(_utc_day(d) for d in (dates if dates is not None else ()) if d is not None)
        self.learned_period_ = [days[0], days[-1]] if days else None
        # Only when every post says where it comes from: otherwise some of the writing learned is of no source
        known = [s for s in (sources if sources is not None else ()) if s]
        self.learned_sources_ = sorted(set(known)) if known and len(known) == len(brand) else None
        self.learned_texts_ = _learned_keys(pos.texts, dates)  # every copy, with its own date
        # Nor are repeats more writing for the models: two copies of a post in two calibration folds scored each
        # other "out of fold", so the brand's own scores rose and new drafts fell (the same file given twice:
        # 13 of 60 agency drafts off-voice instead of 2, a code review). The first of each is kept.
        if len(first) < len(pos):
            pos = pos.take(first)
            dates = [dates[i] for i in first] if dates is not None else None
            channels = [channels[i] for i in first] if channels is not None else None
        self.channels_ = learn_channels(pos.style, channels) if channels is not None else []
        self.small_channels_ = small_channels(channels) if channels is not None else {}
        self.words_ = WordStats().fit(pos.texts, neg.texts if neg is not None else [])

        # Style scale: robust centre and spread of the brand's own (log-scaled) habits.
        z_brand = _style_transform(pos.style, self.style_names_)
        self.style_center_ = np.median(z_brand, axis=0)
        mad = np.median(np.abs(z_brand - self.style_center_), axis=0) * 1.4826
        std = z_brand.std(axis=0)
        self.style_scale_ = np.where(mad > 1e-6, mad, np.where(std > 1e-6, std, 1.0))
        self.style_quantiles_ = np.percentile(pos.style, np.arange(101), axis=0).T.copy()  # features x 101
        self.style_means_ = pos.style.mean(axis=0)
        self.style_nonzero_ = (pos.style > 0).mean(axis=0)
        self.register_ = _register_shares(pos.style, self.style_names_)  # each different post once (above)

        featurizer = NgramFeaturizer().fit(list(pos.texts) + (list(neg.texts) if neg is not None else []))
        self.lexical_idf_ = featurizer.idf_
        folds = self._brand_folds(len(pos), dates)
        self.unseen_quantiles_ = _unseen_word_quantiles(pos.texts, folds)
        self.marks_ = BrandMarks().fit(pos.texts, folds)
        short, short_folds = self._short_texts(pos, folds, embedder, channels)
        if neg is not None and len(neg) >= 10:
            scales = self._fit_discriminative(pos, neg, featurizer, folds, neg_voices, short, short_folds)
        else:
            scales = self._fit_one_class(pos, featurizer, folds, short, short_folds)
        own = scales[:, -1]
        if self.channels_:  # a draft of a channel kept apart is placed among the brand's posts there too
            self.channels_ = with_calibrations(self.channels_, channels, scales)
        dated = dates is not None and len(dates) == len(pos) and all(d is not None for d in dates)
        views = [self.channel_style(c) for c in channels] if self.channels_ else None  # as new posts are scored
        self.drift_null_exponent_ = (self._later_writing_exponent(own, folds, self.word_counts(pos.style), views)
                                     if dated else None)
        # Why it was not measured, for the report to say (not "undated" when the dates were there)
        self.drift_null_reason_ = (None if self.drift_null_exponent_ is not None
                                   else "few-recent" if dated else "undated")
        self.version_ = self._content_version()
        return self

    def word_counts(self, style: np.ndarray) -> np.ndarray:
        """Each text's word count, from its style features (``calibrate`` reads a draft's length from it)."""
        return np.asarray(style)[:, list(self.style_names_).index("words")]

    def _short_texts(self, pos: Features, folds: np.ndarray, embedder,
                     channels: Sequence[str | None] | None = None) -> tuple[Features | None, np.ndarray]:
        """The first sentences of the brand's longer posts, with their post's fold: the brand's own short texts.

        A short draft has fewer words, n-grams and sentences to match than a post, so against the brand's
        posts it scores low however it is written: the brand's own first sentences scored off-voice 48-99%
        of the time (Italian development voices, 28 November 2026). Scored out of fold like the posts, they
        calibrate short drafts (``calibrate``). None when the brand writes too few posts long enough.
        """
        from .features import extract_features
        from .style import measure_many

        self.short_calibration_, self.short_words_ = None, None
        words = self.word_counts(pos.style)
        picked = [(i, first) for i, text in enumerate(pos.texts)
                  if (first := _first_sentence(text, words[i])) is not None]
        if len(picked) < SHORT_MIN_TEXTS:
            return None, np.zeros(0, dtype=int)
        texts = [t for _, t in picked]
        short_words = float(np.median(measure_many(texts, self.lang_, ["words"])[:, 0]))
        # A channel of short posts kept apart (Stories beside captions) has its own scale: the other posts decide
        # whether the brand writes posts as short as a first sentence (a tea shop's own one-sentence captions were
        # off-voice 16 times in 27 without it: a brand manager's review)
        at = self.style_names_.index("words")
        short_channels = {c.key for c in self.channels_ if c.quantiles[at, 50] < SHORT_RATIO * short_words}
        keys = [channel_key(c) for c in channels] if channels is not None else [None] * len(words)
        rest = [w for w, key in zip(words, keys) if key not in short_channels]
        post_words = float(np.percentile(rest if rest else words, SHORT_POSTS))
        if post_words < SHORT_RATIO * short_words:  # checked before embedding them, which would be wasted
            return None, np.zeros(0, dtype=int)
        self.short_words_ = [short_words, post_words]
        short = extract_features(texts, self.lang_, embedder, style_names=self.style_names_)
        return short, folds[[i for i, _ in picked]]

    def _brand_folds(self, n: int, dates: Sequence[dt.datetime | None] | None) -> np.ndarray:
        """Fold of each brand text: contiguous blocks in time when every text is dated."""
        k = max(2, min(self.folds, n // 4))
        if dates is not None and len(dates) == n and all(d is not None for d in dates):
            order = np.argsort(np.array([d.timestamp() for d in dates]), kind="stable")
            folds = np.empty(n, dtype=int)
            folds[order] = np.arange(n) * k // n
            return folds
        rng = np.random.default_rng(self.random_state)
        return rng.permutation(np.arange(n) % k)

    def _later_writing_exponent(self, own: np.ndarray, brand_folds: np.ndarray, words: np.ndarray | None = None,
                                views: Sequence[ChannelStyle | None] | None = None) -> float | None:
        """How typical the brand's *later* writing stays: the drift test's tolerance for this brand.

        With time-contiguous folds, the latest fold is scored by a model of the
        earlier posts only: exactly the situation of new posts against a frozen
        profile. Their calibrated scores follow P(score < s) = (s/100)^a; the mean
        surprise -ln(score/100) estimates 1/a. A brand whose writing holds steady
        gets a near 1 (its own later posts look like the rest, and the drift test
        is sharp); one whose writing keeps moving gets a lower a (a more tolerant
        test, fewer false alarms). The estimate is taken at its upper one-SE bound
        (the tolerant side) and kept within [0.5, ``LATER_WRITING_MAX``]; ``None``
        when the latest fold is too small to tell (the drift test then uses its default).
        """
        from .typicality import SCORE_FLOOR

        at = brand_folds == brand_folds.max()
        latest = own[at]
        if len(latest) < LATER_WRITING_MIN:
            return None
        scores = np.clip(self.calibrate(latest, len(FAMILIES), None if words is None else words[at],
                                        None if views is None else [v for v, on in zip(views, at) if on]),
                         SCORE_FLOOR, 100.0)
        surprise = -np.log(scores / 100.0)
        bound = float(surprise.mean() + surprise.std(ddof=1) / np.sqrt(len(surprise)))
        return round(float(min(LATER_WRITING_MAX, max(0.5, 1.0 / bound))), 3)

    def _fit_discriminative(self, pos: Features, neg: Features, featurizer, brand_folds: np.ndarray,
                            neg_voices: Sequence[str | None], short: Features | None = None,
                            short_folds: np.ndarray | None = None) -> np.ndarray:
        """Brand against everyone else; returns the brand's out-of-fold scores (posts x families, then combined)."""
        from sklearn.linear_model import LogisticRegression

        n_pos, n_neg = len(pos.texts), len(neg.texts)
        y = np.r_[np.ones(n_pos), np.zeros(n_neg)]
        both = Features.concat([pos, neg])
        inputs = self._family_inputs(both, featurizer)
        k = int(brand_folds.max()) + 1
        fold_of = np.r_[brand_folds, _negative_folds(neg_voices, k, self.random_state)]
        extra = (self._family_inputs(short, featurizer), short_folds) if short is not None else None
        oof, oof_short = _out_of_fold(inputs, y, fold_of, FAMILIES, extra=extra)
        # Fusion: a small logistic model over the three out-of-fold family scores.
        fuse = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000)
        fuse.fit(oof, y)
        self.fusion_coef_ = fuse.coef_.ravel().astype(np.float64)
        self.fusion_intercept_ = float(fuse.intercept_[0])
        coefs = {}
        for fam in FAMILIES:
            model = _family_model(fam).fit(inputs[fam], y)
            coefs[fam] = np.r_[model.coef_.ravel(), model.intercept_].astype(np.float32)
        self.lexical_coef_ = coefs["lexical"]
        self.semantic_coef_ = coefs["semantic"]
        self.style_coef_ = coefs["style"]
        self.mode_ = "contrast" if self.n_contrast_ else ("background" if self.n_background_ else "contrast")
        combined = oof @ self.fusion_coef_ + self.fusion_intercept_
        self.calibration_ = _calibration_table(oof[:n_pos], combined[:n_pos])
        if oof_short is not None:
            self.short_calibration_ = _calibration_table(oof_short, oof_short @ self.fusion_coef_
                                                         + self.fusion_intercept_)
        return np.column_stack([oof[:n_pos], combined[:n_pos]])

    def _fit_one_class(self, pos: Features, featurizer, brand_folds: np.ndarray, short: Features | None = None,
                       short_folds: np.ndarray | None = None) -> np.ndarray:
        """No one else to compare with: typicality against the brand's own posts only (returns their out-of-fold
        scores, posts x families, then combined)."""
        inputs = self._family_inputs(pos, featurizer)
        short_inputs = self._family_inputs(short, featurizer) if short is not None else None
        n = len(pos.texts)
        oof = np.zeros((n, len(FAMILIES)))
        oof_short = np.zeros((len(short_folds), len(FAMILIES))) if short is not None else None
        for fold in range(int(brand_folds.max()) + 1):
            train, test = np.flatnonzero(brand_folds != fold), np.flatnonzero(brand_folds == fold)
            for j, fam in enumerate(FAMILIES):
                model = _centroid(inputs[fam][train])
                oof[test, j] = _centroid_score(model, inputs[fam][test], fam)
                if short_inputs is not None:
                    at = np.flatnonzero(short_folds == fold)
                    oof_short[at, j] = _centroid_score(model, short_inputs[fam][at], fam)
        coefs = {fam: _centroid(inputs[fam]) for fam in FAMILIES}
        self.lexical_coef_ = coefs["lexical"]
        self.semantic_coef_ = coefs["semantic"]
        self.style_coef_ = coefs["style"]
        spread = oof.std(axis=0)
        self.fusion_coef_ = 1.0 / np.maximum(spread, 1e-9)
        self.fusion_intercept_ = 0.0
        self.mode_ = "one-class"
        combined = oof @ self.fusion_coef_
        self.calibration_ = _calibration_table(oof, combined)
        if oof_short is not None:
            self.short_calibration_ = _calibration_table(oof_short, oof_short @ self.fusion_coef_)
        return np.column_stack([oof, combined])

    def _family_inputs(self, feats: Features, featurizer=None) -> dict[str, Any]:
        from .lexical import NgramFeaturizer

        if featurizer is None:
            featurizer = NgramFeaturizer()
            featurizer.idf_ = self.lexical_idf_
        z = (_style_transform(feats.style, self.style_names_) - self.style_center_) / self.style_scale_
        if "words" in self.style_names_:
            # No longer than the brand's longest: a linear model that learned "the brand writes longer than the
            # background" read a text longer than any of the brand's as ever more like it (a faithful blog post
            # pasted twice went from 47 to 83, a 4,000-word compilation scored 100: a content head's review).
            # Past the brand's range, length is said as a reason, not counted as a likeness.
            j = self.style_names_.index("words")
            longest = _style_transform(self.style_quantiles_[j:j + 1, LONGEST_AT].reshape(1, 1), ["words"])[0, 0]
            z[:, j] = np.minimum(z[:, j], (longest - self.style_center_[j]) / self.style_scale_[j])
        return {"semantic": feats.embeddings.astype(np.float32),
                "style": np.clip(z, -8, 8),
                "lexical": featurizer.transform(feats.texts, counts=feats.ngrams)}

    # ------------------------------------------------------------------ scoring
    def family_scores(self, feats: Features) -> np.ndarray:
        """Raw score of each family (texts x 3); higher means more like the brand."""
        self._check_fitted()
        inputs = self._family_inputs(feats)
        out = np.zeros((len(feats.texts), len(FAMILIES)))
        coefs = {"lexical": self.lexical_coef_, "semantic": self.semantic_coef_, "style": self.style_coef_}
        for j, fam in enumerate(FAMILIES):
            c = coefs[fam]
            if inputs[fam].shape[1] != c.size - 1:  # the embedder's width is known only now
                raise ProfileFormatError(f"{self.name}: its {fam} model reads {c.size - 1} numbers per text, the "
                                         f"features hold {inputs[fam].shape[1]}; learn the profile again")
            if self.mode_ == "one-class":
                out[:, j] = _centroid_score(c, inputs[fam], fam)
            else:
                out[:, j] = np.asarray(inputs[fam] @ c[:-1]).ravel() + c[-1]
        return out

    def combined_scores(self, family: np.ndarray) -> np.ndarray:
        return family @ self.fusion_coef_ + self.fusion_intercept_

    def calibrate(self, raw: np.ndarray, which: int, words: np.ndarray | None = None,
                  channels: Sequence[ChannelStyle | None] | None = None) -> np.ndarray:
        """Map raw scores to 0-100: the share of the brand's own texts of about the same length scoring lower.

        With ``words`` (each text's word count) and a profile that has them, a text as short as the brand's
        first sentences is placed among those, one as long as its posts among its posts, and one in between
        by both, weighted by where its length falls between them (on a log scale).

        With ``channels`` (one per text: the channel kept apart that it belongs to, or None), a text of such a
        channel is placed among the brand's posts of that channel as well as among all its texts (as above), the
        channel weighing ``ChannelStyle.weight`` when the text is as long as the channel's posts usually are
        (``words``), less the further its length falls outside them: a newsletter is judged against the newsletters.
        """
        full = _share_below(self.calibration_[which], raw)
        short = getattr(self, "short_calibration_", None)
        if words is not None and short is not None:
            lo, hi = np.log(self.short_words_)
            weight = np.clip((np.log(np.maximum(np.asarray(words, dtype=float), 1.0)) - lo) / (hi - lo), 0.0, 1.0)
            full = weight * full + (1.0 - weight) * _share_below(short[which], raw)
        if channels is not None:  # after the short texts' scale, which would otherwise take the channel's share
            full = _channel_shares(full, raw, which, channels, words, list(self.style_names_).index("words"))
        return full

    # ------------------------------------------------------------------ persistence
    def _check_fitted(self) -> None:
        if not hasattr(self, "calibration_"):
            raise NotFittedError("this VoiceProfile has not learned anything yet: call fit() or load()")

    def channel_style(self, label: str | None) -> ChannelStyle | None:
        """The brand's habits in channel ``label`` (any case), when it learned enough of its posts there."""
        key = channel_key(label)
        return next((c for c in getattr(self, "channels_", None) or () if c.key == key), None)

    def learned_from(self, texts: Sequence[str], dates: Sequence[dt.datetime | None] | None = None) -> list[bool]:
        """Whether each post is one the profile learned from: the same text (spaces and case aside) dated
        within a day of it (a date without a time is midnight UTC, and a time zone can move the same moment
        to the UTC day before or after), or a text it learned without a date, or, for a post without a
        date, any text it learned.

        Why: the models have seen such a post, so it scores higher than a new post written the same
        way would; a drift report that took the brand's learned posts for new writing would see every
        later window fall away from them. A template the brand posts again later is new writing.
        """
        self._check_fitted()
        known = self.learned_texts_
        if not len(texts) or not known.size:
            return [False] * len(texts)
        dates = list(dates) if dates is not None else [None] * len(texts)
        out = []
        for text, date in zip(texts, dates):
            same = same_text(text)
            keys = ([_fingerprint("any", same)] if date is None
                    else [_fingerprint("on", same, day) for day in _utc_days_around(date)]
                    + [_fingerprint("undated", same)])
            prints = np.array(keys, dtype=np.uint64)
            at = np.minimum(np.searchsorted(known, prints), known.size - 1)
            out.append(bool((known[at] == prints).any()))
        return out

    @property
    def info(self) -> dict[str, str]:
        """The ``profile`` block of every ScoreResult and DriftReport."""
        self._check_fitted()
        return {"name": self.name, "version": self.version_, "lang": self.lang_}

    def _arrays(self) -> dict[str, np.ndarray]:
        return {"lexical_idf": self.lexical_idf_.astype(np.float32),
                "lexical_coef": np.asarray(self.lexical_coef_, dtype=np.float32),
                "semantic_coef": np.asarray(self.semantic_coef_, dtype=np.float32),
                "style_coef": np.asarray(self.style_coef_, dtype=np.float32),
                "style_center": self.style_center_.astype(np.float64),
                "style_scale": self.style_scale_.astype(np.float64),
                "style_quantiles": self.style_quantiles_.astype(np.float64),
                "calibration": self.calibration_.astype(np.float64),
                "learned_texts": np.asarray(self.learned_texts_, dtype=np.uint64),
                **({"short_calibration": self.short_calibration_.astype(np.float64)}
                   if getattr(self, "short_calibration_", None) is not None else {}),
                **({"channel_quantiles": np.stack([c.quantiles for c in self.channels_]).astype(np.float64)}
                   if getattr(self, "channels_", None) else {})}

    def _meta(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "voicecheck_version": __version__,
            "name": self.name,
            "params": {"lang": self.lang, "folds": self.folds, "random_state": self.random_state,
                       "use_background": self.use_background},
            "lang": self.lang_,
            "embedding_model": self.embedding_model_,
            "learned_at": self.learned_at_,
            "learned_period": getattr(self, "learned_period_", None),
            "learned_sources": getattr(self, "learned_sources_", None),
            "mode": self.mode_,
            "n_documents": self.n_documents_,
            "n_distinct": self.n_distinct_,
            "n_words": self.n_words_,
            "n_contrast": self.n_contrast_,
            "n_background": self.n_background_,
            "low_confidence": bool(self.low_confidence_),
            "style_features": self.style_names_,
            "style_fingerprint": getattr(self, "style_fingerprint_", None),
            "style_means": [float(x) for x in self.style_means_],
            "style_nonzero": [float(x) for x in self.style_nonzero_],
            "register": self.register_,
            "unseen_word_quantiles": [float(x) for x in self.unseen_quantiles_],
            **({"marks": self.marks_.to_json()} if getattr(self, "marks_", None) is not None else {}),
            **({"channels": [c.to_meta() for c in self.channels_]} if getattr(self, "channels_", None) else {}),
            "fusion": {"coef": [float(x) for x in self.fusion_coef_], "intercept": self.fusion_intercept_},
            "drift_null_exponent": self.drift_null_exponent_,
            "drift_null_reason": self.drift_null_reason_,
            "short_words": getattr(self, "short_words_", None),
        }

    def _writing_version(self, documents: Sequence[Document], contrast: Sequence[Document]) -> str:
        """A digest of the writing learned (texts, dates, channels and sources, in the order learned) and of how
        (settings, embedding model, voicecheck's version): the same writing and settings give the same version on
        any machine. Not of the arrays learned, whose last bits depend on the number of threads (2.5e-14 apart
        with OMP_NUM_THREADS=1 and 2): a relearn on a worker with another CPU limit had given a new version, and
        drift reports then left out every result stored under the first (a library review)."""
        digest = hashlib.sha256()
        settings = {"name": self.name, "lang": self.lang_, "folds": self.folds, "random_state": self.random_state,
                    "use_background": bool(self.use_background), "model": self.embedding_model_,
                    "style": self.style_fingerprint_, "voicecheck_version": __version__}
        digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
        for part in (documents, contrast):
            digest.update(b"\x00")
            for d in part:
                # as learned (a file's reader strips a text, extract_features strips the library's: a code review)
                digest.update(json.dumps([d.text.strip(), d.date.isoformat() if d.date else None, d.channel, d.source],
                                         ensure_ascii=False).encode() + b"\n")
        return digest.hexdigest()[:16]

    def _content_version(self) -> str:
        """A digest of what the profile scores with, for a profile learned from features (``fit_features``, as the
        evaluation learns); ``fit`` gives the digest of the writing (``_writing_version``).

        Not of when it was learned: learning the same corpus again must not cut the stored
        history off from drift reports (they keep the posts the current version scored).
        """
        digest = hashlib.sha256()
        digest.update(json.dumps({k: v for k, v in self._meta().items() if k != "learned_at"},
                                 sort_keys=True).encode())
        digest.update(json.dumps(self.words_.to_json(), sort_keys=True).encode())
        for key, arr in sorted(self._arrays().items()):
            digest.update(key.encode())
            digest.update(np.ascontiguousarray(arr).tobytes())
        return digest.hexdigest()[:16]

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the profile folder atomically: whole, or not at all (an old one stays intact).

        An operating system's refusal (a file where a folder should be, no such device, no space left) is a
        ``ProfileError`` naming the folder, as every error voicecheck raises is a ``VoicecheckError``.
        """
        self._check_fitted()
        target = check_profile_target(_as_path(path, "path"))
        try:
            return self._write(target)
        except OSError as e:
            raise ProfileError(f"{target}: cannot write the profile there: {e.strerror or e}") from None

    def _write(self, target: Path) -> Path:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
        try:
            meta = self._meta()
            meta["version"] = self.version_
            meta["learning_notes"] = list(getattr(self, "warnings_", []))  # said again by the loaded profile
            files: dict[str, bytes] = {
                "profile.json": json.dumps(meta, indent=2, ensure_ascii=False).encode(),
                "words.json": json.dumps(self.words_.to_json(), ensure_ascii=False, sort_keys=True).encode(),
            }
            for key, arr in self._arrays().items():
                buf = _npy_bytes(arr)
                files[f"{key}.npy"] = buf
            manifest = {"format_version": FORMAT_VERSION, "version": self.version_,
                        "files": {n: hashlib.sha256(b).hexdigest() for n, b in files.items()}}
            files["manifest.json"] = json.dumps(manifest, indent=2).encode()
            for n, b in files.items():
                with open(tmp / n, "wb") as f:
                    f.write(b)
                    f.flush()
                    os.fsync(f.fileno())
            os.chmod(tmp, 0o755)
            sync_folder(tmp)  # the files' names, not only their bytes, on disk before the folder is swapped in
            if target.is_dir() and not any(target.iterdir()):
                os.rmdir(target)  # an empty folder given as --out: nothing to put back, nothing to leave hidden
            for attempt in range(5):
                if target.exists():
                    old = Path(tempfile.mkdtemp(prefix=f".{target.name}{REPLACED_MARK}", dir=target.parent))
                    os.rmdir(old)
                    os.rename(target, old)  # a kill -9 right after this leaves no target: restore_interrupted_save
                try:
                    os.rename(tmp, target)
                    break
                except OSError:
                    # A reader found the folder missing between the two renames and put the old profile back
                    # (restore_interrupted_save, as after a killed save): move it aside again. Before, the whole
                    # learning was lost to a "Directory not empty" (a code review).
                    if attempt == 4 or not target.is_dir():
                        raise
            sync_folder(target.parent)  # the rename itself: a power cut after save() returned kept the old one
            discard_replaced_copies(target)  # this one's, and any a save killed earlier left: never to come back
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, check_model: bool = True,
             embedder: Embedder | None = None) -> VoiceProfile:
        """Read a profile folder, refusing a missing, edited, truncated or foreign one.

        ``check_model`` compares the recorded embedding model with the installed one
        (or with ``embedder.identity`` when an embedder is given).
        """
        folder = _as_path(path, "path")
        try:
            return cls._load(folder, check_model=check_model, embedder=embedder)
        except OSError as e:  # a file the system will not let us read: one service error, not a traceback
            where = e.filename or folder
            raise ProfileUnreadableError(f"{where}: cannot be read ({e.strerror or type(e).__name__})") from None

    @classmethod
    def _load(cls, folder: Path, *, check_model: bool, embedder: Embedder | None) -> VoiceProfile:
        if not folder.is_dir():
            restore_interrupted_save(folder)
        if not folder.is_dir():
            raise ProfileNotFoundError(f"{folder}: no profile folder here (learn one with `voicecheck learn`)")
        manifest_path = folder / "manifest.json"
        if not manifest_path.is_file():
            raise ProfileFormatError(f"{folder}: not a voicecheck profile (manifest.json is missing)")
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            expected = manifest["files"]
            fmt = manifest["format_version"]
            if not isinstance(expected, dict):
                raise TypeError(f"\"files\" must map file names to checksums, not {type(expected).__name__}")
        except (ValueError, KeyError, TypeError) as e:
            raise ProfileFormatError(f"{manifest_path}: unreadable manifest ({e})") from None
        if fmt not in READS_FORMATS:
            raise ProfileFormatError(f"{folder}: profile format {fmt!r}, this voicecheck reads formats "
                                     f"{' and '.join(map(str, READS_FORMATS))}; learn the profile again")
        blobs: dict[str, bytes] = {}
        for name in _FILES + tuple(n for n in _OPTIONAL_FILES if n in expected):
            p = folder / name
            if name not in expected:
                raise ProfileFormatError(f"{folder}: manifest does not list {name}")
            if not p.is_file():
                raise ProfileFormatError(f"{p}: file missing from the profile folder")
            data = p.read_bytes()
            if hashlib.sha256(data).hexdigest() != expected[name]:
                raise ProfileFormatError(f"{p}: file was edited or truncated (checksum differs from manifest.json)")
            blobs[name] = data
        try:
            meta, words = (_json_file(blobs[n], folder / n) for n in ("profile.json", "words.json"))
            arrays = {n[:-4]: _npy_load(blobs[n], folder / n) for n in blobs if n.endswith(".npy")}
            if not isinstance(meta["name"], str):
                raise TypeError(f"the profile's name must be a string, not {type(meta['name']).__name__}")
            profile = cls(name=meta["name"], **meta["params"])
            _check_name(profile.name)
            profile._restore(meta, words, arrays, fmt)
        except ProfileFormatError:
            raise
        except KeyError as e:  # a field profile.json (or words.json) should hold
            raise ProfileFormatError(f"{folder}: profile content is inconsistent (field {e.args[0]!r} is "
                                     "missing)") from None
        except (TypeError, ValueError, AttributeError, IndexError) as e:  # a field of the wrong type or shape
            raise ProfileFormatError(f"{folder}: profile content is inconsistent ({e})") from None
        if check_model:
            from .embedding import installed_model_identity
            installed = (dict(embedder.identity) if embedder is not None and hasattr(embedder, "identity")
                         else installed_model_identity(profile.embedding_model_["name"]))
            if installed["sha256"] != profile.embedding_model_.get("sha256"):
                raise ProfileFormatError(
                    f"{folder}: learned with embedding model {profile.embedding_model_['name']} "
                    f"{profile.embedding_model_.get('version')} (sha256 {profile.embedding_model_.get('sha256', '')[:12]}), "
                    f"but the installed one is {installed['version']} (sha256 {installed['sha256'][:12]}); "
                    "learn the profile again")
        mismatch = profile.style_mismatch()
        if mismatch:
            warnings.warn(VoicecheckWarning(f"{folder}: {mismatch}"), stacklevel=2)
        return profile

    def style_mismatch(self) -> str | None:
        """Why this profile's habits are not comparable with drafts measured here, when they are not: style is
        measured otherwise than where it learned (``style.measurement_fingerprint``). ``load`` warns with it; the
        service logs it."""
        from .style import measurement_fingerprint

        fingerprint = getattr(self, "style_fingerprint_", None)
        if fingerprint is None or fingerprint == measurement_fingerprint(self.lang_):
            return None
        return ("learned where style was measured otherwise than it is here (other word lists or rules of voicecheck, "
                "or another tokenizer installed); its habits are compared with drafts measured another way, so style "
                "reasons and scores may be off: learn the profile again")

    def _restore(self, meta: dict[str, Any], words: dict[str, Any], arrays: dict[str, np.ndarray],
                 fmt: int = FORMAT_VERSION) -> None:
        from .lexical import WordStats
        from .style import FEATURES

        if meta.get("format_version", fmt) != fmt:  # the manifest's was checked already
            raise ValueError(f"profile.json is of format {meta['format_version']!r}, its manifest of {fmt}")
        if fmt < 2 and "short_calibration" in arrays:
            raise ValueError("short_calibration.npy is in a profile of format 1, which has no short texts' scale")
        self.lang_ = check_language(meta["lang"])
        self.embedding_model_ = dict(meta["embedding_model"])
        self.learned_at_ = str(meta["learned_at"])
        period = meta.get("learned_period")  # absent in profiles saved before it was kept, null for undated writing
        if period is not None:
            try:
                if not (isinstance(period, list) and len(period) == 2 and all(isinstance(d, str) for d in period)
                        and dt.date.fromisoformat(period[0]) <= dt.date.fromisoformat(period[1])):
                    raise ValueError
            except ValueError:
                raise ValueError("profile.json's learned_period must be two ISO dates, the earlier first") from None
        self.learned_period_ = period
        sources = meta.get("learned_sources")  # absent in profiles saved before it was kept
        if sources is not None and not (isinstance(sources, list) and all(isinstance(x, str) for x in sources)):
            raise ValueError("profile.json's learned_sources must be a list of source labels")
        self.learned_sources_ = sources
        self.mode_ = str(meta["mode"])
        self.n_documents_ = int(meta["n_documents"])
        self.n_distinct_ = int(meta.get("n_distinct", self.n_documents_))  # absent in earlier profiles
        self.n_words_ = int(meta["n_words"])
        self.n_contrast_ = int(meta["n_contrast"])
        self.n_background_ = int(meta["n_background"])
        self.low_confidence_ = bool(meta["low_confidence"])
        self.style_names_ = [str(x) for x in meta["style_features"]]
        fingerprint = meta.get("style_fingerprint")  # absent in profiles learned before it was kept
        if fingerprint is not None and not isinstance(fingerprint, str):
            raise ValueError("profile.json's style_fingerprint must be a string")
        self.style_fingerprint_ = fingerprint
        unknown = sorted(set(self.style_names_) - {f.name for f in FEATURES})
        if unknown:  # learned by another voicecheck: scoring would fail on the first draft
            raise ValueError(f"style features this version does not know: {', '.join(unknown[:5])}")
        self.style_means_ = np.asarray(meta["style_means"], dtype=np.float64)
        self.style_nonzero_ = np.asarray(meta["style_nonzero"], dtype=np.float64)
        self.register_ = {str(k): float(v) for k, v in meta["register"].items()}
        self.unseen_quantiles_ = np.asarray(meta["unseen_word_quantiles"], dtype=np.float64)
        if self.unseen_quantiles_.shape != (101,):
            raise ValueError("unseen_word_quantiles must hold 101 percentiles")
        marks = meta.get("marks")  # absent in profiles learned before emoji and hashtags were told apart
        self.marks_ = None if marks is None else BrandMarks.from_json(marks)
        self.fusion_coef_ = np.asarray(meta["fusion"]["coef"], dtype=np.float64)
        self.fusion_intercept_ = float(meta["fusion"]["intercept"])
        exponent = meta.get("drift_null_exponent")  # absent in profiles learned before it was measured
        self.drift_null_exponent_ = None if exponent is None else float(exponent)
        reason = meta.get("drift_null_reason")  # absent in profiles saved before it was recorded
        self.drift_null_reason_ = reason if reason in ("undated", "few-recent") else None
        notes = meta.get("learning_notes")  # absent in profiles saved before they were kept
        self.warnings_ = [n for n in notes if isinstance(n, str)] if isinstance(notes, list) else []
        self.words_ = WordStats.from_json(words)
        self.lexical_idf_ = arrays["lexical_idf"]
        self.lexical_coef_ = arrays["lexical_coef"]
        self.semantic_coef_ = arrays["semantic_coef"]
        self.style_coef_ = arrays["style_coef"]
        self.style_center_ = arrays["style_center"]
        self.style_scale_ = arrays["style_scale"]
        self.style_quantiles_ = arrays["style_quantiles"]
        self.calibration_ = arrays["calibration"]
        # Both absent in profiles learned before short texts were calibrated, or from too few long posts.
        self.short_calibration_ = arrays.get("short_calibration")
        short_words = meta.get("short_words")
        self.short_words_ = None
        if self.short_calibration_ is not None:
            if not (isinstance(short_words, list) and len(short_words) == 2
                    and all(isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)
                            for x in short_words)
                    and 0 < short_words[0] < short_words[1]):
                raise ValueError("profile.json's short_words must be two word counts, the shorter first, "
                                 "when short_calibration.npy is there")
            self.short_words_ = [float(x) for x in short_words]
            if (self.short_calibration_.ndim != 2 or self.short_calibration_.shape[0] != len(FAMILIES) + 1
                    or self.short_calibration_.shape[1] < 1):
                raise ValueError(f"short_calibration.npy holds an array of shape {self.short_calibration_.shape}, "
                                 f"not ({len(FAMILIES) + 1}, n)")
        # Both absent in profiles learned before channels were kept apart, or from writing of one channel.
        kept, quantiles = meta.get("channels"), arrays.get("channel_quantiles")
        if (kept is None) != (quantiles is None) or (kept is not None and (
                not isinstance(kept, list) or quantiles.ndim != 3 or quantiles.shape[0] != len(kept))):
            raise ValueError("profile.json's channels and channel_quantiles.npy must come together, one entry each")
        self.channels_ = [ChannelStyle.from_meta(c, quantiles[k], len(self.style_names_), len(FAMILIES) + 1)
                          for k, c in enumerate(kept or [])]
        # Absent in profiles learned before it existed: they cannot tell which texts they learned from.
        self.learned_texts_ = arrays.get("learned_texts", np.zeros(0, dtype=np.uint64))
        if self.learned_texts_.ndim != 1 or self.learned_texts_.dtype != np.uint64:
            raise ValueError(f"learned_texts.npy holds {self.learned_texts_.dtype} of shape "
                             f"{self.learned_texts_.shape}, not a list of uint64 fingerprints")
        n_style = len(self.style_names_)
        dims = {"lexical_idf": 1, "semantic_coef": 1, "calibration": 2}  # checked first: the shapes below use them
        flat = next((n for n, d in dims.items() if arrays[n].ndim != d), None)
        if flat is not None:
            raise ValueError(f"{flat}.npy holds an array of {arrays[flat].ndim} dimensions, not {dims[flat]}")
        expected = {"style_center": (n_style,), "style_scale": (n_style,), "style_coef": (n_style + 1,),
                    "style_quantiles": (n_style, 101), "lexical_coef": (self.lexical_idf_.size + 1,),
                    "calibration": (len(FAMILIES) + 1, self.calibration_.shape[-1])}
        wrong = next((n for n, shape in expected.items() if arrays[n].shape != shape), None)
        if wrong is not None:
            raise ValueError(f"{wrong}.npy holds an array of shape {arrays[wrong].shape}, not {expected[wrong]} "
                             f"(the profile has {n_style} style features)")
        if self.semantic_coef_.size < 2:
            raise ValueError("semantic_coef.npy holds no model (fewer than 2 numbers)")
        if self.fusion_coef_.shape != (len(FAMILIES),):
            raise ValueError(f"profile.json's fusion holds {self.fusion_coef_.size} weights, not {len(FAMILIES)}")
        # A NaN or infinite number in a model makes every score NaN (then 0 or 100 after calibration), whatever
        # the draft: refused here, as an edited manifest re-hashed to match would otherwise let it through.
        numbers = {**{f"{n}.npy": a for n, a in arrays.items() if np.issubdtype(a.dtype, np.floating)},
                   "profile.json's fusion weights": np.r_[self.fusion_coef_, self.fusion_intercept_]}
        bad = next((n for n, a in numbers.items() if not np.isfinite(a).all()), None)
        if bad is not None:
            raise ValueError(f"{bad} holds a number that is not finite (NaN or infinity)")
        self.version_ = str(meta["version"])

    def __repr__(self) -> str:
        state = f"lang={self.lang_!r}, documents={self.n_documents_}" if hasattr(self, "lang_") else "not fitted"
        return f"VoiceProfile(name={self.name!r}, {state})"

    @property
    def language_name(self) -> str:
        return language_name(self.lang_)


# ---------------------------------------------------------------------- helpers of this module
def fitted_profile(profile: object) -> VoiceProfile:
    """``profile`` when it is a learned VoiceProfile; an ``InputError`` for a folder path given in its place (a
    first mistake, which was an AttributeError outside the exception tree), ``NotFittedError`` for an empty one."""
    if not isinstance(profile, VoiceProfile):
        raise InputError(f"profile must be a VoiceProfile (load one with VoiceProfile.load(path)), got "
                         f"{type(profile).__name__}", field="profile")
    profile._check_fitted()
    return profile


def _check_name(name: object) -> None:
    """A display name printed in cards, reports and terminals: text on one line, of a sensible length."""
    if not isinstance(name, str) or not name.strip():
        raise InputError("the profile's name must be a non-empty text", field="name")
    bad = next((c for c in name if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") and c != "\u200d"), None)
    if bad is not None:
        raise InputError(f"the profile's name {name!r} holds a control character ({ord(bad):#06x})", field="name")
    if len(name) > 200:
        raise InputError(f"the profile's name is {len(name)} characters; the limit is 200", field="name")


def _in_language(documents: Sequence[Document], lang: str) -> tuple[list[Document], Counter[str]]:
    """The documents not marked as another language than ``lang``, and how many were, per language."""
    kept, other = [], Counter()
    for d in documents:
        if d.lang and d.lang != lang:
            other[d.lang] += 1
        else:
            kept.append(d)
    return kept, other


def _fingerprint(*parts: str) -> int:
    """64 bits of the SHA-256 of ``parts``: a key of ``learned_texts.npy`` (the texts are not kept)."""
    data = "\x1f".join(parts).encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.sha256(data).digest()[:8], "little")


def _utc_day(date: dt.datetime | dt.date) -> str:
    """The UTC day of a post, as drift reports count days (``parse_date``: a naive time is UTC)."""
    from .documents import parse_date

    return parse_date(date).date().isoformat()


def _utc_days_around(date: dt.datetime | dt.date) -> list[str]:
    """The UTC day of ``date`` (``_utc_day``) and the days either side that a calendar holds."""
    day = dt.date.fromisoformat(_utc_day(date))
    days = []
    for k in (-1, 0, 1):
        try:
            days.append((day + dt.timedelta(days=k)).isoformat())
        except OverflowError:  # either side of 0001-01-01 or 9999-12-31
            pass
    return days


def _learned_keys(texts: Sequence[str], dates: Sequence[dt.datetime | None] | None) -> np.ndarray:
    """The sorted keys by which ``VoiceProfile.learned_from`` knows its posts: every text ("any"), and each
    post's text with its day ("on"), or without ("undated") when it had no date."""
    dates = list(dates) if dates is not None and len(dates) == len(texts) else [None] * len(texts)
    keys = set()
    for text, date in zip(texts, dates):
        same = same_text(text)
        keys.add(_fingerprint("any", same))
        keys.add(_fingerprint("on", same, _utc_day(date)) if date is not None else _fingerprint("undated", same))
    return np.array(sorted(keys), dtype=np.uint64)


def _as_path(value: Any, what: str) -> Path:
    """A folder path from a str or os.PathLike; anything else is an InputError (not a TypeError from pathlib)."""
    if isinstance(value, (str, os.PathLike)):
        return Path(value)
    raise InputError(f"{what} must be a folder path (a str or os.PathLike), got {type(value).__name__}",
                     field=what)


def _quoted_start(text: str, width: int = 40) -> str:
    """'"Our new store opens on Monday, come an…"': enough of a text to find it in a file."""
    line = " ".join(text.split())
    return repr(line if len(line) <= width else line[:width - 1] + "…")


def _unclear_language(texts: Sequence[str]) -> str:
    """Why the language could not be told, for the error: writing that mixes languages says its split."""
    each = Counter(detect_language(t) for t in texts)
    unclear = each.pop(None, 0)
    ask = "give the language to learn in (--lang on the command line, \"lang\" in the service), for example en or it"
    if len(each) >= 2:
        split = ", ".join(f"{n} read as {language_name(code)}" for code, n in each.most_common())
        unsure = f", {unclear} too short to tell" if unclear else ""
        return (f"could not tell the language of the writing: it mixes languages ({len(texts)} documents: {split}"
                f"{unsure}); learn from one language at a time, or {ask}")
    return f"could not tell the language of the writing; {ask}"


def _first_of_each(texts: Sequence[str]) -> list[int]:
    """The row of each different text's first occurrence (``same_text``), in order."""
    first: dict[str, int] = {}
    for i, text in enumerate(texts):
        first.setdefault(same_text(text), i)
    return list(first.values())


#: A profile folder being replaced is renamed ``.<name><REPLACED_MARK><random>`` until the new one is in place.
REPLACED_MARK = ".old-"


def _replaced_copies(target: Path) -> list[Path]:
    """The folders a replacement of ``target`` moved aside, newest first."""
    try:
        found = [p for p in target.parent.glob(f".{target.name}{REPLACED_MARK}*")
                 if p.is_dir() and not p.is_symlink() and (p / "manifest.json").is_file()]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def restore_interrupted_save(target: str | os.PathLike[str]) -> bool:
    """Put back the profile that a save killed between its two renames left missing; True when it did.

    Why: ``save`` moves the old folder aside, then moves the new one in. A process killed between the two
    (kill -9, a power cut) leaves no profile at ``target``, only the old one aside: a service would answer 404
    for a profile it had served a moment before. The save did not finish, so the old profile comes back, whole
    (as when the save fails in any other way). Called when a profile folder is found missing.
    """
    target = Path(target)
    if target.exists() or target.is_symlink():
        return False
    copies = _replaced_copies(target)
    if not copies:
        return False
    try:
        os.rename(copies[0], target)
    except OSError:  # another process restored it first, or the folder cannot be written: nothing to do here
        return target.is_dir()
    discard_replaced_copies(target)
    return True


def discard_replaced_copies(target: str | os.PathLike[str]) -> None:
    """Remove the folders replacements of ``target`` moved aside (a save killed after its second rename leaves
    one): once the profile is saved again or deleted, none may come back in its place."""
    for stale in _replaced_copies(Path(target)):
        shutil.rmtree(stale, ignore_errors=True)


def sync_folder(folder: str | os.PathLike[str]) -> None:
    """Flush a folder's entries to disk (a rename is durable only once its folder is synced; a code review).

    Where the system cannot open a folder for that (Windows), the rename stands as the system keeps it.
    """
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on a folder: nothing more can be done there
    finally:
        os.close(fd)


def _canonical_order(doc: Document) -> tuple:
    """A document's place in the order a profile learns in: by date (undated first), then by text."""
    return (doc.date is not None, doc.date.timestamp() if doc.date is not None else 0.0, doc.text)


def check_profile_target(path: str | os.PathLike[str]) -> Path:
    """Where a profile may be written: a new or empty folder, or a profile folder (then replaced whole).

    Why: saving replaces the target folder, so an ``--out`` pointed by mistake at the
    corpus folder or at a file would delete them. Checked before learning, too, so the
    mistake costs no wait.
    """
    target = Path(path)
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise ProfileError(f"{target}: exists and is not a folder; a profile is written to a new folder "
                           "or over an earlier profile folder")
    if target.is_dir() and not (target / "manifest.json").is_file() and any(target.iterdir()):
        raise ProfileError(f"{target}: a folder that is not a voice profile (no manifest.json) and is not empty; "
                           "refusing to replace it: write the profile to a new folder")
    return target


def _style_transform(style: np.ndarray, names: Sequence[str]) -> np.ndarray:
    from .style import feature

    out = np.array(style, dtype=np.float64, copy=True)
    for j, n in enumerate(names):
        if feature(n).log:
            out[:, j] = np.log1p(np.maximum(out[:, j], 0.0))
    return out


def _unseen_word_quantiles(texts: Sequence[str], folds: np.ndarray) -> np.ndarray:
    """Percentiles of the unseen-word rate of the brand's own posts, each against the other folds.

    New posts always bring some new words (names, topics); this is how many the brand's
    own later writing brings, so a draft is judged against that, not against zero.
    """
    from .lexical import new_word_rate, vocabulary_words

    words, common = zip(*(vocabulary_words(t) for t in texts)) if texts else ((), ())
    rates = np.zeros(len(texts))
    for fold in np.unique(folds):
        vocab = {w for i in np.flatnonzero(folds != fold) for w in words[i]}
        for i in np.flatnonzero(folds == fold):
            rates[i] = new_word_rate(common[i], len(words[i]), vocab)
    return np.percentile(rates, np.arange(101))


def _negative_folds(voices: Sequence[str | None], k: int, random_state: int) -> np.ndarray:
    """Fold of each negative text: all texts of a known voice in one fold, the others spread at random.

    Out-of-fold scores of a voice's posts then come from models that never saw that
    voice, so the fusion weighs each family by how well it tells the brand from
    writers it has not met, which is what new drafts by strangers are.
    """
    rng = np.random.default_rng(random_state)
    folds = rng.permutation(np.arange(len(voices)) % k) if len(voices) else np.zeros(0, dtype=int)
    named = sorted({v for v in voices if v is not None})
    fold_of_voice = dict(zip(named, rng.permutation(np.arange(len(named)) % k)))
    return np.array([fold_of_voice[v] if v is not None else f for v, f in zip(voices, folds)], dtype=int)


def _out_of_fold(inputs: dict[str, Any], y: np.ndarray, fold_of: np.ndarray, families: Sequence[str],
                 model_for: Callable[[str], Any] | None = None, weight: np.ndarray | None = None,
                 extra: tuple[dict[str, Any], np.ndarray] | None = None):
    """Each text's score by each family's model fitted on the other folds (texts x families).

    Returns ``(oof, extra_oof)``: with ``extra`` (more texts' inputs and their folds), those texts scored by
    the same fold models, which never train on them (the brand's first sentences, by the models that did not
    see their post); else None.
    """
    model_for = model_for or _family_model
    oof = np.zeros((len(y), len(families)))
    extra_oof = np.zeros((len(extra[1]), len(families))) if extra is not None else None
    for fold in range(int(fold_of.max()) + 1):
        train, test = np.flatnonzero(fold_of != fold), np.flatnonzero(fold_of == fold)
        for j, fam in enumerate(families):
            model = model_for(fam)
            model.fit(inputs[fam][train], y[train], sample_weight=None if weight is None else weight[train])
            oof[test, j] = model.decision_function(inputs[fam][test])
            if extra is not None and (at := np.flatnonzero(extra[1] == fold)).size:
                extra_oof[at, j] = model.decision_function(extra[0][fam][at])
    return oof, extra_oof


def _channel_shares(full: np.ndarray, raw: np.ndarray, which: int, channels: Sequence[ChannelStyle | None],
                    words: np.ndarray | None, words_at: int) -> np.ndarray:
    """``full`` (each text's share of the brand's texts below it, on scale ``which``: its posts, or its short texts
    for a short one), where a text's channel is calibrated blended with its share of that channel's posts below it.

    Only as far as the text is as long as the channel's posts (between their 10th and 90th percentiles: fully;
    half as short as the 10th or twice as long as the 90th: not at all, on a log scale). A longer text carries
    more evidence and scores further from the middle, so among a channel's posts of one length a text of
    another is placed by its length: a 24-word caption among 40-word captions was off-voice for a tea shop whose
    captions it matched (a brand manager's review), and a newsletter labelled as a Story scored higher than as
    itself.
    """
    out = np.array(full, dtype=np.float64, copy=True)
    raw = np.asarray(raw, dtype=np.float64)
    for view in {id(c): c for c in channels if c is not None and c.calibration is not None}.values():
        rows = np.asarray([i for i, c in enumerate(channels) if c is view])
        weight = np.full(len(rows), view.weight)
        if words is not None:
            lo, hi = np.log(np.maximum(view.quantiles[words_at, [10, 90]], 1.0))
            length = np.log(np.maximum(np.asarray(words, dtype=np.float64)[rows], 1.0))
            outside = np.maximum(lo - length, 0.0) + np.maximum(length - hi, 0.0)
            weight *= np.clip(1.0 - outside / np.log(2.0), 0.0, 1.0)
        out[rows] = weight * _share_below(view.calibration[which], raw[rows]) + (1.0 - weight) * out[rows]
    return out


def _calibration_table(oof: np.ndarray, combined: np.ndarray) -> np.ndarray:
    """Sorted out-of-fold scores: one row per family, then the combined score (what ``calibrate`` reads)."""
    return np.vstack([np.sort(oof[:, j]) for j in range(oof.shape[1])] + [np.sort(combined)]).astype(np.float64)


def _share_below(cal: np.ndarray, raw: np.ndarray) -> np.ndarray:
    """0-100: the share of ``cal`` (sorted) below each raw score, ties counting half."""
    below = np.searchsorted(cal, raw, side="left")
    equal = np.searchsorted(cal, raw, side="right") - below
    return 100.0 * (below + 0.5 * equal) / len(cal)


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'»”)\]]*\s+(?=\S)")


def _first_sentence(text: str, words: float) -> str | None:
    """A post's first sentence, when it is a short text in its own right: at least 4 words, and at most
    ``SHORT_MAX_SHARE`` of the post's words. None otherwise."""
    from .scoring import MIN_WORDS

    parts = _SENTENCE_END.split(text.strip(), maxsplit=1)
    if len(parts) < 2:
        return None
    first = parts[0].strip()
    n = len(first.split())
    return first if MIN_WORDS <= n <= SHORT_MAX_SHARE * words else None


#: A habit shown by at most this many posts, and too many of them for a rule, is named at learning time.
NEAR_RULE_POSTS = 3


def _near_rules(style: np.ndarray, names: Sequence[str], labels: Sequence[str], texts: Sequence[str] | None = None,
                lang: str | None = None) -> list[str]:
    """Habits that a few posts keep from being rules, naming those posts (one row per different post; ``texts``,
    in ``lang``, are theirs: a form of address is named with the words read as it).

    Why: one slip in the learned writing (an exclamation mark in 2 posts of 110, a 'tu' among 40 posts
    in 'voi') quietly turns a rule the brand manager expects into a mere habit, and every draft that
    breaks it passes; named, the posts can be checked against the style guide and left out.
    """
    from .scoring import HABIT_ALWAYS_MARKERS, HABIT_MARKERS, HABIT_MIN_POSTS, HABIT_NEVER
    from .style import ADDRESS_FORMS, address_words
    from .wording import feature_words

    def ids(rows: np.ndarray, person: str | None = None) -> str:
        """The posts' labels; with ``person``, each with the words read as that form of address ("brand-041:
        'Segnatelo'"), since a misread (a 'tu' imperative read as 'voi') cannot be told from a slip by an id
        alone (a gelato chain's review)."""
        if person is None or texts is None or not lang:
            return ", ".join(labels[i] for i in rows[:NEAR_RULE_POSTS])
        said = []
        for i in rows[:NEAR_RULE_POSTS]:
            words = address_words(texts[i], lang).get(person, [])[:3]
            quoted = ", ".join(f"'{w}'" for w in words)
            said.append(f"{labels[i]}: {quoted}" if words else labels[i])
        return "; ".join(said)

    notes = []
    n = len(labels)
    if n >= HABIT_MIN_POSTS:
        for name in (m for m in HABIT_MARKERS if m in names):
            rows = np.flatnonzero(style[:, list(names).index(name)] > 0)
            if HABIT_NEVER * n <= len(rows) <= NEAR_RULE_POSTS:
                label = feature_words(name, "en")[0]
                notes.append(f"{len(rows)} of the {n} posts show {label} ({ids(rows)}): without them, no {label} "
                             "would be a rule that decides a draft's verdict; if they are slips, leave them out and "
                             "learn again")
        for name in (m for m in HABIT_ALWAYS_MARKERS if m in names):
            rows = np.flatnonzero(style[:, list(names).index(name)] <= 0)
            if HABIT_NEVER * n <= len(rows) <= NEAR_RULE_POSTS:
                label = feature_words(name, "en")[0]
                notes.append(f"{len(rows)} of the {n} posts have no {label} ({ids(rows)}): without them, {label} in "
                             "every post would be a rule that decides a draft's verdict; if they are slips, leave "
                             "them out and learn again")
    forms, addressing, lead = _address_leads(style, names)
    if forms:
        counts = np.bincount(lead, minlength=len(forms))
        main = int(counts.argmax())
        others = len(addressing) - int(counts[main])
        if counts[main] >= 20 and counts[main] < 0.95 * len(addressing) and others <= NEAR_RULE_POSTS:
            # Below the rule's 95%, the few posts led by other forms keep every address rule away, together: an
            # insurer's posts in 'Lei' with three led by 'voi' (two misread) and 'tu' were not named, and its rule
            # against 'tu' was gone without a word (a communications head's review); named where 20 or more posts
            # would be left, as the rule asks
            led = [(f, addressing[lead == j]) for j, f in enumerate(forms) if j != main]
            led = [(f, rows) for f, rows in led if len(rows)]
            one = others == 1
            which = (f"'{ADDRESS_FORMS[led[0][0]]}' ({ids(led[0][1], led[0][0])})" if len(led) == 1
                     else "another form (" + "; ".join(f"'{ADDRESS_FORMS[f]}': {ids(rows)}" for f, rows in led) + ")")
            never = " or ".join(f"'{ADDRESS_FORMS[f]}'" for f, _ in led)
            notes.append(f"{others} of the {len(addressing)} posts that address the reader {'uses' if one else 'use'} "
                         f"{which} where the others use '{ADDRESS_FORMS[forms[main]]}': without "
                         f"{'it' if one else 'them'}, never {never} would be a rule that decides a draft's verdict; "
                         f"if {'it is a slip' if one else 'they are slips'}, leave {'it' if one else 'them'} out and "
                         "learn again")
        elif len(addressing) >= 20 and counts[main] >= 0.95 * len(addressing):
            for j, f in enumerate(forms):
                rows = addressing[lead == j]
                form, other = ADDRESS_FORMS[f], ADDRESS_FORMS[forms[main]]
                beside = np.flatnonzero(style[:, list(names).index(f"{f}_rate")] > 0) if j != main else rows
                # (only where the address rule holds: the leading form in 95% of the posts, as habit_rules asks)
                if j != main and not len(rows) and 1 <= len(beside) <= NEAR_RULE_POSTS:
                    # No post leads with it, but a few use it beside the leading form ("Vi vogliamo... no scusa, TI
                    # vogliamo bene"): the rule then holds only against drafts led by it, and a draft in 'tu' with a
                    # 'Vi ricordiamo' passed (a social media lead's review)
                    one = len(beside) == 1
                    notes.append(f"{len(beside)} of the {n} posts {'uses' if one else 'use'} '{form}' beside '{other}' "
                                 f"({ids(beside, f)}): without {'it' if one else 'them'}, '{form}' anywhere in a draft "
                                 f"would break a rule; now only a draft led by '{form}' does. If "
                                 f"{'it is a slip' if one else 'they are slips'}, leave {'it' if one else 'them'} out "
                                 "and learn again")
                if j != main and 1 <= len(rows) <= NEAR_RULE_POSTS // 2 + 1:
                    one = len(rows) == 1
                    it, uses, slip = ("it", "uses", "it is a slip") if one else ("them", "use", "they are slips")
                    notes.append(f"{len(rows)} of the {len(addressing)} posts that address the reader {uses} "
                                 f"'{form}' ({ids(rows, f)}) where the others use '{other}': without {it}, never "
                                 f"'{form}' would be a rule that decides a draft's verdict; if {slip}, leave {it} "
                                 "out and learn again")
    return notes


def _address_leads(style: np.ndarray, names: Sequence[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(forms, rows, lead): the address forms the style measures (Italian: tu / voi / Lei), the rows of the
    posts that address the reader, and the index in ``forms`` of the form each of them leads with."""
    from .style import ADDRESS_FORMS

    forms = [f for f in ADDRESS_FORMS if f"{f}_rate" in names]
    if not forms:
        return [], np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    cols = np.stack([style[:, list(names).index(f"{f}_rate")] for f in forms], axis=1)
    rows = np.flatnonzero(cols.sum(axis=1) > 0)
    return forms, rows, cols[rows].argmax(axis=1)


def _register_shares(style: np.ndarray, names: Sequence[str]) -> dict[str, float]:
    """How the brand addresses its readers: share of addressing posts led by each form.

    Italian only (tu / voi / Lei); ``n`` is the number of posts that address the reader.
    """
    forms, rows, lead = _address_leads(style, names)
    if not forms:
        return {}
    shares: dict[str, float] = {"n": float(len(rows))}
    for j, f in enumerate(forms):
        shares[f] = float((lead == j).mean()) if len(rows) else 0.0
    return shares


def _family_model(fam: str):
    from sklearn.linear_model import LogisticRegression

    if fam == "lexical":
        return LogisticRegression(C=10.0, class_weight="balanced", solver="liblinear", max_iter=2000)
    if fam == "semantic":
        return LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000)
    return LogisticRegression(C=0.5, class_weight="balanced", max_iter=2000)


def _centroid(x) -> np.ndarray:
    import scipy.sparse as sp

    c = np.asarray(x.mean(axis=0)).ravel() if sp.issparse(x) else np.asarray(x).mean(axis=0)
    return np.r_[c, 0.0].astype(np.float32)


def _centroid_score(c: np.ndarray, x, fam: str) -> np.ndarray:
    centre = c[:-1]
    if fam == "style":
        return -np.sqrt((np.asarray(x) - centre) ** 2).sum(axis=1)
    sims = np.asarray(x @ centre).ravel()
    return sims / max(float(np.linalg.norm(centre)), 1e-12)


def _json_file(data: bytes, path: Path) -> dict[str, Any]:
    """A profile's JSON file as a dict, or an error naming the file and where in it."""
    try:
        value = json.loads(data)
    except ValueError as e:
        raise ProfileFormatError(f"{path}: not valid JSON ({e})") from None
    if not isinstance(value, dict):
        raise ProfileFormatError(f"{path}: holds a JSON {type(value).__name__}, not an object")
    return value


def _npy_bytes(arr: np.ndarray) -> bytes:
    import io

    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(arr), allow_pickle=False)
    return buf.getvalue()


def _npy_load(data: bytes, where: Path) -> np.ndarray:
    import io

    try:
        return np.load(io.BytesIO(data), allow_pickle=False)
    except (ValueError, OSError, EOFError) as e:
        raise ProfileFormatError(f"{where}: not a readable array ({e})") from None
