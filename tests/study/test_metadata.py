import datetime as dt

import pytest

from pipeline.study.citation import parse
from pipeline.study.metadata import load_study
from tests.fixtures import SITES_CSV, STUDY_TOML


def study(sites: str = SITES_CSV, toml: str = STUDY_TOML):
    return load_study(toml.encode(), sites.encode())


def test_loads_phases_roles_sites() -> None:
    s, problems = study()
    assert problems == []
    assert s.phases[0].year == 2016
    assert "Principal" in s.roles
    assert s.site_codes == {"O1", "O2", "O3", "O4"}
    assert s.site_lines["O3"] == 4


@pytest.mark.parametrize("cid, day, reason", [
    ("O1_Principal#1_5.14", dt.date(2016, 5, 14), ""),
    ("O1_Principal#1_2.30", None, "impossible date 2.30"),
    ("O1_Principal#1_6.20", None, "outside the fieldwork"),
])
def test_resolve_date(cid: str, day, reason: str) -> None:
    s, _ = study()
    got, phase, why = s.resolve_date(parse(cid))
    assert got == day
    assert reason in why
    assert (phase is not None) == (day is not None)


def test_non_alphabetical_numbering_is_a_warning_with_line() -> None:
    swapped = SITES_CSV.replace("O1,Alder", "O1,Zed").replace("O2,Birch", "O2,Alder")
    _, problems = study(swapped)
    assert len(problems) == 1
    p = problems[0]
    assert (p.severity, p.line) == ("warning", 2)
    assert "not alphabetical" in p.message and "'Zed" in p.message


def test_accents_and_case_are_ignored_in_alphabetical_order() -> None:
    sites = "code,name,kind\nO1,Cedar,district\nO2,conseil Élan,district\nO3,Dune,district\n"
    _, problems = study(sites)
    assert problems == []


def test_policy_case_is_not_part_of_numbering() -> None:
    sites = SITES_CSV.replace("O4,Provincial", "O4,Aaa provincial")
    _, problems = study(sites)
    assert problems == []


@pytest.mark.parametrize("sites, fragment, line", [
    ("code,name\nO1,A\n", "missing column(s) kind", 1),
    ("code,name,kind\nO1,A,district\nO1,B,district\n", "duplicate site code 'O1'", 3),
])
def test_bad_sites_csv(sites: str, fragment: str, line: int) -> None:
    _, problems = study(sites)
    assert any(fragment in p.message and p.line == line for p in problems), problems


def test_bad_toml_names_the_line() -> None:
    s, problems = study(toml="[study]\nname = \n")
    assert s is None
    assert problems[0].line == 2 and "cannot read TOML" in problems[0].message


@pytest.mark.parametrize("old, new, line, fragment", [
    ("start = 2016-05-02", 'start = "2016-05-02"', 8,
     "start must be a date such as 2016-05-02 (a TOML date is written without quotes)"),
    ("year = 2016", 'year = "2016"', 7, "year must be a whole number"),
    ("end = 2016-05-31", "end = 2016-05-01", 9, "end 2016-05-01 is before start 2016-05-02"),
    ('"I", "Q"', '"I", 5', 15, "every entry must be non-empty text in quotes; 5 is a number"),
    ('participant_labels = ["P", "R"]', 'participant_labels = "P"', 16,
     "participant_labels must be a list of text"),
    ('id_prefix = "O"', "id_prefix = 1", 3, "study.id_prefix must be text in quotes"),
    ('name = "tiny test study"', 'name = "x"\nalphabetical_site_numbers = "yes"', 3,
     "alphabetical_site_numbers must be true or false"),
])
def test_wrong_kind_in_study_toml_is_an_error_with_its_line(old: str, new: str, line: int,
                                                            fragment: str) -> None:
    """Each of these used to end in a TypeError or AttributeError deep in ingest."""
    assert old in STUDY_TOML
    s, problems = study(toml=STUDY_TOML.replace(old, new))
    hits = [p for p in problems if fragment in p.message]
    assert hits and hits[0].is_error and hits[0].line == line, problems


def test_study_with_wrong_kinds_still_loads_what_it_can() -> None:
    s, problems = study(toml=STUDY_TOML.replace('"I", "Q"', '"I", 5'))
    assert s is not None and "I" in s.interviewer_labels and 5 not in s.interviewer_labels
    assert [p.line for p in problems if p.is_error] == [15]


def test_a_datetime_counts_as_its_date() -> None:
    s, problems = study(toml=STUDY_TOML.replace("start = 2016-05-02",
                                                "start = 2016-05-02T09:00:00"))
    assert not [p for p in problems if p.is_error]
    assert s.phases[0].start == dt.date(2016, 5, 2)


@pytest.mark.parametrize("sites, line, fragment", [
    ("code,name,kind\nO1,A,district\nO2,A,district,extra\n", 3,
     "row has 4 field(s), the header has 3"),
    ("code,name,kind\nO1,A,district\nO2,B\n", 3, "row has 2 field(s), the header has 3"),
])
def test_ragged_or_unreadable_sites_rows_are_errors(sites: str, line: int, fragment: str
                                                    ) -> None:
    s, problems = study(sites)
    hits = [p for p in problems if fragment in p.message]
    assert hits and hits[0].line == line and hits[0].is_error, problems
    assert "O1" in s.site_codes  # the good rows before it are kept


def test_a_site_name_past_the_csv_modules_default_limit_is_read() -> None:
    long = "B" + "x" * 140_000   # the csv module refuses fields over 128 KiB by default
    s, problems = study(f"code,name,kind\nO1,A,district\nO2,{long},district\n")
    assert not [p for p in problems if p.is_error]
    assert dict((r["code"], r["name"]) for r in s.sites)["O2"] == long
