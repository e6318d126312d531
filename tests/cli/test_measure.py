from pathlib import Path

from click.testing import CliRunner

from pipeline.cli.main import cli
from tests.fixtures import GOOD_TRANSCRIPT as GOOD


def test_measuring_without_human_codings_says_so(make_project) -> None:
    root = make_project({"O1_Principal#1_5.14.txt": GOOD})
    assert CliRunner().invoke(cli, ["analyze", "-p", str(root), "-q"]).exit_code == 0
    report = CliRunner().invoke(cli, ["coding-report", "-p", str(root)])
    assert report.exit_code == 0
    assert "No human codings yet" in report.output
    assert (root / "outputs" / "coding_quality.md").is_file()
    for command in ("tune-coding", "evaluate-compare"):
        out = CliRunner().invoke(cli, [command, "-p", str(root)])
        assert out.exit_code == 1
        assert "no human codings in codebooks/codings/" in out.output


def test_evaluate_compare_on_the_shipped_corpus(shipped_project) -> None:
    out = CliRunner().invoke(cli, ["evaluate-compare", "-p", str(shipped_project)])
    assert out.exit_code == 0, out.output
    for method in ("categories (lsa)", "categories (embeddings)", "kmeans (k=",
                   "bertopic-style"):
        assert method in out.output, method
    assert "following the earlier keys" in out.output
    assert (shipped_project / "outputs" / "compare_evaluation.json").is_file()
    assert (shipped_project / "outputs" / "compare_evaluation.md").read_text().startswith(
        "| dataset | reference | clustering |")


def test_reports_on_the_fixture_project_are_written_with_provenance(
        tmp_path, fixture_project) -> None:
    import json
    import shutil

    root = shutil.copytree(fixture_project, tmp_path / "p")
    for command, files in (("coding-report", ["coding_quality.md"]),
                           ("tune-coding", ["coding_tuning.csv", "coding_tuning_model.csv"]),
                           ("evaluate-compare", ["compare_evaluation.json",
                                                 "compare_evaluation.md"])):
        extra = ["--no-bertopic", "--methods", "lsa"] if command == "evaluate-compare" else []
        out = CliRunner().invoke(cli, [command, "-p", str(root), *extra])
        assert out.exit_code == 0, out.output
        manifest = json.loads((root / "outputs" / ".manifests" / f"{command}.json").read_text())
        assert sorted(manifest["files"]) == [f"outputs/{f}" for f in sorted(files)]
        assert manifest["provenance"]["command"] == command
        assert all(manifest["provenance"]["inputs"].values())   # data hashes of its tables
    result = json.loads((root / "outputs" / "compare_evaluation.json").read_text())
    # ana's three passages, two codes (each its own parent)
    assert result["project"]["reference"] == {"code": {"segments": 3, "themes": 2},
                                              "parent": {"segments": 3, "themes": 2}}
    report = (root / "outputs" / "coding_quality.md").read_text()
    assert "| funding | 2 |" in report


def test_bench_refuses_a_peer_interpreter_that_is_not_there(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["bench", "--quick", "--vs-bertopic", "--peer-python",
                                       str(tmp_path / "none"), "-p", str(tmp_path)])
    assert result.exit_code == 2 and "no such interpreter" in result.output
