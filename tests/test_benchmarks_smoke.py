"""Smoke run of benchmarks/run.py with tiny sizes and the fake embedder: figures come out.

No timing is asserted: the benchmark is not part of the suite's pass/fail (issue 6).
The CLI and service sections start real models in subprocesses, and the Italian one repeats the
English code path with another background: they are skipped here.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import voicecheck
import voicecheck.embedding as embedding
from voicecheck.testing import FakeEmbedder

RUN = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"


def _load_runner():
    spec = importlib.util.spec_from_file_location("vc_bench_run", RUN)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["vc_bench_run"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_benchmark_quick_run_produces_figures(monkeypatch, tmp_path, capsys):
    fake = FakeEmbedder()
    monkeypatch.setattr(embedding, "load_embedder", lambda name: fake)
    monkeypatch.setattr(voicecheck, "load_embedder", lambda name: fake, raising=False)
    run = _load_runner()
    out = tmp_path / "bench.json"
    assert run.main(["--quick", "--skip", "cli,service,italian", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "load average at start" in printed and "ratio" in printed
    data = json.loads(out.read_text())
    sections = {r["section"] for r in data["rows"]}
    assert {"startup", "batch-en", "blogs", "learn", "growth"} <= sections
    ratios = [r for r in data["rows"] if r["ratio"] is not None]
    assert ratios and all(r["ratio"] > 0 for r in ratios)
