"""Human codings: read CSV files (and REFI-QDA projects), check them, and map spans to segments.

A CSV row names an interview (`citation_id`), a span (`start_char`/`end_char` into the
normalised transcript, or the `quote` itself), a `code_id` and the `coder`. Offsets that other
tools count in the file's own text (QualCoder and Taguette keep trailing spaces, which
normalisation drops) are converted: with `offsets_in` = `file`, or found so when the row's
`quote` matches the file's text there and not the transcript's. Offsets with no quote cannot
be checked, and when normalisation moved characters before them the file says so. An empty
`code_id` records that the coder read the span and found no code applies (it counts for
agreement).
Human codes are authoritative: the automatic coder never overwrites them.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.core.csvio import CsvError, read_rows
from pipeline.core.errors import Problem, error, warning
from pipeline.core.inputs import SourceFile
from pipeline.formats.text import file_to_transcript, find_quote

REQUIRED = ("citation_id", "code_id", "coder")
SPAN_COLUMNS = ["citation_id", "start_char", "end_char", "code_id", "coder", "file", "line"]


def read_csv_codings(src: SourceFile, texts: dict[str, str], code_ids: set[str],
                     dropped: dict[str, list[int] | None] | None = None
                     ) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse one CSV of human codings into spans; every bad row is a problem with its line.
    `dropped`: per transcript, the file offsets normalisation dropped (see formats.text)."""
    problems: list[Problem] = []
    tally: dict[str, list[int]] = {"converted": [], "unchecked": []}
    try:
        header, records = read_rows(src.data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return pd.DataFrame(columns=SPAN_COLUMNS), [error(src.path, 0, f"not UTF-8 ({exc})")]
    except CsvError as exc:
        return pd.DataFrame(columns=SPAN_COLUMNS), [error(src.path, exc.line, str(exc))]
    missing = [c for c in REQUIRED if c not in header]
    if missing or not ({"start_char", "end_char"} <= set(header) or "quote" in header):
        need = ", ".join(missing) or "start_char and end_char, or quote"
        return pd.DataFrame(columns=SPAN_COLUMNS), [error(src.path, 1, f"missing column(s): "
                                                          f"{need}")]
    rows = []
    for line, row in records:
        span = _row_span(row, line, src.path, texts, code_ids, problems, dropped or {}, tally)
        if span is not None:
            rows.append(span)
    return pd.DataFrame(rows, columns=SPAN_COLUMNS), problems + _tally_notes(src.path, tally)


def _on_word_edges(text: str, start: int, end: int) -> bool:
    """Whether [start, end) neither begins nor ends inside a word."""
    def inside(i: int) -> bool:
        return 0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum()
    return 0 <= start < end <= len(text) and not inside(start) and not inside(end)


def _tally_notes(path: str, tally: dict[str, list[int]]) -> list[Problem]:
    out = []
    if tally["converted"]:
        lines = tally["converted"]
        out.append(warning(path, lines[0], f"{len(lines)} row(s) count offsets in the file's "
                           f"text (before normalisation dropped trailing spaces and the like); "
                           f"converted (by their quotes, or where only the file's offsets fall "
                           f"on word edges)"))
    if tally["unchecked"]:
        lines = tally["unchecked"]
        out.append(warning(path, lines[0], f"{len(lines)} row(s) give offsets without a quote "
                           f"that cut words both as offsets into the transcript and into the "
                           f"file's text: read as transcript offsets; add a quote column (or "
                           f"offsets_in=file) to place them surely"))
    return out


def _offset_span(row: dict, line: int, path: str, cid: str, text: str,
                 dropped: list[int] | None, problems: list[Problem],
                 tally: dict[str, list[int]]) -> tuple[int, int] | None:
    """The span of a row that gives start_char/end_char, checked and converted."""
    try:
        start, end = int(row["start_char"]), int(row["end_char"])
    except ValueError:
        problems.append(error(path, line, "start_char and end_char must be whole numbers"))
        return None
    quote = " ".join(row.get("quote", "").split())
    in_file = row.get("offsets_in", "").casefold() == "file"
    if in_file and dropped is None:
        problems.append(error(path, line, f"offsets_in=file, but {cid} is a DOCX or caption "
                              f"transcript whose text is a rendering; give a quote instead"))
        return None
    moved = dropped is not None and bool(dropped) and dropped[0] < end
    as_file = (file_to_transcript(start, dropped), file_to_transcript(end, dropped)) \
        if moved else (start, end)
    if in_file:
        start, end = as_file
    elif moved and quote and " ".join(text[start:end].split()) != quote:
        start, end = as_file
        tally["converted"].append(line)
    elif moved and not quote and not _on_word_edges(text, start, end):
        # A coder selects whole words: a span that cuts words as transcript offsets but not
        # as file offsets was counted in the file.
        if _on_word_edges(text, *as_file):
            start, end = as_file
            tally["converted"].append(line)
        else:
            tally["unchecked"].append(line)
    if not 0 <= start < end <= len(text):
        problems.append(error(path, line, f"span {start}-{end} is outside {cid} "
                              f"(0-{len(text)})"))
        return None
    if quote and " ".join(text[start:end].split()) != quote:
        problems.append(error(path, line, f"quote does not match {cid}[{start}:{end}]"))
        return None
    return start, end


def _row_span(row: dict, line: int, path: str, texts: dict[str, str], code_ids: set[str],
              problems: list[Problem], dropped: dict[str, list[int] | None],
              tally: dict[str, list[int]]) -> dict | None:
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
        found = _offset_span(row, line, path, cid, text, dropped.get(cid), problems, tally)
        if found is None:
            return None
        start, end = found
    elif row.get("quote"):
        found = find_quote(text, row["quote"])
        if len(found) != 1:
            how = "not found" if not found else f"found {len(found)} times"
            hint = "" if not found else "; give start_char and end_char"
            problems.append(error(path, line, f"quote {how} in {cid}{hint}"))
            return None
        start, end = found[0]
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
