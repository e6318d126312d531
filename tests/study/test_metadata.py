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
