"""A supervised coder trained on human codings: it proposes codes for segments no human coded,
and its cross-validated agreement with the humans tells researchers which codes to trust."""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold


def _model(c: float, seed: int) -> LogisticRegression:
    return LogisticRegression(C=c, class_weight="balanced", max_iter=2000, random_state=seed)


def trainable(labels: pd.DataFrame, min_examples: int) -> list[str]:
    """Codes with enough positive and negative human examples to learn from."""
    pos = labels.sum()
    neg = len(labels) - pos
    return [c for c in labels.columns if pos[c] >= min_examples and neg[c] >= min_examples]


def cross_validated(X: sparse.csr_matrix, labels: pd.DataFrame, groups: np.ndarray,
                    codes: list[str], folds: int, c: float, seed: int,
                    threshold: float) -> pd.DataFrame:
    """Out-of-fold predictions (boolean) for `codes`; folds never split an interview, so the
    model is always tested on interviews it has not seen."""
    n_splits = min(folds, len(np.unique(groups)))
    if n_splits < 2:  # one interview: nothing to hold out
        return pd.DataFrame(index=labels.index)
    out = pd.DataFrame(False, index=labels.index, columns=codes)
    for train, test in GroupKFold(n_splits=n_splits).split(X, groups=groups):
        for code in codes:
            y = labels[code].to_numpy()[train]
            if len(np.unique(y)) < 2:
                continue
            prob = _model(c, seed).fit(X[train], y).predict_proba(X[test])[:, 1]
            out.iloc[test, out.columns.get_loc(code)] = prob >= threshold
    return out


def propose(X_labelled: sparse.csr_matrix, labels: pd.DataFrame, X_new: sparse.csr_matrix,
            codes: list[str], c: float, seed: int) -> np.ndarray:
    """Probabilities (new segments x codes) from models fitted on all labelled segments."""
    probs = np.zeros((X_new.shape[0], len(codes)))
    if X_new.shape[0] == 0:
        return probs
    for j, code in enumerate(codes):
        model = _model(c, seed).fit(X_labelled, labels[code].to_numpy())
        probs[:, j] = model.predict_proba(X_new)[:, 1]
    return probs
