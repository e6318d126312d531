"""TF-IDF over lemma strings, shared by coding (similarity, model) and representation.

`LemmaTfidf` is scikit-learn's ``TfidfVectorizer(token_pattern=r"\\S+", lowercase=False,
sublinear_tf=True, min_df=..., max_df=..., ngram_range=...)``, with the counting done by
`pipeline.nlp.counts` (several times faster on bigrams) and the weighting by scikit-learn's
own `TfidfTransformer`. Its matrices equal the vectorizer's, entry for entry and bit for bit
(tests/nlp/test_tfidf.py compares them)."""
from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer

from pipeline.nlp.counts import term_counts


class LemmaTfidf:
    """TF-IDF of space-separated, already lemmatised and filtered text (case is kept)."""

    def __init__(self, min_df: int | float = 2, max_df: int | float = 1.0,
                 ngram_range: tuple[int, int] = (1, 2)):
        self.min_df = min_df
        self.max_df = max_df
        self.ngram_range = ngram_range

    def fit_transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Learn the vocabulary (terms in at least min_df and at most max_df texts) and the
        inverse document frequencies; the texts' L2-normalised rows. ValueError, as the
        vectorizer raises it, when no term is left."""
        names, counts = term_counts(texts, self.ngram_range)
        if not len(names):
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        n = counts.shape[0]
        high = self.max_df if isinstance(self.max_df, Integral) else self.max_df * n
        low = self.min_df if isinstance(self.min_df, Integral) else self.min_df * n
        if high < low:
            raise ValueError("max_df corresponds to < documents than min_df")
        df = np.bincount(counts.indices, minlength=len(names))
        keep = (df >= low) & (df <= high)
        if not keep.any():
            raise ValueError("After pruning, no terms remain. Try a lower min_df or a "
                             "higher max_df.")
        X = _renumbered(counts, np.where(keep, np.cumsum(keep) - 1, -1),
                        int(keep.sum()))
        self.names_ = names[keep]
        self._index = pd.Index(self.names_)
        self._tfidf = TfidfTransformer(sublinear_tf=True).fit(X)
        return self._tfidf.transform(X, copy=False)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Rows of new texts in the fitted space (terms outside the vocabulary dropped)."""
        names, counts = term_counts(texts, self.ngram_range)
        X = _renumbered(counts, self._index.get_indexer(names).astype(np.int64),
                        len(self.names_))
        X.sort_indices()  # as the vectorizer's transform leaves them
        return self._tfidf.transform(X, copy=False)

    def get_feature_names_out(self) -> np.ndarray:
        return self.names_


def _renumbered(X: sparse.csr_matrix, new: np.ndarray, width: int) -> sparse.csr_matrix:
    """X's entries in the columns that have a new number (`new[column]` >= 0), renumbered,
    each row's entries in their stored order (the order the vectorizer leaves them in), as
    floats."""
    column = new[X.indices]
    entry = column >= 0
    rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))[entry]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=X.shape[0]))])
    # Float data from the start: astype() would sort each row's entries.
    return sparse.csr_matrix((X.data[entry].astype(np.float64),
                              column[entry].astype(X.indices.dtype),
                              indptr.astype(X.indptr.dtype)), shape=(X.shape[0], width))


def fit_lemmas(texts: Sequence[str], min_df: int, max_df: float = 1.0,
               ngram_range: tuple[int, int] = (1, 2)
               ) -> tuple[LemmaTfidf, sparse.csr_matrix | None]:
    """Fit on the texts. A small corpus cannot demand a term in more documents than it has;
    when pruning leaves no term (tiny or disjoint texts) every term is kept; a corpus with no
    words at all has no space (None)."""
    first = (min(min_df, max(1, len(texts) - 1)), max_df)
    vectorizer = LemmaTfidf(*first, ngram_range)
    for lo, hi in dict.fromkeys((first, (1, 1.0))):
        vectorizer = LemmaTfidf(lo, hi, ngram_range)
        try:
            return vectorizer, vectorizer.fit_transform(texts)
        except ValueError:
            continue
    return vectorizer, None
