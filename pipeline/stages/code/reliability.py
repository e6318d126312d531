"""Agreement of one coding with another on segment units, per code and pooled."""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score

POOLED = "(all codes)"
COLUMNS = ["code_id", "n_segments", "n_reference", "n_predicted", "n_both", "precision",
           "recall", "f1", "kappa"]


def indicator(pairs: pd.DataFrame, segment_ids: list[str], code_ids: list[str]) -> pd.DataFrame:
    """Boolean segments x codes table from (segment_id, code_id) rows."""
    table = pd.DataFrame(False, index=pd.Index(segment_ids, name="segment_id"), columns=code_ids)
    keep = pairs[pairs["segment_id"].isin(table.index) & pairs["code_id"].isin(code_ids)]
    for seg, code in zip(keep["segment_id"], keep["code_id"]):
        table.at[seg, code] = True
    return table


def _kappa(a: np.ndarray, b: np.ndarray) -> float:
    # Undefined when both codings are constant (nothing to agree on beyond chance).
    if len(np.unique(np.concatenate([a, b]))) < 2:
        return float("nan")
    if len(np.unique(a)) < 2 and len(np.unique(b)) < 2:
        return 0.0
    return float(cohen_kappa_score(a, b))


def _row(code: str, ref: np.ndarray, pred: np.ndarray) -> dict:
    # An empty table ravels to an object array: make both boolean first.
    ref, pred = np.asarray(ref, dtype=bool), np.asarray(pred, dtype=bool)
    both = int((ref & pred).sum())
    n_ref, n_pred = int(ref.sum()), int(pred.sum())
    precision = both / n_pred if n_pred else float("nan")
    recall = both / n_ref if n_ref else float("nan")
    f1 = 2 * both / (n_ref + n_pred) if n_ref + n_pred else float("nan")
    return {"code_id": code, "n_segments": len(ref), "n_reference": n_ref, "n_predicted": n_pred,
            "n_both": both, "precision": precision, "recall": recall, "f1": f1,
            "kappa": _kappa(ref.astype(int), pred.astype(int))}


def agreement(reference: pd.DataFrame, predicted: pd.DataFrame) -> pd.DataFrame:
    """Per-code and pooled (all cells) agreement of `predicted` with `reference`; both are
    boolean segments x codes tables with the same index and columns."""
    predicted = predicted.reindex_like(reference).fillna(False).astype(bool)
    rows = [_row(code, reference[code].to_numpy(), predicted[code].to_numpy())
            for code in reference.columns]
    rows.append(_row(POOLED, reference.to_numpy().ravel(), predicted.to_numpy().ravel()))
    return pd.DataFrame(rows, columns=COLUMNS)
