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
from pipeline.core.config import field_docs
from pipeline.nlp.pipelines import fast_nlp
from pipeline.stages.code import (
    POOLED,
    CodeParams,
    ModelSettings,
    SimilarityCoder,
    agreement,
    fit_codes,
    indicator,
    labels,
    match_segments,
    pattern_rows,
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


MODEL_GRID = {"model_c": (1.0, 10.0, 100.0), "model_precision": (0.6, 0.7, 0.8, 0.9)}


def sweep_model(segments: pd.DataFrame, book: Codebook, human: pd.DataFrame,
                params: CodeParams, grid: dict[str, tuple] = MODEL_GRID,
                read: pd.DataFrame | None = None) -> pd.DataFrame:
    """Cross-validated agreement (grouped by interview) of the model for each (C, precision
    target), on the segments researchers read, as the code stage trains it."""
    codes = [c.id for c in book.codable]
    read = human[["segment_id", "coder"]] if read is None else read
    confirmed = human[human["code_id"] != ""]
    reviews = pd.DataFrame(columns=["segment_id", "code_id", "decision"])
    table = labels(read, confirmed, reviews, codes)
    X = SimilarityCoder(book, fast_nlp(params.lang), params.min_df).fit(
        segments["lemmas"].tolist()).matrix_   # the stage's own features
    pos = {s: i for i, s in enumerate(segments["segment_id"])}
    rows_l = np.array([pos[s] for s in table.index], dtype=int)
    groups = segments["citation_id"].to_numpy()[rows_l]
    reference = table.fillna(0).astype(bool)
    rows = []
    for c, target in itertools.product(grid["model_c"], grid["model_precision"]):
        s = ModelSettings(c, params.seed, params.model_folds, params.model_min_examples,
                          target)
        models, oof, _ = fit_codes(X[rows_l], table, groups, s)
        pooled = agreement(reference, oof.fillna(0).astype(bool)).set_index(
            "code_id").loc[POOLED]
        rows.append({"model_c": c, "model_precision": target,
                     "codes_proposing": int(models["proposes"].sum()),
                     "pooled_kappa": pooled.kappa, "pooled_precision": pooled.precision,
                     "pooled_recall": pooled.recall, "pooled_f1": pooled.f1})
    return pd.DataFrame(rows).sort_values("pooled_kappa", ascending=False).reset_index(drop=True)


def edge_notes(table: pd.DataFrame, grid: dict[str, tuple]) -> list[str]:
    """Grid values of the best setting that sit at an end of the grid which is not also the
    end of the parameter's valid range: the optimum may lie outside the grid."""
    if table.empty:
        return []
    limits = field_docs(CodeParams)
    best, notes = table.iloc[0], []
    for name, values in grid.items():
        lo, hi = min(values), max(values)
        bound = limits.get(name, {})
        at_low = best[name] == lo and lo not in (bound.get("ge"), bound.get("gt"))
        at_high = best[name] == hi and hi not in (bound.get("le"), bound.get("lt"))
        if len(values) > 1 and (at_low or at_high):
            notes.append(f"the best {name} ({best[name]}) is at the edge of the grid "
                         f"({lo} to {hi}): the optimum may lie outside it")
    return notes
