"""Embedding plumbing that needs no model: how texts are cut into forward passes, and the model thread."""

from __future__ import annotations

import os
import random
import signal
import threading
import time

import numpy as np
import pytest

from voicecheck.embedding import FORWARD_COST_CHARS, ModelThread, _length_batches


def _cost(batches, lengths):
    return sum(FORWARD_COST_CHARS + len(b) * max(lengths[i] for i in b) for b in batches)


def _batches(lengths, size=64):
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    return order, _length_batches(order, lengths, size)


@pytest.mark.parametrize("seed", range(5))
def test_batches_cover_every_text_once_in_order_and_respect_the_size(seed):
    rng = random.Random(seed)
    lengths = [rng.randint(20, 280) for _ in range(rng.randint(1, 400))] + [rng.randint(600, 1200) for _ in range(3)]
    order, batches = _batches(lengths, size=16)
    assert [i for b in batches for i in b] == order
    assert all(1 <= len(b) <= 16 for b in batches)


def test_one_long_text_does_not_pad_a_batch_of_tweets():
    lengths = [60] * 20 + [1000]
    _, batches = _batches(lengths)
    assert [len(b) for b in batches] == [20, 1]


def test_a_few_tweets_of_similar_lengths_stay_in_one_forward_pass():
    """Every pass has a fixed cost: eight tweets are not split for a little padding."""
    lengths = [80, 85, 95, 100, 110, 120, 130, 140]
    _, batches = _batches(lengths)
    assert len(batches) == 1


@pytest.mark.parametrize("seed", range(3))
def test_the_cut_is_the_cheapest(seed):
    """Against brute force over every cut of a small sorted list."""
    from itertools import combinations

    rng = random.Random(seed)
    lengths = sorted(rng.choice([30, 80, 200, 450, 900]) for _ in range(9))
    _, batches = _batches(lengths, size=4)
    n, best = len(lengths), float("inf")
    for k in range(n):
        for cuts in combinations(range(1, n), k):
            edges = (0, *cuts, n)
            parts = [list(range(a, b)) for a, b in zip(edges, edges[1:])]
            if all(len(p) <= 4 for p in parts):
                best = min(best, _cost(parts, lengths))
    assert _cost(batches, lengths) == best


def test_model_thread_runs_every_call_on_one_thread_and_passes_errors_back():
    mt = ModelThread("voicecheck-test")
    names: list[str] = []
    callers = [threading.Thread(target=lambda: names.append(mt.run(lambda: threading.current_thread().name)))
               for _ in range(4)]
    for t in callers:
        t.start()
    for t in callers:
        t.join()
    names.append(mt.run(lambda: threading.current_thread().name))
    assert len(set(names)) == 1 and names[0].startswith("voicecheck-test")
    with pytest.raises(ValueError, match="bad batch"):
        mt.run(lambda: (_ for _ in ()).throw(ValueError("bad batch")))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_model_thread_works_in_a_forked_process():
    # A pre-forking web server or a multiprocessing pool forks after the model ran once in the parent:
    # the child inherited the pool but not its thread, and its first encode waited forever.
    mt = ModelThread("voicecheck-test")
    assert mt.run(os.getpid) == os.getpid()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            signal.alarm(10)
            os.write(write, str(mt.run(lambda: 6 * 7)).encode())
        finally:
            os._exit(0)
    os.close(write)
    deadline = time.monotonic() + 20
    while os.waitpid(pid, os.WNOHANG) == (0, 0):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            break
        time.sleep(0.05)
    with os.fdopen(read) as f:
        assert f.read() == "42"


def test_minilm_progress_counts_texts_not_pieces():
    """A long text is several pieces; the progress bar counts the drafts the user gave."""
    from voicecheck.embedding import MiniLMEmbedder, ModelThread

    enc = object.__new__(MiniLMEmbedder)
    enc._thread = ModelThread("test-progress")
    enc._forward = lambda texts: np.ones((len(texts), MiniLMEmbedder.dimension), dtype=np.float32)
    enc._count = lambda text: len(text.split())
    enc._max_tokens = 20
    long_text = ". ".join(f"sentence number {i} of a long post with many words" for i in range(30))
    texts = [long_text] * 3 + ["short one"] * 5
    steps: list[int] = []
    out = enc.encode(texts, batch_size=4, progress=steps.append)
    assert out.shape == (8, MiniLMEmbedder.dimension)
    assert sum(steps) == len(texts) and len(steps) > 1 and all(s > 0 for s in steps)


def test_use_reads_a_long_text_in_pieces_and_a_post_whole():
    """USE read a 190,000-character text in one pass (870 MB more memory); now in pieces of at most
    USE_CHUNK_CHARS, cut at sentence ends, averaged by length. A post or a page is one piece, embedded as before."""
    from voicecheck.embedding import USE_CHUNK_CHARS, USEEmbedder, _pieces

    sentence = "Il caffè di oggi arriva dal Huila, tostato chiaro per la moka. "
    page = sentence * 40
    assert _pieces(page.strip(), USE_CHUNK_CHARS) == [page.strip()]
    book = (sentence * 2000).strip()
    pieces = _pieces(book, USE_CHUNK_CHARS)
    assert len(pieces) > 20 and all(len(p) <= USE_CHUNK_CHARS for p in pieces)
    assert " ".join(pieces).split() == book.split() and all(p.endswith("moka.") for p in pieces)
    unbroken = "x" * (2 * USE_CHUNK_CHARS + 7)  # no sentence end, no space: cut anyway
    assert [len(p) for p in _pieces(unbroken, USE_CHUNK_CHARS)] == [USE_CHUNK_CHARS, USE_CHUNK_CHARS, 7]

    enc = object.__new__(USEEmbedder)
    enc._thread = ModelThread("test-use")
    seen: list[int] = []

    class Model:
        def encode(self, texts):
            seen.extend(len(t) for t in texts)
            return np.array([[len(t), 1.0] + [0.0] * (USEEmbedder.dimension - 2) for t in texts])

    enc._model = Model()
    steps: list[int] = []
    out = enc.encode([book, "Buongiorno!", page], batch_size=8, progress=steps.append)
    assert max(seen) <= USE_CHUNK_CHARS and sum(steps) == 3
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0)
    short = np.array([len("Buongiorno!"), 1.0]) / np.hypot(len("Buongiorno!"), 1.0)
    assert np.allclose(out[1, :2], short)  # one piece: the model's own vector, normalised


def test_the_models_compute_with_no_more_threads_than_the_container_s_cpu_quota(tmp_path, monkeypatch):
    """Kubernetes CPU limits set cgroup v2's cpu.max, which the CPU count and affinity do not show: a service on a
    big node ran one thread per core against a quota of 2 (an integrator's review)."""
    from voicecheck.embedding import usable_cpus

    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    quota = tmp_path / "cpu.max"
    for written, threads in (("200000 100000\n", 2), ("150000 100000\n", 2), ("50000 100000\n", 1),
                             ("max 100000\n", 64), ("garbage\n", 64)):
        quota.write_text(written)
        assert usable_cpus(str(quota)) == threads, written
    assert usable_cpus(str(tmp_path / "absent")) == 64
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    quota.write_text("100000 100000\n")
    assert usable_cpus(str(quota)) == 3  # the host's own choice stands
