from click.testing import CliRunner

from pipeline.cli.main import cli
from tests.fixtures import GOOD_TRANSCRIPT


def test_refi_export_and_import_never_overwrite(make_project) -> None:
    from tests.fixtures import FULL_CODEBOOK as GOOD
    root = make_project({"O1_Principal#1_5.14.txt": GOOD_TRANSCRIPT})
    (root / "codebooks").mkdir()
    (root / "codebooks" / "t.yml").write_text(GOOD)
    assert CliRunner().invoke(cli, ["analyze", "-p", str(root), "-q"]).exit_code == 0
    qdc = CliRunner().invoke(cli, ["refi", "export-codebook", "-p", str(root)])
    assert qdc.exit_code == 0 and "valid against Codebook.xsd" in qdc.output
    qdpx = CliRunner().invoke(cli, ["refi", "export-project", "-p", str(root), "--auto"])
    assert qdpx.exit_code == 0, qdpx.output
    imported = CliRunner().invoke(cli, ["refi", "import", "-p", str(root),
                                        str(root / "outputs" / "project.qdpx")])
    assert imported.exit_code == 0, imported.output
    # our own project coming back: its codes are ours, so no second codebook with the same ids
    assert "already in the project's codebooks; no codebook written" in imported.output
    assert not (root / "codebooks" / "project.yml").exists()
    assert (root / "codebooks" / "codings" / "project.qdpx").is_file()
    again = CliRunner().invoke(cli, ["refi", "import", "-p", str(root),
                                     str(root / "outputs" / "project.qdpx")])
    assert again.exit_code == 1 and "never overwritten" in again.output
    analysed = CliRunner().invoke(cli, ["analyze", "-p", str(root), "-q"])
    assert analysed.exit_code == 0, analysed.output


def test_exports_never_go_into_researcher_folders(tmp_path, fixture_project) -> None:
    import shutil

    root = shutil.copytree(fixture_project, tmp_path / "p")
    book = (root / "codebooks" / "study.yml").read_bytes()
    for args in (["refi", "export-codebook", "-o", str(root / "codebooks" / "study.yml")],
                 ["export", "--format", "qdpx", "-o",
                  str(root / "codebooks" / "codings" / "ana.csv")],
                 ["export", "sites", "-o", str(root / "corpus")]):
        out = CliRunner().invoke(cli, [*args, "-p", str(root)])
        assert out.exit_code == 1, out.output
        assert "holds what researchers wrote" in out.output
    assert (root / "codebooks" / "study.yml").read_bytes() == book
    assert sorted(p.name for p in (root / "corpus").iterdir()) == ["sites.csv", "study.toml",
                                                                  "transcripts"]


def test_import_places_another_tools_codings_and_never_overwrites(tmp_path,
                                                                  fixture_project) -> None:
    import shutil

    import pandas as pd

    root = shutil.copytree(fixture_project, tmp_path / "p")
    export = tmp_path / "coded.csv"
    export.write_text("Document name,Code,Segment,Modified by\n"
                      "O1_Principal#1_5.3,Resources\\Funding,The funding ends in June,Ann\n"
                      "O1_Principal#1_5.3,Resources\\Funding,Not in any transcript,Ann\n",
                      encoding="utf-8")
    out = CliRunner().invoke(cli, ["import", "maxqda", str(export), "-p", str(root),
                                   "--name", "mx"])
    assert out.exit_code == 0, out.output
    assert "1 of 2 spans placed" in out.output and "text not found in the transcript" in \
        out.output
    report = pd.read_csv(root / "outputs" / "import_mx.csv")
    assert report["placed"].tolist() == [True, False]
    assert (root / "codebooks" / "mx.yml").is_file()
    again = CliRunner().invoke(cli, ["import", "maxqda", str(export), "-p", str(root),
                                     "--name", "mx"])
    assert again.exit_code == 1 and "is never overwritten" in again.output
    analysed = CliRunner().invoke(cli, ["analyze", "-p", str(root), "-q"])
    assert analysed.exit_code == 0, analysed.output
    human = pd.read_parquet(root / "outputs" / "human_codings.parquet")
    assert (human["code_id"] == "mx_funding").sum() == 1


NAMED = """ID: O1_Teacher#1_5.4
Date: 2016-05-04
Interviewers: Helen Marsh
Participants: Greg Holloway (Teacher, Ashcombe Secondary School)
Location: Library, Ashcombe Secondary School, Larkhaven

Helen Marsh: Thanks, Greg. Could you start with your role?
Greg Holloway: Sure. Greg Holloway. I teach math here at Ashcombe, and Ruth Adeyemi runs the
inquiry team. Write to greg.holloway@example.org or call 705-555-0182.
Helen Marsh: And the tests?
Greg Holloway: The EQAO test and the Ministry of Education decide what counts in Larkhaven.
"""
LEAKS = ("Greg", "Holloway", "Ruth", "Adeyemi", "Ashcombe", "Larkhaven", "Helen", "Marsh",
         "Alder", "greg.holloway@", "705-555")


def _model_or_skip() -> None:
    import pytest

    from pipeline.nlp.pipelines import trained_nlp

    try:
        trained_nlp()
    except OSError as exc:
        pytest.skip(f"the trained English model is not installed: {exc}")


def test_export_redact_writes_redacted_files_that_say_so(make_project) -> None:
    import json

    import pandas as pd

    _model_or_skip()
    root = make_project({"O1_Teacher#1_5.4.txt": NAMED})
    (root / "corpus" / "redact.csv").write_text(
        "# test list\nterm,placeholder,rule\nRuth Adeyemi,[TEACHER],redact\n"
        "Ministry of Education,,keep\nEQAO,,keep\n", encoding="utf-8")
    built = CliRunner().invoke(cli, ["represent", "-p", str(root), "-q"])
    assert built.exit_code == 0, built.output
    out = CliRunner().invoke(cli, ["export", "segments", "participants", "transcripts", "turns",
                                   "sites", "--redact", "-p", str(root)])
    assert out.exit_code == 0, out.output
    folder = root / "outputs" / "exports" / "redacted"
    assert sorted(p.name for p in folder.iterdir()) == [
        "participants.redacted.csv", "segments.redacted.csv", "sites.redacted.csv",
        "transcripts.redacted.csv", "turns.redacted.csv"]
    assert "note: segments: lemmas left out of the redacted export" in out.stderr
    assert "5 table(s) written as csv to outputs/exports/redacted/" in out.stdout
    for path in folder.iterdir():
        text = path.read_text(encoding="utf-8-sig")
        assert [w for w in LEAKS if w in text] == [], path.name
    segments = pd.read_csv(folder / "segments.redacted.csv", encoding="utf-8-sig")
    assert "lemmas" not in segments.columns
    assert segments["citation_id"].unique().tolist() == ["O1_Teacher#1_5.4"]
    joined = " ".join(segments["text"])
    assert "Sure. [TEACHER]. I teach math here at [SCHOOL], and [TEACHER] runs" in joined
    assert "[EMAIL] or call [PHONE]." in joined
    assert "The EQAO test and the Ministry of Education decide what counts in [TOWN]." \
        in joined
    participants = pd.read_csv(folder / "participants.redacted.csv", encoding="utf-8-sig")
    assert participants["name"].tolist() == ["[TEACHER]"]
    assert participants["role_subtype"].tolist() == ["Teacher, [SCHOOL]"]
    sites = pd.read_csv(folder / "sites.redacted.csv", encoding="utf-8-sig")
    assert sites.loc[sites["site"] == "O1", "name"].tolist() == ["[DISTRICT]"]
    assert sites.loc[sites["site"] == "O4", "name"].tolist() == ["Provincial policy case"]
    manifest = json.loads((root / "outputs" / ".manifests" / "export-redacted.json")
                          .read_text(encoding="utf-8"))
    prov = manifest["provenance"]
    assert prov["command"] == "export --format csv --redact"
    assert prov["redaction"]["redaction_list"] == "corpus/redact.csv"
    assert prov["redaction"]["kept"] == 2 and prov["redaction"]["terms"] > 10
    assert len(prov["redaction"]["redaction_list_sha256"]) == 64
    assert "core_web_sm" in prov["redaction"]["ner"]
    assert {"participants", "transcripts", "sites"} <= set(prov["inputs"])
    # an unredacted export is still the plain one, in its own place
    plain = CliRunner().invoke(cli, ["export", "participants", "-p", str(root)])
    assert plain.exit_code == 0, plain.output
    assert "Greg Holloway" in (root / "outputs" / "exports" / "participants.csv").read_text(
        encoding="utf-8-sig")


def test_export_redact_xlsx_is_named_redacted_and_qdpx_refuses(make_project) -> None:
    import openpyxl

    _model_or_skip()
    root = make_project({"O1_Teacher#1_5.4.txt": NAMED})
    built = CliRunner().invoke(cli, ["represent", "-p", str(root), "-q"])
    assert built.exit_code == 0, built.output
    out = CliRunner().invoke(cli, ["export", "participants", "--redact", "--format", "xlsx",
                                   "-o", str(root / "share.xlsx"), "-p", str(root)])
    assert out.exit_code == 0, out.output
    book = openpyxl.load_workbook(root / "share.redacted.xlsx")
    assert [c.value for c in book["participants"]["F"]] == ["Name", "[TEACHER]"]
    assert not (root / "share.xlsx").exists()
    qdpx = CliRunner().invoke(cli, ["export", "--format", "qdpx", "--redact", "-p", str(root)])
    assert qdpx.exit_code == 2
    assert "--redact does not apply to --format qdpx" in qdpx.output
    assert not (root / "outputs" / "exports").exists()


def test_a_redacted_export_of_the_shipped_corpus_names_nobody(shipped_project) -> None:
    from pathlib import Path

    from pipeline.core.catalog import Catalog
    from tests.checks import names_in, shipped_keep, shipped_names

    out = CliRunner().invoke(cli, ["export", "case_quotes", "categories", "packet_items",
                                   "--redact", "-p", str(shipped_project), "-q"])
    assert out.exit_code == 0, out.output
    folder = Path(shipped_project) / "outputs" / "exports" / "redacted"
    files = sorted(folder.glob("*.redacted.csv"))
    assert [f.name for f in files] == ["case_quotes.redacted.csv", "categories.redacted.csv",
                                       "packet_items.redacted.csv"]
    texts = {f.name: f.read_text(encoding="utf-8-sig") for f in files}
    assert all(len(t) > 10_000 for t in texts.values())
    catalog = Catalog(Path(shipped_project))
    assert names_in(texts, shipped_names(catalog), shipped_keep(catalog)) == []


def test_an_export_whose_filter_matches_nothing_is_an_error(tmp_path, fixture_project) -> None:
    import shutil

    root = shutil.copytree(fixture_project, tmp_path / "p")
    first = CliRunner().invoke(cli, ["export", "sites", "themes", "-p", str(root)])
    assert first.exit_code == 0, first.output
    exported = root / "outputs" / "exports" / "sites.csv"
    before = exported.read_bytes()
    out = CliRunner().invoke(cli, ["export", "sites", "--site", "O99", "-p", str(root)])
    assert out.exit_code == 1
    assert "--site O99: matches no row of the tables exported (sites); nothing was " \
           "written" in out.output
    assert exported.read_bytes() == before            # the earlier export is untouched
    typo = CliRunner().invoke(cli, ["export", "themes", "--theme", "code:fundng", "-p",
                                    str(root)])
    assert typo.exit_code == 1 and "--theme code:fundng" in typo.output
    ok = CliRunner().invoke(cli, ["export", "sites", "--site", "O1", "-p", str(root)])
    assert ok.exit_code == 0, ok.output
    assert exported.read_text(encoding="utf-8-sig").count("\n") == 2   # header + O1
