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
