"""The shipped background corpus and its precomputed embeddings."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources

import pytest

from voicecheck.background import _shipped_paths, _texts_digest, background_texts, background_voices
from voicecheck.embedding import installed_model_identity, model_for_language


@pytest.mark.parametrize("lang", ["en", "it"])
def test_background_has_many_voices(lang):
    folder = resources.files("voicecheck") / "background"
    voices = Counter()
    for entry in folder.iterdir():
        if entry.name.startswith(f"{lang}_") and entry.name.endswith(".jsonl"):
            for line in entry.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                assert record["text"].strip() and record["voice"]
                voices[record["voice"]] += 1
    assert len(voices) >= 40
    assert sum(voices.values()) == len(background_texts(lang)) >= 900
    # row-aligned: learning keeps each voice in one fold
    assert Counter(background_voices(lang)) == voices and len(background_voices(lang)) == len(background_texts(lang))


@pytest.mark.parametrize("lang", ["en", "it"])
def test_shipped_embeddings_match_texts_and_installed_model(lang):
    """A stale file would silently cost the embedding time at every learn: rebuild with
    ``python -m voicecheck.background`` after editing the background texts."""
    model = model_for_language(lang)
    arr_path, meta_path = _shipped_paths(lang, model)
    meta = json.loads(meta_path.read_text())
    assert meta["texts_sha256"] == _texts_digest(background_texts(lang))
    assert meta["model_sha256"] == installed_model_identity(model)["sha256"]
    assert arr_path.stat().st_size > 100_000


def test_unknown_language_has_no_background():
    assert background_texts("fr") == []
