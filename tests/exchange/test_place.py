"""Other tools' spans placed on our transcripts: by offsets (QualCoder counts them in the file's
own text), by text, or reported with the reason."""
from pathlib import Path

import pandas as pd
import pytest

from pipeline.core.catalog import Catalog
from pipeline.core.config import load_config
from pipeline.core.registry import upstream
from pipeline.core.runner import Runner
from pipeline.exchange.foreign import Foreign, ForeignCode, ForeignSpan, read_qualcoder
from pipeline.exchange.place import code_ids, match_document, place
from tests.fixtures import qualcoder_project

# A transcript as a researcher's editor left it: trailing spaces, which our normalisation
# drops and QualCoder keeps; the same answer twice.
FILE = ("ID: O1_Principal#1_5.3   \nDate: 2016-05-03\nParticipants: Rosa Delgado (Principal)\n\n"
        "Interviewer: Tell me how the project started.   \n"
        "Rosa Delgado: The grant paid for release time, so teachers could meet.    \n"
        "Interviewer: And now?  \n"
        "Rosa Delgado: It depends.\n"
        "Interviewer: And later?\n"
        "Rosa Delgado: It depends.\n")


def transcripts(make_project) -> pd.DataFrame:
    root = make_project({"O1_Principal#1_5.3.txt": FILE})
    cfg = load_config(None, [])
    catalog = Catalog(root, cfg.paths)
    Runner(catalog, cfg).run(upstream(["ingest"]))
    return catalog.load("transcripts")


def qc_span(quote: str, nth: int = 0, code: str = "code:1") -> ForeignSpan:
    start = -1
    for _ in range(nth + 1):
        start = FILE.index(quote, start + 1)
    return ForeignSpan("O1_Principal#1_5.3.txt", code, "maria", quote, start, start + len(quote))


def test_qualcoder_offsets_import_without_shift(make_project) -> None:
    table = transcripts(make_project)
    text = table["text"].iloc[0]
    foreign = Foreign("QualCoder", {}, (ForeignCode("code:1", "Release time", None),),
                      (qc_span("so teachers could meet."), qc_span("It depends.", nth=1)))
    placed = place(foreign, table, "qc")
    assert placed.report["how"].tolist() == ["placed by its offsets", "placed by its offsets"]
    rows = pd.read_csv(pd.io.common.StringIO(placed.codings_csv))
    assert [text[s:e] for s, e in zip(rows["start_char"], rows["end_char"])] == [
        "so teachers could meet.", "It depends."]
    # the second "It depends." (the tool's offset says which), not the first
    assert rows["start_char"].iloc[1] == text.rindex("It depends.")
    assert rows["code_id"].tolist() == ["qc_release_time"] * 2


def test_spans_are_placed_by_text_or_reported_with_the_reason(make_project) -> None:
    table = transcripts(make_project)
    codes = (ForeignCode("a", "Funding", None), ForeignCode("a.b", "Grant", "a"))
    spans = (ForeignSpan("O1_Principal#1_5.3.docx", "a.b", "tom", "The grant paid for  release"),
             ForeignSpan("O1_Principal#1_5.3", "a.b", "tom", "It depends."),
             ForeignSpan("O1_Principal#1_5.3", "a.b", "tom", "Never said"),
             ForeignSpan("Interview 7.odt", "a.b", "tom", "It depends."),
             ForeignSpan("O1_Principal#1_5.3", "zzz", "tom", "It depends."),
             ForeignSpan("O1_Principal#1_5.3", "a.b", "tom", "The grant paid for release"))
    placed = place(Foreign("Taguette", {}, codes, spans), table, "tag")
    assert placed.report["how"].tolist() == [
        "placed by its text", "text found 2 times and no offset to choose",
        "text not found in the transcript", "no transcript with this document's citation ID",
        "unknown code", "already present (same place, code and coder)"]
    assert placed.report["placed"].sum() == 1
    assert "id: tag_grant" in placed.codebook_yaml and "parent: tag_funding" in \
        placed.codebook_yaml


def test_documents_not_named_by_citation_id_follow_the_map(make_project) -> None:
    table = transcripts(make_project)
    foreign = Foreign("MAXQDA", {}, (ForeignCode("x", "X", None),),
                      (ForeignSpan("Interview 7", "x", "ann", "so teachers could meet."),))
    placed = place(foreign, table, "mx", documents={"Interview 7": "O1_Principal#1_5.3"})
    assert placed.report["placed"].tolist() == [True]


def test_code_ids_are_namespaced_and_unique() -> None:
    codes = (ForeignCode("1", "Funding", None), ForeignCode("2", "Other", "1"),
             ForeignCode("3", "Other", "4"), ForeignCode("4", "Time", None))
    assert code_ids(Foreign("t", {}, codes, ()), "ns") == {
        "1": "ns_funding", "2": "ns_other", "3": "ns_time_other", "4": "ns_time"}
    assert match_document("O1_Principal#1_5.3.txt", ["O1_Principal#1_5.3"]) == \
        "O1_Principal#1_5.3"
    assert match_document("notes.txt", ["O1_Principal#1_5.3"]) is None


def test_a_real_qualcoder_project_file_round_trips(make_project, tmp_path: Path) -> None:
    table = transcripts(make_project)
    span = qc_span("so teachers could meet.")
    folder = qualcoder_project(tmp_path / "study.qda", FILE, span.text,
                               "O1_Principal#1_5.3.txt", start=span.start)
    placed = place(read_qualcoder(folder), table, "qc")
    assert placed.report["how"].tolist() == ["placed by its offsets"]


def _real_project(name: str, tmp_path: Path):
    import re

    import pytest

    from pipeline.analysis.realdata import build_project
    from tests.fixtures import REALDATA

    if not (REALDATA / name).is_dir():
        pytest.skip("../shared/realdata is not present")
    root = tmp_path / name
    build_project(name, REALDATA.parent, root)
    cfg = load_config(None, [])
    catalog = Catalog(root, cfg.paths)
    Runner(catalog, cfg).run(upstream(["ingest"]))
    table = catalog.load("transcripts")
    by_n = {int(re.search(r"#(\d+)_", c).group(1)): c for c in table["citation_id"]}
    return REALDATA / name, table, by_n


@pytest.mark.slow
def test_the_real_maxqda_export_places_every_segment(tmp_path: Path) -> None:
    from pipeline.exchange.foreign import read_maxqda

    folder, table, by_n = _real_project("pdpilot-maxqda", tmp_path)
    foreign = read_maxqda(folder / "coded-segments.csv")
    docs = {d: by_n[int(d[1:])] for d in foreign.documents}
    placed = place(foreign, table, "mx", documents=docs)
    assert placed.counts().to_dict() == {"placed by its text": 261}


@pytest.mark.slow
def test_the_real_taguette_project_places_most_highlights_and_says_why_not(
        tmp_path: Path) -> None:
    import re

    from pipeline.exchange.foreign import read_taguette

    folder, table, by_n = _real_project("taguette-serdif", tmp_path)
    foreign = read_taguette(folder / "SERDIF_P2_ThematicAnalysis.sqlite3")
    docs = {d: by_n[int(re.match(r"P(\d+)", d).group(1))] for d in foreign.documents}
    placed = place(foreign, table, "tag", documents=docs)
    counts = placed.counts().to_dict()
    # Our transcripts of this study are a cleaned conversion (moderator prompts and reading
    # notes moved out), so some highlights' text is no longer in them: each is reported.
    assert counts["placed by its text"] == 1538 and len(placed.report) == 1930
    assert counts["text not found in the transcript"] == 354
    assert set(counts) == {"placed by its text", "text not found in the transcript"} | {
        k for k in counts if k.startswith("text found ")}
