"""Sheets a researcher fills in and hands back (review decisions, member-check responses):
written as XLSX with exact column names and a drop-down for the answer column, read back from
XLSX or CSV as stripped strings whose row numbers follow the file (header = row 1)."""
from __future__ import annotations

import csv
import io
import warnings
import zipfile
from collections.abc import Mapping, Sequence

import pandas as pd

from pipeline.core.archives import defused
from pipeline.core.files import fix_office_dates

# What openpyxl raises on a workbook that is damaged inside a sound zip: malformed XML (lxml's
# and ElementTree's parse errors are SyntaxErrors), and whatever its readers trip over.
_XLSX_ERRORS = (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError, TypeError,
                AttributeError, IndexError)


def read_xlsx(data: bytes, **options: object) -> pd.DataFrame:
    """The first sheet of a workbook (pandas.read_excel `options`); ValueError when it cannot
    be read: no workbook, a damaged one, or a zip bomb."""
    try:
        # openpyxl reads members whole: it gets a copy read within the archive limits
        safe = io.BytesIO(defused(data, ""))
        with warnings.catch_warnings():
            # "contains invalid dependency definitions", "no default style": nothing a
            # researcher can act on, and the table reads (or fails) regardless
            warnings.simplefilter("ignore", UserWarning)
            return pd.read_excel(safe, engine="openpyxl", **options)
    except _XLSX_ERRORS as exc:
        # a renamed file, a broken download, a workbook saved in another format
        raise ValueError(f"not a readable XLSX workbook ({exc})") from None


def read_sheet(data: bytes, name: str) -> pd.DataFrame:
    """A filled sheet (.xlsx or .csv) as strings; ValueError when it cannot be read."""
    if name.lower().endswith(".xlsx"):
        table = read_xlsx(data, dtype=str)
    else:
        table = pd.read_csv(io.StringIO(data.decode("utf-8-sig")), dtype=str,
                            keep_default_na=False, quoting=csv.QUOTE_MINIMAL)
    return table.fillna("").map(lambda v: str(v).strip())


def to_xlsx(table: pd.DataFrame, title: str, answer: str, choices: Sequence[str],
            widths: Mapping[str, int], wrap: Sequence[str] = (), notes: str = "") -> bytes:
    """One sheet named `title`: bold exact headers, a drop-down of `choices` in the `answer`
    column, column widths (14 unless given), wrapped text columns, frozen header; `notes`
    go into a second sheet. Equal tables give equal bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    ws = book.active
    ws.title = title
    ws.append(list(table.columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in table.itertuples(index=False):
        ws.append([None if pd.isna(v) else v for v in row])
    col = {name: get_column_letter(i) for i, name in enumerate(table.columns, 1)}
    choice = DataValidation(type="list", formula1='"' + ",".join(choices) + '"',
                            allow_blank=True)
    ws.add_data_validation(choice)
    choice.add(f"{col[answer]}2:{col[answer]}{max(2, len(table) + 1)}")
    for name, letter in col.items():
        ws.column_dimensions[letter].width = widths.get(name, 14)
    for name in wrap:
        for cell in ws[col[name]][1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    if notes:
        book.create_sheet("how to answer").append([notes])
    buffer = io.BytesIO()
    book.save(buffer)
    return fix_office_dates(buffer.getvalue())
