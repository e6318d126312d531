"""Suggestions grouped per (segment, code): the fast join equals the plain per-group one."""
import pandas as pd

from pipeline.stages.code.suggest import _grouped


def _grouped_plainly(auto: pd.DataFrame) -> pd.DataFrame:
    """The definition: a pandas aggregation with a Python function per group, terms made
    distinct where several sources agree."""
    keys = ["segment_id", "code_id"]
    rows = auto.sort_values([*keys, "source"]).drop_duplicates([*keys, "source"])
    out = rows.groupby(keys, sort=True).agg(
        sources=("source", "; ".join), score=("score", "max"),
        evidence=("evidence", lambda e: "; ".join(x for x in e if x)),
        n=("source", "size")).reset_index()
    many = out["n"] > 1
    out.loc[many, "evidence"] = ["; ".join(dict.fromkeys(t for t in e.split("; ") if t))
                                 for e in out.loc[many, "evidence"]]
    return out.drop(columns="n")


def test_grouped_equals_the_plain_aggregation() -> None:
    auto = pd.DataFrame({
        "segment_id": ["s2", "s1", "s1", "s1", "s2", "s3", "s1", "s3"],
        "code_id":    ["a",  "b",  "a",  "a",  "a",  "a",  "a",  "a"],
        "source": ["auto:pattern", "auto:similarity", "auto:similarity", "auto:pattern",
                   "auto:similarity", "auto:model", "auto:pattern", "auto:pattern"],
        "score": [0.5, 0.2, 0.4, 0.75, 0.3, 0.9, 0.1, 0.6],
        "evidence": ["grant; budget", "x", "budget; time", "time; budget", "", "learned",
                     "dup", "; grant"]})
    auto.loc[len(auto)] = ["s4", "a", "auto:pattern", 0.5, "same; same"]   # one source
    got = _grouped(auto)
    pd.testing.assert_frame_equal(got, _grouped_plainly(auto))
    assert got.loc[0, "evidence"] == "time; budget"   # the first of two s1/a pattern rows


def test_grouped_of_nothing_has_the_columns() -> None:
    empty = pd.DataFrame(columns=["segment_id", "code_id", "source", "score", "evidence"])
    assert list(_grouped(empty).columns) == ["segment_id", "code_id", "sources", "score",
                                             "evidence"]
