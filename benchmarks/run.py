"""voicecheck speed and memory benchmark (issue 6): one command, one table.

    .venv/bin/python benchmarks/run.py            # full run, ~6-10 minutes on 2 cores
    .venv/bin/python benchmarks/run.py --quick    # small sizes, ~1-2 minutes (a smoke run)
    .venv/bin/python benchmarks/run.py --json out.json --skip service,cli

Every ratio compares two figures measured in this run, in this process (or in a
subprocess started by it), after a warm-up; timed pairs are interleaved and the best
of ``--repeat`` runs is kept for each side, so a busy neighbour on the machine hurts
both sides alike. The batch and CLI ratios are the median of five rounds in which the
library and the model run back to back (``--repeat`` sets the rounds too): the machine's speed
drifts by 10-20% within a minute, and a best-of-two on each side let one lucky run
decide. The load average is printed at the start and at the end.
Texts are synthetic (benchmarks/synth.py): sentences of the shipped sample corpora
and of the shipped background recombined.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import synth  # noqa: E402


@dataclass
class Row:
    section: str
    figure: str
    value: float | str
    unit: str = ""
    target: str = ""
    ratio: float | None = None  # measured / target, or the ratio the target is about
    ok: bool | None = None
    note: str = ""


ROWS: list[Row] = []


def row(*args, **kw) -> Row:
    r = Row(*args, **kw)
    ROWS.append(r)
    print(f"  {r.section:<9} {r.figure:<58} {_fmt(r.value)} {r.unit}", file=sys.stderr, flush=True)
    return r


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:,.3f}" if abs(v) < 10 else f"{v:,.1f}"
    return str(v)


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def rounds_of(fns: dict[str, Callable[[], object]], rounds: int) -> dict[str, list[float]]:
    """Wall times of each function, all run back to back ``rounds`` times, the order reversed every round.

    Each round's ratios compare runs seconds apart, so the machine's speed, which drifts
    by 10-20% over a minute here, cancels out of them; a table ratio is their median.
    """
    times: dict[str, list[float]] = {k: [] for k in fns}
    for r in range(rounds):
        for name in (list(fns) if r % 2 == 0 else list(fns)[::-1]):
            t = time.perf_counter()
            fns[name]()
            times[name].append(time.perf_counter() - t)
    return times


def best_of(fns: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Run each function ``repeat`` times, interleaved; the best wall time of each."""
    return {k: min(v) for k, v in rounds_of(fns, repeat).items()}


def median(values: list[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def docs_of(texts: list[str], prefix: str = "d"):
    from voicecheck.documents import Document
    return [Document(text=t, id=f"{prefix}{i}") for i, t in enumerate(texts)]


def learn(texts: list[str], lang: str, name: str = "bench"):
    from voicecheck import VoiceProfile
    return VoiceProfile(name=name, lang=lang).fit(docs_of(texts, "b"), warn=False)


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# --------------------------------------------------------------------------- sections
def bench_startup(cfg) -> None:
    log("startup: import voicecheck, voicecheck --help")
    py = sys.executable
    code = "import time; t=time.perf_counter(); import voicecheck; print(time.perf_counter()-t)"
    imports, walls = [], []
    for _ in range(cfg.startup_runs):
        t = time.perf_counter()
        out = subprocess.run([py, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
        walls.append(time.perf_counter() - t)
        imports.append(float(out.stdout.strip()))
    v = min(imports)
    row("startup", "import voicecheck (in-process, best)", v, "s", "< 0.3 s", v / 0.3, v < 0.3,
        f"whole python -c process: {min(walls):.3f} s")
    cli = [str(Path(py).parent / "voicecheck")]
    if not Path(cli[0]).exists():
        cli = [py, "-m", "voicecheck"]
    helps = []
    for _ in range(cfg.startup_runs):
        t = time.perf_counter()
        subprocess.run([*cli, "--help"], capture_output=True, check=True, cwd=ROOT)
        helps.append(time.perf_counter() - t)
    v = min(helps)
    row("startup", "voicecheck --help (subprocess wall, best)", v, "s", "< 0.5 s", v / 0.5, v < 0.5)


def bench_batch(cfg, lang: str, state: dict) -> None:
    from voicecheck import load_embedder, score_documents
    from voicecheck.embedding import model_for_language

    model = model_for_language(lang)
    log(f"batch [{lang}, {model}]: learning the sample brand's profile")
    profile = learn(synth.brand_texts(lang), lang, f"sample-{lang}")
    state[f"profile_{lang}"] = profile
    emb = load_embedder(model)
    texts = synth.tweets(cfg.n_batch, lang, seed=1)
    state[f"tweets_{lang}"] = texts
    docs = docs_of(texts)
    rounds = cfg.batch_rounds
    log(f"batch [{lang}]: warm-up, then {rounds} rounds of encode and score_documents on {len(texts)}, back to back")
    emb.encode(texts[:128])
    score_documents(profile, docs[:128])
    times = rounds_of({"encode": lambda: emb.encode(texts), "score": lambda: score_documents(profile, docs)}, rounds)
    encode_s, score_s = times["encode"], times["score"]
    best_encode, best_score = min(encode_s), min(score_s)
    model_tps, score_tps = len(texts) / best_encode, len(texts) / best_score
    state[f"encode_s_{lang}"] = best_encode
    state[f"score_s_{lang}"] = best_score
    row(f"batch-{lang}", f"model alone: load_embedder('{model}').encode, {len(texts)} tweets (best)", model_tps,
        "posts/s")
    ratios = [e / s for e, s in zip(encode_s, score_s)]
    r = median(ratios)
    row(f"batch-{lang}", "library score_documents(profile, docs) (best)", score_tps, "posts/s", ">= 0.8x model", r,
        r >= 0.8, f"ratio: median of {rounds} paired rounds ({min(ratios):.2f}-{max(ratios):.2f}); best "
        f"{1000 * best_score / len(texts):.2f} ms/post vs {1000 * best_encode / len(texts):.2f} encoding")


def bench_cli(cfg, state: dict) -> None:
    profile, texts = state["profile_en"], state["tweets_en"]
    cli = [str(Path(sys.executable).parent / "voicecheck")]
    if not Path(cli[0]).exists():
        cli = [sys.executable, "-m", "voicecheck"]
    with tempfile.TemporaryDirectory(prefix="vc-bench-") as tmp:
        tmp = Path(tmp)
        pdir = profile.save(tmp / "profile")
        for name, items in (("all", texts), ("one", texts[:1])):
            with open(tmp / f"{name}.jsonl", "w", encoding="utf-8") as f:
                for i, t in enumerate(items):
                    f.write(json.dumps({"id": f"p{i}", "text": t}) + "\n")
        log(f"cli: voicecheck score on 1 post (fixed cost) and on {len(texts)} posts, {cfg.batch_rounds} rounds")

        def run(name: str) -> None:
            with open(os.devnull, "wb") as devnull:
                subprocess.run([*cli, "score", str(tmp / f"{name}.jsonl"), "--profile", str(pdir), "--format", "jsonl"],
                               stdout=devnull, check=False, cwd=ROOT, env={**os.environ, "PYTHONWARNINGS": "ignore"})

        from voicecheck import load_embedder

        model = profile.embedding_model_["name"]
        emb = load_embedder(model)
        # The model alone as a process of its own: read the same file, load the model, encode, exit.
        # It pays the same Python, torch and weights start-up the CLI pays, and skips the interpreter's
        # teardown as the CLI does (os._exit); what is left is voicecheck's own cost.
        alone = ("import json, os, sys; from voicecheck.embedding import load_embedder; "
                 "texts = [json.loads(line)['text'] for line in open(sys.argv[1], encoding='utf-8')]; "
                 f"load_embedder({model!r}).encode(texts); os._exit(0)")

        def run_alone() -> None:
            subprocess.run([sys.executable, "-c", alone, str(tmp / "all.jsonl")], check=True, cwd=ROOT)

        run("one")  # warm the page cache
        times = rounds_of({"one": lambda: run("one"), "all": lambda: run("all"),
                           "encode": lambda: emb.encode(texts), "alone": run_alone}, cfg.batch_rounds)
    t = {k: min(v) for k, v in times.items()}  # best of each, for the values shown
    per_round = list(zip(times["one"], times["all"], times["encode"], times["alone"]))
    model_tps = len(texts) / t["encode"]  # the reference, measured interleaved with the CLI runs
    row("cli", "model alone in this process, interleaved with the CLI runs (best)", model_tps, "posts/s")
    row("cli", "model alone as a process: start-up + load + encode (best)", len(texts) / t["alone"], "posts/s", "",
        None, None, f"{t['alone']:.1f} s wall")
    row("cli", "voicecheck score, 1 post: start-up + model + profile load (best)", t["one"], "s")
    wall_tps = len(texts) / t["all"]
    ratios = [alone / all_ for _, all_, _, alone in per_round]
    r = median(ratios)
    row("cli", f"voicecheck score {len(texts)} posts, wall incl. start-up (best)", wall_tps, "posts/s",
        ">= 0.8x model process", r, r >= 0.8,
        f"ratio: median of {len(ratios)} rounds ({min(ratios):.2f}-{max(ratios):.2f}); best {t['all']:.1f} s wall; "
        f"{wall_tps / model_tps:.2f}x the model already loaded in this process")
    net = len(texts) / max(t["all"] - t["one"], 1e-9)
    ratios = [encode / max(all_ - one, 1e-9) for one, all_, encode, _ in per_round]
    r = median(ratios)
    row("cli", "voicecheck score, after start-up (wall - 1-post wall) (best)", net, "posts/s", ">= 0.8x model", r,
        r >= 0.8, f"ratio: median of {len(ratios)} rounds ({min(ratios):.2f}-{max(ratios):.2f})")


def bench_blogs(cfg, state: dict) -> None:
    import numpy as np

    from voicecheck import load_embedder, score_documents
    from voicecheck.embedding import MINILM

    profile = state["profile_en"]
    emb = load_embedder(MINILM)
    blogs = synth.blogs(cfg.n_blogs, "en", seed=2)
    tweets = state["tweets_en"][: cfg.n_blogs * 8]
    log(f"blogs: {len(blogs)} posts of 400-1,000 words")
    if hasattr(emb, "_chunks"):
        chunks = [emb._chunks(b) for b in blogs]
        pieces = max(emb._count(b) for b in blogs)
    else:  # a test double without a token limit
        chunks, pieces = [[b] for b in blogs], "n/a"
    score_documents(profile, blogs[:2])
    t = best_of({"blogs": lambda: score_documents(profile, blogs), "tweets": lambda: score_documents(profile, tweets),
                 "blog_encode": lambda: emb.encode(blogs)}, cfg.repeat)
    per_blog, per_tweet = t["blogs"] / len(blogs), t["tweets"] / len(tweets)
    words = [len(b.split()) for b in blogs]
    row("blogs", "blog posts: words (min-max), word pieces (max)", f"{min(words)}-{max(words)}, {pieces}")
    if pieces != "n/a":
        row("blogs", "chunks per blog post (min / mean / max)",
            f"{min(map(len, chunks))} / {np.mean([len(c) for c in chunks]):.1f} / {max(map(len, chunks))}", "",
            "> 1 (read whole)", None, min(map(len, chunks)) > 1)
    base = emb.encode(blogs[:1])[0]
    paras = blogs[0].split("\n\n")
    changed = "\n\n".join(paras[:-1] + ["Completely different closing words about quarterly tax filings and "
                                        "municipal zoning permits, nothing like the rest."])
    cos = float(np.dot(base, emb.encode([changed])[0]))
    row("blogs", "cosine after changing only the last paragraph", cos, "", "< 1 (no truncation)", None, cos < 0.9999)
    row("blogs", "score_documents per blog post", 1000 * per_blog, "ms")
    row("blogs", "score_documents per tweet (same run)", 1000 * per_tweet, "ms")
    row("blogs", "blog / tweet cost", per_blog / per_tweet, "x", "", None, None,
        f"{np.mean(words):.0f} words/blog; model alone {1000 * t['blog_encode'] / len(blogs):.1f} ms/blog, "
        f"so score/encode = {t['blog_encode'] / t['blogs']:.2f}")


def bench_learn(cfg, state: dict) -> None:
    import voicecheck.background as bg
    from voicecheck import load_embedder
    from voicecheck.embedding import MINILM

    emb = load_embedder(MINILM)
    texts = synth.tweets(cfg.n_learn, "en", seed=3, brand_only=True)
    shipped = bg._shipped_embeddings("en", emb, bg.background_texts("en")) is not None
    log(f"learn: {len(texts)} posts; background embeddings shipped and valid: {shipped}")
    emb.encode(texts[:64])
    res: dict[str, float] = {"encode": float("inf"), "fit_cold": float("inf"), "fit_warm": float("inf")}
    profile = None
    for _ in range(cfg.repeat):
        t = time.perf_counter()
        emb.encode(texts)
        res["encode"] = min(res["encode"], time.perf_counter() - t)
        bg._FEATURES.clear()  # the first profile learned in a process pays for the background's features
        t = time.perf_counter()
        profile = learn(texts, "en", "learn")
        res["fit_cold"] = min(res["fit_cold"], time.perf_counter() - t)
        if cfg.learn_warm:
            t = time.perf_counter()
            learn(texts, "en", "learn")
            res["fit_warm"] = min(res["fit_warm"], time.perf_counter() - t)
    state["profile_1000"] = profile
    row("learn", f"embed {len(texts)} posts once (model alone)", res["encode"], "s")
    r = res["fit_cold"] / res["encode"]
    row("learn", f"learn from {len(texts)} posts, first in process", res["fit_cold"], "s", "<= 3x embedding", r, r <= 3,
        "background embeddings " + ("shipped (loaded from .npy)" if shipped else "NOT shipped: embedded in this run"))
    if not cfg.learn_warm:
        return
    r = res["fit_warm"] / res["encode"]
    row("learn", f"learn from {len(texts)} posts, background cached", res["fit_warm"], "s", "<= 3x embedding",
        r, r <= 3)


def bench_growth(cfg, state: dict) -> None:
    from voicecheck import load_embedder, score_documents
    from voicecheck.embedding import MINILM

    profile = state["profile_en"]
    emb = load_embedder(MINILM)
    pool = synth.tweets(max(cfg.growth_sizes), "en", seed=4)
    log(f"growth: scoring {cfg.growth_sizes} posts")
    emb.encode(pool[:64])
    fns = {n: (lambda n=n: score_documents(profile, pool[:n])) for n in cfg.growth_sizes}
    t = best_of(fns, cfg.repeat)
    base = t[cfg.growth_sizes[0]] / cfg.growth_sizes[0]
    for n in cfg.growth_sizes:
        per = t[n] / n
        row("growth", f"score {n} posts", t[n], "s", "linear", per / base, None, f"{1000 * per:.2f} ms/post")
    drafts = pool[: cfg.growth_drafts]
    log(f"growth: profiles learned from {cfg.growth_profiles} posts, scoring {len(drafts)} drafts each")
    with tempfile.TemporaryDirectory(prefix="vc-bench-") as tmp:
        first = None
        for n in cfg.growth_profiles:
            if n == cfg.n_learn and state.get("profile_1000") is not None:
                prof = state["profile_1000"]
            else:
                prof = learn(synth.tweets(n, "en", seed=3, brand_only=True), "en", f"p{n}")
            path = prof.save(Path(tmp) / f"p{n}")
            sizes = {p.name: p.stat().st_size for p in path.iterdir()}
            score_documents(prof, drafts[:32])
            t = best_of({"s": lambda: score_documents(prof, drafts)}, cfg.repeat)["s"] / len(drafts)
            first = first or t
            big = ", ".join(f"{k} {v / 1024:.0f}K" for k, v in sorted(sizes.items(), key=lambda kv: -kv[1])[:3])
            row("growth", f"profile from {n} posts: size on disk", sum(sizes.values()) / 1024, "KiB", "", None, None,
                big)
            row("growth", f"profile from {n} posts: scoring time per post", 1000 * t, "ms", "flat", t / first)


def bench_history(cfg, state: dict) -> None:
    """The service's drift report over a stored history (``drift.stored_drift_report``, as ``/drift`` makes it),
    on a SQLite store of ``cfg.n_history`` posts of the current version and a quarter as many of an earlier one."""
    import datetime as dt
    import tracemalloc

    from voicecheck import score_documents
    from voicecheck.drift import stored_drift_report
    from voicecheck.store import open_store

    profile = state["profile_en"]
    scored = [r.to_dict(with_style=True) for r in score_documents(profile, synth.tweets(500, "en", seed=6))]
    log(f"history: storing {cfg.n_history} scored posts, then the service's drift report over them")
    start, every = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc), dt.timedelta(minutes=7)  # 80,000 in 13 months
    with tempfile.TemporaryDirectory(prefix="vc-bench-") as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'history.db'}")
        try:
            # and a quarter as many scored by an earlier version of the profile, as after a relearn: counted, not read
            for version, n in ((profile.version_, cfg.n_history), ("earlier", cfg.n_history // 4)):
                for first in range(0, n, 5000):
                    store.add_results("bench", version, [
                        {**scored[i % len(scored)], "id": f"p{i}", "date": (start + i * every).isoformat()}
                        for i in range(first, min(first + 5000, n))])

            def report() -> dict:
                return stored_drift_report(store, "bench", profile, window="week")

            t = best_of({"report": report}, cfg.repeat)["report"]
            tracemalloc.start()
            try:
                report()
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
        finally:
            store.close()
    row("history", f"drift report over {cfg.n_history} stored posts", t, "s", "", None, None,
        f"{1e6 * t / cfg.n_history:.0f} us/post, weekly windows; {cfg.n_history // 4} more of an earlier version")
    row("history", f"drift report over {cfg.n_history} stored posts: memory", peak / 2**20, "MiB", "", None, None,
        "peak of Python's allocations while it is built (tracemalloc)")


def bench_service(cfg) -> None:
    import shutil

    import httpx

    from serving import running_server

    log(f"service: real server with {cfg.n_profiles} profiles (English and Italian), one score each")
    with tempfile.TemporaryDirectory(prefix="vc-bench-") as tmp:
        models = Path(tmp) / "models"
        models.mkdir()
        src = {}
        for lang in ("en", "it"):
            src[lang] = learn(synth.brand_texts(lang), lang, f"src-{lang}").save(Path(tmp) / f"src-{lang}")
        names = []
        for i in range(cfg.n_profiles):
            lang = "en" if i % 2 == 0 else "it"
            name = f"brand{i:02d}-{lang}"
            shutil.copytree(src[lang], models / name)
            names.append((name, lang))
        with running_server(models, Path(tmp) / "server.log", ready_within=120) as (base, pid):
            rss0 = _rss(pid)
            tweets = {"en": synth.tweets(5, "en", seed=5), "it": synth.tweets(5, "it", seed=5)}
            errors = 0
            for name, lang in names:
                r = httpx.post(f"{base}/v1/profiles/{name}/score", json={"text": tweets[lang][0], "id": "x"},
                               timeout=120)
                errors += r.status_code != 200
            rss = _rss(pid)
    row("service", "server RSS after start-up, no profile used", rss0 / 1024, "MiB")
    r = (rss / 1024) / 1536
    row("service", f"server RSS, {cfg.n_profiles} profiles loaded and used (both models)", rss / 1024, "MiB",
        "< 1.5 GiB", r, r < 1 and errors == 0, f"{errors} failed requests")


def _rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# --------------------------------------------------------------------------- table
def table(rows: list[Row], load: tuple[tuple, tuple], header: str) -> str:
    lines = [header, f"load average at start: {load[0][0]:.2f} {load[0][1]:.2f} {load[0][2]:.2f}; "
             f"at end: {load[1][0]:.2f} {load[1][1]:.2f} {load[1][2]:.2f} (machine: {os.cpu_count()} cores)", ""]
    w = max(len(r.figure) for r in rows)
    lines.append(f"{'section':<9} {'figure':<{w}} {'value':>12} {'unit':<8} {'target':<18} {'ratio':>7}  ok   note")
    lines.append("-" * (w + 72))
    for r in rows:
        ratio = "" if r.ratio is None else f"{r.ratio:.2f}"
        ok = "" if r.ok is None else ("yes" if r.ok else "NO")
        lines.append(f"{r.section:<9} {r.figure:<{w}} {_fmt(r.value):>12} {r.unit:<8} {r.target:<18} {ratio:>7}  "
                     f"{ok:<4} {r.note}")
    return "\n".join(lines)


SECTIONS = ("startup", "batch", "italian", "cli", "blogs", "learn", "growth", "history", "service")


def config(quick: bool, repeat: int | None):
    full = dict(n_batch=2000, n_blogs=40, n_learn=1000, growth_sizes=[250, 500, 1000, 2000],
                growth_profiles=[100, 300, 1000], growth_drafts=500, n_profiles=10, startup_runs=7, repeat=2, batch_rounds=5,
                learn_warm=True, n_history=80_000)
    small = dict(n_batch=64, n_blogs=3, n_learn=60, growth_sizes=[16, 32], growth_profiles=[60],
                 growth_drafts=16, n_profiles=2, startup_runs=2, repeat=1, batch_rounds=1, learn_warm=False,
                 n_history=300)
    cfg = argparse.Namespace(**(small if quick else full))
    if repeat:
        cfg.repeat = cfg.batch_rounds = repeat
    return cfg


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes: a smoke run, figures not meaningful")
    ap.add_argument("--repeat", type=int, help="timed runs per figure, best kept (default 2, quick 1)")
    ap.add_argument("--skip", default="", help=f"comma-separated sections to skip: {','.join(SECTIONS)}")
    ap.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = ap.parse_args(argv)
    cfg = config(args.quick, args.repeat)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = skip - set(SECTIONS)
    if unknown:
        ap.error(f"unknown sections: {', '.join(sorted(unknown))}")
    ROWS.clear()
    load0 = os.getloadavg()
    started = time.perf_counter()
    state: dict = {}
    if "startup" not in skip:
        bench_startup(cfg)
    needs_en = {"batch", "cli", "blogs", "growth", "history"} - skip
    if needs_en:
        bench_batch(cfg, "en", state)
    if "italian" not in skip:
        bench_batch(cfg, "it", state)
    if "cli" not in skip:
        bench_cli(cfg, state)
    if "blogs" not in skip:
        bench_blogs(cfg, state)
    if "learn" not in skip:
        bench_learn(cfg, state)
    if "growth" not in skip:
        bench_growth(cfg, state)
    if "history" not in skip:
        bench_history(cfg, state)
    if "service" not in skip:
        bench_service(cfg)
    load1 = os.getloadavg()
    header = (f"voicecheck benchmark ({'quick' if args.quick else 'full'}; best of {cfg.repeat}; "
              f"{time.perf_counter() - started:.0f} s)")
    if args.quick:  # 64 posts cannot show what 2,000 do (start-up alone outweighs them): no verdicts
        for r in ROWS:
            r.ok = None
        header += "\n--quick: a smoke run at tiny sizes; ratios are not judged against the targets"
    print(table(ROWS, (load0, load1), header))
    if args.json:
        args.json.write_text(json.dumps({"load_start": load0, "load_end": load1, "quick": args.quick,
                                         "rows": [asdict(r) for r in ROWS]}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
