"""The VoiceProfile with the fake embedder: estimator contract, data checks, save/load and its failures."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

from conftest import IT_OFF_VOICE, IT_ON_VOICE, edit_profile_meta, english_records, italian_records, to_documents
from voicecheck.errors import (
    LanguageError, NotFittedError, ProfileError, ProfileFormatError, ProfileNotFoundError, TooLittleDataError,
    VoicecheckWarning,
)
from voicecheck.profile import CONFIDENT_DOCUMENTS, FORMAT_VERSION, MIN_DOCUMENTS, VoiceProfile
from voicecheck.scoring import score_documents
from voicecheck.testing import FakeEmbedder
from voicecheck.style import measure


# ---------------------------------------------------------------------------- the fake embedder
def test_fake_embedder_contract():
    e = FakeEmbedder()
    seen = []
    v = e.encode(["Vi aspettiamo domani", "Vi aspettiamo oggi", "BUY NOW", ""] * 20, batch_size=32,
                 progress=seen.append)
    assert v.shape == (80, 64) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert seen == [32, 32, 16]
    assert v[0] @ v[1] > v[0] @ v[2]
    assert np.array_equal(v, FakeEmbedder().encode(["Vi aspettiamo domani", "Vi aspettiamo oggi", "BUY NOW", ""] * 20))
    assert e.encode([]).shape == (0, 64)
    assert e.identity == {"name": "fake-hash-64", "package": "voicecheck.testing", "version": "1", "sha256": "0" * 64}
    assert e.name == "fake-hash-64" and e.dimension == 64


# ---------------------------------------------------------------------------- estimator contract
def test_init_stores_parameters_only():
    p = VoiceProfile(name="x", lang="it", folds=3, random_state=7, use_background=False)
    assert (p.name, p.lang, p.folds, p.random_state, p.use_background) == ("x", "it", 3, 7, False)
    assert not [k for k in vars(p) if k.endswith("_")]


def test_not_fitted_errors():
    p = VoiceProfile()
    with pytest.raises(NotFittedError, match="fit"):
        p.info
    with pytest.raises(NotFittedError):
        p.save("/nonexistent/never-written")
    assert "not fitted" in repr(p)


def test_scoring_an_unfitted_profile_is_not_fitted_error():
    try:
        score_documents(VoiceProfile(), ["Vi aspettiamo in negozio domani mattina"], embedder=FakeEmbedder())
    except NotFittedError:
        return
    except AttributeError as e:
        raise AssertionError(f"bare AttributeError: {e}") from None
    raise AssertionError("no error")


def test_fit_returns_self_with_learned_attributes(fake_profile, italian_docs):
    p = fake_profile
    assert p.name == "forno-lume" and p.lang == "auto"  # parameters are not changed by fit
    learned = [k for k in vars(p) if k.endswith("_")]
    for attr in ("lang_", "embedding_model_", "n_documents_", "n_words_", "low_confidence_", "calibration_",
                 "style_names_", "words_", "version_", "register_", "mode_"):
        assert attr in learned
    assert p.lang_ == "it" and p.n_documents_ == len(italian_docs) and p.n_background_ > 0
    assert p.embedding_model_ == FakeEmbedder.identity
    assert p.info == {"name": "forno-lume", "version": p.version_, "lang": "it"}
    assert p.register_["voi"] > 0.9 and p.register_["tu"] == 0
    assert "documents=48" in repr(p) and p.language_name == "Italian"


def test_fit_returns_self_and_accepts_strings():
    texts = [r["text"] for r in english_records(24)]
    p = VoiceProfile(name="b", use_background=False, folds=2)
    assert p.fit(texts, embedder=FakeEmbedder()) is p
    assert p.lang_ == "en" and p.mode_ == "one-class"


@pytest.mark.parametrize("n", [0, 1, 5, MIN_DOCUMENTS - 1])
def test_refuses_too_little_writing_with_numbers(n):
    docs = to_documents(italian_records(n)) if n else []
    with pytest.raises(TooLittleDataError) as info:
        VoiceProfile().fit(docs, embedder=FakeEmbedder())
    msg = str(info.value)
    assert f"{n} document{'' if n == 1 else 's'} (" in msg and str(MIN_DOCUMENTS) in msg and "words" in msg


def test_low_confidence_between_min_and_confident(fake_profile):
    assert MIN_DOCUMENTS <= fake_profile.n_documents_ < CONFIDENT_DOCUMENTS
    assert fake_profile.low_confidence_ is True


def test_confident_with_enough_writing():
    recs = english_records(CONFIDENT_DOCUMENTS)
    p = VoiceProfile(use_background=False, folds=2).fit(to_documents(recs), embedder=FakeEmbedder())
    assert p.n_words_ >= 2000 and p.low_confidence_ is False


def test_gibberish_without_lang_is_a_language_error():
    docs = [f"zxq vrrp kltm {i} qwop brzz" for i in range(25)]
    with pytest.raises(LanguageError, match="--lang on the command line, \"lang\" in the service") as e:
        VoiceProfile().fit(docs, embedder=FakeEmbedder())
    assert "mixes" not in str(e.value)


def test_writing_that_mixes_languages_says_its_split():
    """A corpus two thirds Italian and a third English: the error says so rather than 'could not tell' alone
    (found by a user review)."""
    italian = [f"Vi aspettiamo in negozio con il nuovo caffè della settimana numero {i}, che abbiamo tostato "
               "per voi e che potete provare al banco." for i in range(20)]
    english = [r["text"] for r in english_records(20)]
    with pytest.raises(LanguageError, match=r"it mixes languages \(40 documents: 20 read as (Italian|English), "
                                            r"20 read as (Italian|English)\); learn from one language at a time"):
        VoiceProfile().fit(italian + english, embedder=FakeEmbedder())


def test_unknown_lang_parameter():
    with pytest.raises(LanguageError, match="supported"):
        VoiceProfile(lang="klingon").fit([r["text"] for r in english_records(25)], embedder=FakeEmbedder())


def test_documents_marked_with_an_unknown_language_say_so():
    """The profile's language came from the documents' own "lang" field: the error says that, not "--lang"."""
    recs = [{**r, "lang": "zz-ZZ"} for r in english_records(25)]
    with pytest.raises(LanguageError, match=r"25 of the 25 documents are marked with lang 'zz' \(their \"lang\" "
                                            r"field\).*unknown language 'zz'; supported"):
        VoiceProfile().fit(to_documents(recs), embedder=FakeEmbedder())


def test_explicit_lang_overrides_detection():
    docs = [f"zxq vrrp kltm {i} qwop brzz" for i in range(25)]
    p = VoiceProfile(lang="fr", use_background=False, folds=2).fit(docs, embedder=FakeEmbedder())
    assert p.lang_ == "fr" and "tu_rate" not in p.style_names_


def test_contrast_writing_is_used():
    brand = to_documents(english_records(30))
    contrast = [f"OMG our epic deal number {i} is here!!! Grab it now 🔥 #deal" for i in range(15)]
    p = VoiceProfile(use_background=False, folds=2).fit(brand, contrast, embedder=FakeEmbedder())
    assert p.mode_ == "contrast" and p.n_contrast_ == 15
    on, off = score_documents(p, ["We're open until six. You can reserve a copy by phone.",
                                  "OMG our epic deal is here!!! Grab it now 🔥 #deal"], embedder=FakeEmbedder())
    assert on.score >= off.score
    assert sum(on.dimensions.values()) > sum(off.dimensions.values())


# ---------------------------------------------------------------------------- save / load
def scores(profile, texts=(IT_ON_VOICE, IT_OFF_VOICE)):
    return [r.to_dict() for r in score_documents(profile, list(texts), embedder=FakeEmbedder())]


def test_background_voices_stay_whole_in_one_fold():
    """A background voice is never split between the family models and the posts they score."""
    from voicecheck.profile import _negative_folds

    voices = [None] * 50 + [f"v{i % 12}" for i in range(240)]
    folds = _negative_folds(voices, 5, 0)
    assert len(folds) == len(voices) and set(folds) <= set(range(5))
    for v in {x for x in voices if x}:
        assert len({f for f, x in zip(folds, voices) if x == v}) == 1
    assert len(set(folds[:50])) == 5  # writing of unknown voices spreads over every fold
    assert len({f for f, x in zip(folds, voices) if x}) == 5
    assert (folds == _negative_folds(voices, 5, 0)).all()
    assert len(_negative_folds([], 5, 0)) == 0


def test_saved_folder_layout(fake_profile_dir):
    names = sorted(os.listdir(fake_profile_dir))
    assert "manifest.json" in names and "profile.json" in names
    assert all(n.endswith((".json", ".npy")) for n in names)
    manifest = json.loads((fake_profile_dir / "manifest.json").read_text())
    assert manifest["format_version"] == FORMAT_VERSION
    for n, digest in manifest["files"].items():
        assert hashlib.sha256((fake_profile_dir / n).read_bytes()).hexdigest() == digest
    meta = json.loads((fake_profile_dir / "profile.json").read_text())
    assert meta["embedding_model"]["name"] == "fake-hash-64" and meta["lang"] == "it"
    assert meta["low_confidence"] is True and meta["n_documents"] == 48


def test_round_trip_gives_identical_scores(fake_profile, fake_profile_dir):
    loaded = VoiceProfile.load(fake_profile_dir, embedder=FakeEmbedder())
    assert loaded.version_ == fake_profile.version_ and loaded.info == fake_profile.info
    assert loaded.low_confidence_ == fake_profile.low_confidence_
    assert scores(loaded) == scores(fake_profile)


def test_learning_names_the_few_posts_that_keep_a_habit_from_being_a_rule():
    """Two exclamation marks in 60 posts, one 'tu' among posts in 'voi': named, so that a slip can be left out
    (found by the Italian review: one misread post had quietly stopped the brand's 'never tu' rule)."""
    import dataclasses

    docs = to_documents([{**r, "id": f"p{i}"} for i, r in enumerate(italian_records(60))])
    docs[4] = dataclasses.replace(docs[4], text=docs[4].text + " Che bello!")
    docs[7] = dataclasses.replace(docs[7], text="Ti aspettiamo in negozio per assaggiare la nuova torta di mele!")
    notes = VoiceProfile(name="x", lang="it").fit(docs, embedder=FakeEmbedder()).warnings_
    assert ("2 of the 60 posts show exclamation marks (p4, p7): without them, no exclamation marks would be a rule "
            "that decides a draft's verdict; if they are slips, leave them out and learn again") in notes
    address = [n for n in notes if "address the reader" in n]
    # with the words read as that form: a misread is told from a slip (a gelato chain's review)
    assert len(address) == 1 and "uses 'tu' (p7: 'Ti') where the others use 'voi': without it, never 'tu'" in address[0]
    clean = VoiceProfile(name="x", lang="it").fit(to_documents(italian_records(60)), embedder=FakeEmbedder())
    assert not [n for n in clean.warnings_ if "would be a rule" in n]


def test_learning_names_the_few_posts_led_by_other_forms_together_below_the_rules_share():
    """An insurer's posts in 'Lei', with three led by 'voi' (two misread) and 'tu': below the rule's 95%, the few
    posts led by other forms keep every address rule away together, and none was named (a communications head's
    review). Named where the rule could hold without them (20 or more posts left)."""
    import dataclasses

    docs = to_documents([{**r, "id": f"p{i}"} for i, r in enumerate(italian_records(40))])
    docs[7] = dataclasses.replace(docs[7], text="Ti aspettiamo in negozio per assaggiare la nuova torta di mele.")
    for i, hour in ((9, "otto"), (11, "nove")):
        docs[i] = dataclasses.replace(docs[i], text=f"La ringraziamo per la fiducia: Le ricordiamo che il forno apre "
                                                    f"alle {hour}.")
    notes = [n for n in VoiceProfile(name="x", lang="it").fit(docs, embedder=FakeEmbedder()).warnings_
             if "address the reader" in n]
    assert len(notes) == 1, notes
    assert re.search(r"^3 of the \d+ posts that address the reader use another form \('tu': p7; 'Lei': p9, p11\) "
                     r"where the others use 'voi': without them, never 'tu' or 'Lei' would be a rule", notes[0]), notes


def test_learning_names_the_few_posts_that_use_another_form_of_address_beside_their_own():
    """A gelato brand's joke posts ("Vi vogliamo... no scusa, TI vogliamo bene") led by its 'tu' kept 'voi' anywhere
    from being a rule, and a draft in 'tu' with a 'Vi ricordiamo' passed; learning named no post (a social media
    lead's review)."""
    import dataclasses

    docs = to_documents([{**r, "id": f"p{i}"} for i, r in enumerate(italian_records(60))])
    led = [i for i, d in enumerate(docs) if measure(d.text, "it")["voi_rate"] > 0]
    docs[led[0]] = dataclasses.replace(docs[led[0]], text=docs[led[0]].text + " Ti aspettiamo.")
    notes = VoiceProfile(name="x", lang="it").fit(docs, embedder=FakeEmbedder()).warnings_
    assert (f"1 of the 60 posts uses 'tu' beside 'voi' (p{led[0]}: 'Ti'): without it, 'tu' anywhere in a draft would break "
            "a rule; now only a draft led by 'tu' does. If it is a slip, leave it out and learn again") in notes, notes
    # where no address rule holds (the leading form in under 95% of the posts), no note promises one (a code review)
    for k in led[1:6]:
        docs[k] = dataclasses.replace(docs[k], text=f"Gentile cliente, La ringraziamo: Lei è sempre la benvenuta "
                                                    f"al banco numero {k}.")
    notes = VoiceProfile(name="x", lang="it").fit(docs, embedder=FakeEmbedder()).warnings_
    assert not [n for n in notes if "beside" in n], notes


def test_it_knows_the_texts_it_learned_from(fake_profile, fake_profile_dir, italian_docs):
    """Spaces and case aside, as repeats are counted; another text, even one word apart, is new."""
    text = italian_docs[3].text
    assert fake_profile.learned_from([text, "  " + text.upper().replace(" ", "\n "), text + " Ciao.",
                                      IT_ON_VOICE]) == [True, True, False, False]
    assert fake_profile.learned_from([]) == []
    loaded = VoiceProfile.load(fake_profile_dir, embedder=FakeEmbedder())
    assert loaded.learned_from([text, IT_OFF_VOICE]) == [True, False]
    results = score_documents(loaded, [text, IT_ON_VOICE], embedder=FakeEmbedder())
    assert [r.learned_from for r in results] == [True, False]
    assert [r.to_dict()["learned_from"] for r in results] == [True, False]
    from voicecheck.drift import drift_report

    dated = score_documents(loaded, to_documents(italian_records(12)), embedder=FakeEmbedder())
    summary = drift_report(dated, loaded, window="month", explain_in="en")["summary"]
    assert "All 12 posts are among those the profile learned from" in summary
    assert "earlier voicecheck" not in summary


def test_a_learned_text_posted_again_on_another_day_is_new_writing(fake_profile, italian_docs):
    """The post the profile learned from is the same text within a day (time zones); a template posted again
    later is new writing (and scores high because it is the brand's own)."""
    import datetime as dt

    doc = italian_docs[3]
    day = doc.date
    rome = dt.timezone(dt.timedelta(hours=2))
    assert fake_profile.learned_from([doc.text] * 4, [day, day.astimezone(rome), day + dt.timedelta(days=30),
                                                      None]) == [True, True, False, True]
    # learned as a bare date (midnight UTC), posted at 00:30 in Rome: the UTC day before, still the same post
    half_past_midnight = dt.datetime.combine(day.date(), dt.time(0, 30), rome)
    assert fake_profile.learned_from([doc.text] * 3, [half_past_midnight, day + dt.timedelta(days=1),
                                                      day + dt.timedelta(days=2)]) == [True, True, False]
    assert fake_profile.learned_from([doc.text, doc.text], [dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31)]) == \
        [False, False]
    later = score_documents(fake_profile, to_documents([{"text": doc.text, "date": "2027-01-05"},
                                                       {"text": doc.text, "date": day.date().isoformat()}]),
                            embedder=FakeEmbedder())
    assert [r.learned_from for r in later] == [False, True]
    import copy

    from voicecheck.profile import _learned_keys

    undated = copy.copy(fake_profile)  # learned without dates: any post of the text may be the learned one
    undated.learned_texts_ = _learned_keys([doc.text], None)
    assert undated.learned_from([doc.text, doc.text, IT_ON_VOICE], [day, None, day]) == [True, True, False]


def test_a_profile_saved_before_learned_texts_existed_loads_and_knows_none(profile_copy):
    (profile_copy / "learned_texts.npy").unlink()
    manifest = json.loads((profile_copy / "manifest.json").read_text())
    del manifest["files"]["learned_texts.npy"]
    (profile_copy / "manifest.json").write_text(json.dumps(manifest))
    loaded = VoiceProfile.load(profile_copy, embedder=FakeEmbedder())
    assert loaded.learned_from([italian_records()[0]["text"]]) == [False]
    from voicecheck.drift import drift_report

    results = score_documents(loaded, to_documents(italian_records(12)), embedder=FakeEmbedder())
    summary = drift_report(results, loaded, window="month", explain_in="en")["summary"]
    assert summary.endswith("did not keep track of the posts it learned from: any of them in this report are "
                            "tested as new writing, and score higher than new writing would. Learn the profile "
                            "again to leave them out.")


# ---------------------------------------------------------------------------- short texts
def _long_posts(n: int = 60) -> list:
    """Posts of four sentences: their first sentences are the brand's own short texts."""
    records = italian_records(n + 8)
    return to_documents([{**r, "text": f"{r['text']} {records[i + 3]['text']} {records[i + 7]['text']}"}
                         for i, r in enumerate(records[:n])])


@pytest.fixture(scope="module")
def long_profile():
    return VoiceProfile(name="lunghi", lang="it").fit(_long_posts(), embedder=FakeEmbedder())


def test_short_drafts_are_placed_among_the_brand_s_own_short_texts(long_profile, tmp_path):
    """The brand's first sentences, scored by models that did not see their post, calibrate drafts that short: the
    same words as a short draft scored low against whole posts, however much they were the brand's."""
    from voicecheck.profile import _first_sentence

    p = long_profile
    short_words, post_words = p.short_words_
    assert p.short_calibration_.shape[0] == 4 and 8 <= short_words < post_words
    posts = [r.text for r in _long_posts(80)[60:]]  # posts it did not learn from, and their first sentences
    firsts = [_first_sentence(t, len(t.split())) for t in posts]
    assert all(firsts)
    new = score_documents(p, firsts, embedder=FakeEmbedder())
    old = copy_without_short(p)
    before = score_documents(old, firsts, embedder=FakeEmbedder())
    assert np.mean([r.score for r in new]) > np.mean([r.score for r in before]) + 10
    assert sum(r.verdict == "off-voice" for r in new) <= sum(r.verdict == "off-voice" for r in before)
    # whole posts as long as most of the brand's are placed among its posts as before
    long = [t for t in posts if len(t.split()) >= post_words]
    assert len(long) >= 5 and [r.score for r in score_documents(p, long, embedder=FakeEmbedder())] == \
        [r.score for r in score_documents(old, long, embedder=FakeEmbedder())]
    # a foreign short draft stays off-voice
    assert score_documents(p, [IT_OFF_VOICE], embedder=FakeEmbedder())[0].verdict == "off-voice"
    # in between, by both: calibrate() weighs the two by length on a log scale
    raw = np.array([0.0])
    full, short = old.calibrate(raw, 3), p.calibrate(raw, 3, np.array([short_words]))
    middle = p.calibrate(raw, 3, np.array([np.sqrt(short_words * post_words)]))
    assert np.allclose(middle, (full + short) / 2) and np.allclose(p.calibrate(raw, 3, np.array([post_words])), full)
    # saved and loaded whole
    loaded = VoiceProfile.load(p.save(tmp_path / "lunghi"), embedder=FakeEmbedder())
    assert loaded.short_words_ == p.short_words_ and np.array_equal(loaded.short_calibration_, p.short_calibration_)
    assert [r.score for r in score_documents(loaded, firsts, embedder=FakeEmbedder())] == [r.score for r in new]


def test_a_draft_longer_than_the_brand_s_longest_is_no_more_like_it_for_its_length(long_profile):
    """A linear style model that learned "the brand writes longer than the background" read a text longer than any of
    the brand's as ever more like it: a faithful blog post pasted twice went from 47 to 83 (a content head's review).
    Past the brand's 99th percentile, length counts as that percentile does."""
    from voicecheck.features import extract_features
    from voicecheck.profile import LONGEST_AT

    p = long_profile
    j = p.style_names_.index("words")
    longest = p.style_quantiles_[j, LONGEST_AT]
    feats = extract_features([_long_posts(61)[60].text] * 3, "it", FakeEmbedder())
    feats.style[:, j] = [longest, 2 * longest, 10 * longest]
    style = p.family_scores(feats)[:, 1]
    assert style[0] == style[1] == style[2]
    feats.style[:, j] = [longest / 2, longest, longest]  # within the brand's range, length still counts
    assert p.family_scores(feats)[0, 1] != p.family_scores(feats)[1, 1]


def copy_without_short(profile):
    import copy

    old = copy.copy(profile)
    old.short_calibration_, old.short_words_ = None, None
    return old


def test_short_calibration_in_one_class_mode(long_profile):
    """Without a background, the brand's first sentences are scored by the centroids of the other folds."""
    from voicecheck.profile import _first_sentence

    alone = VoiceProfile(name="lunghi", lang="it", use_background=False).fit(_long_posts(), embedder=FakeEmbedder())
    assert alone.mode_ == "one-class" and alone.short_calibration_.shape[0] == 4
    firsts = [_first_sentence(d.text, len(d.text.split())) for d in _long_posts(80)[60:]]
    new = [r.score for r in score_documents(alone, firsts, embedder=FakeEmbedder())]
    old = [r.score for r in score_documents(copy_without_short(alone), firsts, embedder=FakeEmbedder())]
    assert np.mean(new) > np.mean(old) + 10


def test_a_brand_of_one_sentence_posts_has_no_short_calibration(fake_profile):
    """Its posts are as short as any first sentence: nothing shorter to calibrate."""
    one = VoiceProfile(name="brevi", lang="it").fit(
        to_documents([{**r, "text": r["text"].replace(". ", ", ", 1).replace(". ", " e ")} for r in italian_records(60)]),
        embedder=FakeEmbedder())
    assert one.short_calibration_ is None and one.short_words_ is None


def test_a_profile_saved_before_short_calibration_loads_and_scores_as_before(long_profile, tmp_path):
    """Format 1, as voicecheck wrote it before: read, every draft on the scale of posts. A format-1 reader refuses
    format 2 (a code review: it had dropped the short texts' scale without a word, under the same version)."""
    folder = long_profile.save(tmp_path / "lunghi")
    assert json.loads((folder / "manifest.json").read_text())["format_version"] == FORMAT_VERSION
    (folder / "short_calibration.npy").unlink()
    manifest = json.loads((folder / "manifest.json").read_text())
    del manifest["files"]["short_calibration.npy"]
    manifest["format_version"] = 1
    (folder / "manifest.json").write_text(json.dumps(manifest))
    meta = json.loads((folder / "profile.json").read_text())
    rewrite(folder, "profile.json", json.dumps({**meta, "format_version": 1}).encode())
    loaded = VoiceProfile.load(folder, embedder=FakeEmbedder())
    assert loaded.short_calibration_ is None and loaded.short_words_ is None
    assert [r.score for r in score_documents(loaded, [IT_ON_VOICE], embedder=FakeEmbedder())] == \
        [r.score for r in score_documents(copy_without_short(long_profile), [IT_ON_VOICE], embedder=FakeEmbedder())]


def test_short_calibration_without_its_lengths_or_of_the_wrong_shape_is_a_format_error(long_profile, tmp_path):
    folder = long_profile.save(tmp_path / "lunghi")
    meta = json.loads((folder / "profile.json").read_text())
    rewrite(folder, "profile.json", json.dumps({**meta, "short_words": [30, 10]}).encode())
    assert "short_words" in load_error(folder)
    folder = long_profile.save(tmp_path / "lunghi2")
    for bad in (np.zeros((2, 5)), np.zeros((4, 0))):
        rewrite(folder, "short_calibration.npy", _npy(bad))
        assert "short_calibration.npy" in load_error(folder) and str(bad.shape) in load_error(folder)


def test_the_days_of_the_writing_learned_from_are_kept(fake_profile, fake_profile_dir, profile_copy, italian_docs):
    days = sorted(d.date.date().isoformat() for d in italian_docs)
    assert fake_profile.learned_period_ == [days[0], days[-1]]
    assert VoiceProfile.load(fake_profile_dir, embedder=FakeEmbedder()).learned_period_ == [days[0], days[-1]]
    undated = VoiceProfile(name="x", lang="it").fit([d.text for d in italian_docs], embedder=FakeEmbedder())
    assert undated.learned_period_ is None and undated.learned_sources_ is None  # no source given either
    assert fake_profile.learned_sources_ == ["inhouse"]
    assert VoiceProfile.load(fake_profile_dir, embedder=FakeEmbedder()).learned_sources_ == ["inhouse"]
    meta = json.loads((profile_copy / "profile.json").read_text())
    rewrite(profile_copy, "profile.json", json.dumps({**meta, "learned_period": ["2026-02-01", "2025-01-01"]}).encode())
    assert "learned_period" in load_error(profile_copy)
    del meta["learned_period"]  # a profile saved before it was kept
    rewrite(profile_copy, "profile.json", json.dumps(meta).encode())
    assert VoiceProfile.load(profile_copy, embedder=FakeEmbedder()).learned_period_ is None


def test_learned_texts_of_the_wrong_kind_are_a_format_error(profile_copy):
    rewrite(profile_copy, "learned_texts.npy", _npy(np.array([1.5, 2.5])))
    msg = load_error(profile_copy)
    assert "learned_texts.npy" in msg and "uint64" in msg


def test_save_is_atomic_and_replaces_whole(fake_profile, fake_profile_dir, tmp_path):
    import shutil

    target = tmp_path / "p"
    shutil.copytree(fake_profile_dir, target)
    (target / "stale.txt").write_text("from an older profile")
    assert fake_profile.save(target) == target
    assert not (target / "stale.txt").exists()
    fake_profile.save(target)  # again, over itself
    assert sorted(os.listdir(tmp_path)) == ["p"]  # no temporary folders left behind
    VoiceProfile.load(target, embedder=FakeEmbedder())


def test_a_save_is_on_disk_when_it_returns(fake_profile, tmp_path, synced):
    """Every file, the new folder's entries and the rename that swaps it in are synced: a power cut after save()
    returned must not bring the old profile back (a code review: the parent folder was never synced)."""
    target = tmp_path / "p"
    fake_profile.save(target)
    assert str(tmp_path) == synced[-1]  # the rename, last
    assert sum(1 for s in synced if s.startswith(str(tmp_path / ".p.tmp-"))) >= len(os.listdir(target)) + 1


def test_a_save_killed_between_its_two_renames_gives_the_old_profile_back(fake_profile_dir, tmp_path):
    """kill -9 after the old folder was moved aside and before the new one was moved in: no profile was left
    at the target (a service answered 404). The save did not finish, so the old profile comes back whole, on
    the next load and on the service's next listing; the new one, never confirmed, is not served."""
    import shutil
    import signal
    import subprocess
    import sys

    from voicecheck_api.registry import ProfileRegistry
    from voicecheck.errors import ProfileNotFoundError

    target = tmp_path / "p"
    shutil.copytree(fake_profile_dir, target)
    learned_at = VoiceProfile.load(target, embedder=FakeEmbedder()).learned_at_
    script = f"""
import os, signal
from voicecheck.profile import VoiceProfile
from voicecheck.testing import FakeEmbedder
profile = VoiceProfile.load({str(target)!r}, embedder=FakeEmbedder())
profile.learned_at_ = "2001-01-01T00:00:00+00:00"
rename, calls = os.rename, []
def kill_before_the_second(a, b):
    calls.append(a)
    if len(calls) == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    rename(a, b)
os.rename = kill_before_the_second
profile.save({str(target)!r})
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == -signal.SIGKILL
    assert not target.exists() and any(p.name.startswith(".p.old-") for p in tmp_path.iterdir())
    assert ProfileRegistry(tmp_path, embedder=FakeEmbedder()).names() == ["p"]  # the service lists it again
    assert VoiceProfile.load(target, embedder=FakeEmbedder()).learned_at_ == learned_at
    assert not any(p.name.startswith(".p.old-") for p in tmp_path.iterdir())
    shutil.rmtree(target)  # gone, and nothing set aside to bring back
    with pytest.raises(ProfileNotFoundError):
        VoiceProfile.load(target, embedder=FakeEmbedder())


def test_a_copy_left_by_a_save_killed_after_its_second_rename_never_comes_back(fake_profile, fake_profile_dir,
                                                                              tmp_path):
    """Killed after the new folder was moved in but before the old one was removed: the old one stays aside.
    Saving again or deleting through the service removes it, so a later missing profile is not 'restored'
    from it."""
    import shutil

    from voicecheck_api.registry import ProfileRegistry
    from voicecheck.errors import ProfileNotFoundError

    target = tmp_path / "p"
    shutil.copytree(fake_profile_dir, target)
    shutil.copytree(fake_profile_dir, tmp_path / ".p.old-abc123")
    fake_profile.save(target)
    assert sorted(os.listdir(tmp_path)) == ["p"]
    shutil.copytree(fake_profile_dir, tmp_path / ".p.old-def456")
    assert ProfileRegistry(tmp_path, embedder=FakeEmbedder())._remove(target)
    assert sorted(os.listdir(tmp_path)) == []
    with pytest.raises(ProfileNotFoundError):
        VoiceProfile.load(target, embedder=FakeEmbedder())


def test_save_refuses_to_replace_what_is_not_a_profile(fake_profile, tmp_path):
    """Saving replaces the folder: pointed at a corpus folder or a file by mistake, it must refuse, not delete."""
    from voicecheck.errors import ProfileError

    corpus = tmp_path / "my-posts"
    corpus.mkdir()
    (corpus / "posts.jsonl").write_text('{"text": "our own writing"}\n')
    with pytest.raises(ProfileError, match="not a voice profile"):
        fake_profile.save(corpus)
    assert sorted(os.listdir(corpus)) == ["posts.jsonl"]
    notes = tmp_path / "notes.txt"
    notes.write_text("keep me")
    with pytest.raises(ProfileError, match="not a folder"):
        fake_profile.save(notes)
    assert notes.read_text() == "keep me"
    assert sorted(os.listdir(tmp_path)) == ["my-posts", "notes.txt"]  # nothing half-written beside them
    empty = tmp_path / "empty"
    empty.mkdir()
    assert fake_profile.save(empty) == empty  # a new, empty folder is fine


def test_wrong_field_type_in_profile_is_a_format_error(fake_profile_dir, tmp_path):
    """An edited profile.json whose checksum was fixed up too: a clear error, not a traceback."""
    import shutil

    from voicecheck.errors import ProfileFormatError

    target = tmp_path / "p"
    shutil.copytree(fake_profile_dir, target)
    edit_profile_meta(target, lambda meta: meta.update(lang=5))
    with pytest.raises(ProfileFormatError, match="inconsistent"):
        VoiceProfile.load(target, embedder=FakeEmbedder())


def _edited(fake_profile_dir, tmp_path, name: str, data: bytes):
    """A copy of the profile with one file replaced and its checksum fixed up, as a hand edit would."""
    import hashlib
    import shutil

    target = tmp_path / "p"
    shutil.copytree(fake_profile_dir, target)
    (target / name).write_bytes(data)
    manifest = json.loads((target / "manifest.json").read_text())
    manifest["files"][name] = hashlib.sha256(data).hexdigest()
    (target / "manifest.json").write_text(json.dumps(manifest))
    return target


def _npy(arr) -> bytes:
    import io

    buf = io.BytesIO()
    np.save(buf, arr)
    return buf.getvalue()


@pytest.mark.parametrize("name, edit, says", [
    ("style_coef.npy", lambda d: _npy(np.load(d / "style_coef.npy")[:-1]), r"style_coef.npy holds an array of shape"),
    ("lexical_coef.npy", lambda d: _npy(np.load(d / "lexical_coef.npy")[:10]), r"lexical_coef.npy holds an array"),
    ("semantic_coef.npy", lambda d: _npy(np.zeros((2, 3))), r"semantic_coef.npy holds an array of 2 dimensions"),
    ("lexical_idf.npy", lambda d: _npy(np.float32(1.0)), r"lexical_idf.npy holds an array of 0 dimensions, not 1"),
    ("calibration.npy", lambda d: _npy(np.float64(1.0)), r"calibration.npy holds an array of 0 dimensions, not 2"),
    ("profile.json", lambda d: json.dumps({k: v for k, v in json.loads((d / "profile.json").read_text()).items()
                                           if k != "fusion"}).encode(), r"field 'fusion' is missing"),
    ("profile.json", lambda d: json.dumps({**json.loads((d / "profile.json").read_text()), "format_version": 99})
     .encode(), r"profile.json is of format 99"),
    ("words.json", lambda d: b"{\n'bad'", r"words.json: not valid JSON \(.*line 2"),
    ("profile.json", lambda d: b"[]", r"profile.json: holds a JSON list, not an object"),
])
def test_an_edited_profile_says_which_file_and_what(fake_profile_dir, tmp_path, name, edit, says):
    """A hand-edited profile whose checksums were fixed up: refused when loaded, naming the file, never a
    crash (exit 3) on the first draft."""
    from voicecheck.errors import ProfileFormatError

    target = _edited(fake_profile_dir, tmp_path, name, edit(fake_profile_dir))
    with pytest.raises(ProfileFormatError, match=says):
        VoiceProfile.load(target, embedder=FakeEmbedder())


def test_a_semantic_model_of_another_width_is_a_profile_error_when_scoring(fake_profile_dir, tmp_path):
    from voicecheck.errors import ProfileFormatError
    from voicecheck.scoring import score_text

    target = _edited(fake_profile_dir, tmp_path, "semantic_coef.npy",
                     _npy(np.load(fake_profile_dir / "semantic_coef.npy")[:-2]))
    profile = VoiceProfile.load(target, embedder=FakeEmbedder())
    with pytest.raises(ProfileFormatError, match="semantic model reads"):
        score_text(profile, "Vi aspettiamo domani in negozio per il pane fresco.", embedder=FakeEmbedder())


def test_failed_save_leaves_old_profile_intact(fake_profile, fake_profile_dir, tmp_path, monkeypatch):
    import shutil

    target = tmp_path / "p"
    shutil.copytree(fake_profile_dir, target)
    before = {n: (target / n).read_bytes() for n in os.listdir(target)}

    def boom(arr):
        raise OSError("disk full")

    monkeypatch.setattr("voicecheck.profile._npy_bytes", boom)
    with pytest.raises(ProfileError, match=r"p: cannot write the profile there: disk full"):
        fake_profile.save(target)
    assert {n: (target / n).read_bytes() for n in os.listdir(target)} == before
    assert sorted(os.listdir(tmp_path)) == ["p"]


def load_error(path, exc=ProfileFormatError, **kw) -> str:
    with pytest.raises(exc) as info:
        VoiceProfile.load(path, embedder=kw.pop("embedder", FakeEmbedder()), **kw)
    assert isinstance(info.value, ProfileError)
    return str(info.value)


def test_load_missing_folder(tmp_path):
    msg = load_error(tmp_path / "nope", ProfileNotFoundError)
    assert "nope" in msg and "no profile" in msg


def test_load_a_file_instead_of_a_folder(tmp_path):
    f = tmp_path / "x.json"
    f.write_text("{}")
    load_error(f, ProfileNotFoundError)


def test_load_missing_manifest(profile_copy):
    (profile_copy / "manifest.json").unlink()
    assert "manifest.json is missing" in load_error(profile_copy)


@pytest.mark.parametrize("name", ["profile.json", "words.json", "calibration.npy", "semantic_coef.npy"])
def test_load_file_missing(profile_copy, name):
    (profile_copy / name).unlink()
    msg = load_error(profile_copy)
    assert name in msg and "missing" in msg


@pytest.mark.parametrize("name", ["profile.json", "words.json", "style_quantiles.npy", "lexical_idf.npy"])
def test_load_one_byte_edited(profile_copy, name):
    p = profile_copy / name
    data = bytearray(p.read_bytes())
    data[len(data) // 2] ^= 0x01
    p.write_bytes(bytes(data))
    msg = load_error(profile_copy)
    assert name in msg and "edited" in msg


def test_load_truncated_npy(profile_copy):
    p = profile_copy / "calibration.npy"
    p.write_bytes(p.read_bytes()[:100])
    msg = load_error(profile_copy)
    assert "calibration.npy" in msg and "truncated" in msg


def rewrite(folder: Path, name: str, data: bytes) -> None:
    """Replace a file and update the manifest, as a careless hand edit would."""
    (folder / name).write_bytes(data)
    mpath = folder / "manifest.json"
    manifest = json.loads(mpath.read_text())
    manifest["files"][name] = hashlib.sha256(data).hexdigest()
    mpath.write_text(json.dumps(manifest))


def test_load_truncated_npy_with_matching_manifest(profile_copy):
    rewrite(profile_copy, "calibration.npy", (profile_copy / "calibration.npy").read_bytes()[:100])
    msg = load_error(profile_copy)
    assert "calibration.npy" in msg and "not a readable array" in msg


@pytest.mark.parametrize("name", ["lexical_coef.npy", "calibration.npy", "style_scale.npy"])
def test_a_model_with_a_number_that_is_not_finite_is_refused(profile_copy, name):
    """Consistently edited (manifest re-hashed), a NaN coefficient made every draft score the same; now refused."""
    arr = np.load(profile_copy / name)
    arr.flat[0] = np.nan
    rewrite(profile_copy, name, _npy(arr))
    msg = load_error(profile_copy)
    assert name in msg and "not finite" in msg


def test_fusion_weights_that_are_not_finite_are_refused(profile_copy):
    meta = json.loads((profile_copy / "profile.json").read_text())
    meta["fusion"]["intercept"] = float("inf")
    rewrite(profile_copy, "profile.json", json.dumps(meta).encode())
    assert "fusion weights" in load_error(profile_copy) and "not finite" in load_error(profile_copy)


def test_load_refuses_pickled_object_array(profile_copy):
    buf = io.BytesIO()
    np.save(buf, np.array([{"evil": 1}, None], dtype=object), allow_pickle=True)
    rewrite(profile_copy, "calibration.npy", buf.getvalue())
    msg = load_error(profile_copy)
    assert "calibration.npy" in msg and "pickle" in msg.lower()


def test_load_never_calls_pickle(profile_copy, monkeypatch):
    import pickle

    def forbidden(*a, **k):
        raise AssertionError("pickle used while loading a profile")

    monkeypatch.setattr(pickle, "load", forbidden)
    monkeypatch.setattr(pickle, "loads", forbidden)
    VoiceProfile.load(profile_copy, embedder=FakeEmbedder())


def test_load_wrong_format_version(profile_copy):
    mpath = profile_copy / "manifest.json"
    manifest = json.loads(mpath.read_text())
    manifest["format_version"] = FORMAT_VERSION + 1
    mpath.write_text(json.dumps(manifest))
    msg = load_error(profile_copy)
    assert f"format {FORMAT_VERSION + 1}" in msg and "learn the profile again" in msg


@pytest.mark.parametrize("content", ["{not json", "", "[1, 2]", '{"files": {}}', "null"])
def test_load_garbage_manifest(profile_copy, content):
    (profile_copy / "manifest.json").write_text(content)
    msg = load_error(profile_copy)
    assert str(profile_copy) in msg


def test_load_garbage_profile_json(profile_copy):
    rewrite(profile_copy, "profile.json", b"{garbage")
    msg = load_error(profile_copy)
    assert str(profile_copy) in msg


def test_load_inconsistent_profile_json(profile_copy):
    meta = json.loads((profile_copy / "profile.json").read_text())
    del meta["style_features"]
    rewrite(profile_copy, "profile.json", json.dumps(meta).encode())
    assert "inconsistent" in load_error(profile_copy)


def test_load_wrong_array_shape(profile_copy):
    buf = io.BytesIO()
    np.save(buf, np.zeros((3, 3)))
    rewrite(profile_copy, "style_quantiles.npy", buf.getvalue())
    assert "inconsistent" in load_error(profile_copy)


def test_load_embedding_model_mismatch(profile_copy):
    class OtherFake(FakeEmbedder):
        pass

    other = OtherFake()
    other.identity = dict(FakeEmbedder.identity, version="2", sha256="1" * 64)
    msg = load_error(profile_copy, embedder=other)
    assert "embedding model" in msg and "learn the profile again" in msg and "111111111111" in msg


def test_load_without_model_check(profile_copy):
    class OtherFake(FakeEmbedder):
        pass

    other = OtherFake()
    other.identity = dict(FakeEmbedder.identity, sha256="1" * 64)
    p = VoiceProfile.load(profile_copy, embedder=other, check_model=False)
    assert p.embedding_model_["name"] == "fake-hash-64"


# ---------------------------------------------------------------------------- the drift test's tolerance
def _dated(records):
    """Records dated one day apart, in order (the folds are then contiguous in time)."""
    import datetime as dt
    start = dt.date(2025, 1, 1)
    return [{**r, "date": (start + dt.timedelta(days=i)).isoformat()} for i, r in enumerate(records)]


def test_profile_measures_how_its_later_writing_holds():
    """Dated writing: the latest fold, scored by the earlier ones, sets the drift test's tolerance."""
    from voicecheck.typicality import null_exponent
    from voicecheck.profile import LATER_WRITING_MAX

    steady = _dated(english_records(100))
    p = VoiceProfile(use_background=False).fit(to_documents(steady), embedder=FakeEmbedder())
    assert 0.5 <= p.drift_null_exponent_ <= LATER_WRITING_MAX and null_exponent(p) == p.drift_null_exponent_

    changed = [dict(r) for r in steady]
    for i, r in enumerate(changed[80:]):  # the latest fifth: another writer altogether
        r["text"] = f"OMG our epic deal number {i} is here!!! Grab it now 🔥🔥 #deal #wow"
    q = VoiceProfile(use_background=False).fit(to_documents(changed), embedder=FakeEmbedder())
    assert q.drift_null_exponent_ == 0.5 < p.drift_null_exponent_


def test_undated_writing_leaves_the_default_tolerance(tmp_path):
    from voicecheck.typicality import NULL_EXPONENT, null_exponent

    texts = [r["text"] for r in english_records(60)]
    p = VoiceProfile(use_background=False).fit(texts, embedder=FakeEmbedder())
    assert p.drift_null_exponent_ is None and null_exponent(p) == NULL_EXPONENT
    loaded = VoiceProfile.load(p.save(tmp_path / "p"), embedder=FakeEmbedder())
    assert loaded.drift_null_exponent_ is None and loaded.drift_null_reason_ == "undated"


def test_dated_writing_too_short_to_measure_says_so(tmp_path):
    """Dated, but the latest fold holds fewer than LATER_WRITING_MIN posts: the default holds, and the report
    must not call the writing undated (found by a user review)."""
    from voicecheck.drift import drift_report

    p = VoiceProfile(use_background=False).fit(to_documents(_dated(english_records(60))), embedder=FakeEmbedder())
    assert p.drift_null_exponent_ is None and p.drift_null_reason_ == "few-recent"
    loaded = VoiceProfile.load(p.save(tmp_path / "p"), embedder=FakeEmbedder())
    assert loaded.drift_null_reason_ == "few-recent"
    assert drift_report([], loaded)["method"]["null_reason"] == "few-recent"


def test_a_profile_measured_otherwise_warns_when_it_loads(tmp_path, monkeypatch):
    """A later voicecheck that counts style otherwise (a word list, a rule) would compare its drafts with habits
    measured another way, without a word: the profile keeps a digest of what its voicecheck measured on fixed
    texts, and loading it where they measure otherwise says so."""
    import warnings

    from voicecheck import style

    p = VoiceProfile(use_background=False).fit(to_documents(english_records(60)), embedder=FakeEmbedder())
    assert p.style_fingerprint_ == style.measurement_fingerprint("en") and len(p.style_fingerprint_) == 16
    folder = p.save(tmp_path / "p")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # measured alike: no warning
        assert VoiceProfile.load(folder, embedder=FakeEmbedder()).style_fingerprint_ == p.style_fingerprint_
    # a word list of a later voicecheck: "amazing" no longer a hype word (no background text holds one; the probes
    # written for it do), then a rule counting otherwise
    import re

    monkeypatch.setattr(style, "_FINGERPRINTS", {})
    monkeypatch.setitem(style._LEXICONS["en"], "hype_rate", re.compile(r"(?<![\w-])(?:incredible)(?![\w-])", re.I))
    with pytest.warns(VoicecheckWarning, match="learned where style was measured otherwise than it is here .* learn "
                                               "the profile again"):
        VoiceProfile.load(folder, embedder=FakeEmbedder())
    monkeypatch.undo()
    assert style.measurement_fingerprint("en") == p.style_fingerprint_
    measure = style._measure

    def counted_otherwise(surface, doc, lang):
        values = measure(surface, doc, lang)
        return {**values, "ellipsis_rate": values["ellipsis_rate"] * 2}  # only a probe holds an ellipsis

    monkeypatch.setattr(style, "_measure", counted_otherwise)
    monkeypatch.setattr(style, "_FINGERPRINTS", {})
    with pytest.warns(VoicecheckWarning, match="learned where style was measured otherwise"):
        VoiceProfile.load(folder, embedder=FakeEmbedder())
    # a profile learned before the digest was kept: nothing to compare
    edit_profile_meta(folder, lambda meta: meta.pop("style_fingerprint"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert VoiceProfile.load(folder, embedder=FakeEmbedder()).style_fingerprint_ is None
    edit_profile_meta(folder, lambda meta: meta.update(style_fingerprint=7))
    with pytest.raises(ProfileFormatError, match="style_fingerprint must be a string"):
        VoiceProfile.load(folder, embedder=FakeEmbedder())


def test_tolerance_survives_save_and_load(tmp_path):
    p = VoiceProfile(use_background=False).fit(to_documents(_dated(english_records(100))), embedder=FakeEmbedder())
    loaded = VoiceProfile.load(p.save(tmp_path / "p"), embedder=FakeEmbedder())
    assert loaded.drift_null_exponent_ == p.drift_null_exponent_ is not None
    assert loaded.drift_null_reason_ is None


@pytest.mark.parametrize("name, needle", [("acme\nbakery", "control character (0x000a)"),
                                          ("acme\x1b[31m", "control character (0x001b)"),
                                          ("  ", "non-empty"), ("x" * 201, "the limit is 200")])
def test_a_name_that_would_break_cards_and_terminals_is_refused(italian_docs, fake_embedder, name, needle):
    from voicecheck.errors import InputError

    with pytest.raises(InputError, match=re.escape(needle)):
        VoiceProfile(name=name, folds=2).fit(italian_docs, embedder=fake_embedder)


@pytest.mark.parametrize("folds", [0, 1, "5", 2.5, True])
def test_folds_must_be_a_whole_number_of_at_least_two(italian_docs, fake_embedder, folds):
    from voicecheck.errors import InputError

    with pytest.raises(InputError, match="folds must be a whole number of at least 2"):
        VoiceProfile(folds=folds).fit(italian_docs, embedder=fake_embedder)


@pytest.mark.parametrize("files", [None, ["profile.json"], "profile.json"])
def test_load_manifest_whose_files_are_not_a_mapping(profile_copy, files):
    mpath = profile_copy / "manifest.json"
    manifest = json.loads(mpath.read_text())
    manifest["files"] = files
    mpath.write_text(json.dumps(manifest))
    assert "\"files\" must map file names to checksums" in load_error(profile_copy)


@pytest.mark.parametrize("edit, needle", [
    (lambda meta: meta["style_features"].__setitem__(0, "new_feature"), "style features this version does not know"),
    (lambda meta: meta.__setitem__("name", None), "name must be a string"),
    (lambda meta: meta.__setitem__("name", 5), "name must be a string"),
    (lambda meta: meta.__setitem__("name", "a\nb"), "control character"),
])
def test_load_refuses_content_this_version_cannot_score_with(profile_copy, edit, needle):
    """Refused when loading (exit 2 at the doors), not as an internal error at the first draft."""
    meta = json.loads((profile_copy / "profile.json").read_text())
    edit(meta)
    rewrite(profile_copy, "profile.json", json.dumps(meta).encode())
    msg = load_error(profile_copy)
    assert "profile content is inconsistent" in msg and needle in msg


def test_learning_the_same_writing_again_gives_the_same_version(italian_docs, fake_profile, fake_profile_dir,
                                                               tmp_path):
    """The version is of the content, not of the time: a re-learn must not cut the history off drift reports."""
    again = VoiceProfile(name="forno-lume", folds=2).fit(italian_docs, embedder=FakeEmbedder())
    assert again.version_ == fake_profile.version_
    saved = again.save(tmp_path / "again")
    assert (saved / "words.json").read_bytes() == (fake_profile_dir / "words.json").read_bytes()
    fewer = VoiceProfile(name="forno-lume", folds=2).fit(italian_docs[:-1], embedder=FakeEmbedder())
    assert fewer.version_ != fake_profile.version_


def test_the_version_is_of_the_writing_not_of_the_last_bits_learned(italian_docs, fake_profile, monkeypatch):
    """A library review: the same file learned with OMP_NUM_THREADS=1 and 2 gave two versions (arrays 2.5e-14
    apart), and a drift report over the results stored under one left them all out as another version's."""
    import dataclasses

    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        assert VoiceProfile(name="forno-lume", folds=2).fit(italian_docs, embedder=FakeEmbedder(),
                                                            warn=False).version_ == fake_profile.version_
    learned = VoiceProfile._later_writing_exponent  # what another machine's last bits would change
    monkeypatch.setattr(VoiceProfile, "_later_writing_exponent",
                        lambda self, *a, **k: (learned(self, *a, **k) or 0.8) + 1e-13)
    nudged = VoiceProfile(name="forno-lume", folds=2).fit(italian_docs, embedder=FakeEmbedder(), warn=False)
    assert nudged.drift_null_exponent_ != fake_profile.drift_null_exponent_
    assert nudged.version_ == fake_profile.version_
    monkeypatch.undo()
    # what it learned from is the version: a channel, a source or a date, or another name or setting
    first = italian_docs[0]
    for changed in (dataclasses.replace(first, channel="newsletter"), dataclasses.replace(first, source="agency"),
                    dataclasses.replace(first, date=None)):
        assert VoiceProfile(name="forno-lume", folds=2).fit(
            [changed, *italian_docs[1:]], embedder=FakeEmbedder(), warn=False).version_ != fake_profile.version_
    assert VoiceProfile(name="forno-lume", folds=3).fit(italian_docs, embedder=FakeEmbedder(),
                                                        warn=False).version_ != fake_profile.version_
    # the writing as learned: a library's texts with a trailing newline are a file's texts (a code review)
    padded = [dataclasses.replace(d, text=f"  {d.text}\n") for d in italian_docs]
    assert VoiceProfile(name="forno-lume", folds=2).fit(padded, embedder=FakeEmbedder(),
                                                        warn=False).version_ == fake_profile.version_


def test_repeated_posts_are_not_more_writing(italian_docs, tmp_path):
    """40 posts given four times: confidence and the habit rules count 40 different posts, and learning says so."""
    from voicecheck.card import render_card, voice_card
    from voicecheck.scoring import habit_rules

    forty = italian_docs[:40]
    with pytest.warns(VoicecheckWarning) as heard:  # a library caller hears them without reading warnings_
        p = VoiceProfile(name="ripetuto", folds=2).fit(forty * 4, embedder=FakeEmbedder())
    assert [str(w.message) for w in heard if w.category is VoicecheckWarning] == p.warnings_
    assert (p.n_documents_, p.n_distinct_) == (160, 40)
    assert p.low_confidence_ and not [r for r in habit_rules(p) if r["kind"] == "habit"]  # 50+ different posts
    once = VoiceProfile(name="uno", folds=2).fit(forty, embedder=FakeEmbedder(), warn=False)
    assert p.register_ == once.register_
    # nor for the models: copies in two calibration folds scored each other "out of fold", so the brand's own
    # scores rose and new drafts fell (the same file given twice made 13 of 60 agency drafts off-voice, not 2)
    from voicecheck.scoring import score_documents
    drafts = italian_docs[40:]
    assert ([r.score for r in score_documents(p, drafts, embedder=FakeEmbedder())]
            == [r.score for r in score_documents(once, drafts, embedder=FakeEmbedder())])
    assert any("120 of the 160 documents repeat others word for word" in w for w in p.warnings_)
    assert any("low confidence: 40 different documents" in w for w in p.warnings_)
    card = render_card(voice_card(p, explain_in="en"))
    assert "learned from 160 posts, 40 of them different" in card and "too few posts" in card
    with warnings.catch_warnings():
        warnings.simplefilter("error", VoicecheckWarning)  # the doors print or return them: none emitted
        quiet = VoiceProfile(name="ripetuto", folds=2).fit(forty * 4, embedder=FakeEmbedder(), warn=False)
    assert quiet.warnings_ == p.warnings_
    loaded = VoiceProfile.load(p.save(tmp_path / "ripetuto"), embedder=FakeEmbedder())
    assert loaded.warnings_ == p.warnings_ and loaded.version_ == p.version_  # saved with it, not in its version
    assert "appresa da 160 post, di cui 40 diversi" in render_card(voice_card(p))


def test_saving_where_the_system_refuses_is_a_profile_error(tmp_path):
    """A file where a folder should be, or a path under a missing device: ProfileError naming the folder, not a
    bare OSError (found by a library review)."""
    p = VoiceProfile(use_background=False).fit([r["text"] for r in english_records(30)], embedder=FakeEmbedder())
    (tmp_path / "afile").write_text("x")
    with pytest.raises(ProfileError, match=r"afile/sub: cannot write the profile there: File exists"):
        p.save(tmp_path / "afile" / "sub")
    assert (tmp_path / "afile").read_text() == "x" and sorted(x.name for x in tmp_path.iterdir()) == ["afile"]
    assert VoiceProfile.load(p.save(tmp_path / "ok"), embedder=FakeEmbedder()).warnings_ == p.warnings_


def test_a_save_survives_a_reader_putting_the_old_profile_back_between_its_renames(tmp_path, monkeypatch):
    """A reader that finds the folder missing puts the moved-aside profile back, as after a killed save: when that
    happened between save's two renames, the second one failed and the whole learning was lost (a code review).
    Saving into an empty folder left a hidden copy of it behind, too."""
    import voicecheck.profile as profile_module
    from voicecheck.profile import restore_interrupted_save

    texts = [r["text"] for r in english_records(30)]
    old = VoiceProfile(name="old", use_background=False).fit(texts, embedder=FakeEmbedder(), warn=False)
    new = VoiceProfile(name="new", use_background=False).fit(texts[:-1], embedder=FakeEmbedder(), warn=False)
    target = tmp_path / "brand"
    target.mkdir()  # an empty --out
    old.save(target)
    assert sorted(x.name for x in tmp_path.iterdir()) == ["brand"]
    real_rename, renames = os.rename, []

    def rename(src, dst):
        real_rename(src, dst)
        renames.append(dst)
        if len(renames) == 1:  # the old profile just moved aside: a reader comes by now
            assert restore_interrupted_save(target) and VoiceProfile.load(target, embedder=FakeEmbedder()).name == "old"

    monkeypatch.setattr(profile_module.os, "rename", rename)
    new.save(target)
    monkeypatch.setattr(profile_module.os, "rename", real_rename)
    assert VoiceProfile.load(target, embedder=FakeEmbedder()).name == "new" and len(renames) == 4
    assert sorted(x.name for x in tmp_path.iterdir()) == ["brand"]  # no copy left aside


def test_a_save_over_a_killed_save_survives_a_reader_restoring_the_old_profile_first(tmp_path, monkeypatch):
    """A killed save left the profile aside and no folder; a new save's first rename raced a reader putting the old
    one back, and lost the learning (a code review)."""
    import voicecheck.profile as profile_module
    from voicecheck.profile import REPLACED_MARK, restore_interrupted_save

    texts = [r["text"] for r in english_records(30)]
    old = VoiceProfile(name="old", use_background=False).fit(texts, embedder=FakeEmbedder(), warn=False)
    new = VoiceProfile(name="new", use_background=False).fit(texts[:-1], embedder=FakeEmbedder(), warn=False)
    target = tmp_path / "brand"
    old.save(target)
    os.rename(target, tmp_path / f".brand{REPLACED_MARK}killed")  # as a kill -9 between save's renames leaves it
    real_rename, first = os.rename, []

    def rename(src, dst):
        if not first:  # the reader comes by just before the first rename
            first.append(True)
            assert restore_interrupted_save(target)
        real_rename(src, dst)

    monkeypatch.setattr(profile_module.os, "rename", rename)
    new.save(target)
    monkeypatch.setattr(profile_module.os, "rename", real_rename)
    assert VoiceProfile.load(target, embedder=FakeEmbedder()).name == "new"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["brand"]


def test_a_profile_learned_before_a_feature_was_added_still_scores(tmp_path, monkeypatch, fake_embedder):
    """Style features are added over versions (hype words, spellings); a saved profile is scored on its own
    features, not broken by a column it never learned (it was an internal error: shapes (400,27) and (26,))."""
    import voicecheck.style as style
    from conftest import english_records, to_documents
    from voicecheck.scoring import habit_rules, score_text

    current = style.feature_names
    older = [n for n in current("en") if n not in ("hype_rate", "british_spelling_rate", "american_spelling_rate")]
    monkeypatch.setattr(style, "feature_names", lambda lang: list(older))
    import voicecheck.background as background
    monkeypatch.setattr(background, "_FEATURES", {})  # the background measured as that older version did
    VoiceProfile(name="old", folds=2).fit(to_documents(english_records(60)), embedder=fake_embedder).save(
        tmp_path / "old")
    monkeypatch.setattr(style, "feature_names", current)
    profile = VoiceProfile.load(tmp_path / "old", embedder=fake_embedder)
    assert profile.style_names_ == older
    r = score_text(profile, "This week we unpacked an amazing, game-changing novel. Drop in.", embedder=fake_embedder)
    assert r.verdict in ("on-voice", "borderline", "off-voice") and 0 <= r.score <= 100
    assert "hype_rate" not in {x.feature for x in r.reasons} and "hype_rate" not in {
        x["feature"] for x in habit_rules(profile)}


def test_empty_texts_are_left_out_and_said():
    """22 image-only captions among 220 posts were learned as posts, and the only warning blamed repeats (a library
    review); a dict of {id: text} was scored as its ids, and Documents without an id were all '-'."""
    from voicecheck.documents import Document
    from voicecheck.errors import InputError

    docs = to_documents(english_records(60))
    profile = VoiceProfile(name="x", folds=2).fit(docs + [Document(text=""), Document(text="  \n")],
                                                  embedder=FakeEmbedder(), warn=False)
    assert profile.n_documents_ == 60
    assert "2 documents were empty (a post of only an image?) and were left out" in profile.warnings_
    assert not any("repeat others" in w for w in profile.warnings_)
    with pytest.raises(InputError, match="got a dict"):
        score_documents(profile, {"post-17": docs[0].text}, embedder=FakeEmbedder())
    ids = [r.id for r in score_documents(profile, [Document(text=docs[0].text), docs[1].text,
                                                   Document(text=docs[2].text, id="mine")], embedder=FakeEmbedder())]
    assert ids == ["#1", "#2", "mine"]


def test_the_same_posts_in_another_order_give_the_same_version():
    """A database query without ORDER BY: the same posts, another order, another version, and every result stored
    under the first left out of drift reports as another version's (a library review)."""
    import random

    docs = to_documents(english_records(60))
    shuffled = docs[:]
    random.Random(3).shuffle(shuffled)
    one = VoiceProfile(name="x", folds=2).fit(docs, embedder=FakeEmbedder(), warn=False)
    other = VoiceProfile(name="x", folds=2).fit(shuffled, embedder=FakeEmbedder(), warn=False)
    assert one.version_ == other.version_
    undated = [voicecheck_document(d.text) for d in docs]
    assert VoiceProfile(name="x", folds=2).fit(undated, embedder=FakeEmbedder(), warn=False).version_ == \
        VoiceProfile(name="x", folds=2).fit(undated[::-1], embedder=FakeEmbedder(), warn=False).version_


def voicecheck_document(text):
    from voicecheck.documents import Document

    return Document(text=text)
