"""Vectorised n-gram hashing gives exactly scikit-learn's HashingVectorizer columns and counts."""

import random
import re

import numpy as np
import pytest
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils import murmurhash3_32 as sk_murmur

from voicecheck.hashing import char_ngram_counts, murmurhash3_32, word_ngram_counts

N = 2 ** 18
TOKEN = r"(?u)\b\w+\b|[^\w\s]"
EDGE = ["", "a", "ab", "abc", "abcd", "abcde", "😀", "  ", "\n", "a  \t b", "Ciao! È già qui 😀🇮🇹", "ß" * 9,
        "漢字かな", "x" * 80, "l'anno, l’anno", "\x00zero"]


def _random_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    alphabet = list("abcde fghij\n\t.,!?'àèéìòù€😀🇮🇹ß漢字") + ["  ", "\r\n", "voi ", "tu "]
    return [("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))) for _ in range(n)]


def test_murmurhash_matches_scikit_learn_on_every_tail_length():
    keys = [k.encode() for k in ["", "a", "ab", "abc", "abcd", "abcde", "😀", "espresso doppio", "x" * 33, "ab" * 2001]]
    data = np.frombuffer(b"".join(keys) + b"\0" * 4, dtype=np.uint8)
    sizes = np.array([len(k) for k in keys])
    begin = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    ours = murmurhash3_32(data, begin, sizes)
    assert ours.tolist() == [sk_murmur(k, seed=0) for k in keys]


@pytest.mark.parametrize("seed", [0, 1])
def test_char_ngrams_equal_hashing_vectorizer(seed):
    texts = EDGE + _random_texts(400, seed)
    reference = HashingVectorizer(analyzer="char", ngram_range=(1, 4), n_features=N, alternate_sign=False,
                                  norm=None, lowercase=False, dtype=np.float32).transform(texts)
    ours = char_ngram_counts(texts, 4, N)
    assert ours.shape == reference.shape and ours.has_canonical_format
    assert (ours != reference).nnz == 0


def test_word_ngrams_equal_hashing_vectorizer():
    texts = [t.lower() for t in EDGE + _random_texts(400, 2)]
    reference = HashingVectorizer(analyzer="word", ngram_range=(1, 2), token_pattern=TOKEN, n_features=N,
                                  alternate_sign=False, norm=None, lowercase=False,
                                  dtype=np.float32).transform(texts)
    ours = word_ngram_counts(texts, re.compile(TOKEN), 2, N)
    assert ours.shape == reference.shape and (ours != reference).nnz == 0


def test_no_texts_give_an_empty_matrix():
    assert char_ngram_counts([], 4, N).shape == (0, N)
    assert word_ngram_counts([], re.compile(TOKEN), 2, N).shape == (0, N)
