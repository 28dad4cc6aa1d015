"""The evaluation protocol (design section 4): how well the score separates voices.

For each voice V of a multi-voice corpus: V's earliest 70% learn the profile, its
latest 30% are the positives; the other voices are split (seeded) into two halves,
one lends its earliest 70% as contrast writing, the other's latest 30% are the
negatives, so the negatives' voices are never seen while learning. Reported per
voice and as a macro average: ROC AUC, false flags (positives flagged off-voice)
and catch rate (negatives flagged off-voice), for voicecheck with and without
contrast writing and for two reference baselines in the same run.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .documents import Document
from .errors import InputError, TooLittleDataError

__all__ = ["evaluate", "mask_signoffs", "MIN_VOICE_TEXTS"]

MIN_VOICE_TEXTS = 60
LEARN_SHARE = 0.7
NEUTRAL_URL = "https://example.com/link"

_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
# A sign-off at the very end: a marker (^ * / - – = ~ =) ) then initials or a first name.
_SIGNOFF = re.compile(r"(?:(?<=\s)|(?<=[.!?,;:)])|^)(?:\^|\*|/|-{1,2}|–|—|~|=\)|\u2013)\s?[A-Z][A-Za-z.]{0,14}\s*$")


def mask_signoffs(text: str) -> str:
    """Remove agent sign-offs (``^JS``, ``-Pia``, ``/SF``) and make every link one neutral URL.

    Both name the brand without being its writing; masking them measures the voice itself.
    """
    text = _URL.sub(NEUTRAL_URL, text)
    for _ in range(2):
        stripped = _SIGNOFF.sub("", text).rstrip()
        if stripped == text.rstrip() or not stripped:
            break
        text = stripped
    return text.strip() or text


class _CachedEmbedder:
    """Embed each distinct text once across all the voices of a run."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self.cache: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str], *, batch_size: int = 64, progress=None) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self.cache))
        if missing:
            for t, v in zip(missing, self.inner.encode(missing, batch_size=batch_size, progress=progress)):
                self.cache[t] = v
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self.cache[t] for t in texts])


def _split_voice(docs: list[Document], rng: random.Random) -> tuple[list[Document], list[Document]]:
    if all(d.date is not None for d in docs):
        ordered = sorted(docs, key=lambda d: d.date)
    else:
        ordered = list(docs)
        rng.shuffle(ordered)
    cut = int(round(LEARN_SHARE * len(ordered)))
    return ordered[:cut], ordered[cut:]


def evaluate(documents: Sequence[Document], *, by: str = "voice", mask: bool = False, seed: int = 0,
             lang: str = "auto", with_baselines: bool = True,
             progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Run the protocol on ``documents`` grouped by the metadata field ``by``."""
    from sklearn.metrics import roc_auc_score

    from .embedding import load_embedder, model_for_language
    from .language import check_language, detect_language
    from .profile import VoiceProfile
    from .scoring import OFF_VOICE_BELOW, score_documents

    groups: dict[str, list[Document]] = defaultdict(list)
    for d in documents:
        key = d.meta.get(by) if by not in ("source", "channel", "author") else getattr(d, by)
        if key in (None, ""):
            raise InputError(f"document has no \"{by}\" field to group voices by", path=d.origin or d.label)
        if mask:
            d = Document(text=mask_signoffs(d.text), id=d.id, date=d.date, source=d.source, channel=d.channel,
                         author=d.author, lang=d.lang, origin=d.origin, meta=d.meta)
        groups[str(key)].append(d)
    kept = {v: ds for v, ds in sorted(groups.items()) if len(ds) >= MIN_VOICE_TEXTS}
    left_out = {v: len(ds) for v, ds in groups.items() if v not in kept}
    if len(kept) < 3:
        raise TooLittleDataError(f"the protocol needs at least 3 voices with {MIN_VOICE_TEXTS}+ texts each; "
                                 f"found {len(kept)} ({', '.join(f'{v}: {len(ds)}' for v, ds in groups.items())})")
    if lang in (None, "", "auto"):
        lang = detect_language([d.text for ds in kept.values() for d in ds[:50]]) or "en"
    lang = check_language(lang)
    embedder = _CachedEmbedder(load_embedder(model_for_language(lang)))

    rng = random.Random(seed)
    splits = {v: _split_voice(ds, random.Random(f"{seed}:{v}")) for v, ds in kept.items()}
    voices = list(kept)
    rows = []
    for v in voices:
        if progress:
            progress(v)
        others = [o for o in voices if o != v]
        rng_v = random.Random(f"{seed}:halves:{v}")
        rng_v.shuffle(others)
        half = len(others) // 2
        contrast_voices, negative_voices = others[:half], others[half:]
        learn, positives = splits[v]
        contrast = [d for o in contrast_voices for d in splits[o][0]]
        negatives = [d for o in negative_voices for d in splits[o][1]]
        y = np.r_[np.ones(len(positives)), np.zeros(len(negatives))]
        row: dict[str, Any] = {"voice": v, "learn": len(learn), "positives": len(positives),
                               "negatives": len(negatives), "contrast_voices": contrast_voices,
                               "negative_voices": negative_voices, "methods": {}}
        for method, contrast_docs in (("voicecheck", contrast), ("voicecheck-no-contrast", [])):
            profile = VoiceProfile(name=v, lang=lang).fit(learn, contrast_docs, embedder=embedder)
            results = score_documents(profile, positives + negatives, embedder=embedder)
            s = np.array([r.score for r in results])
            raw = profile.combined_scores(profile.family_scores(_features(profile, positives + negatives,
                                                                          embedder)))
            row["methods"][method] = {
                "auc": float(roc_auc_score(y, raw)),
                "false_flags": float(np.mean(s[: len(positives)] < OFF_VOICE_BELOW)),
                "catch_rate": float(np.mean(s[len(positives):] < OFF_VOICE_BELOW)),
            }
        if with_baselines:
            row["methods"].update(_baselines(learn, positives, negatives, embedder, y))
        rows.append(row)
    methods = list(rows[0]["methods"])
    macro = {}
    for m in methods:
        macro[m] = {k: float(np.mean([r["methods"][m][k] for r in rows if r["methods"][m].get(k) is not None]))
                    for k in ("auc", "false_flags", "catch_rate") if rows[0]["methods"][m].get(k) is not None}
        macro[m]["min_auc"] = float(min(r["methods"][m]["auc"] for r in rows))
    return {"by": by, "lang": lang, "masked": mask, "seed": seed, "voices": rows, "macro": macro,
            "left_out": left_out, "off_voice_below": OFF_VOICE_BELOW}


def _features(profile, docs, embedder):
    from .profile import extract_features

    return extract_features([d.text for d in docs], profile.lang_, embedder)


def _baselines(learn: list[Document], positives: list[Document], negatives: list[Document], embedder,
               y: np.ndarray) -> dict[str, dict[str, float | None]]:
    """The obvious first designs: embedding-centroid cosine, character 4-gram TF-IDF cosine."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import roc_auc_score

    test = [d.text for d in positives + negatives]
    train = [d.text for d in learn]
    e_train = embedder.encode(train)
    centroid = e_train.mean(axis=0)
    centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
    cos = embedder.encode(test) @ centroid
    vec = TfidfVectorizer(analyzer="char", ngram_range=(4, 4), sublinear_tf=True, max_features=3000)
    m_train = vec.fit_transform(train)
    c = np.asarray(m_train.mean(axis=0)).ravel()
    c /= max(float(np.linalg.norm(c)), 1e-12)
    char = np.asarray(vec.transform(test) @ c).ravel()
    return {"centroid-cosine": {"auc": float(roc_auc_score(y, cos)), "false_flags": None, "catch_rate": None},
            "char-4gram-cosine": {"auc": float(roc_auc_score(y, char)), "false_flags": None, "catch_rate": None}}
