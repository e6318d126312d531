"""Reading researchers' CSV files: the header and every row with the line it ends on, or a
`CsvError` naming the line the csv module refused (a field over the size limit, a stray
carriage return), never the csv module's own exception.

The csv module refuses fields over 128 KiB by default; a quote of a whole interview can be
longer, so the limit is raised (once, process-wide: the module has no per-reader limit) to
`FIELD_LIMIT`, far above any transcript, and a field beyond it is an error with its line.
"""
from __future__ import annotations

import csv
import io

FIELD_LIMIT = 16 * 1024 * 1024   # characters in one field


class CsvError(ValueError):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def _allow_long_fields() -> None:
    if csv.field_size_limit() < FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)


_allow_long_fields()


def read_rows(text: str) -> tuple[list[str], list[tuple[int, dict]]]:
    """(header, [(line, row), ...]) of CSV text, rows as `csv.DictReader` gives them (extra
    fields under None, missing ones None). Raises `CsvError` with the line it stopped on."""
    # newline="": the csv module then sees \r, \n and \r\n line ends itself, so a quoted field
    # may hold any of them and an old Mac file (\r only) reads as lines.
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = list(reader.fieldnames or [])
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise _error(exc, reader.reader.line_num) from None
    return header, rows


def split_line(line: str, number: int) -> list[str]:
    """The fields of one line of CSV (`number` is its line, for the error)."""
    try:
        return next(csv.reader([line]), [])
    except csv.Error as exc:
        raise _error(exc, number) from None


def _error(exc: csv.Error, line: int) -> CsvError:
    message = str(exc)
    if "field larger than field limit" in message:
        message = f"a field is longer than {FIELD_LIMIT // (1024 * 1024)} MiB of text"
    return CsvError(f"not readable as CSV: {message}", line)
