import io
import zipfile

import pandas as pd
import pytest

from pipeline.codebook.model import load_codebook
from pipeline.exchange.refi_export import ExportInvalid, build_project, checked_qdc, checked_qdpx
from pipeline.formats.refi.project import import_qdpx
from tests.test_codebook import GOOD

TEXT = "I: Why?\nP: The money ran out in June. Ça va.\n"


def tables():
    transcripts = pd.DataFrame({"citation_id": ["O1_Teacher#1_5.3"], "text": [TEXT],
                                "site": ["O1"], "role": ["Teacher"], "role_subtype": [""],
                                "interview_date": ["2016-05-03"], "phase": ["p"]})
    sites = pd.DataFrame({"site": ["O1", "O2"], "name": ["Alder", "Birch"],
                          "kind": ["district"] * 2, "board_type": ["public", ""],
                          "n_transcripts": [1, 0], "n_participants": [1, 0]})
    human = pd.DataFrame({"citation_id": ["O1_Teacher#1_5.3"] * 2, "start_char": [11, 11],
                          "end_char": [37, 20], "code_id": ["funding", ""],
                          "coder": ["ana", "ben"]})
    auto = pd.DataFrame({"citation_id": ["O1_Teacher#1_5.3"], "start_char": [11],
                         "end_char": [44], "code_id": ["testing"], "source": ["auto:pattern"]})
    return transcripts, sites, human, auto


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
