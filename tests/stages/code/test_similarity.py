import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from pipeline.codebook.model import load_codebook
from pipeline.nlp.pipelines import fast_nlp
from pipeline.stages.code.similarity import (
    SimilarityCoder,
    code_profiles,
    lemmatise,
    make_vectorizer,
    score_matrix,
    shared_terms,
    top_codes,
)

BOOK = """
codes:
  - id: funding
    definition: Money and budgets for the project, and what happens when the grant ends.
    exclude: General complaints about teacher salaries.
  - id: testing
    definition: Provincial standardized testing and test scores.
"""
SEGS = pd.DataFrame({"segment_id": ["a", "b", "c"], "text": [
    "The grant ends in June and the budget for the project is gone.",
    "Our test scores on the provincial testing went down.",
    "Teacher salaries are a general complaint.",
]})


def test_segments_score_highest_on_their_code() -> None:
    nlp = fast_nlp("en")
    book = load_codebook([("b.yml", BOOK)])
    lemmas = lemmatise(SEGS["text"].tolist(), nlp)
    assert lemmas[1] == "test score provincial test go"
    vec = make_vectorizer(min_df=1)
    X = vec.fit_transform(lemmas)
    ids, include, exclude = code_profiles(book, nlp)
    scores = score_matrix(X, vec, include, exclude, exclude_weight=0.0)
    assert ids == ["funding", "testing"]
    assert scores[0].argmax() == 0 and scores[1].argmax() == 1
    penalised = score_matrix(X, vec, include, exclude, exclude_weight=1.0)
    assert penalised[2, 0] < scores[2, 0]  # the do-not-use-when text counts against it
    coder = SimilarityCoder(book, nlp, min_df=1).fit(lemmas)
    out = coder.codings(SEGS["segment_id"].to_numpy(), coder.scores(exclude_weight=0.5),
                        threshold=0.1, max_codes=1)
    assert out[["segment_id", "code_id"]].values.tolist() == [["a", "funding"],
                                                             ["b", "testing"]]
    assert "grant" in out.loc[0, "evidence"] or "budget" in out.loc[0, "evidence"]


def test_top_codes_threshold_and_limit() -> None:
    scores = np.array([[0.5, 0.3, 0.1], [0.05, 0.02, 0.01], [0.2, 0.2, 0.4]])
    assert top_codes(scores, 0.15, 2) == [(0, 0), (0, 1), (2, 2), (2, 0)]


def test_embeddings_find_codes_that_have_only_a_name() -> None:
    import pytest

    from pipeline.nlp import embeddings
    if not embeddings.available():
        pytest.skip("wordllama not installed")
    book = load_codebook([("b.yml", """
codes:
  - {id: money, label: Funding and budgets, definition: Funding and budgets}
  - {id: tests, label: Standardized testing, definition: Standardized testing}
""")])
    texts = ["The grant ends in June and the budget is gone.",
             "Our scores on the provincial exam went down."]
    coder = SimilarityCoder(book, fast_nlp("en"), 1, "embeddings").fit(["x", "y"], texts)
    scores = coder.scores()
    assert scores.shape == (2, 2)
    assert scores[0].argmax() == 0 and scores[1].argmax() == 1
    found = coder.codings(np.array(["a", "b"]), scores, threshold=0.0, max_codes=1)
    assert found[["segment_id", "code_id"]].values.tolist() == [["a", "money"], ["b", "tests"]]
    assert found["evidence"].tolist() == ["", ""]


def _shuffled(m: sparse.csr_matrix, rng: np.random.Generator) -> sparse.csr_matrix:
    """The same matrix, its rows' entries stored out of column order."""
    m = m.copy()
    for i in range(m.shape[0]):
        lo, hi = m.indptr[i], m.indptr[i + 1]
        order = lo + rng.permutation(hi - lo)
        m.indices[lo:hi], m.data[lo:hi] = m.indices[order], m.data[order]
    m.has_sorted_indices = False
    return m


@pytest.mark.parametrize("shuffle_a, shuffle_b", [(False, False), (True, False),
                                                  (False, True), (True, True)])
def test_shared_terms_are_what_the_sparse_product_of_the_two_rows_holds(
        shuffle_a: bool, shuffle_b: bool) -> None:
    rng = np.random.default_rng(3)
    a = sparse.random(8, 12, density=0.5, format="csr", random_state=rng)
    b = sparse.vstack([sparse.csr_matrix((1, 12)),   # a row sharing nothing
                       sparse.random(4, 12, density=0.5, random_state=rng)]).tocsr()
    b.data[::5] = 0.0      # explicit zeros, which the product leaves out
    a = _shuffled(a, rng) if shuffle_a else a
    b = _shuffled(b, rng) if shuffle_b else b
    for i in range(a.shape[0]):
        for j in range(b.shape[0]):
            product = a[i].multiply(b[j]).tocoo()
            cols, contrib = shared_terms(a, i, b, j)
            assert cols.tolist() == product.col.tolist()
            assert contrib.tolist() == product.data.tolist()
