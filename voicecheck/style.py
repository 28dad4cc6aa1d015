"""Measurable style: one vector of named, explainable numbers per text.

Rates are per 100 words so that a tweet and a newsletter compare. English and
Italian get their own lexicons (person, the Italian address register tu/voi/Lei,
English contractions) and readability formulas (Flesch, Gulpease); every other
language gets the language-neutral part. Pure functions over spaCy tokens.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import regex

from .language import ITALIAN_ELIDED_ARTICLES, ITALIAN_ELIDED_OTHERS
from .links import HANDLE, LINK
from .pipelines import load_pipeline, sentence_end_marks

__all__ = ["FEATURES", "Feature", "feature_names", "measure", "measure_many", "measurement_fingerprint"]


@dataclass(frozen=True)
class Feature:
    """A style feature and the words used to explain it."""

    name: str
    label: str          # plural noun phrase: "exclamation marks"
    unit: str           # "per 100 words", "words", "" ...
    langs: tuple[str, ...] | None = None  # None: every language
    log: bool = True    # model it on a log scale (counts and rates)


FEATURES: tuple[Feature, ...] = (
    Feature("words", "words", "words"),
    Feature("sentence_length", "words per sentence", "on average"),
    Feature("word_length", "letters per word", "on average", log=False),
    Feature("exclamation_rate", "exclamation marks", "per 100 words"),
    Feature("question_rate", "question marks", "per 100 words"),
    Feature("ellipsis_rate", "ellipses (...)", "per 100 words"),
    Feature("emoji_rate", "emoji", "per 100 words"),
    Feature("hashtag_rate", "hashtags", "per 100 words"),
    Feature("mention_rate", "@mentions", "per 100 words"),
    Feature("link_rate", "links", "per 100 words"),
    Feature("caps_rate", "words in capitals", "per 100 words"),
    Feature("number_rate", "numbers", "per 100 words"),
    Feature("comma_rate", "commas", "per 100 words"),
    Feature("colon_rate", "colons and semicolons", "per 100 words"),
    Feature("dash_rate", "dashes", "per 100 words"),
    Feature("paren_rate", "brackets", "per 100 words"),
    Feature("quote_rate", "quotation marks", "per 100 words"),
    Feature("lowercase_start", "sentences starting in lower case", "per 100 sentences"),
    Feature("lexical_diversity", "variety of words (share of different words, 0 to 1)", "", log=False),
    Feature("function_word_share", "small grammar words (articles, prepositions, pronouns)", "per 100 words",
            log=False),
    Feature("hype_rate", "hype words (amazing, game-changer)", "per 100 words", ("en", "it")),
    Feature("first_singular_rate", "first person singular words (I, me, my)", "per 100 words", ("en",)),
    Feature("first_plural_rate", "first person plural words (we, us, our)", "per 100 words", ("en",)),
    Feature("second_person_rate", "second person words (you, your)", "per 100 words", ("en",)),
    Feature("contraction_rate", "contractions (we're, don't)", "per 100 words", ("en",)),
    Feature("british_spelling_rate", "British spellings (colour, organise)", "per 100 words", ("en",)),
    Feature("american_spelling_rate", "American spellings (color, organize)", "per 100 words", ("en",)),
    Feature("readability", "Flesch reading ease", "points (higher is easier)", ("en",), log=False),
    Feature("io_rate", "first person singular words (io, mi, mio)", "per 100 words", ("it",)),
    Feature("noi_rate", "first person plural forms (noi, nostro, -iamo)", "per 100 words", ("it",)),
    Feature("tu_rate", "informal 'tu' forms (tu, ti, tuo, verbs such as 'scopri')", "per 100 words", ("it",)),
    Feature("voi_rate", "plural 'voi' forms (voi, vi, vostro, verbs such as 'scoprite')", "per 100 words", ("it",)),
    Feature("lei_rate", "formal 'Lei' forms (Lei, Suo, La ringraziamo)", "per 100 words", ("it",)),
    Feature("gulpease", "Gulpease readability", "points (higher is easier)", ("it",), log=False),
    Feature("anglicism_rate", "English business words (customer, feedback, touchpoint)", "per 100 words", ("it",)),
    Feature("other_language_rate", "sentences in another language", "per 100 words", ("en", "it")),
)
_BY_NAME = {f.name: f for f in FEATURES}


def feature_names(lang: str) -> list[str]:
    """The features measured for ``lang``, in a fixed order."""
    return [f.name for f in FEATURES if f.langs is None or lang in f.langs]


def feature(name: str) -> Feature:
    return _BY_NAME[name]


# --- lexicons ---------------------------------------------------------------------------------

# Hype: the superlatives an agency adds and a sober brand never writes (a style guide's first list). Read off the
# text, not spaCy's tokens, which split "game-changer" in three.
_HYPE = {
    "en": (
        "amazing|amazingly|awesome|incredible|incredibly|fantastic|unbelievable|unbelievably|epic|insane|insanely|"
        "mind-?blowing|jaw-?dropping|game[- ]?changers?|game-?changing|next-level|must-have|must-try|"
        "unmissable|stunning|spectacular|sensational|phenomenal|revolutionary|ground-?breaking|breathtaking|"
        "legendary|best-ever|world-class|best-in-class|cutting-edge|state-of-the-art|unparalleled|unbeatable|"
        "unrivall?ed|fabulous|marvell?ous|superb|wow|omg|awesomeness|"
        # the hype of software and B2B copy ("seamless", "supercharge your month-end": a content head's review)
        "seamless|seamlessly|supercharged?|supercharges|supercharging|turbocharged?|turbocharging|"
        "revolutioni[sz]e[sd]?|revolutioni[sz]ing|unleash|unleashes|unleashed|unleashing|skyrocket|skyrockets|"
        "skyrocketed|skyrocketing|thrilled|next-gen|best-of-breed|industry-leading|world-leading|bleeding-edge|"
        "disruptive"),
    "it": (
        "incredibil[ei]|pazzesc[oaie]|pazzeschi|imperdibil[ei]|fantastic[oaie]|fantastici|fantastiche|spettacolar[ei]|"
        "strepitos[oaie]|stupend[oaie]|favolos[oaie]|"
        "sensazional[ei]|mitic[oa]|mitici|mitiche|epic[oa]|epici|epiche|fenomenal[ei]|rivoluzionari[oae]?|"
        "rivoluzionarie|indimenticabil[ei]|mozzafiato|irresistibil[ei]|sbalorditiv[oaie]|formidabil[ei]|wow|"
        "stratosferic[oa]|stratosferici|stratosferiche|top di gamma|da urlo|da paura"),
}
# Italian copy borrows the English ones ("è amazing, un vero game-changer", "un must-have"): an Italian profile
# counts them too, as the English card's "hype words (amazing, game-changer)" says (a fashion brand's review).
# Not "insane", an Italian word ("abitudini insane").
_HYPE["it"] += "|" + "|".join(w for w in _HYPE["en"].split("|") if not w.startswith("insane"))
_HYPE_RE = {lang: re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", re.IGNORECASE) for lang, words in _HYPE.items()}
# The English of business and marketing that an agency brings into Italian copy ("customer experience", "brand
# awareness", "team building") where a brand writes "clienti", "notorietà", "squadra": an insurer's agency had
# put eleven into a release, and the score fell from 52 to 31 with not one of them named (a communications head's
# review). Not the English Italian has made its own (sport, bar, film, computer, online, social, email, app,
# weekend, marketing, brand, leader, partner, newsletter, shop, team, manager...): every brand writes them. A
# phrase counts once, whatever the spaces between its words.
_ANGLICISMS = (
    r"customer\s+(?:experience|care|service|journey|satisfaction|success)|user\s+experience|brand\s+awareness|"
    r"team\s+building|best\s+practices?|value\s+proposition|problem\s+solving|soft\s+skills?|hard\s+skills?|"
    r"calls?\s+to\s+action|smart\s+working|go-to-market|time\s+to\s+market|kick-?off|follow-?up|win-?win|know-?how|"
    "customers?|users?|experiences?|journeys?|touchpoints?|awareness|mission|vision|feedbacks?|teamwork|tools?|"
    "partnerships?|start-?ups?|claims?|check-?up|meetings?|calls?|deadlines?|benchmarks?|workshops?|webinars?|"
    "engagement|storytelling|contents?|community|communities|digital|mindset|skills?|onboarding|upgrades?|"
    "updates?|trends?|trendy|cool|easy|friendly|user-friendly|stakeholders?|governance|compliance|payoff|cashback|"
    "vouchers?|sales|brainstorming|networking|empowerment|purpose|trust|insights?|reskilling|upskilling|green|"
    "hybrid|features?|inputs?|outputs?|planning|hub|coaching|coach"
)


def _top_level(alternation: str) -> list[str]:
    """The alternatives of a regular expression's top level (``a|b(?:c|d)`` is ``a`` and ``b(?:c|d)``)."""
    out, depth, start = [], 0, 0
    for k, ch in enumerate(alternation):
        depth += ch == "("
        depth -= ch == ")"
        if ch == "|" and depth == 0:
            out.append(alternation[start:k])
            start = k + 1
    return [*out, alternation[start:]]


# In lower case, or capitalised only as a sentence's or a line's first word: "la nuova Smart", "Yaris Hybrid",
# "Privacy Policy", "Milano Fashion Week" are names (a code review); not in a hashtag, an address or a file name
# (#team, team@forno.it, report.pdf). The English Italian has made its own is left out of the list (team, manager,
# business, budget, report, target, performance, policy, location: a code review).
_ANGLICISM_RE = re.compile(
    rf"(?<![\w#@./-])(?:{_ANGLICISMS})(?![\w@-]|\.\w)"
    rf"|(?:^|(?<=[.!?…:][ \t])|(?<=[.!?…:]  ))(?:{'|'.join(a[:1].upper() + a[1:] for a in _top_level(_ANGLICISMS))})"
    rf"(?![\w@-]|\.\w)(?![ \t]+[A-Z])", re.M)
# British and American spellings of the same words: which one a brand writes is a first line of its style guide.
# Only words in lower case, or capitalised as a sentence's or line's first word ("Color may vary", a heading's
# "Favorite picks") unless a capitalised word follows: "Harbor Avenue", "Labor Day" and "Center Street" are
# names, not the writer's spelling.
# Only stems spelled one way on each side ("advertise", "program", "license" are both).
_SPELLING_PAIRS = (
    ("colo{u}r", "s|ed|ful|ing|"), ("flavo{u}r", "s|ed|ful|ing|"), ("favo{u}rite", "s|"), ("hono{u}r", "s|ed|"),
    ("favo{u}r", "s|ed|ing|able|"),
    ("neighbo{u}r", "s|hood|hoods|ly|"), ("behavio{u}r", "s|al|"), ("labo{u}r", ""), ("humo{u}r", ""),
    ("harbo{u}r", "s|"), ("savo{u}r", "s|ed|y|ing|"), ("rumo{u}r", "s|"), ("endeavo{u}r", "s|"), ("odo{u}r", "s|"),
    ("vapo{u}r", ""), ("armo{u}r", ""), ("splendo{u}r", ""),
    ("organi{s}", "e|ed|es|ing|ation|ations|er|ers"), ("reali{s}", "e|ed|es|ing"), ("recogni{s}", "e|ed|es|ing"),
    ("apologi{s}", "e|ed|es|ing"), ("prioriti{s}", "e|ed|es|ing"), ("personali{s}", "e|ed|es|ing|ation"),
    ("customi{s}", "e|ed|es|ing|ation"), ("speciali{s}", "e|ed|es|ing"), ("finali{s}", "e|ed|es|ing"),
    ("maximi{s}", "e|ed|es|ing"), ("minimi{s}", "e|ed|es|ing"), ("optimi{s}", "e|ed|es|ing|ation"),
    ("emphasi{s}", "e|ed|es|ing"), ("summari{s}", "e|ed|es|ing"), ("categori{s}", "e|ed|es|ing"),
    ("moisturi{s}", "e|ed|es|ing|er|ers"), ("revitali{s}", "e|ed|es|ing"), ("energi{s}", "e|ed|es|ing"),
    ("harmoni{s}", "e|ed|es|ing"), ("memori{s}", "e|ed|es|ing"), ("stabili{s}", "e|ed|es|ing|er|ers"),
    ("neutrali{s}", "e|ed|es|ing"), ("sterili{s}", "e|ed|es|ing"), ("tantali{s}", "e|ed|es|ing"),
    ("mo{u}ld", "s|ed|y|ing|"),
    ("authori{s}", "e|ed|es|ing|ation"), ("utili{s}", "e|ed|es|ing"), ("criticis", ""), ("visuali{s}", "e|ed|ing"),
    ("anal{ys}", "e|ed|ing"), ("paral{ys}", "e|ed"),
    ("cent{re}", "s|d|"), ("theat{re}", "s|"), ("lit{re}", "s|"), ("fib{re}", "s|"), ("somb{re}", ""),
    ("trave{ll}", "ed|ing|er|ers"), ("cance{ll}", "ed|ing"), ("labe{ll}", "ed|ing"), ("mode{ll}", "ing|ed"),
    ("fue{ll}", "ed|ing"), ("counse{ll}", "or|ors|ing"), ("marve{ll}", "ous"),
    ("catalog{ue}", "s|"), ("defen{c}", "e"), ("offen{c}", "e"), ("{grey}", "s|"), ("{cosy}", ""), ("{mum}", "s|"),
    ("{aluminium}", ""), ("{pyjamas}", ""), ("{sceptical}", ""), ("{ageing}", ""), ("{jewellery}", ""),
    ("{whilst}", ""),
)
_SPELLING_SIDES = {"u": ("u", ""), "s": ("s", "z"), "ys": ("ys", "yz"), "re": ("re", "er"), "ll": ("ll", "l"),
                   "ue": ("ue", ""), "c": ("c", "s"), "grey": ("grey", "gray"), "cosy": ("cosy", "cozy"),
                   "mum": ("mum", "mom"), "aluminium": ("aluminium", "aluminum"), "pyjamas": ("pyjamas", "pajamas"),
                   "sceptical": ("sceptical", "skeptical"), "ageing": ("ageing", "aging"),
                   "jewellery": ("jewellery", "jewelry"), "whilst": ("whilst", "")}


def _spelling_pattern(side: int) -> re.Pattern[str]:
    """Every British (side 0) or American (side 1) form of ``_SPELLING_PAIRS``, as one lower-case pattern."""
    forms = []
    for stem, endings in _SPELLING_PAIRS:
        if "{" not in stem:  # "criticis": British only ("criticize" is American, "criticism" both)
            if side == 0:
                forms.append(f"{stem}(?:e|ed|es|ing)")
            continue
        head, rest = stem.split("{", 1)
        key, tail = rest.split("}", 1)
        written = _SPELLING_SIDES[key][side]
        if not written and not head:  # a word with no American twin ("whilst")
            continue
        if key == "re" and side == 1:  # centre -> center, centres -> centers, centred -> centered
            endings = endings.replace("d", "ed")
        forms.append(f"{head}{written}{tail}" + (f"(?:{endings})" if endings else ""))
    # A hyphen is a word's edge here: "colour-coded" and "multi-colour" are British spellings (a brand whose posts
    # said "colour-coded" had been told it never writes British spellings). A capitalised form counts first in a
    # sentence or a line (a brand manager's review: "Color may vary" and headings had gone unseen).
    capitalised = "|".join(f[0].upper() + f[1:] for f in forms)
    # Not when a capitalised word follows: "Center Parcs is closed." opens with a name (a diff review).
    return re.compile(rf"(?<!\w)(?:{'|'.join(forms)})(?!\w)|(?:^|(?<=[.!?…][ \t])|(?<=[.!?…]  ))"
                      rf"(?:{capitalised})(?!\w)(?![ \t]+[A-Z])", re.M)


_BRITISH, _AMERICAN = _spelling_pattern(0), _spelling_pattern(1)
# The features counted from a word list, per language: measured and named (``lexicon_words``) from this one table.
_LEXICONS: dict[str, dict[str, re.Pattern[str]]] = {
    "en": {"hype_rate": _HYPE_RE["en"], "british_spelling_rate": _BRITISH, "american_spelling_rate": _AMERICAN},
    "it": {"hype_rate": _HYPE_RE["it"], "anglicism_rate": _ANGLICISM_RE},
}
#: The features counted from a word list, whose reasons can name the draft's own words.
LEXICON_FEATURES = ("hype_rate", "british_spelling_rate", "american_spelling_rate", "anglicism_rate")


def lexicon_words(name: str, text: str, lang: str) -> list[str]:
    """The words of ``text`` that lexicon feature ``name`` counts, each once, as written: a reason names them
    ("hype words ('amazing', 'game-changer')") rather than the label's examples. Read as ``measure`` reads them:
    links and quoted words («...», “...”) left out."""
    pattern = _LEXICONS.get(lang, {}).get(name)
    if pattern is None:
        return []
    return _distinct_words([" ".join(w.split()) for w in pattern.findall(_unquoted(_Surface(text).no_links))])


#: The longest excerpt a reason quotes of a draft's sentence, in characters.
EXCERPT_CHARS = 60


def exclamations_in(text: str, words: int = 6, most: int = 3) -> list[str]:
    """The end of each sentence of ``text`` that an exclamation mark closes (its last ``words`` words and the
    mark), each once, at most ``most`` of them, as ``measure`` counts them (links and quoted words left out): in a
    long draft a reason quotes them, since "0.2 exclamation marks per 100 words" did not say where the one in 636
    words was (a content lead's review). One pass over the text (a 72,000-character draft had taken 48 s)."""
    written = _Surface(text).text
    # Links and quotes blanked to their own length (a quote by a break: it ends what comes before it), so that the
    # excerpt is cut from the text as written: "See https://x.it now!" had been quoted "See now!", words the draft
    # never put together.
    unquoted = _unquoted(LINK.sub(_blanked, written), "\n", same_length=True)
    found: dict[str, None] = {}
    start = 0  # where the sentence an exclamation mark may end began
    for m in _SENTENCE_BREAK.finditer(unquoted):
        if m.lastgroup == "exclaimed":
            kept = [w.start() for w in _NOT_SPACE.finditer(unquoted, max(start, m.start() - 4 * EXCERPT_CHARS),
                                                             m.start())]
            if kept:
                said = " ".join(written[kept[-min(words, len(kept))]:m.start()].split()).lstrip("\"'“‘«(")
                cut = len(kept) > words or m.start() - start > 4 * EXCERPT_CHARS
                if len(said) > EXCERPT_CHARS:  # a long link, or a run with no space (a pasted code): from a word on, if any
                    said = said[-EXCERPT_CHARS:]
                    said, cut = (said.split(" ", 1)[1] if " " in said else said), True
                found[("…" if cut else "") + said + m.group()] = None
                if len(found) >= most:
                    break
        start = m.end()
    return list(found)


_NOT_SPACE = re.compile(r"\S+")


def _blanked(m: re.Match[str]) -> str:
    return " " * len(m.group())


def emoji_and_hashtags(text: str) -> tuple[list[str], list[str], list[str]]:
    """The emoji, the hashtags and the tags that read as numbers (order numbers: #BL482133, #CS-1029) of ``text``,
    in order and as written (links and quoted words left out, as ``measure`` leaves out a quoted customer's 😍)."""
    surface = _Surface(text)
    unquoted = _unquoted(surface.no_links)
    emoji = _EMOJI.findall(unquoted)
    tags = _HASHTAG.findall(unquoted) if "#" in unquoted else []
    numbers = _REFERENCE.findall(_unquoted(LINK.sub(" ", surface.text))) if "#" in surface.text else []
    return emoji, tags, numbers


def emoji_key(emoji: str) -> str:
    """Which emoji it is: 👍🏽 is 👍 (the same sign, typed on another phone), ❤️ is ❤."""
    return _EMOJI_VARIANT.sub("", emoji)


_EN_I = frozenset("i me my mine myself".split())
_EN_WE = frozenset("we us our ours ourselves let's".split())
_EN_YOU = frozenset("you your yours yourself yourselves u ur ya".split())
_EN_CONTRACTION_TAILS = frozenset("'re 've 'll 'm 'd n't ’re ’ve ’ll ’m ’d n’t".split())
# "dont", "youre", "theyll": spaCy splits them as it splits "don't", and a brand that never contracts has
# slipped as surely. Such a tail counts only when it is glued to the word before it ("5 m", "Re:" are not).
_EN_BARE_TAILS = frozenset("nt re ll ve".split())
_EN_S_HOSTS = frozenset("it that let there he she what here who where how".split())
_EN_D_HOSTS = frozenset("i we you he she they it that there who what".split())  # youd, theyd (and Wed, ID)
# Words after which "I" is a Roman numeral: Part I, Tier I, World War I.
_EN_NUMBERED = frozenset((
    "part tier type phase level chapter grade class war act book volume vol stage series season round step "
    "section category model mark gen").split())
_ROMAN = frozenset("ii iii iv v vi".split())  # "I and II": the first of two numerals
# After a capitalised word inside a sentence, "I" followed by one of these is a numeral ("take Route I to the
# shop", "Hill I and Hill II", "Highway I."): the pronoun is never followed by "to" or "of", nor ends a name.
_EN_AFTER_NUMERAL = frozenset("to of from in on at for near past into and or , . ; : ) ! ?".split()) | {""}

# A comma that is punctuation, not one inside a number: "3,1%", "12,50 €", "1,000" (an Italian agency's review:
# a post about rates had "commas: 6.2 per 100 words" as an error).
_COMMAS = re.compile(r"(?<!\d),|,(?!\d)")

_IT_IO = frozenset((
    "io mi me mio mia miei mie ho credo penso voglio posso devo vorrei volevo ero avevo faccio vado sto dico"
    ).split())
_IT_NOI = frozenset("noi nostro nostra nostri nostre".split())
_IT_TU = frozenset((
    "tu ti te tuo tua tuoi tue teco hai puoi vuoi devi sai fai vai vieni dici scopri scegli leggi segui "
    "senti apri prendi metti chiedi iscriviti goditi regalati concediti approfittane corri clicca seguici "
    "scrivici contattaci dicci raccontaci provalo scoprilo prenotalo ordinalo passaci vienici trovaci "
    "fatti lasciati immagina trovi ricevi dacci facci dammi fammi dimmi sei scrivi condividi rispondi aggiungi "
    "richiedi inserisci accedi vinci preferisci iscrivi avresti vorresti potresti dovresti saresti faresti "
    "andresti verresti daresti staresti").split())
# The future and the conditional of the second person singular: "riceverai", "potrai", "ameresti".
_IT_TU_TENSES = re.compile(r"^(?:\w{2,}rai|\w{2,}[ei]resti)$")
# A second person in -i (singular) or -ate/-ete/-ite (plural) after these words ("se attivi l'offerta", "non
# paghi nulla", "cosa aspetti?", "se partite"), where a plural noun hardly stands; "non" opening a sentence
# before an infinitive is the negative imperative ("Non perdere l'offerta").
_IT_ADDRESS_AFTER = frozenset("se non tu voi cosa quando dove".split())
_IT_NOT_ADDRESS_AFTER = frozenset("pochi molti tanti tutti altri troppi diversi alcuni vari soli".split())
_IT_INFINITIVE_END = ("are", "ere", "ire")
_IT_CLITIC_INFINITIVE_END = ("rsi", "rvi", "rci", "rli", "rmi", "rti")
# -are verbs whose courtesy form, after "non" and before "a"/"di" and an infinitive, is the Lei negative imperative
# ("Non esiti a contattarci", "Non dimentichi di rinnovare"): the same -i ends the tu present, but a tu writer says
# "non esitare a". Of -ere and -ire verbs the -i form is the tu one only ("non riesci a", "non credi di"): the Lei
# form ends in -a ("non riesca").
_IT_LEI_NEGATIVE = frozenset(
    "esiti dimentichi scordi manchi tardi aspetti rinunci limiti lasci rischi".split())
# Where a voi imperative stands inside a sentence: after a conjunction, a clitic or an adverb of time.
_IT_BEFORE_IMPERATIVE_VOI = frozenset("e ed se non poi ora adesso subito intanto quindi allora ma pure vi ci".split())
# Nouns and adjectives that end like an infinitive ("di mare", "di piacere", "del quartiere").
_IT_NOUNS_LIKE_INFINITIVES = frozenset((
    "mare piacere carattere quartiere mestiere cantiere bicchiere cameriere potere dovere sapere volere avere essere "
    "corriere paniere barbiere ingegnere cavaliere forestiere altare collare casolare familiare particolare "
    "alimentare cellulare popolare regolare solare lunare esemplare").split())
_IT_INFINITIVE_WITH_PRONOUN = re.compile(r"^\w{2,}[aei]r(?:si|vi|ci|mi|ti|lo|la|li|le|ne|gli|celo|cela|melo|mela)$")
# Forms as often a noun or a third person ("la prova", "il tempo passa", "cantucci fatti a mano"), counted
# only where an imperative stands: opening a sentence, or after another imperative and a mark or "e" ("Prova
# il nuovo lotto", "Vieni, prova la miscela", "passa e fatti coccolare"), and not before a participle ("Prova
# superata").
# After "fatti" opening a sentence, the participle ("Fatti a mano", "Fatti in Italia"), not the imperative ("Fatti
# un regalo", "fatti coccolare"): a fashion brand's stock phrase had switched off its rule against 'tu'.
_IT_MADE_HOW = frozenset(("a ad in con per su nel nella nelle nei negli col da dal dalla dalle dai dagli dallo di del "
                          "della delle dei degli dello così solo tutti tutte interamente completamente "
                          "artigianalmente rigorosamente apposta").split())
_IT_IMPERATIVE_ONLY = frozenset((
    "fatti prova passa ordina prenota aspetta regala scarica assaggia compra chiama guarda ascolta entra usa "
    "commenta tagga copia incolla invia porta seleziona controlla completa rinnova inquadra risparmia approfitta "
    "acquista ricorda lascia salva visita attiva compila partecipa verifica aggiorna contatta ritira paga tocca "
    "indica cerca gusta festeggia ricordati registrati rilassati accomodati").split())
# An imperative with its pronoun attached ("Aspettaci", "portalo", "guardala", "scrivimi") is a second person
# wherever it stands: a finite verb takes no attached pronoun, and the infinitive ends in -r ("portarlo"). The
# stems are the imperatives above and the tu forms in -a or -i; what such a stem and pronoun spell that is
# not a verb ("aprile", April; "portale", a portal; "faccine", emoji faces) is left out.
_IT_ENCLITICS = ("mela", "melo", "cela", "celo", "ci", "lo", "la", "li", "le", "ne", "mi")
_IT_NOT_ENCLITIC = frozenset("aprile aprili portale portali ordinale ordinali faccine leggine sentine pagane".split())
# "ti" before a second pronoun is "te" ("goditela", "prenditelo": enjoy it, take it): a tu imperative where the verb
# ends in -ere, whose voi form is "godetela", "prendetelo". (An -are or -ire verb spells both alike: "provatelo",
# "sentitela" are tu or voi, and stay as they were read.) "Goditela!" had made a gelato brand's own post off-voice
# for "using 'voi'" (a social media lead's review).
_IT_ERE_IMPERATIVES = frozenset((
    "prendi metti leggi godi chiedi scegli vedi bevi scrivi rispondi ricevi spendi decidi vivi perdi tieni "
    "concedi permetti promuovi riprendi rimetti togli cogli raccogli accogli spegni accendi").split())
_IT_TE_CLITICS = ("tela", "telo", "teli", "tele", "tene")
# A pronoun "vi" attached to an infinitive or a gerund addresses readers as voi ("rivedervi", "informarvi",
# "ringraziandovi"), as "ti" does as tu ("dirti", "ringraziandoti"); they were missed, the corporate "voi" of an
# agency included (the same review). But "vi" is also "there", "in it" ("accedervi", "parteciparvi", "essendovi"),
# so only the verbs a brand does things to its readers with count: these, as infinitives and gerunds.
_IT_VOI_VERBS = frozenset((
    "vedere rivedere informare ringraziare aspettare aiutare invitare ricordare offrire dare fare dire scrivere "
    "contattare raccontare presentare mostrare portare augurare salutare accogliere consigliare regalare "
    "sorprendere coccolare premiare conoscere incontrare ospitare servire garantire assicurare chiedere rispondere "
    "inviare mandare spiegare suggerire ascoltare accompagnare aggiornare avvisare coinvolgere emozionare "
    "proporre ricontattare richiamare rimborsare abbracciare sentire").split())
_IT_GERUND_IRREGULAR = {"fare": "facendo", "dire": "dicendo", "proporre": "proponendo"}
_IT_VOI_VERB_FORMS = frozenset(
    [(v[:-2] if v.endswith("rre") else v[:-1]) + "vi" for v in _IT_VOI_VERBS]  # vedervi, darvi, proporvi
    + [(_IT_GERUND_IRREGULAR.get(v) or v[:-3] + ("ando" if v.endswith("are") else "endo")) + "vi"
       for v in _IT_VOI_VERBS])  # ringraziandovi, facendovi
_IT_TU_GERUND = re.compile(r"^\w{3,}(?:and|end)oti$")  # ringraziandoti, scrivendoti
_IT_CLITIC_GERUND = re.compile(r"\w{2,}(?:and|end)o(?:si|vi|ci|mi|lo|la|li|le|ne|gli)$")  # essendovi, trovandosi
_IT_IMPERATIVE_AFTER = frozenset("e ed o poi".split())
_IT_GREETINGS = frozenset("ciao buongiorno buonasera salve ehi hey ehilà".split())  # they open a sentence to the reader
# A first sentence opening with one of these greets the reader ("Gentile signor Rossi."): "Lei" opening the next
# one is the reader, not "she".
_IT_SALUTATIONS = _IT_GREETINGS | frozenset((
    "gentile gentilissimo gentilissima gentilissimi gentilissime gent caro cara cari care carissimo carissima "
    "egregio egregia spettabile spett").split())
# "sei" is also six: a number after a preposition or an article ("alle sei", "in sei", "le sei del mattino"),
# or before what it counts ("sei mesi", "sei caffè", "sei su dieci"): ``_is_six``.
_IT_SIX_AFTER = frozenset((
    "le alle dalle delle sulle nelle per di da in tra fra ogni su circa oltre entro dopo ore i gli dei ai dai nei "
    "sui coi").split())
# Plural nouns in -o or -a that "sei" counts ("sei euro", "sei uova"); what else ends so follows the verb.
_IT_SIX_BEFORE = frozenset("euro foto auto moto uova paia dita braccia".split())
# What follows the verb "sei" without ending in -o or -a: "sei un genio", "sei già cliente", "sei qui", "sei
# nei nostri pensieri", "sei tu", "sei speciale".
_IT_SEI_COMPLEMENTS = frozenset((
    "un il lo l' in di da con per tra fra già mai qui qua lì là così tu lui lei poi più anche solo sempre "
    "nel nei negli nelle al ai agli alle dal dai dagli dalle del dei degli delle sul sui sugli sulle "
    "grande forte speciale felice importante libero libera").split())
_IT_SEI_ASKED = frozenset("dove chi come cosa ci tu ne quanto così".split())  # "Dove sei?", "Ci sei!"
# Numbers after "sei o", "sei e" that make it six: "sei o sette giorni" (not "uno", "una": also "one" the pronoun).
_IT_NUMBER_WORDS = frozenset((
    "due tre quattro cinque sei sette otto nove dieci undici dodici tredici quattordici quindici sedici "
    "venti trenta quaranta cinquanta sessanta settanta ottanta novanta cento mille").split())
# "Tocca a voi", "tocca al cliente": "it is up to", no imperative.
_IT_TOCCA_A = frozenset("a ad al allo alla ai agli alle".split())
# "te" written for "tè" (tea) before the kind of tea: "pesca e te nero", "te verde".
_IT_TEA_AFTER = frozenset("nero neri verde verdi bianco bianchi rosso rossi freddo freddi caldo caldi matcha chai "
                          "deteinato oolong earl darjeeling".split())
_IT_BEFORE_TE_PRONOUN = frozenset("a per con da di su tra fra come anche solo proprio".split())
# "sto" is "io sto" before a gerund ("sto arrivando"), a preposition, an adverb or an article ("sto per",
# "sto bene", "sto qui", "sto un po' meglio"), or closing a clause ("ci sto"); before a noun or an adjective it is
# the colloquial "questo" ("c'è sto Etiopia che è una bomba", "sto caffè"), which is no first person.
_IT_STO_VERB_NEXT = frozenset((
    "a ad in con per da di su tra fra senza sotto sopra dentro fuori giù su bene male meglio peggio qui qua lì là "
    "ancora già sempre mai proprio solo davvero molto poco tanto così un uno una il lo la le i gli anche pure "
    "attento attenta zitto zitta tranquillo tranquilla fermo ferma benissimo malissimo tornando arrivando "
    "lavorando").split())
_IT_VOI = frozenset((
    "voi vi ve vostro vostra vostri vostre avete siete potete volete dovete sapete fate andate venite "
    "scoprite scegliete leggete seguite sentite aprite prendete mettete chiedete passate provate prenotate "
    "ordinate assaggiate trovate lasciate raccontate scriveteci seguiteci contattateci diteci passateci "
    "veniteci iscrivetevi godetevi regalatevi concedetevi").split())
_IT_LEI_CAP = frozenset("Lei Suo Sua Suoi Sue".split())
_IT_IMPERATIVE_STEMS = frozenset(w for w in _IT_TU | _IT_IMPERATIVE_ONLY if len(w) >= 3 and w.endswith(("a", "i")))
#: The Italian forms of address (the register features ``<form>_rate``), as each is written in a message.
ADDRESS_FORMS = {"tu": "tu", "voi": "voi", "lei": "Lei"}
# The courtesy clitics (La ringraziamo, Le ricordiamo): formal inside a sentence and before a lower-case
# word only, so that names (La Spezia, Le Marche, La Stampa) are not taken for them.
_IT_LEI_CLITIC = frozenset(("La", "Le"))
# Opening a sentence, "La" and "Le" are mostly the object ("Le leggiamo tutte", "La tostiamo il lunedì"); before
# these verbs, they are the courtesy form ("La ringraziamo", "Le ricordiamo", "La contatteremo").
_IT_COURTESY_VERBS = frozenset((
    "ringraziamo ricordiamo informiamo invitiamo preghiamo aspettiamo contattiamo contatteremo chiediamo "
    "confermiamo comunichiamo segnaliamo auguriamo scriviamo inviamo invieremo rispondiamo consigliamo "
    "suggeriamo garantiamo assicuriamo richiameremo ricontatteremo terremo faremo salutiamo "
    "porgiamo rimborseremo").split())
# fateci, scriveteci; with two pronouns, godetevela, fatecelo
_IT_VOI_CLITIC = re.compile(r"^\w+(?:ate|ete|ite)(?:vi|ci|(?:ve|ce|me|se)?(?:lo|la|li|le|ne))$")
# An infinitive with "ti" (dirti, aiutarti, offrirti): the stem's length keeps out parti, scarti, quarti;
# -erti is left out, being mostly participles and nouns (aperti, esperti, concerti).
_IT_TU_INFINITIVE = re.compile(r"^(?:\w{3,}ar|\w{2,}ir|[df]ar|star|dir)ti$")
_IT_NOT_INFINITIVES = frozenset("reparti comparti scomparti".split())  # nouns of the same shape
_IT_POSSESSIVES = frozenset("tuo tua tuoi tue vostro vostra vostri vostre".split())
# A verb form right after an article, a determiner or an articulated preposition is a noun: "i fatti", "un te
# freddo", "nei reparti". (Not lo, la, le, gli: before a verb they are its object, "le trovate al banco".)
_IT_DETERMINERS = frozenset((
    "il i un uno una dei degli delle questi queste quei quelle del al dal nel sul col ai dai nei sui coi agli "
    "dagli negli sugli alle dalle nelle sulle").split())
# What stands before a courtesy possessive: an article, an articulated preposition or "essere" ("la Sua
# pratica", "il merito è Suo").
_IT_POSSESSIVE_BEFORE = frozenset((
    "il lo la i gli le un uno una del dello della dei degli delle al allo alla ai agli alle dal dallo dalla dai "
    "dagli dalle nel nello nella nei negli nelle sul sullo sulla sui sugli sulle col coi è sono sia siano era "
    "sarà").split())
# A voi form ending in -ate/-ite/-ute is a participle after "essere" or a feminine plural noun it agrees with
# ("sono andate esaurite", "le settimane passate", "le novità provate"), not after a clitic, a conjunction or
# an adverb ("le trovate al banco", "se passate") or another noun ("nei reparti del negozio trovate tutto").
_IT_AUXILIARIES = frozenset("sono siamo è era erano state stati stata stato essere sia siano".split())
_IT_PARTICIPLE_END = ("ate", "ite", "ute")
_IT_NOT_PARTICIPLES = frozenset("scoprite aprite venite".split())  # participles scoperte, aperte, venute
# (Words that end like a feminine plural and are not nouns: "le trovate", "e passate", "anche provate".)
_IT_BEFORE_VOI_VERB = frozenset("le e se che come sempre ne mentre anche dove pure bene insieme ve ce".split())
# What stands before a feminine plural noun: "le somme", "delle fatture", "queste pratiche".
_IT_FEMININE_PLURAL_BEFORE = frozenset((
    "le delle alle dalle nelle sulle tra fra queste quelle tante molte tutte altre poche alcune diverse varie "
    "sue loro nostre vostre").split())
_IT_NOI_VERB = re.compile(r"^\w{2,}iamo(?:ci|vi|lo|la|li|le|ne)?$")
_IT_CLITICS = frozenset("vi ci lo la li le ne".split())  # cheap tests before the two patterns above
# Set phrases in which an address or person word addresses no one: "fai da te" (do it yourself), "mamma
# mia", "oh my": none of their words counts.
_IDIOMS = {
    # "Mi raccomando" ("be sure to"): a caption's nudge to the reader, not the writer speaking of themselves
    "it": (("fai", "da", "te"), ("fai", "-", "da", "-", "te"), ("mamma", "mia"), ("mi", "raccomando")),
    "en": (("oh", "my"), ("my", "god"), ("my", "gosh"), ("my", "goodness")),
}
_IDIOM_FIRSTS = {lang: {first: [p for p in phrases if p[0] == first] for first in {p[0] for p in phrases}}
                 for lang, phrases in _IDIOMS.items()}

_STOP = {
    "en": frozenset((
        "a an the and or but if of to in on at by for with from as is are was were be been being have has had do "
        "does did not no so than too very can will just should would could may might must this that these those "
        "it its there here what which who whom when where why how all any both each few more most other some such "
        "only own same into over under again then once about against between through during before after above "
        "below up down out off further i me my we us our you your he him his she her they them their").split()),
    "it": frozenset((
        "il lo la i gli le un uno una di a da in con su per tra fra e ed o ma se che non è sono era erano essere "
        "ha hanno ho abbiamo avete aveva del dello della dei degli delle al allo alla ai agli alle dal dallo dalla "
        "dai dagli dalle nel nello nella nei negli nelle sul sullo sulla sui sugli sulle come anche più già poi "
        "ancora molto tutto tutti questa questo questi queste quello quella ci vi si mi ti ne noi voi lui lei loro "
        "io tu mio mia suo sua nostro nostra vostro vostra chi cui quando dove perché così").split())
        # the elided forms, which spaCy splits off the next word: "l'olio", "dell'azienda", "c'è"
        | frozenset(f"{w}{apostrophe}" for w in ITALIAN_ELIDED_ARTICLES + ITALIAN_ELIDED_OTHERS for apostrophe in "'’"),
}



def function_words(lang: str) -> frozenset[str]:
    """The language's function words (empty for a language without a list)."""
    return _STOP.get(lang, frozenset())


_HASHTAG = re.compile(r"(?<![\w#&])#\w*[^\W\d_]\w*")
# An order or ticket number (#BL482133, #CS-1029): capitals and figures, not a hashtag; it reads as a number.
# A tag of capitals and up to 4 figures (#SS26, #FW2027, #G7) is a tag, as a season's or an event's is: counted as a
# number, a fashion brand's '#SS27' read "numbers: 1 in 33 words" (a review). All figures (#1) stay a number.
_REFERENCE = re.compile(r"(?<![\w#&])#(?=[A-Z-]*\d)(?=[A-Z0-9]*-|(?:[A-Z-]*\d){5}|\d+(?![\w-]))"
                        r"[A-Z0-9][A-Z0-9-]*(?![\w-])")
# Emoticons, :) ;-) :D <3, are neither colons and brackets nor emoji: they end a sentence as an emoji does,
# and count as nothing. (As emoji they broke a "never emoji" rule for a support desk whose own later replies
# end "You're welcome :)", learned from writing that had none.)
# (Not "Nota:(vedi sotto)" nor "x=(a+b)": a bracket that a word follows opens an aside.)
_EMOTICON = re.compile(r"(?<![\d:;=<])[:;=]['-]?(?:\)+|\(+|[DPp])(?![\w(])|(?<![\w<])<3+(?!\d)")
_SPACED_ELLIPSIS = re.compile(r"\.(?: \.){2,}")
# What stands for a removed @handle or #hashtag in the text spaCy reads: a sentence that opens with one
# ("#BlackFriday deals are live") does not start in lower case.
_PLACEHOLDER = "\uE000"
# spaCy's tokenizer peels prefixes and suffixes off a run of marks or emoji one at a time, re-reading the rest
# each time: 2,000 emoji or "!" in a row take over a second, 50,000 most of an hour, and a draft is scored
# while the service holds the GIL. Such a longer run is read in pieces: its marks and emoji count the same,
# and the cost stays linear. Runs with letters or digits (a link without https://, an e-mail address, a
# Japanese sentence) are read whole, as always: spaCy splits them in linear time.
_RUN = 64
_LONG_RUN = re.compile(r"[^\w\s]{%d,}" % (_RUN + 1))


def _in_pieces(match: re.Match) -> str:
    run = match.group()
    return " ".join(run[i:i + _RUN] for i in range(0, len(run), _RUN))


# One emoji is what a reader sees as one: a face with its skin tone, a family joined by zero-width joiners, a
# flag's two letters, a keycap. Pictographs that also serve as typography (→ ★ ✓ ✔ ☎ ✉ ⚠ © ™ ‼) count only in
# their emoji form (with U+FE0F); the pictures of Unicode's symbol blocks (❤ ☀ ✌) count bare too, as
# social platforms draw them as emoji.
_EMOJI_BASE = (r"(?:\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F"
               r"|[[\u2600-\u27BF]&&\p{Emoji}--[\u2611\u2714\u2716\u2733\u2734\u2747\u27A1"
               r"\u260E\u2709\u26A0\u2708\u270F\u2712\u2702\u2640\u2642\u2695\u2696\u2699\u267B]])")
_EMOJI = regex.compile(
    r"(?V1)\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3"
    r"|" + _EMOJI_BASE + r"(?:[\p{Emoji_Modifier}\uFE0F\U000E0020-\U000E007F]|\u200D" + _EMOJI_BASE + r")*")
# What is left out of an emoji to tell which one it is: skin tones and the presentation selectors.
_EMOJI_VARIANT = regex.compile(r"[\p{Emoji_Modifier}\uFE0E\uFE0F]")
# What spaCy may split off an emoji as a token of its own: the emoji variation selector, a joiner, a skin tone,
# a tag, a keycap. Such a token continues the emoji before it ("❤" then U+FE0F).
_EMOJI_PART = regex.compile(r"^[\uFE0F\u200D\u20E3\U0001F3FB-\U0001F3FF\U000E0020-\U000E007F]+$")
_PICTOGRAPH = regex.compile(r"\p{Extended_Pictographic}")
# Marks that carry an exclamation or a question besides ! and ?: each counts as the marks it draws.
_EXCLAMATIONS = {"!": 1, "¡": 1, "‼": 2, "⁉": 1, "⁈": 1, "❗": 1, "❕": 1}
_QUESTIONS = {"?": 1, "¿": 1, "⁇": 2, "⁉": 1, "⁈": 1, "❓": 1, "❔": 1}
# An exclamation, and what ends the sentence before it: a reason quotes the sentence an exclamation closes.
_SENTENCE_BREAK = re.compile(r"(?P<exclaimed>[" + "".join(_EXCLAMATIONS) + r"]+)|[.:;](?=\s)|[?\n]")  # not 2.4, 8:30
# A dash between words: an em dash, or a spaced en dash or hyphen (one or two); not the en dash of a range
# (8am–6pm, Tuesday–Saturday) nor a hyphen that opens a list item at the start of a line.
_DASHES = re.compile(r"—|(?<=\S)[ \t]+(?:–|--?)[ \t]+(?=\S)|(?<=\w)--(?=\w)")
# "1)" or "a)" opening a list item: its bracket is the list's, not a bracketed aside.
_LIST_NUMBER = re.compile(r"(?m)^[ \t]*(?:\d{1,2}|[a-zA-Z])\)")
# A colon between digits is a clock time or a score (8:30, 2:1), not punctuation.
_COLONS = re.compile(r";|(?<!\d):|:(?!\d)")
_VOWELS = re.compile(r"[aeiouyàèéìòù]+")


def _syllables_en(word: str) -> int:
    """Vowel groups, less a silent final e: "bike", and "bikes", "fixed", "shipped" (not "boxes", "wanted")."""
    w = word.lower()
    n = len(_VOWELS.findall(w))
    if n > 1 and (
            (w.endswith("e") and not w.endswith(("le", "ee")))
            or (w.endswith("es") and not w.endswith(("ses", "xes", "zes", "ches", "shes", "ces", "ges", "ees")))
            or (w.endswith("ed") and not w.endswith(("ted", "ded", "eed")))):
        n -= 1
    return max(1, n)


def _mattr(words: Sequence[str], window: int = 25) -> float:
    """Moving-average type/token ratio: lexical diversity that does not fall with length."""
    n = len(words)
    if n == 0:
        return 0.0
    if n <= window:
        return len(set(words)) / n
    counts: dict[str, int] = {}
    for w in words[:window]:
        counts[w] = counts.get(w, 0) + 1
    total = len(counts)
    for i in range(window, n):
        out, inc = words[i - window], words[i]
        counts[out] -= 1
        if counts[out] == 0:
            del counts[out]
        counts[inc] = counts.get(inc, 0) + 1
        total += len(counts)
    return total / ((n - window + 1) * window)


def measure(text: str, lang: str, doc: object | None = None) -> dict[str, float]:
    """Measure every style feature of one text (``doc`` may be a ready spaCy Doc)."""
    surface = _Surface(text)
    if doc is None:
        doc = load_pipeline(lang)(surface.words_only)
    return _measure(surface, doc, lang)


#: How many of each first-class language's shipped background texts ``measurement_fingerprint`` measures.
FINGERPRINT_TEXTS = 60
#: ... and texts written to show what they seldom do: hype words, British and American spellings, hashtags and
#: emoji, an ellipsis, a lower-case start, each form of address, scripts other than the Latin.
FINGERPRINT_PROBES = (
    "An amazing, incredible, game-changing launch!!! You'll LOVE it... #newdrop #sale 😍🔥 @friend https://x.co/a",
    "our favourite colour is grey; we organise the centre's catalogue and travelled there. I'm sure they'd agree",
    "my favorite color is gray; we organize the center's catalog and traveled there? Let's go, y'all: 3 p.m.",
    "Scopri subito la tua offerta imperdibile!!! Ti aspettiamo… #promo 😍 Vieni a trovarci, non perderla",
    "Vi aspettiamo sabato: portate i vostri amici. La ringraziamo, Le scriveremo. Noi tostiamo, io assaggio",
    "新しいコーヒーが入りました。ぜひお試しください！ 我们的咖啡很好喝。 กาแฟของเราอร่อยมาก 커피가 맛있어요",
)
_FINGERPRINTS: dict[str, str] = {}


def measurement_fingerprint(lang: str) -> str:
    """A digest of what this voicecheck measures on fixed texts in ``lang``: which features, with which word lists
    and tokenizer, and their values.

    A profile keeps its habits as the voicecheck that learned it measured them; a later one whose word lists or
    rules count otherwise ("we're" as one word, a new hype word) would compare its drafts with figures measured
    another way, without a word. Measuring the same texts (``FINGERPRINT_PROBES`` and the first
    ``FINGERPRINT_TEXTS`` English and Italian background texts, whatever ``lang``) and comparing the digest says
    so, where a version number would only say that something, perhaps nothing that matters, changed.
    """
    if lang not in _FINGERPRINTS:
        from .background import background_texts

        texts = [*FINGERPRINT_PROBES, *(t for code in ("en", "it") for t in background_texts(code)[:FINGERPRINT_TEXTS])]
        names = feature_names(lang)
        values = np.round(measure_many(texts, lang, names), 6) + 0.0  # -0.0 and 0.0 alike
        lists = sorted(f"{code}:{name}:{rx.pattern}" for code, by in _LEXICONS.items() for name, rx in by.items())
        digest = hashlib.sha256("\n".join([load_pipeline(lang).lang, ",".join(names), *lists]).encode())
        digest.update(np.ascontiguousarray(values).tobytes())
        _FINGERPRINTS[lang] = digest.hexdigest()[:16]
    return _FINGERPRINTS[lang]


def address_words(text: str, lang: str) -> dict[str, list[str]]:
    """The words by which ``text`` addresses someone, per form of address (``tu``, ``voi``, ``you``...), each
    once, as written: a reason names them ("uses 'tu' ('hai', 'passa')") so the writer finds the slip."""
    return {person: list(dict.fromkeys(words)) for person, words in _counted_words(text, lang).items()
            if person not in ("lei?", "contraction")}


def _counted_words(text: str, lang: str) -> dict[str, list[str]]:
    """The words ``measure`` counted for each person and the contractions, as written, in order."""
    surface = _Surface(text)
    found: dict[str, list[str]] = {}
    _measure(surface, load_pipeline(lang)(surface.words_only), lang, found)
    return found


#: A sentence of at least this many words is judged for its language: shorter ones ("Grazie mille!", "Good
#: morning Milano") say too little to tell, and a name or a borrowed phrase is no sentence in another language.
FOREIGN_MIN_WORDS = 6
_SENTENCE_CUT = re.compile(r"(?<=[.!?…])\s+|\n+")
_FOREIGN_LANGS = _BY_NAME["other_language_rate"].langs  # the languages whose posts are judged for others


def foreign_sentences(text: str, lang: str) -> list[str]:
    """The sentences of ``text`` (``FOREIGN_MIN_WORDS`` or more words, links and quoted words left out) written
    plainly in another language than ``lang``, as written: an agency's "Trust us, it's a game-changer." in an
    Italian brand's caption had been on-voice with no word of it (a gelato chain's review). Posts that quote
    someone in another language keep their quote: it is not the brand's sentence."""
    if lang not in _FOREIGN_LANGS:
        return []
    return _foreign_in(_unquoted(_Surface(text).no_links), lang)


def _foreign_in(unquoted: str, lang: str) -> list[str]:
    """``foreign_sentences`` of a text already without its links and quotes (``measure`` has it at hand)."""
    from .language import detect_language

    found = []
    for sentence in _SENTENCE_CUT.split(unquoted):
        if len(sentence.split()) >= FOREIGN_MIN_WORDS and detect_language(sentence) not in (None, lang, "und"):
            found.append(" ".join(sentence.split()))
    return found


def contractions_in(text: str, lang: str) -> list[str]:
    """The contractions ``text`` holds, each once (whatever its case), as first written: a reason names them
    ("contractions ('it's')"), not the label's examples, which a 642-word article without them had shown as
    "contractions (we're, don't)" (a content lead's review). Counted as ``measure`` counts them."""
    if lang != "en":
        return []
    return _distinct_words(_counted_words(text, lang).get("contraction", []))


def _distinct_words(words: Iterable[str]) -> list[str]:
    """Each word once, whatever its case or apostrophe, as first written ("Game-Changing" and "game-changing" are
    one word: a reason had named both)."""
    seen: dict[str, str] = {}
    for w in words:
        seen.setdefault(w.casefold().replace("’", "'"), w)
    return list(seen.values())


def measure_many(texts: Sequence[str], lang: str, names: Sequence[str] | None = None) -> np.ndarray:
    """Style matrix (texts x ``names``, by default ``feature_names(lang)``) for many texts, one spaCy pass.

    A saved profile passes its own ``style_names_``: one learned before a feature was added is scored on
    the features it learned, not broken by a column it has never seen.
    """
    nlp = load_pipeline(lang)
    names = feature_names(lang) if names is None else list(names)
    out = np.zeros((len(texts), len(names)), dtype=np.float64)
    surfaces = [_Surface(t) for t in texts]
    for i, doc in enumerate(nlp.pipe((s.words_only for s in surfaces), batch_size=256)):
        values = _measure(surfaces[i], doc, lang)
        out[i] = [values[n] for n in names]
    return out


class _Surface:
    """A text's links, @handles and #hashtags, counted apart: spaCy reads ``words_only``, never them as words."""

    __slots__ = ("text", "no_links", "links", "mentions", "hashtags", "emoticons", "words_only")

    def __init__(self, text: str) -> None:
        # "perché" typed as e + a combining accent is the same word as "perché" in one character
        text = text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)
        self.text = _SPACED_ELLIPSIS.sub("…", text) if ". ." in text else text
        no_links, self.links = LINK.subn(" ", self.text)
        if "#" in no_links:
            no_links = _REFERENCE.sub(" 0 ", no_links)
        # spaCy reads an emoticon as an emoji (a sentence may end with it); the counts see none
        read, self.emoticons = _EMOTICON.subn(" \U0001F642 ", no_links)
        self.no_links = _EMOTICON.sub(" ", no_links) if self.emoticons else no_links
        no_mentions, self.mentions = HANDLE.subn(f" {_PLACEHOLDER} ", read)
        self.hashtags = len(_HASHTAG.findall(no_links)) if "#" in no_links else 0
        words_only = _HASHTAG.sub(f" {_PLACEHOLDER} ", no_mentions) if "#" in no_mentions else no_mentions
        self.words_only = _LONG_RUN.sub(_in_pieces, words_only)


# What style reads off one token depends only on its spelling (spaCy's flags are per lexeme), so it is
# worked out once per spelling and language and looked up by the token's ORTH id afterwards: the
# per-token Python work was most of style's cost.
_SKIP, _NUMBER, _MARK, _WORD = 0, 1, 2, 3
# What a contraction-like token is: a tail with an apostrophe ('re, n't), a possessive-or-"is" 's, or a bare
# tail of an apostrophe-less spelling (dont, youre, thats, im, youd), which counts only glued to its host.
_CONTRACTION, _POSSESSIVE_S, _BARE_TAIL, _BARE_S, _BARE_M, _BARE_D = 1, 2, 3, 4, 5, 6
_BARE_KINDS = {**dict.fromkeys(_EN_BARE_TAILS, _BARE_TAIL), "s": _BARE_S, "m": _BARE_M, "d": _BARE_D}
# Abbreviations: after a title, the full stop never ends a sentence (Dott. Rossi, Mr. Jones); after the
# others (etc., approx., S.r.l., Sat.) it ends one only before a capital ("etc. and spares" goes on).
_TITLE, _ABBREVIATION = 1, 2
_TITLES = {
    "en": frozenset("mr mrs ms mx dr prof st rev fr gen col capt lt sgt hon".split()),
    "it": frozenset("dott dott.ssa sig sig.ra sig.na sigg ing avv arch geom rag prof prof.ssa sen on gent gent.mo "
                    "gent.ma egr spett p.zza v.le c.so s sant".split()),
}
_ABBREVIATIONS = {
    "en": frozenset((
        "etc approx incl excl esp vs cf viz ca tel ext dept est ave rd inc ltd co corp llc plc bros no nos vol "
        "fig figs p pp ch sec art jr sr min max hr hrs mins kg km lb lbs oz ft yrs mon tue tues wed thu thur "
        "thurs fri sat sun jan feb mar apr jun jul aug sep sept oct nov dec").split()),
    "it": frozenset((
        "ecc etc es cfr ca tel cell n nr pag pagg art cap kg gr hg ml cl lt km mt min max sec vd v all tab rif "
        "prot fatt tot ns vs s.r.l s.p.a s.n.c s.a.s srl spa snc sas lun mar mer gio ven sab dom gen feb apr "
        "mag giu lug ago set sett ott nov dic").split()),
}
# Marks that open a list item on a new line.
_BULLETS = frozenset("- – — • · * ▪ ▫ ◦ ‣ ● ○ ■ □ ► ▶ ➤ ➔ → > +".split())
# What joins the parts of a compound word ("well-made"): the hyphen-minus, the hyphen and the non-breaking hyphen.
_HYPHENS = frozenset(("-", "\u2010", "\u2011"))
_OPENING_QUOTES = frozenset("« “ \" ‘ ' „ ‹".split())


@dataclass(frozen=True, slots=True)
class _Spelling:
    kind: int                # _SKIP (link, e-mail, @, #, white space), _NUMBER, _MARK (no letter) or _WORD
    lower: str
    letters: int
    caps: bool               # four or more letters, all capitals
    syllables: int           # English only
    person: str | None       # "i", "we", "you" (en); "tu", "voi", "noi", "io" (it)
    formal_cap: bool         # it: Lei, Suo ... (formal unless a sentence starts with it, "Lei" always)
    formal_clitic: bool      # it: La, Le (formal inside a sentence, before a lower-case word)
    contraction: int         # en: one of _CONTRACTION ... _BARE_D, or 0
    function_word: bool
    ends_sentence: bool
    punct: bool
    has_letter: bool
    lower_start: bool        # its first letter is lower case
    has_digit: bool
    emoji: bool              # a mark that is an emoji (🫒, 😍): social posts often end a sentence with one
    emoji_part: bool         # only what continues an emoji (U+FE0F, a skin tone): "🌧" + U+FE0F is an emoji
    pictograph: bool         # a mark that is a pictograph, an emoji when U+FE0F follows it
    newline: bool            # white space with a line break in it (\n or \r)
    placeholder: bool        # where an @handle or #hashtag stood
    upper: bool              # every letter a capital (MI, US, I)
    bullet: bool             # a mark that opens a list item (-, •, ►)
    abbreviation: int        # _TITLE or _ABBREVIATION when a full stop after it (or in it) may not end a sentence
    opening_quote: bool


_SPELLINGS: dict[str, dict[int, _Spelling]] = {}
_SPELLINGS_MAX = 200_000  # a bound for long-running services; cleared when reached


def _spelling(orth: int, vocab, lang: str) -> _Spelling:
    t = vocab.strings[orth]
    lex = vocab[orth]
    low = t.lower()
    letters = t.isalpha() and len(t) or sum(1 for c in t if c.isalpha())
    has_digit = any(c.isdigit() for c in t)
    emoji = not letters and bool(_EMOJI.search(t))
    if lex.like_url or lex.like_email or t.startswith("@") or t.startswith("#") or t.isspace() or t == _PLACEHOLDER:
        kind = _SKIP
    elif lex.like_num and not (t.isalpha() and low.endswith(("st", "nd", "rd", "th"))) and low != "one":
        # "9" or "nine"; an ordinal word ("Second line", "first") is a word, and so is "one", far more
        # often a pronoun in posts ("try one on", "which one") than a count
        kind = _NUMBER
    elif has_digit and not letters and not emoji:
        kind = _NUMBER  # 8:30, 20/3, +39: figures that spaCy's like_num does not know
    else:
        kind = _WORD if letters else _MARK
    contraction = 0
    if lang == "en":
        contraction = (_CONTRACTION if low in _EN_CONTRACTION_TAILS else _POSSESSIVE_S if low in ("'s", "’s")
                       else _BARE_KINDS.get(low[:-1] if low.endswith(".") else low, 0))  # "Wed." is "We" "d."
    person = None
    formal_cap = formal_clitic = False
    if kind == _WORD and lang == "en":
        person = "i" if low in _EN_I else "we" if low in _EN_WE else "you" if low in _EN_YOU else None
    elif kind == _WORD and lang == "it":
        formal_cap = t in _IT_LEI_CAP
        formal_clitic = t in _IT_LEI_CLITIC
        if low in _IT_TU or low in _IT_IMPERATIVE_ONLY or (
                _IT_TU_INFINITIVE.match(low) and low not in _IT_NOT_INFINITIVES) or _IT_TU_TENSES.match(low) \
                or _imperative_with_pronoun(low) or (low.endswith("oti") and _IT_TU_GERUND.match(low)) or any(
                    low.endswith(tail) and low[:-len(tail)] in _IT_ERE_IMPERATIVES for tail in _IT_TE_CLITICS):
            person = "tu"
        elif low in _IT_VOI or low in _IT_VOI_VERB_FORMS or (low[-2:] in _IT_CLITICS and _IT_VOI_CLITIC.match(low)):
            person = "voi"
        elif low in _IT_NOI or ("iamo" in low and _IT_NOI_VERB.match(low)):
            person = "noi"
        elif low in _IT_IO:
            person = "io"
    abbreviation = 0
    if kind == _WORD:
        stem = low[:-1] if low.endswith(".") else low
        initial = len(t) == 1 and t.isupper() and not (lang == "en" and t == "I")  # J. Smith, G. Rossi
        abbreviation = (_TITLE if stem in _TITLES.get(lang, ()) or initial
                        else _ABBREVIATION if stem in _ABBREVIATIONS.get(lang, ()) or low.endswith(".") else 0)
    first_letter = next((c for c in t if c.isalpha()), "")
    stop = _STOP.get(lang)
    return _Spelling(
        kind=kind, lower=low, letters=letters, caps=_shouted(t, low, letters, stop),
        syllables=_syllables_en(t) if lang == "en" and kind == _WORD else 0, person=person, formal_cap=formal_cap,
        formal_clitic=formal_clitic,
        contraction=contraction, function_word=bool(stop) and low in stop, ends_sentence=t in sentence_end_marks(),
        # "iOS", "eBay": a name, not a sentence starting in lower case
        punct=bool(lex.is_punct), has_letter=bool(first_letter),
        lower_start=first_letter.islower() and not any(c.isupper() for c in t),
        has_digit=has_digit, emoji=kind == _MARK and emoji, emoji_part=bool(_EMOJI_PART.match(t)),
        pictograph=not letters and bool(_PICTOGRAPH.search(t)),
        newline=("\n" in t or "\r" in t) and t.isspace(), placeholder=t == _PLACEHOLDER,
        upper=bool(first_letter) and t.isupper(),
        bullet=t in _BULLETS, abbreviation=abbreviation, opening_quote=t in _OPENING_QUOTES)


# Words of three letters that posts shout; other three-letter words in capitals are mostly acronyms (USB, NYC).
_SHOUTED_3 = frozenset("wow new now yes omg hot big top fun win buy get not ora".split())


# A vowel (y too: "RHYTHM"): a word of four or more capitals without one is an acronym (HMRC, HTML), not a shout.
_VOWEL = re.compile(r"[aeiouyàáèéìíòóùú]")


def _shouted(t: str, low: str, letters: int, stop: frozenset[str] | None) -> bool:
    """A word in capitals as shouting, not an acronym: 4+ letters with a vowel (SALE, GRAZIE), or 3 that posts
    shout (WOW, NEW) or a function word (THE, PER); not USB, DM, OK, NYC, nor HMRC (a B2B brand's own newsletter
    was off-voice on "words in capitals": a content head's review)."""
    if not t.isupper() or letters < 3:
        return False
    return (letters >= 4 and bool(_VOWEL.search(low))) or low in _SHOUTED_3 or bool(stop) and low in stop


def shouted_words(text: str, lang: str) -> list[str]:
    """The words in capitals ``measure`` counts as shouting, each once, as written: a reason names them ("words in
    capitals ('FREE', 'NOW')"), since "1 in 170 words" left a writer to find an acronym it had taken for one."""
    doc = load_pipeline(lang)(_Surface(text).words_only)
    return _distinct_words(doc[i].text for i, t in enumerate(_spellings(doc, lang)) if t.kind == _WORD and t.caps)


def _spellings(doc, lang: str) -> list[_Spelling]:
    """The cached spelling of each token of ``doc``."""
    cache = _SPELLINGS.get(lang)
    if cache is None or len(cache) > _SPELLINGS_MAX:
        cache = _SPELLINGS[lang] = {}
    if not len(doc):
        return []
    orths = doc.to_array("ORTH").tolist()
    vocab = doc.vocab
    get = cache.get
    out = []
    for o in orths:
        s = get(o)
        if s is None:
            s = cache[o] = _spelling(o, vocab, lang)
        out.append(s)
    return out


_NO, _YES, _IF_CAPITAL = 0, 1, 2  # whether what came before ends the sentence


def _sentence_starts(tokens: Sequence[_Spelling]) -> list[int]:
    """Indices of the tokens that start a sentence: spaCy's Sentencizer rule, without Token objects.

    A sentence ends at a run of end marks (. ! ? ...); the next token that is not
    punctuation or white space starts the next one. Social posts end sentences in other ways
    too, as their readers see them: a run of emoji followed by a capitalised word ("in contrada
    Muti 🫒 Il fruttato..."), and a line break followed by a capital, a figure, an emoji or a
    list bullet (a heading, a list). A full stop after an abbreviation does not end one,
    unless the abbreviation may close a sentence (etc., S.r.l.) and a capital follows, or a line break
    before a capital, a figure, an emoji or a bullet does.
    """
    if not tokens:
        return []
    starts = [0]
    seen_end = _NO
    after_emoji = line_break = False
    prev = None
    for i, t in enumerate(tokens):
        if t.newline:
            line_break = True
            continue
        if t.kind == _SKIP and not t.lower.strip():
            continue  # other white space
        if t.emoji_part:  # "❤" then U+FE0F: the emoji goes on
            after_emoji = after_emoji or (prev is not None and prev.pictograph)
            continue
        if line_break:
            line_break = False
            if seen_end != _YES and prev is not None and (
                    t.bullet or t.emoji or t.has_digit or t.placeholder or (t.has_letter and not t.lower_start)):
                seen_end = _YES
        if t.ends_sentence and not (t.lower == "." and prev is not None and prev.abbreviation):
            seen_end = _YES
        elif t.ends_sentence:  # a full stop after an abbreviation: a title's never ends the sentence
            if prev.abbreviation == _ABBREVIATION and seen_end == _NO:
                seen_end = _IF_CAPITAL
        else:
            if seen_end and not t.punct:
                if seen_end == _YES or (t.has_letter and not t.lower_start):
                    starts.append(i)
                seen_end = _NO
            elif after_emoji and t.has_letter and not t.lower_start:
                starts.append(i)
            if t.abbreviation == _ABBREVIATION and t.lower.endswith("."):  # "ecc.", "U.S.": its own full stop
                seen_end = _IF_CAPITAL
        after_emoji = t.emoji
        prev = t
    return starts


# Words in guillemets or curly quotes are someone else's (a customer's review, a title): they address no one
# for the brand, and their exclamation marks and emoji are not the brand's. So are straight quotes around at
# least QUOTED_MIN_WORDS words on one line (most keyboards type "..." for a customer's words: a quoted thank-you
# had made a brand's own post off-voice); around fewer they mark emphasis ("the "best" beans"), and an unpaired
# one (12" pizza) quotes nothing. Single straight quotes too, as Italian captions often quote ('non mi prendo
# niente', said a customer, had counted as the brand's own "io": a social media lead's review), around at most
# QUOTED_MAX_SINGLE words: the mark is also the apostrophe, and one left unpaired must not quote a whole post.
# spaCy keeps an apostrophe with its word (po', all', 'll), so a "'" token of its own is a quote mark.
QUOTED_MIN_WORDS = 4
QUOTED_MAX_SINGLE = 40
_QUOTES = {"«": "»", "“": "”", '"': '"', "'": "'"}
_STRAIGHT = ('"', "'")
_QUOTED = re.compile(r'«[^«»]*»|“[^“”]*”|"[^"\n]*"'  # straight quotes pair up in order, one line at most
                     r"|(?<![\w'])'(?=\w)(?:[^'\n]|(?<=\w)'(?=\w))*(?<=[^\s'])'(?!\w)")  # 'single', l'apostrofo


def _unquoted(text: str, blank: str = " ", same_length: bool = False) -> str:
    """``text`` with what it quotes (as ``_quoted_tokens`` reads quotes) blanked out (replaced by ``blank``, padded
    with spaces to the quote's length when ``same_length``, so that positions in it are positions in ``text``)."""
    def quoted(m: re.Match[str]) -> str:
        mark, words = m.group()[0], len(m.group()[1:-1].split())
        if mark not in _STRAIGHT or words >= QUOTED_MIN_WORDS and (mark == '"' or words <= QUOTED_MAX_SINGLE):
            return blank.ljust(len(m.group())) if same_length else blank
        return m.group()
    return _QUOTED.sub(quoted, text)


def _quoted_tokens(tokens: Sequence[_Spelling], spaced: Sequence[int]) -> set[int]:
    """Indices of the tokens inside a pair of guillemets or curly quotes, or of straight quotes around at least
    ``QUOTED_MIN_WORDS`` words on one line (the quotes themselves left out). ``spaced``: whether white space follows
    each token. A single quote opens after a space and before a word, and closes after a word, as the text's
    pattern reads it: "the customers' favourite ... 'a lot'" had quoted the "you" between them (a code review)."""
    out: set[int] = set()
    opened: tuple[str, int] | None = None
    for i, t in enumerate(tokens):
        if t.lower == "'" and not (
                (opened is None and (i == 0 or spaced[i - 1]) and not spaced[i])  # opens: ' after a space
                or (opened is not None and opened[0] == "'" and i > 0 and not spaced[i - 1])):  # closes
            continue  # an apostrophe of its own ("kids' menu"), not a quote mark
        if opened is None:
            if t.lower in _QUOTES:
                opened = (_QUOTES[t.lower], i)
        elif t.newline and opened[0] in _STRAIGHT:  # a straight quote left open at the end of its line quotes nothing
            opened = None
        elif t.lower == opened[0]:
            inside = range(opened[1] + 1, i)
            words = sum(tokens[j].kind == _WORD for j in inside)
            if opened[0] not in _STRAIGHT or words >= QUOTED_MIN_WORDS and (opened[0] == '"'
                                                                              or words <= QUOTED_MAX_SINGLE):
                out.update(inside)  # (a pair around fewer words, "best", is emphasis: the brand's own)
            opened = None
    return out


def _idiom_tokens(tokens: Sequence[_Spelling], lang: str) -> set[int]:
    """Indices of the words of set phrases that address no one ("fai da te", "mamma mia", "oh my")."""
    out: set[int] = set()
    firsts = _IDIOM_FIRSTS.get(lang)
    if not firsts:
        return out
    for i, t in enumerate(tokens):
        if t.lower not in firsts:
            continue
        for phrase in firsts[t.lower]:  # the phrase's words, white space between them skipped
            found, j = [i], i + 1
            for word in phrase[1:]:
                while j < len(tokens) and tokens[j].kind == _SKIP and not tokens[j].lower.strip():
                    j += 1
                if j >= len(tokens) or tokens[j].lower != word:
                    break
                found.append(j)
                j += 1
            else:
                out.update(found)
    return out


def _addresses_no_one(tokens: Sequence[_Spelling], i: int, prev_word: _Spelling | None,  # noqa: C901
                      opens_sentence: bool, addressed: bool = False) -> bool:
    """Whether an Italian address word at ``i`` is, by its neighbours, a noun, a participle or a code.

    "nei reparti", "sono andate esaurite" (sold out), "cantucci fatti a mano", "Milano (MI)" (the province).
    ``prev_word``: the word just before, None after a mark or at the start; ``addressed``: whether the
    sentence greeted the reader or addressed it as tu before ``i``.
    """
    t = tokens[i]
    if t.upper and len(t.lower) <= 2 and i > 0 and tokens[i - 1].lower == "(":
        return True
    if prev_word is not None and prev_word.lower == "del" and t.lower in ("tu", "voi"):
        return True  # "ci diamo del tu": the register named, no one addressed
    if t.lower in ("tu", "ti", "te", "vi"):
        nxt = _next_word(tokens, i)
        if t.lower == "vi" and t.upper:  # "Pio VI", "capitolo VI": a numeral, unless the words around shout too
            return not ((prev_word is not None and prev_word.upper) or (nxt is not None and nxt.upper))
        if t.lower == "vi" and nxt is not None and _vi_is_there(tokens, i, nxt):
            return True
        if not t.lower_start and not opens_sentence and prev_word is not None and not prev_word.upper:
            return True  # a capital inside a sentence: a name ("Palazzo Te", "in Ti"), unless shouted ("SCOPRI TU")
        if any(0 <= j < len(tokens) and tokens[j].lower == "-" for j in (i - 1, i + 1)):
            return True  # "ti-ti-ti", "Wi-Fi"
    if t.lower in _IT_IMPERATIVE_ONLY:
        nxt = _next_word(tokens, i)
        if t.lower == "tocca" and nxt is not None and nxt.lower in _IT_TOCCA_A:
            return True
        if t.lower == "fatti" and nxt is not None and nxt.lower in _IT_MADE_HOW:
            after = _next_word(tokens, _next_word_index(tokens, i))
            if not (nxt.lower == "da" and after is not None and after.lower == "parte"):  # "Fatti da parte": go
                return True  # "Fatti a mano nelle Marche": made, no one told to (a fashion brand's review)
        # an imperative opens its sentence, or follows one or a greeting after a mark or "e" ("Vieni, prova la
        # miscela e poi ordina", "Ciao Marco, passa"); elsewhere it is a third person ("L'acqua è dura e lascia
        # calcare", "cambia origine: passa")
        return not (opens_sentence or (addressed and (
            prev_word is None or prev_word.lower in _IT_IMPERATIVE_AFTER))) or (
            nxt is not None and nxt.lower.endswith(_IT_PARTICIPLE_END + ("ata", "ita", "uta")))
    if t.lower == "sei":
        return _is_six(tokens, i, prev_word)
    if t.lower == "te":
        nxt = _next_word(tokens, i)
        if nxt is not None and nxt.lower in _IT_TEA_AFTER and not (
                prev_word is not None and prev_word.lower in _IT_BEFORE_TE_PRONOUN):
            return True  # "pesca e te nero" ("un te freddo": after an article, below; "per te": the reader)
    if t.lower == "sto":
        nxt = _next_word(tokens, i)
        return nxt is not None and nxt.lower not in _IT_STO_VERB_NEXT and not nxt.lower.endswith(("ando", "endo"))
    if prev_word is None or t.person not in ("tu", "voi") or t.lower in _IT_POSSESSIVES:
        return False
    if t.lower in ("tu", "ti", "voi", "vi", "ve"):
        return False
    if prev_word.lower in _IT_DETERMINERS:
        return True
    if t.person == "voi" and t.lower.endswith(_IT_PARTICIPLE_END) and t.lower not in _IT_NOT_PARTICIPLES:
        before = prev_word.lower
        return before in _IT_AUXILIARIES or (before.endswith(("e", "à")) and before not in _IT_BEFORE_VOI_VERB)
    return False


def _address_by_context(t: _Spelling, prev_word: _Spelling, prev_opens: bool, tokens: Sequence[_Spelling],
                        i: int) -> str | None:
    """The address ("tu", "voi" or "lei") of an Italian word that is no address form by itself, by the word before
    it: "se attivi", "non paghi", "cosa aspetti", "se partite", and "Non perdere" opening a sentence; "non esiti a
    contattarci", "non dimentichi di rinnovare" is the Lei form (a tu writer says "non esitare a")."""
    before, low = prev_word.lower, t.lower
    if before not in _IT_ADDRESS_AFTER or not t.lower_start or t.function_word or len(low) < 3:
        return None
    if before == "non" and prev_opens and len(low) > 4 and low.endswith(_IT_INFINITIVE_END):
        return "tu"
    if len(low) > 4 and low.endswith(("ate", "ete", "ite")):
        if before == "non" and low.endswith(_IT_PARTICIPLE_END) and low not in _IT_NOT_PARTICIPLES:
            # "le somme non versate", "delle fatture non pagate": the participle of a feminine plural after its
            # article (an insurer's press releases had counted as voi, and its rule against 'tu' was lost); not
            # "Naturalmente non pagate", "Ragazze, non dimenticate" (a code review)
            noun = _word_before(tokens, i, 2)
            if noun.endswith(("e", "à")) and _word_before(tokens, i, 3) in _IT_FEMININE_PLURAL_BEFORE:
                return None
        return "voi"
    if low.endswith(_IT_CLITIC_INFINITIVE_END) or low in _IT_NOT_ADDRESS_AFTER or _IT_CLITIC_GERUND.search(low):
        return None  # "non darvi", "per non perdersi": an infinitive with its pronoun; "non pochi"; "non essendovi"
    if not low.endswith("i"):
        return None
    if before == "non" and low in _IT_LEI_NEGATIVE and _before_infinitive(tokens, i) and not _after_se(tokens, i):
        # The courtesy form's negative imperative: a formal bank's "Non esiti a contattarci" had made the draft
        # off-voice for "using 'tu'" (an Italian agency's review)
        return "lei"
    return "tu"


def _after_se(tokens: Sequence[_Spelling], i: int) -> bool:
    """Whether the two words before ``i`` are "se non" ("se non esiti a chiedere": if you do not hesitate)."""
    words = [t for t in tokens[max(0, i - 6):i] if t.kind == _WORD]
    return len(words) >= 2 and words[-2].lower == "se"


def _before_infinitive(tokens: Sequence[_Spelling], i: int) -> bool:
    """Whether the word at ``i`` is followed by "a", "ad" or "di" and an infinitive ("esiti a contattarci")."""
    linker = _next_word_index(tokens, i)
    if linker is None or tokens[linker].lower not in ("a", "ad", "di"):
        return False
    verb = _next_word(tokens, linker)
    if verb is None or verb.lower in _IT_NOUNS_LIKE_INFINITIVES:
        return False
    return verb.lower.endswith(_IT_INFINITIVE_END) or _IT_INFINITIVE_WITH_PRONOUN.match(verb.lower) is not None


def _voi_before_infinitive(tokens: Sequence[_Spelling], i: int, prev_word: _Spelling | None) -> bool:
    """'Aspettate a comprare', 'continuate a mandarle', 'ricordate di prenotare': a form in -ate/-ete/-ite
    opening a sentence or clause (or after "e", "se", "non"...) before "a" or "di" and an infinitive is the voi
    verb; after any other word it is a participle or a noun ("le famiglie invitate a partecipare", "sono
    chiamate a votare", "le giornate di mare")."""
    t = tokens[i]
    low = t.lower
    if t.kind != _WORD or len(low) < 6 or not low.endswith(("ate", "ete", "ite")) or t.function_word:
        return False
    if prev_word is not None and prev_word.lower not in _IT_BEFORE_IMPERATIVE_VOI:
        return False  # "Le giornate di...", "Degustazioni dedicate a...", "davvero onorate di...": a noun or participle
    return _before_infinitive(tokens, i)  # not "Grigliate di mare", "Passeggiate di piacere"


def _imperative_with_pronoun(low: str) -> bool:
    """'aspettaci', 'portalo', 'scrivimi': a tu imperative with its pronoun attached (``_IT_ENCLITICS``)."""
    if len(low) < 5 or low in _IT_NOT_ENCLITIC:
        return False
    return any(low.endswith(tail) and low[:-len(tail)] in _IT_IMPERATIVE_STEMS for tail in _IT_ENCLITICS)


def _is_six(tokens: Sequence[_Spelling], i: int, prev_word: _Spelling | None) -> bool:
    """Whether "sei" at ``i`` is the number six rather than "you are".

    The verb is followed by what describes or places the reader ("sei pronto", "sei già cliente", "sei un
    genio", "sei nei nostri pensieri") or asked after ("Dove sei?"); the number by what it counts ("sei mesi",
    "sei caffè", "sei V60", "sei su dieci"), or it follows a preposition or article ("alle sei", "in sei").
    """
    if prev_word is not None and prev_word.lower in _IT_SIX_AFTER:
        return True
    if prev_word is not None and prev_word.lower == "e" and _word_before(tokens, i, 2) in ("tutti", "tutte"):
        return True  # "tutti e sei"
    nxt_at = _next_word_index(tokens, i)
    if nxt_at is not None and tokens[nxt_at].lower == "di":  # "sei di questi": six of them ("sei di Milano?")
        after = _next_word(tokens, nxt_at)
        if after is not None and after.lower in ("questi", "queste"):
            return True
    if nxt_at is not None and tokens[nxt_at].lower in ("o", "e", "in"):  # "sei o sette", "sei in più"
        after = _next_word(tokens, nxt_at)
        if after is not None and (after.kind == _NUMBER or after.lower in _IT_NUMBER_WORDS
                                  or (tokens[nxt_at].lower == "in" and after.lower in ("più", "meno"))):
            return True
    nxt = _next_word(tokens, i)
    if nxt is None:  # before a mark: "Del Guatemala ne restano sei." but "Dove sei?", "Ci sei?"
        follows = next((t for t in tokens[i + 1:] if t.kind != _SKIP), None)
        return not ((follows is not None and follows.lower == "?")
                    or (prev_word is not None and prev_word.lower in _IT_SEI_ASKED))
    low = nxt.lower
    if nxt.kind == _NUMBER or nxt.has_digit or low in _IT_SIX_BEFORE:
        return True
    return not (low.endswith(("o", "a")) or low in _IT_SEI_COMPLEMENTS)


def _vi_is_there(tokens: Sequence[_Spelling], i: int, nxt: _Spelling) -> bool:
    """Whether "vi" at ``i`` is "there", "in it": before a third person of "essere" ("vi sono tre sedi", "vi è
    stata") or of a verb that takes no object ("Vi lavorano sei collaboratori", "vi hanno partecipato 1.200
    studenti", "vi ha sede"). An insurer's own press releases had been read as 'voi', the main reason of faithful
    drafts (a communications head's review). "Vi sono grato" is the reader thanked."""
    if nxt.lower in _IT_THERE_ESSERE:
        # "there" only where what is there follows: an article, a number, a quantifier ("vi sono tre sedi", "vi è
        # stata una crescita", "vi è ancora tempo"); "Vi è piaciuta la serata?", "Vi è mai capitato?", "Vi è chiaro?",
        # "vi è stato detto" say something of the reader (a code review found the participles alone too few)
        at = _next_word_index(tokens, i)
        for _ in range(3):  # past "stato/stata" and an adverb ("vi è già stata", "vi sono ancora")
            after_at = _next_word_index(tokens, at) if at is not None else None
            after = tokens[after_at] if after_at is not None else None
            if after is None or after.lower not in _IT_THERE_SKIPPED:
                break
            at = after_at
        if after is None:
            return False
        if after.kind == _NUMBER or after.lower in _IT_THERE_FOLLOWS:
            return True
        # a participle or an adjective of the reader ("capitato", "rimasto", "chiaro", "utile"); else a noun, there
        return not (after.lower.endswith(_IT_PARTICIPLES) or after.lower in _IT_OF_THE_READER)
    if nxt.lower in _IT_THERE_VERBS:
        return True
    at = _next_word_index(tokens, i) or i
    after = _next_word(tokens, at)
    if nxt.lower in ("ha", "hanno", "aveva", "avevano", "avrà", "avranno") and after is not None:
        if after.lower in _IT_THERE_PARTICIPLES or after.lower in ("sede", "luogo"):
            return True
        nxt, at, after = after, _next_word_index(tokens, at) or at, _next_word(tokens, _next_word_index(tokens, at) or at)
    return nxt.lower in _IT_TAKES_PART and after is not None and after.lower == "parte"  # "vi hanno preso parte"


_IT_THERE_ESSERE = frozenset("è e' sono era erano sarà saranno fu furono sia siano sarebbe sarebbero fosse fossero "
                             "c'è".split())
# What "vi è", "vi sono" is followed by when it says what is there: an article, a number, a quantifier, a noun of
# the set phrases ("vi è bisogno", "vi è spazio").
_IT_THERE_FOLLOWS = frozenset((
    "un uno una un' il lo la i gli le l' dei degli delle del della dello due tre quattro cinque sei sette otto nove "
    "dieci cento mille molti molte molto tanti tante tanto diversi diverse alcuni alcune alcun alcuna numerosi "
    "numerose pochi poche poco vari varie ogni nessun nessuno nessuna più meno tutto tutti tutte oltre circa almeno "
    "bisogno spazio posto posti modo tempo possibilità necessità motivo motivi").split())
# Past participles in each gender and number: "capitato", "rimasta", "detti", "scritte", "mosso", "chiesto".
_IT_PARTICIPLES = tuple(stem + end for stem in ("at", "ut", "it", "tt", "ss", "st", "rt", "nt", "lt")
                        for end in "oaie") + ("so", "sa")
_IT_OF_THE_READER = frozenset((
    "grato grata grati grate riconoscente riconoscenti vicino vicina vicini vicine debitore debitrice debitori "
    "chiaro chiara chiari chiare utile utili noto nota noti note caro cara cari care gradito gradita graditi "
    "gradite possibile facile difficile necessario necessaria dovuto dovuta").split())
_IT_THERE_SKIPPED = frozenset("stato stata stati state anche inoltre poi ancora già sempre mai oggi ora qui lì".split())
# Verbs that take no object, so that "vi" before their third person is the place: lavorare, operare, partecipare,
# abitare, vivere, risiedere, nascere, sorgere, aderire; "prendere parte" and "avere sede" with their noun.
_IT_THERE_VERBS = frozenset((
    "lavora lavorano lavorava lavoravano lavorerà lavoreranno opera operano operava operavano operano "
    "partecipa partecipano partecipava partecipavano parteciperà parteciperanno abita abitano abitava abitavano "
    "vive vivono viveva vivevano risiede risiedono risiedeva risiedevano nasce nascono nacque nacquero "
    "sorge sorgono sorgeva sorgevano aderisce aderiscono aderiranno").split())
_IT_THERE_PARTICIPLES = frozenset("lavorato operato partecipato abitato vissuto risieduto aderito".split())
_IT_TAKES_PART = frozenset("prende prendono prendeva prendevano prenderà prenderanno presero preso".split())


def _word_before(tokens: Sequence[_Spelling], i: int, k: int = 1) -> str:
    """The ``k``-th word before ``i`` (lower case), white space skipped; "" when a mark or the start comes first."""
    j = i
    for _ in range(k):
        j -= 1
        while j >= 0 and tokens[j].kind == _SKIP and not tokens[j].lower.strip():
            j -= 1
        if j < 0 or tokens[j].kind not in (_WORD, _NUMBER):
            return ""
    return tokens[j].lower


def _next_word(tokens: Sequence[_Spelling], i: int) -> _Spelling | None:
    """The token after ``i``, white space skipped; None at the end or when a mark comes first."""
    j = _next_word_index(tokens, i)
    return None if j is None else tokens[j]


def _next_word_index(tokens: Sequence[_Spelling], i: int) -> int | None:
    """Where ``_next_word`` is: the index of the word or number after ``i``, or None."""
    for j in range(i + 1, len(tokens)):
        t = tokens[j]
        if t.kind == _SKIP and not t.lower.strip():
            continue
        return j if t.kind in (_WORD, _NUMBER) else None
    return None


def _names_no_one(tokens: Sequence[_Spelling], i: int, prev_word: _Spelling | None, opens_sentence: bool,
                  prev_opens: bool = False) -> bool:
    """Whether an English person word at ``i`` is a name or a label: "My Account" (a menu), "the US", "a
    U-lock", "Part I", "series I and II", "I/O", "Route I to the shop" (``prev_opens``: the word before
    opens its sentence)."""
    t = tokens[i]
    nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    if t.lower == "i":
        after = tokens[i + 2].lower if i + 2 < len(tokens) else ""
        follows = next((x.lower for x in tokens[i + 1:] if x.lower.strip()), "")
        return nxt == "/" or (prev_word is not None and prev_word.lower in _EN_NUMBERED) or (
            t.upper and nxt in ("and", "or", "&", "-", "–") and after in _ROMAN) or (
            t.upper and prev_word is not None and not prev_opens and not prev_word.lower_start
            and not prev_word.upper and follows in _EN_AFTER_NUMERAL)
    if t.lower == "u":
        return nxt == "-"
    if t.upper and len(t.lower) >= 2 and not (prev_word is not None and prev_word.upper):
        return t.lower == "us"  # "the US", unless the words around are capitals too ("WE LOVE US")
    # a capital inside a sentence: a label or a title ("tap My Account", "Call Me Maybe")
    return t.person == "i" and not opens_sentence and not t.lower_start and not t.upper


def _measure(surface: _Surface, doc, lang: str,  # noqa: C901 - one pass, many counters
             address: dict[str, list[str]] | None = None) -> dict[str, float]:
    """Every feature of one text; ``address``, when given, collects the words counted for each person."""
    text, no_links = surface.text, surface.no_links

    def said(person: str, i: int, negated: int | None = None) -> None:
        if address is not None:  # a negative imperative as written: "Non perdere", not "perdere" (an Italian review)
            address.setdefault(person, []).append(doc[i].text if negated is None
                                                  else " ".join(doc[negated:i + 1].text.split()))

    plain = _unquoted(no_links)  # what the brand itself wrote: someone else's quoted words left out
    emoji = len(_EMOJI.findall(plain))  # a quoted customer's 😍 is not the brand's

    tokens = _spellings(doc, lang)
    glued = doc.to_array("SPACY").tolist() if len(doc) else []  # 1: white space follows
    starts = _sentence_starts(tokens)
    first_words = []  # each sentence's first word ("Un'" too); a sentence without one is not counted
    lower_starts = 0
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(tokens)
        first_content = True  # a sentence opening with a number ("250 g a 14 €") starts with no case
        for j in range(start, end):
            if tokens[j].has_letter:
                first_words.append(j)
                if first_content and tokens[j].lower_start:
                    lower_starts += 1
                break
            if tokens[j].has_digit or tokens[j].placeholder:  # "#BlackFriday deals": no case to judge
                first_content = False
    n_sents = len(first_words)

    words: list[str] = []
    n_raw = caps = numbers = letters = syllables = function_words = 0
    per = {"i": 0, "we": 0, "you": 0, "contr": 0, "io": 0, "noi": 0, "tu": 0, "voi": 0, "lei": 0}
    first_of_sentence = set(first_words)
    quoted = _quoted_tokens(tokens, glued)
    idioms = _idiom_tokens(tokens, lang) if lang in _IDIOMS else set()
    prev_lower = ""
    prev_word: _Spelling | None = None
    prev_index = -1
    addressing = False  # whether the sentence so far greets the reader or says tu (Italian imperatives)
    last_person = ""  # the person counted for the word just before (an "I" of "Id" is taken back)
    lei_openings = 0
    named = False  # whether a capitalised word inside a sentence (a name: "ospitiamo Marta Neri") came before
    greeted = len(first_words) > 1 and tokens[first_words[0]].lower in _IT_SALUTATIONS
    for i, t in enumerate(tokens):
        kind = t.kind
        if i in first_of_sentence:
            addressing = False
        if kind == _SKIP:
            prev_lower = ""
            if not t.newline and t.lower.strip():
                prev_word = None
            continue
        if kind == _NUMBER:
            numbers += 1
            words.append("<num>")
            prev_word, last_person = None, ""
            continue
        tail = False  # a piece spaCy split off the word before ("'re", "n't", "'s"): part of that word
        if t.contraction:
            c = t.contraction
            # a bare tail counts glued to the word spaCy split it from ("dont"), not after a mark ("(d)")
            attached = lang == "en" and i > 0 and not glued[i - 1] and tokens[i - 1].kind == _WORD
            tail = attached  # written with no space before it: "we're", "Dana's", "dont", "thats", "Wed"
            contracted = False
            if c == _CONTRACTION or (c == _BARE_TAIL and attached) or (c == _BARE_M and attached
                                                                       and prev_lower == "i"):
                contracted = True
            elif c == _POSSESSIVE_S or (c == _BARE_S and attached):
                if prev_lower in _EN_S_HOSTS:
                    contracted = True
                    if prev_lower == "let":  # let's: first person plural
                        per["we"] += 1
            elif c == _BARE_D and attached and prev_lower in _EN_D_HOSTS:
                if prev_lower in ("we", "i") and last_person:  # "Wed", "ID": a word, not "we'd", "I'd"
                    per[last_person] -= 1
                else:
                    contracted = True
            if contracted:
                per["contr"] += 1
                if address is not None:  # the word as written, host and tail: "it's", not "'s"
                    address.setdefault("contraction", []).append(doc[i - 1].text + doc[i].text if attached
                                                                  else doc[i].text)
        prev_lower = t.lower
        last_person = ""
        if kind == _MARK:
            prev_word = None if not t.opening_quote else prev_word
            continue
        # "well-made", "easy-to-pack", "e-mail", "socio-economico": spaCy splits a word at its hyphens, a reader
        # does not. Counted apart, "a well-made, long-lasting, easy-to-pack pick" had 15 words a sentence for 11
        # (a brand manager's review).
        joined = (not tail and i > 1 and tokens[i - 1].lower in _HYPHENS and not glued[i - 1] and not glued[i - 2]
                  and tokens[i - 2].kind == _WORD)
        if joined:  # its letters and syllables are the compound's (readability counts every syllable)
            letters += t.letters
            syllables += t.syllables
            continue
        if tail:
            # "We're", "Dana's", "dont": one word as a reader counts it, its letters that word's. Counted as two,
            # "We're opening a new cafe" had 36 words for 32 and 3.5 letters a word (a brand manager's review).
            letters += t.letters
            continue
        words.append(t.lower)
        n_raw += 1
        if lang == "it" and t.lower in _IT_GREETINGS and (i in first_of_sentence or prev_word is None):
            addressing = True  # "Ciao Marco, passa in negozio", "🎉 Ciao! ..."
        letters += t.letters
        caps += t.caps
        syllables += t.syllables
        function_words += t.function_word
        if i in quoted:
            pass  # someone else's words («Sei la migliore pasticceria!» ci ha scritto Anna): no one is addressed
        elif (t.formal_cap and i in first_of_sentence and t.lower == "lei" and i != first_words[0]
              and not (greeted and i == first_words[1]) and (len(words) - 1 > 4 or named)):
            # "Lei" opening a later sentence is as often "she" ("Giulia ha tostato il lotto. Lei lo consiglia
            # in moka", "Giovedì ospitiamo Marta Neri. Lei racconterà..."), unless it follows no more than a
            # greeting ("Gentile signor Mario Rossi. Lei ha ragione") or four words naming no one: formal only
            # if the text addresses the reader as Lei elsewhere (counted below).
            lei_openings += 1
            said("lei?", i)
        elif t.formal_cap and (i not in first_of_sentence or t.lower == "lei"):
            # "la Sua pratica", "è Suo", not "il bartender Sue" (a name); "dare del Lei" names the register
            if prev_word is None or (prev_word.lower in _IT_POSSESSIVE_BEFORE if t.lower != "lei"
                                     else prev_word.lower != "del"):
                per["lei"] += 1
                said("lei", i)
        elif (t.formal_clitic and i + 1 < len(tokens) and tokens[i + 1].kind == _WORD and tokens[i + 1].lower_start
              and not (i > 0 and tokens[i - 1].opening_quote)  # «La moka perfetta»: a title
              and (i not in first_of_sentence or tokens[i + 1].lower in _IT_COURTESY_VERBS)):  # "Le ricordiamo"
            per["lei"] += 1
            said("lei", i)
        elif t.person and i not in idioms and not (
                _addresses_no_one(tokens, i, prev_word, i in first_of_sentence, addressing) if lang == "it"
                else _names_no_one(tokens, i, prev_word, i in first_of_sentence, prev_index in first_of_sentence)):
            per[t.person] += 1
            said(t.person, i)
            last_person = t.person
            addressing = addressing or t.person == "tu"
        elif lang == "it" and t.person is None and prev_word is not None and (
                by_context := _address_by_context(t, prev_word, prev_index in first_of_sentence, tokens, i)):
            per[by_context] += 1
            said(by_context, i, prev_index if by_context != "voi" and prev_word.lower == "non" else None)
            addressing = addressing or by_context == "tu"
        elif lang == "it" and t.person is None and i not in idioms and _voi_before_infinitive(tokens, i, prev_word):
            per["voi"] += 1
            said("voi", i)
        named = named or (i not in first_of_sentence and not t.lower_start and not t.upper and not t.formal_cap
                          and not t.formal_clitic)  # "Grazie, La ricontatteremo" names no one
        prev_word, prev_index = t, i
    if per["lei"]:
        per["lei"] += lei_openings
        if address is not None:
            address["lei"] = address.get("lei?", []) + address.get("lei", [])
    n_words = max(len(words), 1)
    n_sents = max(n_sents, 1)
    per100 = 100.0 / n_words

    def count(chars: str) -> int:
        return sum(no_links.count(c) for c in chars)

    def weighted(marks: dict[str, int], within: str = no_links) -> int:
        return sum(within.count(c) * n for c, n in marks.items())

    unquoted = plain if quoted else no_links  # a customer's "!" is not the brand's

    values: dict[str, float] = {
        "words": float(len(words)),
        "sentence_length": len(words) / n_sents,
        "word_length": letters / max(n_raw, 1),
        "exclamation_rate": weighted(_EXCLAMATIONS, unquoted) * per100,
        "question_rate": weighted(_QUESTIONS, unquoted) * per100,
        "ellipsis_rate": (no_links.count("...") + no_links.count("…")) * per100,  # ". . ." made "…"
        "emoji_rate": emoji * per100,
        "hashtag_rate": surface.hashtags * per100,
        "mention_rate": surface.mentions * per100,
        "link_rate": surface.links * per100,
        "caps_rate": caps * per100,
        "number_rate": numbers * per100,
        "comma_rate": len(_COMMAS.findall(no_links)) * per100,
        "colon_rate": len(_COLONS.findall(no_links)) * per100,
        "dash_rate": len(_DASHES.findall(no_links)) * per100,
        # an aside in brackets counts once: "(analcolico!)" was "brackets: 2 in 12 words" (a review)
        "paren_rate": max(count("(["), count(")]") - len(_LIST_NUMBER.findall(no_links))) * per100,
        "quote_rate": count("\"“”«»") * per100,
        "lowercase_start": 100.0 * lower_starts / n_sents,
        "lexical_diversity": _mattr(words),
        "function_word_share": (100.0 * function_words / n_words) if lang in _STOP else 0.0,
    }
    for name, pattern in _LEXICONS.get(lang, {}).items():
        values[name] = len(pattern.findall(unquoted)) * per100
    if lang in _FOREIGN_LANGS:
        values["other_language_rate"] = len(_foreign_in(plain, lang)) * per100
    if lang == "en":
        asl = len(words) / n_sents
        asw = syllables / max(n_raw, 1)
        values.update({
            "first_singular_rate": per["i"] * per100,
            "first_plural_rate": per["we"] * per100,
            "second_person_rate": per["you"] * per100,
            "contraction_rate": per["contr"] * per100,
            # Clipped to the formula's usual range; a text without words reads as neutral 0.
            "readability": min(max(206.835 - 1.015 * asl - 84.6 * asw, 0.0), 121.22) if n_raw else 0.0,
        })
    elif lang == "it":
        values.update({
            "io_rate": per["io"] * per100,
            "noi_rate": per["noi"] * per100,
            "tu_rate": per["tu"] * per100,
            "voi_rate": per["voi"] * per100,
            "lei_rate": per["lei"] * per100,
            "gulpease": min(max(89.0 + (300.0 * n_sents - 10.0 * letters) / n_words, 0.0), 100.0)
            if n_raw else 0.0,
        })
    for k, v in values.items():
        if not math.isfinite(v):
            values[k] = 0.0
    return values
