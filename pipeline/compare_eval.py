"""Measure constant comparison: recovery of the themes humans coded (ARI, NMI) beside KMeans and
agglomerative baselines on the same vectors, stability across seeds, and key retention."""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score


def primary_codes(human: pd.DataFrame, code_order: list[str]) -> pd.Series:
    """One reference theme per human-coded segment: the code most coders gave it (ties: the
    codebook's order). Segments coded with nothing are left out."""
    rank = {c: i for i, c in enumerate(code_order)}
    coded = human[human["code_id"].isin(rank)]
    counts = coded.groupby(["segment_id", "code_id"]).size().rename("n").reset_index()
    counts["rank"] = counts["code_id"].map(rank)
    best = counts.sort_values(["segment_id", "n", "rank"], ascending=[True, False, True])
    return best.drop_duplicates("segment_id").set_index("segment_id")["code_id"]


def scores(reference: pd.Series, labels: pd.Series) -> dict[str, float]:
    both = reference.index.intersection(labels.index)
    ref, lab = reference.loc[both], labels.loc[both]
    return {"ari": float(adjusted_rand_score(ref, lab)),
            "nmi": float(normalized_mutual_info_score(ref, lab)),
            "n_segments": int(len(both)), "n_clusters": int(labels.nunique())}


def baselines(X: np.ndarray, segment_ids: pd.Index, k: int, seed: int) -> dict[str, pd.Series]:
    """KMeans and Ward agglomerative clustering with k clusters, on the same vectors."""
    km = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(X)
    # Ward linkage on unit vectors (Euclidean distance is monotone in cosine there).
    agg = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(X)
    return {f"kmeans (k={k})": pd.Series(km, index=segment_ids),
            f"agglomerative (k={k})": pd.Series(agg, index=segment_ids)}


def key_retention(before: pd.Series, after: pd.Series) -> float:
    """Share of category keys of one run that the other run still has."""
    old = set(before)
    return len(old & set(after)) / len(old) if old else 1.0
