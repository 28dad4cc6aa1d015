"""Public test doubles: fast, deterministic, offline stand-ins for the heavy parts.

``FakeEmbedder`` replaces the sentence-embedding models in tests and examples::

    >>> from voicecheck.testing import FakeEmbedder                    # doctest: +SKIP
    >>> profile = VoiceProfile(name="acme").fit(docs, embedder=FakeEmbedder())  # doctest: +SKIP
    >>> score_documents(profile, drafts, embedder=FakeEmbedder())      # doctest: +SKIP

It hashes character trigrams (and words) into 64 dimensions, so texts that share
spelling get similar vectors; it needs no model, no network and no torch.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["FakeEmbedder"]

_WORD = re.compile(r"\w+", re.UNICODE)


def _bucket(token: str, dimension: int) -> tuple[int, float]:
    h = hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest()
    value = int.from_bytes(h, "little")
    return value % dimension, (1.0 if (value >> 32) & 1 else -1.0)


class FakeEmbedder:
    """A deterministic hashing "embedding model" with the ``Embedder`` interface."""

    name = "fake-hash-64"
    dimension = 64
    identity = {"name": "fake-hash-64", "package": "voicecheck.testing", "version": "1", "sha256": "0" * 64}

    def __init__(self) -> None:
        self.identity = dict(FakeEmbedder.identity)
        self._cache: dict[str, tuple[int, float]] = {}
        self.calls = 0

    def _index(self, token: str) -> tuple[int, float]:
        hit = self._cache.get(token)
        if hit is None:
            hit = self._cache[token] = _bucket(token, self.dimension)
        return hit

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dimension, dtype=np.float64)
        low = f"  {text.lower()}  "
        for i in range(len(low) - 2):
            j, s = self._index(low[i:i + 3])
            v[j] += s
        for w in _WORD.findall(text.lower()):
            j, s = self._index("w:" + w)
            v[j] += 2.0 * s
        norm = float(np.linalg.norm(v))
        if norm == 0.0:
            v[0] = 1.0
            norm = 1.0
        return v / norm

    def encode(self, texts: Sequence[str], *, batch_size: int = 64,
               progress: Callable[[int], None] | None = None) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text; ``progress(n)`` after each batch."""
        self.calls += 1
        texts = list(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        step = max(int(batch_size), 1)
        for start in range(0, len(texts), step):
            chunk = texts[start:start + step]
            for k, t in enumerate(chunk):
                out[start + k] = self._vector(t)
            if progress is not None:
                progress(len(chunk))
        return out
