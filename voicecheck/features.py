"""Features: everything the family models read for a batch of texts.

Extracting them (embedding, style measures, n-gram counts) is the only costly
step of learning and scoring, so it happens once per text and the result is
passed around; evaluation and the background reuse it across many profiles.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Features", "extract_features"]


@dataclass
class Features:
    """Per-text inputs of the three families, row-aligned with ``texts``."""

    texts: list[str]
    embeddings: np.ndarray
    style: np.ndarray
    ngrams: Any  # scipy.sparse.csr_matrix of sublinear n-gram counts (before idf)

    def __len__(self) -> int:
        return len(self.texts)

    def take(self, rows: Sequence[int] | np.ndarray | slice) -> Features:
        """The features of some rows, in the order given."""
        if isinstance(rows, slice):
            return Features(self.texts[rows], self.embeddings[rows], self.style[rows], self.ngrams[rows])
        idx = np.asarray(rows, dtype=int)
        return Features([self.texts[i] for i in idx], self.embeddings[idx], self.style[idx], self.ngrams[idx])

    @staticmethod
    def concat(parts: Sequence[Features]) -> Features:
        import scipy.sparse as sp

        parts = [p for p in parts if len(p)]
        return Features([t for p in parts for t in p.texts], np.vstack([p.embeddings for p in parts]),
                        np.vstack([p.style for p in parts]), sp.vstack([p.ngrams for p in parts], format="csr"))


def check_embedder(embedder: Any) -> None:
    """Refuse what is no embedding model (a model's name given as a string: ``"x".encode`` exists, and failed deep
    inside) with an ``InputError`` naming ``embedder``."""
    from .errors import InputError

    if isinstance(embedder, (str, bytes)) or not callable(getattr(embedder, "encode", None)) \
            or not isinstance(getattr(embedder, "name", None), str):
        hint = (f" (to load the model called {embedder!r}: voicecheck.embedding.load_embedder({embedder!r}))"
                if isinstance(embedder, str) else "")
        raise InputError(f"embedder must be an embedding model with a name and an encode method, got "
                         f"{type(embedder).__name__}{hint}", field="embedder")


def extract_features(texts: Sequence[str], lang: str, embedder, *, progress: Callable[[int], None] | None = None,
                     style_names: Sequence[str] | None = None) -> Features:
    """Embed, measure and count n-grams for ``texts`` (``style_names``: a saved profile's own style features)."""
    from .documents import unicode_problem
    from .errors import InputError
    from .lexical import NgramFeaturizer
    from .style import measure_many

    check_embedder(embedder)
    if progress is not None and not callable(progress):  # a TypeError deep in the embedding had said nothing
        raise InputError(f"progress must be a function called with the number of texts done, or None; got "
                         f"{type(progress).__name__}", field="progress")
    # Surrounding whitespace is not writing: a file's trailing newline must not change a score, whether
    # the text came through a reader (which strips it) or straight through the library.
    texts = [t.strip() if isinstance(t, str) else t for t in texts]
    for i, text in enumerate(texts):  # the library's own backstop; files and API bodies are checked when read
        problem = unicode_problem(text)
        if problem:
            raise InputError(f"text #{i + 1} {problem}", field="text")
    if texts:
        embeddings = np.asarray(embedder.encode(texts, progress=progress), dtype=np.float32)
    else:
        embeddings = np.zeros((0, embedder.dimension), np.float32)
    return Features(texts, embeddings, measure_many(texts, lang, style_names), NgramFeaturizer().counts(texts))
