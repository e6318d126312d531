"""Review sheets: written in review order, read back from XLSX or CSV, checked completely."""
import io

import pandas as pd

from pipeline.codebook.review import suggestion_id
from pipeline.exchange.review import check_sheet, read_sheet, sheet, stored_csv, to_csv, to_xlsx

SEGMENTS = pd.DataFrame({"segment_id": ["a:1", "a:2"], "text": ["Funding ended.", "EQAO."],
                         "question": ["And money?", None]})
CODES = pd.DataFrame({"code_id": ["funding", "testing"], "label": ["Funding", "Testing"]})
SUGGESTIONS = pd.DataFrame({
    "suggestion_id": [suggestion_id("a:2", "testing"), suggestion_id("a:1", "funding")],
    "priority": [2, 1], "segment_id": ["a:2", "a:1"], "code_id": ["testing", "funding"],
    "sources": "auto:pattern", "score": [0.5, 0.75], "evidence": "", "reliability": 0.5,
    "uncertainty": 1.0, "citation_id": "a", "site": ["O2", "O1"], "role": "Teacher",
    "locator": ["a ¶2", "a ¶1"], "n_words": 5})


def test_sheet_is_in_review_order_with_text_and_question() -> None:
    table = sheet(SUGGESTIONS, SEGMENTS, CODES, round_no=3, n=5)
    assert table["segment_id"].tolist() == ["a:1", "a:2"]
    assert table.loc[0, ["round", "code", "question", "decision"]].tolist() == [
        3, "Funding", "And money?", ""]
    assert sheet(SUGGESTIONS, SEGMENTS, CODES, 1, 5, ("O2",))["site"].tolist() == ["O2"]


def test_xlsx_and_csv_read_back_the_same() -> None:
    table = sheet(SUGGESTIONS, SEGMENTS, CODES, 1, 5)
    from_xlsx = read_sheet(to_xlsx(table), "r.xlsx")
    from_csv = read_sheet(to_csv(table), "r.csv")
    assert from_xlsx[["item_id", "segment_id", "text"]].equals(
        from_csv[["item_id", "segment_id", "text"]])
    assert to_xlsx(table) == to_xlsx(table)      # reproducible bytes


def test_a_filled_sheet_is_checked_completely() -> None:
    table = read_sheet(to_csv(sheet(SUGGESTIONS, SEGMENTS, CODES, 1, 5)), "r.csv")
    table.loc[0, "decision"], table.loc[1, "decision"] = "Accept", "reject"
    good = check_sheet(table, "r.csv", SEGMENTS, {"funding", "testing"}, "ana",
                       "2026-12-01")
    assert good.problems == [] and good.round_no == 1
    stored = pd.read_csv(io.BytesIO(stored_csv(good.decided)))
    assert stored[["segment_id", "decision", "reviewer", "reviewed"]].values.tolist() == [
        ["a:1", "accept", "ana", "2026-12-01"], ["a:2", "reject", "ana", "2026-12-01"]]
    table.loc[1, "code_id"] = "nope"
    bad = check_sheet(table, "r.csv", SEGMENTS, {"funding", "testing"}, "", "d")
    assert [(p.line, p.message[:20]) for p in bad.problems] == [
        (2, "no reviewer: fill th"), (3, "unknown code_id 'nop")]


def test_an_undecided_sheet_is_refused() -> None:
    table = read_sheet(to_csv(sheet(SUGGESTIONS, SEGMENTS, CODES, 1, 5)), "r.csv")
    checked = check_sheet(table, "r.csv", SEGMENTS, {"funding", "testing"}, "ana", "d")
    assert [p.message[:19] for p in checked.problems] == ["no row is decided: "]
