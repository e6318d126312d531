"""compare: emerging categories by constant comparison, within each site then across sites.

Segments are compared in the order interviews were conducted (date, then site and sequence);
backchannels and marker-only segments are left out, flagged. Each category gets a key that
follows it from run to run, a memo (a label of key phrases, representative phrases, terms,
quotes, who and where, first appearance, overlapping codes), a status and the researcher's
decisions from codebooks/decisions.yml. Categories are machine suggestions: every one starts
*proposed* and becomes a theme only when a decision accepts or promotes it. Saturation is
counted per interview.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.core.cache import Cache, no_cache
from pipeline.core.errors import InputError, Problem, warning
from pipeline.core.inputs import DecisionsInput, InputFiles, KeyHistory
from pipeline.member import withdrawn_segments
from pipeline.nlp.pipelines import fast_nlp
from pipeline.nlp.vectors import matrix_of
from pipeline.stages.compare.algorithm import category_key, centroids_of, cluster_site, integrate
from pipeline.stages.compare.decisions import Overrides, apply, parse
from pipeline.stages.compare.keys import earlier_cross, follow, keep_apart, key_table
from pipeline.stages.compare.labels import capitalised_words, study_names
from pipeline.stages.compare.memos import memos, phrase_labels
from pipeline.stages.compare.noise import left_out
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
                     vectors: pd.DataFrame, min_content_words: int = 1
                     ) -> tuple[pd.DataFrame, np.ndarray]:
    """Every segment in conduct order with its vector, `order`, and `left_out` (why it is
    not compared, '' when it is): see `compared`."""
    rank = {c: i for i, c in enumerate(interview_order(transcripts)["citation_id"])}
    segs = segments.merge(vectors, on="segment_id", how="inner")
    segs = segs.assign(rank=segs["citation_id"].map(rank)).sort_values(
        ["rank", "turn", "seg_in_turn"], kind="stable").reset_index(drop=True)
    X = matrix_of(segs)
    segs["left_out"] = left_out(segs, X, min_content_words)
    segs["order"] = range(len(segs))
    return segs, X


def compared(segs: pd.DataFrame, X: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """The segments that take part in comparison, and their vectors."""
    keep = (segs["left_out"] == "").to_numpy()
    return segs[keep].reset_index(drop=True), X[keep]


def cluster(segs: pd.DataFrame, X: np.ndarray, params: CompareParams,
            history: pd.DataFrame | None = None) -> pd.DataFrame:
    """Site categories by constant comparison, then cross-site categories; keyed members.
    With the previous run's keys, cross-site merges never join two earlier categories."""
    site_keys = np.empty(len(segs), dtype=object)
    cents, cent_keys, cent_sites, cent_members = [], [], [], []
    # Plain arrays: converting the (Arrow) columns once per category took seconds.
    seg_ids = segs["segment_id"].to_numpy(dtype=object)
    sites = segs["site"].to_numpy(dtype=object)
    for site in dict.fromkeys(sites):
        rows = np.flatnonzero(sites == site)
        result = cluster_site(X[rows], params.join_threshold, params.max_passes)
        order = np.argsort(result.labels, kind="stable")   # each category's rows, in order
        bounds = np.searchsorted(result.labels[order], np.arange(len(result.centroids) + 1))
        for k in range(len(result.centroids)):
            members = rows[order[bounds[k]:bounds[k + 1]]]
            key = category_key(site, seg_ids[members[0]])
            site_keys[members] = key
            cents.append(result.centroids[k])
            cent_keys.append(key)
            cent_sites.append(int(members[0]))
            cent_members.append(seg_ids[members].tolist())
    groups = integrate(np.array(cents), params.merge_threshold) if cents else np.zeros(0, int)
    if history is not None and len(groups):
        groups = keep_apart(groups, earlier_cross(cent_members, history),
                            [len(m) for m in cent_members])
    first_of_group: dict[int, int] = {}
    for g, anchor in zip(groups, cent_sites):
        first_of_group[int(g)] = min(first_of_group.get(int(g), anchor), anchor)
    cross_of = {key: category_key("X", seg_ids[first_of_group[int(g)]])
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
                   over: Overrides, params: CompareParams, banned: frozenset[str],
                   withdrawn: frozenset[str] = frozenset()) -> pd.DataFrame:
    other = "cross_category_id" if key_col == "category_id" else "category_id"
    table = members.drop(columns=[other]).rename(columns={key_col: "category_id"})
    sim_col = "similarity" if level == "site" else "cross_similarity"
    memo = memos(table.assign(similarity=table[sim_col]), codings, params.n_terms,
                 params.n_quotes, params.n_codes, banned, withdrawn)
    memo.insert(1, "level", level)
    if level == "site":
        parent = _parents(members)
        memo.insert(2, "site", memo["category_id"].map(members.groupby("category_id")["site"]
                                                       .first()))
        memo.insert(3, "parent_id", memo["category_id"].map(parent))
    else:
        memo.insert(2, "site", None)
        memo.insert(3, "parent_id", None)
    memo["status"] = [over.status.get(k, "proposed") for k in memo["category_id"]]
    memo["minor"] = memo["n_participants"] < params.min_participants
    memo["promoted_code"] = memo["category_id"].map(over.code_id)
    memo["decision_memo"] = memo["category_id"].map(over.memo)
    return memo


def _parents(members: pd.DataFrame) -> pd.Series:
    """Per site category, the cross-site category holding most of its segments (a tie goes
    to the first key): counted once for all, not a value_counts per category."""
    pairs = (members.groupby(["category_id", "cross_category_id"]).size()
             .rename("n").reset_index()
             .sort_values(["category_id", "n", "cross_category_id"],
                          ascending=[True, False, True]))
    return pairs.drop_duplicates("category_id").set_index("category_id")["cross_category_id"]


def _labels(categories: pd.DataFrame, members: pd.DataFrame, banned: frozenset[str],
            params: CompareParams, cache: Cache) -> tuple[pd.DataFrame, list[Problem]]:
    """Key-phrase labels for the cross-site categories (their distinctive terms stay the
    label where no phrase is found, and for site categories)."""
    cross = categories["level"] == "cross-site"
    ranked = members.sort_values(["cross_similarity", "segment_id"], ascending=[False, True])
    nearest: dict[str, list[str]] = {}   # per category, in order of its best segment
    for key, text in zip(ranked["cross_category_id"].tolist(), ranked["text"].tolist()):
        if not pd.isna(key) and len(got := nearest.setdefault(key, [])) < params.label_segments:
            got.append(text)
    try:
        terms = dict(zip(categories.loc[cross, "category_id"],
                         categories.loc[cross, "top_terms"].map(list)))
        found = phrase_labels(nearest, terms, banned, cache)
    except OSError as exc:  # the trained model is an install option
        return categories, [warning("outputs/categories.parquet", 0, f"category labels are "
                                    f"distinctive words, not key phrases: {exc}")]
    out = categories.copy()
    chosen = [found.get(k, ("", [])) if c else ("", [])
              for k, c in zip(out["category_id"], cross)]
    out["label"] = [lab or old for (lab, _), old in zip(chosen, out["label"])]
    out["phrases"] = [phrases for _, phrases in chosen]
    return out, []


def run(transcripts: pd.DataFrame, segments: pd.DataFrame, segment_vectors: pd.DataFrame,
        codings: pd.DataFrame, participants: pd.DataFrame, decisions: DecisionsInput,
        key_history: KeyHistory, member_checks: InputFiles | None = None, *,
        params: CompareParams, cache: Cache = no_cache
        ) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    parsed, problems = parse(decisions.text, decisions.path)
    withdrawn = withdrawn_segments(member_checks or InputFiles("member_checks"), segments)
    if any(p.is_error for p in problems):
        raise InputError(problems)
    ordered, X_all = ordered_segments(transcripts, segments, segment_vectors,
                                      params.min_content_words)
    segs, X = compared(ordered, X_all)
    members, changes = follow(cluster(segs, X, params, key_history.table),
                              key_history.table)
    keys = key_table(members)
    lookup = fast_nlp("en").get_pipe("lemmatizer").lookup
    members, over, log, found = apply(parsed, members, decisions.path,
                                      lambda w: lookup(w.lower()), changes.absorbed)
    problems += found
    members["similarity"] = _similarity(X, members["category_id"])
    members["cross_similarity"] = _similarity(X, members["cross_category_id"])
    # The codes a category overlaps are the ones researchers confirmed, not suggestions.
    codings = codings[codings["status"] == "confirmed"]
    banned = study_names(participants, transcripts) | capitalised_words(segments["text"])
    categories = pd.concat([
        _category_rows(members, "cross_category_id", "cross-site", codings, over, params,
                       banned, withdrawn),
        _category_rows(members, "category_id", "site", codings, over, params, banned,
                       withdrawn),
    ], ignore_index=True)
    categories, label_problems = _labels(categories, members, banned, params, cache)
    problems += label_problems
    categories["computed_label"] = categories["label"]
    categories["label"] = [over.label.get(k, lab) for k, lab in
                           zip(categories["category_id"], categories["label"])]
    sat = saturation(interview_order(transcripts), members)
    return {"categories": categories, "segment_categories": _segment_rows(ordered, members),
            "saturation": sat, "decision_log": log, "category_keys": keys}, problems


def _segment_rows(ordered: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Every segment: its categories, or why it was left out of comparison."""
    cols = ["segment_id", "category_id", "similarity", "cross_category_id", "cross_similarity"]
    out = ordered[["segment_id", "citation_id", "site", "order", "left_out"]].merge(
        members[cols], on="segment_id", how="left")
    out.insert(4, "compared", out["left_out"] == "")
    return out
