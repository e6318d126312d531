"""TF-IDF over lemma strings, shared by coding (similarity, model) and representation."""
from __future__ import annotations

from collections.abc import Sequence

from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer


def lemma_vectorizer(min_df: int = 2, max_df: float = 1.0,
                     ngram_range: tuple[int, int] = (1, 2)) -> TfidfVectorizer:
    # Input is already lemmatised and filtered, space separated.
    return TfidfVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=ngram_range,
                           min_df=min_df, max_df=max_df, sublinear_tf=True)


def fit_lemmas(texts: Sequence[str], min_df: int, max_df: float = 1.0,
               ngram_range: tuple[int, int] = (1, 2)
               ) -> tuple[TfidfVectorizer, sparse.csr_matrix | None]:
    """Fit on the texts. A small corpus cannot demand a term in more documents than it has;
    when pruning leaves no term (tiny or disjoint texts) every term is kept; a corpus with no
    words at all has no space (None)."""
    first = (min(min_df, max(1, len(texts) - 1)), max_df)
    vectorizer = lemma_vectorizer(*first, ngram_range)
    for lo, hi in dict.fromkeys((first, (1, 1.0))):
        vectorizer = lemma_vectorizer(lo, hi, ngram_range)
        try:
            return vectorizer, vectorizer.fit_transform(texts)
        except ValueError:
            continue
    return vectorizer, None
