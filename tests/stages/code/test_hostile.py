"""Hostile human codings (codebooks/codings/*.csv and *.qdpx, coverage.csv, review rounds):
spans and problems naming the file and line, never an exception."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.codebook.model import Code, Codebook
from pipeline.core.csvio import FIELD_LIMIT
from pipeline.core.errors import Problem
from pipeline.core.inputs import make_source
from pipeline.formats.refi.project import Coding, Project, Source, export_qdpx
from pipeline.stages.code.evidence import read_coverage, read_reviews
from pipeline.stages.code.human import SPAN_COLUMNS, read_csv_codings
from pipeline.stages.code.qdpx import read_qdpx_codings
from tests.hostile import MiB, csv_text, damaged_zips, encoded, examples, zip_bomb

CID = "O1_Teacher#1_5.3"
TEXT = "I: Why?\nP: The money ran out in June.  We kept going anyway.\n"
TEXTS = {CID: TEXT, "O2_Teacher#1_5.4": "P: Yes.\n"}
CODES = {"funding", "persistence"}
PATH = "codebooks/codings/hostile.csv"
COLUMNS = ["citation_id", "start_char", "end_char", "quote", "code_id", "coder", "offsets_in"]
# Fields that mean something in a coding row, mixed into the random ones.
FIELDS = [CID, "funding", "persistence", "ana", "file", "0", "5", "12", "-3", "999",
          "The money", "We kept going", "e"]
rows = st.lists(st.lists(st.one_of(st.sampled_from(FIELDS), st.text(max_size=6)),
                         min_size=len(COLUMNS), max_size=len(COLUMNS) + 1), max_size=5)
plausible = st.builds(lambda rs: "\n".join(",".join(r) for r in [COLUMNS, *rs]), rows)
dropped = st.one_of(st.none(), st.lists(st.integers(0, len(TEXT)), max_size=4).map(sorted))


def check_spans(spans: pd.DataFrame, problems: list[Problem], path: str) -> None:
    assert list(spans.columns) == SPAN_COLUMNS
    assert all(isinstance(p, Problem) and p.path == path for p in problems)
    for s in spans.itertuples():   # what spans_to_segments relies on
        assert s.citation_id in TEXTS
        assert 0 <= s.start_char < s.end_char <= len(TEXTS[s.citation_id])


@settings(max_examples=examples(200))
@given(encoded(st.one_of(plausible, csv_text(COLUMNS))), dropped)
def test_any_codings_csv_gives_spans_or_problems(data: bytes, gone: list[int] | None) -> None:
    spans, problems = read_csv_codings(make_source(PATH, data), TEXTS, CODES, {CID: gone})
    check_spans(spans, problems, PATH)


@settings(max_examples=examples(80))
@given(encoded(csv_text(["citation_id", "coder"])),
       st.lists(encoded(csv_text(["item_id", "segment_id", "code_id", "decision", "reviewer",
                                  "sources"])), max_size=2))
def test_any_coverage_and_review_files_give_rows_or_problems(coverage: bytes,
                                                             reviews: list[bytes]) -> None:
    table, problems = read_coverage(make_source("codebooks/coverage.csv", coverage),
                                    set(TEXTS))
    assert set(table["citation_id"]) <= set(TEXTS)
    assert all(p.path == "codebooks/coverage.csv" for p in problems)
    files = tuple(make_source(f"codebooks/reviews/r{i}.csv", d) for i, d in enumerate(reviews))
    segments = pd.DataFrame({"segment_id": ["s1", "s2"]})
    table, problems = read_reviews(files, segments, CODES)
    assert set(table["segment_id"]) <= {"s1", "s2"} and set(table["code_id"]) <= CODES
    assert all(isinstance(p, Problem) for p in problems)


BOOK = Codebook("t", "", (Code("funding", "Funding", "Money."),
                          Code("persistence", "Persistence", "Going on.")))
QDPX = export_qdpx(Project("t", BOOK, (Source(CID, TEXT),), (), (
    Coding(CID, 11, 37, "funding", "ana"),), ("ana",)))


@settings(max_examples=examples(60))
@given(st.one_of(damaged_zips({"project.qde": b"<Project name='x'/>"}), st.binary(max_size=80),
                 st.just(QDPX)))
def test_any_qdpx_codings_give_spans_or_problems(data: bytes) -> None:
    path = "codebooks/codings/hostile.qdpx"
    spans, problems = read_qdpx_codings(make_source(path, data), TEXTS, BOOK)
    check_spans(spans, problems, path)


def test_a_qdpx_bomb_in_the_codings_folder_is_an_error_not_a_crash() -> None:
    path = "codebooks/codings/bomb.qdpx"
    spans, problems = read_qdpx_codings(
        make_source(path, zip_bomb("project.qde", 300 * MiB)), TEXTS, BOOK)
    assert spans.empty
    assert [(p.line, p.message) for p in problems] == [
        (0, f"{path}: project.qde would expand to 300 MiB, over the limit of 200 MiB; not "
            f"read (a damaged file or a zip bomb?)")]


QUOTE_COLUMNS = "citation_id,quote,code_id,coder\n"


def test_a_quote_longer_than_the_csv_modules_default_limit_is_read() -> None:
    """128 KiB was the csv module's limit on a field (`_csv.Error: field larger than field
    limit (131072)`); a whole interview quoted is longer."""
    long_text = "P: " + "word " * 40_000
    quote = long_text[3:].strip()
    data = (QUOTE_COLUMNS + f"ok,x,funding,ana\n{CID},\"{quote}\",funding,ana\n").encode()
    spans, problems = read_csv_codings(make_source(PATH, data), {CID: long_text, "ok": "x"},
                                       CODES)
    assert problems == [] and len(quote) > 131072
    assert spans["end_char"].tolist() == [1, len(long_text.rstrip())]


@pytest.mark.parametrize("reader", ["codings", "coverage", "reviews"])
def test_a_field_beyond_the_limit_is_an_error_naming_its_line(reader: str) -> None:
    data = (QUOTE_COLUMNS + f"{CID},x,funding,ana\n{CID},\"" + "x" * (FIELD_LIMIT + 1)
            + "\",funding,ana\n").encode()
    src = make_source(PATH, data)
    if reader == "codings":
        _, problems = read_csv_codings(src, TEXTS, CODES)
    elif reader == "coverage":
        _, problems = read_coverage(src, set(TEXTS))
    else:
        _, problems = read_reviews((src,), pd.DataFrame({"segment_id": ["s1"]}), CODES)
    assert [(p.path, p.line) for p in problems] == [(PATH, 3)]
    assert "a field is longer than 16 MiB of text" in problems[0].message


def test_a_lone_carriage_return_is_a_line_break_not_an_error() -> None:
    """`new-line character seen in unquoted field` was raised, uncaught, for a CR alone."""
    data = (QUOTE_COLUMNS.replace("\n", "\r") + f"{CID},The money,funding,ana\r").encode()
    spans, problems = read_csv_codings(make_source(PATH, data), TEXTS, CODES)
    assert problems == [] and spans["line"].tolist() == [2]
