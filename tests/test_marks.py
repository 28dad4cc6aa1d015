"""The brand's own emoji and hashtags: a draft's new ones are named, the brand's own are not."""

from __future__ import annotations

import numpy as np
import pytest

from voicecheck.card import render_card, voice_card
from voicecheck.documents import Document
from voicecheck.marks import NEW_AT_MOST, PALETTE_MIN_POSTS, BrandMarks, mark_key
from voicecheck.profile import VoiceProfile
from voicecheck.scoring import score_documents
from voicecheck.style import emoji_and_hashtags

# Atelier Noma, a made-up Italian fashion house: calm captions, ✨ and 🌿, its own two hashtags.
_PIECES = ["il cappotto in lana cotta", "la camicia di lino grezzo", "la gonna a pieghe in seta", "il gilet in tweed",
           "la giacca sfoderata in cotone", "il pantalone ampio in flanella", "la maglia a coste in cashmere",
           "l'abito lungo in crêpe", "la borsa in pelle conciata al vegetale", "il foulard stampato a mano"]
_COLOURS = ["color sabbia", "color salvia", "blu notte", "grigio perla", "verde oliva", "color tabacco"]
_CLOSINGS = ["Lo trovate in atelier da giovedì.", "Vi aspettiamo in via Solferino.",
             "Disponibile anche sul nostro sito.", "Cuciamo ogni capo nel nostro laboratorio di Como."]


def _caption(i: int) -> str:
    mark = ["✨", "🌿", "", "✨", ""][i % 5]
    tag = ["#AtelierNoma", "#FattoAComo", "", "#AtelierNoma", ""][i % 5 if i % 3 else 2]
    return (f"Nuova stagione: {_PIECES[i % len(_PIECES)]}, {_COLOURS[i % len(_COLOURS)]}. {mark} "
            f"{_CLOSINGS[(i // 2) % len(_CLOSINGS)]} {tag}").replace("  ", " ").strip()


@pytest.fixture(scope="module")
def noma(fake_embedder):
    docs = [Document(_caption(i), id=f"n{i}", date=f"2025-{1 + i // 10:02d}-{1 + i % 10:02d}") for i in range(90)]
    return VoiceProfile(name="noma", lang="it").fit(docs, embedder=fake_embedder)


def test_emoji_are_told_apart_by_their_sign_not_their_skin_tone_and_quoted_ones_are_not_the_brand_s():
    emoji, tags, numbers = emoji_and_hashtags('Grazie 👍🏽 e ❤️ 🇮🇹 "Che bello, lo adoro 😍 #wow" #OOTD ordine '
                                              '#BL48213 https://x.it/#frammento')
    assert emoji == ["👍🏽", "❤️", "🇮🇹"]  # as written: a reason quotes them so
    assert [mark_key("emoji", e) for e in emoji] == ["👍", "❤", "🇮🇹"]
    assert tags == ["#OOTD"]  # the customer's quoted #wow is not the brand's
    assert numbers == ["#BL48213"]


def test_the_marks_learned_and_how_often_later_posts_bring_new_ones():
    texts = ["a ✨"] * 6 + ["b #Uno"] * 6 + ["c ✨ #uno"] * 4 + ["d 🌵"]  # 🌵 only in the last fold
    folds = np.array([0, 1, 2, 3] * 4 + [3])
    marks = BrandMarks().fit(texts, folds)
    assert marks.df_["emoji"] == {"✨": 10, "🌵": 1}
    assert marks.df_["hashtags"] == {"#uno": 10}
    assert marks.own("hashtags") == ["#Uno"]  # as the brand writes it most
    assert marks.new_share_["emoji"] == pytest.approx(1 / 11)  # of the posts with emoji, the cactus's
    assert marks.new_share_["hashtags"] == 0.0
    assert marks.n_with_ == {"emoji": 11, "hashtags": 10}
    again = BrandMarks.from_json(marks.to_json())
    assert again.to_json() == marks.to_json()
    assert again.new_in("x 🌵 🔥 🔥 #UNO #Nuovo #nuovo") == {"emoji": ["🔥"], "hashtags": ["#Nuovo"]}


def test_no_palette_no_verdict_on_new_ones():
    """Under PALETTE_MIN_POSTS posts with emoji, what the brand used says too little of what it would not; a brand
    whose later posts with emoji often bring a new one is told nothing either, however few of its posts have
    emoji (18 of 198, each a different one: a library review)."""
    few = BrandMarks().fit(["a ✨"] * (PALETTE_MIN_POSTS - 1) + ["b"] * 20, np.arange(PALETTE_MIN_POSTS + 19) % 5)
    assert few.new_in("c 🔥") == {}
    varied = [f"post {i}" + (f" {chr(0x1F600 + i)}" if i % 11 == 5 else "") for i in range(198)]
    many = BrandMarks().fit(varied, np.arange(198) * 5 // 198)
    assert many.new_share_["emoji"] > NEW_AT_MOST and not many.palette("emoji")
    assert many.new_in("c 🔥") == {}


def test_a_season_tag_the_brand_writes_in_capitals_is_not_new_in_lower_case():
    """#SS26 reads as a number to style (as an order number does); a draft's '#ss26' is still the brand's tag."""
    marks = BrandMarks().fit([f"Nuova collezione, capo {i}. #SS26 #AtelierNoma" for i in range(40)], np.arange(40) % 5)
    assert marks.new_in("La collezione è in boutique #ss26 #AtelierNoma") == {}
    assert marks.new_in("La collezione è in boutique #ss27") == {"hashtags": ["#ss27"]}
    # in capitals too (a diff review: only '#ss27' had been named); an order number is no tag
    assert marks.new_in("In boutique #FW2027 e #SS26, ordine #BL482133 #CS-1029") == {"hashtags": ["#FW2027"]}


def test_new_marks_are_given_as_the_draft_writes_them_in_its_order():
    marks = BrandMarks().fit(["a ❤️ #Uno"] * 10, np.arange(10) % 5)
    assert marks.own("emoji") == ["❤️"]  # with its presentation selector, as the brand writes it
    assert marks.new_in("x 🏋️‍♀️ ❤ #Ootd #fashion #ootd") == {"emoji": ["🏋️‍♀️"], "hashtags": ["#Ootd", "#fashion"]}


def test_a_draft_s_new_emoji_and_hashtags_are_named_with_the_brand_s_own(noma, fake_embedder):
    agency = "Nuova stagione: il cappotto in lana cotta, color sabbia. 😍🔥 Lo trovate in atelier da giovedì. #ootd"
    own = "Nuova stagione: il gilet in tweed, grigio perla. ✨ Vi aspettiamo in via Solferino. #AtelierNoma"
    out, ok = score_documents(noma, [agency, own], embedder=fake_embedder)
    reasons = {r.feature: r for r in out.reasons}
    assert reasons["new_emoji"].message.startswith("usa emoji che il brand non ha mai usato nei suoi 90 post: "
                                                   "'😍', '🔥' (le sue: ✨, 🌿;")
    assert reasons["new_emoji"].draft == "😍, 🔥"
    assert "'#ootd' (i suoi: #AtelierNoma, #FattoAComo;" in reasons["new_hashtags"].message
    assert {"new_emoji", "new_hashtags"}.isdisjoint(r.feature for r in ok.reasons)
    english = score_documents(noma, [agency], embedder=fake_embedder, explain_in="en")[0]
    said = next(r.message for r in english.reasons if r.feature == "new_emoji")
    assert said.startswith("uses emoji the brand has never used in its 90 posts: '😍', '🔥' (its own: ✨, 🌿; it "
                           "brings in a new one in under 1% of its posts with emoji)")


def test_the_card_lists_the_brand_s_emoji_and_hashtags(noma):
    card = voice_card(noma)
    assert card["emoji_used"] == ["✨", "🌿"]
    assert card["hashtags_used"][:2] == ["#AtelierNoma", "#FattoAComo"]
    # listed as its hashtags, not again as words of its voice (a library review)
    assert {"ateliernoma", "fattoacomo"}.isdisjoint(w.lower() for w in card["characteristic_words"]
                                                     + card["characteristic_names"])
    text = render_card(card)
    assert "Le sue emoji, dalla più usata: ✨ 🌿" in text
    assert "I suoi hashtag, dal più usato: #AtelierNoma, #FattoAComo" in text


def test_the_marks_survive_saving_and_a_profile_learned_before_them_names_none(noma, fake_embedder, tmp_path):
    from conftest import edit_profile_meta

    folder = noma.save(tmp_path / "noma")
    loaded = VoiceProfile.load(folder, check_model=False)
    assert loaded.marks_.to_json() == noma.marks_.to_json()
    assert loaded.version_ == noma.version_
    edit_profile_meta(folder, lambda meta: meta.pop("marks"))  # a profile of before: no "marks"
    old = VoiceProfile.load(folder, check_model=False)
    assert old.marks_ is None
    result = score_documents(old, ["Nuova stagione: il gilet in tweed. 😍 #ootd"], embedder=fake_embedder)[0]
    assert {"new_emoji", "new_hashtags"}.isdisjoint(r.feature for r in result.reasons)
    assert voice_card(old)["emoji_used"] == []


def test_a_new_hashtag_is_not_named_again_as_a_new_word(noma, fake_embedder):
    draft = "Nuova stagione: il gilet in tweed, grigio perla. Vi aspettiamo in via Solferino. #ootd #gilet"
    result = score_documents(noma, [draft], embedder=fake_embedder)[0]
    messages = " ".join(r.message for r in result.reasons)
    assert "'#ootd'" in messages
    assert "'ootd'" not in messages  # the vocabulary reason does not name the tag's word again


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "emoji the brand has never used: 😍, 🔥 (a new one in under 1% of its posts with emoji)"),
    ("it", "hashtag mai usati dal brand: #ootd (uno nuovo nell'8% dei suoi post con hashtag)"),
])
def test_a_stored_reason_is_restated_in_the_other_language(lang, expected):
    from voicecheck.scoring import restate_reason

    feature = "new_emoji" if lang == "en" else "new_hashtags"
    reason = {"feature": feature, "draft": "😍, 🔥" if lang == "en" else "#ootd", "voice": 0.0 if lang == "en" else 8.3}
    assert restate_reason(reason, lang) == expected


def _agency(i: int) -> str:
    return _caption(i).replace("✨", "😍").replace("🌿", "🔥").replace("#AtelierNoma", "#ootd")


def _month(prefix: str, month: str, write, n: int = 20) -> list[Document]:
    return [Document(write(i + 200), id=f"{prefix}{i}", date=f"{month}-{1 + i % 28:02d}") for i in range(n)]


def test_a_drift_report_names_the_emoji_and_hashtags_the_brand_never_used(noma, fake_embedder):
    from voicecheck.drift import drift_report
    from voicecheck.report_render import render_report

    rows = score_documents(noma, _month("l", "2026-01", _caption) + _month("a", "2026-02", _agency),
                           embedder=fake_embedder)
    report = drift_report(rows, noma, window="month", explain_in="en")
    january, february = report["windows"]
    assert not [f for f in january["top_features"] if f["feature"].startswith("new_")]
    moved = {f["feature"]: f for f in february["top_features"]}
    emoji = moved["new_emoji"]
    assert (emoji["posts"], emoji["of_posts"], emoji["marks"], emoji["direction"]) == (12, 12, ["😍", "🔥"], "up")
    assert emoji["window"] == 100.0 and emoji["voice"] == 0.0 and emoji["p_value"] < 0.001
    assert emoji["message"] == ("emoji new to the brand since February 2026: '😍', '🔥' in 12 of 12 posts with "
                                "emoji, against under 1% of its own posts with emoji")
    assert moved["new_hashtags"]["marks"] == ["#ootd"]
    assert "emoji new to the brand since February 2026" in render_report(report, "md")
    assert "hashtags new to the brand" in render_report(report, "html")
    italian = drift_report(rows, noma, window="month")
    said = next(f["message"] for f in italian["windows"][1]["top_features"] if f["feature"] == "new_emoji")
    assert said == ("emoji nuove per il brand da febbraio 2026: '😍', '🔥' in 12 post su 12 con emoji, contro meno "
                    "dell'1% dei suoi post con emoji")


def test_posts_stored_before_the_marks_were_kept_are_not_counted(noma, fake_embedder):
    from voicecheck.drift import drift_report

    rows = [r.to_dict(with_style=True) for r in score_documents(noma, _month("a", "2026-02", _agency),
                                                                 embedder=fake_embedder)]
    for r in rows:
        del r["new_marks"]
    report = drift_report(rows, noma, window="month")
    assert not [f for f in report["windows"][0]["top_features"] if f["feature"].startswith("new_")]


def test_the_card_lists_what_the_brand_uses_in_two_posts_or_more_however_varied():
    """A brand with staple emoji and a one-off now and then lists its staples (it had listed none: a diff review),
    one-offs none (18 of them had been listed in code point order: a library review)."""
    staples = ["🍂", "📚", "☕"]
    texts = [f"post {i} {staples[i % 3]}" + (f" {chr(0x1F400 + i)}" if i % 3 == 0 else "") for i in range(60)]
    marks = BrandMarks().fit(texts, np.arange(60) * 5 // 60)
    assert not marks.palette("emoji")  # a new one in a third of its posts with emoji: no verdict on new ones
    assert marks.listed("emoji") == ["☕", "🍂", "📚"]


def test_marks_learned_by_the_first_version_are_read_as_a_share_of_the_posts_with_marks():
    """The first version kept the share of new ones among all posts; read as it was, a brand whose posts with
    hashtags bring a new one a third of the time passed as keeping to its own (a diff review)."""
    texts = [f"post {i}" + (" #uno" if i % 10 < 2 else " #due" if i % 10 == 2 else "") for i in range(100)]
    texts = [t + (f" #tag{i}" if i % 30 == 0 else "") for i, t in enumerate(texts)]
    marks = BrandMarks().fit(texts, np.arange(100) // 20)
    first = marks.to_json()
    first.pop("numbers")
    first["new_share"] = {k: v * marks.n_with_[k] / marks.n_posts_ for k, v in first["new_share"].items()}
    again = BrandMarks.from_json(first)
    assert again.new_share_ == pytest.approx(marks.new_share_)


def test_a_week_of_a_few_posts_with_new_emoji_names_them(noma, fake_embedder):
    """A small brand's week holds 3 or 4 posts with emoji: the count is exact at any size, so they are named from
    the week they began (a review: they had waited for 5 posts with emoji, two months later)."""
    from voicecheck.drift import drift_report

    week = [Document(_agency(i + 200), id=f"a{i}", date=f"2026-02-{2 + i:02d}") for i in range(6)]
    rows = score_documents(noma, week, embedder=fake_embedder)
    moved = {f["feature"]: f for f in drift_report(rows, noma, window="week")["windows"][0]["top_features"]}
    assert (moved["new_emoji"]["posts"], moved["new_emoji"]["of_posts"]) == (4, 4)
