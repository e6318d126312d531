import io

import pandas as pd
from openpyxl import load_workbook

from pipeline.core.sheets import read_sheet, to_xlsx


def test_an_xlsx_sheet_reads_back_as_the_strings_written_with_its_drop_down() -> None:
    table = pd.DataFrame({"item_id": ["O3-R1-T01", "O3-R1-Q01"], "round": [1, 1],
                          "text": ["A theme", " “Quoted” \n words "], "response": ["", ""]})
    data = to_xlsx(table, "responses", "response", ("agree", "disagree"), {"text": 80},
                   wrap=("text",), notes="how to answer")
    assert data == to_xlsx(table, "responses", "response", ("agree", "disagree"),
                           {"text": 80}, wrap=("text",), notes="how to answer")
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["responses", "how to answer"]
    ws = book["responses"]
    assert [c.value for c in ws[1]] == ["item_id", "round", "text", "response"]
    assert ws.column_dimensions["C"].width == 80 and ws.column_dimensions["A"].width == 14
    rule = ws.data_validations.dataValidation[0]
    assert rule.formula1 == '"agree,disagree"' and str(rule.sqref) == "D2:D3"
    back = read_sheet(data, "filled.XLSX")
    assert back.values.tolist() == [["O3-R1-T01", "1", "A theme", ""],
                                    ["O3-R1-Q01", "1", "“Quoted” \n words", ""]]


def test_a_csv_sheet_with_a_byte_order_mark_and_blank_cells() -> None:
    data = "\ufeffitem_id,response,comment\nO3-R1-T01, Agree ,\nO3-R1-T02,,\n".encode()
    assert read_sheet(data, "filled.csv").values.tolist() == [["O3-R1-T01", "Agree", ""],
                                                              ["O3-R1-T02", "", ""]]


def test_a_file_that_is_no_workbook_is_a_value_error() -> None:
    import pytest

    with pytest.raises(ValueError, match="not a readable XLSX workbook"):
        read_sheet(b"garbage", "filled.xlsx")
