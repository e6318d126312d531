import json
import shutil

import pandas as pd
from click.testing import CliRunner

from pipeline.cli.main import cli


def test_agreement_on_the_fixture_project(tmp_path, fixture_project) -> None:
    root = shutil.copytree(fixture_project, tmp_path / "p")
    out = CliRunner().invoke(cli, ["agreement", "-p", str(root), "-q"])
    assert out.exit_code == 0, out.output
    assert "outputs/agreement.md" in out.output
    report = (root / "outputs" / "agreement.md").read_text(encoding="utf-8")
    assert report.startswith("# Inter-coder agreement")
    assert "**auto vs human:ana**: 3 segments" in report
    table = pd.read_csv(root / "outputs" / "agreement.csv")
    assert set(table["unit"]) == {"segment", "character"}
    assert set(table["comparison"]) == {"auto vs human:ana"}
    assert table["percent"].between(0, 1).all()
    # three read segments: too few for kappa or alpha, and the table says so
    assert table["kappa"].isna().all() and table["alpha"].isna().all()
    assert (table["note"] == "only 3 segments compared (fewer than 10)").all()
    manifest = json.loads((root / "outputs" / ".manifests" / "agreement.json").read_text())
    assert sorted(manifest["files"]) == ["outputs/agreement.csv", "outputs/agreement.md"]


def test_agreement_on_the_shipped_corpus(shipped_project) -> None:
    out = CliRunner().invoke(cli, ["agreement", "-p", str(shipped_project), "-q"])
    assert out.exit_code == 0, out.output
    table = pd.read_csv(shipped_project / "outputs" / "agreement.csv")
    pooled = table[table["code_id"] == "(all codes)"].set_index(["comparison", "unit"])
    pair = pooled.loc[("human:demo-a vs human:demo-b", "segment")]
    assert pair.alpha_low <= pair.alpha <= pair.alpha_high
    assert pair.alpha > 0.6 and pair.n_units > 50
