"""The voice card: what a profile learned, in words a brand manager reads in a minute."""

from __future__ import annotations

from typing import Any

from .errors import InputError
from .profile import CONFIDENT_DOCUMENTS, CONFIDENT_WORDS, VoiceProfile
from .style import ADDRESS_FORMS, feature

__all__ = ["voice_card", "render_card", "CARD_FORMATS"]

#: What ``render_card`` writes (the ``json`` of ``voicecheck describe`` is ``voice_card`` itself).
CARD_FORMATS = ("text", "md", "markdown")

# Habits worth a line on the card, in reading order.
_CARD_FEATURES = ("sentence_length", "words", "exclamation_rate", "question_rate", "emoji_rate", "hashtag_rate",
                  "mention_rate", "link_rate", "caps_rate", "first_plural_rate", "first_singular_rate",
                  "second_person_rate", "contraction_rate", "noi_rate", "io_rate", "readability", "gulpease",
                  "lexical_diversity")


def voice_card(profile: VoiceProfile) -> dict[str, Any]:
    """The card as data (the ``json`` format of ``voicecheck describe``)."""
    profile._check_fitted()
    names = profile.style_names_
    habits = []
    for name in _CARD_FEATURES:
        if name not in names:
            continue
        j = names.index(name)
        q = profile.style_quantiles_[j]
        f = feature(name)
        nonzero = float(profile.style_nonzero_[j])
        entry = {"feature": name, "label": f.label, "median": round(float(q[50]), 2),
                 "typical_range": [round(float(q[10]), 2), round(float(q[90]), 2)],
                 "mean": round(float(profile.style_means_[j]), 2), "share_of_posts": round(nonzero, 3)}
        entry["text"] = _habit_sentence(name, f.label, f.unit, q, nonzero, float(profile.style_means_[j]))
        habits.append(entry)
    register = None
    if profile.register_ and profile.register_.get("n", 0) > 0:
        forms = {k: v for k, v in profile.register_.items() if k != "n"}
        lead = max(forms, key=lambda k: forms[k])
        label = ADDRESS_FORMS[lead]
        register = {"form": lead, "share": round(forms[lead], 3), "posts": int(profile.register_["n"]),
                    "text": f"Addresses readers with '{label}' in {100 * forms[lead]:.0f}% of the "
                            f"{int(profile.register_['n'])} posts that address them."}
    from .scoring import habit_rules

    words = profile.words_
    return {
        "profile": profile.info,
        "language": profile.language_name,
        "learned_from": {"documents": profile.n_documents_, "different_documents": profile.n_distinct_,
                         "words": profile.n_words_,
                         "contrast_documents": profile.n_contrast_, "background_documents": profile.n_background_},
        "learned_at": profile.learned_at_,
        "confidence": "low" if profile.low_confidence_ else "normal",
        "embedding_model": profile.embedding_model_["name"],
        "register": register,
        "habits": habits,
        "rules": [{"feature": r["feature"], "text": r["text"]} for r in habit_rules(profile)],
        "characteristic_words": [w for w, _ in words.characteristic(15)],
        "avoided_words": [w for w, _ in words.avoided(12)],
        "score_meaning": "A score of S means S% of the brand's own posts look less typical than the draft; "
                         "under 5 is off-voice (about 5% of the brand's own writing), 5 to 20 borderline.",
    }


def _share(fraction: float) -> str:
    """A share of posts in words: 'under 1%' rather than a '0%' that reads as never."""
    return "under 1%" if 0 < fraction < 0.01 else f"{100 * fraction:.0f}%"


def _habit_sentence(name: str, label: str, unit: str, q, nonzero: float, mean: float) -> str:
    lo, med, hi = float(q[10]), float(q[50]), float(q[90])
    cap = label[0].upper() + label[1:]
    if name.endswith("_rate"):
        if nonzero <= 0:
            return f"{cap}: never (in none of its posts)."
        if nonzero < 0.03:
            return f"{cap}: almost never ({_share(nonzero)} of posts)."
        if nonzero <= 0.5:  # half the posts or fewer: the median post has none, so give the mean
            return f"{cap}: in {_share(nonzero)} of posts ({mean:.1f} {unit} on average)."
        return f"{cap}: in most posts, {med:.1f} {unit} typically (10-90%: {lo:.1f} to {hi:.1f})."
    if name == "words":
        return f"Length: {med:.0f} words typically (10-90%: {lo:.0f} to {hi:.0f})."
    if name == "sentence_length":
        return f"Sentences: {med:.0f} words typically (10-90%: {lo:.0f} to {hi:.0f})."
    if name == "lexical_diversity":
        return f"Lexical diversity: {med:.2f} moving type/token ratio (10-90%: {lo:.2f} to {hi:.2f})."
    return f"{cap}: {med:.0f} {unit} typically (10-90%: {lo:.0f} to {hi:.0f})."


def render_card(card: dict[str, Any], fmt: str = "text") -> str:
    """Render the card as plain text (``text``) or Markdown (``md``); another format is an ``InputError``."""
    if fmt not in CARD_FORMATS:
        raise InputError(f"format must be one of {', '.join(CARD_FORMATS)} (got {fmt!r})", field="format")
    md = fmt in ("md", "markdown")
    p = card["profile"]
    lines = [f"# Voice card: {p['name']}" if md else f"Voice card: {p['name']}", ""]
    lf = card["learned_from"]
    distinct = lf.get("different_documents", lf["documents"])
    posts = f"{lf['documents']} posts" + (f", {distinct} of them different" if distinct < lf["documents"] else "")
    lines.append(f"{card['language']} voice learned from {posts} ({lf['words']:,} words)"
                 f"{', with ' + str(lf['contrast_documents']) + ' contrast posts' if lf['contrast_documents'] else ''}"
                 f"; version {p['version']}, {card['learned_at']}.")
    if card["confidence"] == "low":
        short = [what for what, missed in (("posts", distinct < CONFIDENT_DOCUMENTS),
                                           ("words", lf["words"] < CONFIDENT_WORDS)) if missed]
        lines.append(f"Low confidence: learned from too few {' and too few '.join(short) or 'posts'} "
                     f"({CONFIDENT_DOCUMENTS}+ different posts and {CONFIDENT_WORDS:,}+ words recommended).")
    lines.append("")
    bullet = "- " if md else "  - "
    lines.append("## Habits" if md else "Habits")
    if card["register"]:
        lines.append(bullet + card["register"]["text"])
    lines.extend(bullet + h["text"] for h in card["habits"])
    if card.get("rules"):
        lines.append("")
        lines.append("## Rules" if md else "Rules")
        lines.append("Habits it never breaks (or breaks in under 1% of its posts): a draft that breaks one is off-voice, "
                     "whatever else it matches.")
        lines.extend(bullet + r["text"][0].upper() + r["text"][1:] + "." for r in card["rules"])
    lines.append("")
    lines.append("## Words" if md else "Words")
    lines.append(bullet + "Characteristic: " + (", ".join(card["characteristic_words"]) or "(none stand out)"))
    lines.append(bullet + "Avoided (common elsewhere, never in the brand's posts): "
                 + (", ".join(card["avoided_words"]) or "(none)"))
    lines.append("")
    lines.append(card["score_meaning"])
    return "\n".join(lines) + "\n"
