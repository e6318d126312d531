"""Term counts of space-separated lemma strings, computed on arrays.

`term_counts` gives what scikit-learn's ``CountVectorizer(token_pattern=r"\\S+",
lowercase=False, ngram_range=...)`` gives (``fit_transform`` and
``get_feature_names_out``), down to the order of the stored entries, so every score computed
from it keeps its last bit. The vectorizer builds each n-gram string and looks it up in a
dict, one Python call per occurrence; here the words are numbered once (pandas'
factorize) and an n-gram is a number made of its words' numbers, so only the distinct
n-grams become strings. On the benchmark's 26,000 segments (0.66 million lemmas) the
unigram-and-bigram counts take about half the vectorizer's time; three stages count them
(automatic coding, the representation, the category memos).
"""
from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse


def term_counts(texts: Sequence[str], ngram_range: tuple[int, int] = (1, 2)
                ) -> tuple[np.ndarray, sparse.csr_matrix]:
    """(term names in sorted order, texts x terms int64 counts). A text with no words is an
    empty row; with no words anywhere there are no columns."""
    lo, hi = ngram_range
    words = [t.split() for t in texts]
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    flat = np.fromiter(itertools.chain.from_iterable(words), dtype=object,
                       count=int(lengths.sum()))
    if not len(flat):
        return np.array([], dtype=object), sparse.csr_matrix((len(texts), 0), dtype=np.int64)
    ids, vocab = pd.factorize(flat)
    if sum(len(vocab) ** n for n in range(lo, hi + 1)) >= 2 ** 62:  # keys would overflow
        return _vectorizer_counts(texts, ngram_range)
    keys, rows = _ngram_keys(ids.astype(np.int64), lengths, len(vocab), lo, hi)
    # Numbered in order of first appearance, as the vectorizer's dict numbers them; a
    # row's entries are stored in that order, then renumbered alphabetically.
    codes, distinct = pd.factorize(keys)
    n_terms = len(distinct)
    pairs, counts = np.unique(rows * n_terms + codes, return_counts=True)
    row_of, col = np.divmod(pairs, n_terms)
    names = _names(distinct, np.asarray(vocab, dtype=object), len(vocab), lo, hi)
    order = np.argsort(names, kind="stable")
    rank = np.empty(n_terms, dtype=np.int64)
    rank[order] = np.arange(n_terms)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(row_of, minlength=len(texts)))])
    index = np.int32 if len(pairs) < np.iinfo(np.int32).max else np.int64
    X = sparse.csr_matrix((counts.astype(np.int64), rank[col].astype(index),
                           indptr.astype(index)), shape=(len(texts), n_terms))
    return names[order], X


def _vectorizer_counts(texts: Sequence[str], ngram_range: tuple[int, int]
                       ) -> tuple[np.ndarray, sparse.csr_matrix]:
    from sklearn.feature_extraction.text import CountVectorizer

    vec = CountVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=ngram_range)
    X = vec.fit_transform(texts)
    return vec.get_feature_names_out().astype(object), sparse.csr_matrix(X)


def _ngram_keys(ids: np.ndarray, lengths: np.ndarray, n_words: int, lo: int, hi: int
                ) -> tuple[np.ndarray, np.ndarray]:
    """One number per n-gram occurrence and the row it occurs in, in the vectorizer's
    order: a text's unigrams, then its bigrams, and so on, text after text."""
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    length_at = np.repeat(lengths, lengths)
    pos = np.arange(len(ids)) - np.repeat(starts, lengths)
    row = np.repeat(np.arange(len(lengths)), lengths)
    per_row = [np.maximum(lengths - n + 1, 0) for n in range(lo, hi + 1)]
    out_start = np.concatenate([[0], np.cumsum(sum(per_row))[:-1]])
    keys = np.empty(int(sum(p.sum() for p in per_row)), dtype=np.int64)
    rows = np.empty(len(keys), dtype=np.int64)
    base, before = 0, np.zeros(len(lengths), dtype=np.int64)
    for n, count in zip(range(lo, hi + 1), per_row):
        at = np.nonzero(pos + n <= length_at)[0]
        key = np.zeros(len(at), dtype=np.int64)
        for j in range(n):
            key = key * n_words + ids[at + j]
        where = out_start[row[at]] + before[row[at]] + pos[at]
        keys[where] = key + base
        rows[where] = row[at]
        base += n_words ** n
        before += count
    return keys, rows


def _names(keys: np.ndarray, vocab: np.ndarray, n_words: int, lo: int, hi: int
           ) -> np.ndarray:
    """The n-gram strings of the distinct keys."""
    names = np.empty(len(keys), dtype=object)
    base = 0
    for n in range(lo, hi + 1):
        span = n_words ** n
        sel = np.nonzero((keys >= base) & (keys < base + span))[0]
        k = keys[sel] - base
        parts = [vocab[(k // n_words ** (n - 1 - j)) % n_words] for j in range(n)]
        names[sel] = parts[0] if n == 1 else [" ".join(p) for p in zip(*parts)]
        base += span
    return names
