"""The evaluation's figures: AUC by ranks and the bootstrap interval of the macro AUC."""

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from voicecheck.evaluation import auc_rows, macro_auc_interval


def test_auc_rows_equals_sklearn_with_ties():
    rng = np.random.default_rng(1)
    pos = rng.integers(0, 6, (20, 13)).astype(float)  # few distinct values: many ties
    neg = rng.integers(0, 5, (20, 17)).astype(float)
    got = auc_rows(pos, neg)
    for i in range(20):
        want = roc_auc_score(np.r_[np.ones(13), np.zeros(17)], np.r_[pos[i], neg[i]])
        assert got[i] == pytest.approx(want)


def voices(n_per_side: int, shift: float, n_voices: int = 3, seed: int = 0):
    rng = np.random.default_rng(seed)
    return [(np.r_[np.ones(n_per_side), np.zeros(n_per_side)],
             np.r_[rng.normal(shift, 1, n_per_side), rng.normal(0, 1, n_per_side)]) for _ in range(n_voices)]


def test_interval_holds_the_point_and_narrows_with_more_posts():
    small, large = voices(20, 1.0), voices(400, 1.0)
    point = np.mean([roc_auc_score(y, s) for y, s in small])
    lo, hi = macro_auc_interval(small)
    assert lo < point < hi
    lo_l, hi_l = macro_auc_interval(large)
    assert hi_l - lo_l < (hi - lo) / 2  # 20x the posts: about 1/sqrt(20) the width
    assert lo_l < 0.76 < hi_l  # the true AUC of a one-sd shift is 0.760


def test_interval_is_repeatable_and_seeded():
    parts = voices(30, 0.5)
    assert macro_auc_interval(parts, seed=3) == macro_auc_interval(parts, seed=3)
    assert macro_auc_interval(parts, seed=3) != macro_auc_interval(parts, seed=4)


def test_interval_of_perfect_separation_is_one():
    parts = [(np.r_[np.ones(5), np.zeros(5)], np.r_[np.arange(5) + 10.0, np.arange(5)])]
    assert macro_auc_interval(parts) == (1.0, 1.0)


def test_interval_needs_both_classes():
    with pytest.raises(ValueError, match="positives and negatives"):
        macro_auc_interval([(np.ones(4), np.arange(4.0))])


@pytest.mark.parametrize("text, masked", [
    ("We're on it, sorry for the wait ^JS", "We're on it, sorry for the wait"),
    ("Happy to help! -Pia", "Happy to help!"),
    ("Let us know. /SF", "Let us know."),
    ("Glad it works =) Yana", "Glad it works"),
    ("Please DM us the booking number.Thanks-Sha", "Please DM us the booking number.Thanks"),
    ("Please check your inbox. Thanks- Mariya", "Please check your inbox. Thanks"),
    ("Enjoy the show! 👻-Jazz", "Enjoy the show! 👻"),
    ("See https://t.co/abc and www.example.org/x ^AB", "See https://example.com/link and https://example.com/link"),
    ("Nothing to strip here.", "Nothing to strip here."),
    ("We use a well-known supplier", "We use a well-known supplier"),  # lower case after the dash: a word
    ("-Pia", "-Pia"),  # nothing would be left: kept as is
])
def test_mask_signoffs(text, masked):
    from voicecheck.evaluation import mask_signoffs

    assert mask_signoffs(text) == masked


def test_interval_in_chunks_is_the_same_kind_of_figure(monkeypatch):
    """Large test sets are resampled a chunk of draws at a time; the interval stays the same figure."""
    import voicecheck.evaluation as evaluation

    parts = voices(200, 1.0)
    whole = macro_auc_interval(parts)
    monkeypatch.setattr(evaluation, "INTERVAL_CHUNK", 400 * 7)  # 7 draws at a time
    chunked = macro_auc_interval(parts)
    assert chunked == macro_auc_interval(parts)  # still repeatable
    assert chunked[0] == pytest.approx(whole[0], abs=0.02) and chunked[1] == pytest.approx(whole[1], abs=0.02)


def test_paired_difference_interval():
    """voicecheck minus a baseline, both scored on the same resampled posts."""
    rng = np.random.default_rng(5)
    better, worse = [], []
    for _ in range(3):
        y = np.r_[np.ones(40), np.zeros(40)]
        signal = rng.normal(0, 1, 80) + y  # shared by both methods: the pairing cancels it
        better.append((y, signal + y + rng.normal(0, 0.3, 80)))
        worse.append((y, signal + rng.normal(0, 0.3, 80)))
    lo, hi = macro_auc_interval(better, minus=worse)
    point = np.mean([roc_auc_score(y, s) for y, s in better]) - np.mean([roc_auc_score(y, s) for y, s in worse])
    assert 0 < lo < point < hi
    a, b = macro_auc_interval(better), macro_auc_interval(worse)
    assert hi - lo < min(a[1] - a[0], b[1] - b[0])  # narrower than either interval alone
    assert macro_auc_interval(better, minus=better) == (0.0, 0.0)


def test_paired_difference_needs_the_same_posts():
    parts = voices(10, 1.0)
    with pytest.raises(ValueError, match="voice 1: the two methods must score the same posts"):
        macro_auc_interval(parts, minus=[(parts[0][0][:-1], parts[0][1][:-1])] + parts[1:])


def test_evaluation_table_prints_intervals_and_margin():
    from voicecheck.cli import _evaluation_table

    def method(auc, interval, **more):
        return {"auc": auc, "min_auc": auc - 0.1, "auc_interval": interval, **more}

    row = {"voice": "acme", "methods": {
        "voicecheck": {"auc": 0.9, "false_flags": 0.05, "catch_rate": 0.8},
        "voicecheck-no-contrast": {"auc": 0.8, "false_flags": 0.06, "catch_rate": 0.6},
        "centroid-cosine": {"auc": 0.7}}}
    res = {"lang": "en", "masked": False, "seed": 0, "off_voice_below": 5, "left_out": {}, "voices": [row],
           "macro": {"voicecheck": method(0.9, [0.88, 0.92], false_flags=0.05, catch_rate=0.8,
                                          margin={"over": "centroid-cosine", "auc": 0.2, "interval": [0.17, 0.23]}),
                     "voicecheck-no-contrast": method(0.8, [0.77, 0.83], false_flags=0.06, catch_rate=0.6,
                                                      margin={"over": "centroid-cosine", "auc": 0.1,
                                                              "interval": [0.06, 0.14]}),
                     "centroid-cosine": method(0.7, [0.66, 0.74])}}
    table = _evaluation_table(res)
    assert "voicecheck 0.880-0.920; voicecheck-no-contrast 0.770-0.830; centroid-cosine 0.660-0.740." in table
    assert ("margin over the best baseline given no more writing than voicecheck, paired on the same posts: voicecheck +0.200 "
            "over centroid-cosine (95% interval +0.170 to +0.230); without contrast writing +0.100 over "
            "centroid-cosine (95% interval +0.060 to +0.140).") in table


@pytest.mark.parametrize("text, seeds", [("0,1,2", [0, 1, 2]), ("0-4", [0, 1, 2, 3, 4]), ("7", [7]), ("3, 5", [3, 5])])
def test_seed_list(text, seeds):
    from voicecheck.cli import _seed_list

    assert _seed_list(text) == seeds


@pytest.mark.parametrize("text", ["x", "", "0-x", "-1", "0-30", "2-1"])
def test_seed_list_refuses_bad_lists(text):
    from voicecheck.cli import _seed_list
    from voicecheck.errors import InputError

    with pytest.raises(InputError, match="--seeds (must|range)"):
        _seed_list(text)


@pytest.mark.slow
def test_evaluate_seeds_reports_each_run_and_the_range(monkeypatch):
    """Three synthetic voices, the fake embedder: one run per seed, and the mean within the runs' range."""
    import voicecheck.embedding as embedding
    from conftest import to_documents
    from test_cli import synthetic_voices
    from voicecheck.cli import _seeds_table
    from voicecheck.evaluation import evaluate_seeds
    from voicecheck.testing import FakeEmbedder

    fake = FakeEmbedder()
    monkeypatch.setattr(embedding, "load_embedder", lambda name: fake)
    res = evaluate_seeds(to_documents(synthetic_voices()), [0, 1, 1], with_baselines=False)
    assert res["seeds"] == [0, 1] and [r["seed"] for r in res["runs"]] == [0, 1]
    for m in ("voicecheck", "voicecheck-no-contrast"):
        aucs = [r["macro"][m]["auc"] for r in res["runs"]]
        got = res["summary"][m]["auc"]
        assert got["min"] == min(aucs) and got["max"] == max(aucs) and got["mean"] == pytest.approx(np.mean(aucs))
    table = _seeds_table(res)
    assert table.splitlines()[1].startswith("0 ") and "MEAN" in table and "over 2 seeds" in table


def test_baselines_are_the_obvious_first_designs():
    """Centroid cosine and character 4-gram cosine, computed by hand on a tiny learning set."""
    from voicecheck.evaluation import _baseline_scores
    from voicecheck.features import Features

    learn_vecs = np.array([[1.0, 0.0, 0.0], [0.8, 0.6, 0.0]], dtype=np.float32)
    test_vecs = np.array([[0.9, 0.1, 0.0], [0.0, 0.0, 1.0]], dtype=np.float32)
    test_vecs /= np.linalg.norm(test_vecs, axis=1, keepdims=True)

    def feats(texts, vecs):
        return Features(texts=list(texts), embeddings=vecs, style=np.zeros((len(texts), 1)), ngrams=None)

    learn = feats(["we are here for you every day", "we are glad to help you today"], learn_vecs)
    test = feats(["we are here to help you", "BUY NOW!!! LIMITED OFFER"], test_vecs)
    got = _baseline_scores(learn, test)
    centre = learn_vecs.mean(axis=0) / np.linalg.norm(learn_vecs.mean(axis=0))
    assert got["centroid-cosine"] == pytest.approx(test_vecs @ centre, abs=1e-6)
    assert got["char-4gram-cosine"][0] > 0.3 and got["char-4gram-cosine"][1] == pytest.approx(0.0, abs=1e-9)


@pytest.mark.slow
def test_evaluate_prints_baselines_and_the_paired_margin(monkeypatch):
    """Issue 3: the baselines in the same run as voicecheck, and the margin over the better one."""
    import voicecheck.embedding as embedding
    from conftest import to_documents
    from test_cli import synthetic_voices
    from voicecheck.evaluation import evaluate
    from voicecheck.testing import FakeEmbedder

    fake = FakeEmbedder()
    monkeypatch.setattr(embedding, "load_embedder", lambda name: fake)
    res = evaluate(to_documents(synthetic_voices()), seed=0)
    macro = res["macro"]
    assert set(macro) == {"voicecheck", "voicecheck-no-contrast", "centroid-cosine", "char-4gram-cosine",
                          "contrast-logreg", "background-logreg"}
    for row in res["voices"]:
        assert {"centroid-cosine", "char-4gram-cosine", "contrast-logreg", "background-logreg"} <= set(row["methods"])
        assert row["methods"]["centroid-cosine"]["false_flags"] is None  # a cosine has no calibrated verdict
        vc = row["methods"]["voicecheck"]
        assert 0.0 <= vc["auc"] <= 1.0 and 0.0 <= vc["raw_auc"] <= 1.0
    # With contrast writing, the margin is over every baseline (one learns from the same contrast writing);
    # without it, only over those that use none (one learns against the same background voicecheck does).
    fair = {"voicecheck": ("centroid-cosine", "char-4gram-cosine", "contrast-logreg", "background-logreg"),
            "voicecheck-no-contrast": ("centroid-cosine", "char-4gram-cosine", "background-logreg")}
    for m in ("voicecheck", "voicecheck-no-contrast"):
        best = max(fair[m], key=lambda b: macro[b]["auc"])
        margin = macro[m]["margin"]
        assert margin["over"] == best
        assert margin["auc"] == pytest.approx(macro[m]["auc"] - macro[best]["auc"])
        lo, hi = margin["interval"]
        assert lo <= margin["auc"] <= hi
    for fam, auc in macro["voicecheck"]["dimension_auc"].items():  # each family alone, averaged over the voices
        assert auc == pytest.approx(np.mean([r["methods"]["voicecheck"]["dimension_auc"][fam] for r in res["voices"]]))
    for m in ("centroid-cosine", "char-4gram-cosine", "contrast-logreg", "background-logreg"):
        assert "dimension_auc" not in macro[m]
        lo, hi = macro[m]["auc_interval"]
        assert 0.0 <= lo <= macro[m]["auc"] <= hi <= 1.0
        assert macro[m]["min_auc"] == min(r["methods"][m]["auc"] for r in res["voices"])


def test_contrast_baseline_learns_the_brand_against_the_contrast_writing():
    """The reference of design section 4: with contrast writing, a logistic regression that uses it."""
    from voicecheck.evaluation import _baseline_scores
    from voicecheck.features import Features

    rng = np.random.default_rng(0)

    def feats(texts, centre):
        vecs = (rng.normal(size=(len(texts), 8)) * 0.1 + centre).astype(np.float32)
        return Features(texts=list(texts), embeddings=vecs, style=np.zeros((len(texts), 1)), ngrams=None)

    brand, other = np.eye(8)[0], np.eye(8)[1]
    learn = feats([f"we are glad to help you with order {i}" for i in range(20)], brand)
    contrast = feats([f"OMG!!! this deal is AMAZING #{i}" for i in range(20)], other)
    test = feats(["we are glad to help you today", "OMG!!! AMAZING deal"], np.vstack([brand, other]))
    assert "contrast-logreg" not in _baseline_scores(learn, test)  # no contrast writing, no such baseline
    got = _baseline_scores(learn, test, contrast)["contrast-logreg"]
    assert got[0] > 0 > got[1]
    # against the background instead (what voicecheck learns against without contrast writing)
    assert set(_baseline_scores(learn, test)) == {"centroid-cosine", "char-4gram-cosine"}
    against = _baseline_scores(learn, test, background=contrast)["background-logreg"]
    assert against[0] > 0 > against[1]


def _voice_docs(voice: str, texts):
    from voicecheck.documents import Document

    return [Document(text=t, id=f"{voice}-{i}", meta={"voice": voice}) for i, t in enumerate(texts)]


def test_voices_of_another_language_are_refused_before_any_work():
    """Two Italian voices in an English run: an English profile flagged every post, printed as a 100% false-flag
    rate (an evaluation user's review). Now an InputError naming them, before the model loads."""
    from voicecheck.errors import InputError
    from voicecheck.evaluation import protocol_tasks

    en = [f"Thanks for reaching out about order {i}, we will look into it and get back to you today."
          for i in range(70)]
    it = [f"Grazie per averci scritto dell'ordine {i}, lo controlliamo e vi rispondiamo oggi stesso."
          for i in range(70)]
    docs = _voice_docs("shop", en) + _voice_docs("desk", [t + " Cheers." for t in en]) + \
        _voice_docs("rossi", it) + _voice_docs("bianchi", [t + " Saluti." for t in it])
    with pytest.raises(InputError, match=r"voices of one language, English here, but 2 voices look written in "
                                         r"another: bianchi \(Italian\), rossi \(Italian\)"):
        protocol_tasks(docs)


def test_the_same_texts_under_two_voices_are_said(monkeypatch):
    """A voice copied under another name was learned as one's contrast and tested as the other's, silently (an
    evaluation user's review)."""
    import voicecheck.evaluation as evaluation
    from voicecheck.errors import VoicecheckWarning

    base = [f"Thanks for reaching out about order {i}, we will look into it today." for i in range(70)]
    voices = {"shop": _voice_docs("shop", base), "copy": _voice_docs("copy", base),
              "desk": _voice_docs("desk", [t + " Cheers." for t in base])}
    with pytest.warns(VoicecheckWarning, match=r"70 texts stand under more than one voice \(copy and shop: 70\)"):
        evaluation._warn_shared_texts(voices)


def test_a_voice_written_two_ways_is_one_voice():
    """"Shopco " and "shopco" were two voices (an evaluation user's review); a blank name is no voice."""
    from voicecheck.errors import InputError, TooLittleDataError
    from voicecheck.evaluation import protocol_tasks

    base = [f"Thanks for reaching out about order {i}, we will look into it today." for i in range(40)]
    docs = _voice_docs("Shopco ", base) + _voice_docs("shopco", [t + " Bye." for t in base])
    with pytest.raises(TooLittleDataError, match=r"found 1 \(Shopco: 80\)"):
        protocol_tasks(docs)
    with pytest.raises(InputError, match='"voice" field is empty'):
        protocol_tasks(_voice_docs("  ", base))


def test_a_voice_partly_in_another_language_is_said(monkeypatch):
    """30 Italian posts of an English voice, after its first 50: no word of it, and 56% "false flags" (an evaluation
    user's review). A warning names the voice and how many; a stray post or two is not worth one."""
    import voicecheck.evaluation as evaluation
    from voicecheck.errors import VoicecheckWarning

    en = [f"Thanks for reaching out about order {i}, we will look into it and get back to you today." for i in range(70)]
    it = [f"Grazie per averci scritto dell'ordine {i}, lo controlliamo e vi rispondiamo oggi stesso." for i in range(30)]
    voices = {"shop": _voice_docs("shop", en + it), "desk": _voice_docs("desk", [t + " Cheers." for t in en])}
    with pytest.warns(VoicecheckWarning, match=r"another language than English: shop: 30 of 100 \(Italian\)"):
        evaluation._warn_posts_in_other_languages(voices, "en")
    voices["shop"] = _voice_docs("shop", en + it[:2])
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        evaluation._warn_posts_in_other_languages(voices, "en")


def test_a_file_without_the_voice_field_is_told_which_fields_it_has():
    from voicecheck.corpus import documents_from_records
    from voicecheck.errors import InputError
    from voicecheck.evaluation import protocol_tasks

    docs = documents_from_records([{"text": f"Post {i} of ours.", "author": "kim", "brand": "acme"} for i in range(5)])
    with pytest.raises(InputError, match=r"no \"voice\" field to group voices by \(it has 'author', 'brand': --by "
                                         r"names the field that says who wrote it\)"):
        protocol_tasks(docs)
