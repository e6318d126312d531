"""Agreement statistics on binary decisions (a coder applied a code to a unit, or not):
percent agreement, Cohen's kappa (a fixed pair) and Krippendorff's alpha (nominal, two or
more coders, missing values allowed), each per code and pooled over every (unit, code)
decision, with 95% bootstrap intervals that resample segments.

Point estimates come from the libraries (scikit-learn's `cohen_kappa_score`, the
`krippendorff` package); the bootstrap uses the same formulas on summed counts, so that a
thousand resamples cost one matrix product (tests check both give the same values)."""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

MIN_SEGMENTS = 10
N_RESAMPLES = 1000
MISSING = -1
# Per-cluster sums from which every statistic follows: alpha's pairable 0s and 1s and its
# disagreement D = sum over units of n0*n1/(m-1); kappa's 2x2 table of the first two coders.
N0, N1, D, A11, A10, A01, A00 = range(7)
STATS = ("percent", "kappa", "alpha")


@dataclass
class Decisions:
    """Binary decisions of k coders on units, for several codes."""

    values: np.ndarray   # (units, codes, coders) int8: 1, 0, or MISSING (coder did not read)
    weight: np.ndarray   # (units,) characters a unit stands for (1 for a segment)
    cluster: np.ndarray  # (units,) the segment a unit belongs to (resampled together)
    weighted: bool = False  # True for character runs: alpha from the formula, not the package


def cluster_sums(dec: Decisions) -> np.ndarray:
    """(clusters, codes, 7) sums of the counts above, per resampling cluster."""
    v = dec.values
    m = (v != MISSING).sum(-1)
    n1 = (v == 1).sum(-1)
    n0 = m - n1
    pair = m >= 2  # a unit one coder alone read carries no agreement information
    w = dec.weight[:, None].astype(float)
    d = np.where(pair, n0 * n1 / np.maximum(m - 1, 1), 0.0)
    parts = [n0 * pair * w, n1 * pair * w, d * w]
    if v.shape[-1] == 2:
        x, y = v[..., 0], v[..., 1]
        parts += [((x == a) & (y == b) & pair) * w for a, b in ((1, 1), (1, 0), (0, 1), (0, 0))]
    else:
        parts += [np.zeros_like(w * pair)] * 4
    per_unit = np.stack(parts, axis=-1)
    _, index = np.unique(dec.cluster, return_inverse=True)
    out = np.zeros((index.max() + 1 if len(index) else 0, *per_unit.shape[1:]))
    np.add.at(out, index, per_unit)
    return out


def alpha_from(s: np.ndarray) -> np.ndarray:
    """Nominal alpha = 1 - (n - 1) D / (n0 n1); undefined when every value is the same."""
    n0, n1, d = s[..., N0], s[..., N1], s[..., D]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n0 * n1 > 0, 1 - (n0 + n1 - 1) * d / (n0 * n1), np.nan)


def kappa_from(s: np.ndarray) -> np.ndarray:
    """Cohen's kappa from the 2x2 table; undefined when both coders are constant and equal."""
    a11, a10, a01, a00 = s[..., A11], s[..., A10], s[..., A01], s[..., A00]
    n = a11 + a10 + a01 + a00
    with np.errstate(invalid="ignore", divide="ignore"):
        px, py = (a11 + a10) / n, (a11 + a01) / n
        po, pe = (a11 + a00) / n, px * py + (1 - px) * (1 - py)
        return np.where((n > 0) & (pe < 1 - 1e-12), (po - pe) / (1 - pe), np.nan)


def percent_from(s: np.ndarray) -> np.ndarray:
    """Share of agreeing pairs of values (alpha's observed agreement; for two coders who both
    read every unit, the share of units they agree on)."""
    n = s[..., N0] + s[..., N1]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, 1 - 2 * s[..., D] / n, np.nan)


FORMULAS = {"percent": percent_from, "kappa": kappa_from, "alpha": alpha_from}


def intervals(sums: np.ndarray, seed: int) -> dict[str, np.ndarray]:
    """95% percentile bootstrap intervals, (codes, 2) per statistic, resampling clusters
    (segments) with a fixed seed; NaN where most resamples leave the statistic undefined."""
    n = len(sums)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n, (N_RESAMPLES, n))
    counts = np.zeros((N_RESAMPLES, n))
    np.add.at(counts, (np.arange(N_RESAMPLES)[:, None], draws), 1)
    boot = np.tensordot(counts, sums, axes=(1, 0))  # (resamples, codes, 7)
    out = {}
    for name, formula in FORMULAS.items():
        dist = formula(boot)
        bad = np.isnan(dist).mean(0) > 0.5
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # all-NaN columns: reported as NaN
            bounds = np.nanpercentile(dist, [2.5, 97.5], axis=0).T
        bounds[bad] = np.nan
        out[name] = bounds
    return out


def library_kappa(x: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None) -> float:
    from sklearn.metrics import cohen_kappa_score

    return float(cohen_kappa_score(x, y, sample_weight=weight))


def library_alpha(values: np.ndarray) -> float:
    """Krippendorff's nominal alpha of (units, coders) values with MISSING for not read."""
    import krippendorff

    data = np.where(values == MISSING, np.nan, values.astype(float)).T
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def reason(total: np.ndarray, n_segments: int) -> str:
    """Why kappa and alpha are undefined for these summed counts ('' when they are not)."""
    if n_segments < MIN_SEGMENTS:
        return f"only {n_segments} segments compared (fewer than {MIN_SEGMENTS})"
    if total[N1] == 0:
        return "no variation: no coder applied the code to any unit compared"
    if total[N0] == 0:
        return "no variation: every coder applied the code to every unit compared"
    return ""


def summarise(dec: Decisions, code_ids: list[str], pooled: str, seed: int) -> list[dict]:
    """One row per code and one pooled over all (unit, code) decisions."""
    sums = cluster_sums(dec)
    sums = np.concatenate([sums, sums.sum(1, keepdims=True)], axis=1)
    total, n_seg = sums.sum(0), len(sums)
    bounds = intervals(sums, seed) if n_seg >= MIN_SEGMENTS else None
    pairable = (dec.values[:, 0, :] != MISSING).sum(-1) >= 2 if dec.values.size else []
    n_units = int(dec.weight[pairable].sum()) if len(pairable) else 0
    rows = []
    for j, code in enumerate([*code_ids, pooled]):
        cols = list(range(len(code_ids))) if code == pooled else [j]
        note = reason(total[j], n_seg)
        row = {"code_id": code, "n_units": n_units, "n_segments": n_seg,
               "percent": float(percent_from(total[j])), "note": note}
        point = _points(dec, cols, total[j]) if not note else {"kappa": np.nan,
                                                               "alpha": np.nan}
        for name in ("kappa", "alpha"):
            low, high = (np.nan, np.nan) if bounds is None or note else bounds[name][j]
            row |= {name: point[name], f"{name}_low": float(low), f"{name}_high": float(high)}
        rows.append(row)
    return rows


def _points(dec: Decisions, cols: list[int], total: np.ndarray) -> dict[str, float]:
    """Library point estimates on the flattened (unit, code) decisions of `cols`."""
    values = dec.values[:, cols, :].reshape(-1, dec.values.shape[-1])
    weight = np.repeat(dec.weight, len(cols))
    keep = (values != MISSING).sum(-1) >= 2
    values, weight = values[keep], weight[keep]
    kappa = (library_kappa(values[:, 0], values[:, 1], weight if dec.weighted else None)
             if values.shape[-1] == 2 else np.nan)
    # The krippendorff package has no unit weights: character runs use the same formula on
    # character counts (tested equal to the package on characters written out one by one).
    alpha = float(alpha_from(total)) if dec.weighted else library_alpha(values)
    return {"kappa": float(kappa), "alpha": alpha}
