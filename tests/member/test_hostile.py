"""Hostile interpretations and member-check files: parsed, or problems naming the file."""
from __future__ import annotations

import json

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core.errors import Problem
from pipeline.core.inputs import InputFiles, make_source
from pipeline.member import check_sheet, load_rounds, read_interpretations, read_table
from pipeline.member.model import ITEM_COLUMNS, RESPONSE_COLUMNS, SHEET_COLUMNS
from tests.hostile import alias_bomb, csv_text, encoded, examples, values, yaml_documents
from tests.member import helpers

SITES, THEMES = {"O1", "O3"}, {"code:a", "code:b"}
interpretations = st.dictionaries(st.one_of(st.sampled_from(sorted(THEMES)), st.text(max_size=6),
                                            st.integers()),
                                  st.one_of(st.text(max_size=12), values), max_size=4)


def interpretation_files(data: bytes, site: str = "O1") -> InputFiles:
    return InputFiles("interpretations",
                      (make_source(f"codebooks/interpretations/{site}.yml", data),))


@settings(max_examples=examples(120))
@given(encoded(yaml_documents(interpretations)), st.sampled_from(["O1", "X9"]))
def test_any_interpretations_file_gives_texts_or_problems(data: bytes, site: str) -> None:
    found, problems = read_interpretations(interpretation_files(data, site), SITES, THEMES)
    assert all(isinstance(p, Problem) and p.path.endswith(f"/{site}.yml") for p in problems)
    for texts in found.values():
        assert set(texts) <= THEMES and all(isinstance(t, str) and t for t in texts.values())


def test_an_alias_bomb_in_interpretations_is_refused() -> None:
    text = "code:a: *a8\n" + alias_bomb()
    found, problems = read_interpretations(interpretation_files(text.encode()), SITES, THEMES)
    assert found == {}
    assert [(p.line, p.message) for p in problems] == [
        (1, "YAML aliases (*name) are not allowed here; write the value out")]


BASE = "codebooks/member_checks/O1/round-1/"
session = st.one_of(st.dictionaries(st.sampled_from(RESPONSE_COLUMNS + ["x"]), values,
                                    max_size=6).map(json.dumps),
                    values.map(json.dumps), st.text(max_size=20))


@settings(max_examples=examples(50))
@given(st.lists(st.one_of(
    st.tuples(st.just(BASE + "items.csv"), encoded(csv_text(ITEM_COLUMNS))),
    st.tuples(st.just(BASE + "sheets/a.csv"), encoded(csv_text(RESPONSE_COLUMNS))),
    st.tuples(st.just(BASE + "session/0001-x.json"), encoded(session))), max_size=3))
def test_any_member_check_round_gives_rounds_or_problems(files: list[tuple[str, bytes]]
                                                         ) -> None:
    inputs = InputFiles("member_checks", tuple(make_source(p, d) for p, d in files))
    rounds = load_rounds(inputs)
    assert all(isinstance(p, Problem) and p.path.startswith(BASE) for p in rounds.problems)
    assert list(rounds.items.columns) == ITEM_COLUMNS
    assert list(rounds.responses.columns) == RESPONSE_COLUMNS
    assert rounds.items["round"].dtype.kind == "i"


def test_deeply_nested_session_json_is_a_problem() -> None:
    deep = ("[" * 100_000 + "]" * 100_000).encode()
    rounds = load_rounds(InputFiles("member_checks", (
        make_source(BASE + "session/0001-x.json", deep),)))
    assert [p.path for p in rounds.problems] == [BASE + "session/0001-x.json"]


SHEET_FIELDS = ["O3-R1-T01", "O3-R1-I01", "O3-R1-Q01", "O3-R1-Q02", "O3", "O4", "1", "agree",
                "disagree", "revise", "withdraw", "AGREE", "O3_Teacher#1_5.10/1",
                "O3_Teacher#1_5.10", "a comment"]
sheet_rows = st.lists(st.lists(st.one_of(st.sampled_from(SHEET_FIELDS), st.text(max_size=5)),
                               min_size=len(SHEET_COLUMNS), max_size=len(SHEET_COLUMNS)),
                      max_size=5)
filled = st.one_of(
    st.builds(lambda rs: pd.DataFrame(rs, columns=SHEET_COLUMNS).to_csv(index=False), sheet_rows),
    csv_text(SHEET_COLUMNS))


@settings(max_examples=examples(80))
@given(encoded(filled), st.sampled_from([None, "O3", "O4"]))
def test_any_filled_sheet_is_checked_row_by_row(data: bytes, site: str | None) -> None:
    """What `qda member-check ingest` does with a sheet: read it (or report it unreadable),
    then check every row against the round's items."""
    try:
        table = read_table(data, "filled.csv")
    except ValueError:
        return
    checked = check_sheet(table, "filled.csv", helpers.items(), helpers.PARTICIPANTS,
                          "2026-12-02T10:00:00", site)
    assert all(isinstance(p, Problem) and p.path == "filled.csv" for p in checked.problems)
    assert list(checked.responses.columns) == RESPONSE_COLUMNS
    assert checked.problems or len(checked.responses)
