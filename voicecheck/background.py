"""The generic background: writing by many voices that are not the brand.

A brand's voice is what sets it apart from everyone else, so learning needs some
"everyone else". Users often have only their own posts; voicecheck therefore ships
a background corpus per first-class language, written for the project (fictional
organisations and people, many genres and registers). User contrast writing, when
given, is added to it. Background embeddings are computed once per process and model.
"""

from __future__ import annotations

import json
import threading
from importlib import resources

import numpy as np

__all__ = ["background_texts", "background_embeddings", "has_background"]

_LOCK = threading.Lock()
_TEXTS: dict[str, list[str]] = {}
_EMBEDDINGS: dict[tuple[str, str], np.ndarray] = {}


def has_background(lang: str) -> bool:
    return bool(background_texts(lang))


def background_texts(lang: str) -> list[str]:
    """All background texts shipped for ``lang`` (empty when there are none)."""
    with _LOCK:
        if lang not in _TEXTS:
            texts: list[str] = []
            folder = resources.files("voicecheck") / "background"
            if folder.is_dir():
                for entry in sorted(folder.iterdir(), key=lambda e: e.name):
                    if entry.name.startswith(f"{lang}_") and entry.name.endswith(".jsonl"):
                        for line in entry.read_text(encoding="utf-8").splitlines():
                            if line.strip():
                                texts.append(json.loads(line)["text"])
            _TEXTS[lang] = texts
        return _TEXTS[lang]


def background_embeddings(lang: str, embedder) -> np.ndarray:
    """Embeddings of the background for ``lang`` with ``embedder`` (cached per process)."""
    key = (lang, embedder.name)
    with _LOCK:
        cached = _EMBEDDINGS.get(key)
    if cached is not None:
        return cached
    texts = background_texts(lang)
    vectors = embedder.encode(texts) if texts else np.zeros((0, embedder.dimension), dtype=np.float32)
    with _LOCK:
        _EMBEDDINGS[key] = vectors
    return vectors
