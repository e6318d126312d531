"""Hostile citation IDs and sites.csv: a parsed result, or the project's own error."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core.csvio import FIELD_LIMIT
from pipeline.core.errors import Problem
from pipeline.study.citation import CitationError, CitationId, parse
from pipeline.study.metadata import SITE_COLUMNS, load_study
from tests.fixtures import STUDY_TOML
from tests.hostile import csv_text, encoded, examples, fragments

# What IDs are made of, and what file names and headers put around them.
ID_PIECES = ["O", "ON", "P", "1", "9", "10", "999", "1000", "0", "_", "#", "-", ".", "Principal",
             "Teacher", "Sub", "5", "14", "31", "\n", " ", "\t", "é", "Ｏ", "١", "\x00", "_5.14"]
ids = st.one_of(st.text(max_size=30), fragments(ID_PIECES, 12),
                st.sampled_from(["O1_Principal#1_5.14\n", "O1_Principal#1_5.14 ",
                                 "O1_Principal#01_5.14", "O1_Principal#1_05.14"]))


@settings(max_examples=examples(500))
@given(ids)
def test_any_string_is_an_id_that_formats_back_to_itself_or_a_citation_error(text: str
                                                                           ) -> None:
    try:
        cid = parse(text)
    except CitationError as exc:
        assert text in str(exc) or repr(text) in str(exc)
        return
    assert isinstance(cid, CitationId) and str(cid) == text


def test_a_trailing_newline_is_not_part_of_an_id() -> None:
    """Found by hypothesis: `$` matched before a final newline, so a file whose name ended
    in one parsed as the ID without it (and two files could claim one ID)."""
    for text in ("O1_Principal#1_5.14\n", "O1_Principal#1_5.14\n\n"):
        try:
            parse(text)
        except CitationError:
            continue
        raise AssertionError(f"{text!r} parsed")


STUDY = STUDY_TOML.encode()


@settings(max_examples=examples(200))
@given(encoded(csv_text(SITE_COLUMNS)))
def test_any_sites_csv_gives_sites_or_problems_naming_it(sites: bytes) -> None:
    study, problems = load_study(STUDY, sites)
    assert all(isinstance(p, Problem) for p in problems)
    assert all(p.path in ("corpus/sites.csv", "corpus/study.toml") for p in problems)
    if study is not None:
        assert all(isinstance(s["code"], str) and s["code"] for s in study.sites)


def test_a_sites_field_beyond_the_csv_limit_is_an_error_naming_its_line() -> None:
    sites = ("code,name,kind,board_type\nO1,Alder,district,public\n"
             f"O2,\"{'x' * (FIELD_LIMIT + 1)}\",district,public\n").encode()
    _, problems = load_study(STUDY, sites)
    assert [(p.path, p.line, p.is_error) for p in problems] == [("corpus/sites.csv", 3, True)]
    assert "a field is longer than 16 MiB" in problems[0].message


def test_a_long_site_name_under_the_limit_is_read() -> None:
    sites = f"code,name,kind,board_type\nO1,\"{'x' * 200_000}\",district,public\n".encode()
    study, problems = load_study(STUDY, sites)
    assert not [p for p in problems if p.is_error]
    assert len(study.sites[0]["name"]) == 200_000


def test_a_site_number_in_superscript_digits_is_a_warning_not_a_crash() -> None:
    """'²'.isdigit() holds but int('²') raises: found beside the same bug in review sheets."""
    sites = "code,name,kind,board_type\nO²,Alder,district,public\n".encode()
    _, problems = load_study(STUDY, sites)
    assert [(p.line, p.severity) for p in problems] == [(2, "warning")]
    assert "does not follow the pattern O<number>" in problems[0].message
