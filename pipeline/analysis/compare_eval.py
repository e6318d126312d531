"""Measure constant comparison: recovery of the themes humans coded (ARI, NMI) beside KMeans and
agglomerative baselines on the same vectors, stability across seeds, and key retention."""
from __future__ import annotations

import itertools
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from pipeline.stages.compare import cluster, compared, follow, interview_order, ordered_segments
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


def parent_of(codes: pd.DataFrame) -> dict[str, str]:
    """Code -> its top-level ancestor (a code at the top is its own)."""
    parent = dict(zip(codes["code_id"], codes["parent_id"].fillna("")))

    def top(c: str) -> str:
        seen = set()
        while parent.get(c) and c not in seen:
            seen.add(c)
            c = parent[c]
        return c
    return {c: top(c) for c in parent}


def references(human: pd.DataFrame, codes: pd.DataFrame) -> dict[str, pd.Series]:
    """The researcher's themes per segment, at code level and rolled up to parent codes."""
    codable = codes[codes["codable"].astype(bool)]["code_id"].tolist()
    by_code = primary_codes(human, codable)
    up = parent_of(codes)
    order = list(dict.fromkeys(up[c] for c in codable))
    by_parent = primary_codes(human.assign(code_id=human["code_id"].map(up)), order)
    return {"code": by_code, "parent": by_parent}


def run_clustering(transcripts: pd.DataFrame, segments: pd.DataFrame, rep_params,
                   params, history: pd.DataFrame | None = None
                   ) -> tuple[pd.DataFrame, np.ndarray]:
    """Representation and constant comparison from scratch (for experiments): the compared
    segments' categories (keys following `history` when given), and their vectors."""
    vectors = represent(segments, params=rep_params)[0]["segment_vectors"]
    segs, X = compared(*ordered_segments(transcripts, segments, vectors,
                                         params.min_content_words))
    members = cluster(segs, X, params, history)
    if history is not None:
        members, _ = follow(members, history)
    return members.set_index("segment_id"), X


def recovery(transcripts: pd.DataFrame, segments: pd.DataFrame,
             refs: dict[str, pd.Series], rep_params, params) -> tuple[dict, pd.DataFrame]:
    """Per reference level: our categories, and KMeans and Ward at the same k fitted on the
    same compared segments with the same vectors. Also the members, for reuse."""
    start = time.perf_counter()
    members, X = run_clustering(transcripts, segments, rep_params, params)
    seconds = time.perf_counter() - start
    rep = rep_params.method
    k = int(members["cross_category_id"].nunique())
    labels = {f"categories ({rep})": members["cross_category_id"],
              f"site categories ({rep})": members["category_id"]}
    for name, lab in baselines(X, members.index, k, seed=0).items():
        labels[f"{name} ({rep})"] = lab
    out = {level: {name: scores(ref, lab) for name, lab in labels.items()}
           for level, ref in refs.items()}
    out["seconds"] = {f"categories ({rep})": round(seconds, 2)}
    return out, members


def topic_baseline(members: pd.DataFrame, segments: pd.DataFrame,
                   refs: dict[str, pd.Series], seed: int = 0) -> dict:
    """The BERTopic-style baseline on the same compared segments (outliers are one more
    cluster, as BERTopic leaves them)."""
    from pipeline.analysis.topic_baseline import bertopic_style

    segs = segments.set_index("segment_id").loc[members.index]
    result = bertopic_style(segs["text"].tolist(), segs["lemmas"].tolist(), seed=seed)
    labels = pd.Series(result.labels, index=members.index)
    out = {level: {"bertopic-style": scores(ref, labels)} for level, ref in refs.items()}
    out["seconds"] = {"bertopic-style": round(result.seconds["total"], 2)}
    out["outliers"] = int((result.labels == -1).sum())
    return out


PEER_NAME = "BERTopic default (MiniLM)"


def peer_baseline(members: pd.DataFrame, segments: pd.DataFrame,
                  refs: dict[str, pd.Series], python: str) -> dict:
    """BERTopic's default (all-MiniLM-L6-v2, UMAP, HDBSCAN, c-TF-IDF; `peer_bertopic`, run
    by `python`, the interpreter of its own environment) on the same compared segments;
    outliers are one more cluster, as BERTopic leaves them. BERTopic sets no seed, so these
    figures move a little from run to run. The texts pass through a temporary folder."""
    from pipeline.analysis.bench_measure import spawn
    from pipeline.analysis.peer_bertopic import COMMAND

    segs = segments.set_index("segment_id").loc[members.index]
    with tempfile.TemporaryDirectory(prefix="qda-peer-") as tmp:
        texts, found = Path(tmp) / "texts.parquet", Path(tmp) / "labels.parquet"
        pd.DataFrame({"text": segs["text"].tolist()}).to_parquet(texts, index=False)
        child = spawn(["-m", COMMAND, str(texts), "--labels",
                       str(found)], module=False, python=python)
        topics = pd.read_parquet(found)["topic"].to_numpy()
    if len(topics) != len(members):
        raise ValueError(f"BERTopic gave {len(topics)} topics for {len(members)} segments")
    labels = pd.Series(topics, index=members.index)
    out = {level: {PEER_NAME: scores(ref, labels)} for level, ref in refs.items()}
    out["seconds"] = {PEER_NAME: round(child["wall"], 2)}
    out["outliers"] = int((topics == -1).sum())
    return out


def evaluate(transcripts: pd.DataFrame, segments: pd.DataFrame,
             refs: dict[str, pd.Series], rep_params, params,
             methods: tuple[str, ...] = ("lsa", "embeddings"), bertopic: bool = True,
             seeds: tuple[int, ...] = (0, 1, 2, 3, 4), peer_python: str | None = None
             ) -> dict:
    """Recovery against the researcher's themes (code and parent level) for each
    representation, beside KMeans and Ward at equal k, the BERTopic-style baseline and, given
    its environment's `peer_python`, BERTopic's default itself; seed
    stability and key retention for the configured representation. The algorithm is
    measured as it stands, before researcher decisions are applied."""
    out: dict = {"reference": {lv: {"segments": int(len(r)), "themes": int(r.nunique())}
                               for lv, r in refs.items()},
                 "recovery": {lv: {} for lv in refs}, "seconds": {}}
    members = None
    for method in dict.fromkeys((rep_params.method, *methods)):
        found, mem = recovery(transcripts, segments, refs, replace(rep_params, method=method),
                              params)
        members = mem if members is None else members
        _merge(out, found)
    if bertopic:
        found = topic_baseline(members, segments, refs)
        out["bertopic_outliers"] = found.pop("outliers")
        _merge(out, found)
    if peer_python:
        found = peer_baseline(members, segments, refs, peer_python)
        out["bertopic_default_outliers"] = found.pop("outliers")
        _merge(out, found)
    runs = {s: run_clustering(transcripts, segments, replace(rep_params, seed=s), params)[0]
            for s in seeds}
    base = runs[seeds[0]]["cross_category_id"]
    aris = [float(adjusted_rand_score(base, runs[s]["cross_category_id"].loc[base.index]))
            for s in seeds[1:]] or [1.0]
    out["stability"] = {"seeds": list(seeds), "ari_vs_first_mean": float(np.mean(aris)),
                        "ari_vs_first_min": float(np.min(aris))}
    out["key_retention"] = _retention(transcripts, segments, rep_params, params, members)
    return out


def _merge(out: dict, found: dict) -> None:
    """Add one method's figures: per reference level into `recovery`, timings beside."""
    for key, value in found.items():
        target = out["recovery"][key] if key in out["recovery"] else out.setdefault(key, {})
        target.update(value)


def _retention(transcripts: pd.DataFrame, segments: pd.DataFrame, rep_params, params,
               full: pd.DataFrame) -> dict:
    """Run without one interview, then add it back: the share of the smaller run's keys the
    full run still has, computed afresh and following the smaller run's keys (as `qda
    analyze` does), for the last interview conducted and a middle one."""
    order = interview_order(transcripts)["citation_id"].tolist()
    out = {}
    for which, cid in (("last interview added", order[-1]),
                       ("middle interview added", order[len(order) // 2])):
        fewer, _ = run_clustering(transcripts[transcripts["citation_id"] != cid],
                                  segments[segments["citation_id"] != cid], rep_params, params)
        followed, _ = run_clustering(transcripts, segments, rep_params, params,
                                     history=fewer.reset_index())
        out[which] = {"citation_id": cid}
        for name, run in (("fresh", full), ("following", followed)):
            out[which][f"site_keys_kept_{name}"] = key_retention(fewer["category_id"],
                                                                 run["category_id"])
            out[which][f"cross_keys_kept_{name}"] = key_retention(
                fewer["cross_category_id"], run["cross_category_id"])
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
        segs, X = compared(*ordered_segments(transcripts, segments, vectors,
                                             params.min_content_words))
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
    lines = []
    for level, ref in result["reference"].items():
        lines += [f"Recovery of the researcher's themes at {level} level ({ref['segments']} "
                  f"coded segments, {ref['themes']} themes):",
                  f"  {'clustering':<40} {'clusters':>8} {'ARI':>7} {'NMI':>7}"]
        for name, r in result["recovery"][level].items():
            lines.append(f"  {name:<40} {r['n_clusters']:>8} {r['ari']:>7.3f} "
                         f"{r['nmi']:>7.3f}")
    if result.get("seconds"):
        lines.append("Seconds: " + ", ".join(f"{k} {v:.1f}"
                                             for k, v in result["seconds"].items()))
    st = result["stability"]
    lines.append(f"Stability over seeds {st['seeds']}: ARI with the first seed, mean "
                 f"{st['ari_vs_first_mean']:.3f}, min {st['ari_vs_first_min']:.3f}")
    for which, r in result["key_retention"].items():
        lines.append(f"Keys kept when the {which.replace(' added', '')} ({r['citation_id']}) "
                     f"is added: cross-site {r['cross_keys_kept_following']:.0%} following "
                     f"the earlier keys ({r['cross_keys_kept_fresh']:.0%} afresh), site "
                     f"{r['site_keys_kept_following']:.0%} ({r['site_keys_kept_fresh']:.0%})")
    return lines
