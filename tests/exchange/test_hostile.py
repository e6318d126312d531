"""Hostile files brought in from outside: filled review sheets and MAXQDA exports are read,
or refused with the project's own error."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.codebook.review import suggestion_id
from pipeline.core.errors import Problem
from pipeline.exchange.foreign import ForeignError, read_maxqda
from pipeline.exchange.review import SHEET_COLUMNS, STORED_COLUMNS, check_sheet, read_sheet
from tests.hostile import MiB, csv_text, encoded, examples, zip_bomb

SEGMENTS = pd.DataFrame({"segment_id": ["s1", "s2"], "text": ["a", "b"]})
CODES = {"funding", "testing"}
FIELDS = ["s1", "s2", "funding", "testing", "accept", "reject", "Accept", "ana", "1", "2",
          "²", "١", "-1", suggestion_id("s1", "funding"), suggestion_id("s2", "testing")]
rows = st.lists(st.lists(st.one_of(st.sampled_from(FIELDS), st.text(max_size=4)),
                         min_size=len(SHEET_COLUMNS), max_size=len(SHEET_COLUMNS)), max_size=4)
sheets = st.one_of(
    st.builds(lambda rs: pd.DataFrame(rs, columns=SHEET_COLUMNS).to_csv(index=False), rows),
    csv_text(SHEET_COLUMNS))


@settings(max_examples=examples(80))
@given(encoded(sheets))
def test_any_filled_review_sheet_is_checked_row_by_row(data: bytes) -> None:
    try:
        table = read_sheet(data, "r.csv")
    except ValueError:   # `qda review ingest` says "cannot read the sheet (...)"
        return
    checked = check_sheet(table, "r.csv", SEGMENTS, CODES, "ana", "2026-01-01")
    assert all(isinstance(p, Problem) and p.path == "r.csv" for p in checked.problems)
    assert list(checked.decided.columns) == STORED_COLUMNS
    assert isinstance(checked.round_no, int) and checked.round_no >= 0


def test_a_round_written_in_superscript_digits_is_not_a_crash() -> None:
    """Found by hypothesis: '²'.isdigit() holds, but int('²') raises ValueError."""
    table = pd.DataFrame([{c: "" for c in SHEET_COLUMNS} | {
        "item_id": suggestion_id("s1", "funding"), "segment_id": "s1", "code_id": "funding",
        "decision": "accept", "round": "²"}])
    checked = check_sheet(table, "r.csv", SEGMENTS, CODES, "ana", "2026-01-01")
    assert checked.problems == [] and checked.round_no == 0


MAXQDA_COLUMNS = ["Document name", "Code", "Segment", "Modified by"]


@settings(max_examples=examples(60))
@given(encoded(csv_text(MAXQDA_COLUMNS)))
def test_any_maxqda_csv_export_is_read_or_a_foreign_error(tmp_path_factory, data: bytes
                                                          ) -> None:
    path = tmp_path_factory.mktemp("maxqda") / "export.csv"
    path.write_bytes(data)
    try:
        foreign = read_maxqda(path)
    except ForeignError as exc:
        assert "export.csv" in str(exc)
        return
    assert all(isinstance(s.text, str) and isinstance(s.code, str) for s in foreign.spans)


def test_a_maxqda_xlsx_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_bytes(zip_bomb("xl/worksheets/sheet1.xml", 300 * MiB))
    try:
        read_maxqda(path)
    except ForeignError as exc:
        assert "export.xlsx" in str(exc) and "sheet1.xml would expand to 300 MiB" in str(exc)
    else:
        raise AssertionError("read")
