"""saturation: new categories per interview in conduct order, overall and per site."""
from __future__ import annotations

import pandas as pd
import pytest

from pipeline.stages.compare.saturation import COLUMNS, saturation
from pipeline.stages.compare.saturation import describe_saturation as describe

# Interviews in the order they were conducted.
INTERVIEWS = pd.DataFrame({
    "citation_id": ["O1_Principal#1_5.2", "O2_Teacher#1_5.3", "O1_Teacher#1_5.4",
                    "O2_Director#1_5.5", "O1_Director#1_5.6"],
    "site": ["O1", "O2", "O1", "O2", "O1"],
    "interview_date": pd.to_datetime(["2016-05-02", "2016-05-03", "2016-05-04",
                                      "2016-05-05", "2016-05-06"]),
})
I1, I2, I3, I4, I5 = INTERVIEWS["citation_id"]

# Segment members; the rows are deliberately not in segment order.
MEMBERS = pd.DataFrame([
    # order, citation_id, site, category_id, cross_category_id
    (9, I5, "O1", "O1-b", "X-2"),      # a later member of X-2 / O1-b, listed first
    (0, I1, "O1", "O1-a", "X-1"),
    (1, I1, "O1", "O1-b", "X-2"),
    (2, I2, "O2", "O2-a", "X-1"),      # X-1 already opened by I1
    (3, I3, "O1", "O1-a", "X-1"),
    (4, I3, "O1", "O1-c", "X-3"),
    (5, I4, "O2", "O2-b", "X-2"),      # site category new, cross-site category not
    (6, I4, "O2", "O2-c", "X-4"),
    (7, I5, "O1", "O1-c", "X-3"),      # I5 opens nothing
    (8, I2, "O2", "O2-a", "X-1"),
], columns=["order", "citation_id", "site", "category_id", "cross_category_id"])


def _curve(sat: pd.DataFrame, scope: str) -> pd.DataFrame:
    return sat[sat["scope"] == scope].reset_index(drop=True)


def test_saturation_columns_and_scopes() -> None:
    sat = saturation(INTERVIEWS, MEMBERS)
    assert list(sat.columns) == COLUMNS
    assert sat["scope"].tolist() == ["overall"] * 5 + ["O1"] * 3 + ["O2"] * 2
    assert len(sat) == 10


def test_overall_curve_counts_cross_site_categories_by_earliest_member() -> None:
    overall = _curve(saturation(INTERVIEWS, MEMBERS), "overall")
    assert overall["citation_id"].tolist() == INTERVIEWS["citation_id"].tolist()
    assert overall["order"].tolist() == [1, 2, 3, 4, 5]
    assert overall["site"].tolist() == ["O1", "O2", "O1", "O2", "O1"]
    assert overall["new_categories"].tolist() == [2, 0, 1, 1, 0]
    assert overall["cumulative_categories"].tolist() == [2, 2, 3, 4, 4]
    assert overall["interview_date"].tolist() == INTERVIEWS["interview_date"].tolist()


@pytest.mark.parametrize("site, citations, new, cumulative", [
    ("O1", [I1, I3, I5], [2, 1, 0], [2, 3, 3]),
    ("O2", [I2, I4], [1, 2], [1, 3]),
])
def test_site_curves_count_site_categories(site: str, citations: list[str], new: list[int],
                                           cumulative: list[int]) -> None:
    curve = _curve(saturation(INTERVIEWS, MEMBERS), site)
    assert curve["citation_id"].tolist() == citations
    assert curve["order"].tolist() == list(range(1, len(citations) + 1))
    assert curve["site"].tolist() == [site] * len(citations)
    assert curve["new_categories"].tolist() == new
    assert curve["cumulative_categories"].tolist() == cumulative


def test_interview_without_members_opens_nothing() -> None:
    extra = pd.DataFrame({"citation_id": ["O2_Principal#1_5.7"], "site": ["O2"],
                          "interview_date": pd.to_datetime(["2016-05-07"])})
    interviews = pd.concat([INTERVIEWS, extra], ignore_index=True)
    sat = saturation(interviews, MEMBERS)
    assert _curve(sat, "overall")["new_categories"].tolist() == [2, 0, 1, 1, 0, 0]
    assert _curve(sat, "overall")["cumulative_categories"].tolist() == [2, 2, 3, 4, 4, 4]
    assert _curve(sat, "O2")["new_categories"].tolist() == [1, 2, 0]


def test_sites_follow_the_order_of_their_first_interview() -> None:
    interviews = INTERVIEWS.iloc[[1, 0, 2, 3, 4]].reset_index(drop=True)   # O2 first
    sat = saturation(interviews, MEMBERS)
    assert list(dict.fromkeys(sat["scope"])) == ["overall", "O2", "O1"]
    # I2 (now first) holds the earliest listed member of X-1 only after I1: X-1 still
    # counts for I1, which comes second
    assert _curve(sat, "overall")["new_categories"].tolist() == [0, 2, 1, 1, 0]


def test_saturation_without_members_is_all_zeros() -> None:
    sat = saturation(INTERVIEWS, MEMBERS.iloc[:0])
    assert sat["new_categories"].tolist() == [0] * 10
    assert sat["cumulative_categories"].tolist() == [0] * 10


def test_describe_overall_and_sites() -> None:
    sat = saturation(INTERVIEWS, MEMBERS)
    assert describe(sat) == [
        "Across all sites: the last 5 interviews opened 4 new categories "
        "(4 in all, 5 interviews).",
        "O1: the last interview opened 0 new categories (3 in all, 3 interviews).",
        "O2: the last interview opened 2 new categories (3 in all, 2 interviews).",
    ]


@pytest.mark.parametrize("last, expected", [
    (1, "Across all sites: the last interview opened 0 new categories "
        "(4 in all, 5 interviews)."),
    (2, "Across all sites: the last 2 interviews opened 1 new category "
        "(4 in all, 5 interviews)."),
    (3, "Across all sites: the last 3 interviews opened 2 new categories "
        "(4 in all, 5 interviews)."),
])
def test_describe_overall_counts_the_last_interviews(last: int, expected: str) -> None:
    assert describe(saturation(INTERVIEWS, MEMBERS), last=last)[0] == expected


def test_describe_site_looks_at_the_last_third_of_its_interviews() -> None:
    # six O1 interviews: the last 6 // 3 = 2 are summarised
    interviews = pd.DataFrame({"citation_id": [f"O1_Teacher#{i}_5.{i}" for i in range(1, 7)],
                               "site": ["O1"] * 6,
                               "interview_date": pd.date_range("2016-05-01", periods=6)})
    cites = interviews["citation_id"].tolist()
    members = pd.DataFrame({
        "order": range(6), "citation_id": [cites[0], cites[0], cites[1], cites[2], cites[4],
                                           cites[5]],
        "site": ["O1"] * 6, "category_id": ["a", "b", "c", "d", "e", "a"],
        "cross_category_id": ["X-a", "X-b", "X-c", "X-d", "X-e", "X-a"]})
    sat = saturation(interviews, members)
    assert _curve(sat, "O1")["new_categories"].tolist() == [2, 1, 1, 0, 1, 0]
    assert describe(sat)[1] == ("O1: the last 2 interviews opened 1 new category "
                                "(5 in all, 6 interviews).")


def test_describe_of_nothing_is_empty() -> None:
    assert describe(saturation(INTERVIEWS.iloc[:0], MEMBERS.iloc[:0])) == []


def test_describe_site_with_a_single_interview() -> None:
    interviews = pd.DataFrame({"citation_id": ["O4_MinistryStaff#1_5.20"], "site": ["O4"],
                               "interview_date": pd.to_datetime(["2016-05-20"])})
    members = pd.DataFrame({"order": [0], "citation_id": ["O4_MinistryStaff#1_5.20"],
                            "site": ["O4"], "category_id": ["O4-a"],
                            "cross_category_id": ["X-a"]})
    assert describe(saturation(interviews, members))[1] == (
        "O4: the last interview opened 1 new category (1 in all, 1 interview).")
