"""Rows as dicts: the column-wise build equals pandas' to_dict("records")."""
import numpy as np
import pandas as pd
import pytest

from pipeline.render.report_links import records

PLAIN = {
    "s": pd.Series(["a", None, "c"], dtype="str"), "o": pd.Series(["x", None, 1], dtype=object),
    "i": np.array([1, 2, 3], dtype="int64"), "f": [0.5, np.nan, 2.0], "b": [True, False, True],
    "d": pd.to_datetime(["2024-01-02", None, "2024-03-04"]),
    "lst": [np.array(["p", "q"]), None, np.array([], dtype=object)],
    "mixed": pd.Series([np.float64(1.5), np.int64(2), "w"], dtype=object),
    "when": pd.Series([np.datetime64("2024-01-02"), np.bool_(True), None], dtype=object)}
NULLABLE = {"na": pd.array(["a", None, "c"], dtype="string[pyarrow]"),
            "n": pd.array([1, None, 3], dtype="Int64")}


@pytest.mark.parametrize("columns", [PLAIN, PLAIN | NULLABLE])
def test_records_equal_to_dict_records_value_and_type(columns: dict) -> None:
    df = pd.DataFrame(columns)
    want, got = df.to_dict("records"), records(df)
    assert len(got) == len(want)
    for w, g in zip(want, got):
        assert list(g) == list(w)
        assert [type(v) for v in g.values()] == [type(v) for v in w.values()]
        assert repr(g) == repr(w)


def test_records_of_empty_frames() -> None:
    assert records(pd.DataFrame({"a": []})) == []
    assert records(pd.DataFrame(index=range(2))) == [{}, {}]
