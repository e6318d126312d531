import pandas as pd
import pytest

from pipeline.analysis.bench_stability import describe, stability


def table(rows: list[tuple[str, str, str, str | None, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["segment_id", "citation_id", "site", "category_id",
                                       "cross_category_id"])


BEFORE = table([
    ("a1", "A#1", "A", "A-1", "X-1"), ("a2", "A#1", "A", "A-1", "X-1"),
    ("a3", "A#1", "A", "A-2", "X-2"),
    ("b1", "B#1", "B", "B-1", "X-1"), ("b2", "B#1", "B", "B-1", "X-1"),
    ("b3", "B#1", "B", "B-2", "X-2"), ("b4", "B#1", "B", None, None),
    ("c1", "C#1", "C", "C-1", "X-1"), ("c2", "C#1", "C", "C-2", "X-2"),
])


def test_renumbered_categories_are_the_same_partition() -> None:
    after = BEFORE.assign(category_id=BEFORE["category_id"].str.replace("-", "~"),
                          cross_category_id=BEFORE["cross_category_id"].str.lower())
    s = stability(BEFORE, after, "A#1")
    assert s["site_categories_ari"] == 1.0 and s["cross_site_ari"] == 1.0
    assert s["segments"] == 6 and s["other_sites"] == ["B", "C"]
    assert s["other_sites_moved"] == []


def test_the_edited_transcript_may_move_without_counting() -> None:
    after = BEFORE.copy()
    after.loc[after["segment_id"] == "a3", ["category_id", "cross_category_id"]] = ["A-1", "X-1"]
    s = stability(BEFORE, after, "A#1")
    assert s["site_categories_ari"] == 1.0 and s["other_sites_moved"] == []
    assert s["categories_before"] == 6 and s["categories_after"] == 5


def test_a_moved_segment_elsewhere_names_its_site() -> None:
    after = BEFORE.copy()
    # b3 joins b1 and b2; b4, in no category before, now has one.
    after.loc[after["segment_id"] == "b3", "category_id"] = "B-1"
    after.loc[after["segment_id"] == "b4", "category_id"] = "B-2"
    s = stability(BEFORE, after, "A#1")
    assert s["other_sites_moved"] == ["B"]
    assert s["site_categories_ari"] < 1.0 and s["cross_site_ari"] == 1.0
    assert "1 of 2 other sites' partitions moved" in describe(s)


def test_segments_only_on_one_side_are_left_out() -> None:
    after = pd.concat([BEFORE[BEFORE["segment_id"] != "c2"],
                       table([("c9", "C#1", "C", "C-7", "X-7")])])
    s = stability(BEFORE, after, "A#1")
    assert s["segments"] == 5 and s["site_categories_ari"] == pytest.approx(1.0)
