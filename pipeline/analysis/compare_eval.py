"""Measure constant comparison: recovery of the themes humans coded (ARI, NMI) beside KMeans and
agglomerative baselines on the same vectors, stability across seeds, and key retention."""
from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pandas as pd
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from pipeline.stages.compare import cluster, interview_order, ordered_segments
from pipeline.stages.represent import run as represent


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


def run_clustering(transcripts: pd.DataFrame, segments: pd.DataFrame, rep_params,
                   params) -> pd.DataFrame:
    """Representation and constant comparison from scratch (for experiments)."""

    vectors = represent(segments, params=rep_params)[0]["segment_vectors"]
    segs, X = ordered_segments(transcripts, segments, vectors)
    return cluster(segs, X, params).set_index("segment_id")


def evaluate(transcripts: pd.DataFrame, segments: pd.DataFrame, reference: pd.Series,
             rep_params, params, seeds: tuple[int, ...] = (0, 1, 2, 3, 4)) -> dict:
    """Recovery against the human themes (with baselines), seed stability, key retention.
    The algorithm is measured as it stands, before researcher decisions are applied."""

    runs = {s: run_clustering(transcripts, segments, replace(rep_params, seed=s), params)
            for s in seeds}
    members = runs[rep_params.seed] if rep_params.seed in runs else runs[seeds[0]]
    out: dict = {"reference": {"segments": int(len(reference)),
                               "themes": int(reference.nunique())}, "recovery": {}}
    for level, col in (("cross-site categories", "cross_category_id"),
                       ("site categories", "category_id")):
        out["recovery"][level] = scores(reference, members[col])
    vectors = represent(segments, params=rep_params)[0]["segment_vectors"]
    segs, X = ordered_segments(transcripts, segments, vectors)
    idx = pd.Index(segs["segment_id"])
    for k in sorted({int(members["cross_category_id"].nunique()), int(reference.nunique())}):
        for name, labels in baselines(X, idx, k, seed=0).items():
            out["recovery"][name] = scores(reference, labels)
    base = runs[seeds[0]]["cross_category_id"]
    aris = [float(adjusted_rand_score(base, runs[s]["cross_category_id"].loc[base.index]))
            for s in seeds[1:]]
    out["stability"] = {"seeds": list(seeds), "ari_vs_first_mean": float(np.mean(aris)),
                        "ari_vs_first_min": float(np.min(aris))}
    out["key_retention"] = _retention(transcripts, segments, rep_params, params, members)
    return out


def _retention(transcripts: pd.DataFrame, segments: pd.DataFrame, rep_params, params,
               full: pd.DataFrame) -> dict:
    """Run without one interview, then compare with the full run: the share of the smaller
    run's keys that survive when the interview is added (last conducted, and a middle one)."""
    order = interview_order(transcripts)["citation_id"].tolist()
    out = {}
    for which, cid in (("last interview added", order[-1]),
                       ("middle interview added", order[len(order) // 2])):
        fewer = run_clustering(transcripts[transcripts["citation_id"] != cid],
                               segments[segments["citation_id"] != cid], rep_params, params)
        out[which] = {
            "citation_id": cid,
            "site_keys_kept": key_retention(fewer["category_id"], full["category_id"]),
            "cross_keys_kept": key_retention(fewer["cross_category_id"],
                                             full["cross_category_id"]),
        }
    return out


COMPARE_GRID = {"n_components": (20, 30, 50), "join_threshold": (0.4, 0.5, 0.6, 0.7, 0.8),
                "merge_threshold": (0.3, 0.4, 0.5)}


def sweep(transcripts: pd.DataFrame, segments: pd.DataFrame, reference: pd.Series,
          rep_params, params, grid: dict[str, tuple] = COMPARE_GRID) -> pd.DataFrame:
    """ARI and NMI of cross-site categories for each grid point, best ARI first."""

    rows = []
    for comps in grid["n_components"]:
        vectors = represent(segments, params=replace(rep_params, n_components=comps))[0][
            "segment_vectors"]
        segs, X = ordered_segments(transcripts, segments, vectors)
        for join, merge in itertools.product(grid["join_threshold"], grid["merge_threshold"]):
            members = cluster(segs, X, replace(params, join_threshold=join,
                                               merge_threshold=merge)).set_index("segment_id")
            r = scores(reference, members["cross_category_id"])
            rows.append({"n_components": comps, "join_threshold": join,
                         "merge_threshold": merge, "ari": r["ari"], "nmi": r["nmi"],
                         "cross_site_categories": r["n_clusters"],
                         "site_categories": int(members["category_id"].nunique()),
                         "mean_site_category_size": len(members)
                         / max(1, members["category_id"].nunique())})
    table = pd.DataFrame(rows).sort_values(["ari", "nmi"], ascending=False)
    return table.reset_index(drop=True)


def best_setting(table: pd.DataFrame, min_mean_size: float = 3.0) -> pd.Series:
    """Best ARI among settings whose site categories hold on average `min_mean_size`
    segments: below that, comparison within a site leaves almost every incident alone."""
    usable = table[table["mean_site_category_size"] >= min_mean_size]
    return (usable if len(usable) else table).iloc[0]


def evaluation_lines(result: dict) -> list[str]:
    ref = result["reference"]
    lines = [f"Recovery of the human themes ({ref['segments']} coded segments, "
             f"{ref['themes']} themes):",
             f"  {'clustering':<32} {'clusters':>8} {'ARI':>7} {'NMI':>7}"]
    for name, r in result["recovery"].items():
        lines.append(f"  {name:<32} {r['n_clusters']:>8} {r['ari']:>7.3f} {r['nmi']:>7.3f}")
    st = result["stability"]
    lines.append(f"Stability over seeds {st['seeds']}: ARI with the first seed, mean "
                 f"{st['ari_vs_first_mean']:.3f}, min {st['ari_vs_first_min']:.3f}")
    for which, r in result["key_retention"].items():
        lines.append(f"Keys kept when the {which.replace(' added', '')} ({r['citation_id']}) "
                     f"is added: site {r['site_keys_kept']:.0%}, cross-site "
                     f"{r['cross_keys_kept']:.0%}")
    return lines
