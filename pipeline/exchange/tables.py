"""Tables for people outside the pipeline: filtered, optionally pivoted, as CSV, XLSX or parquet.

Everything here is pure (DataFrames in, DataFrames or bytes out); ``qda export`` in cli.py
decides what to read and where to write.
"""
from __future__ import annotations

import datetime as dt
import difflib
import io
import json
import math
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.core.files import FIXED_DATE, fix_office_dates
from pipeline.core.order import natural_key

if TYPE_CHECKING:
    from pipeline.privacy import Redactor

# Tables that only the pipeline reads (a 100-number vector per segment helps nobody in Excel).
INTERNAL_TABLES = frozenset({"segment_vectors"})

# Long matrices that --wide pivots: table -> (row key, column key, cell value).
WIDE_SHAPES: dict[str, tuple[str, str, str]] = {
    "theme_matrix": ("site", "theme_id", "share_participants"),
    "role_matrix": ("role", "theme_id", "share_participants"),
    "cooccurrence": ("code_a", "code_b", "n_segments"),
}

# Filter option -> the column it filters on.
FILTER_COLUMNS = {"--site": "site", "--theme": "theme_id"}

# DataFrame.attrs key naming the columns whose headers are data (theme IDs of a wide matrix),
# so that the XLSX writer does not turn "code:lfm_design" into "Code:lfm design".
VERBATIM = "qda.verbatim_headers"

SHEET_NAME_MAX = 31            # Excel refuses longer sheet names
CELL_TEXT_MAX = 32_767         # Excel truncates (and warns about) longer cells
TRUNCATED = " [… truncated for Excel; the full text is in the CSV or parquet export]"
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Control characters are not allowed in XLSX XML (same set as openpyxl's check).
XML_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


# ---------------------------------------------------------------------------- choosing
def choose_tables(requested: Sequence[str], present: Iterable[str],
                  order: Sequence[str] = ()) -> list[str]:
    """The tables to export: those named, or every non-internal table in pipeline order."""
    present = sorted(present)
    if not present:
        raise ValueError("no tables in outputs/ yet; run `qda analyze` first")
    unknown = [n for n in requested if n not in present]
    if unknown:
        hints = [m for n in unknown for m in difflib.get_close_matches(n, present, 1)]
        hint = f" (did you mean {', '.join(hints)}?)" if hints else ""
        raise ValueError(f"unknown table(s): {', '.join(unknown)}{hint}; available: "
                         f"{', '.join(present)}")
    if requested:
        return list(dict.fromkeys(requested))   # the user's order, each table once
    rank = {name: i for i, name in enumerate(order)}
    return sorted((n for n in present if n not in INTERNAL_TABLES),
                  key=lambda n: (rank.get(n, len(rank)), n))


def select(df: pd.DataFrame, site: list[str] | None, theme: list[str] | None) -> pd.DataFrame:
    """Rows of the given sites and themes; a filter on a column the table lacks is ignored.

    None or an empty list means "no filter". Rows whose key is null (cross-site categories)
    do not match a site filter: they belong to no site.
    """
    keep = pd.Series(True, index=df.index)
    for values, column in ((site, "site"), (theme, "theme_id")):
        if values and column in df.columns:
            keep &= df[column].isin(values)
    return df[keep].reset_index(drop=True)


def widen(df: pd.DataFrame, index: str, columns: str, values: str) -> pd.DataFrame:
    """Pivot a long matrix to one row per ``index`` value and one column per ``columns`` value.

    Rows and columns are in natural sort order so two exports of the same data are identical;
    absent pairs are 0 (nobody voiced the theme there), not blank.
    """
    keyed = df.dropna(subset=[index, columns])   # a cell needs both of its keys
    if keyed.duplicated([index, columns]).any():
        raise ValueError(f"cannot widen: several rows share one ({index}, {columns}) pair")
    wide = keyed.pivot(index=index, columns=columns, values=values)
    wide = wide.reindex(index=sorted(wide.index, key=natural_key),
                        columns=sorted(wide.columns, key=natural_key)).fillna(0)
    if pd.api.types.is_integer_dtype(df[values]):
        wide = wide.astype("int64")   # the pivot's NaNs made counts float; they are whole
    wide.columns = [str(c) for c in wide.columns]
    out = wide.reset_index()
    out.attrs[VERBATIM] = list(wide.columns)
    return out


def prepare(tables: dict[str, pd.DataFrame], site: list[str] | None,
            theme: list[str] | None, wide: bool) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Filter, and with ``wide`` pivot, each table; the notes say what did not apply."""
    notes = filter_notes(tables, site, theme)
    out = {}
    for name, df in tables.items():
        df = select(df, site, theme)
        shape = WIDE_SHAPES.get(name) if wide else None
        lacking = [c for c in shape or () if c not in df.columns]
        if shape and not lacking:
            df = widen(df, *shape)
            notes.append(f"{name}: wide ({shape[0]} x {shape[1]}, values {shape[2]})")
        elif shape:
            notes.append(f"{name}: kept long (--wide needs column(s) {', '.join(lacking)})")
        out[name] = df
    if wide and not set(tables) & set(WIDE_SHAPES):
        notes.append(f"--wide: no table to pivot ({', '.join(WIDE_SHAPES)} not exported)")
    return out, notes


def unmatched(tables: dict[str, pd.DataFrame], site: list[str] | None,
              theme: list[str] | None) -> list[str]:
    """Filter values that match no row of any table that has their column (a typo such as
    --site O99): an export of them would be empty tables standing for a real result."""
    out = []
    for (flag, column), values in zip(FILTER_COLUMNS.items(), (site, theme)):
        seen = {v for df in tables.values() if column in df.columns for v in df[column]}
        out += [f"{flag} {v}" for v in values or () if v not in seen]
    return out


def filter_notes(tables: dict[str, pd.DataFrame], site: list[str] | None,
                 theme: list[str] | None) -> list[str]:
    """Which tables a filter skips (no such column) and which values matched nowhere."""
    notes = []
    for (flag, column), values in zip(FILTER_COLUMNS.items(), (site, theme)):
        if not values:
            continue
        lacking = [n for n, df in tables.items() if column not in df.columns]
        if lacking:
            notes.append(f"{flag} ignored for {', '.join(lacking)} (no {column} column)")
        seen = {v for df in tables.values() if column in df.columns for v in df[column]}
        missing = [v for v in values if v not in seen]
        if missing:
            notes.append(f"{flag} {', '.join(missing)}: no such {column} in these tables")
    return notes


def summary(frames: dict[str, pd.DataFrame], fmt: str, where: str) -> str:
    """One line: how many tables, in which format, where, and the rows of each."""
    parts = [f"{name} {len(df):,} row{'' if len(df) == 1 else 's'}"
             + (" (wide)" if VERBATIM in df.attrs else "")
             for name, df in frames.items()]
    return f"{len(frames)} table(s) written as {fmt} to {where}: {', '.join(parts)}."


# ---------------------------------------------------------------------------- redacting
# Columns that identify rows or hold the pipeline's own vocabulary (codes, sites, roles,
# sources): a redacted export leaves them as they are, so its tables still join. Citation
# IDs and site codes carry roles and numbers, never names.
IDENTIFIER_COLUMNS = re.compile(
    r"(?:^|_)ids?$|^(?:site|sites|locator|first_locator|quote_locators|sha256|source_path|"
    r"source_file|format|encoding|phase|level|kind|status|source|sources|coder|code_a|"
    r"code_b|comparison|scope|speaker_role|role|roles|interview_date)$")
# Lower-case word lists (lemmas) cannot be told from names once capitals are gone: a
# redacted export leaves them out.
UNREDACTABLE_COLUMNS = ("lemmas",)
REDACTED = "redacted"   # in a redacted export's folder and file names


def redact_tables(frames: dict[str, pd.DataFrame], redactor: Redactor
                  ) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Every table with its text columns redacted; the notes say which columns were left
    out. Identifier columns (IDENTIFIER_COLUMNS) are kept as they are."""
    out, notes = {}, []
    for name, df in frames.items():
        dropped = [c for c in df.columns if c in UNREDACTABLE_COLUMNS]
        if dropped:
            notes.append(f"{name}: {', '.join(dropped)} left out of the redacted export "
                         f"(lower-case words, where names cannot be found)")
        kept = df.drop(columns=dropped)
        columns = [c for c in kept.columns if not IDENTIFIER_COLUMNS.search(str(c))
                   and not pd.api.types.is_numeric_dtype(kept[c])
                   and not pd.api.types.is_bool_dtype(kept[c])]
        redacted = redactor.redact_frame(kept, columns)
        redacted.attrs = dict(df.attrs)
        out[name] = redacted
    return out, notes


def redacted_name(name: str) -> str:
    """'segments.csv' -> 'segments.redacted.csv': a redacted file says so in its name."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        return f"{name}.{REDACTED}"
    return name if stem.endswith(f".{REDACTED}") else f"{stem}.{REDACTED}.{suffix}"


# ---------------------------------------------------------------------------- flattening
def flatten_cell(value: object) -> object:
    """One cell as CSV and spreadsheets can hold it; numbers and booleans stay as they are."""
    if isinstance(value, list | tuple | np.ndarray):
        return "; ".join(str(flatten_cell(v)) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    if is_null(value):
        return ""
    if isinstance(value, dt.date):   # also datetime and pandas Timestamp
        return value.isoformat()
    return value


def is_null(value: object) -> bool:
    """None, NaN, NA or NaT: the ways a missing scalar shows up in a DataFrame."""
    return (value is None or value is pd.NA or value is pd.NaT
            or (isinstance(value, float) and math.isnan(value)))


def flatten(df: pd.DataFrame) -> pd.DataFrame:
    """Lists become "; "-joined text, dates ISO 8601 text, nulls empty text (for CSV/XLSX).

    Numeric and boolean columns keep their type, so spreadsheets get numbers (a missing
    number stays NaN, which both writers turn into an empty cell). Text columns change too:
    with pandas' string dtype a missing text is NaN, and it should be "".
    """
    out = df.copy()
    for column in out.columns:
        series = out[column]
        if not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)):
            out[column] = pd.Series([flatten_cell(v) for v in series.astype(object)],
                                    index=out.index, dtype=object)
    return out


def readable(name: str) -> str:
    """A column header for people: "share_participants" -> "Share participants".

    "id" is written ID, single letters are capitals ("n_segments" -> "N segments",
    "code_a" -> "Code A"); words with capitals are kept as written.
    """
    words = [w for w in re.split(r"[_\s]+", str(name)) if w]
    if not words:
        return str(name)
    words = ["ID" if w.lower() == "id" else w.upper() if len(w) == 1 else w for w in words]
    return " ".join([words[0][:1].upper() + words[0][1:]] + words[1:])


def unique(names: Iterable[str], limit: int | None = None) -> list[str]:
    """Names made unique (case-insensitively, as Excel compares them) within ``limit`` chars."""
    taken: set[str] = set()
    out = []
    for name in names:
        candidate, n = name[:limit], 1
        while candidate.lower() in taken:
            n += 1
            suffix = f"~{n}"
            candidate = name[:(limit - len(suffix)) if limit else None] + suffix
        taken.add(candidate.lower())
        out.append(candidate)
    return out


def sheet_names(tables: Iterable[str]) -> list[str]:
    """Excel sheet names for tables: forbidden characters replaced, <= 31 chars, unique."""
    cleaned = [SHEET_FORBIDDEN.sub("_", t).strip("'") or "table" for t in tables]
    return unique(cleaned, SHEET_NAME_MAX)


# ---------------------------------------------------------------------------- writers
def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV with the pipeline's column names, UTF-8 with a byte-order mark.

    Excel opens a BOM-less CSV in the machine's legacy code page, so "Québec" would show as
    "QuÃ©bec"; the BOM makes it read UTF-8. pandas, R and Python's csv (with encoding
    "utf-8-sig") read it unchanged. "\\n" line ends keep the bytes the same on every OS.
    """
    text = flatten(df).to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8-sig")


def to_parquet_bytes(df: pd.DataFrame) -> bytes:
    """Parquet with the original types (lists stay lists, dates stay dates)."""
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), buffer)
    return buffer.getvalue()


def to_xlsx_bytes(tables: dict[str, pd.DataFrame]) -> bytes:
    """One workbook, one sheet per table: bold readable headers, frozen header row, filters."""
    from openpyxl import Workbook  # imported here: only exports need it

    book = Workbook()
    book.remove(book.active)
    book.properties.created = dt.datetime(*FIXED_DATE)
    for sheet, df in zip(sheet_names(tables), tables.values()):
        _write_sheet(book.create_sheet(sheet), df)
    buffer = io.BytesIO()
    book.save(buffer)
    return fix_office_dates(buffer.getvalue())


def _write_sheet(ws, df: pd.DataFrame) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    verbatim = set(df.attrs.get(VERBATIM, ()))
    ws.append(unique(c if c in verbatim else readable(c) for c in map(str, df.columns)))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(flatten(df).itertuples(index=False, name=None), start=2):
        values = [_xlsx_value(v) for v in row]
        ws.append(values)
        for c, value in enumerate(values, start=1):
            if isinstance(value, str) and value[:1] in ("=", "#"):
                # openpyxl reads "=..." as a formula and "#N/A" as an error; here it is text
                ws.cell(r, c).data_type = "s"
    ws.freeze_panes = "B2" if verbatim else "A2"   # wide: keep the row labels in view too
    if len(df.columns):
        ws.auto_filter.ref = ws.dimensions
    for i, column in enumerate(ws.iter_cols(max_row=min(ws.max_row, 200)), start=1):
        ws.column_dimensions[get_column_letter(i)].width = _width(c.value for c in column)


def _xlsx_value(value: object) -> object:
    """Cell value for openpyxl: NaN is an empty cell, text is cleaned and fits Excel."""
    if is_null(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str):
        value = XML_ILLEGAL.sub("", value)
        if len(value) > CELL_TEXT_MAX:
            value = value[:CELL_TEXT_MAX - len(TRUNCATED)] + TRUNCATED
    return value


def _width(values: Iterable[object]) -> float:
    """Column width from the longest line among the header and the first rows: 8 to 60."""
    longest = max((len(line) for v in values if v is not None
                   for line in str(v).splitlines() or [""]), default=0)
    return float(min(max(longest + 2, 8), 60))
