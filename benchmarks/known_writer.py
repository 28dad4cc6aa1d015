"""How much it helps to give, as contrast writing, the earlier writing of the very writer to tell apart.

The evaluation protocol (design section 4) keeps the strangers unseen while learning: the
agency is always a stranger. In practice a brand often knows who else writes for it or
next to it (the agency's writing for other clients, a peer brand). This measures what
``voicecheck learn --contrast THEIR-POSTS`` buys then. For an ordered pair of voices
(brand A, writer B): A's earliest 70% learn a profile twice, once with no contrast
writing (the shipped background only) and once with B's earliest 70% as contrast; each
profile scores A's latest 30% (positives) against B's latest 30% (negatives). Printed:
ROC AUC per pair, both ways, and the mean over pairs with the mean paired gain.

Texts are masked as in design section 4 point 5 (sign-offs removed, links made one URL);
``--no-mask`` scores them as written.

Run:  .venv/bin/python benchmarks/known_writer.py [--pairs 12] [--seed 0] [--file other.jsonl] [--no-mask]

About 6 minutes on 2 cores for both development files (12 English pairs drawn, all 6
Italian ones). The corpora are read from ../shared/corpora-dev/ (never copied into the
repository).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_drift import split_voice  # noqa: E402  (the same split as the drift benchmark's)
from voicecheck.corpus import read_corpus  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

from voicecheck.evaluation import mask_signoffs  # noqa: E402
from voicecheck.profile import VoiceProfile  # noqa: E402
from voicecheck.scoring import score_documents  # noqa: E402

CORPORA = Path(os.environ.get("VOICECHECK_DEV_CORPORA", Path(__file__).resolve().parents[2] / "shared" / "corpora-dev"))
FILES = ("twcs_brands_en.jsonl", "it_politicians_tweets.jsonl")
MIN_TEXTS = 60  # as the protocol: voices with fewer texts are left out


def measure(path: Path, pairs: int, seed: int, mask: bool = True) -> list[tuple[str, str, float, float]]:
    docs = read_corpus([path])
    if mask:
        docs = [dataclasses.replace(d, text=mask_signoffs(d.text)) for d in docs]
    by_voice: dict[str, list] = {}
    for d in docs:
        by_voice.setdefault(d.meta["voice"], []).append(d)
    parts = {v: split_voice(ds) for v, ds in sorted(by_voice.items()) if len(ds) >= MIN_TEXTS}
    ordered = list(itertools.permutations(parts, 2))
    if pairs and len(ordered) > pairs:
        rng = np.random.default_rng(seed)
        ordered = [ordered[i] for i in sorted(rng.choice(len(ordered), size=pairs, replace=False))]
    rows = []
    for a, b in ordered:
        (learn, own), (theirs, later) = parts[a], parts[b]
        aucs = []
        for contrast in ((), theirs):
            profile = VoiceProfile(name=a).fit(learn, contrast, warn=False)
            pos = [r.score for r in score_documents(profile, own)]
            neg = [r.score for r in score_documents(profile, later)]
            aucs.append(float(roc_auc_score([1] * len(pos) + [0] * len(neg), pos + neg)))
        rows.append((a, b, aucs[0], aucs[1]))
        print(f"  {a} against {b}: {aucs[0]:.3f} without contrast writing, "
              f"{aucs[1]:.3f} with the earlier posts of {b} as contrast", flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs", type=int, default=12, help="ordered pairs drawn per file (0: all; default 12)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--file", dest="files", type=Path, action="append", default=[],
                    help="a multi-voice JSON Lines file (voice, text, date); repeatable; "
                         "default: the development corpora")
    ap.add_argument("--no-mask", dest="mask", action="store_false", help="score the texts as written")
    args = ap.parse_args(argv)
    files = args.files or [CORPORA / f for f in FILES]
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        print(f"not found: {', '.join(missing)}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    for path in files:
        print(f"{path.name}:", flush=True)
        rows = measure(path, args.pairs, args.seed, args.mask)
        if not rows:
            print("  fewer than two voices with enough texts")
            continue
        without, with_ = np.array([r[2] for r in rows]), np.array([r[3] for r in rows])
        print(f"  mean over {len(rows)} pairs: {without.mean():.3f} without contrast writing, {with_.mean():.3f} with "
              f"the other writer's (gain {np.mean(with_ - without):+.3f}, lowest pair {without.min():.3f} -> "
              f"{with_.min():.3f})\n", flush=True)
    print(f"{time.perf_counter() - t0:.0f}s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
