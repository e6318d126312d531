"""A supervised coder that learns from what researchers decided, including "nothing applies".

Per code, it is trained on the segments a researcher read: those they gave the code are
positives; those they read and left without it are negatives (segments in a transcript
declared fully coded, "read, no code" rows, suggestions a reviewer rejected). Probabilities
are calibrated (Platt scaling of a logistic regression's out-of-fold scores), and the code's
threshold is the lowest one whose cross-validated precision, grouped by interview, meets the
target. A code whose target cannot be met proposes nothing, and the table says why.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_curve
from sklearn.model_selection import GroupKFold

MODEL_COLUMNS = ["code_id", "n_positive", "n_negative", "threshold", "cv_precision",
                 "cv_recall", "proposes", "reason"]


@dataclass(frozen=True)
class ModelSettings:
    c: float
    seed: int
    folds: int
    min_examples: int
    precision: float      # target cross-validated precision of what it proposes
    min_hits: int = 3     # a threshold must be met by this many correct out-of-fold hits


def _fit(X: sparse.csr_matrix, y: np.ndarray, s: ModelSettings) -> LogisticRegression:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return LogisticRegression(C=s.c, solver="liblinear", random_state=s.seed).fit(X, y)


class Calibrated:
    """A logistic regression whose scores are mapped to probabilities by Platt scaling fitted
    on out-of-fold scores (sklearn's CalibratedClassifierCV with ensemble=False does the same,
    but does not return the out-of-fold probabilities that choose the threshold)."""

    def __init__(self, X: sparse.csr_matrix, y: np.ndarray, scores: np.ndarray,
                 s: ModelSettings):
        self.model = _fit(X, y, s)
        self.platt = _platt(y, scores)

    def probability(self, scores: np.ndarray) -> np.ndarray:
        return self.platt.predict_proba(scores[:, None])[:, 1]

    def predict_proba(self, X: sparse.csr_matrix) -> np.ndarray:
        return self.probability(self.model.decision_function(X))


def trainable(labels: pd.DataFrame, min_examples: int) -> list[str]:
    """Codes with enough known positive and negative examples to learn from (NaN = unknown)."""
    pos = (labels == 1).sum()
    neg = (labels == 0).sum()
    return [c for c in labels.columns if pos[c] >= min_examples and neg[c] >= min_examples]


def out_of_fold(X: sparse.csr_matrix, y: np.ndarray, groups: np.ndarray, s: ModelSettings
                ) -> np.ndarray:
    """Scores for each row from a model that never saw its interview (NaN when a training
    fold lacks one of the classes)."""
    scores = np.full(len(y), np.nan)
    n_splits = min(s.folds, len(np.unique(groups)))
    if n_splits < 2:
        return scores
    for train, test in GroupKFold(n_splits=n_splits).split(X, y, groups):
        if len(np.unique(y[train])) == 2:
            scores[test] = _fit(X[train], y[train], s).decision_function(X[test])
    return scores


def choose_threshold(y: np.ndarray, probs: np.ndarray, s: ModelSettings
                     ) -> tuple[float | None, float, float, str]:
    """(threshold, precision, recall, reason): the lowest threshold whose out-of-fold precision
    reaches the target with at least `min_hits` correct hits; None and why when there is none."""
    known = ~np.isnan(probs)
    if y[known].sum() == 0:
        return None, float("nan"), float("nan"), "no held-out positives to measure on"
    precision, recall, thresholds = precision_recall_curve(y[known], probs[known])
    hits = recall[:-1] * y[known].sum()
    ok = np.flatnonzero((precision[:-1] >= s.precision) & (hits >= s.min_hits))
    if len(ok) == 0:
        enough = hits >= s.min_hits
        best = float(np.max(precision[:-1][enough])) if enough.any() else float("nan")
        why = (f"cross-validated precision {best:.2f} is below the target {s.precision:.2f}"
               if enough.any() else f"fewer than {s.min_hits} held-out positives found at "
                                    f"any threshold")
        return None, best, float("nan"), why
    i = ok[0]   # thresholds ascend: the first that qualifies keeps the most recall
    return float(thresholds[i]), float(precision[i]), float(recall[i]), ""


def fit_codes(X: sparse.csr_matrix, labels: pd.DataFrame, groups: np.ndarray,
              s: ModelSettings) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Calibrated]]:
    """Per code: its row of the model table; out-of-fold predictions (1/0, NaN where unknown)
    at its threshold for the labelled rows; and, for codes that propose, the calibrated model
    fitted on all their labelled rows."""
    rows, fitted = [], {}
    oof = pd.DataFrame(np.nan, index=labels.index, columns=labels.columns)
    usable = set(trainable(labels, s.min_examples))
    for code in labels.columns:
        known = labels[code].notna().to_numpy()
        y = labels[code].to_numpy()[known].astype(int)
        row = {"code_id": code, "n_positive": int(y.sum()), "n_negative": int(len(y) - y.sum()),
               "threshold": float("nan"), "cv_precision": float("nan"),
               "cv_recall": float("nan"), "proposes": False,
               "reason": f"fewer than {s.min_examples} positive or negative examples"}
        if code in usable:
            scores = out_of_fold(X[known], y, groups[known], s)
            probs = _calibrated_oof(y, scores)
            t, p, r, why = choose_threshold(y, probs, s)
            row.update(threshold=t if t is not None else float("nan"), cv_precision=p,
                       cv_recall=r, proposes=t is not None, reason=why)
            if t is not None:
                oof.loc[labels.index[known], code] = np.where(np.isnan(probs), np.nan,
                                                              probs >= t)
                fitted[code] = Calibrated(X[known], y, scores, s)
        rows.append(row)
    return pd.DataFrame(rows, columns=MODEL_COLUMNS), oof, fitted


def _platt(y: np.ndarray, scores: np.ndarray) -> LogisticRegression:
    """Platt scaling: a one-feature logistic regression from score to probability."""
    known = ~np.isnan(scores)
    return LogisticRegression(C=1e6).fit(scores[known, None], y[known])


def _calibrated_oof(y: np.ndarray, scores: np.ndarray) -> np.ndarray:
    known = ~np.isnan(scores)
    probs = np.full(len(y), np.nan)
    if known.any() and len(np.unique(y[known])) == 2:
        probs[known] = _platt(y, scores).predict_proba(scores[known, None])[:, 1]
    return probs


def propose(fitted: dict[str, Calibrated], X_new: sparse.csr_matrix) -> pd.DataFrame:
    """Calibrated probabilities (new rows x proposing codes)."""
    out = pd.DataFrame(0.0, index=range(X_new.shape[0]), columns=list(fitted))
    for code, model in fitted.items():
        if X_new.shape[0]:
            out[code] = model.predict_proba(X_new)
    return out
