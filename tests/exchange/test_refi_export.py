import io
import zipfile

import pytest

from pipeline.codebook.model import load_codebook
from pipeline.exchange.refi_export import ExportInvalid, build_project, checked_qdc, checked_qdpx
from pipeline.formats.refi.project_reader import import_qdpx
from tests.fixtures import FULL_CODEBOOK as GOOD
from tests.fixtures import REFI_TEXT as TEXT
from tests.fixtures import refi_tables as tables


def test_project_from_tables_round_trips_through_qdpx() -> None:
    book = load_codebook([("t.yml", GOOD)])
    transcripts, sites, human, auto = tables()
    project = build_project("study", book, transcripts, sites, human, auto)
    assert [(c.coder, c.code_id, TEXT[c.start:c.end]) for c in project.codings] == [
        ("ana", "funding", "The money ran out in June."),
        ("auto-pattern", "testing", "The money ran out in June. Ça va.")]
    assert project.users == ("ana", "auto-pattern")
    o1 = project.cases[0]
    assert o1.sources == ("O1_Teacher#1_5.3",)
    assert ("board_type", "public") in o1.attributes
    assert ("board_type", "") not in project.cases[1].attributes
    data = checked_qdpx(project)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "project.qde" in z.namelist()
    back, _ = import_qdpx(data, "x.qdpx")
    assert [(c.source, c.start, c.end, c.code_id, c.coder) for c in back.codings] == [
        (c.source, c.start, c.end, c.code_id, c.coder) for c in project.codings]


def test_checked_qdc_validates() -> None:
    data = checked_qdc(load_codebook([("t.yml", GOOD)]))
    assert b"CodeBook" in data


def test_invalid_export_is_refused(monkeypatch) -> None:
    import pipeline.exchange.refi_export as rb
    monkeypatch.setattr(rb, "export_qdc", lambda book: b"<CodeBook/>")
    with pytest.raises(ExportInvalid, match="does not validate"):
        checked_qdc(load_codebook([("t.yml", GOOD)]))
