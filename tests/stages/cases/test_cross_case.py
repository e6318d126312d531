"""cross_case: what is shared and what is site-specific, and whether any site or role is
over-represented among the quotes."""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from pipeline.stages.cases.cross_case import BALANCE_COLUMNS, cross_case_doc, quote_balance
from pipeline.stages.cases.evidence import Evidence
from pipeline.stages.cases.stage import CaseParams

# ----------------------------------------------------------------------------- quote_balance

PARTICIPANTS = pd.DataFrame([
    ("p1", "O1", "Teacher"), ("p2", "O1", "Principal"), ("p3", "O2", "Teacher"),
    ("p4", "O3", "Teacher"), ("p5", "O3", "Director"), ("p6", "O10", "Teacher"),
], columns=["participant_id", "site", "role"])
QUOTES = pd.DataFrame(
    [("O2", "Principal")] * 4 + [("O2", "Teacher")] + [("O1", "Teacher")] * 2
    + [("O3", "Director"), ("O3", "Teacher"), ("O10", "Teacher")],
    columns=["site", "role"])
BALANCE = [
    # dimension, value, n_quotes, quote_share, n_participants, participant_share, ratio, flag
    ("site", "O1", 2, 0.2, 2, 0.3333, 0.6, False),
    ("site", "O2", 5, 0.5, 1, 0.1667, 3.0, True),
    ("site", "O3", 2, 0.2, 2, 0.3333, 0.6, False),
    ("site", "O10", 1, 0.1, 1, 0.1667, 0.6, False),   # sites in natural order
    ("role", "Director", 1, 0.1, 1, 0.1667, 0.6, False),
    ("role", "Principal", 4, 0.4, 1, 0.1667, 2.4, True),
    ("role", "Teacher", 5, 0.5, 4, 0.6667, 0.75, False),
]


def test_quote_balance_shares_ratios_and_flags() -> None:
    balance = quote_balance(QUOTES, PARTICIPANTS, 1.5)
    assert list(balance.columns) == BALANCE_COLUMNS
    assert [tuple(r) for r in balance.itertuples(index=False)] == BALANCE
    assert balance["over_represented"].dtype == bool


def test_quote_balance_threshold_moves_the_flags() -> None:
    balance = quote_balance(QUOTES, PARTICIPANTS, 2.5)
    flagged = balance[balance["over_represented"]]
    assert list(zip(flagged["dimension"], flagged["value"])) == [("site", "O2")]


def _one_value(n_quotes: int, other_quotes: int, n_people: int, other_people: int
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Quotes and participants where value 'A' is both the site and the role."""
    quotes = pd.DataFrame({"site": ["A"] * n_quotes + ["B"] * other_quotes})
    people = pd.DataFrame({"site": ["A"] * n_people + ["B"] * other_people})
    return quotes.assign(role=quotes["site"]), people.assign(role=people["site"])


@pytest.mark.parametrize("n_quotes, other_quotes, n_people, other_people, ratio, flag", [
    (3, 3, 1, 3, 2.0, True),      # twice its share, 3 quotes
    (2, 2, 1, 3, 2.0, False),     # twice its share, but only 2 quotes
    (3, 5, 1, 3, 1.5, False),     # exactly at the threshold is not over it
    (4, 5, 1, 3, 1.778, True),
    (9, 1, 9, 1, 1.0, False),
    (0, 4, 1, 3, 0.0, False),     # nobody quoted
    (3, 3, 0, 4, float("inf"), True),   # quoted but not among the participants
])
def test_over_representation_needs_ratio_above_threshold_and_three_quotes(
        n_quotes: int, other_quotes: int, n_people: int, other_people: int, ratio: float,
        flag: bool) -> None:
    quotes, people = _one_value(n_quotes, other_quotes, n_people, other_people)
    balance = quote_balance(quotes, people, 1.5)
    for dim in ("site", "role"):
        row = balance[(balance["dimension"] == dim) & (balance["value"] == "A")].iloc[0]
        assert row["n_quotes"] == n_quotes
        assert row["n_participants"] == n_people
        assert row["ratio"] == ratio
        assert bool(row["over_represented"]) is flag


def test_quote_balance_without_quotes() -> None:
    balance = quote_balance(pd.DataFrame(), PARTICIPANTS, 1.5)
    assert balance["value"].tolist() == ["O1", "O2", "O3", "O10", "Director", "Principal",
                                         "Teacher"]
    assert balance["n_quotes"].tolist() == [0] * 7
    assert balance["quote_share"].tolist() == [0.0] * 7
    assert balance["ratio"].tolist() == [0.0] * 7
    assert balance["over_represented"].tolist() == [False] * 7
    assert balance["participant_share"].tolist() == [0.3333, 0.1667, 0.3333, 0.1667, 0.1667,
                                                     0.1667, 0.6667]


# ---------------------------------------------------------------------------- cross_case_doc

THEMES = pd.DataFrame([
    ("code:a", "Alpha", "code"), ("code:b", "Beta", "code"), ("code:c", "Gamma", "code"),
    ("code:d", "Delta", "code"), ("code:e", "Epsilon", "code"), ("code:h", "Anchor", "code"),
    ("category:X-1", "Cat one", "category"), ("category:X-2", "Cat two", "category"),
], columns=["theme_id", "label", "kind"])
MATRIX = pd.DataFrame([
    ("O1", "code:a", 1.0), ("O2", "code:a", 0.5), ("O3", "code:a", 1.0), ("O10", "code:a", 0.5),
    ("O10", "code:b", 0.5), ("O2", "code:b", 1.0),
    ("O1", "code:c", 0.4),                           # below min_share: not voiced
    ("O1", "code:d", 1.0), ("O2", "code:d", 1.0), ("O3", "code:d", 1.0),
    ("O1", "code:e", 1.0), ("O2", "code:e", 1.0), ("O3", "code:e", 0.5),
    ("O3", "code:h", 1.0), ("O1", "code:h", 0.5),
    ("O3", "category:X-1", 0.5),
    ("O10", "category:X-2", 0.25),                   # below min_share
], columns=["site", "theme_id", "share_participants"])
SITES = pd.DataFrame({"site": ["O1", "O2", "O3", "O10"], "name": ["A", "B", "C", "J"]})
TRANSCRIPTS = pd.DataFrame({"citation_id": [f"t{i}" for i in range(5)]})


def _ev(matrix: pd.DataFrame = MATRIX, themes: pd.DataFrame = THEMES) -> Evidence:
    return Evidence(TRANSCRIPTS, PARTICIPANTS, pd.DataFrame(), themes, pd.DataFrame(), matrix,
                    pd.DataFrame())


def _blocks(doc) -> list[tuple]:
    return [(b["kind"], b["level"], json.loads(b["text"]) if b["kind"] == "table" else b["text"])
            for b in doc.blocks]


def test_cross_case_doc_tables_bullets_and_balance() -> None:
    balance = quote_balance(QUOTES, PARTICIPANTS, 1.5)
    doc = cross_case_doc(SITES, _ev(), balance, CaseParams())
    assert doc.name == "cross_case"
    assert _blocks(doc) == [
        ("heading", 1, "Cross-case summary"),
        ("paragraph", 0, "5 interviews with 6 participants at 4 sites. A theme counts as "
                         "voiced at a site when at least 50% of the site's participants "
                         "voiced it."),
        ("paragraph", 0, "Codebook themes rest on confirmed codings only (human codings and "
                         "accepted suggestions); machine suggestions awaiting review are "
                         "listed apart, in suggestions.md. Emerging categories come from "
                         "machine comparison."),
        ("paragraph", 0, "In the tables, Sites counts the sites where a theme counts as "
                         "voiced; Share where voiced is the mean, over those sites only, of "
                         "the share of each site's participants who voiced it. Every theme "
                         "voiced at one site or more is listed."),
        ("heading", 2, "Themes across sites (codebook)"),
        ("table", 0, [["Theme", "Sites (of 4)", "Share where voiced", "Where"],
                      ["Alpha", "4", "75%", "O1, O2, O3, O10"],
                      ["Delta", "3", "100%", "O1, O2, O3"],
                      ["Epsilon", "3", "83%", "O1, O2, O3"],
                      ["Anchor", "2", "75%", "O1, O3"],
                      ["Beta", "2", "75%", "O2, O10"]]),
        ("bullet", 0, "Shared (70% of sites or more): Alpha; Delta; Epsilon"),
        ("bullet", 0, "Site-specific (one or two sites): Anchor (O1, O3); Beta (O2, O10)"),
        ("heading", 2, "Emerging categories across sites"),
        ("table", 0, [["Theme", "Sites (of 4)", "Share where voiced", "Where"],
                      ["Cat one", "1", "50%", "O3"]]),
        ("bullet", 0, "Shared (70% of sites or more): none"),
        ("bullet", 0, "Site-specific (one or two sites): Cat one (O3)"),
        ("heading", 2, "Quote balance"),
        ("bullet", 0, "Over-represented site O2: 50% of quotes from 17% of participants."),
        ("bullet", 0, "Over-represented role Principal: 40% of quotes from 17% of "
                      "participants."),
        ("table", 0, [["Site", "Quotes", "Share of quotes", "Share of participants"],
                      ["O1 A", "2", "20%", "33%"], ["O2 B", "5", "50%", "17%"],
                      ["O3 C", "2", "20%", "33%"], ["O10 J", "1", "10%", "17%"]]),
        ("table", 0, [["Role", "Quotes", "Share of quotes", "Share of participants"],
                      ["Director", "1", "10%", "17%"],
                      ["Principal", "4", "40%", "17%"],
                      ["Teacher", "5", "50%", "67%"]]),
        ("heading", 2, "Figures"),
        ("image", 0, "Share of participants voicing each theme, by site"),
        ("image", 0, "New categories per interview"),
    ]
    images = [b["locator"] for b in doc.blocks if b["kind"] == "image"]
    assert images == ["site_theme_heatmap", "saturation"]  # figures, by name
    assert doc.quotes == []


def test_quote_balance_section_without_over_representation() -> None:
    balance = quote_balance(QUOTES, PARTICIPANTS, 5.0)
    blocks = _blocks(cross_case_doc(SITES, _ev(), balance, CaseParams()))
    start = blocks.index(("heading", 2, "Quote balance"))
    assert blocks[start + 1] == ("paragraph", 0, "No site or role is over-represented among "
                                 "the quotes (quote share above 1.5 times participant share).")
    assert [b[2][0][0] for b in blocks[start + 2:start + 4]] == ["Site", "Role"]  # tables
    assert blocks[start + 4] == ("heading", 2, "Figures")


def test_tables_list_every_voiced_theme_with_the_middle_band_named() -> None:
    """Tables used to stop at 15 rows without saying so; themes at 3-6 of 11 sites then
    appeared nowhere (neither shared nor site-specific)."""
    themes = pd.DataFrame({"theme_id": [f"code:t{i:02d}" for i in range(20)],
                           "label": [f"T{i:02d}" for i in range(20)], "kind": "code"})
    sites = [f"O{i}" for i in range(1, 11)]
    # t00-t04 at all ten sites, t05-t14 at four sites, t15-t19 at one.
    matrix = pd.DataFrame([(site, f"code:t{i:02d}", 1.0) for i in range(20)
                           for site in (sites if i < 5 else sites[:4] if i < 15 else sites[:1])],
                          columns=["site", "theme_id", "share_participants"])
    blocks = _blocks(cross_case_doc(SITES, _ev(matrix, themes), quote_balance(
        QUOTES, PARTICIPANTS, 1.5), CaseParams()))
    table = blocks[5][2]
    assert [r[0] for r in table[1:]] == [f"T{i:02d}" for i in range(20)]
    assert table[0][1] == "Sites (of 10)"
    assert blocks[6:9] == [
        ("bullet", 0, "Shared (70% of sites or more): T00; T01; T02; T03; T04"),
        ("bullet", 0, "At several sites (three or more, under 70%): "
                      + "; ".join(f"T{i:02d} (4)" for i in range(5, 15))),
        ("bullet", 0, "Site-specific (one or two sites): "
                      + "; ".join(f"T{i:02d} (O1)" for i in range(15, 20)))]


def test_min_share_decides_where_a_theme_counts_as_voiced() -> None:
    blocks = _blocks(cross_case_doc(SITES, _ev(), quote_balance(QUOTES, PARTICIPANTS, 1.5),
                                    CaseParams(min_share=0.9)))
    assert "at least 90% of the site's participants" in blocks[1][2]
    assert blocks[5][2][1:] == [["Delta", "3", "100%", "O1, O2, O3"],
                                ["Alpha", "2", "100%", "O1, O3"],     # ties: by label
                                ["Epsilon", "2", "100%", "O1, O2"],
                                ["Anchor", "1", "100%", "O3"],
                                ["Beta", "1", "100%", "O2"]]
    assert blocks[6][2] == "Shared (70% of sites or more): Delta"


def test_a_theme_voiced_at_every_site_is_not_site_specific() -> None:
    matrix = pd.DataFrame([("O1", "code:a", 1.0), ("O2", "code:a", 1.0), ("O1", "code:b", 1.0)],
                          columns=["site", "theme_id", "share_participants"])
    blocks = _blocks(cross_case_doc(SITES, _ev(matrix), quote_balance(
        QUOTES, PARTICIPANTS, 1.5), CaseParams()))
    assert blocks[6] == ("bullet", 0, "Shared (70% of sites or more): Alpha")
    assert blocks[7] == ("bullet", 0, "Site-specific (one or two sites): Beta (O1)")


def test_balance_paragraph_states_the_configured_threshold() -> None:
    params = CaseParams(over_representation=4.0)
    balance = quote_balance(QUOTES, PARTICIPANTS, params.over_representation)
    assert not balance["over_represented"].any()
    blocks = _blocks(cross_case_doc(SITES, _ev(), balance, params))
    text = next(t for k, _, t in blocks if k == "paragraph" and t.startswith("No site"))
    assert "1.5 times" not in text
    assert re.search(r"\b4(\.0+)? times participant share", text)


def test_sites_are_listed_in_natural_order() -> None:
    quotes = pd.DataFrame({"site": ["O10", "O2", "O1"], "role": ["Teacher"] * 3})
    people = pd.DataFrame({"site": ["O1", "O2", "O10"], "role": ["Teacher"] * 3})
    balance = quote_balance(quotes, people, 1.5)
    assert balance.loc[balance["dimension"] == "site", "value"].tolist() == ["O1", "O2", "O10"]


def test_the_category_section_says_what_categories_rest_on() -> None:
    from pipeline.stages.cases.cross_case import category_note

    cats = pd.DataFrame({"level": ["cross-site"] * 4 + ["site"],
                         "status": ["accepted", "proposed", "proposed", "rejected", "proposed"],
                         "minor": [False, False, True, False, False]})
    segs = pd.DataFrame({"left_out": ["", "fewer than 3 content words", "", None]})
    note = category_note(cats, segs)
    assert "(1 accepted, 0 promoted, 1 rejected of 4; 1 voiced by several participants " \
           "await a decision)" in note
    assert "1 of 4 segments were left out of comparison" in note
    doc = cross_case_doc(SITES, _ev(), quote_balance(QUOTES, PARTICIPANTS, 1.5), CaseParams(),
                         note)
    texts = [text for _, _, text in _blocks(doc)]
    at = texts.index("Emerging categories across sites")
    assert texts[at + 1] == note
