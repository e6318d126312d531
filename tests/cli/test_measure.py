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
    assert "cross-site categories" in out.output and "kmeans (k=" in out.output
    assert (shipped_project / "outputs" / "compare_evaluation.json").is_file()
