import random

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.nlp.tfidf import LemmaTfidf, fit_lemmas


def test_vectorizer_reads_space_separated_lemmas() -> None:
    vec = LemmaTfidf(min_df=1)
    vec.fit_transform(["grant money", "Grant end"])
    # lemmas arrive lower-cased already, so case is not folded again
    assert list(vec.get_feature_names_out()) == ["Grant", "Grant end", "end", "grant",
                                                 "grant money", "money"]


def test_min_df_shrinks_for_small_corpora_and_falls_back() -> None:
    vec, X = fit_lemmas(["a b", "b c", "c a"], min_df=5, ngram_range=(1, 1))
    assert vec.min_df == 2 and X.shape == (3, 3)
    vec, X = fit_lemmas(["a b", "c d", "e f"], min_df=2, ngram_range=(1, 1))
    assert vec.min_df == 1 and X.shape == (3, 6)  # no shared term: every term kept


def test_no_words_gives_no_space() -> None:
    _, X = fit_lemmas(["", ""], min_df=2)
    assert X is None


def test_pruning_and_weights_by_hand() -> None:
    vec = LemmaTfidf(min_df=2, max_df=1.0, ngram_range=(1, 1))
    X = vec.fit_transform(["fund fund test", "fund board", "board"])
    assert list(vec.get_feature_names_out()) == ["board", "fund"]  # "test": one text only
    # row 0: fund only; tf 1 + ln 2, idf ln(4/3) + 1; one term, so the row normalises to 1
    assert X.toarray()[0].tolist() == [0.0, 1.0]
    assert X.toarray()[2].tolist() == [1.0, 0.0]
    new = vec.transform(["board test unknown", ""]).toarray()
    assert new.tolist() == [[1.0, 0.0], [0.0, 0.0]]


def _bits_equal(a, b) -> None:
    assert a.shape == b.shape
    assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data.view(np.int64), b.data.view(np.int64))


@pytest.mark.parametrize("seed", range(6))
def test_equals_scikit_learns_vectorizer_entry_for_entry(seed: int) -> None:
    """The same matrices as TfidfVectorizer, in the same stored order and to the last bit
    (the order of a row's entries sets the order of the sums behind every cosine)."""
    rng = random.Random(seed)
    words = ["fund", "board", "grant", "Grant", "école", "a1", "test", "q"]

    def texts() -> list[str]:
        return [" ".join(rng.choice(words) for _ in range(rng.randrange(0, 12)))
                for _ in range(rng.randrange(2, 40))]

    fitted = 0
    for _ in range(20):
        train, new = texts(), texts()
        for low, high, ngrams in [(1, 1.0, (1, 1)), (2, 1.0, (1, 2)), (2, 0.6, (1, 2)),
                                  (0.2, 0.9, (1, 1)), (3, 1.0, (2, 2))]:
            ours = LemmaTfidf(low, high, ngrams)
            theirs = TfidfVectorizer(token_pattern=r"\S+", lowercase=False, min_df=low,
                                     max_df=high, ngram_range=ngrams, sublinear_tf=True)
            try:
                expected = theirs.fit_transform(train)
            except ValueError as exc:
                with pytest.raises(ValueError, match=str(exc)[:20]):
                    ours.fit_transform(train)
                continue
            _bits_equal(expected, ours.fit_transform(train))
            assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())
            _bits_equal(theirs.transform(new), ours.transform(new))
            fitted += 1
    assert fitted > 50
