"""Lexical habits: character and word n-grams, and the brand's own vocabulary.

N-grams are hashed into a fixed space, so a profile's size does not grow with the
number of posts it learned from and nothing but arrays is saved. Words are kept
separately (a capped vocabulary with document frequencies) to explain a score in
words: the brand's characteristic words, and words it never uses.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Sequence

import numpy as np
import scipy.sparse as sp

from .hashing import char_ngram_counts, word_ngram_counts
from .language import ITALIAN_ELIDED_ARTICLES
from .links import HANDLE, LINK

__all__ = ["NgramFeaturizer", "WordStats", "content_words", "vocabulary_words", "neutralise", "new_word_rate"]

N_FEATURES = 2 ** 18
_TOKEN = re.compile(r"(?u)\b\w+\b|[^\w\s]")  # words and single punctuation marks, for word n-grams
_NUMBER = re.compile(r"\d")
# A word, with its apostrophe ("we're", "it's"); an Italian elided article or preposition before it is left out
# ("l'olio", "dell'azienda", "c'è" are the words "olio", "azienda", "è"): group 1 is the word.
_WORD = re.compile(rf"(?:\b(?i:{'|'.join(ITALIAN_ELIDED_ARTICLES)}|c(?=.[eè]))['’](?=[^\W\d_]))?"
                   r"([^\W\d_]+(?:['’][^\W\d_]+)?)", re.UNICODE)


def neutralise(text: str) -> str:
    """Replace what names a recipient or a page rather than the writer's habits.

    Links become ``URL``, @handles ``@user`` and digits ``0``: the shape of the
    habit stays (the brand puts a link at the end, answers with @handle) but not
    the accidental string.
    """
    text = LINK.sub(" URL ", text)
    text = HANDLE.sub("@user", text)
    return _NUMBER.sub("0", text)


def _without_links(text: str) -> str:
    return HANDLE.sub(" ", LINK.sub(" ", text))


def _words(text: str) -> list[str]:
    return _WORD.findall(_without_links(text))


def _key(word: str) -> str:
    """How words are counted: lower case, one kind of apostrophe."""
    return word.lower().replace("’", "'")


def _starts_sentence(before: str) -> bool:
    """Whether a word preceded by ``before`` may open a sentence (so its capital says nothing about it).

    After an end mark, a colon, a line break or an emoji (a heading, a greeting after a
    title), or at the start; opening quotes, brackets and dashes in between are skipped.
    """
    for ch in reversed(before):
        if ch in ".!?…:\n" or unicodedata.category(ch).startswith("S"):
            return True
        if ch.isalnum():
            return False
    return True


# Words that come right before a name: a greeting or thanks to the reader ("Hi Marcus", "Grazie Giulia").
_GREETINGS = frozenset((
    "hi hey hello dear thanks thank thx ciao salve gentile gentilissimo gentilissima caro cara cari care "
    "buongiorno buonasera grazie").split())
_SIGN_OFF_MARKS = "-–—^~*/"
# What may follow a signature to the end of a post: an initial, marks, emoji, white space ("-Rad", "^AB", "- Nod").
_AFTER_SIGNATURE = re.compile(r"(?:\W*[^\W\d_]\.?)?[\W_]*$")


def _names_someone(clean: str, found: Sequence[re.Match], i: int) -> bool:
    """Whether a word stands where a post names a person: after a greeting ("Hi Marcus") or as a signature.

    A signature is a word after a dash, a caret or a tilde that closes the post ("... soon! -Anwar", "^tara").
    Support desks greet each customer and sign each reply, so the names of readers and agents would
    otherwise head the brand's characteristic words.
    """
    m = found[i]
    start = m.start(1)
    if i and m.group(1)[0].isupper() and _key(found[i - 1].group(1)) in _GREETINGS:
        if clean[found[i - 1].end(1):start].strip() in ("", ","):  # not "... thanks. Whoever you are"
            return True
    before = clean[max(0, start - 3):start].rstrip()
    return bool(before) and before[-1] in _SIGN_OFF_MARKS and bool(_AFTER_SIGNATURE.match(clean, m.end(1)))


#: The months in English and Italian (as ``_key`` writes words: lower case), left out of characteristic words.
_MONTHS = frozenset((
    "january february march april may june july august september october november december "
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre").split())


def content_words(text: str) -> list[str]:
    """Lower-case words of ``text``, links and handles left out."""
    return [_key(w) for w in _words(text)]


def vocabulary_words(text: str) -> tuple[list[str], list[str]]:
    """``content_words(text)`` and the words written in lower case, from one split of the text.

    Lower-case words that are new are vocabulary; capitalised new ones are mostly names.
    """
    words = _words(text)
    return [_key(w) for w in words], [_key(w) for w in words if w.islower()]


def new_word_rate(common: Sequence[str], n_words: int, vocabulary) -> float:
    """Lower-case words (3+ letters) not in ``vocabulary``, per 100 of the text's ``n_words`` words.

    How new a text's vocabulary is (``common``: the lower-case words of ``vocabulary_words``). Capitalised
    words are left out: the brand's own new posts bring new names all the time, new
    common words far less often.
    """
    if not n_words:
        return 0.0
    return 100.0 * sum(1 for w in common if len(w) > 2 and w not in vocabulary) / n_words


class NgramFeaturizer:
    """Hashed character 1-4-grams and word 1-2-grams with learned idf weights.

    ``fit`` learns only the idf vector; the hashing itself has no state.
    """

    def __init__(self) -> None:
        self.idf_: np.ndarray | None = None

    def counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        clean = [neutralise(t) for t in texts]
        chars = char_ngram_counts(clean, 4, N_FEATURES)
        words = word_ngram_counts([c.lower() for c in clean], _TOKEN, 2, N_FEATURES)
        m = sp.hstack([chars, words], format="csr", dtype=np.float32)
        m.data = 1.0 + np.log(m.data)  # sublinear term frequency
        return m

    def fit(self, texts: Sequence[str]) -> NgramFeaturizer:
        m = self.counts(texts)
        df = np.bincount(m.indices, minlength=m.shape[1]).astype(np.float64)
        self.idf_ = (np.log((1 + m.shape[0]) / (1 + df)) + 1.0).astype(np.float32)
        return self

    def transform(self, texts: Sequence[str], counts: sp.csr_matrix | None = None) -> sp.csr_matrix:
        if self.idf_ is None:
            raise RuntimeError("NgramFeaturizer used before fit")
        m = self.counts(texts) if counts is None else counts.copy()
        m.sum_duplicates()  # canonical CSR: one entry per (row, column)
        m.data *= self.idf_[m.indices]
        rows = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
        norms = np.sqrt(np.bincount(rows, weights=m.data.astype(np.float64) ** 2, minlength=m.shape[0]))
        norms[norms == 0] = 1.0
        m.data /= norms[rows].astype(m.data.dtype)  # L2 rows in place, no diagonal-matrix product
        return m


def _most_common(counts: Counter[str], n: int) -> dict[str, int]:
    """The ``n`` most frequent keys, ties broken by the key: the same whatever order they were counted in."""
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n])


class WordStats:
    """Document frequencies of the brand's words and of everyone else's.

    Keeps the ``max_words`` most frequent words of everyone else's, and ten times as many of the
    brand's: "the brand never writes 'imperdibile'" must hold of every word the brand wrote, not only
    of its 20,000 most frequent (a long-form brand's draft was told off for words of three of its posts:
    an NLP review). Past that, ``brand_cut_`` says how many posts the most frequent word left out was in,
    and no word is said to be one the brand never wrote.
    """

    BRAND_TIMES = 10

    def __init__(self, max_words: int = 20000) -> None:
        self.max_words = max_words
        self.brand_cut_ = 0  # the most posts a brand word left out of brand_df_ was in (0: none left out)
        self.brand_df_: dict[str, int] = {}
        self.other_df_: dict[str, int] = {}
        self.brand_spelling_: dict[str, str] = {}  # how the brand writes a word, where that is not its key
        self.brand_names_: frozenset[str] = frozenset()  # words the brand mostly uses to greet or sign
        self.n_brand_ = 0
        self.n_other_ = 0

    def fit(self, brand: Iterable[str], other: Iterable[str]) -> WordStats:
        """Document frequencies of the brand's words and of everyone else's.

        On the other side, names are left out: words written with a capital inside a
        sentence and never in lower case there (its people, brands, towns). They are not
        words the brand "avoids", and would otherwise fill the voice card's list of them.
        """
        spellings: dict[str, Counter[str]] = {}
        named: Counter[str] = Counter()
        b, self.n_brand_ = self._df(brand, spellings=spellings, named=named)
        o, self.n_other_ = self._df(other, drop_names=True)
        # Ties at the cut by the word itself: Counter keeps the order words were first counted in, which follows
        # the hash seed of a set, so a contrast of over 20,000 words gave another profile version each run.
        self.brand_df_ = _most_common(b, self.BRAND_TIMES * self.max_words)
        self.brand_cut_ = max((n for w, n in b.items() if w not in self.brand_df_), default=0)
        self.other_df_ = _most_common(o, self.max_words)
        self.brand_spelling_ = {}
        for key in self.brand_df_:
            if key in spellings:  # ties by spelling: the same card every run
                written = spellings[key]
                # Capitals for emphasis ("NUOVO") are not how the word is spelled when it is also written otherwise.
                plain = {w: n for w, n in written.items() if not (w.isupper() and len(w) > 1)} or written
                usual = min(plain.items(), key=lambda x: (-x[1], x[0]))[0]
                if usual != key:
                    self.brand_spelling_[key] = usual
        # A word the brand uses to greet or sign in most of the posts it is in is a person's name.
        self.brand_names_ = frozenset(k for k, n in named.items() if k in self.brand_df_ and 2 * n >= self.brand_df_[k])
        return self

    @staticmethod
    def _df(texts: Iterable[str], *, drop_names: bool = False, spellings: dict[str, Counter[str]] | None = None,
            named: Counter[str] | None = None) -> tuple[Counter[str], int]:
        """Document frequencies by key; ``spellings`` collects how each word is written inside a sentence,
        ``named`` in how many posts each word greets or signs (``_names_someone``)."""
        df: Counter[str] = Counter()
        lower: set[str] = set()
        capitalised: set[str] = set()
        n = 0
        for t in texts:
            n += 1
            clean = _without_links(t)
            found = list(_WORD.finditer(clean))  # the words of content_words(t), with where they stand
            df.update({_key(m.group(1)) for m in found})
            if named is not None:
                named.update({_key(m.group(1)) for i, m in enumerate(found) if _names_someone(clean, found, i)})
            if drop_names or spellings is not None:
                for m in found:
                    w = m.group(1)
                    # after an elided article the word's own capital is a name's: "L'Ogliarola", "l'Etiopia"
                    opens = _starts_sentence(clean[max(0, m.start(1) - 12):m.start(1)])
                    if spellings is not None and not opens:  # a capital that opens a sentence says nothing
                        spellings.setdefault(_key(w), Counter())[w.replace("’", "'")] += 1
                    if w.islower():
                        lower.add(_key(w))
                    elif w[0].isupper() and not opens:
                        capitalised.add(_key(w))
        if drop_names:
            for name in capitalised - lower:
                del df[name]
        return df, n

    def log_odds(self, word: str) -> float:
        """Smoothed log-odds of the word in brand posts against everyone else's (Monroe et al.)."""
        b = self.brand_df_.get(word, 0)
        o = self.other_df_.get(word, 0)
        pb = (b + 0.5) / (self.n_brand_ + 1.0)
        po = (o + 0.5) / (self.n_other_ + 1.0)
        return math.log(pb / (1 - min(pb, 0.999))) - math.log(po / (1 - min(po, 0.999)))

    def spelled(self, word: str) -> str:
        """``word`` as the brand writes it inside a sentence ('Colombia', "l'Etiopia", 'caffè'), for people to read."""
        return self.brand_spelling_.get(word, word)

    def characteristic(self, n: int = 15, min_df: int = 3) -> list[tuple[str, float]]:
        """Words the brand uses far more than others do; not the names of months, which say when its posts were
        written, not how (a B2B card's characteristic words were "April, February, January, October, August": a
        content head's review)."""
        cands = [(w, self.log_odds(w)) for w, df in self.brand_df_.items()
                 if df >= min_df and len(w) > 2 and w not in self.brand_names_ and w not in _MONTHS]
        return sorted(cands, key=lambda x: (-x[1], x[0]))[:n]  # ties by word: the same card every run

    def avoided(self, n: int = 15, min_df: int = 5, skip: Collection[str] = ()) -> list[tuple[str, float]]:
        """Common words elsewhere that the brand never or hardly uses; ``skip``: words that say nothing of a voice
        when absent (the language's function words)."""
        cands = [(w, self.log_odds(w)) for w, df in self.other_df_.items()
                 if df >= min_df and len(w) > 2 and self.brand_df_.get(w, 0) == 0 and w not in skip]
        return sorted(cands, key=lambda x: (x[1], x[0]))[:n]

    def unseen(self, words: Sequence[str]) -> list[str]:
        """Words (3+ letters) of a draft that the brand has never written, in the draft's order.

        Not the most common elsewhere first, as before: that named "drive", "class" and "value" for a draft
        of "omnichannel synergies" and "leveraging" (a brand manager's review). In the draft's order the
        first new words are named, and the reader finds them where they stand.
        """
        if self.brand_cut_:  # a word not kept may still be one the brand wrote: none is named as new
            return []
        return list(dict.fromkeys(w for w in words if len(w) > 2 and w not in self.brand_df_))

    def to_json(self) -> dict:
        return {"max_words": self.max_words, "brand_cut": self.brand_cut_, "n_brand": self.n_brand_,
                "n_other": self.n_other_, "brand_df": self.brand_df_, "other_df": self.other_df_,
                "brand_spelling": self.brand_spelling_,
                "brand_names": sorted(self.brand_names_)}

    @classmethod
    def from_json(cls, data: dict) -> WordStats:
        ws = cls(int(data["max_words"]))
        ws.n_brand_ = int(data["n_brand"])
        ws.n_other_ = int(data["n_other"])
        ws.brand_df_ = {str(k): int(v) for k, v in data["brand_df"].items()}
        ws.other_df_ = {str(k): int(v) for k, v in data["other_df"].items()}
        # Profiles learned before it kept the brand's words to max_words: a full list was likely cut
        ws.brand_cut_ = int(data.get("brand_cut", 1 if len(ws.brand_df_) >= ws.max_words else 0))
        # Profiles learned before spellings were kept show their words in lower case, as they did.
        ws.brand_spelling_ = {str(k): str(v) for k, v in data.get("brand_spelling", {}).items()}
        ws.brand_names_ = frozenset(str(k) for k in data.get("brand_names", ()))  # none in older profiles
        return ws
