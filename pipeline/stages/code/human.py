"""Human codings: read CSV files (and REFI-QDA projects), check them, and map spans to segments.

A CSV row names an interview (`citation_id`), a span (`start_char`/`end_char` into the
normalised transcript, or the `quote` itself), a `code_id` and the `coder`. An empty `code_id`
records that the coder read the span and found no code applies (it counts for agreement).
Human codes are authoritative: the automatic coder never overwrites them.
"""
from __future__ import annotations

import csv
import io
import re

import numpy as np
import pandas as pd

from pipeline.core.errors import Problem, error
from pipeline.core.inputs import SourceFile

REQUIRED = ("citation_id", "code_id", "coder")
SPAN_COLUMNS = ["citation_id", "start_char", "end_char", "code_id", "coder", "file", "line"]


def _find_quote(text: str, quote: str) -> tuple[list[int], int]:
    """Start offsets of `quote` in `text` (whitespace-insensitive) and the matched length."""
    exact = [m.start() for m in re.finditer(re.escape(quote), text)]
    if exact:
        return exact, len(quote)
    words = quote.split()
    if not words:
        return [], 0
    loose = re.compile(r"\s+".join(map(re.escape, words)))
    found = list(loose.finditer(text))
    return [m.start() for m in found], (found[0].end() - found[0].start()) if found else 0


def read_csv_codings(src: SourceFile, texts: dict[str, str], code_ids: set[str]
                     ) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse one CSV of human codings into spans; every bad row is a problem with its line."""
    problems: list[Problem] = []
    try:
        reader = csv.DictReader(io.StringIO(src.data.decode("utf-8-sig")))
        header = reader.fieldnames or []
    except UnicodeDecodeError as exc:
        return pd.DataFrame(columns=SPAN_COLUMNS), [error(src.path, 0, f"not UTF-8 ({exc})")]
    missing = [c for c in REQUIRED if c not in header]
    if missing or not ({"start_char", "end_char"} <= set(header) or "quote" in header):
        need = ", ".join(missing) or "start_char and end_char, or quote"
        return pd.DataFrame(columns=SPAN_COLUMNS), [error(src.path, 1, f"missing column(s): "
                                                          f"{need}")]
    rows = []
    for row in reader:
        span = _row_span(row, reader.line_num, src.path, texts, code_ids, problems)
        if span is not None:
            rows.append(span)
    return pd.DataFrame(rows, columns=SPAN_COLUMNS), problems


def _row_span(row: dict, line: int, path: str, texts: dict[str, str], code_ids: set[str],
              problems: list[Problem]) -> dict | None:
    row = {k: (v or "").strip() for k, v in row.items() if k}
    cid, code, coder = row["citation_id"], row["code_id"], row["coder"]
    bad = len(problems)
    if cid not in texts:
        problems.append(error(path, line, f"unknown citation_id {cid!r}"))
    if code and code not in code_ids:
        problems.append(error(path, line, f"unknown code_id {code!r} (not in the codebook)"))
    if not coder:
        problems.append(error(path, line, "empty coder"))
    if len(problems) > bad:
        return None
    text = texts[cid]
    if row.get("start_char") and row.get("end_char"):
        try:
            start, end = int(row["start_char"]), int(row["end_char"])
        except ValueError:
            problems.append(error(path, line, "start_char and end_char must be whole numbers"))
            return None
        if not 0 <= start < end <= len(text):
            problems.append(error(path, line, f"span {start}-{end} is outside {cid} "
                                  f"(0-{len(text)})"))
            return None
        quote = row.get("quote", "")
        if quote and " ".join(text[start:end].split()) != " ".join(quote.split()):
            problems.append(error(path, line, f"quote does not match {cid}[{start}:{end}]"))
            return None
    elif row.get("quote"):
        starts, length = _find_quote(text, row["quote"])
        if len(starts) != 1:
            how = "not found" if not starts else f"found {len(starts)} times"
            hint = "" if not starts else "; give start_char and end_char"
            problems.append(error(path, line, f"quote {how} in {cid}{hint}"))
            return None
        start, end = starts[0], starts[0] + length
    else:
        problems.append(error(path, line, "give start_char and end_char, or quote"))
        return None
    return {"citation_id": cid, "start_char": start, "end_char": end, "code_id": code,
            "coder": coder, "file": path, "line": line}


def spans_to_segments(spans: pd.DataFrame, segments: pd.DataFrame,
                      min_overlap: float = 0.5) -> pd.DataFrame:
    """Segments a human span codes: those it overlaps by at least `min_overlap` of the
    shorter of the two (so a short quote codes its segment, and a long passage codes every
    segment it mostly covers). One row per (segment, code, coder)."""
    cols = ["segment_id", "code_id", "coder"]
    if spans.empty or segments.empty:
        return pd.DataFrame(columns=cols)
    pairs = spans[["citation_id", "start_char", "end_char", "code_id", "coder"]].merge(
        segments[["citation_id", "segment_id", "start_char", "end_char"]],
        on="citation_id", suffixes=("", "_seg"))
    overlap = (np.minimum(pairs["end_char"], pairs["end_char_seg"])
               - np.maximum(pairs["start_char"], pairs["start_char_seg"])).clip(lower=0)
    shorter = np.minimum(pairs["end_char"] - pairs["start_char"],
                         pairs["end_char_seg"] - pairs["start_char_seg"])
    hit = pairs[(overlap > 0) & (overlap >= min_overlap * shorter)]
    return (hit[cols].drop_duplicates().sort_values(cols).reset_index(drop=True))
