import random

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer

from pipeline.nlp import counts
from pipeline.nlp.counts import term_counts


def test_counts_by_hand() -> None:
    names, X = term_counts(["fund board fund", "", "board"], (1, 2))
    assert list(names) == ["board", "board fund", "fund", "fund board"]
    assert X.toarray().tolist() == [[1, 1, 2, 1], [0, 0, 0, 0], [1, 0, 0, 0]]
    assert X.dtype == np.int64


def test_no_words_anywhere_gives_no_columns() -> None:
    names, X = term_counts(["", "  "], (1, 2))
    assert len(names) == 0 and X.shape == (2, 0)


@pytest.mark.parametrize("ngrams", [(1, 1), (1, 2), (2, 2), (1, 3), (2, 3)])
def test_equals_count_vectorizer_in_stored_order(ngrams: tuple[int, int]) -> None:
    rng = random.Random(sum(ngrams))
    words = ["fund", "board", "Fund", "é", "a1", "x"]
    for _ in range(40):
        texts = [" ".join(rng.choice(words) for _ in range(rng.randrange(0, 10)))
                 for _ in range(rng.randrange(1, 12))]
        texts = [t if rng.random() < 0.8 else f"\t {t}  " for t in texts]
        vec = CountVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=ngrams)
        try:
            expected = vec.fit_transform(texts)
        except ValueError:   # no n-gram at all
            assert term_counts(texts, ngrams)[1].shape[1] == 0
            continue
        names, X = term_counts(texts, ngrams)
        assert list(names) == list(vec.get_feature_names_out())
        assert np.array_equal(X.indptr, expected.indptr)
        assert np.array_equal(X.indices, expected.indices)   # entries in the same order
        assert np.array_equal(X.data, expected.data)


def test_a_vocabulary_too_large_for_the_keys_falls_back(monkeypatch) -> None:
    used = []
    real = counts._vectorizer_counts
    monkeypatch.setattr(counts, "_vectorizer_counts",
                        lambda *a: used.append(a) or real(*a))
    many = [" ".join(f"w{i}{j}" for j in range(9)) for i in range(30)]   # 270 words
    names, X = term_counts(many, (1, 8))   # 270 ** 8 > 2 ** 62
    assert used and X.shape == (30, len(names)) and X.sum() == 30 * sum(range(2, 10))
