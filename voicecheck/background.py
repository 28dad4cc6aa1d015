"""The generic background: writing by many voices that are not the brand.

A brand's voice is what sets it apart from everyone else, so learning needs some
"everyone else". Users often have only their own posts; voicecheck therefore ships
a background corpus per first-class language, written for the project (fictional
organisations and people, many genres and registers). User contrast writing, when
given, is added to it. Background features are computed once per process and model;
the embeddings of the shipped texts are also shipped (``<lang>.<model>.npy``, checked
against the texts and the installed model's digest, recomputed when either differs),
so that learning a profile does not pay for embedding the background again.

``python -m voicecheck.background`` rebuilds the shipped embeddings.

The first texts of each first-class language are also the fixed texts on which ``style.measurement_fingerprint``
measures style: editing or reordering them makes every profile learned before warn that it was measured
otherwise (add texts at the end of a file).
"""

from __future__ import annotations

import hashlib
import json
import threading
from importlib import resources
from pathlib import Path

import numpy as np

from .features import Features

__all__ = ["background_texts", "background_voices", "background_features", "has_background"]

_LOCK = threading.Lock()
_TEXTS: dict[str, list[str]] = {}
_VOICES: dict[str, list[str]] = {}
_FEATURES: dict[tuple[str, str], Features] = {}


def has_background(lang: str) -> bool:
    return bool(background_texts(lang))


def background_texts(lang: str) -> list[str]:
    """All background texts shipped for ``lang`` (empty when there are none)."""
    _read(lang)
    return _TEXTS[lang]


def background_voices(lang: str) -> list[str]:
    """The fictional voice that wrote each of ``background_texts(lang)``, row-aligned.

    Learning keeps each voice's posts in one fold, so that the fusion and the
    calibration see background writers the family models have not seen, as new
    drafts by strangers will be.
    """
    _read(lang)
    return _VOICES[lang]


def _read(lang: str) -> None:
    with _LOCK:
        if lang in _TEXTS:
            return
        texts: list[str] = []
        voices: list[str] = []
        folder = resources.files("voicecheck") / "background"
        if folder.is_dir():
            for entry in sorted(folder.iterdir(), key=lambda e: e.name):
                if entry.name.startswith(f"{lang}_") and entry.name.endswith(".jsonl"):
                    for line in entry.read_text(encoding="utf-8").splitlines():
                        if line.strip():
                            row = json.loads(line)
                            texts.append(row["text"])
                            voices.append(str(row["voice"]))
        _VOICES[lang] = voices
        _TEXTS[lang] = texts


def background_features(lang: str, embedder) -> Features | None:
    """Features of the background for ``lang`` with ``embedder`` (cached per process)."""
    key = (lang, embedder.name)
    with _LOCK:
        cached = _FEATURES.get(key)
    if cached is not None:
        return cached
    texts = background_texts(lang)
    if not texts:
        return None
    from .lexical import NgramFeaturizer
    from .style import measure_many

    embeddings = _shipped_embeddings(lang, embedder, texts)
    if embeddings is None:
        embeddings = np.asarray(embedder.encode(texts), dtype=np.float32)
    feats = Features(list(texts), embeddings, measure_many(texts, lang), NgramFeaturizer().counts(texts))
    with _LOCK:
        _FEATURES.setdefault(key, feats)
        return _FEATURES[key]


def _texts_digest(texts: list[str]) -> str:
    return hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()


def _shipped_paths(lang: str, model: str) -> tuple[Path, Path]:
    folder = Path(str(resources.files("voicecheck") / "background"))
    return folder / f"{lang}.{model}.npy", folder / f"{lang}.{model}.json"


def _shipped_embeddings(lang: str, embedder, texts: list[str]) -> np.ndarray | None:
    """The shipped embeddings when they match these texts and this exact model, else None."""
    identity = getattr(embedder, "identity", None)
    if identity is None:
        from .embedding import installed_model_identity
        try:
            identity = installed_model_identity(embedder.name)
        except Exception:
            return None
    arr_path, meta_path = _shipped_paths(lang, embedder.name)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("model_sha256") != identity.get("sha256") or meta.get("texts_sha256") != _texts_digest(texts):
            return None
        arr = np.load(arr_path, allow_pickle=False)
    except (OSError, ValueError):
        return None
    if arr.shape != (len(texts), embedder.dimension):
        return None
    return arr.astype(np.float32)


def build_shipped_embeddings() -> list[Path]:
    """Embed every shipped background with its language's default model and save it."""
    from .embedding import installed_model_identity, load_embedder, model_for_language

    written = []
    for lang in ("en", "it"):
        texts = background_texts(lang)
        if not texts:
            continue
        model = model_for_language(lang)
        embedder = load_embedder(model)
        arr = np.asarray(embedder.encode(texts), dtype=np.float32)
        arr_path, meta_path = _shipped_paths(lang, model)
        np.save(arr_path, arr, allow_pickle=False)
        meta_path.write_text(json.dumps({"model": model, "model_sha256": installed_model_identity(model)["sha256"],
                                         "texts_sha256": _texts_digest(texts), "n": len(texts)}, indent=2) + "\n")
        written += [arr_path, meta_path]
    return written


if __name__ == "__main__":  # pragma: no cover - maintenance command
    for path in build_shipped_embeddings():
        print(path)
