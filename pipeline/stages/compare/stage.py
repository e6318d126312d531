"""compare: emerging categories by constant comparison, within each site then across sites.

Segments are compared in the order interviews were conducted (date, then site and sequence).
Each category gets a stable key, a memo (label, terms, quotes, who and where, first
appearance, overlapping codes), a status (accepted, minor, rejected, promoted) and the
researcher's decisions from codebooks/decisions.yml. Saturation is counted per interview.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.core.errors import InputError, Problem
from pipeline.core.inputs import DecisionsInput
from pipeline.nlp.pipelines import fast_nlp
from pipeline.nlp.vectors import matrix_of
from pipeline.stages.compare.algorithm import category_key, centroids_of, cluster_site, integrate
from pipeline.stages.compare.decisions import Overrides, apply, parse
from pipeline.stages.compare.memos import memos
from pipeline.stages.compare.params import CompareParams
from pipeline.stages.compare.saturation import saturation

MEMBER_COLUMNS = ["segment_id", "citation_id", "site", "role", "participant_id", "lemmas",
                  "locator", "text", "order"]


def interview_order(transcripts: pd.DataFrame) -> pd.DataFrame:
    """Interviews in the order they were conducted: date, then the corpus order (site, role,
    sequence) for interviews on the same day."""
    t = transcripts.reset_index(drop=True).assign(corpus_rank=lambda d: range(len(d)))
    t = t.sort_values(["interview_date", "corpus_rank"], kind="stable")
    return t[["citation_id", "site", "interview_date"]].reset_index(drop=True)


def ordered_segments(transcripts: pd.DataFrame, segments: pd.DataFrame,
                     vectors: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    rank = {c: i for i, c in enumerate(interview_order(transcripts)["citation_id"])}
    segs = segments.merge(vectors, on="segment_id", how="inner")
    segs = segs.assign(rank=segs["citation_id"].map(rank)).sort_values(
        ["rank", "turn", "seg_in_turn"], kind="stable").reset_index(drop=True)
    X = matrix_of(segs)
    # A segment with no content words ("Yes. Right.") has a zero vector: nothing to compare.
    keep = np.linalg.norm(X, axis=1) > 0 if len(X) else np.zeros(0, dtype=bool)
    segs = segs[keep].reset_index(drop=True)
    segs["order"] = range(len(segs))
    return segs, X[keep]


def cluster(segs: pd.DataFrame, X: np.ndarray, params: CompareParams) -> pd.DataFrame:
    """Site categories by constant comparison, then cross-site categories; keyed members."""
    site_keys = np.empty(len(segs), dtype=object)
    cents, cent_keys, cent_sites = [], [], []
    for site in dict.fromkeys(segs["site"]):
        rows = np.flatnonzero((segs["site"] == site).to_numpy())
        result = cluster_site(X[rows], params.join_threshold, params.max_passes)
        for k in range(len(result.centroids)):
            members = rows[result.labels == k]
            key = category_key(site, segs.at[int(members[0]), "segment_id"])
            site_keys[members] = key
            cents.append(result.centroids[k])
            cent_keys.append(key)
            cent_sites.append(int(members[0]))
    groups = integrate(np.array(cents), params.merge_threshold) if cents else np.zeros(0, int)
    first_of_group: dict[int, int] = {}
    for g, anchor in zip(groups, cent_sites):
        first_of_group[int(g)] = min(first_of_group.get(int(g), anchor), anchor)
    cross_of = {key: category_key("X", segs.at[first_of_group[int(g)], "segment_id"])
                for key, g in zip(cent_keys, groups)}
    out = segs[MEMBER_COLUMNS].copy()
    out["category_id"] = site_keys
    out["cross_category_id"] = out["category_id"].map(cross_of)
    return out


def _similarity(X: np.ndarray, keys: pd.Series) -> np.ndarray:
    codes, uniques = pd.factorize(keys)
    cents = centroids_of(X, codes)
    return np.einsum("ij,ij->i", X, cents[codes]).round(4)


def _category_rows(members: pd.DataFrame, key_col: str, level: str, codings: pd.DataFrame,
                   over: Overrides, params: CompareParams) -> pd.DataFrame:
    other = "cross_category_id" if key_col == "category_id" else "category_id"
    table = members.drop(columns=[other]).rename(columns={key_col: "category_id"})
    sim_col = "similarity" if level == "site" else "cross_similarity"
    memo = memos(table.assign(similarity=table[sim_col]), codings, params.n_terms,
                 params.n_quotes, params.n_codes)
    memo.insert(1, "level", level)
    if level == "site":
        parent = (members.groupby("category_id")["cross_category_id"]
                  .agg(lambda s: s.value_counts().sort_index().idxmax()))
        memo.insert(2, "site", memo["category_id"].map(members.groupby("category_id")["site"]
                                                       .first()))
        memo.insert(3, "parent_id", memo["category_id"].map(parent))
    else:
        memo.insert(2, "site", None)
        memo.insert(3, "parent_id", None)
    minor = memo["n_participants"] < params.min_participants
    memo["status"] = np.where(minor, "minor", "accepted")
    memo["status"] = [over.status.get(k, s) for k, s in zip(memo["category_id"],
                                                            memo["status"])]
    memo["computed_label"] = memo["label"]
    memo["label"] = [over.label.get(k, lab) for k, lab in zip(memo["category_id"],
                                                             memo["label"])]
    memo["promoted_code"] = memo["category_id"].map(over.code_id)
    memo["decision_memo"] = memo["category_id"].map(over.memo)
    return memo


def run(transcripts: pd.DataFrame, segments: pd.DataFrame, segment_vectors: pd.DataFrame,
        codings: pd.DataFrame, decisions: DecisionsInput, *, params: CompareParams
        ) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    parsed, problems = parse(decisions.text, decisions.path)
    if any(p.is_error for p in problems):
        raise InputError(problems)
    segs, X = ordered_segments(transcripts, segments, segment_vectors)
    members = cluster(segs, X, params)
    lookup = fast_nlp("en").get_pipe("lemmatizer").lookup
    members, over, log, found = apply(parsed, members, decisions.path,
                                      lambda w: lookup(w.lower()))
    problems += found
    members["similarity"] = _similarity(X, members["category_id"])
    members["cross_similarity"] = _similarity(X, members["cross_category_id"])
    # The codes a category overlaps are the ones researchers confirmed, not suggestions.
    codings = codings[codings["status"] == "confirmed"]
    categories = pd.concat([
        _category_rows(members, "cross_category_id", "cross-site", codings, over, params),
        _category_rows(members, "category_id", "site", codings, over, params),
    ], ignore_index=True)
    segment_categories = members[["segment_id", "citation_id", "site", "order", "category_id",
                                  "similarity", "cross_category_id", "cross_similarity"]]
    sat = saturation(interview_order(transcripts), members)
    return {"categories": categories, "segment_categories": segment_categories,
            "saturation": sat, "decision_log": log}, problems
