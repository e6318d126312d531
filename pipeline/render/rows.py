"""Table rows as plain dicts, for pages that look up thousands of them."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def records(df: pd.DataFrame) -> list[dict]:
    """The rows as `df.to_dict("records")` gives them, built column by column: several
    times faster on Arrow-backed strings, which pandas otherwise converts one by one.
    Other extension types (nullable, pd.NA) go through to_dict itself."""
    cols = list(df.columns)
    if not cols or not all(_plain(df[c].dtype) for c in cols):
        return df.to_dict("records")
    return [dict(zip(cols, values)) for values in zip(*(_column(df[c]) for c in cols))]


def _plain(dtype: Any) -> bool:
    return isinstance(dtype, np.dtype) or dtype == "str"


def _column(s: pd.Series) -> list:
    if s.dtype == object:
        return [_native(v) for v in s.tolist()]   # to_dict boxes NumPy scalars
    return s.tolist()


def _native(v: Any) -> Any:
    """A NumPy scalar as the Python value to_dict gives (pandas' maybe_box_native)."""
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    if isinstance(v, np.datetime64):
        return pd.Timestamp(v)
    if isinstance(v, np.timedelta64):
        return pd.Timedelta(v)
    return v
