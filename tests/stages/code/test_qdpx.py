from dataclasses import replace

from pipeline.codebook.model import load_codebook
from pipeline.core.inputs import make_source
from pipeline.exchange.refi_export import build_project
from pipeline.formats.refi.project import export_qdpx
from pipeline.stages.code.qdpx import read_qdpx_codings
from tests.fixtures import FULL_CODEBOOK as GOOD
from tests.fixtures import REFI_TEXT as TEXT
from tests.fixtures import refi_tables as tables

BOOK = load_codebook([("t.yml", GOOD)])


def qdpx(project) -> object:
    return make_source("codebooks/codings/nvivo.qdpx", export_qdpx(project))


def project():
    transcripts, sites, human, _ = tables()
    return build_project("study", BOOK, transcripts, sites, human)


def test_codings_come_back_as_spans() -> None:
    spans, problems = read_qdpx_codings(qdpx(project()), {"O1_Teacher#1_5.3": TEXT}, BOOK)
    assert [p for p in problems if p.is_error] == []
    assert spans[["citation_id", "start_char", "end_char", "code_id", "coder"]].values.tolist() \
        == [["O1_Teacher#1_5.3", 11, 37, "funding", "ana"]]


def test_changed_transcript_text_is_refused() -> None:
    _, problems = read_qdpx_codings(qdpx(project()), {"O1_Teacher#1_5.3": TEXT + "more"}, BOOK)
    assert any("differs from the transcript" in p.message for p in problems)


def test_unknown_source_and_code_are_errors() -> None:
    p = project()
    renamed = replace(p, sources=(replace(p.sources[0], name="notes"),),
                      codings=tuple(replace(c, source="notes") for c in p.codings),
                      cases=())
    _, problems = read_qdpx_codings(qdpx(renamed), {"O1_Teacher#1_5.3": TEXT}, BOOK)
    assert any("source 'notes' is not a transcript" in p.message for p in problems)
    smaller = load_codebook([("t.yml", GOOD.replace("id: funding", "id: money"))])
    _, problems = read_qdpx_codings(qdpx(project()), {"O1_Teacher#1_5.3": TEXT}, smaller)
    assert any("uses code 'funding', which is not in the codebook" in p.message
               for p in problems)


def test_not_a_qdpx_is_an_error_naming_the_file() -> None:
    bad = make_source("codebooks/codings/x.qdpx", b"not a zip")
    spans, problems = read_qdpx_codings(bad, {}, BOOK)
    assert spans.empty and problems[0].path == "codebooks/codings/x.qdpx"
