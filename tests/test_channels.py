"""The brand's habits per channel: a newsletter is explained against the brand's newsletters."""

from __future__ import annotations

import json

import numpy as np
import pytest

from voicecheck.card import render_card, voice_card
from voicecheck.channels import CHANNEL_MIN_POSTS, channel_key, learn_channels, small_channels
from voicecheck.documents import Document
from voicecheck.errors import InputError, ProfileFormatError
from voicecheck.profile import VoiceProfile
from voicecheck.scoring import score_documents

from conftest import drop_profile_file, edit_profile_meta, write_jsonl

# Ashgrove Books again: short captions on Instagram, long newsletters, both without exclamation marks.
_BOOKS = ["a quiet novel about lighthouse keepers", "the new edition of the birdwatching guide",
          "three slim books of Scottish poetry", "a history of canals", "a cookbook built around one pot",
          "a biography of a forgotten mapmaker", "the children's atlas with fold-out pages", "a crime series"]


def _caption(i: int) -> str:
    return f"Fresh in the window today: {_BOOKS[i % 8]}. We open at nine, number {i}."


def _newsletter(i: int) -> str:
    book = _BOOKS[i % 8]
    return (f"Dear readers, this month we have been reading {book}, and we think you will like it as much as we "
            f"do. It arrived on a wet Tuesday in a box of forty, and by Friday we had sold half of them to people "
            f"who came in for something else. We also rearranged the back room, so the poetry now sits beside the "
            f"maps, which seems right to us. Our reading group meets on the second Thursday as usual, letter "
            f"number {i}, and this time we will talk about {_BOOKS[(i + 3) % 8]}. There is tea, and there are "
            f"chairs, though not quite enough of them. We look forward to seeing you in the shop.")


def _docs() -> list[Document]:
    docs = [Document(_caption(i), id=f"c{i}", date=f"2025-{1 + i % 12:02d}-{1 + i % 27:02d}",
                     channel="Instagram" if i % 5 else "instagram") for i in range(70)]
    docs += [Document(_newsletter(i), id=f"n{i}", date=f"2025-{1 + i % 12:02d}-{1 + i % 27:02d}",
                      channel="newsletter") for i in range(30)]
    docs += [Document(_caption(i + 100), id=f"x{i}", channel="x") for i in range(CHANNEL_MIN_POSTS - 1)]
    return docs


@pytest.fixture(scope="module")
def books(fake_embedder):
    return VoiceProfile(name="ashgrove", lang="en").fit(_docs(), embedder=fake_embedder)


def test_channels_with_enough_posts_and_not_all_of_them_are_kept_apart():
    style = np.arange(12.0).reshape(6, 2)
    assert learn_channels(style, ["a"] * 6) == []  # all of them: the brand's figures are the channel's
    kept = learn_channels(np.vstack([style] * 3), (["Mail", "mail ", "a", None, "b", "b"]) * 3)
    assert [(c.key, c.label, c.n_posts) for c in kept] == []  # 6, 3 and 6 posts: too few
    kept = learn_channels(np.vstack([style] * 5), (["Mail", "mail ", "a", None, "b", "b"]) * 5)
    assert [(c.key, c.label, c.n_posts) for c in kept] == [("b", "b", 10), ("mail", "Mail", 10)]  # 'a': 5
    assert small_channels((["Mail", "mail ", "a", None, "b", "b"]) * 5) == {"a": 5}
    assert small_channels(["a", "b"] * 4) == {}  # none holds enough: nothing is kept apart to say so of
    assert kept[0].quantiles.shape == (2, 101)
    assert channel_key(" Instagram  Stories ") == "instagram stories" and channel_key("  ") is None


def test_a_newsletter_draft_is_explained_against_the_brand_s_newsletters(books, fake_embedder):
    assert [(c.label, c.n_posts) for c in books.channels_] == [("Instagram", 70), ("newsletter", 30)]
    draft = _newsletter(99)
    as_newsletter, unlabelled = score_documents(books, [Document(draft, id="n", channel="Newsletter"),
                                                        Document(draft, id="u")], embedder=fake_embedder)
    # Its small grammar words are a newsletter's, not a caption's: among all the brand's posts they stand out
    said = [r.message for r in unlabelled.reasons if r.feature == "function_word_share"]
    assert said and said[0].endswith("the brand's writing has 38.9")
    assert not [r for r in as_newsletter.reasons if r.feature == "function_word_share"]
    # Its score places it among the brand's newsletters too (they weigh 30 / (30 + 10)), not only among all its
    # posts, most of them captions
    from voicecheck.features import extract_features

    view = books.channel_style("Newsletter")
    assert view.weight == 0.75 and view.calibration.shape == (4, 30) and np.all(np.diff(view.calibration) >= 0)
    family = books.family_scores(extract_features([draft], "en", fake_embedder))
    raw = np.r_[family[0], books.combined_scores(family)]  # each family's, then the combined score
    for j, (fam, value) in enumerate([*as_newsletter.dimensions.items(), ("score", as_newsletter.score)]):
        among = 100.0 * np.mean(view.calibration[j] < raw[j])
        alone = float(books.calibrate(raw[j:j + 1], j)[0])
        assert value == round(0.75 * among + 0.25 * alone, 1), fam
    assert as_newsletter.score != unlabelled.score
    assert unlabelled.score == round(float(books.calibrate(raw[3:], 3)[0]), 1)
    short, bare = score_documents(books, [Document(_caption(7), id="s", channel="newsletter"),
                                          Document(_caption(7), id="b")], embedder=fake_embedder)
    # far shorter than any newsletter: placed among all the brand's posts alone (among newsletters its length
    # would decide), and explained against the newsletters
    assert (short.score, short.dimensions) == (bare.score, bare.dimensions)
    words = next(r for r in short.reasons if r.feature == "words")
    assert words.message == "14 words; the brand's newsletter posts have 120" and words.voice == 120.0
    colons = next(r for r in short.reasons if r.feature == "colon_rate")
    assert colons.message.endswith("the brand never uses them in its newsletter posts (in none of its 30)")
    # a channel it learned too few posts of: the brand's figures
    other = score_documents(books, [Document(draft, id="x", channel="x")], embedder=fake_embedder)[0]
    assert [r.message for r in other.reasons if r.feature == "function_word_share"] == said


def test_score_text_places_a_draft_in_the_channel_it_names(books, fake_embedder):
    from voicecheck.scoring import score_text

    draft = _newsletter(99)
    expected = score_documents(books, [Document(draft, id="n", channel="newsletter", date="2026-01-05",
                                                source="agency", author="kim")], embedder=fake_embedder)[0]
    got = score_text(books, draft, id="n", channel="newsletter", date="2026-01-05", source="agency",
                     author="kim", embedder=fake_embedder)
    assert got.to_dict() == expected.to_dict()
    assert (got.channel, got.source, got.author, got.date[:10]) == ("newsletter", "agency", "kim", "2026-01-05")
    plain = score_text(books, draft, embedder=fake_embedder)
    assert plain.score != got.score  # among all the brand's posts, mostly captions
    # Markdown read as a .md file is: its prose, and its front matter's labels where the arguments give none
    page = f"---\nchannel: newsletter\ndate: 2026-01-05\n---\n**Dear** {draft.removeprefix('Dear ')}\n"
    read = score_text(books, page, id="n", source="agency", author="kim", markup="markdown",
                      embedder=fake_embedder)
    assert read.to_dict() == expected.to_dict()
    assert score_text(books, page, markup="markdown", channel="instagram", embedder=fake_embedder).channel == \
        "instagram"  # the argument first, as a record's own field comes before its front matter's
    with pytest.raises(InputError, match="markup"):
        score_text(books, page, markup="rst", embedder=fake_embedder)


def test_a_draft_counts_among_a_channel_s_posts_as_far_as_it_is_as_long_as_they_are(books):
    """Among 40-word captions a 24-word one was off-voice for its length (a brand manager's review): the channel's
    scale weighs fully within its posts' 10th to 90th percentile of length, and fades out on a log scale until
    half as short or twice as long."""
    view = books.channel_style("newsletter")
    lo, hi = view.quantiles[books.style_names_.index("words"), [10, 90]]
    raw = np.full(5, float(np.median(view.calibration[3])))
    words = np.array([lo / 2, lo / np.sqrt(2), lo, hi, 2 * hi])
    alone = books.calibrate(raw, 3)
    among = books.calibrate(raw, 3, channels=[view] * 5)  # no length: as if each were of the channel's length
    blended = books.calibrate(raw, 3, words, [view] * 5)
    weights = (blended - books.calibrate(raw, 3, words)) / (among - alone)
    assert np.allclose(weights, [0.0, 0.5, 1.0, 1.0, 0.0])


def test_a_short_channel_weighs_as_said_beside_the_short_texts_scale(fake_embedder):
    """Stories among longer posts: the brand has a scale of short texts too, and the channel's share had been
    mixed in before it, so that it counted for less than n / (n + 10) or pulled the wrong way (a code review)."""
    import random

    from voicecheck.features import extract_features

    rng = random.Random(1)
    words = "coffee roast beans morning bar filter espresso origin batch notes tea cup milk shop open week".split()

    def sentence(n: int) -> str:
        return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."

    docs = [Document(" ".join([sentence(6)] + [sentence(rng.randint(9, 14)) for _ in range(4)]), id=f"p{i}",
                     channel="facebook") for i in range(150)]
    docs += [Document(sentence(rng.randint(7, 9)).rstrip(".") + f" {i}.", id=f"s{i}", channel="stories")
             for i in range(14)]
    profile = VoiceProfile(name="bar", lang="en").fit(docs, embedder=fake_embedder)
    view = profile.channel_style("stories")
    assert profile.short_calibration_ is not None and view.weight == 14 / 24
    drafts = [sentence(rng.randint(7, 9)).rstrip(".") + f" {100 + k}." for k in range(5)]
    feats = extract_features(drafts, "en", fake_embedder)
    raw, length = profile.combined_scores(profile.family_scores(feats)), profile.word_counts(feats.style)
    assert np.all((length >= view.quantiles[profile.style_names_.index("words"), 10])
                  & (length <= view.quantiles[profile.style_names_.index("words"), 90]))
    alone = profile.calibrate(raw, 3, length)  # among all its texts, short ones included
    among = 100.0 * np.array([np.mean(view.calibration[3] < r) + 0.5 * np.mean(view.calibration[3] == r) for r in raw])
    assert np.allclose(profile.calibrate(raw, 3, length, [view] * 5), view.weight * among + (1 - view.weight) * alone)


def test_short_posts_of_a_channel_of_their_own_leave_the_short_texts_scale_to_the_others(fake_embedder):
    """A brand whose Stories are a third of its posts wrote posts as short as a first sentence, so short drafts had
    no scale of their own: a tea shop's own one-sentence captions were off-voice 16 times in 27 (a brand manager's
    review). Kept apart as a channel, the Stories have their own scale, and the other posts decide."""
    import random

    rng = random.Random(2)
    words = "coffee roast beans morning bar filter espresso origin batch notes tea cup milk shop open week".split()

    def sentence(n: int) -> str:
        return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."

    posts = [" ".join([sentence(6)] + [sentence(rng.randint(9, 14)) for _ in range(4)]) for _ in range(80)]
    stories = [sentence(rng.randint(5, 8)).rstrip(".") + f" {i}." for i in range(40)]

    def learn(labelled: bool) -> VoiceProfile:
        docs = [Document(t, id=f"p{i}", channel="feed" if labelled else None) for i, t in enumerate(posts)]
        docs += [Document(t, id=f"s{i}", channel="stories" if labelled else None) for i, t in enumerate(stories)]
        return VoiceProfile(name="bar", lang="en").fit(docs, embedder=fake_embedder)

    assert learn(False).short_calibration_ is None  # its 10th-percentile post is a Story: one scale
    kept = learn(True)
    assert kept.short_calibration_ is not None and kept.short_words_[1] > 30  # the feed's posts decide
    assert kept.channel_style("stories").calibration is not None


def test_a_rule_is_the_brand_s_in_every_channel(books, fake_embedder):
    draft = _newsletter(5).replace("shop.", "shop!")
    result = score_documents(books, [Document(draft, id="n", channel="newsletter")], embedder=fake_embedder)[0]
    assert result.verdict == "off-voice"
    assert result.reasons[0].feature == "exclamation_rate"
    assert "the brand never uses them (in none of its 109 posts)" in result.reasons[0].message


def test_an_italian_channel_is_named_in_italian(fake_embedder):
    from conftest import italian_records

    records = italian_records(80)
    docs = [Document(r["text"], id=r["id"], date=r["date"], channel=r["channel"]) for r in records]
    profile = VoiceProfile(name="forno", lang="it").fit(docs, embedder=fake_embedder)
    draft = Document(records[1]["text"] + " " + records[3]["text"] + " " + records[5]["text"], id="d",
                     channel="instagram")
    result = score_documents(profile, [draft], embedder=fake_embedder)[0]
    words = next(r for r in result.reasons if r.feature == "words")
    assert "nei post instagram del brand:" in words.message


def test_the_card_lists_the_channels(books):
    card = voice_card(books)
    assert [(c["channel"], c["posts"], c["words"]) for c in card["channels"]] == [
        ("Instagram", 70, 17.0), ("newsletter", 30, 120.0)]
    text = render_card(card)
    assert "By channel" in text
    assert "  - newsletter (30 posts): 120 words typically (10-90%: 118 to 122), sentences of 20 words." in text


def test_channels_survive_saving_and_a_profile_without_them_loads(books, tmp_path, fake_embedder):
    folder = books.save(tmp_path / "books")
    loaded = VoiceProfile.load(folder, check_model=False)
    assert [(c.key, c.n_posts) for c in loaded.channels_] == [("instagram", 70), ("newsletter", 30)]
    assert np.array_equal(loaded.channels_[1].quantiles, books.channels_[1].quantiles)
    assert np.array_equal(loaded.channels_[1].calibration, books.channels_[1].calibration)
    assert loaded.version_ == books.version_
    draft = Document(_newsletter(99), id="n", channel="newsletter")
    assert score_documents(loaded, [draft], embedder=fake_embedder) == score_documents(books, [draft],
                                                                                      embedder=fake_embedder)

    # a profile learned before channels were calibrated (format 2): explained against its channel, scored on the
    # scale of all the brand's posts, as it was
    edit_profile_meta(folder, lambda meta: [c.pop("calibration") for c in meta["channels"]] + [
        meta.update(format_version=2)])
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps({**manifest, "format_version": 2}))
    uncalibrated = VoiceProfile.load(folder, check_model=False)
    assert uncalibrated.channel_style("newsletter").calibration is None
    short = Document(_caption(7), id="s", channel="newsletter")
    scored = score_documents(uncalibrated, [draft, Document(draft.text, id="u"), short, Document(short.text, id="t")],
                             embedder=fake_embedder)
    assert scored[0].score == scored[1].score and scored[2].score == scored[3].score
    assert any("newsletter posts" in r.message for r in scored[2].reasons)
    for bad in ([], [[1.0]] * 3, [[2.0, 1.0]] * 4, [[float("nan")]] * 4, [[1.0], [1.0, 2.0], [1.0], [1.0]],
                [1.0, 2.0], [["a"]] * 4):
        edit_profile_meta(folder, lambda meta, bad=bad: meta["channels"][1].update(calibration=bad))
        with pytest.raises(ProfileFormatError, match="'newsletter': its calibration must be 4 rows of 1 to 1001 "
                                                     "finite scores each, in increasing order"):
            VoiceProfile.load(folder, check_model=False)
    edit_profile_meta(folder, lambda meta: meta["channels"][1].pop("calibration"))

    edit_profile_meta(folder, lambda meta: meta["channels"].pop())  # one entry fewer than the array holds
    with pytest.raises(ProfileFormatError, match="channels and channel_quantiles.npy must come together"):
        VoiceProfile.load(folder, check_model=False)
    # a profile learned before channels were kept: neither
    edit_profile_meta(folder, lambda meta: meta.pop("channels"))
    drop_profile_file(folder, "channel_quantiles.npy")
    old = VoiceProfile.load(folder, check_model=False)
    assert old.channels_ == [] and old.channel_style("newsletter") is None
    result = score_documents(old, [Document(_caption(3), id="s", channel="newsletter")], embedder=fake_embedder)[0]
    assert all("newsletter posts" not in r.message for r in result.reasons)


def test_score_channel_labels_the_drafts_that_do_not_say_theirs(books, tmp_path, cli, monkeypatch, fake_embedder):
    import voicecheck.embedding as emb

    monkeypatch.setattr(emb, "load_embedder", lambda name: fake_embedder)
    monkeypatch.setattr(emb, "installed_model_identity", lambda name: dict(fake_embedder.identity))
    folder = books.save(tmp_path / "books")
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "letter.txt").write_text(_caption(3), encoding="utf-8")
    write_jsonl(drafts / "posts.jsonl", [{"id": "own", "text": _caption(4), "channel": "instagram"}])
    run = cli("score", str(drafts), "--profile", str(folder), "--format", "json", "--channel", "newsletter")
    out = {r["id"]: r for r in json.loads(run.out)}
    assert out["letter.txt"]["channel"] == "newsletter"
    assert any("newsletter posts have 120" in r["message"] for r in out["letter.txt"]["reasons"])
    assert out["own"]["channel"] == "instagram"  # its own label stands
    run = cli("score", str(drafts), "--profile", str(folder), "--channel", " ")
    assert run.code == 2 and "a channel label cannot be blank" in run.err
    run = cli("score", str(drafts), "--profile", str(folder), "--channel", "x" * 400)
    assert run.code == 2 and "--channel: the label is 400 characters; the limit is 300" in run.err
    run = cli("score", str(drafts / "letter.txt"), "--profile", str(folder), "--channel", "ig", "--format", "json")
    assert "warning: the profile keeps no channel 'ig' apart (it keeps: Instagram, newsletter)" in run.err
    assert all("newsletter posts" not in r["message"] for r in json.loads(run.out)[0]["reasons"])
    assert "name a channel" not in run.err and "names a channel" not in run.err  # said once, not twice
    # A file's own label the profile does not keep: "Instagram Stories" for "instagram" had lost the channel's
    # scale without a word (a brand manager's review)
    write_jsonl(drafts / "posts.jsonl", [{"id": "a", "text": _caption(4), "channel": "Instagram  Stories"},
                                         {"id": "b", "text": _caption(5), "channel": "Instagram Stories"},
                                         {"id": "c", "text": _caption(6), "channel": "INSTAGRAM"},
                                         {"id": "d", "text": _caption(7), "channel": "x"}])
    run = cli("score", str(drafts / "posts.jsonl"), "--profile", str(folder), "--format", "json")
    assert ("warning: 3 drafts name a channel the profile does not keep apart: 'Instagram Stories' (2), 'x' (1) "
            "(it keeps: Instagram, newsletter); they are scored among and explained against all the brand's posts"
            ) in run.err
    assert "no channel" not in run.err  # each names one
    # A draft naming none is said too: with its channel a verdict can differ (an agency's review: 20.0 as a .txt,
    # 9.0 among its channel's posts)
    run = cli("score", str(drafts), "--profile", str(folder), "--format", "json")
    assert ("warning: 1 of 5 drafts names no channel, and the profile keeps Instagram, newsletter apart: it is "
            "scored among all the brand's posts (--channel LABEL, or a channel in a draft's front matter or record, "
            "scores a draft among its channel's)") in run.err


def test_learning_names_the_channels_too_small_to_be_kept_apart(books):
    assert "channels with fewer than 10 different posts: 'x' (9); their drafts are scored among and explained " \
           "against all the brand's posts, not those of their channel" in books.warnings_


def test_a_drift_report_compares_each_post_with_the_brand_s_posts_of_its_channel(books, fake_embedder):
    """A month of the brand's own newsletters is no "longer posts" when they say they are newsletters."""
    from voicecheck.drift import drift_report

    letters = [Document(_newsletter(i + 200), id=f"n{i}", date=f"2026-02-{1 + i % 27:02d}", channel="newsletter")
               for i in range(20)]
    labelled = score_documents(books, letters, embedder=fake_embedder)
    unlabelled = score_documents(books, [Document(d.text, id=d.id, date=d.date) for d in letters],
                                 embedder=fake_embedder)

    def moved(rows):
        return {f["feature"]: f for f in drift_report(rows, books, window="month")["windows"][0]["top_features"]}

    assert "words" not in moved(labelled)
    longer = moved(unlabelled)["words"]
    assert longer["direction"] == "up" and longer["voice"] == 17.0


def test_a_window_of_two_channels_compares_like_with_like(books, fake_embedder):
    """Captions twice as long as the brand's, beside newsletters as long as its own: 'longer posts', the mean
    against the brand's means for these channels. The window's median (32 words) against the average of the
    channels' medians (58) had hidden it (a diff review)."""
    from voicecheck.drift import drift_report

    long_captions = [Document(_caption(i) + " Ask us for it at the counter, we keep a few copies aside for you.",
                              id=f"c{i}", date=f"2026-02-{1 + i % 27:02d}", channel="instagram") for i in range(24)]
    letters = [Document(_newsletter(i + 200), id=f"n{i}", date=f"2026-02-{1 + i % 27:02d}", channel="newsletter")
               for i in range(16)]
    rows = score_documents(books, long_captions + letters, embedder=fake_embedder)
    moved = {f["feature"]: f for f in drift_report(rows, books, window="month")["windows"][0]["top_features"]}
    longer = moved["words"]
    assert longer["direction"] == "up" and longer["window"] > longer["voice"]
    assert longer["message"].endswith("against the brand's 58 for these channels")  # not the card's overall 17
