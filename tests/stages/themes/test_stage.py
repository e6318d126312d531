"""themes: codebook codes and accepted categories as themes, who voiced them where, and which
codes are coded together."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline.codebook import load_codebook
from pipeline.stages.code.stage import codes_table
from pipeline.stages.themes.stage import (
    THEME_COLUMNS,
    ThemeParams,
    category_themes,
    code_themes,
    cooccurrence,
    run,
    segment_themes,
)

BOOK = """\
codebook:
  name: tiny
  version: "1"
codes:
  - id: fam_a
    label: Family A
    definition: Groups the alpha and beta codes.
    codable: false
  - id: alpha
    label: Alpha
    parent: fam_a
    definition: >-
      The alpha
      code.
  - id: beta
    label: Beta
    parent: fam_a
    definition: The beta code.
  - id: fam_b
    label: Family B
    definition: An empty family.
    codable: false
  - id: gamma
    label: Gamma
    definition: A top-level gamma code.
"""
# The code stage hands the codebook on as its `codes` table.
CODES = codes_table(load_codebook([("codebooks/tiny.yml", BOOK)]))

CATEGORY_COLUMNS = ["category_id", "level", "site", "label", "top_terms", "first_locator",
                    "status", "promoted_code", "decision_memo"]


def _categories(rows: list[tuple]) -> pd.DataFrame:
    """Categories as compare writes them; 'Rare' is voiced by one participant (minor)."""
    table = pd.DataFrame(rows, columns=CATEGORY_COLUMNS)
    return table.assign(minor=table["label"] == "Rare")


CATEGORIES = _categories([
    ("X-1", "cross-site", None, "When the money ends",
     np.array(["fund", "end", "money", "grant", "year", "staff"], dtype=object),
     "O1_Teacher#1_5.2 ¶4", "accepted", "", ""),
    ("X-2", "cross-site", None, "Initiatives piling up", np.array(["math", "plan"], dtype=object),
     "O2_Director#1_5.3 ¶7", "promoted", "initiative_overload", "Too many at once."),
    ("X-3", "cross-site", None, "Pleasantries", np.array(["thank", "coffee"], dtype=object),
     "O1_Teacher#1_5.2 ¶1", "rejected", "", "Not a category."),
    ("X-4", "cross-site", None, "Rare", np.array(["ice"], dtype=object),
     "O2_Director#1_5.3 ¶9", "proposed", "", ""),
    ("X-5", "cross-site", None, "Bus rides", np.array(["bus", "road"], dtype=object),
     "O2_Director#1_5.3 ¶11", "proposed", "", ""),
    ("O1-1", "site", "O1", "Site only", np.array(["fund"], dtype=object),
     "O1_Teacher#1_5.2 ¶4", "accepted", "", ""),
])


def _codings(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Codings as the code stage writes them: human ones confirmed, the machine's suggested."""
    table = pd.DataFrame(rows, columns=["segment_id", "code_id", "source"])
    return table.assign(status=table["source"].map(
        lambda s: "confirmed" if s.startswith("human:") else "suggested"))


# ---------------------------------------------------------------------------- code themes


def test_code_themes_are_the_codable_codes_with_family_and_definition() -> None:
    themes = code_themes(CODES)
    assert list(themes.columns) == THEME_COLUMNS
    assert themes.to_dict("records") == [
        {"theme_id": "code:alpha", "label": "Alpha", "kind": "code",
         "description": "The alpha code.", "family": "Family A", "source_id": "alpha"},
        {"theme_id": "code:beta", "label": "Beta", "kind": "code",
         "description": "The beta code.", "family": "Family A", "source_id": "beta"},
        {"theme_id": "code:gamma", "label": "Gamma", "kind": "code",
         "description": "A top-level gamma code.", "family": "", "source_id": "gamma"},
    ]


# ------------------------------------------------------------------------ category themes


def test_category_themes_keep_cross_site_categories_with_allowed_statuses() -> None:
    themes = category_themes(CATEGORIES, ("accepted", "promoted"))
    assert list(themes.columns) == THEME_COLUMNS
    assert themes["theme_id"].tolist() == ["category:X-1", "category:X-2"]
    assert themes["label"].tolist() == ["When the money ends", "Initiatives piling up"]
    assert themes["kind"].tolist() == ["category", "category"]
    assert themes["family"].tolist() == ["emerging categories"] * 2
    assert themes["source_id"].tolist() == ["X-1", "X-2"]


def test_category_theme_descriptions_name_terms_locator_memo_and_promoted_code() -> None:
    descriptions = category_themes(CATEGORIES, ("accepted", "promoted"))["description"]
    assert descriptions.tolist() == [
        "Emerging category (fund, end, money, grant, year); first voiced in "
        "O1_Teacher#1_5.2 ¶4.",
        "Emerging category (math, plan); first voiced in O2_Director#1_5.3 ¶7. Team memo: "
        "Too many at once. Promoted to code initiative_overload.",
    ]


@pytest.mark.parametrize("statuses, expected", [
    (("accepted",), ["category:X-1"]),
    (("promoted",), ["category:X-2"]),
    (("accepted", "proposed"), ["category:X-1", "category:X-4", "category:X-5"]),
    (("rejected",), ["category:X-3"]),
    ((), []),
])
def test_category_themes_follow_the_statuses(statuses: tuple[str, ...],
                                             expected: list[str]) -> None:
    assert category_themes(CATEGORIES, statuses)["theme_id"].tolist() == expected


def test_proposed_categories_become_themes_only_when_asked_and_then_say_so() -> None:
    themes = category_themes(CATEGORIES, ("accepted", "promoted"), include_proposed=True)
    # the minor proposed one (one participant) stays out; the other is marked
    assert themes["theme_id"].tolist() == ["category:X-1", "category:X-2", "category:X-5"]
    proposed = themes.iloc[2]
    assert proposed["label"] == "Bus rides (proposed)"
    assert proposed["description"].startswith("Proposed by machine comparison; no researcher "
                                              "has accepted it yet.")


def test_missing_memo_and_promoted_code_are_left_out() -> None:
    cats = _categories([("X-9", "cross-site", None, "L", ["a"], "loc ¶1", "accepted",
                         None, float("nan"))])
    assert category_themes(cats, ("accepted",))["description"].tolist() == [
        "Emerging category (a); first voiced in loc ¶1."]


def test_no_categories_give_an_empty_frame_with_the_theme_columns() -> None:
    themes = category_themes(CATEGORIES, ("nothing",))
    assert themes.empty
    assert list(themes.columns) == THEME_COLUMNS


# ------------------------------------------------------------------------ segment themes

THEMES = pd.DataFrame({"theme_id": ["code:alpha", "code:beta", "category:X-1"]})
CODINGS = _codings([
    ("s1", "alpha", "auto:pattern"),
    ("s1", "alpha", "human:marsh"),
    ("s1", "alpha", "human:okafor"),
    ("s1", "beta", "auto:similarity"),
    ("s2", "alpha", "auto:model"),
    ("s2", "beta", "human:okafor"),
    ("s3", "gamma", "auto:pattern"),      # not a theme
    ("s3", "beta", "auto:experimental"),  # a source nobody asked for
])
SEGMENT_CATEGORIES = pd.DataFrame({"segment_id": ["s1", "s3", "s4"],
                                   "cross_category_id": ["X-1", "X-2", None]})


@pytest.mark.parametrize("include, expected", [
    (False, [   # the default: what researchers confirmed, and the categories
        ("s1", "category:X-1", "compare", False),
        ("s1", "code:alpha", "human:marsh; human:okafor", True),
        ("s2", "code:beta", "human:okafor", True),
    ]),
    (True, [    # with suggestions: each pair says whether a researcher stands behind it
        ("s1", "category:X-1", "compare", False),
        ("s1", "code:alpha", "auto:pattern; human:marsh; human:okafor", True),
        ("s1", "code:beta", "auto:similarity", False),
        ("s2", "code:alpha", "auto:model", False),
        ("s2", "code:beta", "human:okafor", True),
        ("s3", "code:beta", "auto:experimental", False),
    ]),
])
def test_segment_themes_count_confirmed_codings_unless_told_otherwise(
        include: bool, expected: list[tuple]) -> None:
    pairs = segment_themes(CODINGS, SEGMENT_CATEGORIES, THEMES, include)
    assert list(pairs.columns) == ["segment_id", "theme_id", "source", "confirmed"]
    assert list(pairs.itertuples(index=False, name=None)) == expected
    assert pairs.index.tolist() == list(range(len(expected)))


def test_segment_themes_with_no_codings_keep_the_categories() -> None:
    pairs = segment_themes(CODINGS.iloc[:0], SEGMENT_CATEGORIES, THEMES)
    assert list(pairs.itertuples(index=False, name=None)) == [
        ("s1", "category:X-1", "compare", False)]


# ------------------------------------------------------------------ matrices, via run()

SEGMENTS = pd.DataFrame([
    ("s1", "O1", "Teacher", "p1"),
    ("s2", "O1", "Teacher", "p1"),
    ("s3", "O1", "Principal", "p2"),
    ("s4", "O2", "Teacher", "p3"),
    ("s5", "O2", "Director", "p4"),
], columns=["segment_id", "site", "role", "participant_id"])
# p5 (O1, Director) says nothing coded: they still count in O1's and Directors' totals.
PARTICIPANTS = pd.DataFrame([
    ("p1", "O1", "Teacher"), ("p2", "O1", "Principal"), ("p5", "O1", "Director"),
    ("p3", "O2", "Teacher"), ("p4", "O2", "Director"),
], columns=["participant_id", "site", "role"])
RUN_CODINGS = _codings([
    ("s1", "alpha", "auto:pattern"),
    ("s1", "alpha", "human:marsh"),
    ("s1", "beta", "auto:similarity"),
    ("s2", "alpha", "auto:model"),
    ("s2", "gamma", "auto:pattern"),
    ("s3", "alpha", "human:okafor"),
    ("s3", "beta", "auto:pattern"),
    ("s4", "beta", "auto:pattern"),
    ("s4", "gamma", "auto:pattern"),
    ("s4", "alpha", "auto:experimental"),  # excluded source: no alpha at O2
    ("s5", "beta", "auto:pattern"),
    ("s5", "unknown", "human:marsh"),      # not in the codebook
    ("s5", "fam_a", "human:marsh"),        # a family is not a theme
])
RUN_SEGMENT_CATEGORIES = pd.DataFrame({
    "segment_id": ["s1", "s4", "s5", "s3"],
    "cross_category_id": ["X-1", "X-1", "X-3", None],   # X-3 is rejected
})


@pytest.fixture(scope="module")
def result() -> dict[str, pd.DataFrame]:
    tables, problems = run(SEGMENTS, PARTICIPANTS, CODES, RUN_CODINGS, CATEGORIES,
                           RUN_SEGMENT_CATEGORIES, params=ThemeParams())
    assert problems == []
    return tables


def test_run_returns_the_five_tables(result: dict[str, pd.DataFrame]) -> None:
    assert sorted(result) == ["cooccurrence", "role_matrix", "segment_themes", "theme_matrix",
                              "themes"]


def test_run_themes_count_participants_and_sites(result: dict[str, pd.DataFrame]) -> None:
    themes = result["themes"]
    assert list(themes.columns) == THEME_COLUMNS + ["n_participants", "n_sites"]
    # confirmed only: alpha rests on marsh (s1) and okafor (s3); beta and gamma on machine
    # suggestions alone, so nobody voiced them
    assert themes[["theme_id", "kind", "n_participants", "n_sites"]].values.tolist() == [
        ["code:alpha", "code", 2, 1],
        ["code:beta", "code", 0, 0],
        ["code:gamma", "code", 0, 0],
        ["category:X-1", "category", 2, 2],
        ["category:X-2", "category", 0, 0],
    ]


def test_run_segment_themes(result: dict[str, pd.DataFrame]) -> None:
    assert list(result["segment_themes"].itertuples(index=False, name=None)) == [
        ("s1", "category:X-1", "compare", False),
        ("s1", "code:alpha", "human:marsh", True),
        ("s3", "code:alpha", "human:okafor", True),
        ("s4", "category:X-1", "compare", False),
    ]


MATRIX_COLUMNS = ["n_segments", "n_participants", "share_participants", "share_low",
                  "share_high", "n_participants_once", "n_segments_machine_only",
                  "n_participants_machine_only", "roles"]


def test_theme_matrix_counts_per_site(result: dict[str, pd.DataFrame]) -> None:
    matrix = result["theme_matrix"]
    assert list(matrix.columns) == ["site", "theme_id", *MATRIX_COLUMNS]
    # O1 has three participants (one silent), O2 two. Shares with 95% Wilson intervals;
    # categories are machine-made, so all their evidence is machine-only.
    assert [tuple(r) for r in matrix.itertuples(index=False)] == [
        ("O1", "category:X-1", 1, 1, 0.3333, 0.0615, 0.7923, 1, 1, 1, ["Teacher"]),
        ("O1", "code:alpha", 2, 2, 0.6667, 0.2077, 0.9385, 2, 0, 0, ["Principal", "Teacher"]),
        ("O2", "category:X-1", 1, 1, 0.5, 0.0945, 0.9055, 1, 1, 1, ["Teacher"]),
    ]


def test_role_matrix_counts_per_role(result: dict[str, pd.DataFrame]) -> None:
    matrix = result["role_matrix"]
    assert list(matrix.columns) == ["role", "theme_id", *MATRIX_COLUMNS]
    # Two Directors (p4, p5), one Principal, two Teachers (p1, p3).
    assert [tuple(r) for r in matrix.itertuples(index=False)] == [
        ("Principal", "code:alpha", 1, 1, 1.0, 0.2065, 1.0, 1, 0, 0, ["Principal"]),
        ("Teacher", "category:X-1", 2, 2, 1.0, 0.3424, 1.0, 2, 2, 2, ["Teacher"]),
        ("Teacher", "code:alpha", 1, 1, 0.5, 0.0945, 0.9055, 1, 0, 0, ["Teacher"]),
    ]


def test_run_cooccurrence(result: dict[str, pd.DataFrame]) -> None:
    assert result["cooccurrence"].empty   # no segment carries two confirmed codes


def test_with_suggestions_every_count_says_how_much_is_machine_made() -> None:
    tables, _ = run(SEGMENTS, PARTICIPANTS, CODES, RUN_CODINGS, CATEGORIES,
                    RUN_SEGMENT_CATEGORIES, params=ThemeParams(include_suggestions=True))
    m = tables["theme_matrix"].set_index(["site", "theme_id"])
    # alpha at O1: s1 (marsh and a keyword), s2 (the model only), s3 (okafor)
    assert m.loc[("O1", "code:alpha"), ["n_segments", "n_participants",
                                        "n_segments_machine_only",
                                        "n_participants_machine_only"]].tolist() == [3, 2, 1, 0]
    # beta at O2: keywords only, on s4 and s5
    assert m.loc[("O2", "code:beta"), ["n_participants", "n_participants_machine_only"]
                 ].tolist() == [2, 2]
    # alpha (s1, s2, s3, s4), beta (s1, s3, s4, s5), gamma (s2, s4)
    assert [tuple(r) for r in tables["cooccurrence"].itertuples(index=False)] == [
        ("alpha", "beta", 3, 0.6), ("alpha", "gamma", 2, 0.5), ("beta", "gamma", 1, 0.2)]


def test_run_with_no_codings_gives_empty_typed_tables() -> None:
    tables, problems = run(SEGMENTS, PARTICIPANTS, CODES, RUN_CODINGS.iloc[:0], CATEGORIES,
                           RUN_SEGMENT_CATEGORIES.iloc[:0], params=ThemeParams())
    assert problems == []
    themes = tables["themes"]
    assert themes["theme_id"].tolist() == ["code:alpha", "code:beta", "code:gamma",
                                           "category:X-1", "category:X-2"]
    assert themes["n_participants"].tolist() == [0] * 5
    assert themes["n_sites"].tolist() == [0] * 5
    assert tables["segment_themes"].empty
    assert list(tables["segment_themes"].columns) == ["segment_id", "theme_id", "source",
                                                      "confirmed"]
    for name, by in (("theme_matrix", "site"), ("role_matrix", "role")):
        matrix = tables[name]
        assert matrix.empty
        assert list(matrix.columns) == [by, "theme_id", *MATRIX_COLUMNS]
        assert matrix["n_segments"].dtype == "int64"
        assert matrix["n_participants"].dtype == "int64"
        assert matrix["share_participants"].dtype == "float64"
    assert tables["cooccurrence"].empty
    assert list(tables["cooccurrence"].columns) == ["code_a", "code_b", "n_segments",
                                                    "jaccard"]




# --------------------------------------------------------------------------- cooccurrence


def _pairs(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["segment_id", "theme_id"])


def test_cooccurrence_counts_and_jaccard_ignoring_categories() -> None:
    pairs = _pairs([
        ("s1", "code:a"), ("s1", "code:b"), ("s1", "code:c"), ("s1", "category:X-1"),
        ("s2", "code:a"), ("s2", "code:b"), ("s2", "category:X-1"),
        ("s3", "code:b"), ("s3", "code:c"),
        ("s4", "code:a"),
        ("s5", "code:c"), ("s5", "category:X-2"),
    ])
    out = cooccurrence(pairs)
    # a {s1, s2, s4}, b {s1, s2, s3}, c {s1, s3, s5}
    assert list(out.columns) == ["code_a", "code_b", "n_segments", "jaccard"]
    assert [tuple(r) for r in out.itertuples(index=False)] == [
        ("a", "b", 2, 0.5),
        ("b", "c", 2, 0.5),
        ("a", "c", 1, 0.2),
    ]
    assert out.index.tolist() == [0, 1, 2]


def test_cooccurrence_rounds_jaccard_to_four_places() -> None:
    pairs = _pairs([("s1", "code:a"), ("s1", "code:b"), ("s2", "code:a"), ("s3", "code:b"),
                    ("s4", "code:b")])
    assert [tuple(r) for r in cooccurrence(pairs).itertuples(index=False)] == [
        ("a", "b", 1, 0.25)]
    pairs = _pairs([("s1", "code:a"), ("s1", "code:b"), ("s2", "code:a"), ("s3", "code:b")])
    assert cooccurrence(pairs)["jaccard"].tolist() == [0.3333]


@pytest.mark.parametrize("rows", [
    [],
    [("s1", "code:a"), ("s2", "code:b")],
    [("s1", "code:a"), ("s1", "category:X-1")],
    [("s1", "category:X-1"), ("s1", "category:X-2")],
], ids=["empty", "never-together", "code-and-category", "categories-only"])
def test_cooccurrence_without_code_pairs_is_empty_with_typed_columns(
        rows: list[tuple[str, str]]) -> None:
    out = cooccurrence(_pairs(rows))
    assert out.empty
    assert list(out.columns) == ["code_a", "code_b", "n_segments", "jaccard"]
    assert out["n_segments"].dtype == "int64"
    assert out["jaccard"].dtype == "float64"


def test_a_category_theme_shows_its_phrases_as_spoken() -> None:
    cats = CATEGORIES.assign(phrases=[["release time", "grant money"], [], [], [], [], []])
    text = category_themes(cats, ("accepted",))["description"].iloc[0]
    assert text.startswith("Emerging category (fund, end, money, grant, year; phrases as "
                           "spoken: release time; grant money); first voiced in")
