import numpy as np
import pandas as pd
import pytest

from pipeline.analysis.compare_eval import (
    baselines,
    best_setting,
    key_retention,
    parent_of,
    primary_codes,
    references,
    scores,
)


def test_primary_code_is_the_majority_then_codebook_order() -> None:
    human = pd.DataFrame({
        "segment_id": ["s1", "s1", "s1", "s2", "s2", "s3"],
        "code_id": ["b", "a", "b", "b", "a", ""],
        "coder": ["x", "x", "y", "x", "y", "x"]})
    ref = primary_codes(human, ["a", "b"])
    assert ref.to_dict() == {"s1": "b", "s2": "a"}  # s3 coded with nothing: left out


def test_scores_on_hand_checked_labels() -> None:
    ref = pd.Series(["a", "a", "b", "b"], index=["s1", "s2", "s3", "s4"])
    same = pd.Series([7, 7, 9, 9, 5], index=["s1", "s2", "s3", "s4", "s5"])
    assert scores(ref, same) == {"ari": 1.0, "nmi": 1.0, "n_segments": 4, "n_clusters": 3}
    worst = pd.Series([1, 2, 1, 2], index=ref.index)
    assert scores(ref, worst)["ari"] == pytest.approx(-0.5)


def test_baselines_cluster_separable_points() -> None:
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal([5, 0], 0.1, (5, 2)), rng.normal([0, 5], 0.1, (5, 2))])
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    idx = pd.Index([f"s{i}" for i in range(10)])
    truth = pd.Series([0] * 5 + [1] * 5, index=idx)
    for name, labels in baselines(X, idx, k=2, seed=0).items():
        assert scores(truth, labels)["ari"] == 1.0, name


def test_key_retention() -> None:
    assert key_retention(pd.Series(["a", "b", "b"]), pd.Series(["a", "c"])) == 0.5
    assert key_retention(pd.Series([], dtype=str), pd.Series(["a"])) == 1.0


def test_best_setting_needs_real_site_categories() -> None:
    table = pd.DataFrame({"ari": [0.2, 0.1], "nmi": [0.5, 0.4],
                          "mean_site_category_size": [1.2, 3.5]})
    assert best_setting(table)["ari"] == 0.1
    assert best_setting(table, min_mean_size=1.0)["ari"] == 0.2


CODES = pd.DataFrame({"code_id": ["fam", "a", "a1", "b"], "parent_id": [None, "fam", "a", None],
                      "codable": [False, True, True, True]})


def test_parent_of_is_the_top_level_ancestor() -> None:
    assert parent_of(CODES) == {"fam": "fam", "a": "fam", "a1": "fam", "b": "b"}


def test_references_at_code_and_parent_level() -> None:
    human = pd.DataFrame({"segment_id": ["s1", "s2", "s3", "s3"],
                          "code_id": ["a1", "a", "b", "a1"], "coder": ["x", "x", "x", "y"]})
    refs = references(human, CODES)
    assert refs["code"].to_dict() == {"s1": "a1", "s2": "a", "s3": "a1"}  # tie: codebook order
    assert refs["parent"].to_dict() == {"s1": "fam", "s2": "fam", "s3": "fam"}
