"""Readers of other tools' projects, on small projects written the way each tool writes them."""
import sqlite3
from pathlib import Path

import pytest

from pipeline.exchange.foreign import (
    ForeignError,
    read_maxqda,
    read_qualcoder,
    read_taguette,
)
from tests.fixtures import qualcoder_project

# QualCoder keeps the file's text as read (trailing spaces too) and counts Python offsets.
QC_TEXT = ("ID: O1_Principal#1_5.3  \n\nInterviewer: Tell me how the project started.   \n"
           "Rosa Delgado: The grant paid for release time, so teachers could meet every week.\n")


def test_qualcoder_reads_sources_categories_codes_and_offsets(tmp_path: Path) -> None:
    project = read_qualcoder(qualcoder_project(
        tmp_path / "study.qda", QC_TEXT, "The grant paid for release time",
        "O1_Principal#1_5.3.txt", category="Resources"))
    assert project.documents == {"O1_Principal#1_5.3.txt": QC_TEXT}
    assert [(c.key, c.name, c.parent) for c in project.codes] == [
        ("cat:1", "Resources", None), ("code:1", "Release time", "cat:1")]
    (span,) = project.spans
    assert (span.document, span.code, span.coder) == ("O1_Principal#1_5.3.txt", "code:1",
                                                       "maria")
    assert QC_TEXT[span.start:span.end] == span.text == "The grant paid for release time"


def taguette_db(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.executescript("""
        create table documents (id integer primary key, name text, contents text);
        create table tags (id integer primary key, path text, description text);
        create table highlights (id integer primary key, document_id integer,
                                 start_offset integer, end_offset integer, snippet text);
        create table highlight_tags (highlight_id integer, tag_id integer);
    """)
    con.execute("insert into documents values (1, 'O1_Principal#1_5.3.docx', '<p>...</p>')")
    con.execute("insert into tags values (1, 'funding', ''), (2, 'funding.ending', '')")
    con.execute("insert into highlights values (1, 1, 10, 60, "
                "'The funding ends in June &amp; the <b>budget</b>')")
    con.execute("insert into highlight_tags values (1, 2)")
    con.commit()
    con.close()
    return path


def test_taguette_reads_tags_as_a_tree_and_snippets_as_text(tmp_path: Path) -> None:
    project = read_taguette(taguette_db(tmp_path / "t.sqlite3"))
    assert [(c.key, c.name, c.parent) for c in project.codes] == [
        ("funding", "funding", None), ("funding.ending", "ending", "funding")]
    assert [(s.code, s.text, s.start) for s in project.spans] == [
        ("funding.ending", "The funding ends in June & the budget", None)]


def test_maxqda_coded_segments_export(tmp_path: Path) -> None:
    path = tmp_path / "coded.csv"
    path.write_text("Color,Document group,Document name,Code,Segment,Modified by\n"
                    "red,,O1_Principal#1_5.3,Resources\\Funding,The funding ends in June,Ann\n",
                    encoding="utf-8")
    project = read_maxqda(path)
    assert [(c.key, c.name, c.parent) for c in project.codes] == [
        ("Resources", "Resources", None), ("Resources\\Funding", "Funding", "Resources")]
    assert [(s.document, s.coder, s.text) for s in project.spans] == [
        ("O1_Principal#1_5.3", "Ann", "The funding ends in June")]


@pytest.mark.parametrize("reader", [read_qualcoder, read_taguette])
def test_a_file_that_is_not_the_tools_project_is_a_clear_error(reader, tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    path.write_bytes(b"not a database at all" * 10)
    with pytest.raises(ForeignError):
        reader(path)
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    with pytest.raises(ForeignError, match="not a"):
        reader(empty)


def test_maxqda_export_without_its_columns_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ForeignError, match="no Document name, Code, Segment column"):
        read_maxqda(path)
