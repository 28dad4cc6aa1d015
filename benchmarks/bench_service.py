"""Load benchmark of the HTTP service on loopback (not a test; prints a table, exits by itself).

    .venv/bin/python benchmarks/bench_service.py [--duration 30] [--clients 8] [--single 200]
                                                 [--models DIR] [--keep]

Starts the real server (`python -m voicecheck serve`, uvicorn) on 127.0.0.1 with a
fresh models directory, learns the Northwind profile through the API (or copies the
one in --models DIR/northwind), measures the embedding model's own batch throughput
in this process while the server is idle (before the load and again after it: the
machine's speed drifts by 10-20% within a minute, so the reference is their mean), then:

(a) one client, N single-score requests one after another: p50 / p99 latency;
(b) C concurrent clients, each a process of its own (as separate publishing tools
    are), sending single-score requests for D seconds: throughput, p50, p99, errors,
    and throughput as a share of the model's batch throughput;
(b') the same C clients as coroutines of one asyncio event loop in this process, as
    earlier runs measured them. Their CPU work (httpx takes 1-2 ms per request) runs
    one client after another on one core, and the server waits for the last of them:
    printed for comparison, without a target.

Targets (issue 4, 2 cores, English model): (a) p50 <= 25 ms; (b) >= 0.7x the model's
throughput, p99 <= 250 ms, zero errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serving import running_server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora" / "northwind"


def _records(name: str) -> list[dict]:
    return [json.loads(line) for line in (CORPUS / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def model_throughput(texts: list[str], seconds: float = 8.0) -> float:
    """Texts per second of the embedding model alone, in batches of 64 (as the service's batches are capped)."""
    from voicecheck.embedding import MINILM, load_embedder

    emb = load_embedder(MINILM)
    emb.encode(texts[:64])
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        emb.encode(texts, batch_size=64)
        done += len(texts)
    return done / (time.perf_counter() - start)


async def one_client(base: str, texts: list[str], n: int) -> tuple[list[float], int]:
    lat, errors = [], 0
    async with httpx.AsyncClient(base_url=base, timeout=30) as c:
        for i in range(n):
            t = time.perf_counter()
            r = await c.post("/v1/profiles/northwind/score", json={"text": texts[i % len(texts)], "id": f"s{i}"})
            lat.append(time.perf_counter() - t)
            errors += r.status_code != 200
    return lat, errors


async def many_clients(base: str, texts: list[str], clients: int, duration: float) -> tuple[list[float], int, float]:
    lat: list[float] = []
    errors = 0
    stop_at = time.perf_counter() + duration
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as c:
        async def worker(k: int) -> None:
            nonlocal errors
            i = k
            while time.perf_counter() < stop_at:
                t = time.perf_counter()
                try:
                    r = await c.post("/v1/profiles/northwind/score", json={"text": texts[i % len(texts)], "id": f"c{k}-{i}"})
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                lat.append(time.perf_counter() - t)
                errors += not ok
                i += clients

        start = time.perf_counter()
        await asyncio.gather(*(worker(k) for k in range(clients)))
        elapsed = time.perf_counter() - start
    return lat, errors, elapsed


def _client_process(base: str, texts: list[str], k: int, clients: int, start_at: float,
                    stop_at: float) -> tuple[list[float], int, float]:
    """One client in a process of its own: single-score requests one after another until ``stop_at``.

    Returns the latencies, the errors and when the last answer came.
    """
    lat, errors = [], 0
    with httpx.Client(base_url=base, timeout=30) as c:
        c.get("/healthz")  # connect before the clock starts
        time.sleep(max(0.0, start_at - time.time()))
        i = k
        while time.time() < stop_at:
            t = time.perf_counter()
            try:
                ok = c.post("/v1/profiles/northwind/score",
                            json={"text": texts[i % len(texts)], "id": f"p{k}-{i}"}).status_code == 200
            except httpx.HTTPError:
                ok = False
            lat.append(time.perf_counter() - t)
            errors += not ok
            i += clients
    return lat, errors, time.time()  # the last answer came in just now, a little after stop_at


def client_processes(base: str, texts: list[str], clients: int, duration: float) -> tuple[list[float], int, float]:
    """``clients`` clients, each its own process (as separate publishing tools are), started together."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    start_at = time.time() + 5.0  # every process is up and connected by then
    # Spawned, not forked: this process has loaded torch and started threads.
    with ProcessPoolExecutor(clients, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(_client_process, base, texts, k, clients, start_at, start_at + duration)
                   for k in range(clients)]
        parts = [f.result() for f in futures]
    # Requests sent before stop_at all count, so the window lasts until the last of them was answered.
    elapsed = max(end for _, _, end in parts) - start_at
    return [x for lat, _, _ in parts for x in lat], sum(e for _, e, _ in parts), elapsed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=float, default=30.0)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--single", type=int, default=200)
    ap.add_argument("--models", type=Path, help="a models dir that already holds northwind/ (skips learning)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary models dir")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="vc-bench-"))
    models = work / "models"
    if args.models and (args.models / "northwind" / "manifest.json").is_file():
        shutil.copytree(args.models / "northwind", models / "northwind")
    models.mkdir(exist_ok=True)
    drafts = [r["text"] for r in _records("agency.jsonl") + _records("inhouse.jsonl")]

    try:
        with running_server(models, work / "server.log") as (base, _pid):
            if not (models / "northwind").is_dir():
                t = time.perf_counter()
                r = httpx.post(base + "/v1/profiles", json={"name": "northwind", "documents": _records("inhouse.jsonl"),
                                                             "lang": "en"}, timeout=900)
                r.raise_for_status()
                print(f"learned northwind through the API in {time.perf_counter() - t:.1f} s", file=sys.stderr)

            print("measuring the model's own batch throughput (server idle)...", file=sys.stderr)
            model_before = model_throughput(drafts)

            asyncio.run(one_client(base, drafts, 20))  # warm the path
            single_lat, single_err = asyncio.run(one_client(base, drafts, args.single))
            print(f"running {args.clients} client processes for {args.duration:.0f} s...", file=sys.stderr)
            conc_lat, conc_err, elapsed = client_processes(base, drafts, args.clients, args.duration)
            print(f"running {args.clients} clients in one event loop for {args.duration:.0f} s...", file=sys.stderr)
            loop_lat, loop_err, loop_elapsed = asyncio.run(many_clients(base, drafts, args.clients, args.duration))
            print("measuring the model's own batch throughput again (server idle)...", file=sys.stderr)
            model_after = model_throughput(drafts)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    tps = len(conc_lat) / elapsed
    loop_tps = len(loop_lat) / loop_elapsed
    model_tps = (model_before + model_after) / 2
    ms = lambda x: f"{1000 * x:.1f} ms"  # noqa: E731
    rows = [
        ("model batch throughput (encode, batches of 64), mean", f"{model_tps:.1f} texts/s", "-", "-"),
        ("  before the load / after it", f"{model_before:.1f} / {model_after:.1f}", "-", "-"),
        (f"(a) 1 client, {args.single} single requests: p50", ms(_pct(single_lat, 50)), "<= 25 ms",
         "ok" if _pct(single_lat, 50) <= 0.025 else "MISSED"),
        ("(a) 1 client: p99", ms(_pct(single_lat, 99)), "-", "-"),
        ("(a) 1 client: errors", str(single_err), "0", "ok" if single_err == 0 else "MISSED"),
        (f"(b) {args.clients} client processes x {args.duration:.0f} s: requests", str(len(conc_lat)), "-", "-"),
        ("(b) throughput", f"{tps:.1f} req/s", f">= {0.7 * model_tps:.1f} req/s", "-"),
        ("(b) throughput / model throughput", f"{tps / model_tps:.2f}x", ">= 0.70x",
         "ok" if tps / model_tps >= 0.7 else "MISSED"),
        ("(b) p50", ms(_pct(conc_lat, 50)), "-", "-"),
        ("(b) p99", ms(_pct(conc_lat, 99)), "<= 250 ms", "ok" if _pct(conc_lat, 99) <= 0.25 else "MISSED"),
        ("(b) errors", str(conc_err), "0", "ok" if conc_err == 0 else "MISSED"),
        (f"(b') {args.clients} clients in one event loop: throughput", f"{loop_tps:.1f} req/s", "-", "-"),
        ("(b') throughput / model throughput", f"{loop_tps / model_tps:.2f}x", "-", "-"),
        ("(b') p50 / p99", f"{1000 * _pct(loop_lat, 50):.0f} / {1000 * _pct(loop_lat, 99):.0f} ms", "-", "-"),
        ("(b') errors", str(loop_err), "-", "-"),
    ]
    w = max(len(r[0]) for r in rows)
    print(f"\nvoicecheck service benchmark: 127.0.0.1, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f} at the end")
    print(f"{'measure'.ljust(w)}  {'value':>16}  {'target':>18}  result")
    for name, value, target, verdict in rows:
        print(f"{name.ljust(w)}  {value:>16}  {target:>18}  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
