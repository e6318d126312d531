"""The evidence model (design §4a): what a researcher read, confirmed, accepted or rejected.

- *read*: segments a researcher looked at: every segment a human span covers (a span with an
  empty code means "read, no code applies") and every segment of a transcript declared coded in
  full in ``codebooks/coverage.csv``;
- *confirmed*: human codings, and suggestions a reviewer accepted (``codebooks/reviews/``);
- *rejected*: suggestions a reviewer turned down: never proposed again, and negative examples.
"""
from __future__ import annotations

import pandas as pd

from pipeline.codebook.review import decision_problem
from pipeline.core.csvio import CsvError, read_rows
from pipeline.core.errors import Problem, error
from pipeline.core.inputs import SourceFile

COVERAGE_COLUMNS = ("citation_id", "coder")
REVIEW_COLUMNS = ("item_id", "segment_id", "code_id", "decision", "reviewer")


def _rows(src: SourceFile, required: tuple[str, ...], problems: list[Problem]
          ) -> list[tuple[int, dict[str, str]]]:
    try:
        header, records = read_rows(src.data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        problems.append(error(src.path, 0, f"cannot read as UTF-8 CSV ({exc})"))
        return []
    except CsvError as exc:
        problems.append(error(src.path, exc.line, str(exc)))
        return []
    missing = [c for c in required if c not in header]
    if missing:
        problems.append(error(src.path, 1, f"missing column(s): {', '.join(missing)}"))
        return []
    return [(line, {k: (v or "").strip() for k, v in row.items() if k}) for line, row in records]


def read_coverage(src: SourceFile | None, citation_ids: set[str]
                  ) -> tuple[pd.DataFrame, list[Problem]]:
    """Transcripts coded in full, by whom (an empty coder: the team)."""
    problems: list[Problem] = []
    rows = []
    for line, row in (_rows(src, ("citation_id",), problems) if src else []):
        if row["citation_id"] not in citation_ids:
            problems.append(error(src.path, line, f"unknown citation_id "
                                                  f"{row['citation_id']!r}"))
            continue
        rows.append({"citation_id": row["citation_id"], "coder": row.get("coder", "")})
    return pd.DataFrame(rows, columns=list(COVERAGE_COLUMNS)).drop_duplicates(), problems


def read_reviews(files: tuple[SourceFile, ...], segments: pd.DataFrame, code_ids: set[str]
                 ) -> tuple[pd.DataFrame, list[Problem]]:
    """Every decided review row, checked against the segments and codes of this run."""
    problems: list[Problem] = []
    known = set(segments["segment_id"])
    rows = []
    for src in files:
        for line, row in _rows(src, REVIEW_COLUMNS, problems):
            bad = decision_problem(row["item_id"], row["segment_id"], row["code_id"],
                                   row["decision"], row["reviewer"], known, code_ids)
            if bad:
                problems.append(error(src.path, line, bad))
                continue
            rows.append({"segment_id": row["segment_id"], "code_id": row["code_id"],
                         "decision": row["decision"], "reviewer": row["reviewer"],
                         "origin": row.get("sources", ""), "review_file": src.path,
                         "review_line": line})
    cols = ["segment_id", "code_id", "decision", "reviewer", "origin", "review_file",
            "review_line"]
    # A later round overrides an earlier decision about the same suggestion.
    table = pd.DataFrame(rows, columns=cols)
    return table.drop_duplicates(["segment_id", "code_id"], keep="last"), problems



def read_segments(human: pd.DataFrame, coverage: pd.DataFrame, segments: pd.DataFrame
                  ) -> pd.DataFrame:
    """(segment_id, coder) for every segment a researcher read."""
    spans = human[["segment_id", "coder"]]
    whole = segments[["segment_id", "citation_id"]].merge(coverage, on="citation_id")
    read = pd.concat([spans, whole[["segment_id", "coder"]]], ignore_index=True)
    return read.drop_duplicates().sort_values(["segment_id", "coder"]).reset_index(drop=True)


def accepted_rows(reviews: pd.DataFrame) -> pd.DataFrame:
    """Accepted suggestions as confirmed codings by their reviewer."""
    ok = reviews[reviews["decision"] == "accept"]
    return pd.DataFrame({"segment_id": ok["segment_id"], "code_id": ok["code_id"],
                         "source": "review:" + ok["reviewer"], "coder": ok["reviewer"],
                         "score": 1.0,
                         "evidence": "accepted suggestion (" + ok["origin"].where(
                             ok["origin"] != "", "automatic") + ")"})


def labels(read: pd.DataFrame, confirmed: pd.DataFrame, reviews: pd.DataFrame,
           codes: list[str]) -> pd.DataFrame:
    """Training labels (segments x codes; 1, 0, or NaN = unknown): read segments are 0 except
    for the codes confirmed on them; a rejected suggestion is a 0 for its code; an accepted one
    a 1."""
    rejected = reviews[reviews["decision"] == "reject"]
    index = sorted(set(read["segment_id"]) | set(confirmed["segment_id"])
                   | set(rejected["segment_id"]))
    table = pd.DataFrame(float("nan"), index=pd.Index(index, name="segment_id"), columns=codes)
    table.loc[sorted(set(read["segment_id"]))] = 0.0
    for seg, code in zip(rejected["segment_id"], rejected["code_id"]):
        if code in table.columns:
            table.at[seg, code] = 0.0
    for seg, code in zip(confirmed["segment_id"], confirmed["code_id"]):
        if code in table.columns:
            table.at[seg, code] = 1.0
    return table
