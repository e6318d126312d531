"""Segment vectors as a table column (one list per row) and as a matrix."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def vectors_frame(segment_ids: Sequence[str], matrix: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"segment_id": list(segment_ids), "vector": list(matrix)})


def matrix_of(vectors: pd.DataFrame) -> np.ndarray:
    if vectors.empty:
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack(vectors["vector"].to_numpy()).astype(np.float32)
