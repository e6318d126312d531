"""The suggestion benchmark reads the code stage's own measurement back, per feature set."""
from pathlib import Path

import pytest

from pipeline.analysis.suggest_eval import COLUMNS, evaluate, markdown, measure
from tests.fixtures import REALDATA, copy_project


def test_measure_reads_pooled_rows_for_each_source_and_level(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    rows = measure(root, "fixture", "tfidf")
    assert {(r["comparison"], r["level"]) for r in rows} >= {
        ("auto:pattern", "code"), ("auto:pattern+similarity", "parent")}
    pattern = next(r for r in rows if r["comparison"] == "auto:pattern"
                   and r["level"] == "code")
    # ana read 3 segments: keywords give funding on two (both right) and
    # collaboration on one (right too)
    assert (pattern["read_segments"], pattern["n_reference"], pattern["n_predicted"]) == (3, 3, 3)
    assert pattern["kappa"] == 1.0 and pattern["short_share"] == 0.0
    assert set(rows[0]) == set(COLUMNS)


@pytest.mark.slow
def test_the_real_studies_are_measured_apart_from_the_project(tmp_path: Path) -> None:
    if not (REALDATA / "pdpilot-maxqda").is_dir():
        pytest.skip("../shared/realdata is not present")
    project = copy_project(tmp_path / "p")
    table = evaluate(project, REALDATA.parent, ("tfidf",))
    assert set(table["dataset"]) >= {"shipped (demonstration)", "pdpilot-maxqda"}
    real = table[(table["dataset"] == "pdpilot-maxqda") & (table["level"] == "code")]
    assert real["read_segments"].iloc[0] == 454     # every segment of the 7 interviews
    assert (table["short_share"] == 0).all()        # no suggestion on a backchannel
    assert not (project / "corpus" / "transcripts" / "S1_Participant#1_10.1.txt").exists()
    assert markdown(table).startswith("| dataset | features |")
