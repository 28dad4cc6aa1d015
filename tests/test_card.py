"""The voice card: data keys and the text/Markdown rendering."""

from __future__ import annotations

import json

import pytest

from voicecheck.card import _named, render_card, voice_card
from voicecheck.errors import NotFittedError
from voicecheck.profile import VoiceProfile

KEYS = {"profile", "explained_in", "language", "learned_from", "learned_at", "confidence", "embedding_model", "register", "habits",
        "characteristic_words", "avoided_words", "score_meaning"}


@pytest.fixture(scope="module")
def card(fake_profile):
    return voice_card(fake_profile)


def test_card_keys_and_values(card, fake_profile):
    assert set(card) >= KEYS
    assert card["profile"] == fake_profile.info
    assert card["language"] == "italiano" and card["explained_in"] == "it" and card["confidence"] == "low"
    assert card["embedding_model"] == "fake-hash-64"
    assert card["learned_from"]["documents"] == 48 and card["learned_from"]["background_documents"] > 0
    assert card["register"]["form"] == "voi" and card["register"]["share"] == 1.0
    assert "'voi'" in card["register"]["text"]
    for h in card["habits"]:
        assert {"feature", "label", "median", "typical_range", "mean", "share_of_posts", "text"} <= set(h)
        lo, hi = h["typical_range"]
        assert lo <= h["median"] <= hi and h["text"].endswith(".")
    feats = [h["feature"] for h in card["habits"]]
    assert "exclamation_rate" in feats and "gulpease" in feats and "readability" not in feats
    excl = next(h for h in card["habits"] if h["feature"] == "exclamation_rate")
    # "never" only when true: the brand's share of posts with an exclamation mark decides the words
    assert ("mai (in nessuno dei suoi post)" if excl["share_of_posts"] == 0 else "quasi mai") in excl["text"]
    assert card["characteristic_words"] and all(isinstance(w, str) for w in card["characteristic_words"])
    from voicecheck.style import function_words

    assert card["avoided_words"] and not set(card["avoided_words"]) & function_words("it")  # not "dei", "sulla"
    json.dumps(card, allow_nan=False)


def test_card_of_loaded_profile_is_the_same(card, fake_profile_dir):
    loaded = VoiceProfile.load(fake_profile_dir, check_model=False)
    again = voice_card(loaded)
    assert again == card


def test_render_text(fake_profile):
    card = voice_card(fake_profile, explain_in="en")
    text = render_card(card, "text")
    assert text.startswith("Voice card: forno-lume\n") and text.endswith("\n")
    assert "Italian voice learned from 48 posts" in text and "Low confidence" in text
    assert "Habits" in text and "Words" in text and "Characteristic:" in text
    assert "'voi'" in text and "#" not in text.split("\n")[0]
    assert card["score_meaning"] in text


def test_render_markdown(card):
    md = render_card(card, "md")
    assert md.startswith("# Scheda della voce: forno-lume")
    assert "\n## Abitudini\n" in md and "\n## Parole\n" in md
    assert "\n- " in md


def test_an_italian_card_is_italian_throughout(card):
    """Every sentence of an Italian brand's card in Italian; numbers with a decimal comma."""
    text = render_card(card, "text")
    assert "Voce in italiano appresa da 48 post" in text and "Affidabilità bassa" in text
    assert "Dà del 'voi' ai lettori nel 100% dei" in text
    for english in ("the brand", "posts", " words", "never", "typically", "Habits", "Low confidence", "voice",
                    "off-voice", "per 100"):
        assert english not in text.replace(card["profile"]["name"], ""), english
    assert any(c.isdigit() and d == "," and e.isdigit() for c, d, e in zip(text, text[1:], text[2:]))


def test_the_card_speaks_english_on_request(fake_profile, card):
    english = voice_card(fake_profile, explain_in="en")
    assert english["explained_in"] == "en" and english["language"] == "Italian"
    assert [h["feature"] for h in english["habits"]] == [h["feature"] for h in card["habits"]]
    assert [h["median"] for h in english["habits"]] == [h["median"] for h in card["habits"]]
    assert english["score_meaning"].startswith("A score of S means")


def test_card_needs_a_fitted_profile():
    with pytest.raises(NotFittedError):
        voice_card(VoiceProfile())


def test_a_habit_in_one_post_of_two_hundred_is_not_zero_percent():
    from voicecheck.card import _habit_sentence

    q = [0.0] * 101
    assert _habit_sentence("exclamation_rate", "exclamation marks", "per 100 words", q, 0.005, 0.01) == \
        "Exclamation marks: almost never (under 1% of posts)."
    assert _habit_sentence("exclamation_rate", "exclamation marks", "per 100 words", q, 0.0, 0.0) == \
        "Exclamation marks: never (in none of its posts)."
    assert "typically" in _habit_sentence("sentence_length", "words per sentence", "words", list(range(101)), 1, 50)


def test_an_unknown_format_is_refused_not_rendered_as_text(card):
    from voicecheck.errors import InputError

    with pytest.raises(InputError, match="format must be one of text, md"):
        render_card(card, "html")
    assert render_card(card, "markdown") == render_card(card, "md")


def test_the_card_lists_the_rules_that_decide_a_verdict(fake_embedder):
    """The habits the scorer treats as rules are on the card, so the brand manager knows them before a draft."""
    from conftest import italian_records, to_documents
    from voicecheck.card import render_card, voice_card
    from voicecheck.profile import VoiceProfile

    profile = VoiceProfile(name="lume", folds=2).fit(to_documents(italian_records(60)), embedder=fake_embedder)
    card = voice_card(profile, explain_in="en")
    rules = {r["feature"]: r["text"] for r in card["rules"]}
    assert rules["exclamation_rate"] == "no exclamation marks"
    assert rules["tu_rate"] == "addresses readers as 'voi', never as 'tu'"
    assert "noi_rate" not in rules and "voi_rate" not in rules  # the brand's own habits are not rules against it
    text = render_card(card)
    assert "Rules\nOf the habits it never breaks" in text and "  - No exclamation marks." in text
    italian = voice_card(profile)
    assert {r["feature"]: r["text"] for r in italian["rules"]}["tu_rate"] == "dà del 'voi' ai lettori, mai del 'tu'"
    rendered = render_card(italian)
    assert "Regole\nTra le abitudini che non infrange mai" in rendered and "  - Niente punti esclamativi." in rendered
    small = voice_card(VoiceProfile(name="s", folds=2).fit(to_documents(italian_records(40)), embedder=fake_embedder))
    # Under 50 posts "never" is no rule yet; the form of address needs 20 posts that address the reader.
    assert {r["feature"] for r in small["rules"]} == {"tu_rate", "lei_rate"}


@pytest.mark.parametrize("explain_in", ["it", "en"])
def test_cards_have_the_shape_openapi_documents(fake_profile, fake_embedder, explain_in):
    """The service's /openapi.json types the card (VoiceCardOut, which forbids other fields): a card that gains,
    loses or retypes a field fails here, as a client generated from the schema would."""
    from conftest import english_records, to_documents
    from voicecheck_api.schemas import VoiceCardOut

    english = VoiceProfile(name="e", lang="en", folds=2).fit(to_documents(english_records(40)), embedder=fake_embedder,
                                                        warn=False)
    for profile in (fake_profile, english):
        card = json.loads(json.dumps(voice_card(profile, explain_in=explain_in)))
        assert VoiceCardOut.model_validate(card).model_dump(mode="json", by_alias=True) == card
    assert voice_card(english)["register"] is None


def test_a_habit_in_half_the_posts_is_not_in_most_posts():
    """At exactly 50% the median post has none: the card gives the share and the mean, not a 'typical' value."""
    from voicecheck.card import _habit_sentence

    q = [0.0] * 50 + [1.9] + [3.0] * 50
    half = _habit_sentence("exclamation_rate", "exclamation marks", "per 100 words", q, 0.5, 2.4)
    assert half == "Exclamation marks: in 50% of posts (2.4 per 100 words on average)."
    most = _habit_sentence("exclamation_rate", "exclamation marks", "per 100 words", q, 0.6, 2.4)
    assert most.startswith("Exclamation marks: in 60% of posts, 1.9 per 100 words typically")
    every = _habit_sentence("emoji_rate", "emoji", "ogni 100 parole", q, 1.0, 2.4, "it")
    assert every.startswith("Emoji: in tutti i post, di solito 1,9 ogni 100 parole")  # not "nella maggior parte"


def test_the_learning_day_is_written_as_a_reader_says_it(card):
    """The card's text says the day the profile was learned; the JSON keeps the ISO time for tools."""
    when = {**card, "learned_at": "2026-03-08T10:15:00+00:00"}
    assert "versione " in render_card(when, "text") and ", dell'8 marzo 2026." in render_card(when, "text")
    english = render_card({**when, "explained_in": "en"}, "text")
    assert "learned on 8 March 2026." in english and "T10:15" not in english
    assert "2026-03-08T10:15:00+00:00" == when["learned_at"]


def test_a_reason_gives_the_brands_figure_the_card_gives(fake_profile, fake_embedder):
    """The card says a habit most posts show is "typically" its median; a reason about the same habit gave the
    mean ("di solito 3,2" on the card, "nei testi del brand: 3,7" in the reason: found by the Italian review)."""
    from voicecheck.scoring import score_documents

    habits = {h["feature"]: h for h in voice_card(fake_profile)["habits"]}
    most = {f for f, h in habits.items() if f.endswith("_rate") and h["share_of_posts"] > 0.5}
    assert "noi_rate" in most
    drafts = ["Noi, noi e ancora noi: il nostro forno, il nostro pane, le nostre torte, i nostri dolci.",
              "Il pane di oggi è pronto al banco dalle otto di mattina fino a sera."]
    compared = 0
    for result in score_documents(fake_profile, drafts, embedder=fake_embedder):
        for reason in result.reasons:
            if reason.feature in most:
                assert reason.voice == habits[reason.feature]["median"], (reason, habits[reason.feature])
                compared += 1
    assert compared


def test_names_are_listed_apart_from_the_words_of_the_voice(fake_profile):
    """A coffee chain's card listed "Maple, Elm, Avenue" (its streets) as the words of its voice (a brand manager's
    review): what the brand writes with a capital inside a sentence is listed as names."""
    card = voice_card(fake_profile, explain_in="en")
    assert card["characteristic_words"] and not any(_named(w) for w in card["characteristic_words"])
    assert "Roma" in card["characteristic_names"]  # "Vi aspettiamo in via Roma"
    # Months and weekdays take a capital in English but name no one ("Tallyworks, March, Manchester": a review)
    assert _named("Manchester") and _named("VAT") and not _named("March") and not _named("Tuesday")
    assert "  - Names it writes often: " in render_card(card) and "Roma" in render_card(card)
    assert "Nomi ricorrenti: " in render_card(voice_card(fake_profile, explain_in="it"))


def test_a_habit_of_some_posts_gives_its_mean_to_its_first_digit():
    """"Question marks: in 8% of posts (0.0 per 100 words on average)" read as none at all (a content head's
    review)."""
    import numpy as np

    from voicecheck.card import _habit_sentence

    q = np.zeros(101)
    said = _habit_sentence("question_rate", "question marks", "per 100 words", q, 0.08, 0.04)
    assert said == "Question marks: in 8% of posts (0.04 per 100 words on average)."
    assert "(0.2 per 100 words" in _habit_sentence("question_rate", "question marks", "per 100 words", q, 0.08, 0.2)
    assert "(in media 0,004 ogni" in _habit_sentence("question_rate", "punti interrogativi", "ogni 100 parole", q,
                                                     0.08, 0.004, "it")
