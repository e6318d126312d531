"""constant_comparison: incremental comparison, reassignment, integration, stable keys.

The fixture is designed: unit vectors scattered (noise 0.1, default_rng(0)) around three
orthogonal directions of 5-D space, interleaved in a known order, so the categories are known.
"""
from __future__ import annotations

import hashlib
import re

import numpy as np
import pytest

from pipeline.stages.compare.algorithm import (
    Clustering,
    category_key,
    centroids_of,
    cluster_site,
    compare_incidents,
    integrate,
    reassign,
    renumber,
)

# Direction of each incident, in collection order. Direction 2 comes first, so the category
# numbers (by first appearance) differ from the direction numbers.
DIRECTIONS = [2, 0, 2, 1, 0, 1, 2, 0, 1, 2]
EXPECTED = [0, 1, 0, 2, 1, 2, 0, 1, 2, 0]   # direction 2 -> 0, 0 -> 1, 1 -> 2


def _unit_rows(X: np.ndarray) -> np.ndarray:
    return X / np.linalg.norm(X, axis=1, keepdims=True)


def designed() -> np.ndarray:
    rng = np.random.default_rng(0)
    base = np.eye(5)[:3]
    return _unit_rows(base[DIRECTIONS] + 0.1 * rng.standard_normal((len(DIRECTIONS), 5)))


def at_degrees(*angles: float) -> np.ndarray:
    """Unit vectors in the plane at the given angles (degrees)."""
    rad = np.radians(angles)
    return np.column_stack([np.cos(rad), np.sin(rad)])


def test_designed_fixture_is_well_separated() -> None:
    X = designed()
    sims = X @ X.T
    same = np.equal.outer(DIRECTIONS, DIRECTIONS)
    assert sims[same].min() > 0.9
    assert sims[~same].max() < 0.4


def test_compare_incidents_opens_one_category_per_direction() -> None:
    labels = compare_incidents(designed(), join_threshold=0.6)
    assert labels.tolist() == EXPECTED


def test_threshold_above_every_similarity_gives_one_category_per_incident() -> None:
    labels = compare_incidents(designed(), join_threshold=1.01)
    assert labels.tolist() == list(range(len(DIRECTIONS)))


def test_threshold_minus_one_puts_everything_in_one_category() -> None:
    labels = compare_incidents(designed(), join_threshold=-1.0)
    assert labels.tolist() == [0] * len(DIRECTIONS)


def test_compare_incidents_joins_the_most_similar_category() -> None:
    # 0 deg opens A, 90 deg opens B; 60 deg is similar enough to both (threshold 0.4) and
    # joins B, the nearer one (cos 30 > cos 60), not A, the first one.
    labels = compare_incidents(at_degrees(0, 90, 60), join_threshold=0.4)
    assert labels.tolist() == [0, 1, 1]


def test_compare_incidents_compares_with_the_updated_centroid() -> None:
    # 0 and 40 deg: cos 40 = 0.77 >= 0.7, one category whose centroid is at 20 deg.
    # 62 deg is 62 deg from the first incident (cos 0.47) but 42 deg from the centroid
    # (cos 0.74): it joins.
    labels = compare_incidents(at_degrees(0, 40, 62), join_threshold=0.7)
    assert labels.tolist() == [0, 0, 0]


@pytest.mark.parametrize("labels, expected", [
    ([3, 3, 1, 0, 1, 3], [0, 0, 1, 2, 1, 0]),
    ([0, 1, 2], [0, 1, 2]),
    ([5, 5, 5], [0, 0, 0]),
    ([2, 0, 2, 1], [0, 1, 0, 2]),
    ([], []),
])
def test_renumber_numbers_by_first_appearance(labels: list[int], expected: list[int]) -> None:
    out = renumber(np.array(labels, dtype=int))
    assert out.tolist() == expected


def test_centroids_of_are_unit_means() -> None:
    X = at_degrees(0, 90, 180)
    cents = centroids_of(X, np.array([0, 0, 1]))
    np.testing.assert_allclose(cents, [[np.sqrt(0.5), np.sqrt(0.5)], [-1.0, 0.0]], atol=1e-12)


@pytest.mark.parametrize("X, join_threshold, expected", [
    (np.array([[1.0, 0.0], [0.0, 1.0]]), 0.0, [0, 0]),     # cosine exactly 0 >= 0: joins
    (np.array([[1.0, 0.0], [0.0, 1.0]]), 0.01, [0, 1]),
    (np.array([[1.0, 0.0], [1.0, 0.0]]), 1.0, [0, 0]),     # cosine exactly 1 >= 1: joins
])
def test_compare_incidents_joins_at_exactly_the_threshold(X: np.ndarray, join_threshold: float,
                                                          expected: list[int]) -> None:
    assert compare_incidents(X, join_threshold).tolist() == expected


# An early incident (45 deg) joins A (two incidents at 0 deg) because B does not exist yet
# (cos 45 = 0.707 >= 0.7). A's centroid moves to 14.6 deg; the incident at 70 deg is 55 deg
# from it and opens B. With both categories known, 45 deg is 25 deg from B (70) and 30 deg
# from A (14.6): reassignment moves it to B.
REASSIGN_X = at_degrees(0, 0, 45, 70)


def test_incremental_pass_puts_the_early_incident_in_the_worse_category() -> None:
    labels = compare_incidents(REASSIGN_X, join_threshold=0.7)
    assert labels.tolist() == [0, 0, 0, 1]
    cents = centroids_of(REASSIGN_X, labels)
    sims = REASSIGN_X[2] @ cents.T
    assert sims[1] > sims[0]


def test_reassign_moves_the_incident_and_counts_the_passes() -> None:
    labels, passes = reassign(REASSIGN_X, np.array([0, 0, 0, 1]), max_passes=20)
    assert labels.tolist() == [0, 0, 1, 1]
    assert passes == 1


@pytest.mark.parametrize("max_passes, expected_labels, expected_passes", [
    (0, [0, 0, 0, 1], 0),
    (1, [0, 0, 1, 1], 1),
    (2, [0, 0, 1, 1], 1),
])
def test_reassign_stops_at_max_passes(max_passes: int, expected_labels: list[int],
                                      expected_passes: int) -> None:
    labels, passes = reassign(REASSIGN_X, np.array([0, 0, 0, 1]), max_passes=max_passes)
    assert labels.tolist() == expected_labels
    assert passes == expected_passes


def test_reassign_renumbers_when_the_first_incident_moves() -> None:
    # The first incident (45 deg) opens A and two incidents at 0 deg join it; 70 deg opens B.
    # Reassignment moves 45 deg to B, which now appears first and becomes category 0.
    X = at_degrees(45, 0, 0, 70)
    initial = compare_incidents(X, join_threshold=0.7)
    assert initial.tolist() == [0, 0, 0, 1]
    labels, passes = reassign(X, initial, max_passes=20)
    assert labels.tolist() == [0, 1, 1, 0]
    assert passes == 1


def test_reassign_of_a_stable_clustering_takes_no_pass() -> None:
    labels, passes = reassign(designed(), np.array(EXPECTED), max_passes=20)
    assert labels.tolist() == EXPECTED
    assert passes == 0


def test_cluster_site_combines_comparison_and_reassignment() -> None:
    result = cluster_site(REASSIGN_X, join_threshold=0.7, max_passes=20)
    assert isinstance(result, Clustering)
    assert result.labels.tolist() == [0, 0, 1, 1]
    assert result.passes == 1
    np.testing.assert_allclose(result.centroids, at_degrees(0, 57.5), atol=1e-12)


def test_cluster_site_on_the_designed_fixture() -> None:
    X = designed()
    result = cluster_site(X, join_threshold=0.6, max_passes=20)
    assert result.labels.tolist() == EXPECTED
    assert result.passes == 0
    assert result.centroids.shape == (3, 5)
    np.testing.assert_allclose(np.linalg.norm(result.centroids, axis=1), 1.0)
    # category 0 is direction 2, category 1 direction 0, category 2 direction 1
    assert np.argmax(result.centroids, axis=1).tolist() == [2, 0, 1]


def test_cluster_site_is_deterministic() -> None:
    X = designed()
    a = cluster_site(X, 0.6, 20)
    b = cluster_site(X.copy(), 0.6, 20)
    assert np.array_equal(a.labels, b.labels)
    assert np.array_equal(a.centroids, b.centroids)
    assert a.passes == b.passes


def test_cluster_site_on_an_empty_matrix() -> None:
    result = cluster_site(np.zeros((0, 5)), join_threshold=0.6, max_passes=20)
    assert result.labels.shape == (0,)
    assert result.centroids.shape == (0, 5)
    assert result.passes == 0


def test_cluster_site_on_one_incident() -> None:
    result = cluster_site(at_degrees(30), join_threshold=0.6, max_passes=20)
    assert result.labels.tolist() == [0]
    np.testing.assert_allclose(result.centroids, at_degrees(30))
    assert result.passes == 0


# Centroids of site categories: 0 and 2 are near direction 0, 1 and 4 near direction 1,
# 3 is direction 2 on its own.
CENTROIDS = _unit_rows(np.array([
    [1.0, 0.0, 0.0, 0.1, 0.0],
    [0.0, 1.0, 0.0, 0.0, 0.1],
    [1.0, 0.1, 0.0, 0.0, 0.0],
    [0.0, 0.0, 1.0, 0.0, 0.0],
    [0.1, 1.0, 0.0, 0.1, 0.0],
]))


@pytest.mark.parametrize("merge_threshold, expected", [
    (0.9, [0, 1, 0, 2, 1]),
    (0.999, [0, 1, 2, 3, 4]),
    (-1.0, [0, 0, 0, 0, 0]),
])
def test_integrate_merges_close_centroids_and_keeps_others_apart(
        merge_threshold: float, expected: list[int]) -> None:
    assert integrate(CENTROIDS, merge_threshold).tolist() == expected


def test_integrate_uses_the_cosine_between_centroids() -> None:
    # cos 60 = 0.5: merged at a threshold of 0.45, kept apart at 0.55
    pair = at_degrees(0, 60)
    assert integrate(pair, 0.45).tolist() == [0, 0]
    assert integrate(pair, 0.55).tolist() == [0, 1]


@pytest.mark.parametrize("pair, merge_threshold", [
    (np.array([[1.0, 0.0], [1.0, 0.0]]), 1.0),   # identical: cosine exactly 1
    (np.array([[1.0, 0.0], [0.0, 1.0]]), 0.0),   # orthogonal: cosine exactly 0
])
def test_integrate_merges_at_exactly_the_threshold(pair: np.ndarray,
                                                   merge_threshold: float) -> None:
    assert integrate(pair, merge_threshold).tolist() == [0, 0]


@pytest.mark.parametrize("n", [0, 1])
def test_integrate_with_fewer_than_two_centroids(n: int) -> None:
    assert integrate(CENTROIDS[:n], 0.5).tolist() == [0] * n


def test_category_key_is_stable_prefixed_and_six_hex_chars() -> None:
    anchor = "O1_Principal#1_5.14-0001"
    key = category_key("O1", anchor)
    assert key == "O1-b8d46e"
    assert key == "O1-" + hashlib.sha1(anchor.encode()).hexdigest()[:6]
    assert re.fullmatch(r"O1-[0-9a-f]{6}", key)
    assert category_key("O1", anchor) == key
    assert category_key("X", anchor) == "X-b8d46e"


def test_category_key_differs_for_different_anchors() -> None:
    anchors = [f"O1_Teacher#1_5.10-{i:04d}" for i in range(50)]
    keys = {category_key("O1", a) for a in anchors}
    assert len(keys) == 50
    assert all(re.fullmatch(r"O1-[0-9a-f]{6}", k) for k in keys)


def test_centroids_and_renumbering_equal_their_plain_definitions() -> None:
    import numpy as np

    from pipeline.stages.compare.algorithm import centroids_of, renumber

    rng = np.random.default_rng(3)
    X = rng.random((500, 8)).astype(np.float32)
    labels = rng.integers(0, 40, 500)
    sums = np.zeros((40, 8))
    np.add.at(sums, labels, X)
    assert np.array_equal(centroids_of(X, labels),
                          sums / np.linalg.norm(sums, axis=1, keepdims=True))
    assert renumber(np.array([7, 7, 2, 9, 2])).tolist() == [0, 0, 1, 2, 1]
