"""Review sheets: machine suggestions out to a researcher (XLSX and CSV), decisions back in.

A sheet lists suggestions in review order with the segment's text, locator and the
interviewer's question. The researcher writes `accept` or `reject` in the decision column.
Reading a filled sheet checks every row before anything is stored (the row's number in the
message); only decided rows are kept, in the form `codebooks/reviews/` holds.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.codebook.review import decision_problem
from pipeline.core import sheets
from pipeline.core.errors import Problem, error

SHEET_COLUMNS = ["item_id", "round", "priority", "site", "locator", "code_id", "code",
                 "question", "text", "sources", "score", "reliability", "decision", "reviewer",
                 "comment", "segment_id"]
STORED_COLUMNS = ["item_id", "segment_id", "code_id", "decision", "reviewer", "comment",
                  "sources", "reviewed", "text"]


def sheet(suggestions: pd.DataFrame, segments: pd.DataFrame, codes: pd.DataFrame,
          round_no: int, n: int, sites: tuple[str, ...] = ()) -> pd.DataFrame:
    """The first `n` suggestions in review order (of the given sites, if any)."""
    chosen = suggestions if not sites else suggestions[suggestions["site"].isin(sites)]
    chosen = chosen.sort_values("priority").head(n)
    info = segments.set_index("segment_id")[["text", "question"]]
    labels = codes.set_index("code_id")["label"]
    out = chosen.join(info, on="segment_id")
    out = out.assign(round=round_no, code=out["code_id"].map(labels), decision="",
                     reviewer="", comment="", question=out["question"].fillna(""),
                     reliability=out["reliability"].round(2), score=out["score"].round(3))
    return out.rename(columns={"suggestion_id": "item_id"})[SHEET_COLUMNS].reset_index(
        drop=True)


def to_csv(table: pd.DataFrame) -> bytes:
    return table.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def to_xlsx(table: pd.DataFrame) -> bytes:
    """One sheet, exact column names (they are read back), a drop-down for the decision."""
    return sheets.to_xlsx(table[SHEET_COLUMNS], "review", "decision", ("accept", "reject"),
                          {"text": 80, "question": 40, "code": 30, "locator": 28,
                           "comment": 30}, wrap=("text", "question"))


def read_sheet(data: bytes, name: str) -> pd.DataFrame:
    """A filled sheet (.xlsx or .csv) as strings; row numbers follow the file (header = 1)."""
    return sheets.read_sheet(data, name)


@dataclass(frozen=True)
class Checked:
    decided: pd.DataFrame      # rows to store, in STORED_COLUMNS
    problems: list[Problem]
    round_no: int


def check_sheet(table: pd.DataFrame, name: str, segments: pd.DataFrame, codes: set[str],
                reviewer: str, today: str) -> Checked:
    """Every problem of a filled sheet, with its row; the decided rows when there is none."""
    missing = [c for c in ("item_id", "segment_id", "code_id", "decision") if c not in table]
    if missing:
        return Checked(pd.DataFrame(columns=STORED_COLUMNS),
                       [error(name, 1, f"missing column(s): {', '.join(missing)}")], 0)
    texts = segments.set_index("segment_id")["text"]
    problems, rows, seen = [], [], {}
    for i, row in enumerate(table.to_dict("records"), start=2):
        decision = row["decision"].lower()
        why = decision_problem(row["item_id"], row["segment_id"], row["code_id"], decision,
                               row.get("reviewer") or reviewer, texts.index, codes) \
            if decision else ""
        if not why and row["item_id"] in seen and seen[row["item_id"]] != decision:
            why = f"item {row['item_id']} is decided twice, differently"
        if why:
            problems.append(error(name, i, why))
        elif decision:
            seen[row["item_id"]] = decision
            rows.append({"item_id": row["item_id"], "segment_id": row["segment_id"],
                         "code_id": row["code_id"], "decision": decision,
                         "reviewer": row.get("reviewer") or reviewer,
                         "comment": row.get("comment", ""), "sources": row.get("sources", ""),
                         "reviewed": today, "text": texts[row["segment_id"]]})
    if not rows and not problems:
        problems.append(error(name, 0, "no row is decided: write accept or reject in the "
                                       "decision column"))
    # ASCII digits only: "²".isdigit() holds, but int("²") fails
    rounds = sorted({r for r in table.get("round", pd.Series(dtype=str))
                     if r.isascii() and r.isdigit()})
    decided = pd.DataFrame(rows, columns=STORED_COLUMNS).drop_duplicates("item_id")
    return Checked(decided, problems, int(rounds[-1]) if rounds else 0)



def stored_csv(decided: pd.DataFrame) -> bytes:
    return decided[STORED_COLUMNS].to_csv(index=False, lineterminator="\n").encode("utf-8")
