"""The cases stage on the shipped demonstration corpus (slow): every quote in every output
is verbatim and cited at the right place, and the case summaries have the promised shape."""
from pathlib import Path

import pandas as pd
import pytest

from tests.checks import all_quotes, check


@pytest.fixture(scope="module")
def tables(shipped_catalog):
    return {n: shipped_catalog.load(n) for n in ("transcripts", "turns", "case_quotes",
                                                 "categories", "quote_balance", "case_blocks")}


def test_every_quote_in_every_output_is_verbatim_at_its_locator(shipped_project: Path,
                                                               tables) -> None:
    found = all_quotes(shipped_project / "outputs", tables)
    md, word, table, memo = (found[k] for k in ("markdown", "docx", "case_quotes", "memos"))
    assert check(md, tables) == check(word, tables) == len(table) > 200
    assert check(table, tables) and check(memo, tables) > 300
    by_offsets = tables["transcripts"].set_index("citation_id")["text"]
    for r in tables["case_quotes"].itertuples():
        assert by_offsets[r.citation_id][r.start_char:r.end_char] == r.quote


def test_o3_reads_as_a_case_study_skeleton(shipped_project: Path) -> None:
    text = (shipped_project / "outputs" / "cases" / "O3.md").read_text(encoding="utf-8")
    assert text.startswith("# O3: Cedar Ridge District School Board\n")
    for heading in ("## Profile", "## Salient themes (codebook)", "## Emerging categories",
                    "## Figures"):
        assert f"\n{heading}\n" in text
    assert "4 interviews with 4 participants (1 Director, 1 Principal, 1 Superintendent, " \
           "1 Teacher)" in text
    assert 5 <= text.count("\n### ") <= 9   # at most 6 codebook themes and 3 categories
    assert text.count("Discrepant or qualifying evidence:") >= 5
    # The flags are a word list: the summary says so, and each flagged quote names its word.
    assert "Discrepant or qualifying evidence is flagged automatically" in text
    assert "<sub>flagged automatically by the word “" in text
    assert "![Share of participants voicing each theme, by site]" \
           "(../figures/site_theme_heatmap.png)" in text
    assert (shipped_project / "outputs" / "figures" / "site_theme_heatmap.png").is_file()


def test_quotes_in_a_theme_come_from_different_people(tables) -> None:
    support = tables["case_quotes"][tables["case_quotes"]["kind"] == "support"]
    per_theme = support.groupby(["doc", "theme_id"])["participant_id"]
    assert (per_theme.nunique() == per_theme.size()).all()


def test_quote_balance_covers_sites_and_roles(tables) -> None:
    balance = tables["quote_balance"]
    assert set(balance["dimension"]) == {"site", "role"}
    assert balance.loc[balance["dimension"] == "site", "n_quotes"].sum() == \
        len(tables["case_quotes"])
    sums = balance["quote_share"].groupby(balance["dimension"]).sum()
    assert ((sums - 1).abs() < 1e-3).all()  # shares are rounded to 4 places


def test_cross_case_has_shared_and_site_specific_themes(shipped_project: Path) -> None:
    text = (shipped_project / "outputs" / "cross_case.md").read_text(encoding="utf-8")
    assert "## Themes across sites (codebook)" in text
    assert "- Shared (70% of sites or more): " in text
    assert "- Site-specific (one or two sites): " in text
    assert "## Quote balance" in text
    assert isinstance(pd.read_parquet(shipped_project / "outputs" / "case_blocks.parquet"),
                      pd.DataFrame)
