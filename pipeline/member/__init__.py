"""Member checking: rounds, items, responses, interpretations and what responses change.
Parsing and rules only: the catalog reads and writes the files."""
from __future__ import annotations

import pandas as pd

from pipeline.core.inputs import InputFiles
from pipeline.member.apply import Applied, effective
from pipeline.member.interpretations import read_interpretations
from pipeline.member.model import (
    ALLOWED,
    ITEM_COLUMNS,
    KINDS,
    RESPONSE_COLUMNS,
    RESPONSES,
    SHEET_COLUMNS,
    critical_words,
    item_id,
    round_folder,
)
from pipeline.member.responses import (
    Rounds,
    check_response,
    check_sheet,
    load_rounds,
    read_table,
    response_row,
    session_json,
    stored_csv,
)

__all__ = ["ALLOWED", "ITEM_COLUMNS", "KINDS", "RESPONSES", "RESPONSE_COLUMNS",
           "SHEET_COLUMNS", "Applied", "Rounds", "check_response", "check_sheet",
           "critical_words", "effective", "item_id", "load_rounds", "read_interpretations",
           "read_table", "response_row", "round_folder", "session_json", "stored_csv",
           "withdrawn_segments"]


def withdrawn_segments(member_checks: InputFiles, segments: pd.DataFrame) -> frozenset[str]:
    """Segments that overlap a quote its speaker withdrew: never quoted again."""
    return effective(load_rounds(member_checks)).blocked(segments)
