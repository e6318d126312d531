"""Choose the code stage's thresholds by measurement against human codings.

For every combination in a small grid, automatic coding (pattern matches plus similarity) is
compared with the human codings on the segments humans coded; the table is sorted by pooled
Cohen's kappa, so the first row is the best setting.
"""
from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pandas as pd

from pipeline.codebook import Codebook
from pipeline.nlp.pipelines import fast_nlp
from pipeline.stages.code import (
    POOLED,
    CodeParams,
    SimilarityCoder,
    agreement,
    cross_validated,
    indicator,
    match_segments,
    pattern_rows,
    trainable,
)

GRID = {
    "pattern_min_terms": (1, 2),
    "similarity_threshold": (0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 1.0),
    "similarity_max_codes": (1, 2, 3),
    "exclude_weight": (0.0, 0.5, 1.0),
}


def sweep(segments: pd.DataFrame, book: Codebook, human: pd.DataFrame, params: CodeParams,
          grid: dict[str, tuple] = GRID) -> pd.DataFrame:
    """Pooled and mean per-code agreement for each grid point (threshold 1.0 = patterns only).

    The similarity coder is the code stage's own, fitted on every segment as the stage does;
    agreement is measured on the segments humans coded.
    """
    nlp = fast_nlp(params.lang)
    seg_ids = sorted(human["segment_id"].unique())
    codes = [c.id for c in book.codable]
    reference = indicator(human, seg_ids, codes)
    rows_l = np.flatnonzero(segments["segment_id"].isin(seg_ids).to_numpy())
    labelled = segments.iloc[rows_l].reset_index(drop=True)
    matches = match_segments(labelled, book, nlp)
    sim = SimilarityCoder(book, nlp, params.min_df).fit(segments["lemmas"].tolist())
    ids = labelled["segment_id"].to_numpy()
    rows = []
    for weight in grid["exclude_weight"]:
        scores = sim.scores(rows_l, weight) if sim.usable else None
        for min_terms, thr, k in itertools.product(grid["pattern_min_terms"],
                                                   grid["similarity_threshold"],
                                                   grid["similarity_max_codes"]):
            found = [pattern_rows(matches, min_terms)[["segment_id", "code_id"]]]
            if scores is not None:
                found.append(sim.codings(ids, scores, thr, k, rows_l, evidence_terms=False)
                             [["segment_id", "code_id"]])
            auto = pd.concat(found)
            result = agreement(reference, indicator(auto, seg_ids, codes)).set_index("code_id")
            pooled, per_code = result.loc[POOLED], result.drop(index=POOLED)
            rows.append({"pattern_min_terms": min_terms, "similarity_threshold": thr,
                         "similarity_max_codes": k, "exclude_weight": weight,
                         "pooled_kappa": pooled.kappa, "pooled_precision": pooled.precision,
                         "pooled_recall": pooled.recall, "pooled_f1": pooled.f1,
                         "mean_code_kappa": per_code["kappa"].mean()})
    return (pd.DataFrame(rows).sort_values(["pooled_kappa", "mean_code_kappa"],
                                           ascending=False).reset_index(drop=True))


def best_params(table: pd.DataFrame, params: CodeParams) -> CodeParams:
    best = table.iloc[0]
    return replace(params, pattern_min_terms=int(best.pattern_min_terms),
                   similarity_threshold=float(best.similarity_threshold),
                   similarity_max_codes=int(best.similarity_max_codes),
                   exclude_weight=float(best.exclude_weight))


MODEL_GRID = {"model_c": (1.0, 10.0, 100.0), "model_threshold": (0.2, 0.3, 0.4, 0.5)}


def sweep_model(segments: pd.DataFrame, book: Codebook, human: pd.DataFrame,
                params: CodeParams, grid: dict[str, tuple] = MODEL_GRID) -> pd.DataFrame:
    """Cross-validated agreement of the supervised coder for each (C, threshold)."""
    seg_ids = sorted(human["segment_id"].unique())
    labels = indicator(human, seg_ids, [c.id for c in book.codable]).astype(int)
    codes = trainable(labels, params.model_min_examples)
    X = SimilarityCoder(book, fast_nlp(params.lang), params.min_df).fit(
        segments["lemmas"].tolist()).matrix_   # the stage's own features
    pos = {s: i for i, s in enumerate(segments["segment_id"])}
    rows_l = [pos[s] for s in labels.index]
    groups = segments["citation_id"].to_numpy()[rows_l]
    rows = []
    for c, thr in itertools.product(grid["model_c"], grid["model_threshold"]):
        cv = cross_validated(X[rows_l], labels, groups, codes, params.model_folds, c,
                             params.seed, thr)
        pooled = agreement(labels[codes].astype(bool), cv).set_index("code_id").loc[POOLED]
        rows.append({"model_c": c, "model_threshold": thr, "codes_trained": len(codes),
                     "pooled_kappa": pooled.kappa, "pooled_precision": pooled.precision,
                     "pooled_recall": pooled.recall, "pooled_f1": pooled.f1})
    return pd.DataFrame(rows).sort_values("pooled_kappa", ascending=False).reset_index(drop=True)
