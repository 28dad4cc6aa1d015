"""The voice card: what a profile learned, in words a brand manager reads in a minute.

In the profile's language when voicecheck explains in it (English or Italian), as the
reasons of a score are; ``explain_in`` asks for the other.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from .errors import InputError
from .profile import CONFIDENT_DOCUMENTS, CONFIDENT_WORDS, VoiceProfile
from .style import ADDRESS_FORMS, function_words
from .wording import (article_it, count, explain_language, feature_words, fixed, language_name, learned_day_text,
                      percent_after)

__all__ = ["voice_card", "render_card", "CARD_FORMATS"]

#: What ``render_card`` writes (``json``: the card as ``voicecheck describe --format json`` prints it).
CARD_FORMATS = ("text", "md", "markdown", "json")

# Habits worth a line on the card, in reading order.
_CARD_FEATURES = ("sentence_length", "words", "exclamation_rate", "question_rate", "emoji_rate", "hashtag_rate",
                  "mention_rate", "link_rate", "caps_rate", "hype_rate", "anglicism_rate", "other_language_rate", "first_plural_rate", "first_singular_rate",
                  "second_person_rate", "contraction_rate", "british_spelling_rate", "american_spelling_rate",
                  "noi_rate", "io_rate", "readability", "gulpease", "lexical_diversity")


#: Every sentence of the card, in each language voicecheck explains in (``wording.SPOKEN``).
_SAY = {
    "en": {
        "register": "Addresses readers with '{form}' {in_share} of the {n} posts that address them.",
        "register_one": "Addresses readers with '{form}' in the one post that addresses them.",
        "score_meaning": "A score of S means S% of the brand's own posts look less typical than the draft; under 5 "
                         "is off-voice (about 5% of the brand's own writing), 5 to 20 borderline.",
        "never": "{cap}: never (in none of its posts).",
        "almost_never": "{cap}: almost never ({share} of posts).",
        "some": "{cap}: {in_share} of posts ({mean} {unit} on average).",
        "most": "{cap}: {where}, {median} {unit} typically (10-90%: {lo} to {hi}).",
        "in_posts": "{in_share} of posts",
        "every_post": "in every post",
        "words": "Length: {median} words typically (10-90%: {lo} to {hi}).",
        "sentence_length": "Sentences: {median} words typically (10-90%: {lo} to {hi}).",
        "lexical_diversity": "Variety of words: {median} typically, the share of different words (10-90%: {lo} to {hi}).",
        "scale": "{cap}: {median} {unit} typically (10-90%: {lo} to {hi}).",
        "under_1": "under 1%",
        "in_under_1": "under 1%",
        "title": "Voice card: {name}",
        "posts": "{n} posts",
        "different": ", {k} of them different",
        "learned": "{language} voice learned from {posts} ({words} words){contrast}; version {version}, learned on {when}.",
        "contrast": ", with {n} contrast posts",
        "low": "Low confidence: learned from too few {missed} ({posts}+ different posts and {words}+ words "
               "recommended).",
        "too_few": {"posts": "posts", "words": "words", "and": " and too few "},
        "habits": "Habits",
        "rules": "Rules",
        "rules_note": "Of the habits it never breaks (or breaks in under 1% of its posts), these decide the verdict: "
                      "a draft that breaks one is off-voice, whatever else it matches. The others only lower the "
                      "score.",
        "words_heading": "Words",
        "characteristic": "Characteristic: ",
        "names": "Names it writes often: ",
        "none_stand_out": "(none stand out)",
        "avoided": "Never used by the brand so far (common elsewhere): ",
        "none": "(none)",
        "emoji": "Its emoji, most used first: ",
        "hashtags": "Its hashtags, most used first: ",
        "channels": "By channel",
        "channels_note": "Drafts of these channels are explained against the brand's posts there, and their score "
                         "places them among those posts as well as among all the brand's posts.",
        "channel": "{channel} ({posts} posts): {median} words typically (10-90%: {lo} to {hi}), sentences of "
                   "{sentence} words.",
    },
    "it": {
        "register": "Dà del '{form}' ai lettori {in_share} {of_n} post che si rivolgono a loro.",
        "register_one": "Dà del '{form}' ai lettori nell'unico post che si rivolge a loro.",
        "score_meaning": "Un punteggio S significa che l'S% dei post del brand risulta meno tipico della bozza; sotto "
                         "5 è fuori voce (circa il 5% dei testi del brand), da 5 a 20 al limite.",
        "never": "{cap}: mai (in nessuno dei suoi post).",
        "almost_never": "{cap}: quasi mai ({in_share} dei post).",
        "some": "{cap}: {in_share} dei post (in media {mean} {unit}).",
        "most": "{cap}: {where}, di solito {median} {unit} (10-90%: da {lo} a {hi}).",
        "in_posts": "{in_share} dei post",
        "every_post": "in tutti i post",
        "words": "Lunghezza: di solito {median} parole (10-90%: da {lo} a {hi}).",
        "sentence_length": "Frasi: di solito {median} parole (10-90%: da {lo} a {hi}).",
        "lexical_diversity": "Varietà delle parole: di solito {median}, la quota di parole diverse (10-90%: da {lo} a "
                             "{hi}).",
        "scale": "{cap}: di solito {median} {unit} (10-90%: da {lo} a {hi}).",
        "under_1": "meno dell'1%",
        "in_under_1": "in meno dell'1%",
        "title": "Scheda della voce: {name}",
        "posts": "{n} post",
        "different": ", di cui {k} diversi",
        "learned": "Voce in {language} appresa da {posts} ({words} parole){contrast}; versione {version}, {when}.",
        "contrast": ", con {n} post di contrasto",
        "low": "Affidabilità bassa: appresa da {missed} (si consigliano almeno {posts} post diversi e {words} "
               "parole).",
        "too_few": {"posts": "troppo pochi post", "words": "troppo poche parole", "and": " e da "},
        "habits": "Abitudini",
        "rules": "Regole",
        "rules_note": "Tra le abitudini che non infrange mai (o infrange in meno dell'1% dei suoi post), queste "
                      "decidono il giudizio: una bozza che ne infrange una è fuori voce, qualunque altra cosa "
                      "rispetti. Le altre abbassano solo il punteggio.",
        "words_heading": "Parole",
        "characteristic": "Caratteristiche: ",
        "names": "Nomi ricorrenti: ",
        "none_stand_out": "(nessuna spicca)",
        "avoided": "Mai usate finora dal brand (comuni altrove): ",  # "Evitate" read as an order
        "none": "(nessuna)",
        "emoji": "Le sue emoji, dalla più usata: ",
        "hashtags": "I suoi hashtag, dal più usato: ",
        "channels": "Per canale",
        "channels_note": "Le bozze di questi canali sono spiegate rispetto ai post del brand in quel canale, e il "
                         "punteggio le colloca tra quei post oltre che tra tutti i suoi post.",
        "channel": "{channel} ({posts} post): di solito {median} parole (10-90%: da {lo} a {hi}), frasi di "
                   "{sentence} parole.",
    },
}


def voice_card(profile: VoiceProfile, explain_in: str | None = None) -> dict[str, Any]:
    """The card as data (the ``json`` format of ``voicecheck describe``); its words in ``explain_in``."""
    from .profile import fitted_profile

    fitted_profile(profile)
    lang = explain_language(explain_in, profile.lang_)
    say = _SAY[lang]
    names = profile.style_names_
    habits = []
    for name in _CARD_FEATURES:
        if name not in names:
            continue
        j = names.index(name)
        q = profile.style_quantiles_[j]
        label, unit = feature_words(name, lang)
        nonzero = float(profile.style_nonzero_[j])
        entry = {"feature": name, "label": label, "median": round(float(q[50]), 2),
                 "typical_range": [round(float(q[10]), 2), round(float(q[90]), 2)],
                 "mean": round(float(profile.style_means_[j]), 2), "share_of_posts": round(nonzero, 3)}
        entry["text"] = _habit_sentence(name, label, unit, q, nonzero, float(profile.style_means_[j]), lang)
        habits.append(entry)
    register = None
    if profile.register_ and profile.register_.get("n", 0) > 0:
        forms = {k: v for k, v in profile.register_.items() if k != "n"}
        lead = max(forms, key=lambda k: forms[k])
        register = {"form": lead, "share": round(forms[lead], 3), "posts": int(profile.register_["n"]),
                    "text": say["register_one" if int(profile.register_["n"]) == 1 else "register"].format(
                        form=ADDRESS_FORMS[lead], n=count(profile.register_["n"], lang),
                        of_n=article_it(count(profile.register_["n"], lang), "di", plural=True),
                        in_share=percent_after(100 * forms[lead], "in", lang))}
    from .scoring import habit_rules

    words, marks = profile.words_, getattr(profile, "marks_", None)
    # a hashtag listed as one is not a word or a name of the voice too ('fattoamano', 'PastificioFerraris')
    tags = {t.lstrip("#").casefold() for t in marks.listed("hashtags")} if marks is not None else set()
    spelled = [words.spelled(w) for w, _ in words.characteristic(40) if w not in tags]
    return {
        "profile": profile.info,
        "explained_in": lang,
        "language": language_name(profile.lang_, lang),
        "learned_from": {"documents": profile.n_documents_, "different_documents": profile.n_distinct_,
                         "words": profile.n_words_,
                         "contrast_documents": profile.n_contrast_, "background_documents": profile.n_background_},
        "learned_at": profile.learned_at_,
        "confidence": "low" if profile.low_confidence_ else "normal",
        "embedding_model": profile.embedding_model_["name"],
        "register": register,
        "habits": habits,
        "rules": [{"feature": r["feature"], "text": r["text"]} for r in habit_rules(profile, lang)],
        # Names apart (it writes them with a capital inside a sentence): a coffee chain's card listed its streets,
        # "Maple, Elm, Avenue", among the words of its voice (a brand manager's review).
        # Months and weekdays take a capital in English but name no one: "Tallyworks, March, Manchester, VAT,
        # January" (a content lead's review)
        "characteristic_words": [w for w in spelled if not _named(w)][:15],
        "characteristic_names": [w for w in spelled if _named(w)][:10],
        # function words the brand happens not to use ("dei", "sulla") say nothing of its voice
        "avoided_words": [w for w, _ in words.avoided(12, skip=function_words(profile.lang_))],
        # which emoji and hashtags, not only how many: a draft's new ones are named in its reasons
        **{f"{kind}_used": marks.listed(kind) if marks is not None else [] for kind in ("emoji", "hashtags")},
        "channels": _channels(profile, lang),
        "score_meaning": say["score_meaning"],
    }


def _channels(profile: VoiceProfile, lang: str) -> list[dict[str, Any]]:
    """The channels the profile keeps apart (``channels``), with the length of the brand's posts in each: what a
    newsletter or a Story is compared with."""
    names = profile.style_names_
    out = []
    for c in getattr(profile, "channels_", None) or ():
        words, sentence = c.quantiles[names.index("words")], c.quantiles[names.index("sentence_length")]
        entry = {"channel": c.label, "posts": c.n_posts, "words": round(float(words[50]), 1),
                 "words_range": [round(float(words[10]), 1), round(float(words[90]), 1)],
                 "sentence_length": round(float(sentence[50]), 1)}
        entry["text"] = _SAY[lang]["channel"].format(
            channel=c.label, posts=count(c.n_posts, lang), median=count(words[50], lang), lo=count(words[10], lang),
            hi=count(words[90], lang), sentence=count(sentence[50], lang))
        out.append(entry)
    return out


def _share(fraction: float, lang: str = "en") -> str:
    """A share of posts in words: 'under 1%' rather than a '0%' that reads as never."""
    return _SAY[lang]["under_1"] if 0 < fraction < 0.01 else f"{100 * fraction:.0f}%"


def _habit_sentence(name: str, label: str, unit: str, q, nonzero: float, mean: float, lang: str = "en") -> str:
    say = _SAY[lang]
    lo, med, hi = float(q[10]), float(q[50]), float(q[90])
    cap = label[0].upper() + label[1:]
    if name.endswith("_rate"):
        if nonzero <= 0:
            return say["never"].format(cap=cap)
        if nonzero < 0.03:
            in_share = say["in_under_1"] if nonzero < 0.01 else percent_after(100 * nonzero, "in", lang)
            return say["almost_never"].format(cap=cap, share=_share(nonzero, lang), in_share=in_share)
        if nonzero <= 0.5:  # half the posts or fewer: the median post has none, so give the mean
            share = _share(nonzero, lang)
            in_share = percent_after(100 * nonzero, "in", lang) if share.endswith("%") and share[0].isdigit() else share
            # to its first digit under 0.05: "in 8% of posts (0.0 per 100 words on average)" read as none at all
            # (a content head's review); "0.04"
            decimals = 1 if mean >= 0.05 else max(1, -math.floor(math.log10(mean))) if mean > 0 else 1
            return say["some"].format(cap=cap, in_share=in_share, mean=fixed(mean, lang, decimals), unit=unit)
        # the share, as every other habit gives it: "in most posts" had stood beside a rule saying "in 100% of its
        # posts" (a social media lead's review)
        where = say["every_post"] if nonzero >= 1.0 - 1e-9 else say["in_posts"].format(
            in_share=percent_after(100 * nonzero, "in", lang))
        return say["most"].format(cap=cap, where=where, median=fixed(med, lang, 1), unit=unit,
                                  lo=fixed(lo, lang, 1), hi=fixed(hi, lang, 1))
    if name in ("words", "sentence_length"):
        return say[name].format(median=count(med, lang), lo=count(lo, lang), hi=count(hi, lang))
    if name == "lexical_diversity":
        return say[name].format(median=fixed(med, lang, 2), lo=fixed(lo, lang, 2), hi=fixed(hi, lang, 2))
    unit, _, note = unit.partition(" (")  # "points (higher is easier)": one bracket, not two in a row
    return say["scale"].format(cap=cap, median=count(med, lang), unit=unit, lo=count(lo, lang),
                               hi=count(hi, lang) + (f"; {note[:-1]}" if note else ""))


#: Words English writes with a capital that are not names.
_CALENDAR = frozenset("january february march april may june july august september october november december "
                      "monday tuesday wednesday thursday friday saturday sunday".split())


def _named(word: str) -> bool:
    """Whether the brand writes ``word`` as a name: with a capital inside a sentence, and not a month or a day."""
    return word[:1].isupper() and word.casefold() not in _CALENDAR


def render_card(card: dict[str, Any], fmt: str = "text") -> str:
    """Render the card as plain text (``text``), Markdown (``md``) or JSON (``json``, pretty, as ``describe`` prints
    it; ``render_report`` takes it too: a library review), in the card's language; any case."""
    fmt = fmt.lower() if isinstance(fmt, str) else fmt
    if fmt not in CARD_FORMATS:
        raise InputError(f"format must be one of {', '.join(CARD_FORMATS)} (got {fmt!r})", field="format")
    needed = ("profile", "learned_from")
    if not isinstance(card, Mapping) or not set(needed) <= card.keys():
        got = (f"a dict without {', '.join(k for k in needed if k not in card)}" if isinstance(card, Mapping)
               else type(card).__name__)
        raise InputError(f"render_card takes a voice card, as voice_card returns it; got {got}", field="card")
    if fmt == "json":
        return json.dumps(card, ensure_ascii=False, indent=2) + "\n"
    lang = card.get("explained_in") if card.get("explained_in") in _SAY else "en"
    say = _SAY[lang]
    md = fmt in ("md", "markdown")
    p = card["profile"]
    title = say["title"].format(name=p["name"])
    lines = [f"# {title}" if md else title, ""]
    lf = card["learned_from"]
    distinct = lf.get("different_documents", lf["documents"])
    posts = say["posts"].format(n=lf["documents"]) + (say["different"].format(k=distinct)
                                                     if distinct < lf["documents"] else "")
    contrast = say["contrast"].format(n=lf["contrast_documents"]) if lf["contrast_documents"] else ""
    when = learned_day_text(card["learned_at"], lang)
    lines.append(say["learned"].format(language=card["language"], posts=posts, words=count(lf["words"], lang),
                                       contrast=contrast, version=p["version"],
                                       when=article_it(when, "di") if lang == "it" else when))
    if card["confidence"] == "low":
        few = say["too_few"]
        short = [few[what] for what, missed in (("posts", distinct < CONFIDENT_DOCUMENTS),
                                                ("words", lf["words"] < CONFIDENT_WORDS)) if missed]
        lines.append(say["low"].format(missed=few["and"].join(short) or few["posts"], posts=CONFIDENT_DOCUMENTS,
                                       words=count(CONFIDENT_WORDS, lang)))
    lines.append("")
    bullet = "- " if md else "  - "
    lines.append(f"## {say['habits']}" if md else say["habits"])
    if card["register"]:
        lines.append(bullet + card["register"]["text"])
    lines.extend(bullet + h["text"] for h in card["habits"])
    if card.get("rules"):
        lines.append("")
        lines.append(f"## {say['rules']}" if md else say["rules"])
        lines.append(say["rules_note"])
        lines.extend(bullet + r["text"][0].upper() + r["text"][1:] + "." for r in card["rules"])
    lines.append("")
    lines.append(f"## {say['words_heading']}" if md else say["words_heading"])
    lines.append(bullet + say["characteristic"] + (", ".join(card["characteristic_words"]) or say["none_stand_out"]))
    if card.get("characteristic_names"):
        lines.append(bullet + say["names"] + ", ".join(card["characteristic_names"]))
    lines.append(bullet + say["avoided"] + (", ".join(card["avoided_words"]) or say["none"]))
    for kind in ("emoji", "hashtags"):
        if card.get(f"{kind}_used"):
            lines.append(bullet + say[kind] + (" " if kind == "emoji" else ", ").join(card[f"{kind}_used"]))
    if card.get("channels"):
        lines.append("")
        lines.append(f"## {say['channels']}" if md else say["channels"])
        lines.append(say["channels_note"])
        lines.extend(bullet + c["text"] for c in card["channels"])
    lines.append("")
    lines.append(card["score_meaning"])
    return "\n".join(lines) + "\n"
