"""What we tried to raise the score's accuracy, measured by the evaluation protocol (design section 4).

Each variant changes one thing about how a profile learns or scores, and is run on
the same protocol tasks as ``voicecheck evaluate`` (``voicecheck.evaluation.protocol_tasks``):
each voice's earliest 70% learn, its latest 30% are the positives, strangers never
seen while learning are the negatives. Printed: macro ROC AUC (lowest voice) with
contrast writing and without (the shipped background only). The variants:

- ``product``: what ships (three family models, logistic fusion, background voices kept
  whole in one fold each);
- ``random-folds``: background posts spread over folds at random (the earlier product);
- ``+knn``: two more fusion inputs: the mean cosine of the draft to its 5 nearest brand
  posts, in embedding space and in n-gram space (one-class typicality);
- ``+distorted``: a fourth family on text distortion (Stamatatos 2017): function words
  and punctuation kept, every other word masked, then n-grams (topic-robust style);
- ``impostor-fusion``: the fusion learned against the quarter of background voices
  nearest the brand only (impostors), not the whole background;
- ``length-shrink``: raw scores pulled toward the brand's median by n / (n + 10) for
  an n-word draft (short posts carry less evidence);
- ``half-background``: half the background's voices (does more background help?).

Run:  .venv/bin/python benchmarks/ablations.py [--variants product,+knn] [--no-mask]

About 20 minutes on 2 cores (each variant learns two profiles per voice). The corpora are read from
../shared/corpora-dev/ (never copied into the repository).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from voicecheck.background import background_features, background_voices  # noqa: E402
from voicecheck.corpus import read_corpus  # noqa: E402
from voicecheck.evaluation import protocol_tasks  # noqa: E402
from voicecheck.features import Features  # noqa: E402
from voicecheck.hashing import char_ngram_counts, word_ngram_counts  # noqa: E402
from voicecheck.lexical import _TOKEN, N_FEATURES, NgramFeaturizer, neutralise  # noqa: E402
from voicecheck.profile import FAMILIES, VoiceProfile, _family_model, _negative_folds  # noqa: E402
from voicecheck.style import _STOP  # noqa: E402

CORPORA = Path(os.environ.get("VOICECHECK_DEV_CORPORA", Path(__file__).resolve().parents[2] / "shared" / "corpora-dev"))
FILES = {"twcs_brands_en.jsonl": True, "it_politicians_tweets.jsonl": False}  # file: mask sign-offs by default
VARIANTS = ("product", "random-folds", "+knn", "+distorted", "impostor-fusion", "length-shrink", "half-background")
NEIGHBOURS = 5
SHRINK_WORDS = 10.0
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def distorted(texts, lang: str) -> sp.csr_matrix:
    """Sublinear n-gram counts of the texts with every word but the function words masked."""
    stop = _STOP.get(lang, frozenset())

    def mask(text: str) -> str:
        return _WORD.sub(lambda m: m.group(0) if m.group(0).lower() in stop else "*" * min(len(m.group(0)), 8),
                         neutralise(text))

    clean = [mask(t) for t in texts]
    m = sp.hstack([char_ngram_counts(clean, 4, N_FEATURES),
                   word_ngram_counts([c.lower() for c in clean], _TOKEN, 3, N_FEATURES)],
                  format="csr", dtype=np.float32)
    m.data = 1.0 + np.log(m.data)
    return m


def tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    m = (counts @ sp.diags(idf)).tocsr()
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return (sp.diags(1.0 / norms) @ m).tocsr()


def nearest(sims, k: int = NEIGHBOURS) -> np.ndarray:
    sims = sims.toarray() if sp.issparse(sims) else np.asarray(sims)
    k = min(k, sims.shape[1])
    return np.partition(sims, -k, axis=1)[:, -k:].mean(axis=1)


def raw_scores(task, lang: str, embedder, contrast: Features | None, variant: str) -> np.ndarray:
    """Fit one variant on the task's learning writing and return its raw scores of the test posts."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    if variant == "product":
        profile = VoiceProfile(name=task.voice, lang=lang).fit_features(task.learn, contrast, lang=lang,
                                                                         embedder=embedder, dates=task.learn_dates)
        return profile.combined_scores(profile.family_scores(task.test))
    bg = background_features(lang, embedder)
    voices = list(background_voices(lang))
    if variant == "half-background":
        names = sorted(set(voices))
        keep = set(np.random.default_rng(0).permutation(names)[: len(names) // 2])
        rows = [i for i, v in enumerate(voices) if v in keep]
        bg, voices = bg.take(rows), [voices[i] for i in rows]
    pos = task.learn
    neg = Features.concat([p for p in (contrast, bg) if p is not None])
    neg_voices = [None] * (len(contrast) if contrast is not None else 0) + voices
    # The profile's own style scaling and folds, with no negatives of its own.
    base = VoiceProfile(name=task.voice, lang=lang, use_background=False).fit_features(
        pos, None, lang=lang, embedder=embedder, dates=task.learn_dates)
    both = Features.concat([pos, neg])
    featurizer = NgramFeaturizer().fit(both.texts)
    inputs = base._family_inputs(both, featurizer)
    tests = base._family_inputs(task.test, featurizer)
    families = list(FAMILIES)
    if variant == "+distorted":
        counts = distorted(both.texts, lang)
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        idf = (np.log((1 + counts.shape[0]) / (1 + df)) + 1.0).astype(np.float32)
        inputs["distorted"], tests["distorted"] = tfidf(counts, idf), tfidf(distorted(task.test.texts, lang), idf)
        families.append("distorted")
    n_pos = len(pos)
    y = np.r_[np.ones(n_pos), np.zeros(len(neg))]
    brand_folds = base._brand_folds(n_pos, task.learn_dates)
    k = int(brand_folds.max()) + 1
    if variant == "random-folds":
        negative_folds = np.random.default_rng(0).permutation(np.arange(len(neg)) % k)
    else:
        negative_folds = _negative_folds(neg_voices, k, 0)
    fold_of = np.r_[brand_folds, negative_folds]
    knn = variant == "+knn"
    columns = len(families) + (2 if knn else 0)
    oof = np.zeros((len(y), columns))
    model = lambda fam: _family_model("lexical" if fam == "distorted" else fam)  # noqa: E731
    for fold in range(k):
        train, test = np.flatnonzero(fold_of != fold), np.flatnonzero(fold_of == fold)
        for j, fam in enumerate(families):
            oof[test, j] = model(fam).fit(inputs[fam][train], y[train]).decision_function(inputs[fam][test])
        if knn:
            ref = train[train < n_pos]
            oof[test, -2] = nearest(inputs["semantic"][test] @ inputs["semantic"][ref].T)
            oof[test, -1] = nearest(inputs["lexical"][test] @ inputs["lexical"][ref].T)
    out = np.zeros((len(task.test), columns))
    for j, fam in enumerate(families):
        out[:, j] = model(fam).fit(inputs[fam], y).decision_function(tests[fam])
    if knn:
        out[:, -2] = nearest(tests["semantic"] @ inputs["semantic"][:n_pos].T)
        out[:, -1] = nearest(tests["lexical"] @ inputs["lexical"][:n_pos].T)
    use = np.ones(len(y), dtype=bool)
    if variant == "impostor-fusion":
        centre = pos.embeddings.mean(axis=0)
        offset = len(neg) - len(voices)
        sims = {v: float(bg.embeddings[[i for i, x in enumerate(voices) if x == v]].mean(axis=0) @ centre)
                for v in set(voices)}
        near = set(sorted(sims, key=lambda v: -sims[v])[: max(3, len(sims) // 4)])
        use[n_pos + offset:] = [v in near for v in voices]
    scaler = StandardScaler().fit(oof[use])
    fusion = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit(scaler.transform(oof[use]), y[use])
    raw = fusion.decision_function(scaler.transform(out))
    if variant == "length-shrink":
        median = float(np.median(fusion.decision_function(scaler.transform(oof[:n_pos]))))
        words = np.array([len(t.split()) for t in task.test.texts], dtype=float)
        raw = median + (raw - median) * words / (words + SHRINK_WORDS)
    return raw


def main(argv=None) -> int:
    from sklearn.metrics import roc_auc_score

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variants", default=",".join(VARIANTS), help=f"comma-separated, of: {', '.join(VARIANTS)}")
    ap.add_argument("--corpora", type=Path, default=CORPORA)
    ap.add_argument("--no-mask", dest="mask", action="store_false", help="keep the English sign-offs and links")
    args = ap.parse_args(argv)
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown:
        ap.error(f"unknown variant(s): {', '.join(unknown)}")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    t0 = time.perf_counter()
    for name, mask in FILES.items():
        path = args.corpora / name
        if not path.is_file():
            print(f"{path}: not found, skipped", file=sys.stderr)
            continue
        lang, embedder, _, tasks = protocol_tasks(read_corpus([path]), mask=mask and args.mask)
        aucs: dict[tuple[str, str], list[float]] = {}
        for task in tasks:
            for mode, contrast in (("contrast", task.contrast), ("no contrast", None)):
                for variant in variants:
                    raw = raw_scores(task, lang, embedder, contrast, variant)
                    aucs.setdefault((variant, mode), []).append(float(roc_auc_score(task.y, raw)))
        masked = " (sign-offs and links masked)" if mask and args.mask else ""
        print(f"\n{name}{masked}: macro ROC AUC (lowest voice)")
        print(f"{'variant':18s} {'with contrast':>16s} {'no contrast':>16s}")
        for variant in variants:
            cells = [f"{np.mean(aucs[variant, m]):.3f} ({min(aucs[variant, m]):.3f})"
                     for m in ("contrast", "no contrast")]
            print(f"{variant:18s} {cells[0]:>16s} {cells[1]:>16s}", flush=True)
    print(f"\n{time.perf_counter() - t0:.0f}s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
