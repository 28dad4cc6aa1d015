"""Hashed n-gram counts, vectorised: the exact columns of scikit-learn's HashingVectorizer.

Why not HashingVectorizer itself: it builds every character n-gram as a Python
string and hashes them one by one, about a third of the time voicecheck adds to
the Italian model's per-post cost, and importing scikit-learn adds about a second
to every CLI run. Here MurmurHash3 (32 bit, seed 0, the hash scikit-learn uses)
runs over all n-grams of a batch at once in numpy. The columns are the same as
HashingVectorizer's (``analyzer="char"``, and ``"word"`` with a token pattern;
``alternate_sign=False``, no norm), so profiles learned either way agree; a test
compares the two matrices on mixed-script text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

__all__ = ["murmurhash3_32", "char_ngram_counts", "word_ngram_counts"]

_C1, _C2 = np.uint32(0xCC9E2D51), np.uint32(0x1B873593)
_WHITE_SPACES = re.compile(r"\s\s+")  # HashingVectorizer's own whitespace rule for char n-grams


def _rotl(x: np.ndarray, r: int) -> np.ndarray:
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def _fmix(h: np.ndarray) -> np.ndarray:
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


def murmurhash3_32(data: np.ndarray, begin: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Signed MurmurHash3_x86_32 (seed 0) of the byte strings ``data[begin:begin+length]``.

    ``data`` must have at least 3 spare bytes after the last key (tail reads are masked).
    """
    begin = begin.astype(np.int64)
    length = length.astype(np.int64)
    h = np.zeros(len(begin), dtype=np.uint32)
    nblocks = length // 4
    d = data.astype(np.uint32)
    # Block j is mixed into the keys that have more than j blocks; the live set shrinks as j grows,
    # so one very long key costs its own blocks, not a pass over all keys.
    live = np.nonzero(nblocks)[0]
    j = 0
    while len(live):
        at = begin[live] + 4 * j
        k = d[at] | (d[at + 1] << np.uint32(8)) | (d[at + 2] << np.uint32(16)) | (d[at + 3] << np.uint32(24))
        k = _rotl(k * _C1, 15) * _C2
        x = _rotl(h[live] ^ k, 13)
        h[live] = x * np.uint32(5) + np.uint32(0xE6546B64)
        j += 1
        live = live[nblocks[live] > j]
    tail = length % 4
    live = np.nonzero(tail)[0]
    if len(live):
        at = begin[live] + 4 * nblocks[live]
        t = tail[live]
        k = d[at] | np.where(t > 1, d[at + 1] << np.uint32(8), 0) | np.where(t > 2, d[at + 2] << np.uint32(16), 0)
        k = _rotl(k.astype(np.uint32) * _C1, 15) * _C2
        h[live] ^= k
    h ^= length.astype(np.uint32)
    return _fmix(h).view(np.int32)


def _columns(hashes: np.ndarray, n_features: int) -> np.ndarray:
    """Column of each hash, as scikit-learn's FeatureHasher computes it (abs, then modulo)."""
    h = hashes.astype(np.int64)
    col = np.abs(h) % n_features
    col[h == -(2 ** 31)] = (2 ** 31 - 1 - (n_features - 1)) % n_features
    return col


def _count_matrix(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_features: int) -> sp.csr_matrix:
    """Counts of (row, column) pairs as canonical CSR (sorted, no duplicates), float32."""
    m = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n_rows, n_features))
    m.sum_duplicates()
    return m


def _encode(strings: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """All strings' UTF-8 bytes in one array (plus spare bytes), and where each string starts."""
    encoded = [s.encode("utf-8", "surrogatepass") for s in strings]
    sizes = np.fromiter((len(b) for b in encoded), dtype=np.int64, count=len(encoded))
    starts = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(sizes, out=starts[1:])
    data = np.frombuffer(b"".join(encoded) + b"\0\0\0\0", dtype=np.uint8)
    return data, starts


def char_ngram_counts(texts: Sequence[str], n_max: int, n_features: int) -> sp.csr_matrix:
    """Counts of every character 1..n_max-gram of each text, hashed into ``n_features`` columns."""
    texts = [_WHITE_SPACES.sub(" ", t) for t in texts]
    data, starts = _encode(texts)
    # Character boundaries: every byte that does not continue a multi-byte UTF-8 character.
    is_start = (data[:-4] & 0xC0) != 0x80
    char_at = np.nonzero(is_start)[0]
    row_of_char = np.searchsorted(starts, char_at, side="right") - 1
    # Boundaries per text with a sentinel end: char k of text r spans [bound[k], bound[k+1]).
    n_chars = np.bincount(row_of_char, minlength=len(texts))
    first = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(n_chars + 1, out=first[1:])
    bound = np.empty(first[-1], dtype=np.int64)
    slot = np.arange(len(char_at)) + row_of_char  # each text gets one extra slot for its end
    bound[slot] = char_at
    bound[first[1:] - 1] = starts[1:]
    pos_in_text = np.arange(len(char_at)) - (first[row_of_char] - row_of_char)
    left = n_chars[row_of_char] - pos_in_text  # characters from each one to its text's end
    begins, lengths, rows = [], [], []
    for n in range(1, n_max + 1):
        ok = left >= n  # an n-gram starts here when n characters remain
        s = slot[ok]
        begins.append(bound[s])
        lengths.append(bound[s + n] - bound[s])
        rows.append(row_of_char[ok])
    begin, length, row = np.concatenate(begins), np.concatenate(lengths), np.concatenate(rows)
    cols = _columns(murmurhash3_32(data, begin, length), n_features)
    return _count_matrix(row, cols, len(texts), n_features)


def word_ngram_counts(texts: Sequence[str], token: re.Pattern[str], n_max: int,
                      n_features: int) -> sp.csr_matrix:
    """Counts of the word 1..n_max-grams (tokens joined by a space) of each text, hashed."""
    grams: list[str] = []
    rows: list[int] = []
    for r, text in enumerate(texts):
        tokens = token.findall(text)
        before = len(grams)
        grams.extend(tokens)
        for n in range(2, min(n_max, len(tokens)) + 1):
            grams.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
        rows.extend([r] * (len(grams) - before))
    data, starts = _encode(grams)
    cols = _columns(murmurhash3_32(data, starts[:-1], np.diff(starts)), n_features)
    return _count_matrix(np.asarray(rows, dtype=np.int64), cols, len(texts), n_features)
