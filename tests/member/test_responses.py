import json

import pandas as pd
import pytest

from pipeline.core.inputs import InputFiles, make_source
from pipeline.member import (
    check_response,
    check_sheet,
    load_rounds,
    response_row,
    session_json,
    stored_csv,
)
from tests.member.helpers import PARTICIPANTS, items, sheet

ITEMS = items()
BY_ID = ITEMS.set_index("item_id", drop=False).to_dict("index")


@pytest.mark.parametrize("item, response, revised, respondent, why", [
    ("O3-R1-I01", "agree", "", "O3_Principal#1_5.10/1", ""),
    ("O3-R1-I01", "revise", "Better words.", "group", ""),
    ("O3-R1-I01", "revise", "  ", "group", "revise needs the revised text"),
    ("O3-R1-I01", "maybe", "", "group", "response 'maybe' is not one of"),
    ("O3-R1-I01", "", "", "group", "no response given"),
    ("O3-R1-I01", "agree", "", " ", "no respondent"),
    ("O3-R1-I01", "withdraw", "", "group", "only a quote can be withdrawn"),
    ("O3-R1-Q01", "revise", "x", "O3_Teacher#1_5.10/1", "a quote is the participant's own"),
    ("O3-R1-Q01", "withdraw", "", "O3_Teacher#1_5.10/1", ""),
    # the interview had one participant: its citation ID names her too
    ("O3-R1-Q01", "withdraw", "", "O3_Teacher#1_5.10", ""),
    ("O3-R1-Q01", "withdraw", "", "O3_Principal#1_5.10/1", "only the person quoted"),
    # two people in that interview: the citation ID alone does not say which
    ("O3-R1-Q02", "withdraw", "", "O3_Principal#1_5.10", "only the person quoted"),
    ("O3-R1-Q02", "withdraw", "", "O3_Principal#1_5.10/1", ""),
])
def test_one_response(item, response, revised, respondent, why) -> None:
    found = check_response(BY_ID[item], response, revised, respondent, PARTICIPANTS)
    assert (why in found and found) if why else found == ""


def test_a_good_sheet_gives_one_response_per_answered_row() -> None:
    table = sheet([{"item_id": "O3-R1-T01", "response": "Agree", "respondent": "group"},
                   {"item_id": "O3-R1-I01", "response": "revise", "respondent": "group",
                    "revised_text": "New text", "comment": "closer"},
                   {"item_id": "O3-R1-Q01"},   # left blank: not answered
                   {"item_id": "O3-R1-Q02", "response": "disagree",
                    "respondent": "O3_Principal#1_5.10/1"}])
    checked = check_sheet(table, "filled.csv", ITEMS, PARTICIPANTS, "2026-12-02T10:00:00",
                          "O3")
    assert checked.problems == []
    assert (checked.site, checked.round_no) == ("O3", 1)
    assert checked.responses[["item_id", "response", "revised_text"]].values.tolist() == [
        ["O3-R1-T01", "agree", ""], ["O3-R1-I01", "revise", "New text"],
        ["O3-R1-Q02", "disagree", ""]]
    assert set(checked.responses["via"]) == {"sheet:filled.csv"}


def test_every_bad_row_is_reported_with_its_row_number() -> None:
    table = sheet([{"item_id": "O3-R1-T01", "response": "agree", "respondent": "g"},
                   {"item_id": "O3-R9-T01", "response": "agree", "respondent": "g"},
                   {"item_id": "O3-R1-I01", "response": "revise", "respondent": "g"},
                   {"item_id": "O3-R1-Q01", "response": "withdraw", "respondent": "g"},
                   {"item_id": "O3-R1-Q02", "response": "nope", "respondent": "g"},
                   {"item_id": "O3-R1-T01", "comment": "no answer", "respondent": "g"}])
    checked = check_sheet(table, "f.csv", ITEMS, PARTICIPANTS, "t", "O3")
    assert [(p.line, p.message.split(" ")[0]) for p in checked.problems] == [
        (3, "unknown"), (4, "revise"), (5, "only"), (6, "response"), (7, "a")]
    assert all(p.is_error and p.path == "f.csv" for p in checked.problems)


def test_a_sheet_of_another_site_is_refused() -> None:
    both = pd.concat([items(), items("O4")], ignore_index=True)
    table = sheet([{"item_id": "O4-R1-T01", "response": "agree", "respondent": "g"}])
    checked = check_sheet(table, "f.csv", both, PARTICIPANTS, "t", "O3")
    assert [p.message for p in checked.problems] == [
        "item O4-R1-T01 belongs to site O4, not O3"]


def test_missing_columns_and_empty_sheets_are_errors() -> None:
    assert check_sheet(sheet([]).drop(columns=["response"]), "f.csv", ITEMS, PARTICIPANTS,
                       "t").problems[0].message == "missing column(s): response"
    assert "no row is answered" in check_sheet(sheet([{"item_id": "O3-R1-T01"}]), "f.csv",
                                               ITEMS, PARTICIPANTS, "t").problems[0].message


def test_rounds_read_back_items_session_answers_and_sheets_in_order() -> None:
    base = "codebooks/member_checks/O3/round-1/"
    item = BY_ID["O3-R1-T01"] | {"item_id": "O3-R1-T01"}
    first = response_row(item, "agree", "", "", "A", "2026-12-02T10:00:00", "session")
    second = response_row(item, "disagree", "not us", "", "A", "2026-12-02T10:05:00",
                          "session")
    checked = check_sheet(sheet([{"item_id": "O3-R1-I01", "response": "agree",
                                  "respondent": "B"}]), "s.csv", ITEMS, PARTICIPANTS,
                          "2026-12-02T11:00:00")
    files = InputFiles("member_checks", (
        make_source(base + "items.csv", ITEMS.to_csv(index=False).encode()),
        make_source(base + "session/0002-O3-R1-T01.json", session_json(second)),
        make_source(base + "session/0001-O3-R1-T01.json", session_json(first)),
        make_source(base + "sheets/s.csv", stored_csv(checked.responses)),
        make_source(base + "sheets/originals/s-abc.csv", b"item_id,response\nx,y\n"),
        make_source(base + "sheet.csv", b"item_id\nO3-R1-T01\n")))
    rounds = load_rounds(files)
    assert rounds.problems == []
    assert len(rounds.items) == 4 and rounds.latest_round("O3") == 1
    assert rounds.items["critical"].tolist() == [False, True, True, True]
    assert rounds.responses[["item_id", "response", "respondent"]].values.tolist() == [
        ["O3-R1-T01", "agree", "A"], ["O3-R1-T01", "disagree", "A"],
        ["O3-R1-I01", "agree", "B"]]
    assert json.loads(session_json(first))["via"] == "session"


def test_a_filled_xlsx_sheet_is_read_and_checked_like_a_csv() -> None:
    import io

    from openpyxl import load_workbook

    from pipeline.member import read_table
    from pipeline.render.packets import sheet, sheet_xlsx

    book = load_workbook(io.BytesIO(sheet_xlsx(sheet(ITEMS))))
    ws = book["responses"]
    header = [c.value for c in ws[1]]
    ws.cell(3, header.index("response") + 1, "Revise")
    ws.cell(3, header.index("revised_text") + 1, "Testing shapes the timetable.")
    ws.cell(3, header.index("respondent") + 1, "O3_Principal#1_5.10/1")
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_table(buffer.getvalue(), "filled.xlsx")
    checked = check_sheet(table, "filled.xlsx", ITEMS, PARTICIPANTS, "t", "O3")
    assert checked.problems == []
    assert checked.responses[["item_id", "response", "revised_text"]].values.tolist() == [
        ["O3-R1-I01", "revise", "Testing shapes the timetable."]]
