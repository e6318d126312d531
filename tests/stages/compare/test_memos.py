"""category_memos: c-TF-IDF terms, labels, quotes across roles, code overlap, memo rows."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from pipeline.stages.compare.memos import class_tfidf, code_overlap, label_from, memos, pick_quotes

# ---------------------------------------------------------------- class_tfidf

DOCS = ["eqao eqao eqao test", "test fund", "test grant"]


def test_class_tfidf_ranks_a_term_frequent_in_one_class_and_rare_elsewhere_first() -> None:
    out = class_tfidf(DOCS, top=10)
    assert [[t for t, _ in terms] for terms in out] == [
        ["eqao", "eqao eqao", "eqao test", "test"],
        ["fund", "test fund", "test"],       # tie between fund and "test fund": by name
        ["grant", "test grant", "test"],
    ]


def test_class_tfidf_weights_follow_the_formula() -> None:
    # sizes (unigram + bigram counts): 7, 3, 3 -> A = 13/3; f(eqao) = 3, f(test) = 3
    out = class_tfidf(DOCS, top=10)
    mean = 13 / 3
    weights = dict(out[0])
    assert weights["eqao"] == pytest.approx(3 / 7 * math.log1p(mean / 3))
    assert weights["eqao eqao"] == pytest.approx(2 / 7 * math.log1p(mean / 2))
    assert weights["test"] == pytest.approx(1 / 7 * math.log1p(mean / 3))
    assert dict(out[1])["fund"] == pytest.approx(1 / 3 * math.log1p(mean / 1))


@pytest.mark.parametrize("top, expected", [
    (1, ["eqao"]),
    (2, ["eqao", "eqao eqao"]),
    (0, []),
])
def test_class_tfidf_keeps_the_top_terms(top: int, expected: list[str]) -> None:
    assert [t for t, _ in class_tfidf(DOCS, top=top)[0]] == expected


@pytest.mark.parametrize("docs, expected", [
    (["", ""], [[], []]),
    (["  ", ""], [[], []]),
    ([], []),
])
def test_class_tfidf_with_only_empty_docs(docs: list[str], expected: list) -> None:
    assert class_tfidf(docs, top=5) == expected


def test_class_tfidf_gives_no_terms_to_an_empty_class_among_others() -> None:
    out = class_tfidf(["fund fund", "", "test"], top=5)
    assert [t for t, _ in out[0]] == ["fund", "fund fund"]
    assert out[1] == []
    assert [t for t, _ in out[2]] == ["test"]


# ---------------------------------------------------------------- label_from

def _terms(*names: str) -> list[tuple[str, float]]:
    return [(n, 1.0 - i / 10) for i, n in enumerate(names)]


@pytest.mark.parametrize("terms, words, expected", [
    (_terms("test score", "test", "score", "fund", "grant"), 3, "test score / fund / grant"),
    (_terms("test", "test score", "fund", "grant"), 3, "test / fund / grant"),
    (_terms("test", "score", "test score", "grant"), 3, "test / score / grant"),
    (_terms("test score", "score gap", "fund"), 3, "test score / score gap / fund"),
    (_terms("bus", "ice", "lake", "road"), 3, "bus / ice / lake"),
    (_terms("bus", "ice", "lake", "road"), 2, "bus / ice"),
    (_terms("bus"), 3, "bus"),
    # fillers, backchannels, numbers and single letters never label
    (_terms("yeah", "kind", "fine till", "2", "x", "budget"), 3, "budget"),
    (_terms("thank", "bye", "merci", "vous"), 3, "(no distinctive terms)"),
    (_terms("test", "test score"), 3, "test"),
    ([], 3, "(no distinctive terms)"),
])
def test_label_from(terms: list[tuple[str, float]], words: int, expected: str) -> None:
    assert label_from(terms, words) == expected


# ---------------------------------------------------------------- pick_quotes

def _row(seg: str, sim: float, role: str, person: str) -> dict:
    return {"segment_id": seg, "similarity": sim, "role": role, "participant_id": person}


ROWS = [
    _row("s3", 0.7, "Teacher", "p1"),     # same person as s1: waits
    _row("s1", 0.9, "Principal", "p1"),
    _row("s5", 0.5, "Teacher", "p4"),
    _row("s2", 0.8, "Principal", "p2"),   # same role as s1: waits
    _row("s4", 0.6, "Director", "p3"),
]


@pytest.mark.parametrize("n, expected", [
    (0, []),
    (1, ["s1"]),
    (2, ["s1", "s4"]),
    (3, ["s1", "s4", "s5"]),
    (4, ["s1", "s4", "s5", "s2"]),
    (5, ["s1", "s4", "s5", "s2", "s3"]),
    (9, ["s1", "s4", "s5", "s2", "s3"]),
])
def test_pick_quotes_one_per_role_and_person_first_then_fills(n: int,
                                                              expected: list[str]) -> None:
    assert [r["segment_id"] for r in pick_quotes(ROWS, n)] == expected


def test_pick_quotes_breaks_similarity_ties_by_segment_id() -> None:
    rows = [_row("b", 0.5, "Teacher", "p1"), _row("a", 0.5, "Principal", "p2")]
    assert [r["segment_id"] for r in pick_quotes(rows, 1)] == ["a"]


# ---------------------------------------------------------------- code_overlap

CODES_OF = {"s1": {"funding", "testing"}, "s2": {"funding"}, "s3": {"voice"},
            "s4": {"testing", "funding"}, "s9": {"other"}}


@pytest.mark.parametrize("segments, top, min_share, expected", [
    (["s1", "s2", "s3", "s4"], 3, 0.15, ["funding (75%)", "testing (50%)", "voice (25%)"]),
    (["s1", "s2", "s3", "s4"], 3, 0.3, ["funding (75%)", "testing (50%)"]),
    (["s1", "s2", "s3", "s4"], 1, 0.15, ["funding (75%)"]),
    (["s1", "s2", "s3", "s4"], 3, 0.8, []),
    (["s1", "s2", "s3", "s4"], 3, 0.25, ["funding (75%)", "testing (50%)", "voice (25%)"]),
    (["s1", "s3"], 3, 0.15, ["funding (50%)", "testing (50%)", "voice (50%)"]),  # ties
    (["s3", "s5", "s6", "s7"], 3, 0.15, ["voice (25%)"]),        # uncoded segments count
    (["s5"], 3, 0.15, []),
])
def test_code_overlap(segments: list[str], top: int, min_share: float,
                      expected: list[str]) -> None:
    assert code_overlap(segments, CODES_OF, top, min_share) == expected


# ---------------------------------------------------------------- memos

def _members() -> pd.DataFrame:
    rows = [
        # seg, category, similarity, order, lemmas, role, person, site, citation
        ("s1", "A", 0.9, 3, "test score eqao", "Principal", "p1", "O1", "O1_Principal#1_5.14"),
        ("s2", "A", 0.8, 1, "eqao test", "Teacher", "p2", "O1", "O1_Teacher#1_5.10"),
        ("s3", "A", 0.7, 5, "eqao", "Principal", "p3", "O2", "O2_Principal#1_5.20"),
        ("s4", "B", 0.95, 2, "fund grant", "Director", "p4", "O2", "O2_Director#1_5.12"),
        ("s5", "B", 0.6, 4, "fund budget", "Director", "p4", "O2", "O2_Director#1_5.12"),
    ]
    frame = pd.DataFrame(rows, columns=["segment_id", "category_id", "similarity", "order",
                                        "lemmas", "role", "participant_id", "site",
                                        "citation_id"])
    frame["locator"] = [f"{c} ¶{o}" for c, o in zip(frame["citation_id"], frame["order"])]
    return frame


CODINGS = pd.DataFrame({
    "segment_id": ["s1", "s1", "s2", "s3", "s4", "s5"],
    "code_id": ["tension_eqao_testing", "tension_eqao_testing", "tension_eqao_testing",
                "top_down_change", "tension_sustainability_funding",
                "tension_sustainability_funding"],
    "source": ["auto:pattern", "human:marsh", "auto:pattern", "auto:pattern", "auto:pattern",
               "auto:pattern"],
})


def test_memos_one_row_per_category_in_order_of_first_appearance() -> None:
    out = memos(_members(), CODINGS, n_terms=5, n_quotes=2, n_codes=3)
    assert out["category_id"].tolist() == ["A", "B"]
    assert list(out.columns) == [
        "category_id", "label", "top_terms", "n_segments", "n_participants", "n_sites",
        "n_roles", "roles", "sites", "first_citation_id", "first_locator",
        "representative_segments", "quote_locators", "quotes", "codes", "phrases"]


def test_memos_counts_who_and_where() -> None:
    out = memos(_members(), CODINGS, n_terms=5, n_quotes=2, n_codes=3).set_index("category_id")
    a, b = out.loc["A"], out.loc["B"]
    assert (a["n_segments"], a["n_participants"], a["n_sites"], a["n_roles"]) == (3, 3, 2, 2)
    assert (b["n_segments"], b["n_participants"], b["n_sites"], b["n_roles"]) == (2, 1, 1, 1)
    assert a["roles"] == ["Principal", "Teacher"] and a["sites"] == ["O1", "O2"]
    assert b["roles"] == ["Director"] and b["sites"] == ["O2"]


def test_memos_first_appearance_is_the_earliest_order() -> None:
    out = memos(_members(), CODINGS, n_terms=5, n_quotes=2, n_codes=3).set_index("category_id")
    # s1 is listed first but s2 (order 1) came first
    assert out.loc["A", "first_citation_id"] == "O1_Teacher#1_5.10"
    assert out.loc["A", "first_locator"] == "O1_Teacher#1_5.10 ¶1"
    assert out.loc["B", "first_citation_id"] == "O2_Director#1_5.12"
    assert out.loc["B", "first_locator"] == "O2_Director#1_5.12 ¶2"


@pytest.mark.parametrize("n_quotes, expected_a, expected_b", [
    (1, ["s1"], ["s4"]),
    (2, ["s1", "s2"], ["s4", "s5"]),       # B has one person: the second quote fills
    (3, ["s1", "s2", "s3"], ["s4", "s5"]),  # s3: same role as s1, added when filling
])
def test_memos_representative_segments(n_quotes: int, expected_a: list[str],
                                       expected_b: list[str]) -> None:
    out = memos(_members(), CODINGS, n_terms=5, n_quotes=n_quotes,
                n_codes=3).set_index("category_id")
    assert out.loc["A", "representative_segments"] == expected_a
    assert out.loc["B", "representative_segments"] == expected_b
    locators = dict(zip(_members()["segment_id"], _members()["locator"]))
    assert out.loc["A", "quote_locators"] == [locators[s] for s in expected_a]


def test_memos_codes_count_each_segment_once() -> None:
    out = memos(_members(), CODINGS, n_terms=5, n_quotes=2, n_codes=3).set_index("category_id")
    # s1 carries tension_eqao_testing twice (two sources): still 2 of 3 segments
    assert out.loc["A", "codes"] == ["tension_eqao_testing (67%)", "top_down_change (33%)"]
    assert out.loc["B", "codes"] == ["tension_sustainability_funding (100%)"]


def test_memos_terms_and_label() -> None:
    out = memos(_members(), CODINGS, n_terms=10, n_quotes=2, n_codes=3).set_index("category_id")
    assert out.loc["A", "top_terms"][:2] == ["eqao", "test"]
    assert out.loc["B", "top_terms"][:2] == ["fund", "budget"]
    assert out.loc["A", "label"] == "eqao / test / score"
    assert out.loc["B", "label"] == "fund / budget / grant"
    short = memos(_members(), CODINGS, n_terms=3, n_quotes=2, n_codes=3)
    assert [len(t) for t in short["top_terms"]] == [3, 3]


def test_memos_without_codings_have_no_codes() -> None:
    empty = pd.DataFrame({"segment_id": pd.Series([], dtype=str),
                          "code_id": pd.Series([], dtype=str)})
    out = memos(_members(), empty, n_terms=5, n_quotes=2, n_codes=3)
    assert out["codes"].tolist() == [[], []]


def test_memos_terms_do_not_span_two_segments() -> None:
    members = pd.DataFrame({
        "segment_id": ["s1", "s2"], "category_id": ["A", "A"], "similarity": [0.9, 0.8],
        "order": [0, 1], "lemmas": ["alpha beta", "gamma delta"], "role": ["P", "T"],
        "participant_id": ["p1", "p2"], "site": ["O1", "O1"], "citation_id": ["c1", "c2"],
        "locator": ["l1", "l2"]})
    out = memos(members, CODINGS.iloc[:0], n_terms=10, n_quotes=2, n_codes=3)
    assert "beta gamma" not in out.loc[0, "top_terms"]
