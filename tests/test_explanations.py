"""Explanations that are right: controlled edits of the brand's own posts.

Each edit changes one habit of the Aurora demo brand (Italian; "voi", "noi", calm, no
exclamation marks). The edited feature must be among the top three reasons, and the
score must drop as the edit grows. The profile learns from the brand's earliest 160 posts;
the edits are applied to its later posts, which it never saw.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from voicecheck.corpus import read_corpus
from voicecheck.profile import VoiceProfile
from voicecheck.scoring import score_documents
from voicecheck.testing import FakeEmbedder

from conftest import AURORA

_VOI_TO_TU = [
    (r"\bvi aspettiamo\b", "ti aspettiamo"), (r"\bVi aspettiamo\b", "Ti aspettiamo"),
    (r"\bvostro\b", "tuo"), (r"\bvostra\b", "tua"), (r"\bvostri\b", "tuoi"), (r"\bvostre\b", "tue"),
    (r"\bVostro\b", "Tuo"), (r"\bVostra\b", "Tua"),
    (r"\bscoprite\b", "scopri"), (r"\bScoprite\b", "Scopri"), (r"\bpassate\b", "passa"),
    (r"\bPassate\b", "Passa"), (r"\bprenotate\b", "prenota"), (r"\bPrenotate\b", "Prenota"),
    (r"\bavete\b", "hai"), (r"\bpotete\b", "puoi"), (r"\bPotete\b", "Puoi"), (r"\bsiete\b", "sei"),
    (r"\bvolete\b", "vuoi"), (r"\bvi\b", "ti"), (r"\bVi\b", "Ti"), (r"\bvoi\b", "te"), (r"\bVoi\b", "Tu"),
    (r"\b(\w{3,})ate\b(?= (?:il|la|le|i|gli|un|una|qui|da|a|in|con|pure)\b)", r"\1a"),
]
_NOI_TO_IO = [
    (r"\babbiamo\b", "ho"), (r"\bAbbiamo\b", "Ho"), (r"\bsiamo\b", "sono"), (r"\bSiamo\b", "Sono"),
    (r"\bnostro\b", "mio"), (r"\bnostra\b", "mia"), (r"\bnostri\b", "miei"), (r"\bnostre\b", "mie"),
    (r"\bNostro\b", "Mio"), (r"\bNostra\b", "Mia"), (r"\bnoi\b", "io"), (r"\bNoi\b", "Io"),
    (r"\b(\w+)iamo\b", r"\1o"),
]
_HYPE = ["imperdibile", "pazzesco", "wow", "top", "spettacolare", "incredibile", "mitico", "strepitoso",
         "fantastico", "favoloso", "stratosferico", "unico"]
_EMOJI = ["😍", "🔥", "✨", "🎉"]


def _in_part(text: str, strength: int, rules) -> str:
    """Rewrite the first ``strength`` thirds of the matching forms, in reading order (3: all)."""
    spans = []
    for pattern, repl in rules:
        for m in re.finditer(pattern, text):
            if not any(m.start() < e and s < m.end() for s, e, _ in spans):
                spans.append((m.start(), m.end(), m.expand(repl)))
    spans.sort()
    keep = spans[: max(1, round(len(spans) * strength / 3))]
    for start, end, new in reversed(keep):
        text = text[:start] + new + text[end:]
    return text


def voi_to_tu(text: str, strength: int) -> str:
    return _in_part(text, strength, _VOI_TO_TU)


def noi_to_io(text: str, strength: int) -> str:
    return _in_part(text, strength, _NOI_TO_IO)


def exclaim(text: str, strength: int) -> str:
    sentences = re.split(r"(?<=\.)\s+", text)
    out = []
    for i, s in enumerate(sentences):
        if i < strength * 2 and s.endswith("."):
            s = s[:-1] + "!" * strength + " " + _EMOJI[i % len(_EMOJI)]
        out.append(s)
    return " ".join(out)


def lengthen(text: str, strength: int) -> str:
    sentences = [s.rstrip(".") for s in re.split(r"(?<=\.)\s+", text) if s]
    glue = [", e poi ", ", perché in fondo ", ", così che ", ", mentre "]
    merged = sentences[0]
    for i, s in enumerate(sentences[1:]):
        merged += (glue[i % len(glue)] + s[:1].lower() + s[1:]) if i < strength * 2 else ". " + s
    return merged + ", e questo è quello che facciamo da sempre con tutta la passione che abbiamo" * (strength > 2) + "."


def hype(text: str, strength: int) -> str:
    words = _HYPE[: strength * 3]
    return text + " Un'esperienza " + " e ".join(words) + "."


EDITS = {
    "voi-to-tu": (voi_to_tu, {"tu_rate", "voi_rate"}),
    "exclamations-emoji": (exclaim, {"exclamation_rate", "emoji_rate"}),
    "longer-sentences": (lengthen, {"sentence_length", "comma_rate", "gulpease"}),
    "noi-to-io": (noi_to_io, {"io_rate", "noi_rate"}),
    "words-never-used": (hype, {"vocabulary"}),
}


def _bases(docs, applicable):
    return [d.text for d in docs if applicable(d.text)][:20]


def _forms(rules, text: str) -> int:
    return sum(len(re.findall(p, text)) for p, _ in rules)


@pytest.fixture(scope="module")
def aurora():
    if not (AURORA / "inhouse.jsonl").exists():
        pytest.skip("corpora/aurora is missing")
    docs = sorted(read_corpus([AURORA / "inhouse.jsonl"]), key=lambda d: d.date)
    learn, held_out = docs[:160], docs[160:]
    profile = VoiceProfile(name="aurora").fit(learn, embedder=FakeEmbedder())
    return profile, held_out


def _applicable(edit: str):
    if edit == "voi-to-tu":
        return lambda t: _forms(_VOI_TO_TU, t) >= 2
    if edit == "noi-to-io":
        return lambda t: _forms(_NOI_TO_IO, t) >= 3
    if edit in ("exclamations-emoji", "longer-sentences"):
        return lambda t: t.count(". ") >= 2
    return lambda t: True


@pytest.mark.parametrize("edit", list(EDITS))
def test_edited_feature_is_among_top_three_reasons(aurora, edit):
    profile, held_out = aurora
    apply, features = EDITS[edit]
    bases = _bases(held_out, _applicable(edit))
    assert len(bases) >= 6
    results = score_documents(profile, [apply(t, 3) for t in bases], embedder=FakeEmbedder())
    hits = [bool(features & {r.feature for r in res.reasons[:3]}) for res in results]
    assert np.mean(hits) >= 0.75, [(res.reasons[:3], t) for res, t, h in zip(results, bases, hits) if not h][:3]


@pytest.mark.parametrize("edit", list(EDITS))
def test_score_drops_as_the_edit_grows(aurora, edit):
    profile, held_out = aurora
    apply, _ = EDITS[edit]
    bases = _bases(held_out, _applicable(edit))
    means, dims = [], []
    dimension = "lexical" if edit == "words-never-used" else "style"
    for strength in (0, 1, 2, 3):
        texts = bases if strength == 0 else [apply(t, strength) for t in bases]
        results = score_documents(profile, texts, embedder=FakeEmbedder())
        means.append(np.mean([r.score for r in results]))
        dims.append(np.mean([r.dimensions[dimension] for r in results]))
    assert means[0] > means[1] >= means[2] >= means[3], means
    assert dims[0] > dims[1] >= dims[2] >= dims[3], dims
    assert dims[0] - dims[3] >= 15, dims


def test_register_reason_names_both_forms(aurora):
    profile, held_out = aurora
    text = voi_to_tu(_bases(held_out, _applicable("voi-to-tu"))[0], 2)
    (result,) = score_documents(profile, [text], embedder=FakeEmbedder())
    message = next(r.message for r in result.reasons if r.feature in ("tu_rate", "voi_rate"))
    assert "'tu'" in message and "'voi'" in message and "%" in message


@pytest.mark.slow
def test_edits_with_the_real_model(aurora):
    """The same drops with the real multilingual embedder, end to end."""
    _, held_out = aurora
    docs = sorted(read_corpus([AURORA / "inhouse.jsonl"]), key=lambda d: d.date)
    profile = VoiceProfile(name="aurora").fit(docs[:160])
    for edit, (apply, features) in EDITS.items():
        bases = _bases(held_out, _applicable(edit))[:10]
        original = score_documents(profile, bases)
        dimension = "lexical" if edit == "words-never-used" else "style"
        edited = score_documents(profile, [apply(t, 3) for t in bases])
        assert np.mean([r.score for r in edited]) < np.mean([r.score for r in original]) - 5, edit
        assert (np.mean([r.dimensions[dimension] for r in edited])
                < np.mean([r.dimensions[dimension] for r in original]) - 15), edit
        assert np.mean([bool(features & {r.feature for r in e.reasons[:3]}) for e in edited]) >= 0.7, edit


# ---------------------------------------------------------------------------- how a reason says its numbers
def _first_reason(profile, text: str, lang: str | None = None) -> str:
    from voicecheck.documents import Document

    result = score_documents(profile, [Document(text=text)], embedder=FakeEmbedder(), explain_in=lang)[0]
    return result.reasons[0].message


def test_a_short_draft_gives_the_count_not_a_rate_per_100_words(aurora):
    profile, _ = aurora
    assert _first_reason(profile, "Nuovo lotto di Etiopia!").startswith(
        "punti esclamativi: 1 in 4 parole; il brand non ne usa mai")
    assert _first_reason(profile, "Nuovo lotto di Etiopia!", "en").startswith(
        "exclamation marks: 1 in 4 words; the brand never uses them")
    middle = ("Il nuovo lotto di Etiopia arriva venerdì al banco di via del Pratello, dove lo tostiamo in piccole "
              "quantità ogni mattina per chi lo vuole provare in moka!")
    assert _first_reason(profile, middle).startswith("punti esclamativi: 1 in 28 parole")  # a post: the count
    long_one = middle[:-1] + (". Abbiamo scelto una tostatura chiara, che lascia parlare i profumi di gelsomino e "
                              "di agrumi, e la proponiamo anche in filtro per chi preferisce una tazza lunga e leggera!")
    # longer, what the brand never does is still counted ("0,2 ogni 100 parole" read as a habit, not one slip),
    # and the sentence it ends quoted (a content lead's review: where, in 636 words?)
    assert _first_reason(profile, long_one).startswith(
        "punti esclamativi ('…preferisce una tazza lunga e leggera!'): 1 in 57 parole; il brand non ne usa mai")


def test_sentences_in_lower_case_are_counted_in_a_short_draft(aurora):
    """"100 frasi con l'iniziale minuscola su 100" for a draft of 4 sentences read as a hundred (a review)."""
    from voicecheck.documents import Document

    profile, _ = aurora
    text = ("il nuovo lotto di Etiopia arriva venerdì al banco. lo tostiamo ogni mattina in piccole quantità. "
            "chiedete un assaggio al banco di via del Pratello. vi aspettiamo da martedì a sabato.")
    said = {}
    for lang in ("it", "en"):
        result = score_documents(profile, [Document(text=text)], embedder=FakeEmbedder(), explain_in=lang)[0]
        said[lang] = next(r.message for r in result.reasons if r.feature == "lowercase_start")
    assert said["it"] == "frasi con l'iniziale minuscola: 4 su 4 frasi; nei testi del brand: 0 su 100", said
    assert said["en"] == "sentences starting in lower case: 4 in 4 sentences; the brand's writing has 0 per 100 sentences"


def test_one_new_word_is_said_in_the_singular(aurora):
    from voicecheck.scoring import _Explainer

    profile, _ = aurora
    say = {lang: _Explainer(profile, lang).vocabulary_message for lang in ("en", "it")}
    assert say["en"](["delicious"], 1.04, 0).startswith(
        "uses a word the brand never uses in its 160 posts: 'delicious' (1 word in 100 the brand has not used;")
    assert say["it"](["delicious"], 0.97, 0).startswith(
        "usa una parola che il brand non ha mai usato nei suoi 160 post: 'delicious' (1 parola su 100 mai usata dal "
        "brand;")
    assert "(3.2 words in 100 the brand" in say["en"](["wow", "top"], 3.2, 1)  # not "3" for 1 word of 31 (review)
    assert "(3 words in 100 the brand" in say["en"](["wow", "top"], 2.97, 1)
    assert "(0,6 parole su 100 mai usate dal brand" in say["it"](["wow", "top"], 0.6, 0)
    # a short draft's count beside the brand's rate says its unit (a bakery's review: "2 words in 4 ...; its later
    # posts typically have 2" read as the same unit)
    short = say["it"](["mood", "vibes"], 50.0, 2.0, 4)
    assert "(2 parole su 4 mai usate dal brand; i suoi post successivi ne hanno di solito 2 su 100)" in short
    assert say["en"](["mood", "vibes"], 50.0, 2.0, 4).endswith(
        "(2 words in 4 the brand has not used; its own later posts typically have 2 in 100)")


def test_the_new_words_are_counted_as_the_draft_s_other_reasons_count(aurora):
    """"must-have" named once but counted twice, a hashtag counted as a word: "8 words in 22" beside "emoji: 2 in 20
    words" in the same result; "4 words" under three named (an Italian agency's review)."""
    from voicecheck.documents import Document

    profile, _ = aurora
    text = ("Un must-have trendy per il vostro mood: vibes estive e smart, vi aspettiamo al banco con il nuovo "
            "lotto #aurora")
    (result,) = score_documents(profile, [Document(text=text)], embedder=FakeEmbedder(), explain_in="en")
    reason = next(r.message for r in result.reasons if r.feature == "vocabulary")
    named = re.findall(r"'([^']+)'", reason.split(" (")[0])
    assert "must-have" in named and "must" not in named and "have" not in named and len(named) == 5
    assert f"(6 words in {result.words} the brand has not used" in reason and result.words == 19, reason  # smart too


def test_a_score_on_a_scale_is_named_first_in_english_too():
    from voicecheck.scoring import _SAY

    assert _SAY["en"]["value_named"].format(value="104", label="Flesch reading ease", unit=" points",
                                            typical="80").startswith("Flesch reading ease: 104 points;")


def test_a_short_draft_counts_its_small_grammar_words_too(aurora):
    """"31.2 small grammar words per 100 words" of a 16-word draft (a brand manager's review): the count it is."""
    from voicecheck.scoring import _Explainer

    profile, _ = aurora
    explain = _Explainer(profile, "en")
    j = explain.index["function_word_share"]
    counted = explain._counted(j, {"words": 16.0, "function_word_share": 31.25})
    assert counted == {"n": "5", "words": "in 16 words", "rate": " (31.2 per 100 words)"}
    assert explain._counted(j, {"words": 80.0, "function_word_share": 31.25}) is None  # a post: per 100 words


def test_a_rate_less_than_one_mark_from_the_brands_is_no_reason(aurora):
    """"0.29 dashes per 100 words; the brand's press releases have 0.34": one dash in a 350-word release, the
    brand's usual one, had been a warning on every long draft, pushing its real reasons out (an insurer's
    review). A difference under one mark over the draft's length is none a writer could make."""
    from voicecheck.scoring import _Explainer

    profile, _ = aurora
    explain = _Explainer(profile, "en")
    j = explain.index["comma_rate"]
    median = explain.medians[j]
    assert explain.nonzero[j] > 0.5 and median > 0  # a habit of most posts: compared with its median
    tails = [1.0] * len(explain.names)
    tails[j] = 0.01

    def said(rate: float, words: float) -> bool:
        style = {name: explain.medians[k] for k, name in enumerate(explain.names)}
        style.update(comma_rate=rate, words=words)
        return any(r.feature == "comma_rate" for r in explain.reasons("x", style, {}, [j], tails))

    assert not said(median + 0.2, 350.0)  # 0.7 of a comma over 350 words
    assert said(median + 0.2, 600.0) and said(median + 2.0, 350.0)  # 1.2 commas; 7
    assert said(0.0, 350.0)  # none at all, where the brand's 350 words would hold some
    assert said(0.0, 15.0)  # none at all in a caption too: a writer leaves them out, or puts one in
    assert median * 15.0 < 100.0  # (less than one comma apart over its length)


def test_a_reason_about_persons_quotes_the_words_it_counted(aurora):
    """"forme di prima persona singolare (io, mi, mio): 1 in 14 parole" of a caption whose one such word the
    writer had to guess (a gelato chain's review): the reason names the draft's words, as address reasons do."""
    from voicecheck.documents import Document

    profile, _ = aurora
    text = "Io adoro questo caffè e ve lo consiglio: il mio preferito resta il Brasile, provatelo in moka."
    (result,) = score_documents(profile, [Document(text=text)], embedder=FakeEmbedder())
    said = next(r.message for r in result.reasons if r.feature == "io_rate")
    assert said.startswith("forme di prima persona singolare ('Io', 'mio'): 2 in 17 parole"), said
    (plain,) = score_documents(profile, [Document(text=text.replace("Io adoro", "Adoriamo"))],
                               embedder=FakeEmbedder())
    assert [r.message for r in plain.reasons if r.feature == "io_rate"][0].startswith(
        "forme di prima persona singolare ('mio'):")


def test_a_reason_about_words_in_capitals_names_them(aurora):
    """"words in capitals: 1 in 170 words" left a B2B writer to find the acronym it had been taken for (GRNI: a
    content head's review)."""
    from voicecheck.documents import Document

    profile, _ = aurora
    text = "Da OGGI la miscela Aurora è in OFFERTA al banco: vi aspettiamo in via del Pratello, come sempre."
    (result,) = score_documents(profile, [Document(text=text)], embedder=FakeEmbedder())
    said = next(r.message for r in result.reasons if r.feature == "caps_rate")
    assert said.startswith("parole in maiuscolo ('OGGI', 'OFFERTA')"), said


def test_an_average_within_a_few_percent_of_the_brand_s_is_no_reason(aurora):
    """"4.2 letters per word on average; the brand's blog posts have 4.4" was the main reason, an error, of a faithful
    blog post (a content head's review): a long text's averages hardly vary, so a difference no reader sees was
    past all of the brand's posts."""
    from voicecheck.scoring import REASON_MIN_RELATIVE, _Explainer

    profile, _ = aurora
    explain = _Explainer(profile, "en")
    j = explain.index["word_length"]
    median = explain.medians[j]
    tails = [1.0] * len(explain.names)
    tails[j] = 0.001

    def said(value: float) -> bool:
        style = {name: explain.medians[k] for k, name in enumerate(explain.names)}
        style.update(word_length=value, words=400.0)
        return any(r.feature == "word_length" for r in explain.reasons("x", style, {}, [j], tails))

    assert REASON_MIN_RELATIVE == 0.05
    assert not said(median * 0.96) and not said(median * 1.04)
    assert said(median * 0.90) and said(median * 1.10)


def test_a_sentence_in_another_language_is_named(aurora):
    """An agency's English sentence in an Italian brand's caption: named, in the reason, as written (a gelato chain's
    review)."""
    from voicecheck.documents import Document

    profile, _ = aurora
    text = ("Da sabato il Colombia del nuovo raccolto è al banco, tostato lunedì. Trust us, this is the best coffee "
            "you will taste this year. Vi aspettiamo in via del Pratello.")
    (result,) = score_documents(profile, [Document(text=text)], embedder=FakeEmbedder())
    said = next(r.message for r in result.reasons if r.feature == "other_language_rate")
    assert said.startswith("frasi in un'altra lingua ('Trust us, this is the best coffee you will taste this "), said
