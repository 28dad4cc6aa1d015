"""Benchmark the drift report on synthetic streams (design section 4, point 6).

For a voice V of a multi-voice corpus: learn a profile on V's earliest 70%, then
build weekly streams (about 30 posts a week) from V's held-out latest 30%; after
some clean weeks another voice's posts are mixed in at 0%, 10%, 30% or 50%.
Every distinct post is scored once and its result reused (scoring is the slow
part). Printed per file and overall:

- false alarms on clean weeks: the share of clean weeks marked as drifting, and
  the share of clean weeks on which an alert was raised ("from 1st": of those, the
  alerts that start with the first window, which the report flags as "the profile
  may no longer match the brand's writing" and advises learning a new version);
- FA streams: the share of streams with an alert starting before the change;
- per mix level: the share of streams whose first alert after the change is
  raised by the end of the second mixed week ("found by 2nd"; the third: "by
  3rd"), and the mean delay in windows (0 = raised in the first mixed week);
  "flagged by 2nd": the share where the first or second mixed week is marked
  as drifting (a window-level report, without waiting for an alert); "relearn
  advice": the share of streams whose report says the profile may no longer
  match the brand's writing (drift from the first window, or windows between
  the alerts that are not clean either).

Also printed: alerts per tested window over each voice's held-out posts in their real order
(``real_order``), where weeks are not interchangeable as in the synthetic streams.

With ``--power``, also the power of one window alone (30 posts, 30% of another voice) for the
product's statistic (the mean surprise) and for other tests of the same level against the same
tolerant null: the mean score, the off-voice count, likelihood ratios for a 30% mixture, higher
criticism. It says whether a better statistic could find a 30% mix sooner, or whether the
scores themselves are the limit.

With ``--held-out random``, a random 30% of each voice's posts over the whole period feed the streams and the
profile learns the rest: the drift report on a profile as current as the posts, without the stale profiles of
the latest posts (docs/drift.md, "stale profiles, the tolerance, or the scores?").

Run:  .venv/bin/python benchmarks/bench_drift.py [--voices N] [--streams 20] [--seed 0] [--no-mask] [--power]
                                                 [--held-out latest|random]
      .venv/bin/python benchmarks/bench_drift.py --file other.jsonl [--min-posts 100]   # any corpus

Texts are masked by default (sign-offs such as ``^JS`` removed, links made one
neutral URL, as in design section 4 point 5): in the brand tweets the agents'
initials rotate over time, so unmasked, a brand's own later tweets look foreign
to its profile (15-17% off-voice for some voices) and "clean" weeks are not clean.
The corpora are read from ../shared/corpora-dev/ (never copied into the repo).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from voicecheck.corpus import read_corpus  # noqa: E402
from voicecheck.drift import drift_report  # noqa: E402
from voicecheck.evaluation import mask_signoffs  # noqa: E402
from voicecheck.language import detect_language  # noqa: E402
from voicecheck.profile import VoiceProfile  # noqa: E402
from voicecheck.scoring import score_documents  # noqa: E402
from voicecheck.typicality import NULL_EXPONENT, null_exponent  # noqa: E402

CORPORA = Path(os.environ.get("VOICECHECK_DEV_CORPORA", Path(__file__).resolve().parents[2] / "shared" / "corpora-dev"))
FILES = {"twcs_brands_en.jsonl": "en", "it_politicians_tweets.jsonl": "it"}
MIX_LEVELS = (0.0, 0.10, 0.30, 0.50)
CLEAN_WEEKS = 8
MIXED_WEEKS = 4
POSTS_PER_WEEK = 30
START = dt.date(2025, 1, 6)  # a Monday
MIN_POSTS = 150  # a voice needs this many posts to take part (its held-out 30% feed the streams)


def split_voice(docs, held_out: str = "latest"):
    """Sorted by date: the earliest 70% learn, the latest 30% are held out (undated: in file order).

    ``held_out="random"``: a random 30% spread over the whole period is held out instead (drawn from the
    voice's name, so the same posts every run), and the profile learns the rest. The streams then test the
    drift report alone, on a profile as current as the posts; with the latest 30%, they also test a profile
    that the brand's writing has moved away from since it learned (the stale profiles of docs/drift.md).
    """
    if all(d.date is not None for d in docs):
        docs = sorted(docs, key=lambda d: d.date)
    cut = int(round(0.7 * len(docs)))
    if held_out == "random":
        seed = int.from_bytes(hashlib.sha256(docs[0].meta["voice"].encode()).digest()[:4], "big")
        held = set(np.random.default_rng(seed).choice(len(docs), size=len(docs) - cut, replace=False).tolist())
        return [d for i, d in enumerate(docs) if i not in held], [d for i, d in enumerate(docs) if i in held]
    return docs[:cut], docs[cut:]


def prepare(path: Path, lang: str | None, n_voices: int | None, rng: np.random.Generator, *, mask: bool = False,
            min_posts: int = MIN_POSTS, held_out: str = "latest"):
    """Learn profiles and score each distinct post once: {voice: (profile, own, {other: results})}."""
    docs = read_corpus([path])
    if lang is None:
        lang = detect_language([d.text for d in docs[:: max(1, len(docs) // 300)]]) or "en"
    if mask:  # sign-offs and links name the brand (and its rotating staff) without being its writing
        docs = [dataclasses.replace(d, text=mask_signoffs(d.text)) for d in docs]
    by_voice: dict[str, list] = {}
    for d in docs:
        by_voice.setdefault(d.meta["voice"], []).append(d)
    eligible = sorted(v for v, ds in by_voice.items() if len(ds) >= min_posts)
    chosen = list(rng.choice(eligible, size=min(n_voices or len(eligible), len(eligible)), replace=False))
    out = {}
    for v in chosen:
        t0 = time.perf_counter()
        learn, held = split_voice(by_voice[v], held_out)
        learn = [dataclasses.replace(d, source="inhouse") for d in learn]  # the source of the streams' own posts
        profile = VoiceProfile(name=v, lang=lang).fit(learn, warn=False)
        others = [w for w in eligible if w != v]
        mixers = list(rng.choice(others, size=min(2, len(others)), replace=False))
        batch = list(held)
        spans = {}
        for w in mixers:
            _, w_held = split_voice(by_voice[w], held_out)
            spans[w] = (len(batch), len(batch) + len(w_held))
            batch.extend(w_held)
        results = [r.to_dict(with_style=True) for r in score_documents(profile, batch)]
        own = results[:len(held)]
        other = {w: results[a:b] for w, (a, b) in spans.items()}
        print(f"  {v}: learned on {len(learn)}, scored {len(batch)} posts in {time.perf_counter() - t0:.0f}s; "
              f"held-out off-voice {np.mean([r['verdict'] == 'off-voice' for r in own]):.1%}, "
              f"mean score {np.mean([r['score'] for r in own]):.1f}; drift test tolerance (null exponent) "
              f"{null_exponent(profile):.2f}; mix-in voices "
              + ", ".join(f"{w} (mean {np.mean([r['score'] for r in rs]):.1f}, "
                          f"off-voice {np.mean([r['verdict'] == 'off-voice' for r in rs]):.0%})"
                          for w, rs in other.items()), flush=True)
        out[v] = (profile, own, other)
    return out


def make_stream(own, other, mix: float, rng: np.random.Generator):
    """Dated results: CLEAN_WEEKS clean weeks, then MIXED_WEEKS weeks with a share ``mix`` of ``other``."""
    stream = []
    for week in range(CLEAN_WEEKS + MIXED_WEEKS):
        n = int(rng.integers(POSTS_PER_WEEK - 5, POSTS_PER_WEEK + 6))
        share = mix if week >= CLEAN_WEEKS else 0.0
        n_other = int(rng.binomial(n, share))
        picks = [(own[i], "inhouse") for i in rng.integers(0, len(own), n - n_other)]
        picks += [(other[i], "agency") for i in rng.integers(0, len(other), n_other)]
        for r, source in picks:
            day = START + dt.timedelta(days=7 * week + int(rng.integers(0, 7)))
            # The voice's own posts under the source its profile learned from (``prepare``): an alert of posts
            # from sources the profile never learned from gives no advice to learn again from them.
            stream.append({**r, "date": day.isoformat(), "source": source})
    return stream


def evaluate(prepared, n_streams: int, rng: np.random.Generator):
    """Per mix level: clean-week flags and alerts, detections and delays."""
    stats = {m: {"clean_weeks": 0, "clean_flags": 0, "clean_alerts": 0, "clean_alerts_first": 0, "streams": 0,
                 "advised": 0, "detected": 0,
                 "detected3": 0, "flag2": 0, "early": 0, "delays": []} for m in MIX_LEVELS}
    for v, (profile, own, others) in prepared.items():
        for mix in MIX_LEVELS:
            for _ in range(n_streams):
                w = list(others)[int(rng.integers(0, len(others)))]
                report = drift_report(make_stream(own, others[w], mix, rng), profile, window="week")
                windows = report["windows"]
                change = windows[CLEAN_WEEKS]["start"]
                s = stats[mix]
                s["streams"] += 1
                clean = windows[:CLEAN_WEEKS] if mix else windows
                s["clean_weeks"] += len(clean)
                s["clean_flags"] += sum(bool(x["drift"]) for x in clean)
                clean_starts = {x["start"] for x in clean}
                s["clean_alerts"] += sum(a["raised"] in clean_starts for a in report["alerts"])
                s["clean_alerts_first"] += sum(a["raised"] in clean_starts and a["from_first_tested"]
                                               for a in report["alerts"])
                s["early"] += any(a["start"] < change for a in report["alerts"])
                s["advised"] += report["relearn_advised"]
                s["flag2"] += any(bool(x["drift"]) for x in windows[CLEAN_WEEKS:CLEAN_WEEKS + 2])
                later = [a for a in report["alerts"] if a["start"] >= change]
                if later:
                    starts = [x["start"] for x in windows]
                    delay = starts.index(later[0]["raised"]) - CLEAN_WEEKS
                    s["delays"].append(delay)
                    s["detected"] += delay <= 1
                    s["detected3"] += delay <= 2
    return stats


def real_order(prepared) -> dict[str, list[int]]:
    """Per voice: [tested windows, alerts, "worse" alerts] over its held-out posts in their real order.

    The streams above draw each week's posts at random from the held-out posts, so weeks are
    interchangeable; a brand's real weeks are not (topics come in bursts, writing moves). Here the
    held-out posts keep their order, cut into weeks of 30 (and of 20) posts, starting at each
    10th post within the first week (5 cuts in all).
    """
    out = {}
    for v, (profile, own, _) in prepared.items():
        ordered = sorted(own, key=lambda r: r.get("date") or "")
        counts = [0, 0, 0]
        for size in (POSTS_PER_WEEK, 20):
            for offset in range(0, size, 10):
                stream = [{**r, "date": (START + dt.timedelta(days=7 * (i // size) + i % 7)).isoformat()}
                          for i, r in enumerate(ordered[offset:])]
                report = drift_report(stream, profile, window="week")
                counts[0] += sum(w["drift"] is not None for w in report["windows"])
                counts[1] += len(report["alerts"])
                counts[2] += sum(a["kind"] == "worse" for a in report["alerts"])
        out[v] = counts
    return out


POWER_POSTS = 30
POWER_MIX = 0.30
POWER_DRAWS = 4000


def _window_statistics(scores: np.ndarray, exponent: float) -> dict[str, np.ndarray]:
    """Candidate statistics of windows (rows of ``scores``); larger means less like the brand."""
    from voicecheck.typicality import SCORE_FLOOR

    u = np.clip(scores, SCORE_FLOOR, 100.0) / 100.0
    null_density = exponent * u ** (exponent - 1)
    out = {"surprise": (-np.log(u)).mean(axis=1), "mean score": -scores.mean(axis=1),
           "off-voice": (scores < 5).mean(axis=1)}
    for a in (0.2, 0.4):  # the Neyman-Pearson statistic for a 30% mixture of Beta(a, 1) scores
        out[f"LR a={a}"] = np.log(1 - POWER_MIX + POWER_MIX * a * u ** (a - 1) / null_density).sum(axis=1)
    srt, n = np.sort(u, axis=1), scores.shape[1]
    p0 = srt ** exponent
    out["higher crit."] = np.max((np.arange(1, n + 1) / n - p0) / np.sqrt(p0 * (1 - p0) / n + 1e-12), axis=1)
    return out


def window_power(prepared, rng: np.random.Generator) -> dict[str, dict[str, tuple[float, float]]]:
    """Per voice and statistic: (power on one window with a 30% mix, rate on one clean window), at level ALPHA."""
    from voicecheck.typicality import ALPHA

    table = {}
    for v, (profile, own, others) in prepared.items():
        exponent = null_exponent(profile)
        null = _window_statistics(100.0 * rng.random((20 * POWER_DRAWS, POWER_POSTS)) ** (1.0 / exponent), exponent)
        limit = {k: np.quantile(x, 1.0 - ALPHA) for k, x in null.items()}
        own_scores = np.array([r["score"] for r in own])
        clean = _window_statistics(own_scores[rng.integers(0, len(own_scores), (POWER_DRAWS, POWER_POSTS))],
                                   exponent)
        found: dict[str, list[float]] = {}
        for rs in others.values():
            other_scores = np.array([r["score"] for r in rs])
            k = rng.binomial(POWER_POSTS, POWER_MIX, POWER_DRAWS)[:, None]
            mixed = np.where(np.arange(POWER_POSTS)[None, :] < k,
                             other_scores[rng.integers(0, len(other_scores), (POWER_DRAWS, POWER_POSTS))],
                             own_scores[rng.integers(0, len(own_scores), (POWER_DRAWS, POWER_POSTS))])
            for name, x in _window_statistics(mixed, exponent).items():
                found.setdefault(name, []).append(float(np.mean(x > limit[name])))
        table[v] = {name: (float(np.mean(found[name])), float(np.mean(clean[name] > limit[name]))) for name in found}
    return table


def print_power(title: str, table) -> None:
    names = list(next(iter(table.values())))
    print(f"\n{title}")
    print(f"{'voice':18s} " + " ".join(f"{n:>13s}" for n in names))
    for v, row in list(table.items()) + [("MEAN", {n: tuple(float(np.mean([r[n][i] for r in table.values()]))
                                                           for i in (0, 1)) for n in names})]:
        print(f"{v[:18]:18s} " + " ".join(f"{row[n][0]:>6.0%} /{row[n][1]:>5.0%}" for n in names))


def print_table(title: str, stats) -> None:
    print(f"\n{title}")
    print(f"{'mix':>5} {'streams':>8} {'clean weeks':>12} {'flagged':>8} {'alerted':>8} {'from 1st':>9} "
          f"{'FA streams':>11} {'found by 2nd':>13} {'by 3rd':>7} {'mean delay':>11} {'flagged by 2nd':>15} "
          f"{'relearn advice':>15}")
    for mix, s in stats.items():
        flag = s["clean_flags"] / max(s["clean_weeks"], 1)
        alert = s["clean_alerts"] / max(s["clean_weeks"], 1)
        first = s["clean_alerts_first"] / max(s["clean_weeks"], 1)
        early = f"{s['early'] / s['streams']:.0%}"
        if mix == 0:  # with nothing mixed in, "found" is an alert starting after week 8 by chance
            found, found3, delay, flag2 = f"({s['detected'] / s['streams']:.0%})", "-", "-", "-"
        else:
            found = f"{s['detected'] / s['streams']:.0%}"
            found3 = f"{s['detected3'] / s['streams']:.0%}"
            delay = f"{np.mean(s['delays']):.2f}" if s["delays"] else "never"
            flag2 = f"{s['flag2'] / s['streams']:.0%}"
        print(f"{mix:>5.0%} {s['streams']:>8} {s['clean_weeks']:>12} {flag:>8.1%} {alert:>8.1%} {first:>9.1%} "
              f"{early:>11} "
              f"{found:>13} {found3:>7} {delay:>11} {flag2:>15} {s['advised'] / s['streams']:>15.0%}")


def _off_voice(results) -> float:
    return float(np.mean([r["verdict"] == "off-voice" for r in results]))


def _rate(s, key: str) -> str:
    return f"{s[key] / max(s['clean_weeks'], 1):.1%}"


def merge(a, b):
    return {m: {k: a[m][k] + b[m][k] for k in a[m]} for m in a}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--voices", type=int, default=None,
                    help="voices per file, drawn at random (default: every voice with enough posts)")
    ap.add_argument("--streams", type=int, default=20, help="streams per voice and mix level (default 20)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--corpora", type=Path, default=CORPORA)
    ap.add_argument("--file", dest="files", type=Path, action="append", default=[],
                    help="a multi-voice JSON Lines file (voice, text, date) to run on instead of the development "
                         "corpora; repeatable; its language is detected")
    ap.add_argument("--min-posts", type=int, default=MIN_POSTS,
                    help=f"posts a voice needs to take part (default {MIN_POSTS})")
    ap.add_argument("--power", action="store_true",
                    help=f"also the power of one window alone ({POWER_POSTS} posts, {100 * POWER_MIX:.0f}%% of another voice) "
                         f"for the product's statistic and other tests of the same level")
    ap.add_argument("--no-mask", dest="mask", action="store_false",
                    help="keep sign-offs and links (by default they are masked, design section 4 point 5: agents' "
                         "rotating initials make a brand's own later tweets look foreign)")
    ap.add_argument("--held-out", choices=("latest", "random"), default="latest",
                    help="which 30%% of each voice's posts feed the streams: its latest (default; the profile learned "
                         "before them, as a real profile did) or a random 30%% over the whole period (the profile "
                         "is as current as the posts: the drift report alone, without stale profiles)")
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    total = steady = None
    power = {}
    ordered: dict[str, list[int]] = {}
    t0 = time.perf_counter()
    runs = [(p.name, p, None) for p in args.files] or [(n, args.corpora / n, lang) for n, lang in FILES.items()]
    for name, path, lang in runs:
        if not path.is_file():
            print(f"{path}: not found, skipped", file=sys.stderr)
            continue
        rng = np.random.default_rng(args.seed)
        print(f"{name}:", flush=True)
        prepared = prepare(path, lang, args.voices, rng, mask=args.mask, min_posts=args.min_posts,
                           held_out=args.held_out)
        stats = evaluate(prepared, args.streams, rng)
        if args.power:
            power.update(window_power(prepared, np.random.default_rng(args.seed)))
        ordered.update(real_order(prepared))
        for v in prepared:
            one = evaluate({v: prepared[v]}, max(5, args.streams // 2), np.random.default_rng(args.seed + 1))
            print(f"  {v}: clean weeks flagged {_rate(one[0.0], 'clean_flags')}, alerted "
                  f"{_rate(one[0.0], 'clean_alerts')}; found within 2 windows at 30%: "
                  f"{one[0.3]['detected'] / one[0.3]['streams']:.0%}, at 50%: "
                  f"{one[0.5]['detected'] / one[0.5]['streams']:.0%}")
        masked = " (masked)" if args.mask else ""
        print_table(f"{name}{masked} ({len(prepared)} voices x {args.streams} streams per mix level; "
                    f"{CLEAN_WEEKS} clean weeks then {MIXED_WEEKS} mixed, ~{POSTS_PER_WEEK} posts a week)", stats)
        total = stats if total is None else merge(total, stats)
        within = {v: prep for v, prep in prepared.items() if _off_voice(prep[1]) <= 0.05 ** NULL_EXPONENT}
        if within:
            part = evaluate(within, args.streams, np.random.default_rng(args.seed))
            steady = part if steady is None else merge(steady, part)
        print()
    if total is not None:
        print_table("all files", total)
    if steady is not None:
        print_table(f"all files, only voices whose own held-out posts stay within the tolerance "
                    f"(<= {0.05 ** NULL_EXPONENT:.1%} off-voice)", steady)
    if ordered:
        tested, alerts, worse = (sum(c[i] for c in ordered.values()) for i in range(3))
        print(f"\nheld-out posts in their real order (weeks of 30 and of 20 posts, 5 cuts): {alerts} alerts "
              f"over {tested} tested windows ({alerts / max(tested, 1):.1%}), {worse} of them 'worse'; per voice: "
              + ", ".join(f"{v} {c[1]}/{c[0]}" for v, c in ordered.items()))
    if power:
        print_power(f"one window of {POWER_POSTS} posts alone, {POWER_MIX:.0%} of another voice: share found / share of "
                    f"clean windows (the voice's own held-out posts) marked, each test at level ALPHA against "
                    f"the same tolerant null", power)
    print(f"\n{time.perf_counter() - t0:.0f}s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
