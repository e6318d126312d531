"""represent: LSA / TF-IDF segment vectors of the lemmas (unit rows, deterministic, tiny-corpus
fallback) and sentence embeddings of the verbatim text."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline.nlp import embeddings
from pipeline.nlp.vectors import matrix_of, vectors_frame
from pipeline.stages.represent.stage import (
    REPRESENTATIONS,
    EmbeddingRepresentation,
    LsaRepresentation,
    RepresentParams,
    TfidfRepresentation,
    make_representation,
    run,
)

# Twelve lemma strings on three themes; every word occurs in at least two texts.
TEXTS = [
    "test score eqao pressure",
    "eqao test math score",
    "budget fund grant staff",
    "student voice agency choice",
    "grant budget cut fund",
    "score pressure test math",
    "voice student choice engagement",
    "fund grant budget staff",
    "eqao math pressure score",
    "agency voice engagement student",
    "staff cut budget grant",
    "choice agency engagement voice",
]

needs_wordllama = pytest.mark.skipif(not embeddings.available(),
                                     reason="wordllama not installed")

# Twelve verbatim segments, four on each of three topics: testing, funding, student voice.
SENTENCES = [
    "The provincial test scores dropped again this spring.",
    "Teachers spend weeks preparing students for the standardized exam.",
    "Math results on the EQAO assessment put pressure on the whole school.",
    "Our grade six scores on the reading test were the lowest in the board.",
    "The grant ended and the budget for tutoring is gone.",
    "Funding cuts mean we lost two teaching positions.",
    "Parents raise money because the board slashed our supplies budget.",
    "We applied for a federal grant to pay for the breakfast programme.",
    "Students asked to choose their own projects and lead the class discussion.",
    "Giving kids a voice in how the school is run changed their engagement.",
    "The student council now chooses which clubs get time in the gym.",
    "When learners have agency over their goals, they care more about the work.",
]
TOPIC = np.repeat([0, 1, 2], 4)


def _norms(matrix: np.ndarray) -> np.ndarray:
    return np.linalg.norm(matrix.astype(np.float64), axis=1)


def _n_features(texts: list[str]) -> int:
    return len({w for t in texts for w in t.split()})


@pytest.mark.parametrize("n_components, expected_k", [
    (2, 2),
    (5, 5),
    (11, 11),
    (30, 11),   # capped by n - 1 = 11 (there are 15 distinct terms)
])
def test_lsa_rows_are_unit_vectors_with_k_components(n_components: int,
                                                     expected_k: int) -> None:
    assert _n_features(TEXTS) == 15
    rep = LsaRepresentation(RepresentParams(n_components=n_components))
    matrix = rep.fit_transform(TEXTS)
    assert matrix.shape == (12, expected_k)
    assert matrix.dtype == np.float32
    assert expected_k <= n_components and expected_k < _n_features(TEXTS)
    np.testing.assert_allclose(_norms(matrix), np.ones(12), atol=1e-5)


def test_lsa_k_is_below_the_number_of_features() -> None:
    # 25 texts on a 6-word vocabulary: k is capped by n_features - 1 = 5, not by n - 1.
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]
    texts = [f"{words[i % 6]} {words[(i + 1) % 6]} {words[(i + 3) % 6]}" for i in range(25)]
    params = RepresentParams(n_components=30, max_df=1.0)
    matrix = LsaRepresentation(params).fit_transform(texts)
    assert matrix.shape == (25, 5)
    np.testing.assert_allclose(_norms(matrix), np.ones(25), atol=1e-5)


def test_lsa_similar_texts_are_closer_than_unrelated_ones() -> None:
    matrix = LsaRepresentation(RepresentParams(n_components=3)).fit_transform(TEXTS)
    sims = matrix @ matrix.T
    # text 0 (testing) vs text 5 (testing) and vs text 3 (student voice)
    assert sims[0, 5] > 0.9
    assert sims[0, 3] < 0.2


def test_lsa_is_deterministic_for_a_fixed_seed() -> None:
    first = LsaRepresentation(RepresentParams(n_components=5, seed=7)).fit_transform(TEXTS)
    second = LsaRepresentation(RepresentParams(n_components=5, seed=7)).fit_transform(TEXTS)
    assert np.array_equal(first, second)


def test_lsa_cosines_do_not_depend_on_the_seed() -> None:
    # ARPACK finds the same 4-D subspace whatever the seed (singular values 4 and 5 differ),
    # so every cosine between segments is the same.
    a = LsaRepresentation(RepresentParams(n_components=4, seed=0)).fit_transform(TEXTS)
    b = LsaRepresentation(RepresentParams(n_components=4, seed=123)).fit_transform(TEXTS)
    np.testing.assert_allclose(a @ a.T, b @ b.T, atol=1e-5)


@pytest.mark.parametrize("texts, expected_norms", [
    (["a b", "b c"], [1.0, 1.0]),
    (["a b", "c d"], [1.0, 1.0]),
    (["a b", "b c", "c a"], [1.0, 1.0, 1.0]),
    (["a b", "", "a c"], [1.0, 0.0, 1.0]),
    (["a b", ""], [1.0, 0.0]),
    (["x"], [1.0]),
    (["a b", "c d", "e f"], [1.0, 1.0, 1.0]),
    (["", ""], [0.0, 0.0]),
])
@pytest.mark.parametrize("method", ["lsa", "tfidf",
                                    pytest.param("embeddings", marks=needs_wordllama)])
def test_tiny_input_falls_back_to_unit_or_zero_rows(method: str, texts: list[str],
                                                    expected_norms: list[float]) -> None:
    rep = make_representation(RepresentParams(method=method))
    matrix = rep.fit_transform(texts)
    assert matrix.shape[0] == len(texts)
    np.testing.assert_allclose(_norms(matrix), expected_norms, atol=1e-5)


def test_two_texts_fall_back_to_plain_tfidf() -> None:
    # n - 1 = 1 < 2 components: the LSA representation returns the TF-IDF rows unchanged.
    texts = ["a b", "b c"]
    lsa = LsaRepresentation(RepresentParams()).fit_transform(texts)
    tfidf = TfidfRepresentation(RepresentParams()).fit_transform(texts)
    assert lsa.shape == (2, 3)
    np.testing.assert_allclose(lsa, tfidf)


def test_unknown_method_raises_value_error_naming_the_choices() -> None:
    with pytest.raises(ValueError) as info:
        make_representation(RepresentParams(method="bert"))
    message = str(info.value)
    assert message == ("[represent] method 'bert' is unknown; choose one of lsa, tfidf, "
                       "embeddings")


@pytest.mark.parametrize("method, cls, column", [("lsa", LsaRepresentation, "lemmas"),
                                                 ("tfidf", TfidfRepresentation, "lemmas"),
                                                 ("embeddings", EmbeddingRepresentation, "text")])
def test_make_representation_picks_the_registered_class(method: str, cls: type,
                                                        column: str) -> None:
    rep = make_representation(RepresentParams(method=method))
    assert type(rep) is cls
    assert rep.name == method
    assert rep.column == column
    assert set(REPRESENTATIONS) == {"lsa", "tfidf", "embeddings"}


@needs_wordllama
def test_embeddings_give_one_unit_vector_per_segment_from_its_text() -> None:
    # Every segment has the same lemmas: only the verbatim text can tell them apart.
    segments = pd.DataFrame({"segment_id": [f"seg{i:02d}" for i in range(12)],
                             "lemmas": ["school"] * 12, "text": SENTENCES})
    tables, problems = run(segments, params=RepresentParams(method="embeddings"))
    assert problems == []
    vectors = tables["segment_vectors"]
    assert vectors["segment_id"].tolist() == segments["segment_id"].tolist()
    matrix = matrix_of(vectors)
    assert matrix.shape == (12, 256) and matrix.dtype == np.float32
    np.testing.assert_allclose(_norms(matrix), np.ones(12), atol=1e-5)
    np.testing.assert_array_equal(matrix, embeddings.embed(SENTENCES))
    assert len({row.tobytes() for row in matrix}) == 12


@needs_wordllama
def test_embeddings_put_segments_on_one_topic_closer_than_across_topics() -> None:
    matrix = EmbeddingRepresentation(RepresentParams()).fit_transform(SENTENCES)
    sims = matrix.astype(np.float64) @ matrix.T.astype(np.float64)
    off_diagonal = ~np.eye(4, dtype=bool)
    within = [sims[TOPIC == a][:, TOPIC == a][off_diagonal].mean() for a in range(3)]
    for a in range(3):
        for b in range(3):
            if a != b:  # measured: within 0.19-0.31, across 0.09-0.14
                assert within[a] > sims[TOPIC == a][:, TOPIC == b].mean(), (a, b)
    # and each segment is, on average, nearer its own topic than the others
    for i in range(12):
        same = [sims[i, j] for j in range(12) if j != i and TOPIC[j] == TOPIC[i]]
        assert np.mean(same) > sims[i, TOPIC != TOPIC[i]].mean(), SENTENCES[i]


@needs_wordllama
def test_embeddings_ignore_the_seed_and_the_tfidf_settings() -> None:
    # Nothing is fitted: the settings that shape LSA, and the other segments, change nothing.
    a = EmbeddingRepresentation(RepresentParams(method="embeddings")).fit_transform(SENTENCES)
    b = EmbeddingRepresentation(RepresentParams(method="embeddings", seed=9, min_df=5,
                                                n_components=2)).fit_transform(SENTENCES[:6])
    np.testing.assert_array_equal(a[:6], b)


def test_tfidf_method_gives_one_unit_row_per_text_over_kept_terms() -> None:
    rep = TfidfRepresentation(RepresentParams(method="tfidf", min_df=2))
    matrix = rep.fit_transform(TEXTS)
    assert matrix.dtype == np.float32
    assert matrix.shape == (12, 15)      # every word occurs twice or more: nothing pruned
    np.testing.assert_allclose(_norms(matrix), np.ones(12), atol=1e-5)
    # texts 2 and 4 share budget, fund, grant; texts 0 and 3 share nothing
    assert matrix[2] @ matrix[4] > 0.5
    assert matrix[0] @ matrix[3] == 0.0


def test_tfidf_min_df_prunes_words_seen_once() -> None:
    texts = ["common rare1", "common rare2", "common other", "other word"]
    matrix = TfidfRepresentation(RepresentParams(min_df=2)).fit_transform(texts)
    assert matrix.shape == (4, 2)        # only "common" and "other" are kept
    np.testing.assert_allclose(_norms(matrix), np.ones(4), atol=1e-5)


def test_run_returns_segment_vectors_aligned_with_segment_ids() -> None:
    segments = pd.DataFrame({"segment_id": [f"seg{i:02d}" for i in range(12)],
                             "lemmas": TEXTS, "text": ["..."] * 12})
    params = RepresentParams(n_components=4)
    tables, problems = run(segments, params=params)
    assert problems == []
    assert list(tables) == ["segment_vectors"]
    vectors = tables["segment_vectors"]
    assert list(vectors.columns) == ["segment_id", "vector"]
    assert vectors["segment_id"].tolist() == segments["segment_id"].tolist()
    expected = LsaRepresentation(params).fit_transform(TEXTS)
    np.testing.assert_array_equal(matrix_of(vectors), expected)
    assert all(v.shape == (4,) for v in vectors["vector"])


def test_run_on_no_segments_gives_an_empty_frame() -> None:
    segments = pd.DataFrame({"segment_id": pd.Series([], dtype=str),
                             "lemmas": pd.Series([], dtype=str)})
    tables, problems = run(segments, params=RepresentParams())
    assert problems == []
    assert tables["segment_vectors"].empty
    assert list(tables["segment_vectors"].columns) == ["segment_id", "vector"]
    assert matrix_of(tables["segment_vectors"]).shape == (0, 0)


def test_matrix_of_round_trips_vectors_frame() -> None:
    matrix = np.arange(12, dtype=np.float64).reshape(4, 3)
    frame = vectors_frame(["a", "b", "c", "d"], matrix)
    assert frame["segment_id"].tolist() == ["a", "b", "c", "d"]
    back = matrix_of(frame)
    assert back.dtype == np.float32
    np.testing.assert_array_equal(back, matrix.astype(np.float32))


def test_matrix_of_empty_frame_is_zero_by_zero() -> None:
    empty = vectors_frame([], np.zeros((0, 3)))
    out = matrix_of(empty)
    assert out.shape == (0, 0) and out.dtype == np.float32
