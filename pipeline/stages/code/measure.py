"""Honest measurement of automatic coding: scored over every segment a researcher read (so a
false positive always counts), per code and rolled up to parent codes, with bootstrap
confidence intervals (resampling segments) for Cohen's kappa."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy.stats import bootstrap

from pipeline.codebook.model import Codebook
from pipeline.stages.code.reliability import COLUMNS, POOLED, agreement, indicator

MEASURE_COLUMNS = ["comparison", "level", *COLUMNS, "kappa_low", "kappa_high"]
N_RESAMPLES = 500


def empty() -> pd.DataFrame:
    ints = {c: "int64" for c in COLUMNS if c.startswith("n_")}
    floats = {c: "float64" for c in ("precision", "recall", "f1", "kappa", "kappa_low",
                                     "kappa_high")}
    return pd.DataFrame(columns=MEASURE_COLUMNS).astype(ints | floats)


def parent_of(book: Codebook) -> dict[str, str]:
    """Each codable code's top-level ancestor (itself at the top)."""
    return {c.id: (book.ancestors(c.id) or [c.id])[-1] for c in book.codable}


def _kappa_rows(ref: np.ndarray, pred: np.ndarray):
    """Cohen's kappa of boolean (units x codes) tables for resampled unit indices; the
    same value as sklearn's cohen_kappa_score on the flattened cells (tested)."""
    def statistic(idx: np.ndarray, axis: int = -1) -> np.ndarray:
        r, p = ref[idx], pred[idx]          # (..., units, codes)
        n = r.shape[-1] * r.shape[-2]
        a = (r & p).sum((-1, -2))
        yes_r, yes_p = r.sum((-1, -2)), p.sum((-1, -2))
        agree = (n - yes_r - yes_p + 2 * a) / n
        chance = (yes_r * yes_p + (n - yes_r) * (n - yes_p)) / n ** 2
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(chance < 1, (agree - chance) / (1 - chance), np.nan)
    return statistic


def kappa_interval(ref: np.ndarray, pred: np.ndarray, seed: int) -> tuple[float, float]:
    """95% percentile bootstrap interval of kappa, resampling units (rows)."""
    if len(ref) < 10 or not (ref.any() or pred.any()):
        return float("nan"), float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # degenerate resamples give NaN, reported as such
        result = bootstrap((np.arange(len(ref)),), _kappa_rows(ref, pred), vectorized=True,
                           n_resamples=N_RESAMPLES, method="percentile",
                           random_state=np.random.default_rng(seed))
    # Percentiles of the resamples where kappa is defined: a resample with no positive on
    # either side has none, and one NaN must not void the interval.
    dist = result.bootstrap_distribution
    if np.isnan(dist).mean() > 0.5:
        return float("nan"), float("nan")
    low, high = np.nanpercentile(dist, [2.5, 97.5])
    return float(low), float(high)


def compare(reference: pd.DataFrame, predicted: pd.DataFrame, name: str, level: str,
            seed: int) -> pd.DataFrame:
    """Agreement rows of one comparison at one level, each with its kappa interval."""
    out = agreement(reference, predicted).assign(comparison=name, level=level)
    pred = predicted.reindex_like(reference).fillna(False).astype(bool)
    lows, highs = [], []
    for code in out["code_id"]:
        cols = list(reference.columns) if code == POOLED else [code]
        low, high = kappa_interval(reference[cols].to_numpy(bool), pred[cols].to_numpy(bool),
                                   seed)
        lows.append(low)
        highs.append(high)
    return out.assign(kappa_low=lows, kappa_high=highs)[MEASURE_COLUMNS]


def evaluate(reference_pairs: pd.DataFrame, read: list[str],
             predictions: dict[str, pd.DataFrame], book: Codebook, seed: int) -> pd.DataFrame:
    """`predictions` maps a comparison name to its (segment_id, code_id) rows; each is scored
    against the reference codes on every read segment, per code and per parent code."""
    codes = [c.id for c in book.codable]
    if not read or not codes:
        return empty()
    parents = parent_of(book)
    frames = []
    for level, mapping in (("code", None), ("parent", parents)):
        tops = set(parents.values())
        columns = [c.id for c in book.codes if c.id in tops] if mapping else codes
        ref = indicator(_map(reference_pairs, mapping), read, columns)
        for name, rows in predictions.items():
            frames.append(compare(ref, indicator(_map(rows, mapping), read, columns), name,
                                  level, seed))
    return pd.concat(frames, ignore_index=True)


def _map(pairs: pd.DataFrame, mapping: dict[str, str] | None) -> pd.DataFrame:
    if mapping is None:
        return pairs
    return pairs.assign(code_id=pairs["code_id"].map(mapping)).dropna(subset=["code_id"])


def coder_pairs(human: pd.DataFrame, book: Codebook, seed: int) -> pd.DataFrame:
    """Agreement between each pair of coders on the segments both read."""
    codes = [c.id for c in book.codable]
    coders = sorted(human["coder"].unique())
    frames = []
    for i, a in enumerate(coders):
        for b in coders[i + 1:]:
            both = sorted(set(human.loc[human["coder"] == a, "segment_id"])
                          & set(human.loc[human["coder"] == b, "segment_id"]))
            if both:
                ref = indicator(human[human["coder"] == a], both, codes)
                pred = indicator(human[human["coder"] == b], both, codes)
                frames.append(compare(ref, pred, f"human:{a} vs human:{b}", "code", seed))
    return pd.concat(frames, ignore_index=True) if frames else empty()
