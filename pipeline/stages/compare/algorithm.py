"""The constant comparative method as an algorithm over unit vectors (Glaser & Strauss).

1. Comparing incidents: incidents (segments) are taken in the order they were collected; each is
   compared with every category so far (cosine to the centroid) and joins the most similar one
   if it is similar enough, or opens a new category.
2. Reassignment passes: with all categories known, every incident moves to its nearest category,
   until nothing moves (later incidents can reshape what earlier ones belong to).
3. Integrating categories: categories of different sites whose centroids are close are merged
   into cross-site categories (average-linkage agglomeration on cosine distance).
Everything is deterministic: same vectors and order, same result.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.cluster import AgglomerativeClustering
from threadpoolctl import threadpool_limits


@dataclass(frozen=True)
class Clustering:
    labels: np.ndarray      # category per incident, numbered by first appearance
    centroids: np.ndarray   # one unit vector per category
    passes: int             # reassignment passes until stable


def _unit(v: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.where(norm == 0, 1, norm)


def renumber(labels: np.ndarray) -> np.ndarray:
    """Category numbers in order of first appearance (0, 1, 2...), so output is stable."""
    labels = np.asarray(labels)
    if not len(labels):
        return np.zeros(0, dtype=int)
    distinct, first, where = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.empty(len(distinct), dtype=int)
    rank[np.argsort(first)] = np.arange(len(distinct))
    return rank[where.ravel()]


def centroids_of(X: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Unit centroids. The sums run through a sparse indicator matrix: each category's
    members are added in row order, as np.add.at did, at a fraction of its cost."""
    k = int(labels.max()) + 1 if len(labels) else 0
    n = len(labels)
    member = sparse.csr_matrix((np.ones(n), (labels, np.arange(n))), shape=(k, n))
    sums = np.asarray(member @ X.astype(np.float64)).reshape(k, X.shape[1])
    return _unit(sums)


def compare_incidents(X: np.ndarray, join_threshold: float) -> np.ndarray:
    """One pass in collection order: join the most similar category or open a new one."""
    n, d = X.shape
    sums = np.zeros((n, d), dtype=np.float64)
    units = np.zeros((n, d), dtype=np.float64)
    labels = np.empty(n, dtype=int)
    k = 0
    for i in range(n):
        x = X[i]
        if k:
            sims = units[:k] @ x
            j = int(np.argmax(sims))
            if sims[j] >= join_threshold:
                sums[j] += x
                units[j] = _unit(sums[j])
                labels[i] = j
                continue
        sums[k] = x
        units[k] = _unit(x)
        labels[i] = k
        k += 1
    return labels


def reassign(X: np.ndarray, labels: np.ndarray, max_passes: int) -> tuple[np.ndarray, int]:
    """Move each incident to its nearest centroid until stable (k-means style, no new ones)."""
    for done in range(max_passes):
        best = np.argmax(X @ centroids_of(X, labels).T, axis=1)
        best = renumber(best)
        if np.array_equal(best, labels):
            return labels, done
        labels = best
    return labels, max_passes


def cluster_site(X: np.ndarray, join_threshold: float, max_passes: int) -> Clustering:
    if len(X) == 0:
        return Clustering(np.zeros(0, dtype=int), np.zeros((0, X.shape[1])), 0)
    # The products are small (thousands x tens): BLAS threads only wait on each other, and
    # took four times as long. One thread computes the same numbers.
    with threadpool_limits(1, user_api="blas"):
        labels = renumber(compare_incidents(X, join_threshold))
        labels, passes = reassign(X, labels, max_passes)
        return Clustering(labels, centroids_of(X, labels), passes)


def integrate(centroids: np.ndarray, merge_threshold: float) -> np.ndarray:
    """Group site categories whose centroids are within the merge threshold (cosine)."""
    if len(centroids) < 2:
        return np.zeros(len(centroids), dtype=int)
    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                    # scikit-learn merges strictly below the
                                    # threshold; "at least merge_threshold" is inclusive.
                                    distance_threshold=1.0 - merge_threshold + 1e-9)
    return renumber(model.fit_predict(centroids))


def category_key(prefix: str, anchor: str) -> str:
    """A stable key from the category's earliest incident: adding later interviews or
    nudging a parameter keeps it as long as the category still starts with that incident."""
    return f"{prefix}-{hashlib.sha1(anchor.encode()).hexdigest()[:6]}"
