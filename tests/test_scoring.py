"""Scoring with the fake embedder: the ScoreResult shape (design 3.3), verdicts, reasons, batches."""

from __future__ import annotations

import json
import re

import pytest

from conftest import IT_OFF_VOICE, IT_ON_VOICE
from voicecheck.documents import Document
from voicecheck.errors import InputError
from voicecheck.results import VERDICTS, ScoreResult
from voicecheck.scoring import BORDERLINE_BELOW, MIN_WORDS, OFF_VOICE_BELOW, score_documents, score_text

ON_VOICE = [
    IT_ON_VOICE,
    "Da lunedì trovate in vetrina i biscotti di farro e nocciole. Passate a trovarci e diteci cosa ne pensate.",
    "Nel nostro laboratorio prepariamo il pane di segale con farina macinata a pietra. "
    "Potete prenotare in negozio o scriverci.",
]
OFF_VOICE = [
    IT_OFF_VOICE,
    "Ehi tu!!! Hai visto la nostra SUPER promo??? Clicca subito sul link e ordina ora 🎉🎉🎉 #promo #sconti",
    "Non aspettare!!! Ti regaliamo il 50% su tutto, scrivici adesso e approfittane prima che finisca!!! 😍",
]


@pytest.fixture(scope="module")
def scored(fake_profile, fake_embedder):
    return score_documents(fake_profile, ON_VOICE + OFF_VOICE, embedder=fake_embedder)


def check_shape(d: dict) -> None:
    assert {"id", "score", "verdict", "dimensions", "reasons", "profile"} <= set(d)
    assert isinstance(d["id"], str)
    assert isinstance(d["score"], float) and 0 <= d["score"] <= 100
    assert d["verdict"] in ("on-voice", "borderline", "off-voice", "too-short")
    assert set(d["dimensions"]) == {"semantic", "style", "lexical"}
    assert all(isinstance(v, float) and 0 <= v <= 100 for v in d["dimensions"].values())
    assert isinstance(d["reasons"], list)
    for r in d["reasons"]:
        assert set(r) >= {"feature", "dimension", "message", "draft", "voice", "severity"}
        assert r["dimension"] in ("semantic", "style", "lexical")
        assert r["severity"] in ("info", "warning", "error")
        assert isinstance(r["message"], str) and r["message"]
        assert isinstance(r["feature"], str)
    assert set(d["profile"]) == {"name", "version", "lang"}
    json.dumps(d, allow_nan=False)


def test_result_shape(scored, fake_profile):
    assert len(scored) == len(ON_VOICE + OFF_VOICE)
    for r in scored:
        assert isinstance(r, ScoreResult)
        d = r.to_dict()
        check_shape(d)
        assert d["profile"] == {"name": "forno-lume", "version": fake_profile.version_, "lang": "it"}
        assert "style" not in d and set(r.to_dict(with_style=True)["style"]) == set(fake_profile.style_names_)


def test_drafts_sharing_an_id_are_said_in_a_warning(fake_profile, fake_embedder):
    """Results are told apart by id: the library says when drafts share one, as the command line did alone."""
    import warnings

    from voicecheck.errors import VoicecheckWarning

    docs = [Document(IT_ON_VOICE, id="a1", origin="d.jsonl:1"), Document(IT_OFF_VOICE, id="a1", origin="d.jsonl:2"),
            Document(IT_ON_VOICE, id="b")]
    with pytest.warns(VoicecheckWarning, match=r"2 drafts share the id 'a1': d.jsonl:1, d.jsonl:2; give each an"):
        score_documents(fake_profile, docs, embedder=fake_embedder)
    with warnings.catch_warnings():
        warnings.simplefilter("error", VoicecheckWarning)
        score_documents(fake_profile, docs, embedder=fake_embedder, warn=False)  # the service's batches
        score_documents(fake_profile, [IT_ON_VOICE, IT_ON_VOICE], embedder=fake_embedder)  # #1 and #2


def test_verdict_follows_score(scored):
    for r in scored:
        if r.verdict == "too-short":
            continue
        expected = ("off-voice" if r.score < OFF_VOICE_BELOW else
                    "borderline" if r.score < BORDERLINE_BELOW else "on-voice")
        assert r.verdict == expected
        assert r.off_voice == (r.verdict == "off-voice")
    assert set(VERDICTS) == {"on-voice", "borderline", "off-voice", "too-short"}


@pytest.mark.parametrize("score, verdict", [(4.9, "off-voice"), (5.0, "borderline"), (19.9, "borderline"),
                                            (20.0, "on-voice")])
def test_verdict_thresholds_are_under_5_and_under_20(fake_profile, fake_embedder, monkeypatch, score, verdict):
    """README: off-voice is a score under 5, borderline 5 to 20, on-voice 20 and over: a score on a threshold
    takes the verdict above it (only the final calibration is replaced, to land the score on the boundary)."""
    import numpy as np

    from voicecheck.profile import FAMILIES, VoiceProfile

    real = VoiceProfile.calibrate
    monkeypatch.setattr(VoiceProfile, "calibrate", lambda self, raw, which, words=None, channels=None: (
        np.full(len(raw), score) if which == len(FAMILIES) else real(self, raw, which, words)))
    r = score_text(fake_profile, IT_ON_VOICE, embedder=fake_embedder)
    assert (r.score, r.verdict, r.off_voice) == (score, verdict, verdict == "off-voice")


def test_reasons_sorted_by_severity_largest_first(scored):
    rank = {"error": 2, "warning": 1, "info": 0}
    for r in scored:
        sev = [rank[x.severity] for x in r.reasons]
        assert sev == sorted(sev, reverse=True), [x.feature for x in r.reasons]
        assert len(r.reasons) <= 6


def test_off_voice_scores_below_on_voice(scored):
    on = [r.score for r in scored[:len(ON_VOICE)]]
    off = [r.score for r in scored[len(ON_VOICE):]]
    assert max(off) < min(on)
    assert all(r.verdict == "off-voice" for r in scored[len(ON_VOICE):])
    assert all(r.verdict in ("on-voice", "borderline") for r in scored[:len(ON_VOICE)])


def test_off_voice_reasons_name_register_and_exclamations(scored):
    r = scored[len(ON_VOICE)]
    features = {x.feature for x in r.reasons}
    assert "exclamation_rate" in features and "emoji_rate" in features
    register = [x for x in r.reasons if x.feature in ("tu_rate", "voi_rate", "lei_rate")]
    assert register and "'tu'" in register[0].message and "'voi'" in register[0].message
    excl = next(x for x in r.reasons if x.feature == "exclamation_rate")
    assert excl.draft > 0 and excl.voice == 0 and excl.severity == "error" and "punti esclamativi" in excl.message


@pytest.mark.parametrize("text", ["Ciao", "Ciao a voi", "Grazie mille voi", "https://x.y"])
def test_too_short(fake_profile, fake_embedder, text):
    r = score_text(fake_profile, text, embedder=fake_embedder)
    assert r.words < MIN_WORDS and r.verdict == "too-short"
    assert r.reasons[0].feature == "words" and "troppo poco per valutare" in r.reasons[0].message
    said = {0: "nessuna parola:", 1: "solo 1 parola:"}.get(r.words, f"solo {r.words} parole:")
    assert r.reasons[0].message.startswith(said)  # "solo 0 parole" is not Italian, nor "1 parola: troppo poche"
    check_shape(r.to_dict())


@pytest.mark.parametrize("text, said", [("1 2 3 4", "nessuna parola (e 4 numeri):"),
                                        ("8:30 13:00 19:00 7:30", "nessuna parola (e 4 numeri):"),
                                        ("Aperti dalle 8:30 alle 19:00", "solo 3 parole (e 2 numeri):")])
def test_numbers_are_not_words_enough_to_judge_a_voice(fake_profile, fake_embedder, text, said):
    """"1 2 3 4" and four opening times scored on-voice (56.9 and 99.0) and passed a --fail-under gate (a code
    review): a number counts among a draft's words, not among those a voice is judged by."""
    r = score_text(fake_profile, text, embedder=fake_embedder)
    assert r.verdict == "too-short" and r.reasons[0].message.startswith(said), r.reasons[0].message
    assert r.words >= MIN_WORDS  # the draft's words as a reader counts them, numbers included


def test_a_short_draft_that_breaks_a_rule_is_off_voice(fake_embedder):
    """Too short to judge the voice, not too short to break a habit the brand never breaks: a CI gate fails it."""
    from conftest import italian_records, to_documents
    from voicecheck.profile import VoiceProfile
    from voicecheck.scoring import habit_rules

    profile = VoiceProfile(name="forno", folds=2).fit(to_documents(italian_records(80)), embedder=fake_embedder)
    assert {"emoji_rate", "tu_rate"} <= {r["feature"] for r in habit_rules(profile)}
    for text, rules in (("🔥🔥🔥", {"emoji_rate"}), ("Ciao tu", {"tu_rate", "voi_rate"})):
        r = score_text(profile, text, embedder=fake_embedder)
        assert r.words < MIN_WORDS and r.verdict == "off-voice" and r.score < 5, text
        assert r.reasons[0].feature in rules and r.reasons[0].severity == "error"
        assert r.reasons[-1].feature == "words" and "valutato soltanto in base alle regole del brand" in r.reasons[-1].message
    assert score_text(profile, "Ciao a voi", embedder=fake_embedder).verdict == "too-short"
    wordless = score_text(profile, "🔥🔥🔥", embedder=fake_embedder).reasons[0].message
    assert wordless.startswith("emoji e nessuna parola; il brand") and "ogni 100 parole" not in wordless  # not 300 per 100


def test_one_sentence_in_a_form_the_brand_never_uses_breaks_its_rule(fake_embedder):
    """A voi brand that never writes 'tu': one 'tu' sentence in a voi draft is a slip, off-voice (found by a user
    review: it was 'in voce' with the rule's own message as its first reason). A brand that uses 'tu' beside
    'voi' in some posts only rules out drafts led by 'tu'."""
    from conftest import italian_records, to_documents
    from voicecheck.profile import VoiceProfile
    from voicecheck.scoring import habit_rules

    records = italian_records(80)
    profile = VoiceProfile(name="forno", folds=2).fit(to_documents(records), embedder=fake_embedder)
    rule = next(r for r in habit_rules(profile, "it") if r["feature"] == "tu_rate")
    assert rule["anywhere"] and rule["text"] == "dà del 'voi' ai lettori, mai del 'tu'"
    slip = IT_ON_VOICE + " Chiedi pure al banco."
    r = score_text(profile, slip, embedder=fake_embedder)
    assert r.verdict == "off-voice" and r.reasons[0].feature == "tu_rate" and r.reasons[0].severity == "error"
    assert score_text(profile, IT_ON_VOICE, embedder=fake_embedder).verdict != "off-voice"
    # a customer quoted in straight quotes, as in curly ones, breaks no rule of the brand's (found by a re-check)
    from voicecheck.scoring import _Explainer
    from voicecheck.style import measure
    for quote in ('"Tu sì che sai tostare"', "“Tu sì che sai tostare”"):
        quoted = f"{quote}, ci ha scritto una cliente. {IT_ON_VOICE}"
        assert "tu_rate" not in _Explainer(profile, "it").broken_habits(measure(quoted, "it"), quoted), quote
    unquoted = f'"Tu sì che sai tostare", ci ha scritto una cliente. {IT_ON_VOICE} Chiedi pure.'
    assert "tu_rate" in _Explainer(profile, "it").broken_habits(measure(unquoted, "it"), unquoted)
    # nor does a reason say the draft uses 'tu' (it did, on a draft the rule left on-voice: a library review)
    quoted = f'"Tu sì che sai tostare", ci ha scritto una cliente. {IT_ON_VOICE}'
    said = score_text(profile, quoted, embedder=fake_embedder)
    assert not {"tu_rate", "voi_rate", "lei_rate"} & {x.feature for x in said.reasons}, said.reasons
    assert any(x.feature == "tu_rate" for x in score_text(profile, unquoted, embedder=fake_embedder).reasons)

    mixed = [dict(rec) for rec in records]
    for rec in mixed[:2]:  # two posts mostly in voi with one 'tu' word each: the brand does use it, if never first
        rec["text"] = ("Vi aspettiamo in via Roma, venite a trovarci e portate gli amici: " + rec["text"]
                       + " Chiedi pure.")
    lenient = VoiceProfile(name="forno", folds=2).fit(to_documents(mixed), embedder=fake_embedder)
    rule = next(r for r in habit_rules(lenient, "en") if r["feature"] == "tu_rate")
    assert not rule["anywhere"] and rule["text"] == "addresses readers mainly as 'voi', never mainly as 'tu'"
    from voicecheck.scoring import _Explainer
    from voicecheck.style import measure
    assert "tu_rate" not in _Explainer(lenient, "it").broken_habits(measure(slip, "it"))
    assert "tu_rate" in _Explainer(profile, "it").broken_habits(measure(slip, "it"))
    assert score_text(lenient, "Chiedi al banco e scopri il tuo caffè, ti aspettiamo.",
                      embedder=fake_embedder).verdict == "off-voice"


def test_a_brand_figure_of_zero_is_said_as_zero(fake_profile, fake_embedder):
    """'nei testi del brand: 0,0' read as a rounded figure; the brand's writing has none (a user review)."""
    lower = "questa settimana abbiamo sfornato le focacce. vi aspettiamo in via roma. a domani, dalle sette."
    reason = next(r for r in score_text(fake_profile, lower, embedder=fake_embedder).reasons
                  if r.feature == "lowercase_start")
    assert reason.voice == 0 and reason.message.endswith("nei testi del brand: 0 su 100"), reason.message
    assert reason.message.startswith("frasi con l'iniziale minuscola: 3 su 3 frasi")  # not "100 ... su 100"


def test_four_words_are_judged(fake_profile, fake_embedder):
    r = score_text(fake_profile, "Vi aspettiamo domani mattina", embedder=fake_embedder)
    assert r.words == 4 and r.verdict != "too-short"


def test_batch_order_and_ids_preserved(fake_profile, fake_embedder):
    docs = [Document(text=t, id=f"d{i}", source="agency", channel="blog", author="x",
                     date=None) for i, t in enumerate(OFF_VOICE + ON_VOICE)]
    docs.append(Document(text=ON_VOICE[0], origin="file.jsonl:9"))
    docs.append(ON_VOICE[1])  # a plain string
    results = score_documents(fake_profile, docs, embedder=fake_embedder)
    assert [r.id for r in results] == [f"d{i}" for i in range(6)] + ["file.jsonl:9", "#8"]
    assert results[0].source == "agency" and results[0].channel == "blog"
    alone = [score_text(fake_profile, d.text, embedder=fake_embedder).score for d in docs[:6]]
    assert [r.score for r in results[:6]] == alone  # a batch scores each draft as if alone


def test_scoring_is_deterministic(fake_profile, fake_embedder):
    a = [r.to_dict() for r in score_documents(fake_profile, ON_VOICE + OFF_VOICE, embedder=fake_embedder)]
    b = [r.to_dict() for r in score_documents(fake_profile, ON_VOICE + OFF_VOICE, embedder=fake_embedder)]
    assert a == b


def test_empty_batch(fake_profile, fake_embedder):
    assert score_documents(fake_profile, [], embedder=fake_embedder) == []


def test_dated_document_keeps_date(fake_profile, fake_embedder):
    from voicecheck.documents import parse_date

    d = Document(text=ON_VOICE[0], id="x", date=parse_date("2025-05-01T10:00:00+02:00"))
    r = score_documents(fake_profile, [d], embedder=fake_embedder)[0]
    assert r.date == "2025-05-01T08:00:00+00:00"


def test_progress_is_reported(fake_profile, fake_embedder):
    seen = []
    score_documents(fake_profile, ON_VOICE * 30, embedder=fake_embedder, progress=seen.append)
    assert sum(seen) == 90


def test_vocabulary_reason_quotes_unseen_words(fake_profile, fake_embedder):
    r = score_text(fake_profile, "Il nostro fantastico smartphone ultrapiatto arriva domani in negozio",
                   embedder=fake_embedder)
    vocab = [x for x in r.reasons if x.feature == "vocabulary"]
    assert vocab, r.reasons  # five words the bakery never wrote: the reason must be there, not only be well formed
    assert vocab[0].dimension == "lexical" and "'smartphone'" in vocab[0].message and "'ultrapiatto'" in vocab[0].message


def test_the_vocabulary_reason_quotes_vocabulary_before_function_words(fake_profile, fake_embedder):
    """'sui' and 'dove', common elsewhere, are words the brand happens not to use, not its missing vocabulary."""
    text = "Dove trovare il mood giusto sui social: esperienza imperdibile e pazzesca, mood totale sui feed"
    r = score_text(fake_profile, text, embedder=fake_embedder)
    vocab = next(x for x in r.reasons if x.feature == "vocabulary")
    quoted = vocab.message.split(": ", 1)[1].split(" (")[0]
    assert "'sui'" not in quoted and "'dove'" not in quoted and "'giusto'" in quoted, vocab.message


def test_lone_surrogate_from_python_is_an_input_error(fake_profile, fake_embedder):
    """Files and API bodies are checked when read; a Python caller gets the same clear error, not a crash."""
    with pytest.raises(InputError, match="text #2 holds a lone surrogate"):
        score_documents(fake_profile, ["Vi aspettiamo domani mattina", "Vi aspettiamo \ud83d domani"],
                        embedder=fake_embedder)


def test_a_draft_in_another_language_says_so_first(fake_profile, fake_embedder):
    """An Italian brand's draft written in Spanish or Arabic: the language is the first reason."""
    drafts = {"es": "Hola a todos, hoy abrimos la nueva tienda en el centro y os esperamos con un descuento "
                    "para todos los clientes que vengan por la mañana.",
              "ar": "مرحبا بكم جميعا، نحن سعداء بافتتاح متجرنا الجديد اليوم في وسط المدينة مع خصومات لجميع العملاء"}
    for lang, text in drafts.items():
        r = score_text(fake_profile, text, embedder=fake_embedder)
        assert r.verdict == "off-voice" and r.score <= 100 / (fake_profile.n_distinct_ + 1) + 0.05
        first = r.reasons[0]
        assert (first.feature, first.draft, first.voice, first.severity) == ("language", lang, "it", "error")
        assert first.message.startswith("scritto in ") and "il brand scrive in italiano" in first.message
        assert len(r.reasons) <= 6
        # Measures counted with Italian word lists (function words, tu/voi forms, Gulpease) mean nothing here.
        assert not {x.feature for x in r.reasons} & {"function_word_share", "tu_rate", "voi_rate", "noi_rate",
                                                    "io_rate", "lei_rate", "gulpease"}, r.reasons


def test_a_draft_in_another_language_is_off_voice_whatever_it_scored(fake_profile, fake_embedder, monkeypatch):
    """A Spanish post on the brand's topic scored 25, on-voice, with Spanish words as its only reason (a user
    review): the language is checked on every draft, and an unmarked draft in another language is off-voice.
    One marked as another language (a bilingual brand's, checked on purpose) keeps its score and says why."""
    import numpy as np

    from voicecheck.profile import VoiceProfile

    spanish = ("Desde el lunes en la barra encontráis el nuevo lote de Etiopía, con notas de melocotón y té negro. "
               "Lo tostamos claro, para filtro y para moka. Os esperamos.")
    monkeypatch.setattr(VoiceProfile, "calibrate", lambda self, values, j, words=None, channels=None: np.full(len(values), 80.0))
    r = score_text(fake_profile, spanish, embedder=fake_embedder)
    assert r.verdict == "off-voice" and r.reasons[0].feature == "language" and r.reasons[0].draft == "es"
    marked = score_documents(fake_profile, [Document(text=spanish, lang="es")], embedder=fake_embedder)[0]
    assert marked.verdict == "on-voice" and marked.score == 80.0 and marked.reasons[0].feature == "language"
    assert score_text(fake_profile, IT_ON_VOICE, embedder=fake_embedder).verdict == "on-voice"


def test_no_language_reason_for_the_brands_language_or_on_voice_drafts(scored):
    # OFF_VOICE drafts are Italian written in another voice: off-voice, but not another language.
    assert not any(reason.feature == "language" for r in scored for reason in r.reasons)


def test_library_door_refuses_what_the_cli_and_service_refuse(fake_profile, fake_embedder):
    """The library is a door too: no text, an empty text or a non-string is an InputError, as in the CLI."""
    from voicecheck.errors import VoicecheckError

    with pytest.raises(InputError, match="text must be a string, got NoneType"):
        score_text(fake_profile, None, embedder=fake_embedder)
    with pytest.raises(InputError, match="^text is empty"):
        score_text(fake_profile, "   ", embedder=fake_embedder)
    with pytest.raises(InputError, match="d2: text is empty"):
        score_documents(fake_profile, [Document(text=IT_ON_VOICE, id="d1"), Document(text="", id="d2")],
                        embedder=fake_embedder)
    with pytest.raises(InputError, match=r"item #2 is a int, not a text or a Document"):
        score_documents(fake_profile, [IT_ON_VOICE, 7], embedder=fake_embedder)
    with pytest.raises(VoicecheckError, match="'yesterday' is not an ISO 8601 date"):
        Document(text=IT_ON_VOICE, date="yesterday")


def test_dates_in_any_form_give_the_same_result_date(fake_profile, fake_embedder):
    """A date given as text, as a date or as a naive datetime reads as the CLI reads it from a file: UTC."""
    import datetime as dt

    dates = ["2026-03-01", dt.date(2026, 3, 1), dt.datetime(2026, 3, 1), "2026-03-01T01:00:00+01:00"]
    results = score_documents(fake_profile, [Document(text=IT_ON_VOICE, date=d) for d in dates],
                              embedder=fake_embedder)
    assert {r.to_dict()["date"] for r in results} == {"2026-03-01T00:00:00+00:00"}


def test_style_tails_keep_falling_past_the_brand_range(fake_profile):
    """Past the brand's most extreme post, farther is rarer, on both sides alike (not a tie at the edge)."""
    import numpy as np

    from voicecheck.scoring import style_tails

    q = fake_profile.style_quantiles_
    j = next(i for i in range(q.shape[0]) if q[i, 100] > q[i, 50] > q[i, 0])
    width_up, width_down = q[j, 100] - q[j, 50], q[j, 50] - q[j, 0]
    rows = np.tile(q[:, 50], (4, 1))
    rows[:, j] = [q[j, 100] + 0.1 * width_up, q[j, 100] + 2 * width_up,
                  q[j, 0] - 0.1 * width_down, q[j, 0] - 2 * width_down]
    near_up, far_up, near_down, far_down = style_tails(fake_profile, rows)[:, j]
    assert far_up < near_up <= 1 / 102 and far_down < near_down <= 1 / 102
    assert near_up == pytest.approx(near_down) and far_up == pytest.approx(far_down)  # symmetric past the range


def test_style_tails_are_mirror_images_inside_the_brand_range():
    """Just inside the brand's most extreme posts, a shortfall is as rare as the same excess: the lower side
    counted one percentile more, and a sentence length under the brand's 0.5th percentile was a warning where one
    over its 99.5th was an error (an NLP review)."""
    import numpy as np

    from voicecheck.scoring import _severity, style_tails

    from types import SimpleNamespace

    sentence_length = np.random.default_rng(0).gamma(4.0, 4.0, 400)  # no ties: every percentile its own value
    q = np.percentile(np.column_stack([np.full(400, 30.0), sentence_length]), np.arange(101), axis=0).T
    profile, j = SimpleNamespace(style_names_=["words", "sentence_length"], style_quantiles_=q), 1
    rows = np.tile(q[:, 50], (6, 1))
    rows[:, j] = [(q[j, 99] + q[j, 100]) / 2, (q[j, 0] + q[j, 1]) / 2, (q[j, 95] + q[j, 96]) / 2,
                  (q[j, 4] + q[j, 5]) / 2, q[j, 100], q[j, 0]]
    up, down, up5, down5, top, bottom = style_tails(profile, rows)[:, j]
    assert up == pytest.approx(down) == pytest.approx(1 / 102) and _severity(down) == "error"
    assert up5 == pytest.approx(down5) and _severity(up5) == _severity(down5) == "warning"
    assert top == pytest.approx(bottom)


def test_never_is_said_only_when_true(fake_profile, fake_embedder):
    """'never uses them' when none of the brand's posts does; 'almost never' with the share otherwise."""
    r = score_text(fake_profile, IT_OFF_VOICE, embedder=fake_embedder, explain_in="en")
    names = fake_profile.style_names_
    for reason in r.reasons:
        if "never uses them" not in reason.message:
            continue
        share = float(fake_profile.style_nonzero_[names.index(reason.feature)])
        if share == 0:
            assert f"the brand never uses them (in none of its {fake_profile.n_documents_} posts)" in reason.message
        else:
            assert "almost never uses them" in reason.message and "% of its posts)" in reason.message
    assert any("never uses them" in x.message for x in r.reasons)


def test_each_occurrence_of_a_habit_the_brand_never_has_is_one_step(fake_profile):
    """One exclamation mark in a 100-word post is a slip, five are a habit: the tail falls with each."""
    import numpy as np

    from voicecheck.scoring import style_tails

    names = fake_profile.style_names_
    j, w = names.index("exclamation_rate"), names.index("words")
    q = fake_profile.style_quantiles_
    if q[j, 100] > 0:
        pytest.skip("the fake brand uses exclamation marks")
    rows = np.tile(q[:, 50], (3, 1))
    rows[:, w] = 100.0
    rows[:, j] = [1.0, 2.0, 5.0]  # per 100 words: one, two and five marks
    one, two, five = style_tails(fake_profile, rows)[:, j]
    assert five < two < one < 1 / 102
    assert one == pytest.approx(np.exp(-1) / 102) and five == pytest.approx(np.exp(-5) / 102)


def test_past_the_cap_the_farther_feature_still_comes_first(fake_profile):
    """Two habits far outside the brand's range: the strength is capped, the order is not."""
    from voicecheck.scoring import _Explainer

    names = list(fake_profile.style_names_)
    never = [n for n in ("exclamation_rate", "hashtag_rate", "emoji_rate", "mention_rate")
             if fake_profile.style_quantiles_[names.index(n), 100] == 0]
    if len(never) < 2:
        pytest.skip("the fake brand uses these habits")
    a, b = never[:2]
    style = {n: float(fake_profile.style_quantiles_[i, 50]) for i, n in enumerate(names)}
    style[a], style[b] = 3.0, 9.0
    for tails_ab, first in (((1e-200, 1e-100), a), ((1e-100, 1e-200), b)):
        tails = [float("inf")] * len(names)
        tails[names.index(a)], tails[names.index(b)] = tails_ab
        reasons = _Explainer(fake_profile, "it").reasons("testo", style, {"semantic": 90.0, "lexical": 90.0},
                                                   [names.index(a), names.index(b)], tails)
        assert [r.feature for r in reasons[:2]] == [first, a if first == b else b]


@pytest.fixture(scope="module")
def habit_profile(fake_embedder):
    """60 posts: always 'voi', never an exclamation mark, an emoji or 'io': habits a style guide writes down."""
    from conftest import italian_records, to_documents
    from voicecheck.profile import VoiceProfile

    return VoiceProfile(name="lume", folds=2).fit(to_documents(italian_records(60)), embedder=fake_embedder)


def test_breaking_a_habit_the_brand_never_breaks_is_off_voice(habit_profile, fake_embedder):
    """One '!' or one 'tu' in an otherwise on-voice draft: the brand never did it in 60 posts."""
    base = score_text(habit_profile, IT_ON_VOICE, embedder=fake_embedder)
    assert base.verdict != "off-voice"
    edits = {
        "exclamation_rate": (IT_ON_VOICE.replace("dalle sette.", "dalle sette!"), 100 / 61,
                             "il brand non ne usa mai (in nessuno dei suoi 60 post)"),
        "tu_rate": ("Questa settimana abbiamo sfornato le focacce con olive taggiasche. Ti aspettiamo in via Roma "
                    "dalle sette.", 100 / 58, "usa il 'tu' ('Ti'), mentre il brand dà del 'voi' nel 100% dei post"),
    }
    for feature, (text, cap, said) in edits.items():
        r = score_text(habit_profile, text, embedder=fake_embedder)
        assert r.score <= round(cap, 1) and r.verdict == "off-voice", (feature, r)
        first = r.reasons[0]
        assert (first.feature, first.severity) == (feature, "error") and said in first.message, r.reasons
        assert sum(x.feature == feature for x in r.reasons) == 1  # said once


def test_a_habit_needs_enough_writing_to_be_one(fake_profile, habit_profile, fake_embedder):
    """Under 50 posts, 'never' is not yet a rule: one '!' is a reason, it does not decide the score."""
    from voicecheck.features import extract_features
    from voicecheck.scoring import _Explainer

    text = IT_ON_VOICE.replace("dalle sette.", "dalle sette!")
    assert fake_profile.n_documents_ < 50
    feats = extract_features([text], "it", fake_embedder)
    style = dict(zip(fake_profile.style_names_, feats.style[0].tolist()))
    assert style["exclamation_rate"] > 0 and fake_profile.style_nonzero_[3] == 0
    assert _Explainer(fake_profile, "it").broken_habits(style) == {}
    assert set(_Explainer(habit_profile, "it").broken_habits(style)) == {"exclamation_rate"}


def test_habits_the_brand_has_are_not_capped(habit_profile, fake_embedder):
    """'noi' is the brand's own habit; an on-voice draft keeps its score from the models."""
    from voicecheck.scoring import score_features
    from voicecheck.features import extract_features

    docs = [Document(text=IT_ON_VOICE, id="d")]
    r, = score_features(habit_profile, docs, extract_features([IT_ON_VOICE], "it", fake_embedder))
    final = habit_profile.calibrate(habit_profile.combined_scores(
        habit_profile.family_scores(extract_features([IT_ON_VOICE], "it", fake_embedder))), 3)
    assert r.score == round(float(final[0]), 1)


def test_a_bare_string_is_not_scored_character_by_character(fake_profile, fake_embedder):
    # Iterated, "Grazie" was six one-letter drafts; a string with a space failed with "#5: text is empty".
    for text in ("Grazie", IT_ON_VOICE):
        with pytest.raises(InputError, match="single string"):
            score_documents(fake_profile, text, embedder=fake_embedder)


def test_an_embedder_other_than_the_profiles_is_refused(fake_profile, fake_embedder):
    from voicecheck.errors import ProfileFormatError
    from voicecheck.testing import FakeEmbedder

    class Other(FakeEmbedder):  # same size of vector, another model: scores would be meaningless
        name = "other-model"

        def __init__(self) -> None:
            super().__init__()
            self.identity = {**self.identity, "name": "other-model", "sha256": "1" * 64}

    with pytest.raises(ProfileFormatError, match="learned with embedding model fake-hash-64.*other-model"):
        score_text(fake_profile, IT_ON_VOICE, embedder=Other())
    retrained = FakeEmbedder()
    retrained.identity = {**retrained.identity, "sha256": "2" * 64}  # same name, other weights
    with pytest.raises(ProfileFormatError, match="sha256 222222222222"):
        score_text(fake_profile, IT_ON_VOICE, embedder=retrained)
    assert score_text(fake_profile, IT_ON_VOICE, embedder=FakeEmbedder()).verdict == "on-voice"


# English words of the reasons' sentences: none may be left in a reason given in Italian.
ENGLISH_IN_REASONS = ("the brand", "posts", " words", "per 100", "never", "typical", "unlike", "written in",
                      "uses ", "on average", "too short")


def test_an_italian_profile_explains_in_italian(fake_profile, fake_embedder):
    """The first customers write in Italian: their reasons are Italian, numbers with a decimal comma."""
    r = score_documents(fake_profile, OFF_VOICE + [IT_ON_VOICE + " " + "Vi aspettiamo. " * 30, "Ciao"],
                        embedder=fake_embedder)
    messages = [x.message for res in r for x in res.reasons]
    assert len(messages) >= 8
    for message in messages:
        assert not [w for w in ENGLISH_IN_REASONS if w in message], message
    decimals = [m for m in messages if any(c.isdigit() for c in m)]
    assert any("," in m and m[m.index(",") - 1].isdigit() and m[m.index(",") + 1].isdigit() for m in decimals)
    assert not any(x.isdigit() and y == "." and z.isdigit() for m in decimals for x, y, z in zip(m, m[1:], m[2:]))


def test_explain_in_english_changes_the_words_only(fake_profile, fake_embedder):
    """An English-speaking editor of an Italian brand: the same judgement, explained in English."""
    italian = score_documents(fake_profile, OFF_VOICE + ON_VOICE, embedder=fake_embedder)
    english = score_documents(fake_profile, OFF_VOICE + ON_VOICE, embedder=fake_embedder, explain_in="en")
    for it, en in zip(italian, english):
        assert (it.score, it.verdict, it.dimensions) == (en.score, en.verdict, en.dimensions)
        assert [(x.feature, x.draft, x.voice, x.severity) for x in it.reasons] == \
               [(x.feature, x.draft, x.voice, x.severity) for x in en.reasons]
    said = [x.message for res in english for x in res.reasons]
    assert any("the brand" in m for m in said) and not any("il brand" in m for m in said)


def test_an_english_profile_can_explain_in_italian(fake_embedder):
    from conftest import english_records, to_documents
    from voicecheck.profile import VoiceProfile

    profile = VoiceProfile(name="bikes", folds=2).fit(to_documents(english_records(48)), embedder=fake_embedder)
    text = "OMG!!! You guys HAVE to check out our new bikes 😍🔥 #sale #bikes @everyone"
    assert "the brand" in " ".join(x.message for x in score_text(profile, text, embedder=fake_embedder).reasons)
    italian = score_text(profile, text, embedder=fake_embedder, explain_in="it")
    assert italian.reasons and all("the brand" not in x.message for x in italian.reasons)


def test_a_language_voicecheck_does_not_explain_in_is_refused(fake_profile, fake_embedder):
    with pytest.raises(InputError, match="explain_in 'fr'") as caught:
        score_text(fake_profile, IT_ON_VOICE, embedder=fake_embedder, explain_in="fr")
    assert caught.value.field == "explain_in"


def test_a_short_draft_in_the_other_first_class_language_says_so(fake_embedder):
    """Ten Italian words against an English brand: too few marker words to detect, but plainly Italian."""
    from conftest import english_records, to_documents
    from voicecheck.language import detect_language
    from voicecheck.profile import VoiceProfile

    text = "Grazie per averci scritto, ti rispondiamo subito con i dettagli"  # ('tutti' i dettagli: detected)
    assert detect_language(text) is None
    profile = VoiceProfile(name="bikes", folds=2).fit(to_documents(english_records(48)), embedder=fake_embedder)
    r = score_text(profile, text, embedder=fake_embedder)
    assert r.verdict in ("off-voice", "borderline")
    assert (r.reasons[0].feature, r.reasons[0].draft, r.reasons[0].message) == (
        "language", "it", "written in Italian; the brand writes in English")
    # One of the brand's own function words is enough to leave it to the other measures.
    mixed = score_text(profile, "Grazie per averci scritto, ti rispondiamo with tutti i dettagli", embedder=fake_embedder)
    assert all(x.feature != "language" for x in mixed.reasons)


def test_hyphenated_english_words_are_not_italian(fake_embedder, monkeypatch):
    """'e-bikes, e-scooters, e-cargo' split into three 'e': one-letter pieces and repeats are no language evidence."""
    import voicecheck.language as language
    from conftest import english_records, to_documents
    from voicecheck.profile import VoiceProfile
    from voicecheck.scoring import _other_first_class

    assert _other_first_class("New drop: e-bikes, e-scooters, e-cargo trikes. Pre-order now!", "en") is None
    assert _other_first_class("Per voi, per voi, per voi: nuove bici", "en") == "it"  # by its letters
    with monkeypatch.context() as m:
        m.setattr(language, "first_class_by_letters", lambda text: None)
        assert _other_first_class("Per voi, per voi, per voi: nuove bici", "en") is None  # 'per', 'voi': two words
    profile = VoiceProfile(name="bikes", folds=2).fit(to_documents(english_records(48)), embedder=fake_embedder)
    r = score_text(profile, "New drop: e-bikes, e-scooters, e-cargo trikes. Pre-order now!", embedder=fake_embedder)
    assert all(x.feature != "language" for x in r.reasons), r.reasons


def test_a_short_draft_whose_function_words_are_shared_is_told_by_its_letters(fake_embedder):
    """'i' and 'in' are English words too: an Italian draft with no other function word is Italian by its letters,
    not an English draft that says "I" (an outside review found it blamed for "I" and not for its language)."""
    from conftest import english_records, to_documents
    from voicecheck.profile import VoiceProfile

    text = "Abbiamo rifornito i guanti invernali in tre taglie. Passate in negozio a provarli"
    profile = VoiceProfile(name="bikes", folds=2).fit(to_documents(english_records(48)), embedder=fake_embedder)
    r = score_text(profile, text, embedder=fake_embedder)
    assert r.verdict in ("off-voice", "borderline")
    assert (r.reasons[0].feature, r.reasons[0].draft) == ("language", "it")
    assert all(x.feature != "first_singular_rate" for x in r.reasons)


def test_letters_tell_english_from_italian_only_when_clear():
    from voicecheck.language import first_class_by_letters

    assert first_class_by_letters("Nuovo lotto in arrivo") == "it"
    assert first_class_by_letters("We fixed a bike today.") == "en"
    assert first_class_by_letters("Fresh focaccia, ciabatta and grissini today") is None  # both: not clear
    assert first_class_by_letters("") is None and first_class_by_letters("https://x.it 123") is None


@pytest.fixture(scope="module")
def bookshop(fake_embedder):
    """An English brand (Ashgrove Books), learned once for the language tests below."""
    from conftest import english_records, to_documents
    from voicecheck.profile import VoiceProfile

    return VoiceProfile(name="ashgrove", folds=2).fit(to_documents(english_records(48)), embedder=fake_embedder)


def _language_reason(result):
    return next((x for x in result.reasons if x.feature == "language"), None)


@pytest.mark.parametrize("brand, text, said", [
    ("en", "Hola amigos, tenemos nuevos libros en la tienda, venid a verlos esta semana.",
     "written in Spanish; the brand writes in English"),
    ("en", "Esta semana llegaron novelas nuevas, venid a la librería y os guardamos un ejemplar de la novela del mes.",
     "written in Spanish; the brand writes in English"),
    ("en", "Olá amigos, temos livros novos na loja, venham ver esta semana.",
     "written in Portuguese; the brand writes in English"),
    ("it", "Hallo zusammen, ab Montag gibt es bei uns frisches Brot aus dem Holzofen.",
     "scritto in tedesco; il brand scrive in italiano"),
    ("it", "Bonjour à tous, dès lundi vous trouverez du pain frais au levain en boutique.",
     "scritto in francese; il brand scrive in italiano"),
])
def test_a_draft_in_a_third_language_is_named_as_it_is(fake_profile, bookshop, fake_embedder, brand, text, said):
    """Spanish and Portuguese drafts to an English brand were 'written in Italian', German and French ones to an
    Italian brand 'scritto in inglese' (a library review)."""
    r = score_text(bookshop if brand == "en" else fake_profile, text, embedder=fake_embedder)
    assert r.verdict == "off-voice" and r.reasons[0].message == said
    assert (r.reasons[0].feature, r.reasons[0].voice, r.reasons[0].severity) == ("language", brand, "error")


@pytest.mark.parametrize("brand, text, said", [
    ("en", "Esta semana chegaram romances novos à livraria, venham conhecer e tomar um café conosco.",
     "written in another language; the brand writes in English"),
    ("it", "Frische Brezeln und Kaffee ab sieben Uhr", "scritto in un'altra lingua; il brand scrive in italiano"),
    ("it", "Croissants et café chaque matin dès sept heures",
     "scritto in un'altra lingua; il brand scrive in italiano"),
])
def test_a_draft_plainly_not_in_the_brands_language_but_in_no_clear_one_says_so_without_a_name(
        fake_profile, bookshop, fake_embedder, brand, text, said):
    """Too few function words to tell which language, but letters and words that are no English (or Italian) ones:
    off-voice, as before, without naming the other first-class language, which it is not ('und': undetermined)."""
    from voicecheck.language import detect_language
    from voicecheck.scoring import restate_reason

    assert detect_language(text) is None
    r = score_text(bookshop if brand == "en" else fake_profile, text, embedder=fake_embedder)
    assert r.verdict == "off-voice" and r.reasons[0].message == said
    assert (r.reasons[0].feature, r.reasons[0].draft, r.reasons[0].voice) == ("language", "und", brand)
    other = "it" if brand == "en" else "en"
    again = restate_reason(r.reasons[0].to_dict(), other)
    assert again == {"en": "written in another language; the brand writes in Italian",
                     "it": "scritto in un'altra lingua; il brand scrive in inglese"}[other]


@pytest.mark.parametrize("brand, text", [
    ("it", "Stasera paella valenciana e sangría per tutti: vi aspettiamo dalle sette in via Roma."),
    ("it", "Che déjà vu: la torta della nonna è tornata in vetrina, come ogni autunno."),
    ("it", "Quest'anno portiamo all'Oktoberfest i nostri brezel e la birra del birrificio di Monaco."),
    ("it", "Per la festa del quartiere prepariamo churros con cioccolata e un po' di tapas de la casa."),
    ("it", "Paella e sangría stasera"),
    ("it", "Tapas y vino stasera da noi"),
    ("en", "Our déjà vu moment: the Oktoberfest shelf is back, with beer books and a pretzel cookbook."),
    ("en", "Tapas night on Friday: patatas bravas, churros con chocolate and a glass of vino tinto for you."),
    ("en", "Fresh in the window today: Der Zauberberg and La casa de los espíritus, in new editions."),
    ("en", "Crème de la crème: our staff pick for the weekend is a French novel in translation."),
    ("en", "Oktoberfest reads are in"),
    ("en", "Déjà vu: the lighthouse novel is back"),
])
def test_a_few_foreign_words_are_no_other_language(fake_profile, bookshop, fake_embedder, brand, text):
    """A dish, a saying, a feast or a title in another language, in a long or a short draft: no language reason."""
    r = score_text(bookshop if brand == "en" else fake_profile, text, embedder=fake_embedder)
    assert _language_reason(r) is None, r.reasons


@pytest.mark.parametrize("brand, text", [
    ("en", "Hola amigos, tenemos nuevos libros en la tienda, venid…"),
    ("en", "Esta semana llegaron novelas nuevas, venid a la librería…"),
    ("en", "Olá amigos, temos livros novos na loja…"),
    ("en", "Novelas nuevas en la tienda"),
    ("en", "Nouveaux romans en boutique, venez vite !"),
    ("it", "Neue Bücher im Laden, kommt vorbei!"),
    ("it", "Novelas nuevas en la tienda"),
    ("it", "Nouveaux romans en boutique, venez vite !"),
    ("it", "Livros novos na loja, venham ver"),
])
def test_a_short_draft_in_a_third_language_is_never_given_the_other_first_class_one(
        fake_profile, bookshop, fake_embedder, brand, text):
    """A few words: the reason names the right language, says another one, or (too little evidence) says nothing."""
    reason = _language_reason(score_text(bookshop if brand == "en" else fake_profile, text, embedder=fake_embedder))
    assert reason is None or reason.draft not in ("en", "it"), reason


def test_a_rare_habit_reads_under_a_tenth_not_zero():
    """A brand that uses something in a few posts averages, say, 0.04 per 100 words: "0.0" would say never."""
    from voicecheck.scoring import _rate_text

    assert _rate_text(0.04, "en") == "under 0.1" and _rate_text(0.04, "it") == "meno di 0,1"
    assert _rate_text(0.0, "en") == "0.0" and _rate_text(0.05, "it") == "0,1" and _rate_text(2.25, "en") == "2.2"


def test_other_spaces_and_invisible_characters_read_as_the_text_they_spell(fake_profile, fake_embedder):
    """A draft pasted from a CMS with no-break spaces and soft hyphens is the same draft (found by the Italian
    review: 'miele\\u00a0di\\u00a0acacia' scored 25 where the same words with spaces scored 100)."""
    pasted = IT_ON_VOICE.replace(" ", "\u00a0", 6).replace(" ", "\u202f", 2).replace("a", "a\u00ad", 1) + "\u200b"
    assert Document(pasted).text == IT_ON_VOICE
    plain, odd = score_documents(fake_profile, [IT_ON_VOICE, pasted], embedder=fake_embedder)
    assert odd.score == plain.score and odd.dimensions == plain.dimensions
    assert Document("👩\u200d💻 al lavoro").text == "👩\u200d💻 al lavoro"  # the joiner of an emoji stays


def test_hype_words_and_the_other_spelling_are_named_in_the_drafts_own_words(fake_embedder):
    """A sober American brand: "amazing ... game-changer" and "flavour, colour" were on-voice, their words never named
    (a brand manager's review). They are habits, named with the draft's own words; and rules as a rare habit is
    (two or more in a draft: a skincare brand's review), never for one word, which a brand's own later posts bring
    now and then (README)."""
    from conftest import english_records, to_documents
    from voicecheck.profile import VoiceProfile
    from voicecheck.scoring import habit_rules

    records = english_records(80)
    for i, r in enumerate(records[::8]):  # the brand writes American spellings now and then
        r["text"] += " Our favorite color this season is the gray cover." if i % 2 else " We organized it by color."
    profile = VoiceProfile(name="ashgrove", folds=2).fit(to_documents(records), embedder=fake_embedder)
    rules = {r["feature"]: r for r in habit_rules(profile)}
    assert {"hype_rate", "british_spelling_rate"} <= set(rules) and "american_spelling_rate" not in rules  # it writes
    assert rules["hype_rate"]["text"] == "no hype words (amazing, game-changer): never 2 or more in a post"
    base = "This week we unpacked a quiet novel about lighthouse keepers. You can reserve a copy by phone."
    plain = score_text(profile, base, embedder=fake_embedder)
    for added, feature, named in ((" It is awesome, a real game-changer.", "hype_rate",
                                   "hype words ('awesome', 'game-changer')"),
                                  (" Our favourite colour this season.", "british_spelling_rate",
                                   "British spellings ('favourite', 'colour')")):
        r = score_text(profile, base + added, embedder=fake_embedder)
        reason = next(x for x in r.reasons if x.feature == feature)
        assert named in reason.message and "the brand never uses them" in reason.message, reason.message
        assert r.dimensions["style"] < plain.dimensions["style"] and r.verdict == "off-voice"  # two: the rule
    one = score_text(profile, base + " It is awesome.", embedder=fake_embedder)
    assert one.verdict != "off-voice" and one.dimensions["style"] < plain.dimensions["style"]  # one: a habit only
    # The brand's own spelling is no slip, however often a draft writes it (it led a US brand's draft's reasons)
    own = score_text(profile, base + " Our favorite colors: gray and green. We organized the catalog by color.",
                     embedder=fake_embedder)
    assert not {"american_spelling_rate", "british_spelling_rate"} & {x.feature for x in own.reasons}, own.reasons


def test_new_words_are_named_in_the_drafts_order_and_compounds_whole():
    """'game' and 'level' were named for "game-changer" and "next-level", and "drive", "value" before "omnichannel"
    (a brand manager's review)."""
    from voicecheck.scoring import _whole_compounds

    text = "Seriously next-level stuff: a game-changer for the game room."
    assert _whole_compounds(["next", "level", "stuff", "game", "changer", "room"], text) == [
        "next-level", "stuff", "game-changer", "room"]


def test_the_same_draft_typed_on_another_machine_scores_the_same(fake_profile, fake_embedder):
    """An "è" pasted as e + U+0300 (macOS, PDFs) and "dell’anno" with a typographic apostrophe (smart punctuation,
    WordPress) scored up to 20 points away from the same draft typed (an integrator's review)."""
    import unicodedata

    typed = "Giovedì arriva il nuovo lotto, più floreale di quello dell'anno scorso. Perché non passate al banco?"
    for variant in (unicodedata.normalize("NFD", typed), typed.replace("'", "\u2019")):
        assert variant != typed
        a, b = (score_text(fake_profile, t, embedder=fake_embedder) for t in (typed, variant))
        assert (a.score, a.dimensions, a.style) == (b.score, b.dimensions, b.style)


@pytest.mark.parametrize("score, errors", [(91.0, False), (12.0, True)])
def test_a_reason_on_an_on_voice_draft_is_at_most_a_warning(fake_profile, fake_embedder, monkeypatch, score, errors):
    """"error" on a draft scoring 91 (its length beyond the brand's) told an editor to fix it and failed a CI gate
    on severity (a brand manager's review); on a borderline draft the same reason stays an error."""
    import numpy as np

    from voicecheck.profile import FAMILIES, VoiceProfile

    real = VoiceProfile.calibrate
    monkeypatch.setattr(VoiceProfile, "calibrate", lambda self, raw, which, words=None, channels=None: (
        np.full(len(raw), score) if which == len(FAMILIES) else real(self, raw, which, words)))
    long_one = " ".join([IT_ON_VOICE] * 8)
    r = score_text(fake_profile, long_one, embedder=fake_embedder)
    assert r.score == score and r.reasons
    assert any(x.severity == "error" for x in r.reasons) is errors, [(x.feature, x.severity) for x in r.reasons]


def test_a_very_short_draft_names_its_length_among_its_first_three_reasons(fake_profile, fake_embedder, monkeypatch):
    """The README's promise (a bakery's 5-word Story had its length fifth, after counts per 100 words), kept in
    order of severity: the length moves up past reasons as severe as it, never past a more severe one."""
    import voicecheck.scoring as scoring

    draft = "Ciao, come state? Tutto bene?"
    monkeypatch.setattr(scoring, "LENGTH_FIRST_UNDER", 0)
    before = [r.feature for r in score_text(fake_profile, draft, embedder=fake_embedder).reasons]
    monkeypatch.undo()
    after = score_text(fake_profile, draft, embedder=fake_embedder).reasons
    assert before.index("words") > 2 and [r.feature for r in after].index("words") == 2
    rank = {"error": 2, "warning": 1, "info": 0}
    assert [rank[r.severity] for r in after] == sorted((rank[r.severity] for r in after), reverse=True)
    assert sorted(before) == sorted(r.feature for r in after)


def test_the_length_of_a_very_short_draft_that_breaks_habits_is_not_cut(habit_profile, fake_embedder, monkeypatch):
    """A code review: the broken habits come first and the list was cut to six before the length could move up."""
    import voicecheck.scoring as scoring

    draft = "Compra ORA!!! 😍🔥 #sale #promo @tutti tutto GRATIS!!!"
    reasons = score_text(habit_profile, draft, embedder=fake_embedder).reasons
    assert len(reasons) == scoring.MAX_REASONS and [r.feature for r in reasons].index("words") <= 2
    monkeypatch.setattr(scoring, "MAX_REASONS", 40)
    every = score_text(habit_profile, draft, embedder=fake_embedder).reasons
    assert [r.feature for r in every][:3] == [r.feature for r in reasons][:3]


def test_a_family_s_reason_and_flesch_read_as_a_reader_reads_them(fake_embedder):
    """"more typical than only 1% of its own posts" was hard to parse, and "Flesch reading ease: 107 points" is off
    a scale readers know as 0-100 (a brand manager's review)."""
    from conftest import english_records, to_documents
    from voicecheck.profile import VoiceProfile
    from voicecheck.scoring import _typical_of

    assert _typical_of(1.3) == "less typical than 99% of its own posts"
    assert _typical_of(0.7) == "less typical than over 99% of its own posts"
    assert _typical_of(0.2) == "less typical than any of its own posts"
    assert _typical_of(12.0, "it") == "solo il 12% dei suoi post risulta meno tipico"
    profile = VoiceProfile(name="plain", folds=2).fit(to_documents(english_records(60)), embedder=fake_embedder,
                                                      warn=False)
    r = score_text(profile, "We go now. It is fun. We sit. You go. We eat. It is hot.", embedder=fake_embedder)
    flesch = next(x for x in r.reasons if x.feature == "readability")  # 119.7 by the formula
    assert flesch.draft == 100.0 and flesch.message.startswith("Flesch reading ease: 100 points"), flesch.message


def test_a_habit_the_brand_shows_rarely_caps_a_draft_that_shows_more_of_it_than_any_of_its_posts(fake_embedder):
    """Two posts with an emoji in 152 kept "6 emoji in 24 words" on-voice, where one post fewer made any emoji
    off-voice (a brand manager's review). Now a rare habit is a rule too: more of it than in any post of the brand,
    and at least twice, is off-voice; as much as the brand has shown is left to the score."""
    from conftest import english_records, to_documents
    from voicecheck.card import voice_card
    from voicecheck.profile import VoiceProfile
    from voicecheck.scoring import habit_rules

    records = english_records(100)
    for r in records[10:12]:  # 2 of 100 posts: rare, not never
        r["text"] += " 🏕️"
    profile = VoiceProfile(name="ridge", folds=2).fit(to_documents(records), embedder=fake_embedder, warn=False)
    (rule,) = [r for r in habit_rules(profile) if r["feature"] == "emoji_rate"]
    assert rule["kind"] == "rare" and rule["text"].startswith("emoji rarely: never 2 or more in a post above ")
    assert rule["text"] in {r["text"] for r in voice_card(profile, explain_in="en")["rules"]}
    base = records[50]["text"]  # the brand's own words, with emoji added
    many = score_text(profile, base + " 🏕️🔥😍", embedder=fake_embedder)
    assert many.verdict == "off-voice" and many.reasons[0].feature == "emoji_rate"
    assert many.reasons[0].message.startswith("emoji: 3 in ") and many.score == round(100 / 101, 1)
    wordless = score_text(profile, "🏕️🔥😍🎉", embedder=fake_embedder)  # no words: its emoji count all the same
    assert wordless.verdict == "off-voice" and wordless.reasons[0].feature == "emoji_rate"
    one = score_text(profile, base + " 🏕️", embedder=fake_embedder)  # once, as the brand has done: no rule broken
    assert one.score > 1 and one.score > many.score


def test_a_brand_is_never_ruled_against_the_spelling_it_writes(fake_embedder):
    """The words of the spelling lists are rare in any post: a British brand (Northwind) showed British spellings in
    4% of its posts, under the rare-habit share, and had a rule against its own "favourite colour" (a diff review).
    A spelling is a rule only against the side the brand writes less; with neither side, there is none."""
    from conftest import english_records, to_documents
    from voicecheck.profile import VoiceProfile
    from voicecheck.scoring import habit_rules

    records = english_records(80)
    for r in records[::27]:  # 3 posts of 80 with a British spelling, none with an American one
        r["text"] += " Our favourite colour is back."
    british = VoiceProfile(name="nw", folds=2).fit(to_documents(records), embedder=fake_embedder)
    ruled = {r["feature"] for r in habit_rules(british)}
    assert "american_spelling_rate" in ruled and "british_spelling_rate" not in ruled
    base = "This week we unpacked a quiet novel about lighthouse keepers. You can reserve a copy by phone."
    own = score_text(british, base + " Our favourite colour this season.", embedder=fake_embedder)
    assert own.verdict != "off-voice" and "british_spelling_rate" not in {x.feature for x in own.reasons}
    plain = VoiceProfile(name="plain", folds=2).fit(to_documents(english_records(80)), embedder=fake_embedder)
    assert not {"american_spelling_rate", "british_spelling_rate"} & {r["feature"] for r in habit_rules(plain)}


def test_a_draft_in_voi_for_a_brand_that_addresses_readers_with_tu_is_told_so(fake_embedder):
    """The brand's posts give 'tu' and, now and then beside it, a 'vi': the rate of 'voi' forms is no rarity, yet
    no post of the brand's addresses readers mainly with 'voi'. A draft all in 'voi' had no reason saying so (a
    library review); it now has one, named by the form it uses."""
    from voicecheck.profile import VoiceProfile

    hours = ["7", "8", "9", "12", "18", "19", "20"]
    brand = [f"Ti aspettiamo in palestra alle {hours[i % 7]}: prenota dall'app e porta la tua borraccia"
             + (", vi offriamo noi il tè." if i % 3 == 0 else ".") + f" Turno {i}." for i in range(60)]
    brand[10] = brand[40] = "Vi aspettiamo alla festa di fine corso: venite con chi volete."  # no rule, then
    profile = VoiceProfile(name="palestra", lang="it").fit(brand, embedder=fake_embedder, warn=False)
    assert 0.95 < profile.register_["tu"] < 1.0
    draft = "Vi aspettiamo in palestra alle 7: prenotate dall'app e portate la vostra borraccia. Turno 99."
    result = score_documents(profile, [draft], embedder=fake_embedder)[0]
    said = [r for r in result.reasons if "usa il 'voi'" in r.message]
    assert said and said[0].feature == "voi_rate" and said[0].severity in ("warning", "error")


def test_a_long_drafts_slips_are_counted_and_named_in_its_own_words(fake_embedder):
    """A 640-word article whose only slip is one "it's" was explained as "0.2 contractions (we're, don't) per 100
    words": words it does not hold, and a rate that reads as a habit; one "!" in 636 words as "0.2 exclamation marks
    per 100 words", with nothing to find it by (a content lead's review)."""
    from conftest import english_records, to_documents
    from voicecheck.profile import VoiceProfile

    records = english_records(80)
    for r in records:  # a brand that never contracts
        r["text"] = " ".join(w for w in r["text"].replace("’", "'").split() if "'" not in w)
    profile = VoiceProfile(name="ledger", folds=2).fit(to_documents(records), embedder=fake_embedder)
    base = " ".join(r["text"] for r in records[:12])
    assert "!" not in base and "'" not in base  # the reasons below name only what the draft adds
    assert len(base.split()) >= 120
    r = score_text(profile, base + " In short, it's simple.", embedder=fake_embedder)
    reason = next(x for x in r.reasons if x.feature == "contraction_rate")
    assert "contractions ('it's'): 1 in " in reason.message and "we're" not in reason.message, reason.message
    r = score_text(profile, base + " Approval time fell from 7.2 days to 2.4!", embedder=fake_embedder)
    reason = next(x for x in r.reasons if x.feature == "exclamation_rate")
    assert "exclamation marks ('…fell from 7.2 days to 2.4!'): 1 in " in reason.message, reason.message
    assert "per 100 words" not in reason.message
    # a count of a long draft is grouped as every other count is ("1 in 1,222 words", not "1222")
    long = score_text(profile, (base + " ") * 12 + "In short, it's simple.", embedder=fake_embedder)
    reason = next(x for x in long.reasons if x.feature == "contraction_rate")
    assert re.search(r": 1 in \d,\d{3} words", reason.message), reason.message


def test_a_value_shown_beside_the_brands_differs_when_they_do():
    """"0.1 brackets per 100 words; the brand's blog posts have 0.1" read as no difference (a content lead's
    review): the draft's 0.07 against the brand's 0.06."""
    from voicecheck.scoring import _rate_text, _told_apart
    from voicecheck.wording import count, number

    assert _told_apart(_rate_text, 0.07, 0.06, "en") == ("0.07", "0.06")
    assert _told_apart(number, 0.072, 0.071, "it") == ("0,072", "0,071")
    assert _told_apart(number, 2.5, 1.2, "en") == ("2.5", "1.2")  # apart already: as before
    assert _told_apart(number, 3.0, 3.0, "en") == ("3.0", "3.0")  # the same: nothing to tell apart
    assert _told_apart(count, 547.0, 546.8, "en") == ("547", "547")  # a count stays whole
    assert _told_apart(number, 547.2, 546.8, "en") == ("547", "547")  # and so does a value from 100
    assert _told_apart(number, 12.0, 12.000000001, "en") == ("12", "12")  # as close as three decimals show


def test_a_mark_of_every_post_is_a_rule_a_draft_without_it_breaks(fake_embedder):
    """A gelato chain with emoji in 169 posts of 169: its agency's drafts without any scored 72 and 91, on-voice (a
    social media lead's review). A mark the brand shows in all but under 1% of 50+ posts is a rule, as one it never
    shows is; learning names the few posts that keep it from being one."""
    from conftest import english_records, to_documents
    from voicecheck.profile import VoiceProfile
    from voicecheck.scoring import habit_rules

    records = english_records(80)
    for r in records:
        r["text"] += " 🍦"
    profile = VoiceProfile(name="scoops", folds=2).fit(to_documents(records), embedder=fake_embedder)
    (rule,) = [r for r in habit_rules(profile) if r["kind"] == "always"]
    assert rule["feature"] == "emoji_rate" and rule["text"] == "emoji in every post"
    assert rule["cap"] == pytest.approx(100 / 81)
    with_mark, without = score_documents(profile, [records[0]["text"], records[0]["text"][:-2]],
                                         embedder=fake_embedder)
    assert with_mark.verdict != "off-voice" and without.verdict == "off-voice"
    assert without.score <= rule["cap"] and without.reasons[0].feature == "emoji_rate"
    assert without.reasons[0].message.startswith("no emoji; the brand uses them in 100% of its posts")
    assert without.reasons[0].severity == "error"
    short = score_documents(profile, ["Thanks, see you soon."], embedder=fake_embedder)[0]  # its reason made anew
    assert short.reasons[0].feature == "emoji_rate" and short.reasons[0].voice == pytest.approx(
        float(profile.style_quantiles_[profile.style_names_.index("emoji_rate"), 50]), abs=0.01)
    # two posts without: no rule yet, and learning names them
    for r in records[3:5]:
        r["text"] = r["text"][:-2]
    learned = VoiceProfile(name="scoops", folds=2).fit(to_documents([{**r, "id": f"s{i}"} for i, r in
                                                                      enumerate(records)]), embedder=fake_embedder)
    assert not [r for r in habit_rules(learned) if r["kind"] == "always"]
    assert ("2 of the 80 posts have no emoji (s3, s4): without them, emoji in every post would be a rule that decides "
            "a draft's verdict; if they are slips, leave them out and learn again") in learned.warnings_
